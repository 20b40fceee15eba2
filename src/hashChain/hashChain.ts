/**
 * The per-unit hash chain, exactly as `TraceInfo.sol` computes it:
 *   genesis = bytes16(keccak256(abi.encode(chainId, ledger, unit)))
 *   next    = bytes16(keccak256(abi.encode(head, unit, account, data, info)))
 * A verifier recomputes the head from the `Traced` logs and compares it with `unitState(unit).head`.
 */
import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

/** The first head of a unit's chain on a given chain and ledger. */
export function genesisHead(chainId: bigint | number, ledger: Address, unit: Hex): Hex {
  const encoded = encodeAbiParameters(
    [{ type: "uint256" }, { type: "address" }, { type: "bytes32" }],
    [BigInt(chainId), ledger, unit],
  );
  return keccak256(encoded).slice(0, 34) as Hex;
}

/** The head after one `Traced` entry. */
export function nextHead(head: Hex, unit: Hex, account: Address, data: Hex, info: bigint): Hex {
  const encoded = encodeAbiParameters(
    [{ type: "bytes16" }, { type: "bytes32" }, { type: "address" }, { type: "bytes32" }, { type: "uint256" }],
    [head, unit, account, data, info],
  );
  return keccak256(encoded).slice(0, 34) as Hex;
}

/** One `Traced` entry as the chain needs it. */
export interface ChainEntry {
  account: Address;
  data: Hex;
  info: bigint;
}

/** Recomputes a unit's head from all its entries, oldest first. */
export function replayHead(chainId: bigint | number, ledger: Address, unit: Hex, entries: ChainEntry[]): Hex {
  let head = genesisHead(chainId, ledger, unit);
  for (const e of entries) head = nextHead(head, unit, e.account, e.data, e.info);
  return head;
}

/** What `correct` needs to prove who recorded entry `seq`: the head before it and the entries from it on. */
export interface CorrectionProof {
  head: Hex;
  entries: ChainEntry[];
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
  const entries = history.slice(seq - 1).map(({ account, data, info }) => ({ account, data, info }));
  return { head, entries };
}
