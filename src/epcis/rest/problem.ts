/**
 * Errors of the EPCIS 2.0 REST interface (capture, query, subscriptions) and of the GS1 resolver, as the
 * bindings define them: an RFC 7807 problem body (`application/problem+json`) whose `type` is one of the
 * `epcisException:…` names of the OpenAPI document, with the HTTP status that goes with it. One list, so
 * capture and query answer the same error the same way. Node-only (it writes to a `ServerResponse`).
 */
import type { ServerResponse } from "node:http";
import { epcisResponseHeaders } from "./headers";

/** The exception types of the EPCIS 2.0 REST bindings and the status each is sent with. */
export const EPCIS_EXCEPTIONS = {
  ValidationException: 400,
  QueryParameterException: 400,
  QueryValidationException: 400,
  SubscriptionControlsException: 400,
  SecurityException: 401,
  NoSuchResourceException: 404,
  NoSuchNameException: 404,
  NotAcceptableException: 406,
  ResourceAlreadyExistsException: 409,
  CaptureLimitExceededException: 413,
  QueryTooLargeException: 413,
  QueryTooComplexException: 413,
  URITooLongException: 414,
  UnsupportedMediaTypeException: 415,
  ImplementationException: 500,
} as const;

export type EpcisExceptionName = keyof typeof EPCIS_EXCEPTIONS;

/** An RFC 7807 problem body. */
export interface ProblemBody {
  type: `epcisException:${EpcisExceptionName}`;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
}

/** Thrown by the interface's parsers and handlers; the route turns it into the problem answer. */
export class EpcisRestError extends Error {
  readonly status: number;
  constructor(
    readonly exception: EpcisExceptionName,
    /** What is wrong and what to do, for the client's developer. */
    readonly detail: string,
    /** The status, when the bindings allow another than the exception's usual one (e.g. 403, 501). */
    status?: number,
  ) {
    super(`${exception}: ${detail}`);
    this.name = "EpcisRestError";
    this.status = status ?? EPCIS_EXCEPTIONS[exception];
  }
}

const TITLES: Record<EpcisExceptionName, string> = {
  ValidationException: "The document is not valid EPCIS 2.0",
  QueryParameterException: "A query parameter is not valid",
  QueryValidationException: "The query is not valid",
  SubscriptionControlsException: "The subscription controls are not valid",
  SecurityException: "Not authorized",
  NoSuchResourceException: "No such resource",
  NoSuchNameException: "No such name",
  NotAcceptableException: "None of the accepted media types can be served",
  ResourceAlreadyExistsException: "The resource already exists",
  CaptureLimitExceededException: "The capture limit is exceeded",
  QueryTooLargeException: "The query result is too large",
  QueryTooComplexException: "The query is too complex",
  URITooLongException: "The request URI is too long",
  UnsupportedMediaTypeException: "The media type is not supported",
  ImplementationException: "The server failed",
};

/** The problem body of an exception. */
export function problemBody(exception: EpcisExceptionName, detail: string, status?: number): ProblemBody {
  return {
    type: `epcisException:${exception}`,
    title: TITLES[exception],
    status: status ?? EPCIS_EXCEPTIONS[exception],
    detail,
  };
}

/** Sends an exception as `application/problem+json` with the EPCIS version headers. */
export function sendProblem(
  res: ServerResponse,
  error: EpcisRestError | { exception: EpcisExceptionName; detail: string; status?: number },
  extraHeaders: Record<string, string> = {},
): void {
  const body = problemBody(error.exception, error.detail, error.status);
  res.writeHead(body.status, {
    ...epcisResponseHeaders(),
    "content-type": "application/problem+json; charset=utf-8",
    "cache-control": "no-store",
    ...extraHeaders,
  });
  res.end(JSON.stringify(body));
}
