/**
 * The per-unit hash chain, exactly as `TraceInfo.sol` computes it:
 *   genesis = bytes16(keccak256(abi.encode(chainId, ledger, unit)))
 *   next    = bytes16(keccak256(abi.encode(head, unit, account, data, info, blockNumber << 64 | blockTime)))
 * A verifier recomputes the head from the `Traced` logs and the headers of their blocks, and compares it
 * with `unitState(unit).head`: an endpoint that moves an entry to another block or time breaks the head.
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

/** The head after one `Traced` entry. */
export function nextHead(head: Hex, unit: Hex, entry: ChainEntry): Hex {
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
export function replayHead(chainId: bigint | number, ledger: Address, unit: Hex, entries: ChainEntry[]): Hex {
  let head = genesisHead(chainId, ledger, unit);
  for (const e of entries) head = nextHead(head, unit, e);
  return head;
}
