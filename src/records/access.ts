/**
 * Who reads which record on the platform (issue 14): the one definition of the withheld records and of the
 * signed read request, shared by the server that enforces it, the verifier that does not ask for withheld
 * records, and the CLI that signs its reads. Finance documents — ORDER, PAYMENT, FX_SETTLEMENT, TAX_REFUND
 * (amounts, buyer references) — are served only to regulators, their issuer, the unit's exporter and the
 * payment institution assigned on the unit; every other record to anyone. Which records are finance
 * documents the chain says (the step of the entry anchoring the record's hash), never the record.
 * Browser-safe.
 */
import type { Hex } from "viem";
import { DOCUMENT_KIND_STEPS, ROLES, STEPS, type DocumentKindName, type RoleName } from "../codes";

/** The document kinds whose records the platform withholds from the public. */
export const WITHHELD_KINDS: readonly DocumentKindName[] = ["ORDER", "PAYMENT", "FX_SETTLEMENT", "TAX_REFUND"];

/** The steps those kinds record on a unit (`DOCUMENT_KIND_STEPS`): an entry of one anchors a withheld record. */
export const WITHHELD_STEPS: ReadonlySet<number> = new Set(WITHHELD_KINDS.map((k) => STEPS[DOCUMENT_KIND_STEPS[k]]));

/** Whether the record an entry of `step` anchors is withheld from the public. */
export function isWithheldStep(step: number): boolean {
  return WITHHELD_STEPS.has(step);
}

/** The roles that read every withheld record: the regulators of the export. */
export const RECORD_READER_ROLES: readonly RoleName[] = ["CUSTOMS", "MARKET_REGULATOR", "TAX_AUTHORITY"];

/** {@link RECORD_READER_ROLES} as a role mask. */
export const RECORD_READER_MASK = RECORD_READER_ROLES.reduce((m, r) => m | (1 << ROLES[r]), 0);

/** Request headers of a signed read: the signer's address, the signing time (Unix seconds), the signature. */
export const RECORD_READ_HEADERS = {
  account: "x-trace-account",
  signedAt: "x-trace-signed-at",
  signature: "x-trace-signature",
} as const;

/** How far a signed read's time may be from the server's clock, either way (seconds). */
export const RECORD_READ_WINDOW_SECONDS = 300;

/** What a signed read names: the record, the platform's host (`host[:port]`, lower case) and the time. */
export interface RecordReadRequest {
  hash: Hex;
  host: string;
  /** Unix seconds. */
  signedAt: number;
}

/**
 * The text a member's key signs (EIP-191 `personal_sign`) to read one record from one platform at one time:
 * a signature for another record, another platform or more than {@link RECORD_READ_WINDOW_SECONDS} away is
 * refused.
 */
export function recordReadMessage({ hash, host, signedAt }: RecordReadRequest): string {
  return [
    "cbec-trace: read a withheld record",
    `record: ${hash.toLowerCase()}`,
    `platform: ${host.toLowerCase()}`,
    `signed at: ${signedAt}`,
  ].join("\n");
}
