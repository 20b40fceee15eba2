/**
 * Computed gas limits for the ledger's batch calls whose cost is known: a transaction's limit is its
 * intrinsic gas (computed exactly from the calldata bytes, EIP-2028, with the EIP-7623 floor) plus a fixed
 * execution cost and a cost per item. The figures are the measured execution gas of the path a writer
 * takes every day (its own organization holds custody, the unit is not packed, the step leaves the status
 * as it is) plus a margin: `test/write/gasModel.test.ts` sends batches with these limits on a Hardhat chain
 * and checks every receipt's `gasUsed` stays below them, for 1 and `MAX_BATCH` items, cold units and mixed
 * steps. Paths that cost more (an assigned organization writing on a packed unit walks its parents, a
 * customs step changes customs state) are not covered by the margin: the pipeline runs each chunk as an
 * `eth_call` at the modelled limit before it takes a nonce, and a chunk that runs out of gas there gets an
 * estimate instead. A limit far above the use would cost throughput: the block builder fits transactions
 * by their limit, not their use, so the margin is kept small (`MODEL_MARGIN_PERCENT`).
 */

/** Execution gas of one call beyond its intrinsic gas: `fixed + perItem × items + perStepChange × changes`. */
export interface GasModel {
  fixed: bigint;
  perItem: bigint;
  /** Per item whose step differs from the item before it (the ledger checks a step once per run of it). */
  perStepChange: bigint;
}

/** Margin added to the measured execution gas of the figures below, in percent. */
export const MODEL_MARGIN_PERCENT = 4n;

/** Measured execution gas (receipt gas less intrinsic gas), before the margin. */
const MEASURED = {
  /**
   * `recordBatch` / `record`: custodian, unpacked unit, a step that leaves the status as it is, every unit
   * cold. 500 STORING events: 4,490,473; 500 alternating STORING / INSPECTING: 4,750,951; one `record`: 15,123.
   */
  record: { fixed: 7_000n, perItem: 8_980n, perStepChange: 520n },
  /** `registerBatch` / `register`: a code under a prefix the organization holds. 500: 13,511,798; one: 34,732. */
  register: { fixed: 9_000n, perItem: 27_050n, perStepChange: 0n },
} as const satisfies Record<string, GasModel>;

const plus = (gas: bigint) => gas + (gas * MODEL_MARGIN_PERCENT) / 100n;
const withMargin = (m: GasModel): GasModel => ({
  fixed: plus(m.fixed),
  perItem: plus(m.perItem),
  perStepChange: plus(m.perStepChange),
});

/** The modelled operations (others are estimated by the node). */
export const GAS_MODELS = {
  record: withMargin(MEASURED.record),
  register: withMargin(MEASURED.register),
} as const satisfies Record<string, GasModel>;

export type ModelledOperation = keyof typeof GAS_MODELS;

/** Base cost of every transaction. */
const TX_BASE = 21_000n;

/** Zero and non-zero bytes of `0x…` calldata (counted on the hex text, no conversion). */
export function calldataBytes(data: string): { zero: number; nonZero: number } {
  let zero = 0;
  const hex = data.startsWith("0x") ? 2 : 0;
  for (let i = hex; i + 1 < data.length; i += 2) {
    if (data.charCodeAt(i) === 48 && data.charCodeAt(i + 1) === 48) zero++;
  }
  return { zero, nonZero: (data.length - hex) / 2 - zero };
}

/**
 * The intrinsic gas of a call with `data` (no access list, not a creation): 21,000 plus 4 per zero byte and
 * 16 per non-zero byte, and the floor EIP-7623 (Prague) sets, 10 per calldata token, for chains that have it.
 */
export function intrinsicGas(data: string): { standard: bigint; floor: bigint } {
  const { zero, nonZero } = calldataBytes(data);
  const tokens = BigInt(zero + 4 * nonZero);
  return { standard: TX_BASE + 4n * tokens, floor: TX_BASE + 10n * tokens };
}

/** The gas limit the model gives a call of `items` items (`stepChanges` of them after another step). */
export function modelledGasLimit(model: GasModel, data: string, items: number, stepChanges = 0): bigint {
  const { standard, floor } = intrinsicGas(data);
  const limit = standard + model.fixed + model.perItem * BigInt(items) + model.perStepChange * BigInt(stepChanges);
  return limit > floor ? limit : floor;
}

/** Items whose step differs from the one before (the first item counts as none). */
export function stepChanges(events: ReadonlyArray<{ step: number }>): number {
  let changes = 0;
  for (let i = 1; i < events.length; i++) if (events[i].step !== events[i - 1].step) changes++;
  return changes;
}

/** The modelled gas limit of a `record` / `recordBatch` call carrying `events` as `data`. */
export function recordGasLimit(events: ReadonlyArray<{ step: number }>, data: string): bigint {
  return modelledGasLimit(GAS_MODELS.record, data, events.length, stepChanges(events));
}

/** The modelled gas limit of a `register` / `registerBatch` call carrying `count` registrations as `data`. */
export function registerGasLimit(count: number, data: string): bigint {
  return modelledGasLimit(GAS_MODELS.register, data, count);
}
