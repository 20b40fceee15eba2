/** The errors of a deployment: a malformed parameters file, or a refused or failed deployment. */
import { TraceError, type TraceErrorOptions } from "../../src/errors/base";

/** The parameters file is malformed: unknown names, a negative delay, a bad address. */
export class ParametersError extends TraceError {
  override name = "ParametersError" as const;
}

/** What went wrong, for callers that react to a kind of failure (e.g. `npm start` resetting a local chain). */
export type DeployErrorCode =
  | "UNREACHABLE"
  | "WRONG_CHAIN"
  | "NO_ACCOUNT"
  | "BAD_PARAMETERS"
  | "STALE_JOURNAL"
  | "RESET_REFUSED"
  | "JOURNAL_CONFLICT"
  | "PREVIOUS_RUN_FAILED"
  | "DEPLOYMENT_FAILED";

/** A deployment refused or failed, with hints saying what to do. */
export class DeployError extends TraceError {
  override name = "DeployError" as const;
  constructor(
    readonly code: DeployErrorCode,
    shortMessage: string,
    options: TraceErrorOptions = {},
  ) {
    super(shortMessage, options);
  }
}

/** The first line of an error's message, with the code or message of its cause when that adds something. */
export function reason(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string; code?: string } };
  const msg = (e?.message ?? String(error)).split("\n")[0];
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause && !msg.includes(cause) ? `${msg} (${cause})` : msg;
}
