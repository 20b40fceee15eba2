/** Failures of the local consortium network (Node-only, like the rest of src/node). */
import { TraceError } from "../../../src/errors/base";

/** A consortium node did not start, did not peer, or the network did not agree on its blocks. */
export class ConsortiumNodeError extends TraceError {
  override name = "ConsortiumNodeError" as const;
  constructor(message: string, hints: string[], details?: string) {
    super(message, { hints, ...(details ? { details } : {}) });
  }
}
