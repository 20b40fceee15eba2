/** Errors of the customs records: each names the JSONPath of the bad value, says what is wrong and what to do. */
import { TraceError } from "../errors/base";

/** Thrown when a customs document record is malformed; `path` is the JSONPath of the offending value. */
export class CustomsRecordError extends TraceError {
  override name = "CustomsRecordError" as const;
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown; hints?: string[] },
  ) {
    super(message, { bare: true, ...options });
  }
}

/**
 * Thrown when a public form would carry personal data: a name, identity number, telephone or address of the
 * private form found (after Unicode normalization) in a field that is published. `path` names that field.
 */
export class CustomsPersonalDataError extends TraceError {
  override name = "CustomsPersonalDataError" as const;
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message, { bare: true });
  }
}

/** Thrown when a record cannot become ledger input (a declaration citing the wrong documents, a bad unit key). */
export class CustomsInputError extends TraceError {
  override name = "CustomsInputError" as const;
  constructor(message: string, options?: { hints?: string[] }) {
    super(message, { bare: true, ...options });
  }
}
