/**
 * Log queries over a block range that may be wider than a node allows: the range is cut into windows of at
 * most `maxBlockRange` blocks (as `readHistory` does), and each window is one `eth_getLogs` call with a topic
 * filter several events can share (topic0 an OR list), which viem's typed helpers cannot express. What an
 * endpoint returns outside the filter (another address, a block outside the window) is dropped, never
 * trusted. Browser-safe (viem only).
 */
import { formatLog, numberToHex, parseEventLogs, type Address, type Hex, type Log, type PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { DEFAULT_MAX_BLOCK_RANGE } from "./history";

/** Where one log sits on the chain: enough to order it and to check its block stayed canonical. */
export interface LogPosition {
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  blockHash: Hex;
}

/** A topic filter: per position a value, an OR list of values, or null for any. */
export type TopicFilter = (Hex | Hex[] | null)[];

export interface ReadLogRangeParameters {
  address: Address;
  topics: TopicFilter;
  fromBlock: bigint;
  toBlock: bigint;
  /** Widest block range of one query (default 1,000). */
  maxBlockRange?: bigint;
}

/** Windows queried at once (each is one request; viem batches them when the transport does). */
const WINDOWS_PER_ROUND = 8;

/** The ledger's logs matching `topics` in the range, decoded with the ledger ABI, in chain order. */
export async function readLedgerLogs(
  client: PublicClient,
  parameters: ReadLogRangeParameters,
): Promise<{ logs: DecodedLedgerLog[]; queries: number }> {
  const { address, topics, fromBlock, toBlock } = parameters;
  const range = parameters.maxBlockRange ?? DEFAULT_MAX_BLOCK_RANGE;
  const windows: [bigint, bigint][] = [];
  for (let from = fromBlock; from <= toBlock; from += range) {
    windows.push([from, from + range - 1n < toBlock ? from + range - 1n : toBlock]);
  }
  const raw: Log[] = [];
  for (let i = 0; i < windows.length; i += WINDOWS_PER_ROUND) {
    const round = await Promise.all(
      windows.slice(i, i + WINDOWS_PER_ROUND).map(async ([from, to]) => {
        const found = (await client.request({
          method: "eth_getLogs",
          params: [{ address, topics, fromBlock: numberToHex(from), toBlock: numberToHex(to) }],
        } as never)) as unknown[];
        return found
          .map((log) => formatLog(log as never))
          .filter((log) => log.blockNumber !== null && log.blockNumber >= from && log.blockNumber <= to);
      }),
    );
    raw.push(...round.flat());
  }
  const own = raw.filter((log) => log.address.toLowerCase() === address.toLowerCase());
  const logs = parseEventLogs({ abi: traceLedgerAbi, logs: own, strict: true }) as unknown as DecodedLedgerLog[];
  logs.sort((a, b) => comparePositions(a, b));
  return { logs, queries: windows.length };
}

/** A decoded ledger log (its `eventName` and `args` per the ledger ABI). */
export interface DecodedLedgerLog extends LogPosition {
  eventName: string;
  args: Record<string, unknown>;
  topics: Hex[];
}

/** Chain order of two log positions. */
export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}

/** The position of a decoded log, without its payload. */
export function positionOf(log: LogPosition): LogPosition {
  return {
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash,
    blockHash: log.blockHash,
  };
}
