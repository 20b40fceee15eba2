/**
 * The few index reads only the explorer needs (lists across the whole ledger, look-ups of many ids at once,
 * a block's neighbours). Same rules as `src/indexer/queries`: parameterized SQL, keyset pages.
 */
import type { Address, Hex } from "viem";
import type { IndexSql } from "../indexer/db";
import {
  ENTRY_COLUMNS,
  ENTRY_FROM,
  keyOf,
  limitOf,
  pageOf,
  toEntry,
  toOrganization,
  toUnit,
  type IndexedOrganization,
  type IndexedUnit,
  type Page,
  type PageOptions,
} from "../indexer/queries";
import type { TraceEntry } from "../read/types";

const TOP = ["9223372036854775807", "2147483647"];

/** Every unit's entries, newest first (keyset: chain position). */
export async function recentEntries(db: IndexSql, page: PageOptions = {}): Promise<Page<TraceEntry>> {
  const limit = limitOf(page);
  const [block, logIndex] = keyOf(page.after, 2) ?? TOP;
  const rows = await db.query(
    `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE (e.block, e.log_index) < ($1, $2)
     ORDER BY e.block DESC, e.log_index DESC LIMIT $3`,
    [block, logIndex, limit + 1],
  );
  return pageOf(rows, limit, toEntry, (r) => [String(r.block), String(r.log_index)]);
}

/** The entries one account signed, newest first (keyset: chain position). */
export async function accountEntries(
  db: IndexSql,
  address: Address,
  page: PageOptions = {},
): Promise<Page<TraceEntry>> {
  const limit = limitOf(page);
  const [block, logIndex] = keyOf(page.after, 2) ?? TOP;
  const rows = await db.query(
    `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.account = $1 AND (e.block, e.log_index) < ($2, $3)
     ORDER BY e.block DESC, e.log_index DESC LIMIT $4`,
    [address.toLowerCase(), block, logIndex, limit + 1],
  );
  return pageOf(rows, limit, toEntry, (r) => [String(r.block), String(r.log_index)]);
}

/** Every organization, by id. */
export async function organizationList(db: IndexSql, page: PageOptions = {}): Promise<Page<IndexedOrganization>> {
  const limit = limitOf(page);
  const [after] = keyOf(page.after, 1) ?? ["0"];
  const rows = await db.query("SELECT * FROM organizations WHERE id > $1 ORDER BY id LIMIT $2", [after, limit + 1]);
  return pageOf(rows, limit, toOrganization, (r) => [String(r.id)]);
}

/** The organizations of these ids that the index knows, by id (for naming them beside entries). */
export async function organizationsByIds(db: IndexSql, ids: number[]): Promise<Map<number, IndexedOrganization>> {
  const unique = [...new Set(ids)].filter((id) => Number.isSafeInteger(id));
  if (unique.length === 0) return new Map();
  const rows = await db.query("SELECT * FROM organizations WHERE id = ANY($1::bigint[])", [unique.map(String)]);
  return new Map(rows.map((r) => [Number(r.id), toOrganization(r)]));
}

/** The units of these keys that the index knows, by lower-case key (for naming them beside links). */
export async function unitsByKeys(db: IndexSql, keys: Hex[]): Promise<Map<string, IndexedUnit>> {
  const unique = [...new Set(keys.map((k) => k.toLowerCase()))];
  if (unique.length === 0) return new Map();
  const rows = await db.query("SELECT * FROM units WHERE key = ANY($1::text[])", [unique]);
  return new Map(rows.map((r) => [String(r.key), toUnit(r)]));
}

/** A transaction of a block, without its entries. */
export interface BlockTransaction {
  hash: Hex;
  index: number;
  from: Address;
  relayed: boolean;
}

/** The ledger transactions of a block, in block order (a block holds at most a few thousand). */
export async function blockTransactions(db: IndexSql, block: bigint): Promise<BlockTransaction[]> {
  const rows = await db.query(
    'SELECT hash, index, "from", relayed FROM transactions WHERE block = $1 ORDER BY index LIMIT 5000',
    [block.toString()],
  );
  return rows.map((r) => ({
    hash: r.hash as Hex,
    index: Number(r.index),
    from: r.from as Address,
    relayed: Boolean(r.relayed),
  }));
}

/** The nearest indexed blocks (blocks with ledger logs) below and above `block`. */
export async function blockNeighbours(db: IndexSql, block: bigint): Promise<{ previous?: bigint; next?: bigint }> {
  const [row] = await db.query(
    `SELECT (SELECT max(number) FROM blocks WHERE number < $1) AS previous,
            (SELECT min(number) FROM blocks WHERE number > $1) AS next`,
    [block.toString()],
  );
  const out: { previous?: bigint; next?: bigint } = {};
  if (row?.previous !== null && row?.previous !== undefined) out.previous = BigInt(String(row.previous));
  if (row?.next !== null && row?.next !== undefined) out.next = BigInt(String(row.next));
  return out;
}
