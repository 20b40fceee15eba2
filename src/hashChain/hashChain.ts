/**
 * The per-unit hash chain, exactly as `TraceInfo.sol` computes it:
 *   genesis = bytes16(keccak256(abi.encode(chainId, ledger, unit)))
 *   next    = bytes16(keccak256(abi.encode(head, unit, account, data, info, blockNumber << 64 | blockTime)))
 * A verifier recomputes the head from the `Traced` logs and the headers of their blocks, and compares it
 * with `unitState(unit).head`: an endpoint that moves an entry to another block or time breaks the head.
 *
 * Ledgers of version 1.x chained `abi.encode(head, unit, account, data, info)` only (format 1); their
 * histories stay verifiable with `chainFormatOf(version)`.
 */
import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

/** One `Traced` entry as the chain needs it: the log's fields and the block it is in. */
export interface ChainEntry {
  account: Address;
  data: Hex;
  info: bigint;
  /** The block the entry's log is in. */
  blockNumber: bigint;
  /** That block's timestamp (Unix seconds). */
  blockTime: number | bigint;
}

/** The first head of a unit's chain on a given chain and ledger. */
export function genesisHead(chainId: bigint | number, ledger: Address, unit: Hex): Hex {
  const encoded = encodeAbiParameters(
    [{ type: "uint256" }, { type: "address" }, { type: "bytes32" }],
    [BigInt(chainId), ledger, unit],
  );
  return keccak256(encoded).slice(0, 34) as Hex;
}

/** The block word an entry's head covers (`TraceInfo.blockRef`): block number and timestamp. */
export function blockRef(blockNumber: bigint, blockTime: number | bigint): bigint {
  return (blockNumber << 64n) | BigInt(blockTime);
}

/** Which hash-chain input a ledger version uses: 1 for ledgers 1.x, 2 from 2.0.0 (block covered). */
export type ChainFormat = 1 | 2;

/** The chain format of a ledger `version()` string. */
export function chainFormatOf(version: string): ChainFormat {
  return /^1\./.test(version) ? 1 : 2;
}

/** The head after one `Traced` entry. */
export function nextHead(head: Hex, unit: Hex, entry: ChainEntry, format: ChainFormat = 2): Hex {
  if (format === 1) {
    const v1 = encodeAbiParameters(
      [{ type: "bytes16" }, { type: "bytes32" }, { type: "address" }, { type: "bytes32" }, { type: "uint256" }],
      [head, unit, entry.account, entry.data, entry.info],
    );
    return keccak256(v1).slice(0, 34) as Hex;
  }
  const encoded = encodeAbiParameters(
    [
      { type: "bytes16" },
      { type: "bytes32" },
      { type: "address" },
      { type: "bytes32" },
      { type: "uint256" },
      { type: "uint256" },
    ],
    [head, unit, entry.account, entry.data, entry.info, blockRef(entry.blockNumber, entry.blockTime)],
  );
  return keccak256(encoded).slice(0, 34) as Hex;
}

/** Recomputes a unit's head from all its entries, oldest first. */
export function replayHead(
  chainId: bigint | number,
  ledger: Address,
  unit: Hex,
  entries: ChainEntry[],
  format: ChainFormat = 2,
): Hex {
  let head = genesisHead(chainId, ledger, unit);
  for (const e of entries) head = nextHead(head, unit, e, format);
  return head;
}

/** What `correct` needs to prove who recorded entry `seq`: the head before it and the entries from it on. */
export interface CorrectionProof {
  head: Hex;
  /** The entries as the contract's `ChainEntry` struct takes them (block folded into `blockRef`). */
  entries: { account: Address; data: Hex; info: bigint; blockRef: bigint }[];
}

/**
 * The proof for correcting entry `seq` (1-based) from a unit's full history, oldest first: the ledger re-hashes
 * `entries` from `head` and must land on its stored head, so the history must be current and complete.
 */
export function correctionProof(
  chainId: bigint | number,
  ledger: Address,
  unit: Hex,
  history: ChainEntry[],
  seq: number,
): CorrectionProof {
  if (!Number.isInteger(seq) || seq < 1 || seq > history.length) {
    throw new RangeError(`Entry ${seq} is not in a history of ${history.length} entries.`);
  }
  const head = replayHead(chainId, ledger, unit, history.slice(0, seq - 1));
  const entries = history.slice(seq - 1).map((e) => ({
    account: e.account,
    data: e.data,
    info: e.info,
    blockRef: blockRef(e.blockNumber, e.blockTime),
  }));
  return { head, entries };
}
