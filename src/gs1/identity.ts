/**
 * {@link Gs1Identity}: the one shape every GS1 input (Digital Link URI, element string, plain fields) is turned
 * into, with its canonical Digital Link path and on-chain unit key. Identities are built only here, and their
 * key always comes from `unitKeyOfPath` of the canonical path built by `key.ts`.
 *
 * Browser-safe: no Node-only APIs.
 */
import type { Hex } from "viem";
import { aiDefinition, describeAi, looksLikeAi, primaryKeyList } from "./ai";
import { Gs1StructureError, Gs1ValueError } from "./errors";
import { consignmentPath, itemPath, locationPath, ssccPath, unitKeyOfPath } from "./key";
import { checkAiValue, checkUnknownAttributeValue } from "./validate";
import { gs1CheckDigit, hasValidCheckDigit } from "./checkDigit";

/**
 * What a unit is:
 *   - `item`: one serialised trade item (GTIN + serial, optionally CPV and lot);
 *   - `lot`: a batch of a trade item (GTIN + lot, optionally CPV);
 *   - `class`: a trade item class (GTIN, optionally CPV);
 *   - `logistic`: a logistic unit (SSCC: carton, pallet);
 *   - `consignment`: a consignment (GINC, e.g. a master waybill);
 *   - `location`: a physical location (GLN, optionally with an extension).
 */
export type Gs1Kind = "item" | "lot" | "class" | "logistic" | "consignment" | "location";

/** A validated GS1 trace unit. Fields absent from the unit are absent from the object (never `undefined`). */
export interface Gs1Identity {
  readonly kind: Gs1Kind;
  /** GTIN-14 (shorter GTINs zero-padded), AI 01. */
  readonly gtin?: string;
  /** Consumer product variant, AI 22. */
  readonly cpv?: string;
  /** Batch or lot, AI 10. */
  readonly lot?: string;
  /** Serial number, AI 21. */
  readonly serial?: string;
  /** SSCC-18, AI 00. */
  readonly sscc?: string;
  /** Consignment number, AI 401. */
  readonly ginc?: string;
  /** GLN of a physical location, AI 414. */
  readonly gln?: string;
  /** GLN extension component, AI 254. */
  readonly glnExtension?: string;
  /** Data attributes keyed by numeric AI (`{ "17": "261231" }`): carried along, never part of the key. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The canonical Digital Link path (design.md §3), e.g. `/01/09521234543213/10/ABC123/21/12345`. */
  readonly canonicalPath: string;
  /** `unitKeyOfPath(canonicalPath)`: the unit's on-chain key. */
  readonly key: Hex;
}

/** Data attributes shared by every kind of plain-field input. */
interface FieldsBase {
  /** Data attributes keyed by numeric AI, e.g. `{ "17": "261231" }`. */
  attributes?: Readonly<Record<string, string>>;
}
/** A trade item, lot or class given as plain fields (GTIN-8/12/13/14). */
export interface Gs1ItemFields extends FieldsBase {
  gtin: string;
  cpv?: string;
  lot?: string;
  serial?: string;
}
/** A logistic unit given as plain fields. */
export interface Gs1LogisticFields extends FieldsBase {
  sscc: string;
}
/** A consignment given as plain fields. */
export interface Gs1ConsignmentFields extends FieldsBase {
  ginc: string;
}
/** A location given as plain fields. */
export interface Gs1LocationFields extends FieldsBase {
  gln: string;
  glnExtension?: string;
}
/** Plain-field input: exactly one primary key with its qualifiers. */
export type Gs1Fields = Gs1ItemFields | Gs1LogisticFields | Gs1ConsignmentFields | Gs1LocationFields;

/** A unit split into its primary key, key qualifiers and data attributes, each keyed by numeric AI. */
export interface Gs1Parts {
  primary: { ai: string; value: string };
  qualifiers: Readonly<Record<string, string>>;
  attributes: Readonly<Record<string, string>>;
}

/** Options of {@link identityFromParts}. */
export interface IdentityFromPartsOptions {
  /** Require a 14-digit GTIN, as element strings do (Digital Links and fields accept GTIN-8/12/13/14). */
  strictGtinLength?: boolean;
}

const PRIMARY_FIELD: Readonly<Record<string, string>> = { "01": "gtin", "00": "sscc", "401": "ginc", "414": "gln" };
const QUALIFIER_FIELD: Readonly<Record<string, string>> = {
  "22": "cpv",
  "10": "lot",
  "21": "serial",
  "254": "glnExtension",
};
const FIELD_AI: Readonly<Record<string, string>> = Object.fromEntries(
  [...Object.entries(PRIMARY_FIELD), ...Object.entries(QUALIFIER_FIELD)].map(([ai, field]) => [field, ai]),
);

function has(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** The validated identity of a unit given as parts; the core every parser ends in. */
export function identityFromParts(parts: Gs1Parts, options: IdentityFromPartsOptions = {}): Gs1Identity {
  const primaryAi = parts.primary.ai;
  const primaryDef = aiDefinition(primaryAi);
  if (primaryDef === undefined || primaryDef.role !== "primary") {
    throw new Gs1StructureError(
      "MISSING_PRIMARY_KEY",
      `${describeAi(primaryAi)} is not a primary key: a unit starts with one of ${primaryKeyList()}.`,
      { ai: primaryAi },
    );
  }
  if (primaryDef.unsupported !== undefined) {
    throw new Gs1StructureError(
      "UNSUPPORTED_KEY",
      `${describeAi(primaryAi)} ${JSON.stringify(parts.primary.value)} cannot key a trace unit: ${primaryDef.unsupported}.`,
      { ai: primaryAi, input: parts.primary.value },
    );
  }
  for (const ai of Object.keys(parts.qualifiers)) checkQualifier(primaryAi, ai);
  const attributes = checkAttributes(primaryAi, parts.attributes);

  const value = parts.primary.value;
  const q = parts.qualifiers;
  const opt = (ai: string): string | undefined => (has(q, ai) ? q[ai] : undefined);
  const fields: Record<string, string> = {};
  let canonicalPath: string;
  let kind: Gs1Kind;
  switch (primaryAi) {
    case "01": {
      if (options.strictGtinLength === true) checkElementStringGtin(value);
      const item = { gtin: value, cpv: opt("22"), lot: opt("10"), serial: opt("21") };
      canonicalPath = itemPath(item);
      fields.gtin = value.padStart(14, "0");
      if (item.cpv !== undefined) fields.cpv = item.cpv;
      if (item.lot !== undefined) fields.lot = item.lot;
      if (item.serial !== undefined) fields.serial = item.serial;
      kind = item.serial !== undefined ? "item" : item.lot !== undefined ? "lot" : "class";
      break;
    }
    case "00":
      canonicalPath = ssccPath(value);
      fields.sscc = value;
      kind = "logistic";
      break;
    case "401":
      canonicalPath = consignmentPath(value);
      fields.ginc = value;
      kind = "consignment";
      break;
    default: {
      const extension = opt("254");
      canonicalPath = locationPath(value, extension);
      fields.gln = value;
      if (extension !== undefined) fields.glnExtension = extension;
      kind = "location";
    }
  }
  return Object.freeze({ kind, ...fields, attributes, canonicalPath, key: unitKeyOfPath(canonicalPath) });
}

/**
 * Element strings always carry GTIN-14: a shorter GTIN there is a length error whose hint is a valid code —
 * the zero-padded form when its check digit holds, else the digits given with their check digit appended
 * (the usual slip: a GTIN-14 typed without its last digit).
 */
function checkElementStringGtin(value: string): void {
  if (typeof value === "string" && /^[0-9]+$/.test(value) && [8, 12, 13].includes(value.length)) {
    const padded = value.padStart(14, "0");
    const completed = (value + gs1CheckDigit(value)).padStart(14, "0");
    throw new Gs1ValueError(
      "LENGTH",
      hasValidCheckDigit(padded)
        ? `GTIN "${value}" has ${value.length} digits, but in an element string a GTIN always has 14: write it as "${padded}".`
        : `GTIN "${value}" has ${value.length} digits, but in an element string a GTIN always has 14, ending in its check digit: with the check digit it is "${completed}".`,
      { ai: "01", input: value },
    );
  }
  checkAiValue("01", value);
}

function checkQualifier(primaryAi: string, ai: string): void {
  const def = aiDefinition(ai);
  if (def === undefined) {
    throw new Gs1StructureError("UNKNOWN_AI", `AI ${JSON.stringify(ai)} is not in cbec-trace's GS1 AI table.`, { ai });
  }
  if (def.role === "qualifier" && def.qualifierOf === primaryAi && def.unsupported !== undefined) {
    throw new Gs1StructureError("UNSUPPORTED_KEY", `${describeAi(ai)} cannot key a trace unit: ${def.unsupported}.`, {
      ai,
    });
  }
  if (def.role !== "qualifier" || def.qualifierOf !== primaryAi) {
    const allowed = aiDefinition(primaryAi)?.qualifiers ?? [];
    throw new Gs1StructureError(
      "NOT_A_QUALIFIER",
      `${describeAi(ai)} cannot qualify ${describeAi(primaryAi)}: ` +
        (allowed.length === 0
          ? `${describeAi(primaryAi)} takes no qualifiers.`
          : `its qualifiers are ${allowed.map(describeAi).join(", ")}.`) +
        (def.role === "qualifier" && def.qualifierOf !== undefined
          ? ` ${describeAi(ai)} qualifies ${describeAi(def.qualifierOf)} only.`
          : ""),
      { ai },
    );
  }
}

/** Validates data attributes against the primary key; returns a frozen copy with keys in AI order. */
function checkAttributes(
  primaryAi: string,
  attributes: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const ai of Object.keys(attributes).sort()) {
    const value = attributes[ai];
    if (!looksLikeAi(ai)) {
      throw new Gs1StructureError(
        "UNKNOWN_AI",
        `Data attribute ${JSON.stringify(ai)} is not a GS1 Application Identifier: attributes are keyed by 2–4 digit AIs, e.g. "17" for the expiry date.`,
        { ai },
      );
    }
    const def = aiDefinition(ai);
    if (def === undefined) {
      // Outside the table: kept as given, checked only for GS1 character set 82 (it never enters the key).
      checkUnknownAttributeValue(ai, value);
    } else {
      const usableAsAttribute = def.role === "attribute" || (def.role === "primary" && def.unsupported !== undefined);
      if (!usableAsAttribute) {
        const where = def.role === "qualifier" ? QUALIFIER_FIELD[ai] : PRIMARY_FIELD[ai];
        throw new Gs1StructureError(
          "NOT_A_QUALIFIER",
          `${describeAi(ai)} is part of a unit's key, not a data attribute: give it as ${where !== undefined ? `the "${where}" field or ` : ""}a path segment of the Digital Link, not in the query string or attributes.`,
          { ai, input: value },
        );
      }
      checkAiValue(ai, value);
      if (def.requires !== undefined && !def.requires.includes(primaryAi)) {
        throw new Gs1StructureError(
          "INVALID_COMBINATION",
          `${describeAi(ai)} applies to ${def.requires.map(describeAi).join(" or ")}, not to ${describeAi(primaryAi)}. Remove it.`,
          { ai, input: value },
        );
      }
    }
    out[ai] = value;
  }
  return Object.freeze(out);
}

/** The validated identity of a unit given as plain fields, e.g. `{ gtin, lot, serial }` or `{ sscc }`. */
export function identityFromFields(fields: Gs1Fields): Gs1Identity {
  if (typeof fields !== "object" || fields === null) {
    throw new Gs1StructureError(
      "MISSING_PRIMARY_KEY",
      `Expected GS1 fields such as { gtin, lot, serial }, { sscc }, { ginc } or { gln }, got ${fields === null ? "null" : typeof fields}.`,
    );
  }
  const record = fields as unknown as Record<string, unknown>;
  const present = Object.keys(record).filter((k) => record[k] !== undefined);
  for (const field of present) {
    if (field !== "attributes" && !has(FIELD_AI, field)) {
      throw new Gs1StructureError(
        "UNKNOWN_FIELD",
        `Unknown GS1 field ${JSON.stringify(field)}: use gtin, cpv, lot, serial, sscc, ginc, gln, glnExtension and attributes.`,
      );
    }
  }
  const primaries = present.filter((f) => has(PRIMARY_FIELD, FIELD_AI[f]) && PRIMARY_FIELD[FIELD_AI[f]] === f);
  if (primaries.length === 0) {
    throw new Gs1StructureError(
      "MISSING_PRIMARY_KEY",
      `No primary key among the fields (${present.join(", ") || "none"}): give exactly one of gtin, sscc, ginc or gln.`,
    );
  }
  if (primaries.length > 1) {
    throw new Gs1StructureError(
      "MULTIPLE_PRIMARY_KEYS",
      `The fields hold ${primaries.length} primary keys (${primaries.join(", ")}): a unit has exactly one. Describe each unit separately.`,
    );
  }
  const primaryAi = FIELD_AI[primaries[0]];
  const qualifiers: Record<string, string> = {};
  for (const field of present) {
    const ai = FIELD_AI[field];
    if (field === "attributes" || ai === primaryAi) continue;
    qualifiers[ai] = record[field] as string;
  }
  const attributes = (record.attributes ?? {}) as Record<string, string>;
  return identityFromParts({
    primary: { ai: primaryAi, value: record[primaries[0]] as string },
    qualifiers,
    attributes,
  });
}

/** The plain fields of an identity: what {@link identityFromFields} turns back into the same identity. */
export function fieldsOfIdentity(identity: Gs1Identity): Gs1Fields {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(FIELD_AI)) {
    const value = (identity as unknown as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  if (identity.attributes !== undefined && Object.keys(identity.attributes).length > 0) {
    out.attributes = { ...identity.attributes };
  }
  return out as unknown as Gs1Fields;
}

/**
 * Returns the identity re-derived from its own fields, after checking it matches what it claims (kind,
 * canonical path, key). Refuses hand-made or altered objects before they are printed or recorded.
 */
export function checkIdentity(identity: Gs1Identity): Gs1Identity {
  if (typeof identity !== "object" || identity === null) {
    throw new Gs1StructureError("INCONSISTENT_IDENTITY", `Expected a Gs1Identity object, got ${String(identity)}.`);
  }
  const fresh = identityFromFields(fieldsOfIdentity(identity));
  for (const prop of ["kind", "canonicalPath", "key"] as const) {
    if (identity[prop] !== fresh[prop]) {
      throw new Gs1StructureError(
        "INCONSISTENT_IDENTITY",
        `The identity's ${prop} ${JSON.stringify(identity[prop])} does not match its fields, which give ${JSON.stringify(fresh[prop])}. Build identities with the SDK's parsers instead of by hand.`,
        { input: String(identity[prop]) },
      );
    }
  }
  return fresh;
}
