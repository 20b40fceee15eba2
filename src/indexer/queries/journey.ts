/**
 * A unit's journey from the index in a few queries: its own entries, the parents it was packed in (over
 * time, recursively: item → carton → consignment) with only their entries during each stay, and the
 * organizations that wrote any of them. What a proof bundle carries; untrusted until checked on chain.
 */
import type { Hex } from "viem";
import type { TraceEntry } from "../../read/types";
import type { IndexSql } from "../db";
import { MAX_LIMIT, type Page } from "./page";
import { toOrganization, type ChainPosition, type IndexedOrganization, type Stay } from "./mappers";
import { unitEntries, unitEntriesBetween, unitStays } from "./units";

export interface IndexedJourney {
  unit: Hex;
  /** The unit's entries in full, and each parent's entries during the child's stays in it, oldest first. */
  entries: Map<Hex, TraceEntry[]>;
  /** Every stay followed (the unit's, then its parents'), in the order they were found. */
  stays: Stay[];
  /** The organizations of every entry. */
  organizations: Map<number, IndexedOrganization>;
}

async function every<T>(fetch: (after?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await fetch(after);
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

const later = (a: ChainPosition, b: ChainPosition) =>
  a.block > b.block || (a.block === b.block && a.logIndex > b.logIndex);

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
  const journey: IndexedJourney = { unit: key, entries: new Map(), stays: [], organizations: new Map() };
  const add = (k: Hex, list: TraceEntry[]) => {
    const known = journey.entries.get(k) ?? [];
    const seen = new Set(known.map((e) => e.seq));
    journey.entries.set(
      k,
      [...known, ...list.filter((e) => !seen.has(e.seq))].sort((a, b) => a.seq - b.seq),
    );
  };
  const visit = async (k: Hex, from: ChainPosition | undefined, to: ChainPosition | undefined, depth: number) => {
    add(
      k,
      from === undefined
        ? await every((after) => unitEntries(db, k, { limit: MAX_LIMIT, after }))
        : await every((after) => unitEntriesBetween(db, k, from, to, { limit: MAX_LIMIT, after })),
    );
    if (depth === 0) return;
    for (const stay of await every((after) => unitStays(db, k, { limit: MAX_LIMIT, after }))) {
      // Only the part of a parent's stay inside this unit's own window counts.
      const start = from !== undefined && later(from, stay.packed) ? from : stay.packed;
      const end = to !== undefined && (stay.unpacked === undefined || later(stay.unpacked, to)) ? to : stay.unpacked;
      if (end !== undefined && !later(end, start)) continue;
      journey.stays.push(stay);
      await visit(stay.parent, start, end, depth - 1);
    }
  };
  await visit(key, undefined, undefined, options.maxDepth ?? 8);
  const orgIds = [...new Set([...journey.entries.values()].flat().map((e) => e.org))];
  if (orgIds.length > 0) {
    for (const row of await db.query("SELECT * FROM organizations WHERE id = ANY($1::bigint[])", [orgIds])) {
      const org = toOrganization(row);
      journey.organizations.set(org.id, org);
    }
  }
  return journey;
}
