/**
 * Search by document number (an order, a customs declaration, a waybill): the numbers live only in the
 * off-chain records' `bizTransactionList`, the chain holds the records' hashes. This small table maps each
 * number to the hashes of the records that cite it; a search joins it with the index's entries (whose
 * `data` is the record hash), so a number only finds units whose entries the chain has. A record file
 * that does not hash to its name is skipped: the store is not trusted either. Node-only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { recordHash } from "../epcis";
import type { IndexSql } from "../indexer/db";
import { toUnit, type IndexedUnit } from "../indexer/queries";

const TABLES = [
  `CREATE TABLE IF NOT EXISTS explorer_documents (
    number text NOT NULL,
    id text NOT NULL,
    record_hash text NOT NULL,
    PRIMARY KEY (number, record_hash)
  )`,
  "CREATE INDEX IF NOT EXISTS explorer_documents_id ON explorer_documents (id)",
  // Every record read, with or without documents: a later run reads only new files.
  "CREATE TABLE IF NOT EXISTS explorer_document_records (record_hash text PRIMARY KEY)",
];

/** Creates the table when missing (it lives beside the index's tables; it is rebuilt from the store). */
export async function ensureDocumentTable(db: IndexSql): Promise<void> {
  for (const statement of TABLES) await db.query(statement);
}

/** A business transaction id's document number: `urn:…:bt:order:SO-1` → `SO-1`; other ids as they are. */
export function documentNumber(id: string): string {
  const m = /^urn:[^:]+:bt:[^:]+:(.+)$/.exec(id);
  return m ? m[1] : id;
}

/**
 * Adds the document numbers of the records in a record store (`<0x…hash>.json` files) not yet in the table.
 *
 * @returns How many new records were read (each file is read once, however often this runs).
 */
export async function indexRecordDocuments(db: IndexSql, recordsDir: string): Promise<number> {
  await ensureDocumentTable(db);
  const known = new Set(
    (await db.query<{ h: string }>("SELECT record_hash AS h FROM explorer_document_records")).map((r) => r.h),
  );
  let read = 0;
  for (const name of readdirSync(recordsDir)) {
    const m = /^(0x[0-9a-f]{64})\.json$/.exec(name);
    if (!m || known.has(m[1])) continue;
    let record: { bizTransactionList?: Array<{ bizTransaction?: unknown }> };
    try {
      record = JSON.parse(readFileSync(join(recordsDir, name), "utf8"));
      if (recordHash(record).toLowerCase() !== m[1]) continue;
    } catch {
      continue;
    }
    read++;
    for (const bt of Array.isArray(record.bizTransactionList) ? record.bizTransactionList : []) {
      if (typeof bt?.bizTransaction !== "string" || bt.bizTransaction.length > 500) continue;
      await db.query(
        "INSERT INTO explorer_documents (number, id, record_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        [documentNumber(bt.bizTransaction), bt.bizTransaction, m[1]],
      );
    }
    // Marked read only once its numbers are in: a crash in between reads the file again.
    await db.query("INSERT INTO explorer_document_records (record_hash) VALUES ($1) ON CONFLICT DO NOTHING", [m[1]]);
  }
  return read;
}

/** The units whose entries cite a document number (or full id), by path; at most `limit`. */
export async function unitsByDocument(db: IndexSql, text: string, limit = 20): Promise<IndexedUnit[]> {
  const rows = await db.query(
    `SELECT DISTINCT u.* FROM explorer_documents d
       JOIN entries e ON e.data = d.record_hash
       JOIN units u ON u.key = e.unit
     WHERE d.number = $1 OR d.id = $1 ORDER BY u.path LIMIT $2`,
    [text, limit],
  );
  return rows.map(toUnit);
}
