/**
 * Errors of the GS1 layer. Every failure is a subclass of {@link Gs1Error} with a literal `name` and a
 * machine-readable `code`; the message quotes the bad input, says what is wrong and what to do about it.
 *
 * | class | codes |
 * |---|---|
 * | {@link Gs1CheckDigitError} | `CHECK_DIGIT` |
 * | {@link Gs1ValueError} | `LENGTH`, `CHARSET`, `EMPTY_VALUE`, `INVALID_DATE`, `NOT_A_STRING` |
 * | {@link Gs1StructureError} | `UNKNOWN_AI`, `QUALIFIER_ORDER`, `DUPLICATE_AI`, `NOT_A_QUALIFIER`, `INVALID_COMBINATION`, `MISSING_PRIMARY_KEY`, `MULTIPLE_PRIMARY_KEYS`, `UNSUPPORTED_KEY`, `UNKNOWN_FIELD`, `INCONSISTENT_IDENTITY` |
 * | {@link Gs1SyntaxError} | `NOT_A_DIGITAL_LINK`, `PERCENT_ENCODING`, `MALFORMED_ELEMENT_STRING`, `INVALID_OPTION` |
 *
 * Browser-safe: no Node-only APIs.
 */
import { TraceError } from "../errors/base";

/** Codes of {@link Gs1CheckDigitError}. */
export type Gs1CheckDigitCode = "CHECK_DIGIT";
/** Codes of {@link Gs1ValueError}: a single AI value is malformed. */
export type Gs1ValueCode = "LENGTH" | "CHARSET" | "EMPTY_VALUE" | "INVALID_DATE" | "NOT_A_STRING";
/** Codes of {@link Gs1StructureError}: the values may be fine, but their combination is not a valid key. */
export type Gs1StructureCode =
  | "UNKNOWN_AI"
  | "QUALIFIER_ORDER"
  | "DUPLICATE_AI"
  | "NOT_A_QUALIFIER"
  | "INVALID_COMBINATION"
  | "MISSING_PRIMARY_KEY"
  | "MULTIPLE_PRIMARY_KEYS"
  | "UNSUPPORTED_KEY"
  | "UNKNOWN_FIELD"
  | "INCONSISTENT_IDENTITY";
/** Codes of {@link Gs1SyntaxError}: the text is not a Digital Link / element string at all, or an option is wrong. */
export type Gs1SyntaxCode = "NOT_A_DIGITAL_LINK" | "PERCENT_ENCODING" | "MALFORMED_ELEMENT_STRING" | "INVALID_OPTION";

/** Every code a {@link Gs1Error} can carry. */
export type Gs1ErrorCode = Gs1CheckDigitCode | Gs1ValueCode | Gs1StructureCode | Gs1SyntaxCode;

/** What a GS1 error is about, for programs that want more than the message. */
export interface Gs1ErrorDetails {
  /** The Application Identifier concerned, when there is one (e.g. `"21"`). */
  ai?: string;
  /** The offending input: a value, a URI or an element string. */
  input?: string;
}

/**
 * Base class of all GS1 errors: thrown when a GS1 identifier, Digital Link URI or element string is malformed.
 * `code` says which rule failed; `ai` and `input` say where.
 */
export class Gs1Error extends TraceError {
  override name: string = "Gs1Error";
  readonly code: Gs1ErrorCode;
  readonly ai?: string;
  readonly input?: string;

  constructor(code: Gs1ErrorCode, message: string, details: Gs1ErrorDetails = {}) {
    super(message, { bare: true });
    this.code = code;
    if (details.ai !== undefined) this.ai = details.ai;
    if (details.input !== undefined) this.input = details.input;
  }
}

/** Thrown when a GTIN, SSCC, GLN or GSIN ends with the wrong mod-10 check digit. */
export class Gs1CheckDigitError extends Gs1Error {
  override name = "Gs1CheckDigitError" as const;
  declare readonly code: Gs1CheckDigitCode;
  /** The check digit the other digits call for. */
  readonly expected: number;

  constructor(message: string, expected: number, details: Gs1ErrorDetails = {}) {
    super("CHECK_DIGIT", message, details);
    this.expected = expected;
  }
}

/** Thrown when one AI value has the wrong length, a character outside its character set, or an impossible date. */
export class Gs1ValueError extends Gs1Error {
  override name = "Gs1ValueError" as const;
  declare readonly code: Gs1ValueCode;

  constructor(code: Gs1ValueCode, message: string, details: Gs1ErrorDetails = {}) {
    super(code, message, details);
  }
}

/** Thrown when AIs are combined in a way GS1 or cbec-trace does not allow (order, duplicates, missing key…). */
export class Gs1StructureError extends Gs1Error {
  override name = "Gs1StructureError" as const;
  declare readonly code: Gs1StructureCode;

  constructor(code: Gs1StructureCode, message: string, details: Gs1ErrorDetails = {}) {
    super(code, message, details);
  }
}

/** Thrown when text is not a GS1 Digital Link URI or element string at all, or a builder option is invalid. */
export class Gs1SyntaxError extends Gs1Error {
  override name = "Gs1SyntaxError" as const;
  declare readonly code: Gs1SyntaxCode;

  constructor(code: Gs1SyntaxCode, message: string, details: Gs1ErrorDetails = {}) {
    super(code, message, details);
  }
}
