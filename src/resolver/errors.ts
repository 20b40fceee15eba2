/**
 * Errors of the GS1 resolver: a request the resolver cannot answer, with the HTTP status it is answered
 * with. Syntax errors of the Digital Link itself stay `Gs1Error`s; the route maps both to problem answers.
 */
import { TraceError } from "../errors/base";

/** Codes of {@link ResolverRequestError}. */
export type ResolverErrorCode =
  "PATH" | "LINK_TYPE" | "NOT_REGISTERED" | "NO_SUCH_LINK_TYPE" | "NOT_ACCEPTABLE" | "METHOD" | "BODY" | "UNAVAILABLE";

const STATUS: Readonly<Record<ResolverErrorCode, number>> = {
  PATH: 400,
  LINK_TYPE: 400,
  NOT_REGISTERED: 404,
  NO_SUCH_LINK_TYPE: 404,
  NOT_ACCEPTABLE: 406,
  METHOD: 405,
  BODY: 413,
  UNAVAILABLE: 503,
};

/** Thrown when a resolver request is malformed, names nothing we hold, or cannot be answered now. */
export class ResolverRequestError extends TraceError {
  override name = "ResolverRequestError" as const;
  readonly code: ResolverErrorCode;
  readonly status: number;

  constructor(code: ResolverErrorCode, message: string) {
    super(message, { bare: true });
    this.code = code;
    this.status = STATUS[code];
  }
}

/** Thrown when the resolver is configured with a public URL that is not a scheme and host. */
export class ResolverConfigError extends TraceError {
  override name = "ResolverConfigError" as const;
}
