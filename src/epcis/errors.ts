/**
 * Errors of the EPCIS module. Each class has a literal `name`, and every message quotes the bad input, says
 * what is wrong and what to do instead. `field` (or `path` for parsed JSON) names the offending property.
 */
import { TraceError } from "../errors/base";

/** Base class of every EPCIS error: catch this to handle them all. */
export abstract class EpcisError extends TraceError {
  override name: string = "EpcisError";

  constructor(message: string, options?: ErrorOptions) {
    super(message, { bare: true, ...(options?.cause !== undefined ? { cause: options.cause } : {}) });
  }
}

/** Quotes a value for an error message: strings in double quotes, anything else as JSON (or its type). */
export function quote(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined) return "undefined";
  if (typeof value === "function" || typeof value === "symbol") return typeof value;
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Thrown for an unknown step, disposition, business transaction type or source/destination type. */
export class EpcisVocabularyError extends EpcisError {
  override name = "EpcisVocabularyError" as const;
}

/** Thrown for a malformed location: a GLN with a wrong length or check digit, or a bad short code. */
export class EpcisLocationError extends EpcisError {
  override name = "EpcisLocationError" as const;
}

/** Thrown by the event builders for invalid input; `field` names the input property. */
export class EpcisEventError extends EpcisError {
  override name = "EpcisEventError" as const;
  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Thrown by `parseEpcisEvent` / `parseEpcisDocument` for an invalid incoming object; `path` locates it. */
export class EpcisParseError extends EpcisError {
  override name = "EpcisParseError" as const;
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Thrown when a value cannot be canonicalized (RFC 8785) for hashing; `path` locates it. */
export class EpcisHashError extends EpcisError {
  override name = "EpcisHashError" as const;
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Thrown when an event cannot be mapped to the contract's `TraceInput` fields. */
export class EpcisOnchainError extends EpcisError {
  override name = "EpcisOnchainError" as const;
}

/** An EPCIS error class that names the offending field or JSON path. */
type FieldErrorClass = new (at: string, message: string, options?: ErrorOptions) => EpcisError;

/**
 * Runs `fn`; an EPCIS error it throws (a vocabulary, location or hash error) is re-thrown as `ErrorClass` on
 * `at`, with `at` prefixed to its message unless the message already starts with it. Errors that already are
 * an `ErrorClass` pass through, as does anything that is not an EPCIS error.
 */
export function rethrowAt<T>(ErrorClass: FieldErrorClass, at: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ErrorClass || !(e instanceof EpcisError)) throw e;
    const message = e.message.startsWith(at) ? e.message : `${at}: ${e.message}`;
    throw new ErrorClass(at, message, { cause: e });
  }
}
