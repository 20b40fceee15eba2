/**
 * GS1 element strings: the AI/value sequences printed under barcodes and sent by scanners.
 *
 *   - human-readable (bracketed): `(01)09521234543213(10)ABC123(21)12345`; a literal "(" inside a value is
 *     written `\(` (the GS1 Barcode Syntax Engine convention);
 *   - raw, as scanned: optional symbology identifier (`]d2` Data Matrix, `]Q3` QR, `]C1` GS1-128, `]e0`
 *     DataBar, `]J1` DotCode), then the AIs with a GS character (`\u001d`, FNC1) after every variable-length
 *     value that is not last.
 *
 * Browser-safe: no Node-only APIs.
 */
import { aiDefinition, describeAi, primaryKeyList } from "./ai";
import { Gs1StructureError, Gs1SyntaxError } from "./errors";
import { checkIdentity, identityFromParts, type Gs1Identity } from "./identity";

/** The GS1 separator (ASCII 29) scanners send for FNC1. */
export const GS = "\u001d";

/** Symbology identifiers of the GS1 symbologies, as scanners prefix them. */
export const GS1_SYMBOLOGY_IDS: readonly string[] = ["]d2", "]Q3", "]C1", "]e0", "]J1"];

/** Options of {@link toElementString}. */
export interface ElementStringOptions {
  /** `human` (default): bracketed `(01)…(10)…`; `raw`: as a scanner sends it, with GS separators. */
  form?: "human" | "raw";
  /** Raw form only: a symbology identifier to put first, e.g. `]d2` or `]Q3`. */
  symbologyId?: string;
}

interface Element {
  ai: string;
  value: string;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function malformed(text: string, problem: string): Gs1SyntaxError {
  return new Gs1SyntaxError("MALFORMED_ELEMENT_STRING", `Element string ${quote(text)} ${problem}`, { input: text });
}

function parseHumanReadable(text: string): Element[] {
  const out: Element[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "(") {
      throw malformed(text, `has ${quote(text[i])} at position ${i + 1} where "(" and an AI are expected.`);
    }
    const close = text.indexOf(")", i);
    const ai = close < 0 ? "" : text.slice(i + 1, close);
    if (!/^[0-9]{2,4}$/.test(ai)) {
      throw malformed(text, `has no valid AI at position ${i + 1}: AIs are 2–4 digits in parentheses, e.g. (01).`);
    }
    i = close + 1;
    let value = "";
    while (i < text.length && text[i] !== "(") {
      if (text[i] === "\\" && text[i + 1] === "(") {
        value += "(";
        i += 2;
      } else {
        value += text[i];
        i += 1;
      }
    }
    out.push({ ai, value });
  }
  return out;
}

function parseRaw(text: string): Element[] {
  let i = 0;
  if (text.startsWith("]")) {
    const id = GS1_SYMBOLOGY_IDS.find((s) => text.startsWith(s));
    if (id === undefined) {
      throw malformed(
        text,
        `starts with the symbology identifier ${quote(text.slice(0, 3))}, which is not a GS1 one (${GS1_SYMBOLOGY_IDS.join(", ")}): the barcode does not carry GS1 data.`,
      );
    }
    i = id.length;
  }
  const out: Element[] = [];
  while (i < text.length) {
    if (text[i] === GS) {
      i += 1;
      continue;
    }
    let def;
    for (let len = 2; len <= 4 && def === undefined; len++) def = aiDefinition(text.slice(i, i + len));
    if (def === undefined) {
      throw /^[0-9]{2}/.test(text.slice(i))
        ? new Gs1StructureError(
            "UNKNOWN_AI",
            `Element string ${quote(text)} has an AI at position ${i + 1} (${quote(text.slice(i, i + 4))}…) that cbec-trace does not know, so the raw string cannot be split. Use the bracketed form, e.g. "(01)09521234543213(21)12345", or a Digital Link.`,
            { input: text },
          )
        : malformed(text, `has ${quote(text[i])} at position ${i + 1} where an AI (digits) is expected.`);
    }
    i += def.ai.length;
    const end = text.indexOf(GS, i);
    const available = end < 0 ? text.slice(i) : text.slice(i, end);
    // Fixed-length values end by length; a too-short one ends at GS/end and fails length validation.
    const value = def.minLength === def.maxLength ? available.slice(0, def.maxLength) : available;
    out.push({ ai: def.ai, value });
    i += value.length;
  }
  return out;
}

/** Sorts elements into primary key, key qualifiers and data attributes, and builds the identity. */
function identityFromElements(elements: readonly Element[], text: string): Gs1Identity {
  const seen = new Map<string, string>();
  for (const { ai, value } of elements) {
    const before = seen.get(ai);
    if (before !== undefined && before !== value) {
      throw new Gs1StructureError(
        "DUPLICATE_AI",
        `Element string ${quote(text)} gives ${describeAi(ai)} twice with different values (${quote(before)}, ${quote(value)}). Keep the right one.`,
        { ai, input: text },
      );
    }
    seen.set(ai, value);
  }
  const keys = [...seen.keys()].filter((ai) => aiDefinition(ai)?.role === "primary");
  const supported = keys.filter((ai) => aiDefinition(ai)?.unsupported === undefined);
  if (keys.length === 0) {
    throw new Gs1StructureError(
      "MISSING_PRIMARY_KEY",
      `Element string ${quote(text)} has no primary key: it must contain one of ${primaryKeyList()}.`,
      { input: text },
    );
  }
  if (supported.length > 1) {
    throw new Gs1StructureError(
      "MULTIPLE_PRIMARY_KEYS",
      `Element string ${quote(text)} holds ${supported.length} primary keys (${supported.map(describeAi).join(", ")}): a trace unit has exactly one. Identify each unit separately.`,
      { input: text },
    );
  }
  const primaryAi = supported[0] ?? keys[0];
  const qualifiers: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (const [ai, value] of seen) {
    if (ai === primaryAi) continue;
    const def = aiDefinition(ai);
    if (def?.role === "qualifier") qualifiers[ai] = value;
    else attributes[ai] = value;
  }
  return identityFromParts(
    { primary: { ai: primaryAi, value: seen.get(primaryAi)! }, qualifiers, attributes },
    { strictGtinLength: true },
  );
}

/**
 * Parses a GS1 element string, bracketed (`(01)09521234543213(10)ABC123`) or raw as scanned
 * (`]d2010952123454321310ABC123\u001d2112345`), into a validated {@link Gs1Identity}. The AIs may come in any
 * order; GTINs must have 14 digits, as in every element string.
 */
export function parseElementString(text: string): Gs1Identity {
  if (typeof text !== "string" || text.length === 0) {
    throw new Gs1SyntaxError("MALFORMED_ELEMENT_STRING", `Expected a GS1 element string, got ${quote(String(text))}.`);
  }
  const line = text.replace(/[\r\n]+$/, ""); // scanners in keyboard mode end with Enter
  const elements = line.startsWith("(") ? parseHumanReadable(line) : parseRaw(line);
  if (elements.length === 0) throw malformed(line, "holds no AI.");
  return identityFromElements(elements, line);
}

/** The elements of an identity in print order: key, fixed-length attributes, qualifiers, other attributes. */
function elementsOf(identity: Gs1Identity): Element[] {
  const key: Element[] = [];
  const push = (ai: string, value: string | undefined) => value !== undefined && key.push({ ai, value });
  push("01", identity.gtin);
  push("00", identity.sscc);
  push("401", identity.ginc);
  push("414", identity.gln);
  const qualifiers: Element[] = [];
  const pushQ = (ai: string, value: string | undefined) => value !== undefined && qualifiers.push({ ai, value });
  pushQ("22", identity.cpv);
  pushQ("10", identity.lot);
  pushQ("21", identity.serial);
  pushQ("254", identity.glnExtension);
  const attrs = Object.keys(identity.attributes)
    .sort()
    .map((ai) => ({ ai, value: identity.attributes[ai] }));
  const fixed = attrs.filter((e) => aiDefinition(e.ai)?.predefinedLength === true);
  const variable = attrs.filter((e) => aiDefinition(e.ai)?.predefinedLength !== true);
  return [...key, ...fixed, ...qualifiers, ...variable];
}

/**
 * The AI/value pairs of a unit in element-string print order (key, fixed-length attributes, qualifiers, other
 * attributes), values unescaped: what a label prints as human-readable text, one `(AI) value` per pair.
 */
export function identityElements(identity: Gs1Identity): Array<{ ai: string; value: string }> {
  return elementsOf(checkIdentity(identity));
}

/**
 * The GS1 element string of a unit: bracketed by default (`(01)09521234543213(10)ABC123(17)261231`), or raw
 * with GS separators (`form: "raw"`), as a Data Matrix or GS1 QR code would encode it.
 */
export function toElementString(identity: Gs1Identity, options: ElementStringOptions = {}): string {
  const checked = checkIdentity(identity);
  const elements = elementsOf(checked);
  if (options.form !== "raw") {
    if (options.symbologyId !== undefined) {
      throw new Gs1SyntaxError("INVALID_OPTION", 'The symbologyId option applies to the raw form only (form: "raw").');
    }
    return elements.map((e) => `(${e.ai})${e.value.replace(/\(/g, "\\(")}`).join("");
  }
  const id = options.symbologyId ?? "";
  if (id !== "" && !GS1_SYMBOLOGY_IDS.includes(id)) {
    throw new Gs1SyntaxError(
      "INVALID_OPTION",
      `Symbology identifier ${quote(id)} is not a GS1 one: use ${GS1_SYMBOLOGY_IDS.join(", ")}.`,
      { input: id },
    );
  }
  let out = id;
  elements.forEach((e, index) => {
    const def = aiDefinition(e.ai);
    if (def === undefined) {
      throw new Gs1StructureError(
        "UNKNOWN_AI",
        `${describeAi(e.ai)} is outside cbec-trace's AI table, so its length is unknown and a raw element string holding it could not be split again. Use the human-readable form, or drop the attribute.`,
        { ai: e.ai },
      );
    }
    out += e.ai + e.value;
    if (!def.predefinedLength && index < elements.length - 1) out += GS;
  });
  return out;
}
