/**
 * A strict reader over parsed JSON: every field is read by name with its JSONPath, and `done()` refuses any
 * field the record does not define, so nothing (personal data least of all) travels in a field nobody checks.
 */
import { quote } from "../../epcis/errors";
import { parseDateTime } from "../../epcis/time";
import { CustomsRecordError } from "../errors";

/** Rules for a string field. */
export interface TextRule {
  /** The whole value must match. */
  pattern?: RegExp;
  /** What a valid value looks like, for the error message, e.g. `18 digits`. */
  expect?: string;
  maxLength?: number;
}

export class JsonObject {
  private readonly seen = new Set<string>();

  constructor(
    private readonly value: Record<string, unknown>,
    readonly path: string,
  ) {}

  /** Reads `value` at `path` as an object. */
  static of(value: unknown, path: string, what: string): JsonObject {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new CustomsRecordError(path, `${path} = ${quote(value)} is not a JSON object: give ${what}.`);
    }
    return new JsonObject(value as Record<string, unknown>, path);
  }

  at(name: string): string {
    return `${this.path}.${name}`;
  }

  has(name: string): boolean {
    return this.value[name] !== undefined && this.value[name] !== null;
  }

  raw(name: string): unknown {
    this.seen.add(name);
    return this.value[name];
  }

  private missing(name: string, what: string): never {
    throw new CustomsRecordError(this.at(name), `${this.at(name)} is missing: give ${what}.`);
  }

  /** A required non-empty string (trimmed), checked against `rule`. */
  text(name: string, what: string, rule: TextRule = {}): string {
    const v = this.raw(name);
    if (v === undefined || v === null) this.missing(name, what);
    return this.checkText(name, v, what, rule);
  }

  /** An optional string: undefined when absent. */
  optionalText(name: string, what: string, rule: TextRule = {}): string | undefined {
    const v = this.raw(name);
    return v === undefined || v === null ? undefined : this.checkText(name, v, what, rule);
  }

  private checkText(name: string, v: unknown, what: string, rule: TextRule): string {
    if (typeof v !== "string") {
      throw new CustomsRecordError(this.at(name), `${this.at(name)} = ${quote(v)} is not a string: give ${what}.`);
    }
    const t = v.trim();
    if (t === "") throw new CustomsRecordError(this.at(name), `${this.at(name)} is empty: give ${what}.`);
    if (t.length > (rule.maxLength ?? 256)) {
      throw new CustomsRecordError(
        this.at(name),
        `${this.at(name)} is ${t.length} characters long, more than the ${rule.maxLength ?? 256} allowed for ${what}.`,
      );
    }
    if (rule.pattern && !rule.pattern.test(t)) {
      throw new CustomsRecordError(
        this.at(name),
        `${this.at(name)} = ${quote(v)} is not ${rule.expect ?? what}: give ${what} as ${rule.expect ?? "printed on the document"}.`,
      );
    }
    return t;
  }

  /** A decimal given as a string (or a plain JSON number, read as written); `parse` checks it. */
  decimal(name: string, what: string, parse: (text: string) => bigint | { problem: string }): string {
    const v = this.raw(name);
    if (v === undefined || v === null) this.missing(name, what);
    const text = typeof v === "number" && Number.isFinite(v) ? String(v) : v;
    if (typeof text !== "string" || /e/i.test(text)) {
      throw new CustomsRecordError(
        this.at(name),
        `${this.at(name)} = ${quote(v)} is not ${what}: write it as "129.00".`,
      );
    }
    const parsed = parse(text.trim());
    if (typeof parsed !== "bigint") {
      throw new CustomsRecordError(this.at(name), `${this.at(name)} = ${quote(v)} ${parsed.problem}: give ${what}.`);
    }
    return text.trim();
  }

  /** A required whole number from `min`. */
  count(name: string, what: string, min = 1): number {
    const v = this.raw(name);
    if (v === undefined || v === null) this.missing(name, what);
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
      throw new CustomsRecordError(
        this.at(name),
        `${this.at(name)} = ${quote(v)} is not a whole number from ${min}: give ${what} (quantities are whole counts of the line's unit).`,
      );
    }
    return v;
  }

  /** An ISO 8601 date-time with offset. */
  time(name: string, what: string): string {
    const t = this.text(name, what);
    const parsed = parseDateTime(t);
    if ("problem" in parsed) {
      throw new CustomsRecordError(this.at(name), `${this.at(name)} = ${quote(t)} ${parsed.problem}.`);
    }
    return t;
  }

  /** A required non-empty array, each item read by `item`. */
  list<T>(name: string, what: string, item: (value: unknown, path: string) => T): T[] {
    const v = this.raw(name);
    if (v === undefined || v === null) this.missing(name, what);
    if (!Array.isArray(v) || v.length === 0) {
      throw new CustomsRecordError(
        this.at(name),
        `${this.at(name)} = ${quote(v)} is not a non-empty array: give ${what}.`,
      );
    }
    if (v.length > 500) {
      throw new CustomsRecordError(
        this.at(name),
        `${this.at(name)} has ${v.length} entries; a document holds at most 500.`,
      );
    }
    return v.map((x, i) => item(x, `${this.at(name)}[${i}]`));
  }

  /** Refuses fields that were not read: the record format defines every field. */
  done(): void {
    const extra = Object.keys(this.value).filter((k) => !this.seen.has(k));
    if (extra.length > 0) {
      throw new CustomsRecordError(
        this.at(extra[0]),
        `${this.at(extra[0])} is not a field of ${this.path === "$" ? "this record" : this.path}: remove it ` +
          `(unknown fields are refused so that nothing unchecked, personal data least of all, is published).`,
      );
    }
  }
}
