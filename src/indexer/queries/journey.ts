/**
 * A unit's journey from the index in three queries, whatever its depth: its own entries, the parents it was
 * packed in (over time, recursively: item → carton → consignment) with only their entries during each stay,
 * and the organizations that wrote any of them. What a proof bundle carries; untrusted until checked on
 * chain. The stays are walked in SQL (a recursive query) so that the number of round trips stays fixed.
 */
import type { Hex } from "viem";
import type { TraceEntry } from "../../read/types";
import type { IndexSql } from "../db";
import { int } from "../rows";
import { ENTRY_COLUMNS, toEntry, toOrganization, toStay, type IndexedOrganization, type Stay } from "./mappers";

export interface IndexedJourney {
  unit: Hex;
  /** The unit's entries in full, and each parent's entries during the child's stays in it, oldest first. */
  entries: Map<Hex, TraceEntry[]>;
  /** Every stay followed (the unit's, then its parents'), by depth then packing position. */
  stays: Stay[];
  /** The organizations of every entry. */
  organizations: Map<number, IndexedOrganization>;
}

const MAX = "9223372036854775807";

// Each row: a unit and the window (exclusive bounds) of its entries that count. A parent's window is its
// child's stay clipped to the child's own window; stays outside the window are not followed.
const WALK = `
WITH RECURSIVE walk(unit, fb, fl, tb, tl, depth, child, packed_block, packed_log_index, unpacked_block, unpacked_log_index) AS (
  SELECT $1::text, -1::bigint, -1::int, ${MAX}::bigint, 0::int, 0, NULL::text, NULL::bigint, NULL::int, NULL::bigint, NULL::int
  UNION ALL
  SELECT s.parent,
    CASE WHEN (w.fb, w.fl) > (s.packed_block, s.packed_log_index) THEN w.fb ELSE s.packed_block END,
    CASE WHEN (w.fb, w.fl) > (s.packed_block, s.packed_log_index) THEN w.fl ELSE s.packed_log_index END,
    CASE WHEN s.unpacked_block IS NULL OR (s.unpacked_block, s.unpacked_log_index) > (w.tb, w.tl) THEN w.tb ELSE s.unpacked_block END,
    CASE WHEN s.unpacked_block IS NULL OR (s.unpacked_block, s.unpacked_log_index) > (w.tb, w.tl) THEN w.tl ELSE s.unpacked_log_index END,
    w.depth + 1, s.child, s.packed_block, s.packed_log_index, s.unpacked_block, s.unpacked_log_index
  FROM walk w JOIN stays s ON s.child = w.unit
  WHERE w.depth < $2
    AND (s.unpacked_block IS NULL OR (s.unpacked_block, s.unpacked_log_index) > (w.fb, w.fl))
    AND (s.packed_block, s.packed_log_index) < (w.tb, w.tl)
)
SELECT * FROM walk ORDER BY depth, packed_block, packed_log_index`;

/**
 * Collects a unit's journey from the index.
 *
 * @param db - The index.
 * @param unit - The unit key.
 * @param options - `maxDepth`: parent levels followed (default 8, as `readJourney`).
 * @returns {@link IndexedJourney} (empty maps for a unit the index does not know).
 */
export async function unitJourney(
  db: IndexSql,
  unit: Hex,
  options: { maxDepth?: number } = {},
): Promise<IndexedJourney> {
  const key = unit.toLowerCase() as Hex;
  const windows = await db.query(WALK, [key, options.maxDepth ?? 8]);
  const journey: IndexedJourney = { unit: key, entries: new Map(), stays: [], organizations: new Map() };
  for (const w of windows) if (w.child !== null) journey.stays.push(toStay({ ...w, parent: w.unit }));
  const rows = await db.query(
    `SELECT DISTINCT ON (e.unit, e.seq) ${ENTRY_COLUMNS}, e.seq, e.org
     FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bigint[], $5::int[]) AS w(unit, fb, fl, tb, tl)
     JOIN entries e ON e.unit = w.unit AND (e.block, e.log_index) > (w.fb, w.fl) AND (e.block, e.log_index) < (w.tb, w.tl)
     JOIN blocks b ON b.number = e.block
     ORDER BY e.unit, e.seq`,
    [
      windows.map((w) => w.unit),
      windows.map((w) => String(w.fb)),
      windows.map((w) => int(w.fl)),
      windows.map((w) => String(w.tb)),
      windows.map((w) => int(w.tl)),
    ],
  );
  const orgIds = new Set<number>();
  for (const r of rows) {
    const list = journey.entries.get(r.unit as Hex) ?? [];
    list.push(toEntry(r));
    journey.entries.set(r.unit as Hex, list);
    orgIds.add(int(r.org));
  }
  if (orgIds.size > 0) {
    for (const row of await db.query("SELECT * FROM organizations WHERE id = ANY($1::bigint[])", [[...orgIds]])) {
      const org = toOrganization(row);
      journey.organizations.set(org.id, org);
    }
  }
  return journey;
}
