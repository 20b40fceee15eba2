/** Typed errors of the explorer: each becomes an HTML page with its status (400 or 404), never a stack trace. */
import { TraceError } from "../errors/base";

/** The request names something in a malformed way (bad hex, bad number, a cursor the index did not give). */
export class ExplorerInputError extends TraceError {
  override name = "ExplorerInputError" as const;
  readonly status = 400;
}

/** The request is well formed but the index holds no such thing. */
export class ExplorerNotFoundError extends TraceError {
  override name = "ExplorerNotFoundError" as const;
  readonly status = 404;
}
