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

/** One unit to register (`ITraceLedger.Registration`). */
export type RegistrationInput = Omit<TraceInput, "step" | "disposition">;

/** A (un)packing on a parent (`ITraceLedger.Aggregation`). */
export interface AggregationInput {
  parent: Hex;
  eventTime: number;
  location: bigint;
  recordHash: Hex;
}
