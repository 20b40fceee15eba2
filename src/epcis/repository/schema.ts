/**
 * The EPCIS event repository's tables, in the index database beside the index's own: one row per served
 * event (the columns the query interface filters and sorts on, the event JSON and its ledger anchor — null
 * for an off-chain-only event), the identifiers each event names (for MATCH_*), the ledger entries that are
 * not served (their record is missing or does not hash to the chain's value) and the sync's position. The
 * repository is a cache of the index and the record store: dropping these tables and syncing again rebuilds
 * it. `sync_id` grows with every row written and is the order subscriptions deliver in.
 */
import type { IndexSql } from "../../indexer/db";
import { ensureOffChainEvents } from "../rest/offchain";

const DDL = [
  `CREATE TABLE IF NOT EXISTS epcis_events (
    record_hash text PRIMARY KEY,
    sync_id bigserial UNIQUE,
    event_id text NOT NULL,
    event_type text NOT NULL,
    action text,
    biz_step text,
    disposition text,
    read_point text,
    biz_location text,
    event_time bigint NOT NULL,
    event_offset text NOT NULL,
    record_time bigint NOT NULL,
    org bigint,
    event text NOT NULL,
    chain_id bigint,
    ledger text,
    tx_hash text,
    block bigint,
    log_index int,
    unit text,
    seq bigint
  )`,
  "CREATE INDEX IF NOT EXISTS epcis_events_event_time ON epcis_events (event_time, sync_id)",
  "CREATE INDEX IF NOT EXISTS epcis_events_record_time ON epcis_events (record_time, sync_id)",
  "CREATE INDEX IF NOT EXISTS epcis_events_event_id ON epcis_events (event_id)",
  "CREATE INDEX IF NOT EXISTS epcis_events_biz_step ON epcis_events (biz_step)",
  "CREATE INDEX IF NOT EXISTS epcis_events_block ON epcis_events (block)",
  `CREATE TABLE IF NOT EXISTS epcis_event_epcs (
    record_hash text NOT NULL,
    field text NOT NULL,
    key text NOT NULL,
    PRIMARY KEY (record_hash, field, key)
  )`,
  "CREATE INDEX IF NOT EXISTS epcis_event_epcs_key ON epcis_event_epcs (key, field)",
  `CREATE TABLE IF NOT EXISTS epcis_unserved (
    ref text PRIMARY KEY,
    record_hash text NOT NULL,
    reason text NOT NULL,
    unit text,
    seq bigint,
    block bigint,
    tx_hash text
  )`,
  `CREATE TABLE IF NOT EXISTS epcis_sync (
    id int PRIMARY KEY CHECK (id = 1),
    cursor bigint NOT NULL,
    index_block bigint,
    index_hash text
  )`,
];

const ready = new WeakMap<IndexSql, Promise<void>>();

/** Creates the repository's tables (and the off-chain events table) when missing; once per database. */
export function ensureEventRepository(db: IndexSql): Promise<void> {
  let done = ready.get(db);
  if (!done) {
    done = (async () => {
      await ensureOffChainEvents(db);
      for (const statement of DDL) await db.query(statement);
      await db.query("INSERT INTO epcis_sync (id, cursor) VALUES (1, -1) ON CONFLICT (id) DO NOTHING");
    })();
    done.catch(() => ready.delete(db));
    ready.set(db, done);
  }
  return done;
}
