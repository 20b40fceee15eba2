/** Units, their entries and their stays in parents, from the index. Typed, parameterized, paginated. */
import type { Hex } from "viem";
import type { TraceEntry } from "../../read/types";
import type { IndexSql, Row } from "../db";
import { keyOf, limitOf, pageOf, type Page, type PageOptions } from "./page";
import {
  ENTRY_COLUMNS,
  ENTRY_FROM,
  toEntry,
  toStay,
  toUnit,
  type ChainPosition,
  type IndexedUnit,
  type Stay,
} from "./mappers";

const lower = (h: string) => h.toLowerCase();

/** A unit by its key, or undefined when the index has not seen it registered. */
export async function unitByKey(db: IndexSql, key: Hex): Promise<IndexedUnit | undefined> {
  const [row] = await db.query("SELECT * FROM units WHERE key = $1", [lower(key)]);
  return row ? toUnit(row) : undefined;
}

/** A unit by its canonical Digital Link path (`/01/…/10/…/21/…`), or undefined. */
export async function unitByPath(db: IndexSql, path: string): Promise<IndexedUnit | undefined> {
  const [row] = await db.query("SELECT * FROM units WHERE path = $1", [path]);
  return row ? toUnit(row) : undefined;
}

/** A unit's entries, oldest first (keyset: seq). */
export async function unitEntries(db: IndexSql, key: Hex, page: PageOptions = {}): Promise<Page<TraceEntry>> {
  const limit = limitOf(page);
  const [after] = keyOf(page.after, 1) ?? ["0"];
  const rows = await db.query(
    `SELECT ${ENTRY_COLUMNS}, e.seq FROM ${ENTRY_FROM} WHERE e.unit = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3`,
    [lower(key), after, limit + 1],
  );
  return pageOf(rows, limit, toEntry, (r) => [String(r.seq)]);
}

/**
 * A unit's entries strictly between two chain positions (`to` absent: up to the newest), oldest first:
 * what a parent recorded while a child was inside it.
 */
export async function unitEntriesBetween(
  db: IndexSql,
  key: Hex,
  from: ChainPosition,
  to: ChainPosition | undefined,
  page: PageOptions = {},
): Promise<Page<TraceEntry>> {
  const limit = limitOf(page);
  const [after] = keyOf(page.after, 1) ?? ["0"];
  const params: unknown[] = [lower(key), from.block.toString(), from.logIndex, after, limit + 1];
  let upper = "";
  if (to) {
    params.push(to.block.toString(), to.logIndex);
    upper = "AND (e.block, e.log_index) < ($6, $7)";
  }
  const rows = await db.query(
    `SELECT ${ENTRY_COLUMNS}, e.seq FROM ${ENTRY_FROM}
     WHERE e.unit = $1 AND (e.block, e.log_index) > ($2, $3) ${upper} AND e.seq > $4 ORDER BY e.seq LIMIT $5`,
    params,
  );
  return pageOf(rows, limit, toEntry, (r) => [String(r.seq)]);
}

/** The parents a unit was packed in over time, oldest stay first (keyset: packing position). */
export async function unitStays(db: IndexSql, key: Hex, page: PageOptions = {}): Promise<Page<Stay>> {
  const limit = limitOf(page);
  const [block, logIndex] = keyOf(page.after, 2) ?? ["-1", "-1"];
  const rows = await db.query(
    `SELECT * FROM stays WHERE child = $1 AND (packed_block, packed_log_index) > ($2, $3)
     ORDER BY packed_block, packed_log_index LIMIT $4`,
    [lower(key), block, logIndex, limit + 1],
  );
  return pageOf(rows, limit, toStay, (r) => [String(r.packed_block), String(r.packed_log_index)]);
}

/**
 * The children inside a parent at a chain position (default: now), in packing order: packed at or before
 * it and not unpacked at or before it.
 */
export async function childrenAt(
  db: IndexSql,
  parent: Hex,
  at: ChainPosition | undefined,
  page: PageOptions = {},
): Promise<Page<Stay>> {
  const limit = limitOf(page);
  const [block, logIndex, child] = keyOf(page.after, 3) ?? ["-1", "-1", ""];
  const pos = at ? [at.block.toString(), at.logIndex] : ["9223372036854775807", 2147483647];
  const rows = await db.query(
    `SELECT * FROM stays WHERE parent = $1
       AND (packed_block, packed_log_index) <= ($2, $3)
       AND (unpacked_block IS NULL OR (unpacked_block, unpacked_log_index) > ($2, $3))
       AND (packed_block, packed_log_index, child) > ($4, $5, $6)
     ORDER BY packed_block, packed_log_index, child LIMIT $7`,
    [lower(parent), ...pos, block, logIndex, child, limit + 1],
  );
  return pageOf(rows, limit, toStay, (r) => [String(r.packed_block), String(r.packed_log_index), String(r.child)]);
}

async function unitsWhere(
  db: IndexSql,
  where: string,
  params: unknown[],
  page: PageOptions,
): Promise<Page<IndexedUnit>> {
  const limit = limitOf(page);
  const [after] = keyOf(page.after, 1) ?? [""];
  const n = params.length;
  const rows = await db.query<Row>(
    `SELECT * FROM units WHERE ${where} AND path > $${n + 1} ORDER BY path LIMIT $${n + 2}`,
    [...params, after, limit + 1],
  );
  return pageOf(rows, limit, toUnit, (r) => [String(r.path)]);
}

/** Units of a GTIN-14 (optionally one lot), by path. */
export function unitsByGtin(
  db: IndexSql,
  gtin: string,
  lot?: string,
  page: PageOptions = {},
): Promise<Page<IndexedUnit>> {
  return lot === undefined
    ? unitsWhere(db, "gtin = $1", [gtin], page)
    : unitsWhere(db, "gtin = $1 AND lot = $2", [gtin, lot], page);
}

/** The unit of an SSCC (a list: at most one). */
export function unitsBySscc(db: IndexSql, sscc: string, page: PageOptions = {}): Promise<Page<IndexedUnit>> {
  return unitsWhere(db, "sscc = $1", [sscc], page);
}

/** The unit of a GINC (a consignment number; a list: at most one). */
export function unitsByGinc(db: IndexSql, ginc: string, page: PageOptions = {}): Promise<Page<IndexedUnit>> {
  return unitsWhere(db, "ginc = $1", [ginc], page);
}
