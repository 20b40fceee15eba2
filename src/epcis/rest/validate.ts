/**
 * Validation of what the EPCIS 2.0 capture interface receives: the official EPCIS 2.0 JSON Schema, plus the
 * CBV rules the schema does not express, with errors that name the JSON path and what is wrong.
 *
 * `schema/EPCIS-JSON-Schema.json` is GS1's EPCIS 2.0 JSON Schema (repository gs1/EPCIS), copied byte for
 * byte from the project's standards folder (`shared/standards/epcis/EPCIS-JSON-Schema.json`); a test keeps
 * the two identical. The runtime server cannot read that folder, so the package carries its own copy.
 *
 * Three errata of that schema version are applied to an in-memory copy when it is compiled (the file stays
 * unchanged), each because the EPCIS 2.0 standard itself allows what the schema refuses and conformant
 * capture documents (the OpenEPCIS conformance set) use it:
 *  - `persistentDisposition` is a field of every event type (EPCIS 2.0 §7.4), but the schema's list of
 *    AggregationEvent fields omits it;
 *  - a sensor report needs a `type` *or* an `exception` (an alarm or error report has no measurement type);
 *  - a measurement `type` is a term of the GS1 Web Vocabulary, which grows beyond the schema's enumeration
 *    (e.g. `EffectiveDoseRate`), so any non-empty term is accepted there.
 *
 * CBV rules added: a `bizStep`, `disposition` or `persistentDisposition` value that is a bare word or is
 * written in a CBV spelling (`https://ref.gs1.org/cbv/BizStep-…`, `cbv:BizStep-…`, `urn:epcglobal:cbv:…`)
 * must be a CBV 2.0 term; a full URI of another namespace is a custom term and valid. `@context` must be
 * present. Node-only (ajv).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import epcisSchema from "./schema/EPCIS-JSON-Schema.json";
import { quote } from "../errors";
import { CBV_BIZ_STEPS, CBV_DISPOSITIONS } from "../vocabulary";
import { EpcisRestError } from "./problem";

/** One problem found: where (a JSONPath such as `$.epcisBody.eventList[1].bizStep`) and what. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** How many problems an answer lists (the rest are counted). */
export const MAX_LISTED_ISSUES = 10;

type Json = Record<string, unknown>;

let compiled: ValidateFunction | undefined;

/** The schema with the errata of the header comment, compiled once. */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(JSON.stringify(epcisSchema)) as Json;
  const defs = schema.definitions as Record<string, Json>;
  for (const name of [
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
  ]) {
    allowField(defs[name], "persistentDisposition");
  }
  const report = defs.sensorReport;
  delete report.required;
  report.anyOf = [{ required: ["type"] }, { required: ["exception"] }];
  defs.measurementType = { type: "string", minLength: 1 };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

/** Adds a field to the `propertyNames` enumeration of an event definition (wherever the schema keeps it). */
function allowField(definition: Json | undefined, field: string): void {
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const o = node as Json;
    const names = o.propertyNames as { anyOf?: Json[] } | undefined;
    for (const alt of names?.anyOf ?? []) {
      if (Array.isArray(alt.enum) && alt.enum.includes("bizStep") && !alt.enum.includes(field)) alt.enum.push(field);
    }
    for (const value of Object.values(o)) if (value !== names) visit(value);
  };
  visit(definition);
}

/**
 * Every problem of an EPCIS 2.0 document or single event (JSON value), schema and CBV rules, in document
 * order: empty when it is valid.
 */
export function epcisIssues(value: unknown): ValidationIssue[] {
  const validate = validator();
  const issues = validate(value) ? [] : describe(validate.errors ?? [], value);
  const cbv = cbvIssues(value);
  // A CBV message says more than the schema's "not a URI nor an allowed value" at the same place.
  const cbvPaths = new Set(cbv.map((i) => i.path));
  const merged = [...issues.filter((i) => !cbvPaths.has(i.path)), ...cbv];
  const seen = new Set<string>();
  return merged.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Throws the 400 `ValidationException` for an invalid document or event, naming at most
 * {@link MAX_LISTED_ISSUES} problems (path and what is wrong); returns quietly when it is valid.
 */
export function checkEpcisCapture(value: unknown, what = "The document"): void {
  const issues = epcisIssues(value);
  if (issues.length === 0) return;
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > listed.length ? ` (and ${issues.length - listed.length} more)` : "";
  throw new EpcisRestError(
    "ValidationException",
    `${what} is not valid EPCIS 2.0: ${issues.length} problem(s)${more}. ${listed.join("; ")}.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// ajv errors → readable issues
// ---------------------------------------------------------------------------------------------------------

/** Keywords that only say "a sub-schema failed": the failure itself is reported where it happened. */
const WRAPPERS = new Set(["if", "then", "else", "allOf", "oneOf", "not", "$ref"]);

function describe(errors: ErrorObject[], root: unknown): ValidationIssue[] {
  const groups = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    const list = groups.get(e.instancePath) ?? [];
    list.push(e);
    groups.set(e.instancePath, list);
  }
  const issues: ValidationIssue[] = [];
  for (const [pointer, group] of groups) {
    const path = jsonPath(pointer);
    const value = at(root, pointer);
    const badNames = group.filter((e) => e.keyword === "propertyNames");
    if (badNames.length > 0) {
      for (const e of badNames) {
        const name = String((e.params as { propertyName?: string }).propertyName);
        issues.push({
          path: childPath(path, name),
          message: `field ${quote(name)} is not allowed here: use a standard field, or an extension "prefix:name" whose prefix the @context declares`,
        });
      }
    }
    const rest = group.filter(
      (e) => e.keyword !== "propertyNames" && !(badNames.length > 0 && ["enum", "format", "anyOf"].includes(e.keyword)),
    );
    if (rest.some((e) => e.keyword === "anyOf")) {
      issues.push({ path, message: alternatives(value, rest) });
      continue;
    }
    // The schema checks an action both against the list and, per action, against a pattern: one is enough.
    const hasEnum = rest.some((e) => e.keyword === "enum");
    for (const e of rest) if (!(hasEnum && e.keyword === "pattern")) issues.push(single(e, path, value));
  }
  return issues;
}

/** One message for a value that matched none of its alternatives (e.g. "a CBV term or a URI"). */
function alternatives(value: unknown, group: ErrorObject[]): string {
  const forms: string[] = [];
  for (const e of group) {
    if (e.keyword === "format") forms.push(`a ${formatName(String((e.params as { format: string }).format))}`);
    if (e.keyword === "enum") forms.push(`one of ${terms((e.params as { allowedValues: unknown[] }).allowedValues)}`);
    if (e.keyword === "type") forms.push(`a ${String((e.params as { type: string }).type)}`);
    if (e.keyword === "required")
      forms.push(`an object with ${quote((e.params as { missingProperty: string }).missingProperty)}`);
  }
  const unique = [...new Set(forms)];
  return `${shown(value)} is not allowed: expected ${unique.length > 0 ? unique.join(" or ") : "another value"}`;
}

function single(e: ErrorObject, path: string, value: unknown): ValidationIssue {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { path: childPath(path, String(p.missingProperty)), message: "is required but missing" };
    case "additionalProperties":
      return {
        path: childPath(path, String(p.additionalProperty)),
        message: `field ${quote(p.additionalProperty)} is not allowed here`,
      };
    case "type":
      return { path, message: `${shown(value)} must be ${article(String(p.type))}` };
    case "format":
      return { path, message: `${shown(value)} is not a valid ${formatName(String(p.format))}` };
    case "enum":
      return { path, message: `${shown(value)} must be one of ${terms(p.allowedValues as unknown[])}` };
    case "const":
      return { path, message: `${shown(value)} must be ${quote(p.allowedValue)}` };
    default:
      return { path, message: `${shown(value)} ${e.message ?? "is not valid"}` };
  }
}

function formatName(format: string): string {
  if (format === "date-time") return "date-time (ISO 8601 with a time zone, e.g. 2026-11-20T09:00:00+08:00)";
  if (format === "uri") return "URI";
  return format;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function terms(values: unknown[]): string {
  const list = values.slice(0, 8).map(quote).join(", ");
  return values.length > 8 ? `${list} … (${values.length} terms)` : list;
}

function shown(value: unknown): string {
  const text = value === undefined ? "the value" : quote(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** `$.a.b[0]` from a JSON pointer `/a/b/0`. */
function jsonPath(pointer: string): string {
  let path = "$";
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path = /^\d+$/.test(segment) ? `${path}[${segment}]` : childPath(path, segment);
  }
  return path;
}

function childPath(path: string, name: string): string {
  return /^[\w@:-]+$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function at(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Json)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

// ---------------------------------------------------------------------------------------------------------
// CBV rules
// ---------------------------------------------------------------------------------------------------------

const STEP_SPELLINGS = ["https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-", "urn:epcglobal:cbv:bizstep:"];
const DISP_SPELLINGS = ["https://ref.gs1.org/cbv/Disp-", "cbv:Disp-", "urn:epcglobal:cbv:disp:"];
const STEP_SET: ReadonlySet<string> = new Set(CBV_BIZ_STEPS);
const DISP_SET: ReadonlySet<string> = new Set(CBV_DISPOSITIONS);

/** The CBV term a value names, or undefined when it is a custom URI (another namespace). */
function cbvName(value: string, spellings: readonly string[]): string | undefined {
  for (const prefix of spellings) if (value.startsWith(prefix)) return value.slice(prefix.length);
  return value.includes(":") ? undefined : value;
}

function cbvIssues(value: unknown): ValidationIssue[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const o = value as Json;
  const issues: ValidationIssue[] = [];
  if (o["@context"] === undefined) {
    issues.push({
      path: "$.@context",
      message: "is required: an EPCIS 2.0 JSON-LD document or event names its @context",
    });
  }
  const body = o.epcisBody as { eventList?: unknown } | undefined;
  const events: Array<[string, unknown]> =
    o.type === "EPCISDocument"
      ? Array.isArray(body?.eventList)
        ? body!.eventList.map((e, i) => [`$.epcisBody.eventList[${i}]`, e] as [string, unknown])
        : []
      : [["$", o]];
  for (const [path, event] of events) {
    if (event === null || typeof event !== "object") continue;
    const e = event as Json;
    checkTerm(issues, `${path}.bizStep`, e.bizStep, STEP_SPELLINGS, STEP_SET, "business step");
    checkTerm(issues, `${path}.disposition`, e.disposition, DISP_SPELLINGS, DISP_SET, "disposition");
    const persistent = e.persistentDisposition as Json | undefined;
    for (const key of ["set", "unset"]) {
      const list = persistent?.[key];
      if (!Array.isArray(list)) continue;
      list.forEach((d, i) =>
        checkTerm(issues, `${path}.persistentDisposition.${key}[${i}]`, d, DISP_SPELLINGS, DISP_SET, "disposition"),
      );
    }
  }
  return issues;
}

function checkTerm(
  issues: ValidationIssue[],
  path: string,
  value: unknown,
  spellings: readonly string[],
  known: ReadonlySet<string>,
  what: string,
): void {
  if (typeof value !== "string") return; // the schema reports a missing or non-string value
  const name = cbvName(value, spellings);
  if (name === undefined || known.has(name)) return;
  issues.push({
    path,
    message:
      `${quote(value)} is not a CBV 2.0 ${what}: use a CBV term (e.g. ${quote([...known][0])}) or, for a ` +
      `term of your own, a full URI in your own namespace`,
  });
}
