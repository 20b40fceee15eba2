/**
 * Captured events that are not ledger writes: events naming identifiers other than the Digital Link / EPC
 * URNs of registered units are kept off chain only (the record itself in the record store, by its hash) and
 * listed here, in the index database, so the query interface serves them beside the anchored ones (marked as
 * not anchored). Written by the capture interface, read by the query interface: one table, one definition.
 */
import type { IndexSql } from "../../indexer/db";

const DDL = [
  `CREATE TABLE IF NOT EXISTS epcis_offchain_events (
    record_hash text PRIMARY KEY,
    record_time bigint NOT NULL,
    org bigint NOT NULL,
    account text NOT NULL,
    capture_id text NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS epcis_offchain_events_time ON epcis_offchain_events (record_time, record_hash)",
];

/** One off-chain event: its record's hash, when it was captured (ms since epoch) and by whom. */
export interface OffChainEventRow {
  recordHash: string;
  recordTime: number;
  org: number;
  account: string;
  captureId: string;
}

/** Creates the table when it is missing. */
export async function ensureOffChainEvents(db: IndexSql): Promise<void> {
  for (const statement of DDL) await db.query(statement);
}

/** Lists an off-chain event (again: the same hash is kept once). */
export async function putOffChainEvent(db: IndexSql, row: OffChainEventRow): Promise<void> {
  await db.query(
    `INSERT INTO epcis_offchain_events (record_hash, record_time, org, account, capture_id)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (record_hash) DO NOTHING`,
    [row.recordHash, row.recordTime, row.org, row.account.toLowerCase(), row.captureId],
  );
}
