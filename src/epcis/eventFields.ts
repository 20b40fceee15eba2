/**
 * Input normalization for the event builders (`events.ts`): times, vocabulary, locations, documents,
 * sources/destinations, lot master data and extension fields, each validated with an `EpcisEventError`
 * naming the input field.
 */
import { EpcisEventError, quote, rethrowAt } from "./errors";
import type { BizTransactionInput, EventInputBase, Extensions, IlmdInput, SourceDestInput } from "./eventInputs";
import { canonicalJson } from "./hash";
import { locationUri } from "./location";
import { isCalendarDate, isoMillis, inRange, parseDateTime, parseOffset } from "./time";
import type { BizTransaction, DestinationEntry, EpcisEventBase, JsonValue, SourceEntry } from "./types";
import { checkDistinctUris, checkUri, isAbsoluteUri, type UriRefusal } from "./uri";
import {
  bizTransactionTypeUri,
  bizTransactionUri,
  dispositionUri,
  partyUri,
  sourceDestTypeUri,
  stepUri,
} from "./vocabulary";

/** Default `eventTimeZoneOffset`: China Standard Time. */
export const DEFAULT_TIME_ZONE_OFFSET = "+08:00";

const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;
const EXTENSION_KEY = /^[A-Za-z][A-Za-z0-9._-]*:\S+$/;
const DL_EXAMPLE = "https://id.gs1.org/01/09521234543213/10/ABC123/21/12345";

/**
 * `eventTime` (UTC, milliseconds) and `eventTimeZoneOffset` of a builder input: the offset given, else the one
 * written in the `eventTime` string (an arrival in Hamburg at `…T09:00:00+01:00` is local time +01:00), else
 * +08:00 (a `Date`, or a time without an offset).
 */
export function timeFields(input: EventInputBase): { eventTime: string; eventTimeZoneOffset: string } {
  // The time first: a written offset out of range is the time's problem, named as such.
  const eventTime = eventTimeOf(input.eventTime, "eventTime");
  const offset = input.eventTimeZoneOffset ?? writtenOffset(input.eventTime) ?? DEFAULT_TIME_ZONE_OFFSET;
  if (typeof offset !== "string" || typeof parseOffset(offset) !== "number") {
    const problem =
      typeof offset === "string" ? (parseOffset(offset) as { problem: string }).problem : "is not a string";
    throw new EpcisEventError("eventTimeZoneOffset", `eventTimeZoneOffset ${quote(offset)} ${problem}.`);
  }
  return { eventTime, eventTimeZoneOffset: offset };
}

/** The UTC offset an ISO 8601 time string ends with (`Z` is +00:00), or undefined. */
function writtenOffset(time: unknown): string | undefined {
  if (typeof time !== "string") return undefined;
  const m = /(?:T[\d:.]+)(Z|[+-]\d{2}:\d{2})$/i.exec(time.trim());
  if (!m) return undefined;
  return m[1].toUpperCase() === "Z" ? "+00:00" : m[1];
}

/** Normalizes a builder time input to UTC ISO 8601 with milliseconds. */
export function eventTimeOf(time: string | Date | undefined, field: string): string {
  if (time === undefined || time === null) {
    throw new EpcisEventError(field, `${field} is missing: give an ISO 8601 time with offset or a Date.`);
  }
  if (time instanceof Date) {
    if (!inRange(time.getTime())) {
      throw new EpcisEventError(field, `${field} is an invalid or out-of-range Date (${String(time)}).`);
    }
    return isoMillis(time.getTime());
  }
  if (typeof time !== "string") {
    throw new EpcisEventError(field, `${field} ${quote(time)} is neither an ISO 8601 string nor a Date.`);
  }
  const parsed = parseDateTime(time);
  if ("problem" in parsed) throw new EpcisEventError(field, `${field} ${quote(time)} ${parsed.problem}.`);
  if (parsed.fractionDigits > 3) {
    throw new EpcisEventError(
      field,
      `${field} ${quote(time)} has sub-millisecond precision, which EPCIS events here do not keep: round it to milliseconds.`,
    );
  }
  return isoMillis(parsed.ms);
}

type WhyWhere = Pick<
  EpcisEventBase,
  "bizStep" | "disposition" | "readPoint" | "bizLocation" | "bizTransactionList" | "sourceList" | "destinationList"
>;

/** `bizStep`, `disposition`, `readPoint`, `bizLocation`, `bizTransactionList`, `sourceList`, `destinationList`. */
export function whyWhereFields(input: EventInputBase, step: number): WhyWhere {
  const fields: WhyWhere = { bizStep: stepUri(step) };
  if (input.disposition !== undefined) {
    fields.disposition = rethrowAt(EpcisEventError, "disposition", () => dispositionUri(input.disposition!));
  }
  if (input.location !== undefined)
    fields.readPoint = { id: rethrowAt(EpcisEventError, "location", () => locationUri(input.location!)) };
  if (input.bizLocation !== undefined) {
    fields.bizLocation = { id: rethrowAt(EpcisEventError, "bizLocation", () => locationUri(input.bizLocation!)) };
  }
  if (input.bizTransactions !== undefined) fields.bizTransactionList = bizTransactions(input.bizTransactions);
  if (input.sources !== undefined) {
    fields.sourceList = sourceDest(input.sources, "sources").map(([type, id]): SourceEntry => ({ type, source: id }));
  }
  if (input.destinations !== undefined) {
    fields.destinationList = sourceDest(input.destinations, "destinations").map(([type, id]): DestinationEntry => ({
      type,
      destination: id,
    }));
  }
  return fields;
}

/** `bizTransactionList` entries: type URI plus the document URI (given, or built from number and issuer). */
function bizTransactions(list: BizTransactionInput[]): BizTransaction[] {
  nonEmptyArray(list, "bizTransactions", '[{ type: "inventory", number: "<invtNo>" }]');
  const out = list.map((bt, i): BizTransaction => {
    const field = `bizTransactions[${i}]`;
    if (bt === null || typeof bt !== "object") {
      throw new EpcisEventError(field, `${field} ${quote(bt)} is not an object { type, number } or { type, uri }.`);
    }
    const type = rethrowAt(EpcisEventError, `${field}.type`, () => bizTransactionTypeUri(bt.type));
    if ("uri" in bt && bt.uri !== undefined) {
      if ("number" in bt) {
        throw new EpcisEventError(field, `${field} has both uri and number: give one of them.`);
      }
      return { type, bizTransaction: requireUri(bt.uri, `${field}.uri`) };
    }
    if ("number" in bt && bt.number !== undefined) {
      return {
        type,
        bizTransaction: rethrowAt(EpcisEventError, `${field}.number`, () =>
          bizTransactionUri(bt.type, bt.number, bt.issuer),
        ),
      };
    }
    throw new EpcisEventError(field, `${field} has neither number nor uri: give the document number or its URI.`);
  });
  const seen = new Set<string>();
  out.forEach((bt, i) => {
    const key = `${bt.type} ${bt.bizTransaction}`;
    if (seen.has(key)) {
      throw new EpcisEventError(
        `bizTransactions[${i}]`,
        `bizTransactions[${i}] repeats ${quote(bt.bizTransaction)}: list each document once.`,
      );
    }
    seen.add(key);
  });
  return out;
}

/** `[typeUri, id]` pairs of sources or destinations. */
function sourceDest(list: SourceDestInput[], field: string): Array<[string, string]> {
  nonEmptyArray(list, field, '[{ type: "owning_party", id: "<party GLN>" }]');
  return list.map((entry, i) => {
    const f = `${field}[${i}]`;
    if (entry === null || typeof entry !== "object") {
      throw new EpcisEventError(f, `${f} ${quote(entry)} is not an object { type, id }.`);
    }
    const type = rethrowAt(EpcisEventError, `${f}.type`, () => sourceDestTypeUri(entry.type));
    const id = rethrowAt(EpcisEventError, `${f}.id`, () => {
      if (entry.type === "location") return isAbsoluteUri(entry.id) ? entry.id : locationUri(entry.id);
      return partyUri(entry.id);
    });
    return [type, id];
  });
}

/** The `ilmd` object: lot, production and expiry dates, country of origin as `cbvmda:` attributes. */
export function ilmdFields(input: IlmdInput): { [key: string]: JsonValue } {
  if (input === null || typeof input !== "object") {
    throw new EpcisEventError("ilmd", `ilmd ${quote(input)} is not an object { lot, productionDate, expiryDate }.`);
  }
  const out: { [key: string]: JsonValue } = {};
  if (input.lot !== undefined) {
    if (typeof input.lot !== "string" || !CSET82.test(input.lot)) {
      throw new EpcisEventError(
        "ilmd.lot",
        `ilmd.lot ${quote(input.lot)} must be 1–20 characters of GS1 character set 82 (as in AI 10).`,
      );
    }
    out["cbvmda:lotNumber"] = input.lot;
  }
  for (const [key, target] of [
    ["productionDate", "cbvmda:productionDate"],
    ["expiryDate", "cbvmda:itemExpirationDate"],
  ] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || !isCalendarDate(value)) {
      throw new EpcisEventError(
        `ilmd.${key}`,
        `ilmd.${key} ${quote(value)} is not a calendar date YYYY-MM-DD (convert a GS1 YYMMDD value first).`,
      );
    }
    out[target] = value;
  }
  if (input.productionDate !== undefined && input.expiryDate !== undefined && input.expiryDate < input.productionDate) {
    throw new EpcisEventError(
      "ilmd.expiryDate",
      `ilmd.expiryDate ${quote(input.expiryDate)} is before productionDate ${quote(input.productionDate)}.`,
    );
  }
  if (input.countryOfOrigin !== undefined) {
    if (typeof input.countryOfOrigin !== "string" || !/^[A-Z]{2}$/.test(input.countryOfOrigin)) {
      throw new EpcisEventError(
        "ilmd.countryOfOrigin",
        `ilmd.countryOfOrigin ${quote(input.countryOfOrigin)} must be an ISO 3166-1 alpha-2 code in capitals, e.g. "CN".`,
      );
    }
    out["cbvmda:countryOfOrigin"] = input.countryOfOrigin;
  }
  if (Object.keys(out).length === 0) {
    throw new EpcisEventError(
      "ilmd",
      "ilmd is empty: give lot, productionDate, expiryDate or countryOfOrigin, or leave ilmd out.",
    );
  }
  return out;
}

/** Copies namespaced, JSON-only extension fields onto the event. */
export function withExtensions<T extends EpcisEventBase>(event: T, extensions: Extensions | undefined): T {
  if (extensions === undefined) return event;
  if (extensions === null || typeof extensions !== "object" || Array.isArray(extensions)) {
    throw new EpcisEventError("extensions", `extensions ${quote(extensions)} is not an object of namespaced fields.`);
  }
  for (const [key, value] of Object.entries(extensions)) {
    if (!EXTENSION_KEY.test(key)) {
      throw new EpcisEventError(
        `extensions.${key}`,
        `Extension field ${quote(key)} is not namespaced: write it as "prefix:name", e.g. "cbectrace:returnStatus".`,
      );
    }
    if (value === undefined) continue;
    rethrowAt(EpcisEventError, `extensions.${key}`, () => canonicalJson(value, `extensions.${key}`));
    (event as Record<string, unknown>)[key] = value;
  }
  return event;
}

/** URI refusals of the event builders. */
const EVENT_URI_REFUSAL: UriRefusal = {
  error: (field, message) => new EpcisEventError(field, message),
  notAUri: `is not an absolute URI: use a GS1 Digital Link URI such as "${DL_EXAMPLE}" or an EPC URN`,
  twice: "is listed twice: list each object once",
};

/** The value, if it is an absolute URI. */
export function requireUri(value: unknown, field: string): string {
  return checkUri(value, field, EVENT_URI_REFUSAL);
}

/** Asserts a non-empty array. */
function nonEmptyArray(list: unknown, field: string, example: string): void {
  if (!Array.isArray(list) || list.length === 0) {
    throw new EpcisEventError(field, `${field} is ${quote(list)}: it must be a non-empty array, e.g. ${example}.`);
  }
}

/** A non-empty list of distinct absolute URIs (EPCs). */
export function uriList(list: unknown, field: string): string[] {
  nonEmptyArray(list, field, `["${DL_EXAMPLE}"]`);
  return checkDistinctUris(list as unknown[], field, EVENT_URI_REFUSAL);
}
