/**
 * Validation of single AI values against the AI table: emptiness, character set, length, check digit, date.
 * One function, {@link checkAiValue}, so that Digital Links, element strings, plain fields and the path
 * builders of `key.ts` all refuse the same values with the same messages.
 *
 * Browser-safe: no Node-only APIs.
 */
import { aiDefinition, CSET82_CHARS, type AiDefinition } from "./ai";
import { gs1CheckDigit } from "./checkDigit";
import { Gs1CheckDigitError, Gs1StructureError, Gs1ValueError } from "./errors";

/** The lengths accepted for a GTIN outside element strings (Digital Link paths, plain fields). */
export const GTIN_LENGTHS: readonly number[] = [8, 12, 13, 14];

/** Options of {@link checkAiValue}. */
export interface CheckAiValueOptions {
  /** Accepted lengths, overriding the table's (GTIN-8/12/13/14 in a Digital Link). */
  lengths?: readonly number[];
}

const CSET82_SET = new Set(CSET82_CHARS);
const CSET82_HINT = "A–Z, a–z, 0–9 and ! \" % & ' ( ) * + , - . / : ; < = > ? _";

/** `GTIN` for primary keys, `Serial (AI 21)` for the rest. */
export function valueName(def: AiDefinition): string {
  return def.role === "primary" ? def.label : `${def.label} (AI ${def.ai})`;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/** A character as a reader can find it: `"#"`, `a space`, `"序" (U+5E8F)`. */
function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (ch === " ") return "a space";
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  if (cp < 0x21 || cp === 0x7f) return `the control character ${hex}`;
  return cp > 0x7e ? `${quote(ch)} (${hex})` : quote(ch);
}

function lengthText(lengths: readonly number[], unit: string): string {
  if (lengths.length === 1) return `${lengths[0]} ${unit}`;
  return `${lengths.slice(0, -1).join(", ")} or ${lengths[lengths.length - 1]} ${unit}`;
}

/**
 * Throws a {@link Gs1ValueError} or {@link Gs1CheckDigitError} unless `value` is a valid value of `ai`.
 * Unknown AIs are refused with a {@link Gs1StructureError} (`UNKNOWN_AI`).
 */
export function checkAiValue(ai: string, value: string, options: CheckAiValueOptions = {}): void {
  const def = aiDefinition(ai);
  if (def === undefined) {
    throw new Gs1StructureError("UNKNOWN_AI", `AI ${quote(ai)} is not in cbec-trace's GS1 AI table.`, { ai });
  }
  const name = valueName(def);
  requireString(name, value, ai);
  const details = { ai, input: value };
  const numeric = def.charset === "numeric";
  const lengths = options.lengths ?? (def.minLength === def.maxLength ? [def.minLength] : undefined);
  const expectation = numeric
    ? lengthText(lengths ?? [def.maxLength], "digits")
    : `1–${def.maxLength} characters of GS1 character set 82`;

  if (value.length === 0) {
    throw new Gs1ValueError(
      "EMPTY_VALUE",
      `${name} is empty: it must be ${expectation}. Fill it in or leave it out.`,
      details,
    );
  }

  const chars = Array.from(value);
  const badIndex = chars.findIndex((ch) => (numeric ? ch < "0" || ch > "9" : !CSET82_SET.has(ch)));
  if (badIndex >= 0) {
    const bad = describeChar(chars[badIndex]);
    throw new Gs1ValueError(
      "CHARSET",
      numeric
        ? `${name} ${quote(value)} must be digits only, but has ${bad} at position ${badIndex + 1}. Check the code for a typo.`
        : `${name} ${quote(value)} has ${bad} at position ${badIndex + 1}, which GS1 character set 82 does not allow (allowed: ${CSET82_HINT}). Remove or replace it.`,
      details,
    );
  }

  const fits = lengths !== undefined ? lengths.includes(value.length) : value.length <= def.maxLength;
  if (!fits) {
    throw new Gs1ValueError(
      "LENGTH",
      `${name} ${quote(value)} has ${value.length} ${numeric ? "digits" : "characters"}: it must be ${expectation}. ` +
        (numeric ? "Check that no digit is missing or extra." : "Shorten it."),
      details,
    );
  }

  if (def.checkDigit) {
    const expected = gs1CheckDigit(value.slice(0, -1));
    if (Number(value[value.length - 1]) !== expected) {
      throw new Gs1CheckDigitError(
        `${name} ${quote(value)} has a wrong check digit: expected ${expected}. Check the code for a typo.`,
        expected,
        details,
      );
    }
  }

  if (def.date) checkDate(name, value, details);
}

/** Longest data field GS1 allows in an element string; bounds values of AIs outside the table. */
const MAX_UNKNOWN_LENGTH = 90;

/**
 * Checks the value of an AI outside the table (kept as an unvalidated data attribute): a non-empty string of at
 * most 90 characters of GS1 character set 82.
 */
export function checkUnknownAttributeValue(ai: string, value: unknown): void {
  const name = `AI ${ai}`;
  requireString(name, value, ai);
  const details = { ai, input: value };
  if (value.length === 0) {
    throw new Gs1ValueError("EMPTY_VALUE", `${name} is empty: give its value or leave it out.`, details);
  }
  const chars = Array.from(value);
  const badIndex = chars.findIndex((ch) => !CSET82_SET.has(ch));
  if (badIndex >= 0) {
    throw new Gs1ValueError(
      "CHARSET",
      `${name} ${quote(value)} has ${describeChar(chars[badIndex])} at position ${badIndex + 1}, which GS1 character set 82 does not allow (allowed: ${CSET82_HINT}). Remove or replace it.`,
      details,
    );
  }
  if (value.length > MAX_UNKNOWN_LENGTH) {
    throw new Gs1ValueError(
      "LENGTH",
      `${name} ${quote(value)} has ${value.length} characters: GS1 data fields have at most ${MAX_UNKNOWN_LENGTH}. Shorten it.`,
      details,
    );
  }
}

function requireString(name: string, value: unknown, ai: string): asserts value is string {
  if (typeof value !== "string") {
    const shown = typeof value === "number" || typeof value === "bigint" ? String(value) : typeof value;
    throw new Gs1ValueError(
      "NOT_A_STRING",
      `${name} must be given as a string, not ${typeof value} (${shown}). Numbers lose leading zeros: quote the code, e.g. "09521234543213".`,
      { ai },
    );
  }
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function checkDate(name: string, value: string, details: { ai: string; input: string }): void {
  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  const dd = Number(value.slice(4, 6));
  let problem: string | undefined;
  if (mm < 1 || mm > 12) {
    problem = `month ${value.slice(2, 4)} does not exist`;
  } else {
    // Two-digit years: the leap-year rule is exact for 2000–2099, the range GS1's 50-year window resolves to now.
    const max = mm === 2 && yy % 4 !== 0 ? 28 : DAYS_IN_MONTH[mm - 1];
    if (dd > max) problem = `day ${value.slice(4, 6)} does not exist in month ${value.slice(2, 4)}`;
  }
  if (problem !== undefined) {
    throw new Gs1ValueError(
      "INVALID_DATE",
      `${name} ${quote(value)} is not a valid YYMMDD date: ${problem}. Write it as YYMMDD (e.g. 261231 for 31 December 2026; day 00 means the end of the month).`,
      details,
    );
  }
}
