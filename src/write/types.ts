/**
 * Inputs of the write path, mirroring the contract's structs (`contracts/interfaces/ITraceLedger.sol`); the
 * one TypeScript name for each (typechain's `…Struct` types accept them).
 */
import type { Hex } from "viem";

/** One event (`ITraceLedger.TraceInput`). */
export interface TraceInput {
  unit: Hex;
  /** Step code (`STEPS`). */
  step: number;
  /** Disposition code (`DISPOSITIONS`), 0 for none. */
  disposition: number;
  /** Unix seconds (uint40). */
  eventTime: number;
  /** uint64: GLN or flagged short code, 0 for none (see `encodeLocation`). */
  location: bigint;
  /** SHA-256 of the off-chain record (`recordHash`). */
  recordHash: Hex;
}

/**
 * One unit to register, by its code: the writer sends the path's bytes and finds the prefix length on the
 * ledger (`ITraceLedger.Registration`); the ledger derives the key, `unitKeyOfPath(path)`.
 */
export interface RegistrationInput {
  /** The unit's canonical Digital Link path, `Gs1Identity.canonicalPath` (e.g. `/01/09521234543213/21/1`). */
  path: string;
  /** Unix seconds (uint40). */
  eventTime: number;
  /** uint64: GLN or flagged short code, 0 for none (see `encodeLocation`). */
  location: bigint;
  /** SHA-256 of the commissioning record (`recordHash`). */
  recordHash: Hex;
}

/** A (un)packing on a parent (`ITraceLedger.Aggregation`). */
export interface AggregationInput {
  parent: Hex;
  eventTime: number;
  location: bigint;
  recordHash: Hex;
}
