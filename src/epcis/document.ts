/**
 * EPCIS 2.0 documents: export built events as one `EPCISDocument`, and validate events (or documents) that
 * come in from JSON files before they are hashed and recorded.
 */
import { EpcisHashError, EpcisParseError, quote, rethrowAt } from "./errors";
import { eventTimeOf } from "./eventFields";
import { canonicalJson } from "./hash";
import { parseDateTime, parseOffset } from "./time";
import { checkDistinctUris, checkUri, isAbsoluteUri, type UriRefusal } from "./uri";
import type { Action, EpcisEvent, EpcisEventType, JsonValue } from "./types";
import {
  bizTransactionTypeName,
  CBEC_TRACE_NAMESPACE,
  CBV_SDT_PREFIX,
  dispositionCodeOfUri,
  partyUri,
  SOURCE_DEST_TYPES,
  stepCodeOfUri,
} from "./vocabulary";

/** The standard EPCIS 2.0 JSON-LD context. */
export const EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";

/** The document `@context`: the EPCIS context plus the `cbectrace:` prefix for this project's terms. */
export const EPCIS_DOCUMENT_CONTEXT: readonly JsonValue[] = [EPCIS_CONTEXT_URL, { cbectrace: CBEC_TRACE_NAMESPACE }];

/** An EPCIS 2.0 document. */
export interface EpcisDocument {
  "@context": JsonValue[];
  type: "EPCISDocument";
  schemaVersion: "2.0";
  creationDate: string;
  sender?: string;
  receiver?: string;
  epcisBody: { eventList: EpcisEvent[] };
}

/** Options of `epcisDocument`. */
export interface EpcisDocumentOptions {
  /** When the document was created: a `Date` or an ISO 8601 string with offset. */
  creationDate: string | Date;
  /** The sending party: a party GLN (→ `https://id.gs1.org/417/<GLN>`) or a URI. */
  sender?: string;
  /** The receiving party, same forms as `sender`. */
  receiver?: string;
}

/**
 * Wraps events in an EPCIS 2.0 document. Every event is validated with `parseEpcisEvent`; events are sorted
 * by `eventTime` (the instant, so offsets do not matter; ties keep their order); an event's own `@context`
 * is removed and its extra entries are merged into the document context.
 */
export function epcisDocument(events: readonly EpcisEvent[], options: EpcisDocumentOptions): EpcisDocument {
  if (!Array.isArray(events)) {
    throw new EpcisParseError("events", `events ${quote(events)} is not an array of EPCIS events.`);
  }
  if (options === null || typeof options !== "object") {
    throw new EpcisParseError("options", `options ${quote(options)} is not an object { creationDate, sender? }.`);
  }
  const context: JsonValue[] = EPCIS_DOCUMENT_CONTEXT.map((c) => structuredCopy(c));
  const parsed = events.map((e, i) => {
    const event = parseEvent(e, `events[${i}]`);
    if (event["@context"] !== undefined) mergeContext(context, event["@context"], `events[${i}].@context`);
    delete event["@context"];
    return { event, ms: (parseDateTime(event.eventTime) as { ms: number }).ms, i };
  });
  parsed.sort((a, b) => a.ms - b.ms || a.i - b.i);
  return {
    "@context": context,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: eventTimeOf(options.creationDate, "creationDate"),
    ...(options.sender !== undefined
      ? { sender: rethrowAt(EpcisParseError, "sender", () => partyUri(options.sender!)) }
      : {}),
    ...(options.receiver !== undefined
      ? { receiver: rethrowAt(EpcisParseError, "receiver", () => partyUri(options.receiver!)) }
      : {}),
    epcisBody: { eventList: parsed.map((p) => p.event) },
  };
}

/**
 * Validates an incoming EPCIS 2.0 event (an object, or JSON text) and returns a typed copy. Refuses event
 * types cbec-trace does not record, missing or malformed required fields, unknown steps and dispositions,
 * unknown non-namespaced fields and anything that is not plain JSON. Vocabulary values may use any standard
 * spelling (full URI, compact CBV term, CURIE, EPCIS 1.x URN); they are kept as written, because the record
 * hash covers the event exactly as received.
 */
export function parseEpcisEvent(json: unknown): EpcisEvent {
  return parseEvent(typeof json === "string" ? parseJsonText(json) : json, "$");
}

/** Validates an incoming EPCIS 2.0 document (object or JSON text) and every event in it. */
export function parseEpcisDocument(json: unknown): EpcisDocument {
  const doc = typeof json === "string" ? parseJsonText(json) : json;
  const obj = requireObject(doc, "$", "an EPCIS document");
  if (obj.type !== "EPCISDocument") {
    throw new EpcisParseError("$.type", `Document type ${quote(obj.type)} is not "EPCISDocument".`);
  }
  if (obj.schemaVersion !== "2.0") {
    throw new EpcisParseError(
      "$.schemaVersion",
      `schemaVersion ${quote(obj.schemaVersion)} is not "2.0": only EPCIS 2.0 JSON documents are accepted.`,
    );
  }
  if (obj["@context"] === undefined) {
    throw new EpcisParseError("$.@context", `The document has no @context: EPCIS 2.0 JSON-LD requires one.`);
  }
  requireTime(obj.creationDate, "$.creationDate");
  const body = requireObject(obj.epcisBody, "$.epcisBody", "an object { eventList }");
  if (!Array.isArray(body.eventList)) {
    throw new EpcisParseError("$.epcisBody.eventList", `epcisBody.eventList ${quote(body.eventList)} is not an array.`);
  }
  checkHashable(doc, "$");
  const copy = JSON.parse(JSON.stringify(doc)) as EpcisDocument;
  copy["@context"] = Array.isArray(copy["@context"]) ? copy["@context"] : [copy["@context"]];
  copy.epcisBody.eventList = body.eventList.map((e, i) => parseEvent(e, `$.epcisBody.eventList[${i}]`));
  return copy;
}

// ---------------------------------------------------------------------------------------------------------
// Event validation
// ---------------------------------------------------------------------------------------------------------

const SUPPORTED: readonly EpcisEventType[] = ["ObjectEvent", "AggregationEvent", "TransactionEvent"];
const ACTIONS: readonly Action[] = ["ADD", "OBSERVE", "DELETE"];

const COMMON_FIELDS = [
  "@context", "type", "eventID", "eventTime", "eventTimeZoneOffset", "recordTime", "errorDeclaration",
  "certificationInfo", "action", "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation",
  "bizTransactionList", "sourceList", "destinationList", "sensorElementList",
]; // prettier-ignore

const TYPE_FIELDS: Record<EpcisEventType, readonly string[]> = {
  ObjectEvent: ["epcList", "quantityList", "ilmd"],
  AggregationEvent: ["parentID", "childEPCs", "childQuantityList"],
  TransactionEvent: ["parentID", "epcList", "quantityList"],
};

function parseEvent(value: unknown, path: string): EpcisEvent {
  const event = requireObject(value, path, "an EPCIS event object");
  const type = event.type;
  if (type === undefined) {
    const isA = event.isA !== undefined ? ` It has "isA": ${quote(event.isA)}; EPCIS 2.0 names the type "type".` : "";
    throw new EpcisParseError(`${path}.type`, `The event has no "type" field.${isA}`);
  }
  if (!SUPPORTED.includes(type as EpcisEventType)) {
    const known = type === "TransformationEvent" || type === "AssociationEvent";
    throw new EpcisParseError(
      `${path}.type`,
      `Event type ${quote(type)} ${known ? "is valid EPCIS but not recorded by cbec-trace" : "is not an EPCIS 2.0 event type"}` +
        `: use one of ${SUPPORTED.join(", ")}.`,
    );
  }
  const t = type as EpcisEventType;
  const allowed = new Set([...COMMON_FIELDS, ...TYPE_FIELDS[t]]);
  for (const key of Object.keys(event)) {
    if (!allowed.has(key) && !key.includes(":")) {
      throw new EpcisParseError(
        `${path}.${key}`,
        `Field ${quote(key)} is not a ${t} field: EPCIS allows only its standard fields and namespaced extensions ` +
          `("prefix:name"). Check the spelling.`,
      );
    }
  }

  requireTime(event.eventTime, `${path}.eventTime`);
  if (typeof event.eventTimeZoneOffset !== "string" || typeof parseOffset(event.eventTimeZoneOffset) !== "number") {
    throw new EpcisParseError(
      `${path}.eventTimeZoneOffset`,
      `eventTimeZoneOffset ${quote(event.eventTimeZoneOffset)} is missing or not of the form "+08:00".`,
    );
  }
  if (event.recordTime !== undefined) requireTime(event.recordTime, `${path}.recordTime`);
  if (event.eventID !== undefined) requireUri(event.eventID, `${path}.eventID`);
  if (!ACTIONS.includes(event.action as Action)) {
    throw new EpcisParseError(
      `${path}.action`,
      `action ${quote(event.action)} is missing or invalid: use "ADD", "OBSERVE" or "DELETE".`,
    );
  }
  if (event.bizStep === undefined) {
    throw new EpcisParseError(
      `${path}.bizStep`,
      "The event has no bizStep: the ledger records a step code for every entry, so give one.",
    );
  }
  rethrowAt(EpcisParseError, `${path}.bizStep`, () => stepCodeOfUri(event.bizStep as string));
  if (event.disposition !== undefined) {
    rethrowAt(EpcisParseError, `${path}.disposition`, () => dispositionCodeOfUri(event.disposition as string));
  }
  for (const key of ["readPoint", "bizLocation"]) {
    if (event[key] === undefined) continue;
    const loc = requireObject(event[key], `${path}.${key}`, 'an object { "id": "<location URI>" }');
    requireUri(loc.id, `${path}.${key}.id`);
  }
  if (event.bizTransactionList !== undefined) {
    requireArray(event.bizTransactionList, `${path}.bizTransactionList`, t === "TransactionEvent").forEach((bt, i) => {
      const p = `${path}.bizTransactionList[${i}]`;
      const o = requireObject(bt, p, 'an object { "type", "bizTransaction" }');
      requireUri(o.bizTransaction, `${p}.bizTransaction`);
      if (o.type !== undefined && !isAbsoluteUri(o.type))
        rethrowAt(EpcisParseError, `${p}.type`, () => bizTransactionTypeName(o.type as string));
    });
  } else if (t === "TransactionEvent") {
    throw new EpcisParseError(
      `${path}.bizTransactionList`,
      "A TransactionEvent needs a non-empty bizTransactionList: it links objects to business documents.",
    );
  }
  for (const [list, key] of [
    ["sourceList", "source"],
    ["destinationList", "destination"],
  ] as const) {
    if (event[list] === undefined) continue;
    requireArray(event[list], `${path}.${list}`, false).forEach((entry, i) => {
      const p = `${path}.${list}[${i}]`;
      const o = requireObject(entry, p, `an object { "type", "${key}" }`);
      requireUri(o[key], `${p}.${key}`);
      if (!isSourceDestType(o.type)) {
        throw new EpcisParseError(
          `${p}.type`,
          `${list} type ${quote(o.type)} is neither a CBV source/destination type (${SOURCE_DEST_TYPES.join(", ")}) nor a URI.`,
        );
      }
    });
  }

  if (t === "ObjectEvent") {
    uriList(event.epcList, `${path}.epcList`, true);
    if (event.ilmd !== undefined) {
      requireObject(event.ilmd, `${path}.ilmd`, "an object of master data attributes");
      if (event.action !== "ADD") {
        throw new EpcisParseError(
          `${path}.ilmd`,
          `ilmd is only allowed with action ADD; this event's action is ${event.action}.`,
        );
      }
    }
  } else if (t === "AggregationEvent") {
    if (event.parentID === undefined) {
      throw new EpcisParseError(
        `${path}.parentID`,
        "The AggregationEvent has no parentID: name the carton, pallet or consignment.",
      );
    }
    requireUri(event.parentID, `${path}.parentID`);
    uriList(event.childEPCs, `${path}.childEPCs`, true);
  } else {
    if (event.parentID !== undefined) requireUri(event.parentID, `${path}.parentID`);
    if (event.epcList !== undefined) uriList(event.epcList, `${path}.epcList`, false);
    if (event.parentID === undefined && !(Array.isArray(event.epcList) && event.epcList.length > 0)) {
      throw new EpcisParseError(
        `${path}.epcList`,
        "The TransactionEvent names no objects: give a non-empty epcList, a parentID or both.",
      );
    }
  }
  checkHashable(event, path);
  return JSON.parse(JSON.stringify(event)) as EpcisEvent;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new EpcisParseError("$", `The input is not valid JSON (${(e as Error).message}): check the file.`, {
      cause: e,
    });
  }
}

function requireObject(value: unknown, path: string, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new EpcisParseError(path, `${path} ${quote(value)} is not ${what}.`);
  }
  return value as Record<string, unknown>;
}

function requireArray(value: unknown, path: string, nonEmpty: boolean): unknown[] {
  if (!Array.isArray(value) || (nonEmpty && value.length === 0)) {
    throw new EpcisParseError(path, `${path} ${quote(value)} is not ${nonEmpty ? "a non-empty" : "an"} array.`);
  }
  return value;
}

/** URI refusals of the parser. */
const PARSE_URI_REFUSAL: UriRefusal = {
  error: (path, message) => new EpcisParseError(path, message),
  notAUri: "is missing or not an absolute URI",
  twice: "is listed twice",
};

function requireUri(value: unknown, path: string): void {
  checkUri(value, path, PARSE_URI_REFUSAL);
}

function uriList(value: unknown, path: string, nonEmpty: boolean): void {
  checkDistinctUris(requireArray(value, path, nonEmpty), path, PARSE_URI_REFUSAL);
}

function requireTime(value: unknown, path: string): void {
  if (typeof value !== "string") {
    throw new EpcisParseError(path, `${path} ${quote(value)} is missing or not an ISO 8601 string.`);
  }
  const parsed = parseDateTime(value);
  if ("problem" in parsed) throw new EpcisParseError(path, `${path} ${quote(value)} ${parsed.problem}.`);
}

function isSourceDestType(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const name = ["cbv:SDT-", "urn:epcglobal:cbv:sdt:", CBV_SDT_PREFIX].reduce(
    (v, p) => (v.startsWith(p) ? v.slice(p.length) : v),
    value,
  );
  return (SOURCE_DEST_TYPES as readonly string[]).includes(name) || isAbsoluteUri(value);
}

function checkHashable(value: unknown, path: string): void {
  try {
    canonicalJson(value, path);
  } catch (e) {
    if (e instanceof EpcisHashError) throw new EpcisParseError(e.path, e.message, { cause: e });
    throw e;
  }
}

function structuredCopy<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Adds an event's context entries to the document context, refusing a prefix bound to two different IRIs. */
function mergeContext(context: JsonValue[], extra: JsonValue, path: string): void {
  const present = new Set(context.map((c) => canonicalJson(c)));
  const bound = new Map<string, string>();
  for (const c of context) {
    if (c !== null && typeof c === "object" && !Array.isArray(c)) {
      for (const [k, v] of Object.entries(c)) bound.set(k, canonicalJson(v));
    }
  }
  for (const entry of Array.isArray(extra) ? extra : [extra]) {
    if (typeof entry === "string" && entry === EPCIS_CONTEXT_URL) continue;
    if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) {
      for (const [k, v] of Object.entries(entry)) {
        const prior = bound.get(k);
        if (prior !== undefined && prior !== canonicalJson(v)) {
          throw new EpcisParseError(
            path,
            `${path} binds ${quote(k)} to ${canonicalJson(v)}, but the document already binds it to ${prior}: ` +
              `rename the prefix in one of the events.`,
          );
        }
        bound.set(k, canonicalJson(v));
      }
    }
    const key = canonicalJson(entry);
    if (!present.has(key)) {
      present.add(key);
      context.push(entry);
    }
  }
}
