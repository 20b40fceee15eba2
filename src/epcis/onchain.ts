/**
 * Bridge from an EPCIS event to the contract's `TraceInput` fields (`contracts/interfaces/ITraceLedger.sol`):
 *
 *   struct TraceInput { bytes32 unit; uint8 step; uint8 disposition; uint40 eventTime; uint64 location; bytes32 recordHash; }
 *
 * Location encoding in the uint64 (0 = no location):
 *   - a GLN is its 13-digit number (always < 10^13 < 2^44);
 *   - a short code of 1–8 ASCII bytes is stored like a Solidity `bytes8`: the bytes big-endian from the top
 *     byte, zero-padded on the right, with the top bit (2^63) set. ASCII bytes are < 0x80, so the top bit is
 *     otherwise always clear and never set for a GLN: the two forms cannot be confused.
 */
import type { Hex } from "viem";
import { EpcisError, EpcisLocationError, EpcisOnchainError, quote } from "./errors";
import { recordHash } from "./hash";
import { parseDateTime } from "./time";
import type { EpcisEvent } from "./types";
import type { TraceInput } from "../write/types";
import { checkGln, checkLocationCode, locationOfUri, parseLocation, type Location } from "./location";
import { dispositionCodeOfUri, stepCodeOfUri } from "./vocabulary";

/** The `TraceInput` fields an event determines (everything but the unit key). */
export type TraceFields = Omit<TraceInput, "unit">;

/** Flag bit marking a short code in a location word. */
export const LOCATION_CODE_FLAG = 1n << 63n;

const GLN_LIMIT = 10n ** 13n;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT40_LIMIT = 2 ** 40;

/** Encodes a location (GLN string, short code string, or a parsed `Location`) as the contract's uint64. */
export function encodeLocation(location: string | Location): bigint {
  const parsed = typeof location === "string" ? parseLocation(location) : location;
  if ("gln" in parsed) {
    checkGln(parsed.gln);
    return BigInt(parsed.gln);
  }
  checkLocationCode(parsed.code);
  let word = 0n;
  for (let i = 0; i < 8; i++) {
    word = (word << 8n) | BigInt(i < parsed.code.length ? parsed.code.charCodeAt(i) : 0);
  }
  return word | LOCATION_CODE_FLAG;
}

/** A location word as text — `GLN …` or its short code — and "" for none or a word that does not decode. */
export function locationText(value: bigint | number): string {
  try {
    const l = decodeLocation(value);
    if (!l) return "";
    return "gln" in l ? `GLN ${l.gln}` : l.code;
  } catch {
    return "";
  }
}

/** Decodes a location word: `{ gln }`, `{ code }`, or `null` for 0 (no location). Refuses malformed words. */
export function decodeLocation(value: bigint | number): Location | null {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new EpcisLocationError(
        `Location word ${quote(value)} is not a safe integer: pass uint64 values as bigint (short codes exceed 2^53).`,
      );
    }
    value = BigInt(value);
  }
  if (typeof value !== "bigint" || value < 0n || value > UINT64_MAX) {
    throw new EpcisLocationError(`Location word ${quote(value)} is not a uint64.`);
  }
  if (value === 0n) return null;
  if (value < GLN_LIMIT) {
    const gln = value.toString().padStart(13, "0");
    checkGln(gln, `GLN ${value} in location word`);
    return { gln };
  }
  if ((value & LOCATION_CODE_FLAG) === 0n) {
    throw new EpcisLocationError(
      `Location word 0x${value.toString(16)} is neither a GLN (< 10^13) nor a short code (top bit set).`,
    );
  }
  const bytes: number[] = [];
  for (let i = 7; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  bytes[0] &= 0x7f;
  const end = bytes.indexOf(0);
  const used = end === -1 ? bytes : bytes.slice(0, end);
  if (used.length === 0 || bytes.slice(used.length).some((b) => b !== 0)) {
    throw new EpcisLocationError(
      `Location word 0x${value.toString(16)} is not a valid short code: the code must be 1–8 bytes followed only by zero padding.`,
    );
  }
  const code = String.fromCharCode(...used);
  try {
    checkLocationCode(code);
  } catch (e) {
    throw new EpcisLocationError(
      `Location word 0x${value.toString(16)} holds an invalid short code: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return { code };
}

/**
 * The `TraceInput` fields of an event: step and disposition codes from its vocabulary URIs, `eventTime` in
 * Unix seconds (milliseconds truncated), the location of `readPoint` (else `bizLocation`, else 0) and the
 * record hash of the event as given (pass `hash` when the caller has already computed it).
 */
export function traceFields(event: EpcisEvent, hash?: Hex): TraceFields {
  if (event === null || typeof event !== "object") {
    throw new EpcisOnchainError(`Event ${quote(event)} is not an EPCIS event object.`);
  }
  if (event.bizStep === undefined) {
    throw new EpcisOnchainError(
      `The ${event.type ?? "event"} has no bizStep: the ledger needs a step code for every entry.`,
    );
  }
  const step = wrap("bizStep", () => stepCodeOfUri(event.bizStep!));
  const disposition =
    event.disposition === undefined ? 0 : wrap("disposition", () => dispositionCodeOfUri(event.disposition!));
  const parsed = typeof event.eventTime === "string" ? parseDateTime(event.eventTime) : { problem: "is not a string" };
  if ("problem" in parsed) {
    throw new EpcisOnchainError(`eventTime ${quote(event.eventTime)} ${parsed.problem}.`);
  }
  const eventTime = Math.floor(parsed.ms / 1000);
  if (eventTime >= UINT40_LIMIT) {
    throw new EpcisOnchainError(`eventTime ${quote(event.eventTime)} does not fit the contract's uint40 seconds.`);
  }
  const where = event.readPoint?.id ?? event.bizLocation?.id;
  const location =
    where === undefined
      ? 0n
      : wrap(event.readPoint ? "readPoint.id" : "bizLocation.id", () => encodeLocation(locationOfUri(where)));
  return { step, disposition, eventTime, location, recordHash: hash ?? recordHash(event) };
}

/** The full `TraceInput` for `ledger.record(...)`: the event's fields plus the unit key (bytes32). */
export function traceInput(event: EpcisEvent, unit: Hex): TraceInput {
  if (typeof unit !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(unit) || /^0x0{64}$/.test(unit)) {
    throw new EpcisOnchainError(
      `Unit key ${quote(unit)} is not a non-zero bytes32: derive it with unitKeyOfPath(itemPath(...)) from src/gs1/key.ts.`,
    );
  }
  return { unit, ...traceFields(event) };
}

function wrap<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof EpcisError) throw new EpcisOnchainError(`${field}: ${e.message}`, { cause: e });
    throw e;
  }
}
