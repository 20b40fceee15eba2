/** Inputs of the write path, mirroring the contract's structs (`ITraceLedger`). */

/** One event (`ITraceLedger.TraceInput`). */
export interface TraceEventInput {
  unit: string;
  step: number;
  disposition: number;
  eventTime: number;
  location: bigint;
  recordHash: string;
}

/** One unit to register (`ITraceLedger.Registration`). */
export interface RegistrationInput {
  unit: string;
  eventTime: number;
  location: bigint;
  recordHash: string;
}

/** A (un)packing on a parent (`ITraceLedger.Aggregation`). */
export interface AggregationInput {
  parent: string;
  eventTime: number;
  location: bigint;
  recordHash: string;
}
