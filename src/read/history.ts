/**
 * Collecting a unit's history without scanning the chain: read `unitState(unit)` (head, seq, lastBlock),
 * then query `Traced` logs for the unit in a window ending at the latest entry's block, and continue from
 * the oldest entry's `prevBlock`. The headers of the entries' blocks are read too: the chain covers each
 * entry's block number and time. Every query spans at most `maxBlockRange` blocks (nodes cap
 * `eth_getLogs` ranges) and ends exactly at a block that holds an entry, so the number of queries is at
 * most the number of entries and usually far less. Browser-safe (viem only).
 */
import { type Hex, type PublicClient, type Address } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { decodeInfo, stepName, stageName, FLAGS } from "../codes";
import { chainFormatOf, replayHead } from "../hashChain/hashChain";
import { TraceError } from "../errors/base";
import { readBlockHeaders } from "./blocks";
import type { LedgerLocation, TraceEntry, UnitHistory, UnitState } from "./types";

/** Default widest block range of one log query (many public and consortium nodes cap at 1,000–10,000). */
export const DEFAULT_MAX_BLOCK_RANGE = 1_000n;

/** The log source returned something that cannot be the unit's history (e.g. a broken `prevBlock` link). */
export class InconsistentLogsError extends TraceError {
  override name = "InconsistentLogsError" as const;
}

/** Reads a unit's state (at `blockNumber`, default the latest block). */
export async function readUnitState(
  client: PublicClient,
  ledger: LedgerLocation,
  unit: Hex,
  blockNumber?: bigint,
): Promise<UnitState> {
  const [head, seq, lastBlock, stage, flags, registrant, custodian, parent] = await client.readContract({
    address: ledger.address,
    abi: traceLedgerAbi,
    functionName: "unitState",
    args: [unit],
    ...(blockNumber !== undefined ? { blockNumber } : {}),
  });
  return {
    unit,
    registered: seq > 0,
    head,
    seq,
    lastBlock: BigInt(lastBlock),
    stage,
    stageName: stageName(stage),
    held: (flags & FLAGS.HELD) !== 0,
    recalled: (flags & FLAGS.RECALLED) !== 0,
    flagged: (flags & FLAGS.FLAGGED) !== 0,
    packed: (flags & FLAGS.PACKED) !== 0,
    holdsStopped: (flags & FLAGS.HOLDS_STOPPED) !== 0,
    registrant,
    custodian,
    parent: (flags & FLAGS.PACKED) !== 0 ? parent : undefined,
  };
}

/** Options of `readHistory`. */
export interface ReadHistoryOptions {
  /** Widest block range of one `eth_getLogs` call. */
  maxBlockRange?: bigint;
  /** Use this state instead of reading it (e.g. read at the same block as other calls). */
  state?: UnitState;
  /**
   * Read the history as of this block (default: the latest): its state, and so every log query, stop there.
   * Verification pins one block so that all it reads belongs to one chain, even if the chain reorganizes.
   */
  blockNumber?: bigint;
}

/** Collects a unit's history (oldest first) and checks it against the on-chain head and count. */
export async function readHistory(
  client: PublicClient,
  ledger: LedgerLocation,
  unit: Hex,
  options: ReadHistoryOptions = {},
): Promise<UnitHistory> {
  const state = options.state ?? (await readUnitState(client, ledger, unit, options.blockNumber));
  const chainId = ledger.chainId ?? (await client.getChainId());
  const range = options.maxBlockRange ?? DEFAULT_MAX_BLOCK_RANGE;
  const floor = ledger.deploymentBlock ?? 0n;
  const newestFirst: Omit<TraceEntry, "blockTime">[] = [];
  let logQueries = 0;
  let next = state.seq > 0 ? state.lastBlock : 0n;
  while (next !== 0n && newestFirst.length < state.seq) {
    const fromBlock = next - range + 1n > floor ? next - range + 1n : floor;
    const logs = await client.getContractEvents({
      address: ledger.address,
      abi: traceLedgerAbi,
      eventName: "Traced",
      args: { unit },
      fromBlock,
      toBlock: next,
      strict: true,
    });
    logQueries++;
    const found = logs
      .map((log) => toEntry(log))
      .sort((a, b) =>
        a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1,
      );
    if (found.length === 0 || found[0].blockNumber !== next) {
      throw new InconsistentLogsError(`No Traced log for unit ${unit} in block ${next}, where its chain says one is.`, {
        hints: ["The RPC endpoint may be pruned or not synced; try another endpoint."],
      });
    }
    newestFirst.push(...found);
    const oldest = found[found.length - 1];
    next = BigInt(oldest.prevBlock);
    if (next >= fromBlock && next !== 0n) {
      throw new InconsistentLogsError(
        `Unit ${unit}: entry ${oldest.seq} links to block ${next} inside an already complete range.`,
      );
    }
  }
  // The chain covers each entry's block time, so the head is only checked with the headers in hand.
  const headers = await readBlockHeaders(client, [...new Set(newestFirst.map((e) => e.blockNumber))]);
  const entries = newestFirst.reverse().map((e) => ({ ...e, blockTime: headers.get(e.blockNumber)!.timestamp }));
  const version =
    ledger.version ??
    (await client.readContract({ address: ledger.address, abi: traceLedgerAbi, functionName: "version" }));
  const recomputedHead = replayHead(chainId, ledger.address, unit, entries, chainFormatOf(version));
  const intact =
    state.seq > 0 && recomputedHead.toLowerCase() === state.head.toLowerCase() && entries.length === state.seq;
  return { state, entries, recomputedHead, intact, logQueries, headers };
}

type TracedLog = {
  args: { unit: Hex; account: Address; data: Hex; info: bigint };
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  blockHash: Hex;
};

/** Decodes one `Traced` log (its block time comes from the block header, read afterwards). */
export function toEntry(log: TracedLog): Omit<TraceEntry, "blockTime"> {
  const f = decodeInfo(log.args.info);
  return {
    unit: log.args.unit,
    account: log.args.account,
    data: log.args.data,
    info: log.args.info,
    ...f,
    stepName: stepName(f.step),
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash,
    blockHash: log.blockHash,
  };
}
