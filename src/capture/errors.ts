/** Errors of the capture interface's credentials: typed SDK errors, each saying what to do. */
import { TraceError } from "../errors/base";

/** The account cannot be a capture key (not an active account, or not delegated by its own organization). */
export class CaptureKeyRefusedError extends TraceError {
  override name = "CaptureKeyRefusedError" as const;
}

/** The platform holds no usable key for a token's account. */
export class CaptureKeyMissingError extends TraceError {
  override name = "CaptureKeyMissingError" as const;
}
