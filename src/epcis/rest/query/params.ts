/**
 * The EPCIS 2.0 query parameters this interface implements, parsed into a repository filter — one parser for
 * `GET /events?…` (pipe-separated alternatives) and for a named query's JSON definition (arrays), so both
 * refuse the same values the same way: an unknown parameter or a bad value is a QueryParameterException
 * naming it (400), a parameter of the bindings we do not implement is a 501. Node-only (the errors).
 */
import { EpcisRestError } from "../problem";
import { parseDateTime } from "../../time";
import { isAbsoluteUri } from "../../uri";
import { epcKey, epcMatch, vocabKey, type EpcField, type EventFilter, type EventOrder } from "../../repository";

/** Events on a page when `perPage` is absent (the bindings' default). */
export const DEFAULT_PER_PAGE = 30;
/** Most events on a page; a larger `perPage` is refused with 413 QueryTooLargeException. */
export const MAX_PER_PAGE = 500;
/** Most alternatives in one parameter (`a|b|…`) and most parameters in one query: bounded work per query. */
export const MAX_VALUES = 100;

/** The event types of EPCIS 2.0 (the repository holds the first three). */
export const EVENT_TYPES = [
  "ObjectEvent",
  "AggregationEvent",
  "TransactionEvent",
  "TransformationEvent",
  "AssociationEvent",
] as const;

/** A query: the repository filter, the order and the result limits it asks for. */
export interface ParsedQuery {
  filter: EventFilter;
  order: EventOrder;
  /** `eventCountLimit`: events at most in the whole result (over all pages). */
  eventCountLimit?: number;
  /** `maxEventCount`: a result with more events is refused (413). */
  maxEventCount?: number;
}

const MATCH_FIELDS: Record<string, EpcField[]> = {
  MATCH_epc: ["epc"],
  MATCH_parentID: ["parent"],
  MATCH_inputEPC: ["input"],
  MATCH_outputEPC: ["output"],
  MATCH_anyEPC: ["epc", "parent", "input", "output"],
  MATCH_epcClass: ["class"],
  MATCH_inputEPCClass: ["inclass"],
  MATCH_outputEPCClass: ["outclass"],
  MATCH_anyEPCClass: ["class", "inclass", "outclass"],
};

/** Parameters of the bindings this implementation does not offer (501, not a silent 200). */
const NOT_IMPLEMENTED =
  /^(EQ_persistentDisposition_(set|unset)|WD_readPoint|WD_bizLocation|EQ_transformationID|(EQ|GT|GE|LT|LE)_quantity|EXISTS_errorDeclaration|(GE|LT)_errorDeclarationTime|EQ_errorReason|EQ_correctiveEventID|(GE|LT)_(startTime|endTime)|EQ_(type|deviceID|dataProcessingMethod|microorganism|chemicalSubstance|bizRules|stringValue|hexBinaryValue|uriValue|booleanValue)|(EQ|GT|GE|LT|LE|EXISTS|HASATTR|EQATTR)_.+|(EQ|GT|GE|LT|LE)_(value|minValue|maxValue|meanValue|sDev|percRank|percValue)|EQ_INNER_.+|EXISTS_INNER_.+)$/;

const bad = (name: string, detail: string) => new EpcisRestError("QueryParameterException", `${name}: ${detail}`);

const single = (name: string, values: string[]): string => {
  if (values.length !== 1) throw bad(name, "takes one value, not a list.");
  return values[0];
};

function time(name: string, values: string[]): number {
  const value = single(name, values);
  const parsed = parseDateTime(value);
  if (!("ms" in parsed)) throw bad(name, `"${value}" ${parsed.problem}.`);
  return parsed.ms;
}

function count(name: string, values: string[], max = Number.MAX_SAFE_INTEGER): number {
  const value = single(name, values);
  if (!/^[1-9]\d{0,8}$/.test(value)) throw bad(name, `"${value}" is not a positive integer.`);
  const n = Number(value);
  if (n > max) throw bad(name, `${n} is above ${max}.`);
  return n;
}

function uris(name: string, values: string[]): string[] {
  for (const v of values) if (!isAbsoluteUri(v)) throw bad(name, `"${v}" is not an absolute URI.`);
  return values;
}

/**
 * Parses query parameters (each name with its alternatives) into a {@link ParsedQuery}.
 *
 * @param params - Parameter name → values (`a|b` already split); `perPage` and `nextPageToken` excluded.
 * @throws EpcisRestError QueryParameterException (400) or ImplementationException with status 501.
 */
export function parseQueryParams(params: Map<string, string[]>): ParsedQuery {
  if (params.size > MAX_VALUES) {
    throw new EpcisRestError(
      "QueryTooComplexException",
      `The query has ${params.size} parameters; at most ${MAX_VALUES}.`,
    );
  }
  const filter: EventFilter = {};
  const order: EventOrder = { by: "recordTime", direction: "ASC" };
  let ordered = false;
  let direction: "ASC" | "DESC" | undefined;
  const query: ParsedQuery = { filter, order };
  for (const [name, values] of params) {
    if (values.length === 0 || values.some((v) => v === "")) throw bad(name, "has an empty value.");
    if (values.length > MAX_VALUES) throw bad(name, `has ${values.length} alternatives; at most ${MAX_VALUES}.`);
    if (MATCH_FIELDS[name]) {
      (filter.epcs ??= []).push({ fields: MATCH_FIELDS[name], values: uris(name, values).map(epcMatch) });
      continue;
    }
    switch (name) {
      case "eventType":
        for (const v of values) {
          if (!(EVENT_TYPES as readonly string[]).includes(v)) {
            throw bad(name, `"${v}" is not an EPCIS 2.0 event type (${EVENT_TYPES.join(", ")}).`);
          }
        }
        filter.eventTypes = values;
        break;
      case "GE_eventTime":
        filter.geEventTime = time(name, values);
        break;
      case "LT_eventTime":
        filter.ltEventTime = time(name, values);
        break;
      case "GE_recordTime":
        filter.geRecordTime = time(name, values);
        break;
      case "LT_recordTime":
        filter.ltRecordTime = time(name, values);
        break;
      case "EQ_action":
        for (const v of values)
          if (!["ADD", "OBSERVE", "DELETE"].includes(v)) throw bad(name, `"${v}" is not ADD, OBSERVE or DELETE.`);
        filter.actions = values;
        break;
      case "EQ_bizStep":
      case "EQ_disposition": {
        const kind = name === "EQ_bizStep" ? "bizStep" : "disposition";
        filter[kind === "bizStep" ? "bizSteps" : "dispositions"] = values.map((v) => {
          const key = vocabKey(kind, v);
          if (key === undefined) throw bad(name, `"${v}" is neither a CBV 2.0 ${kind} nor a URI.`);
          return key;
        });
        break;
      }
      case "EQ_readPoint":
        filter.readPoints = uris(name, values).map(epcKey);
        break;
      case "EQ_bizLocation":
        filter.bizLocations = uris(name, values).map(epcKey);
        break;
      case "EQ_eventID":
        filter.eventIds = values;
        break;
      case "orderBy": {
        const v = single(name, values);
        if (v !== "eventTime" && v !== "recordTime") {
          throw new EpcisRestError(
            "ImplementationException",
            `orderBy: ordering by "${v}" is not implemented; use eventTime or recordTime.`,
            501,
          );
        }
        order.by = v;
        ordered = true;
        break;
      }
      case "orderDirection": {
        const v = single(name, values);
        if (v !== "ASC" && v !== "DESC") throw bad(name, `"${v}" is not ASC or DESC.`);
        direction = v;
        break;
      }
      case "eventCountLimit":
        query.eventCountLimit = count(name, values);
        break;
      case "maxEventCount":
        query.maxEventCount = count(name, values);
        break;
      default:
        if (NOT_IMPLEMENTED.test(name)) {
          throw new EpcisRestError("ImplementationException", `${name}: this query parameter is not implemented.`, 501);
        }
        throw bad(name, "is not a query parameter of the EPCIS 2.0 REST bindings.");
    }
  }
  if (direction && !ordered) throw bad("orderDirection", "needs orderBy.");
  // Without orderBy the bindings leave the order open: ours is record time, oldest first (stable paging).
  if (ordered) order.direction = direction ?? "DESC";
  if (query.eventCountLimit !== undefined && query.maxEventCount !== undefined) {
    throw bad("eventCountLimit", "cannot be combined with maxEventCount.");
  }
  return query;
}

/** Splits URL query parameters into name → alternatives (`|`), refusing repeated names. */
export function urlParams(search: URLSearchParams, skip: readonly string[] = []): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of search) {
    if (skip.includes(name)) continue;
    if (out.has(name)) throw bad(name, "is given twice: separate alternatives with |.");
    out.set(name, value.split("|"));
  }
  return out;
}

/** A named query's JSON definition (`{ "EQ_bizStep": ["shipping"], "GE_eventTime": "…" }`) as parameters. */
export function definitionParams(definition: unknown): Map<string, string[]> {
  if (definition === null || typeof definition !== "object" || Array.isArray(definition)) {
    throw new EpcisRestError("QueryValidationException", "query: must be an object of query parameters.");
  }
  const out = new Map<string, string[]>();
  for (const [name, value] of Object.entries(definition)) {
    if (name === "@context") continue;
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((v) => typeof v === "string" || typeof v === "number")) {
      throw new EpcisRestError("QueryValidationException", `query.${name}: must be a string, number or list of them.`);
    }
    out.set(name, list.map(String));
  }
  return out;
}
