/**
 * Whether the chain holds a record's hash: the platform stores an uploaded record only then, so its store
 * cannot be filled with records nobody wrote on chain. Looked up in the index (entries at any depth it has
 * followed), else on the chain itself in the recent history of the units the record names (a record is
 * uploaded right after its write, before the index has followed it). Node-only.
 */
import type { Hex, PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import type { IndexSql } from "../indexer/db";
import type { LedgerLocation } from "../read/types";
import { readUnitState, toEntry } from "../read/history";

/** How far back a unit's history is searched on chain (log queries per unit). */
const RECENT_QUERIES = 4;
/** Blocks per log query. */
const QUERY_RANGE = 1_000n;

/** Whether an index entry holds `hash` as its data. */
export async function indexedAnchor(index: IndexSql, hash: Hex): Promise<boolean> {
  const rows = await index.query("SELECT 1 FROM entries WHERE data = $1 LIMIT 1", [hash.toLowerCase()]);
  return rows.length > 0;
}

/**
 * Whether one of `units` has an entry holding `hash` among its recent entries on chain (the latest
 * {@link RECENT_QUERIES} log ranges of its `prevBlock` walk, at the node's latest block), or a recent custody
 * offer carrying it (an offer is a `HandoverOffered` log, not an entry of the unit's history).
 */
export async function recentChainAnchor(
  client: PublicClient,
  ledger: LedgerLocation,
  units: Iterable<Hex>,
  hash: Hex,
): Promise<boolean> {
  const wanted = hash.toLowerCase();
  const floor = ledger.deploymentBlock ?? 0n;
  for (const unit of units) {
    if (await recentOffer(client, ledger, unit, wanted)) return true;
    const state = await readUnitState(client, ledger, unit);
    let next = state.seq > 0 ? state.lastBlock : 0n;
    for (let q = 0; q < RECENT_QUERIES && next !== 0n; q++) {
      const fromBlock = next - QUERY_RANGE + 1n > floor ? next - QUERY_RANGE + 1n : floor;
      const logs = await client.getContractEvents({
        address: ledger.address,
        abi: traceLedgerAbi,
        eventName: "Traced",
        args: { unit },
        fromBlock,
        toBlock: next,
        strict: true,
      });
      const entries = logs.map((log) => toEntry(log));
      if (entries.some((e) => e.data.toLowerCase() === wanted)) return true;
      // The oldest entry of this range names the block of the one before it.
      const oldest = entries.reduce<(typeof entries)[number] | undefined>(
        (o, e) => (o === undefined || e.blockNumber < o.blockNumber ? e : o),
        undefined,
      );
      if (!oldest) break;
      const prevBlock = BigInt(oldest.prevBlock);
      next = prevBlock < fromBlock ? prevBlock : 0n;
    }
  }
  return false;
}

/** Whether a `HandoverOffered` log for `unit` in the recent blocks carries `hash` (lower case). */
async function recentOffer(client: PublicClient, ledger: LedgerLocation, unit: Hex, hash: string): Promise<boolean> {
  const head = await client.getBlockNumber();
  const floor = ledger.deploymentBlock ?? 0n;
  const span = QUERY_RANGE; // one query: a record is published right after its offer
  const logs = await client.getContractEvents({
    address: ledger.address,
    abi: traceLedgerAbi,
    eventName: "HandoverOffered",
    args: { unit },
    fromBlock: head - span + 1n > floor ? head - span + 1n : floor,
    toBlock: head,
    strict: true,
  });
  return logs.some((log) => log.args.recordHash.toLowerCase() === hash);
}
