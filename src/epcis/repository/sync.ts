/**
 * Fills the event repository from the index and the record store, incrementally: the ledger entries the
 * index gained since the last sync (each joined with its record, which must hash to the entry's on-chain
 * value — a record that does not, or is missing, is not served and is counted in `epcis_unserved`), and the
 * off-chain events the capture interface listed. A child's (un)packing entry holds its parent's key, not
 * a record hash: it is the parent's event, served once from the parent's entry. Before that, when the index moved since the last sync,
 * every anchored row whose entry the index no longer holds (a reorganization rolled it back, or it moved to
 * another block) is removed, and the position moves back so the index's replacement entries come in.
 * Syncs of one database run one at a time. Node-only.
 */
import type { IndexSql } from "../../indexer/db";
import { recordHash, eventIdOf, recordHashOfEventId } from "../hash";
import type { RecordStore } from "../../records/store";
import { ensureEventRepository } from "./schema";
import { eventColumns } from "./eventRow";
import { ANCHOR_FIELD } from "../rest/anchor";
import { WITHHELD_STEPS } from "../../records/access";

/** The ledger the index follows (the anchor names it). */
export interface RepositoryLedger {
  chainId: number;
  address: string;
}

/** What one sync did. */
export interface SyncSummary {
  added: number;
  removed: number;
  /** Entries or off-chain events not served in this sync (record missing, tampered or not an event). */
  refused: number;
}

/**
 * The finance steps whose records the platform withholds from the public (src/records/access.ts): the query
 * interface is public, so it serves none of them — a record any entry anchors under such a step, even if
 * another entry anchors the same hash under a public step.
 */
const WITHHELD = [...WITHHELD_STEPS];

/** Entries read per statement. */
const BATCH = 500;

const running = new WeakMap<IndexSql, Promise<unknown>>();

/**
 * Brings the repository up to the index and the record store; cheap when nothing is new (two small reads).
 *
 * @param db - The index database (the repository's tables are created in it when missing).
 * @param store - The record store the events' records are read from.
 * @param ledger - The chain id and ledger address the anchors name.
 * @returns What was added, removed and refused.
 */
export function syncEvents(db: IndexSql, store: RecordStore, ledger: RepositoryLedger): Promise<SyncSummary> {
  const previous = running.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => syncOnce(db, store, ledger));
  running.set(db, next);
  return next;
}

interface EntryRow {
  unit: string;
  seq: string | number;
  block: string | number;
  log_index: number;
  tx_hash: string;
  org: string | number;
  data: string;
  timestamp: string | number;
}

async function syncOnce(db: IndexSql, store: RecordStore, ledger: RepositoryLedger): Promise<SyncSummary> {
  await ensureEventRepository(db);
  const summary: SyncSummary = { added: 0, removed: 0, refused: 0 };
  const [state] = await db.query<{ cursor: string; index_block: string | null; index_hash: string | null }>(
    "SELECT cursor, index_block, index_hash FROM epcis_sync WHERE id = 1",
  );
  const [index] = await db.query<{ block: string; hash: string | null }>("SELECT block, hash FROM sync WHERE id = 1");
  let cursor = BigInt(state.cursor);
  if (index) {
    const head = BigInt(index.block);
    const moved = state.index_block === null || BigInt(state.index_block) !== head || state.index_hash !== index.hash;
    // The block we synced up to is still a checkpoint of the index with the same hash: nothing at or below
    // it was rolled back, and the index only grew. Otherwise (moved back, or sideways after a
    // reorganization, or the checkpoint is gone) every anchored row is checked against the index.
    const kept =
      moved &&
      state.index_block !== null &&
      state.index_hash !== null &&
      (
        await db.query("SELECT 1 FROM checkpoints WHERE number = $1 AND hash = $2", [
          state.index_block,
          state.index_hash,
        ])
      ).length > 0;
    if (moved && !kept) {
      const gone = await db.query<{ record_hash: string; block: string }>(
        `DELETE FROM epcis_events ev WHERE ev.unit IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM entries e WHERE e.unit = ev.unit AND e.seq = ev.seq AND e.tx_hash = ev.tx_hash
             AND e.block = ev.block AND e.log_index = ev.log_index)
         RETURNING ev.record_hash, ev.block`,
      );
      if (gone.length) {
        await db.query(
          "DELETE FROM epcis_event_epcs k WHERE k.record_hash = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM epcis_events ev WHERE ev.record_hash = k.record_hash)",
          [gone.map((g) => g.record_hash)],
        );
        const low = gone.reduce((m, g) => (BigInt(g.block) < m ? BigInt(g.block) : m), cursor + 1n);
        cursor = low - 1n < cursor ? low - 1n : cursor;
        summary.removed = gone.length;
      }
      await db.query(
        `DELETE FROM epcis_unserved u WHERE u.unit IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM entries e WHERE e.unit = u.unit AND e.seq = u.seq AND e.tx_hash = u.tx_hash AND e.block = u.block)`,
      );
      if (head < cursor) cursor = head;
    }
    let after: [bigint, number] = [cursor, 2 ** 31 - 1];
    for (;;) {
      const rows = await db.query<EntryRow>(
        `SELECT e.unit, e.seq, e.block, e.log_index, e.tx_hash, e.org, e.data, b.timestamp
         FROM entries e JOIN blocks b ON b.number = e.block
         WHERE (e.block, e.log_index) > ($1::bigint, $2::int) AND e.block <= $3::bigint
           AND NOT EXISTS (SELECT 1 FROM units u WHERE u.key = e.data)
           AND NOT EXISTS (SELECT 1 FROM entries w WHERE w.data = e.data AND w.step = ANY($4::int[]))
         ORDER BY e.block, e.log_index LIMIT ${BATCH}`,
        [after[0].toString(), after[1], index.block, WITHHELD],
      );
      for (const row of rows) await importEntry(db, store, ledger, row, summary);
      if (rows.length < BATCH) break;
      const last = rows[rows.length - 1];
      after = [BigInt(last.block), last.log_index];
    }
    // Records that were missing may have arrived since.
    const missing = await db.query<EntryRow & { ref: string }>(
      `SELECT u.ref, e.unit, e.seq, e.block, e.log_index, e.tx_hash, e.org, e.data, b.timestamp
       FROM epcis_unserved u JOIN entries e ON e.unit = u.unit AND e.seq = u.seq JOIN blocks b ON b.number = e.block
       WHERE u.reason = 'missing' AND e.block <= $1::bigint
         AND NOT EXISTS (SELECT 1 FROM entries w WHERE w.data = e.data AND w.step = ANY($2::int[]))`,
      [index.block, WITHHELD],
    );
    for (const row of missing) {
      await db.query("DELETE FROM epcis_unserved WHERE ref = $1", [row.ref]);
      await importEntry(db, store, ledger, row, summary);
    }
    await db.query("UPDATE epcis_sync SET cursor = $1, index_block = $2, index_hash = $3 WHERE id = 1", [
      index.block,
      index.block,
      index.hash,
    ]);
  }
  const offChain = await db.query<{ record_hash: string; record_time: string; org: string }>(
    `SELECT o.record_hash, o.record_time, o.org FROM epcis_offchain_events o
     WHERE NOT EXISTS (SELECT 1 FROM epcis_events ev WHERE ev.record_hash = o.record_hash)
       AND NOT EXISTS (SELECT 1 FROM epcis_unserved u WHERE u.ref = 'offchain:' || o.record_hash AND u.reason <> 'missing')
     ORDER BY o.record_time, o.record_hash`,
  );
  for (const row of offChain) {
    const event = readRecord(store, row.record_hash);
    if (typeof event === "string") {
      summary.refused++;
      await db.query(
        `INSERT INTO epcis_unserved (ref, record_hash, reason) VALUES ($1, $2, $3)
         ON CONFLICT (ref) DO UPDATE SET reason = EXCLUDED.reason`,
        [`offchain:${row.record_hash}`, row.record_hash, event],
      );
      continue;
    }
    await db.query("DELETE FROM epcis_unserved WHERE ref = $1", [`offchain:${row.record_hash}`]);
    if (await insertEvent(db, row.record_hash, event, Number(row.record_time), Number(row.org), null)) summary.added++;
  }
  return summary;
}

/** The stored record of a hash if it hashes to it, else why not ("missing", "tampered", "invalid"). */
function readRecord(store: RecordStore, hash: string): Record<string, unknown> | "missing" | "tampered" | "invalid" {
  let record: unknown;
  try {
    record = store.get(hash);
  } catch {
    return "invalid";
  }
  if (record === undefined) return "missing";
  if (record === null || typeof record !== "object" || Array.isArray(record)) return "invalid";
  try {
    if (recordHash(record) !== hash) return "tampered";
  } catch {
    return "invalid";
  }
  return record as Record<string, unknown>;
}

async function importEntry(
  db: IndexSql,
  store: RecordStore,
  ledger: RepositoryLedger,
  row: EntryRow,
  summary: SyncSummary,
): Promise<void> {
  const hash = row.data.toLowerCase();
  const event = /^0x[0-9a-f]{64}$/.test(hash) ? readRecord(store, hash) : "invalid";
  if (typeof event === "string") {
    summary.refused++;
    await db.query(
      `INSERT INTO epcis_unserved (ref, record_hash, reason, unit, seq, block, tx_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (ref) DO UPDATE SET reason = EXCLUDED.reason,
       block = EXCLUDED.block, tx_hash = EXCLUDED.tx_hash`,
      [`${row.unit}:${row.seq}`, hash, event, row.unit, String(row.seq), String(row.block), row.tx_hash],
    );
    return;
  }
  const anchor = {
    chainId: ledger.chainId,
    ledger: ledger.address.toLowerCase(),
    transactionHash: row.tx_hash,
    blockNumber: Number(row.block),
    logIndex: row.log_index,
    unit: row.unit,
    seq: Number(row.seq),
  };
  // The chain's block time is the record time: when the ledger took the event.
  if (await insertEvent(db, hash, event, Number(row.timestamp) * 1000, Number(row.org), anchor)) summary.added++;
}

interface Anchor {
  chainId: number;
  ledger: string;
  transactionHash: string;
  blockNumber: number;
  logIndex: number;
  unit: string;
  seq: number;
}

/**
 * Inserts one event (the first anchor of a record wins: a packing is one event on several units' histories).
 * The eventID is the record's own unless it claims a cbec-trace hash ID of another content.
 */
async function insertEvent(
  db: IndexSql,
  hash: string,
  record: Record<string, unknown>,
  recordTime: number,
  org: number,
  anchor: Anchor | null,
): Promise<boolean> {
  const columns = eventColumns(record);
  if (!columns) return false;
  const given = typeof record.eventID === "string" ? record.eventID : undefined;
  const claimed = given === undefined ? undefined : recordHashOfEventId(given);
  const eventId =
    given === undefined || (claimed !== undefined && claimed !== hash) ? eventIdOf(hash as `0x${string}`) : given;
  const event = { ...record, eventID: eventId };
  delete (event as Record<string, unknown>).recordTime;
  delete (event as Record<string, unknown>)[ANCHOR_FIELD];
  const inserted = await db.query(
    `INSERT INTO epcis_events (record_hash, event_id, event_type, action, biz_step, disposition, read_point,
       biz_location, event_time, event_offset, record_time, org, event, chain_id, ledger, tx_hash, block,
       log_index, unit, seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT (record_hash) DO NOTHING RETURNING record_hash`,
    [
      hash,
      eventId,
      columns.eventType,
      columns.action,
      columns.bizStep,
      columns.disposition,
      columns.readPoint,
      columns.bizLocation,
      String(columns.eventTime),
      columns.eventOffset,
      String(recordTime),
      String(org),
      JSON.stringify(event),
      anchor ? String(anchor.chainId) : null,
      anchor?.ledger ?? null,
      anchor?.transactionHash ?? null,
      anchor ? String(anchor.blockNumber) : null,
      anchor?.logIndex ?? null,
      anchor?.unit ?? null,
      anchor ? String(anchor.seq) : null,
    ],
  );
  if (inserted.length === 0) return false;
  if (columns.epcs.length) {
    await db.query(
      `INSERT INTO epcis_event_epcs (record_hash, field, key)
       SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [hash, columns.epcs.map((e) => e.field), columns.epcs.map((e) => e.key)],
    );
  }
  return true;
}
