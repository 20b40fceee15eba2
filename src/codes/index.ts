/**
 * Codes shared with the contracts: roles, steps, stages, flags, dispositions and the `Traced.info`
 * layout. The tables are generated from the Solidity sources (`src/generated/codes.ts`); this module adds
 * typed helpers over them.
 */
import {
  ROLES,
  STEPS,
  STAGES,
  FLAGS,
  DISPOSITIONS,
  INFO_SHIFTS,
  LIMITS,
  CUSTOMS_DOCUMENT_KINDS,
  CUSTOMS_MODES,
  CUSTOMS_FLAGS,
} from "../generated/codes";

export {
  ROLES,
  STEPS,
  STAGES,
  FLAGS,
  DISPOSITIONS,
  INFO_SHIFTS,
  LIMITS,
  CUSTOMS_DOCUMENT_KINDS,
  CUSTOMS_MODES,
  CUSTOMS_FLAGS,
};

export type RoleName = Exclude<keyof typeof ROLES, "COUNT">;
export type StepName = Exclude<keyof typeof STEPS, "MAX">;
export type StageName = keyof typeof STAGES;
export type DispositionName = Exclude<keyof typeof DISPOSITIONS, "MAX">;
/** A customs document kind's name (`CustomsDocuments`). */
export type DocumentKindName = Exclude<keyof typeof CUSTOMS_DOCUMENT_KINDS, "MAX">;
/** A customs mode: 9610, 9710, 9810 or 1210. */
export type CustomsMode = (typeof CUSTOMS_MODES)[keyof typeof CUSTOMS_MODES];

/** Names of the customs document kinds, in code order. */
export const DOCUMENT_KIND_NAMES = (
  Object.keys(CUSTOMS_DOCUMENT_KINDS) as Array<keyof typeof CUSTOMS_DOCUMENT_KINDS>
).filter((k): k is DocumentKindName => k !== "MAX");

/** The step each customs document kind records on its unit (mirrors `CustomsDocuments.stepOf`). */
export const DOCUMENT_KIND_STEPS: Record<DocumentKindName, StepName> = {
  ORDER: "ORDER_PLACED",
  PAYMENT: "PAYMENT_RECEIVED",
  WAYBILL: "WAYBILL_ISSUED",
  BOOKING: "WAREHOUSE_BOOKED",
  DECLARATION: "CUSTOMS_DECLARED",
  SUMMARY: "SUMMARY_DECLARED",
  ZONE_ENTRY: "ENTERING_EXITING",
  FX_SETTLEMENT: "FX_SETTLED",
  TAX_REFUND: "TAX_REFUNDED",
};

/** The customs document kind of a code, or undefined. */
export function documentKindName(code: number): DocumentKindName | undefined {
  return DOCUMENT_KIND_NAMES.find((k) => CUSTOMS_DOCUMENT_KINDS[k] === code);
}

/**
 * The customs document kind whose dedicated step `step` is (only `fileDocument` records it), or undefined:
 * ENTERING_EXITING, the zone entry's step, stays recordable (a gate crossing without a document).
 */
export function dedicatedDocumentKind(step: number): DocumentKindName | undefined {
  return DOCUMENT_KIND_NAMES.find((k) => k !== "ZONE_ENTRY" && STEPS[DOCUMENT_KIND_STEPS[k]] === step);
}

/** Whether a number is a customs mode the ledger accepts. */
export function isCustomsMode(mode: number): mode is CustomsMode {
  return (Object.values(CUSTOMS_MODES) as number[]).includes(mode);
}

/** Names of the defined roles, in bit order. */
export const ROLE_NAMES = (Object.keys(ROLES) as Array<keyof typeof ROLES>).filter((k): k is RoleName => k !== "COUNT");

/** Names of the defined steps, in code order. */
export const STEP_NAMES = (Object.keys(STEPS) as Array<keyof typeof STEPS>).filter((k): k is StepName => k !== "MAX");

/** The role mask (bit i = role i) of a list of role names. */
export function roleMask(...roles: RoleName[]): number {
  return roles.reduce((mask, r) => mask | (1 << ROLES[r]), 0);
}

/** The role names in a mask. */
export function rolesOf(mask: number): RoleName[] {
  return ROLE_NAMES.filter((r) => (mask >> ROLES[r]) & 1);
}

/** The step name of a code, or undefined when the code is not defined. */
export function stepName(code: number): StepName | undefined {
  return STEP_NAMES.find((s) => STEPS[s] === code);
}

/** The stage name of a stage code. */
export function stageName(code: number): StageName | undefined {
  return (Object.keys(STAGES) as StageName[]).find((s) => STAGES[s] === code);
}

/** Decoded `Traced.info` word. */
export interface TraceInfoFields {
  step: number;
  disposition: number;
  eventTime: number;
  location: bigint;
  prevBlock: number;
  seq: number;
  org: number;
  aux: bigint;
}

const mask = (bits: number) => (1n << BigInt(bits)) - 1n;
const field = (word: bigint, shift: number, bits: number) => (word >> BigInt(shift)) & mask(bits);

/** Decodes the packed `info` word of a `Traced` log (layout: `TraceInfo.sol`). */
export function decodeInfo(info: bigint): TraceInfoFields {
  return {
    step: Number(field(info, 0, 8)),
    disposition: Number(field(info, INFO_SHIFTS.DISPOSITION_SHIFT, 8)),
    eventTime: Number(field(info, INFO_SHIFTS.EVENT_TIME_SHIFT, 40)),
    location: field(info, INFO_SHIFTS.LOCATION_SHIFT, 64),
    prevBlock: Number(field(info, INFO_SHIFTS.PREV_BLOCK_SHIFT, 32)),
    seq: Number(field(info, INFO_SHIFTS.SEQ_SHIFT, 32)),
    org: Number(field(info, INFO_SHIFTS.ORG_SHIFT, 32)),
    aux: field(info, INFO_SHIFTS.AUX_SHIFT, 40),
  };
}

/** Encodes a `Traced.info` word (the inverse of `decodeInfo`). */
export function encodeInfo(f: TraceInfoFields): bigint {
  return (
    BigInt(f.step) |
    (BigInt(f.disposition) << BigInt(INFO_SHIFTS.DISPOSITION_SHIFT)) |
    (BigInt(f.eventTime) << BigInt(INFO_SHIFTS.EVENT_TIME_SHIFT)) |
    (f.location << BigInt(INFO_SHIFTS.LOCATION_SHIFT)) |
    (BigInt(f.prevBlock) << BigInt(INFO_SHIFTS.PREV_BLOCK_SHIFT)) |
    (BigInt(f.seq) << BigInt(INFO_SHIFTS.SEQ_SHIFT)) |
    (BigInt(f.org) << BigInt(INFO_SHIFTS.ORG_SHIFT)) |
    (f.aux << BigInt(INFO_SHIFTS.AUX_SHIFT))
  );
}

/** The disposition name of a code (undefined for 0 = none and unknown codes). */
export function dispositionName(code: number): DispositionName | undefined {
  if (code === 0) return undefined;
  return (Object.keys(DISPOSITIONS) as Array<keyof typeof DISPOSITIONS>).find(
    (d): d is DispositionName => d !== "MAX" && DISPOSITIONS[d] === code,
  );
}
