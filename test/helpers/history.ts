/** Test-side reading of a unit's history from `Traced` logs, following `prevBlock` back from the unit state. */
import { ethers } from "hardhat";
import type { TraceLedger } from "../../typechain-types";
import { decodeInfo, type TraceInfoFields } from "../../src/codes";
import { replayHead, type ChainEntry } from "../../src/hashChain/hashChain";
import type { Address, Hex } from "viem";

export interface HistoryEntry extends TraceInfoFields {
  unit: string;
  account: string;
  data: string;
  info: bigint;
  blockNumber: number;
  /** The block's timestamp, which the hash chain covers. */
  blockTime: number;
  logIndex: number;
}

/**
 * Collects a unit's entries by walking back from `unitState.lastBlock`: each query covers exactly one
 * block, and the oldest entry found in it names the block of the one before. Returns oldest first.
 */
export async function readHistory(ledger: TraceLedger, unit: string): Promise<HistoryEntry[]> {
  const state = await ledger.unitState(unit);
  const entries: HistoryEntry[] = [];
  let block = Number(state.lastBlock);
  const filter = ledger.filters.Traced(unit);
  while (block !== 0 && entries.length < Number(state.seq)) {
    const logs = await ledger.queryFilter(filter, block, block);
    const found = logs
      .map((log) => ({
        unit: log.args.unit,
        account: log.args.account,
        data: log.args.data,
        info: log.args.info,
        blockNumber: log.blockNumber,
        logIndex: log.index,
        ...decodeInfo(log.args.info),
      }))
      .sort((a, b) => b.logIndex - a.logIndex);
    if (found.length === 0) throw new Error(`no Traced log for ${unit} in block ${block}`);
    const blockTime = (await ethers.provider.getBlock(block))!.timestamp;
    entries.push(...found.map((e) => ({ ...e, blockTime })));
    block = found[found.length - 1].prevBlock;
  }
  return entries.reverse();
}

/** Recomputes the head from the entries and returns it with the on-chain head. */
export async function replayedAndStoredHead(ledger: TraceLedger, unit: string, entries?: HistoryEntry[]) {
  const list = entries ?? (await readHistory(ledger, unit));
  const { chainId } = await ethers.provider.getNetwork();
  const replayed = replayHead(chainId, (await ledger.getAddress()) as Address, unit as Hex, list.map(toChainEntry));
  const stored = (await ledger.unitState(unit)).head;
  return { replayed: replayed.toLowerCase(), stored: stored.toLowerCase(), entries: list };
}

/** A test-side entry as the hash chain needs it. */
export function toChainEntry(e: HistoryEntry): ChainEntry {
  return {
    account: e.account as Address,
    data: e.data as Hex,
    info: e.info,
    blockNumber: BigInt(e.blockNumber),
    blockTime: e.blockTime,
  };
}
