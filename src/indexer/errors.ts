/** Typed errors of the ledger index (Node-only). */
import { TraceError } from "../errors/base";

/** The database could not be opened, or holds an index of another schema version, chain or ledger. */
export class IndexDatabaseError extends TraceError {
  override name = "IndexDatabaseError" as const;
}

/** A query asked for blocks the index has not reached yet: answering would silently omit entries. */
export class IndexBehindError extends TraceError {
  override name = "IndexBehindError" as const;
  constructor(
    readonly wanted: bigint,
    readonly indexedTo: bigint,
  ) {
    super(`The index has reached block ${indexedTo}, not block ${wanted}.`, {
      hints: ["Ask again once `trace index` has caught up, or read the chain itself."],
    });
  }
}

/** A query input is malformed (a bad page cursor, a filter the index cannot answer). */
export class IndexQueryError extends TraceError {
  override name = "IndexQueryError" as const;
}

/** The node answered something a chain cannot (a log whose block hash is not its block's). */
export class IndexSourceError extends TraceError {
  override name = "IndexSourceError" as const;
}
