/**
 * The ledger index as the bundle builder's log source: an `eth_getLogs` filter answered from the index's
 * `logs` table (every page of it), and the block the index has reached, which bundles are pinned at so that
 * no log query asks above what the index holds. Node-only.
 */
import type { IndexSql } from "../indexer/db";
import { readCursor } from "../indexer/cursor";
import { logs, type LogFilter } from "../indexer/queries";

/** Every log the index holds that matches an `eth_getLogs` filter, in the node's order. */
export function indexLogSource(db: IndexSql): (filter: Record<string, unknown>) => Promise<unknown[]> {
  return async (filter) => {
    const out: unknown[] = [];
    let after: string | undefined;
    do {
      const page = await logs(db, filter as LogFilter, after ? { after } : {});
      out.push(...page.items);
      after = page.next;
    } while (after);
    return out;
  };
}

/** The newest block the index has indexed (undefined before it first ran). */
export async function indexedBlock(db: IndexSql): Promise<bigint | undefined> {
  return (await readCursor(db))?.block;
}
