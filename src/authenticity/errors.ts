/**
 * The authenticity verifiers' refusals (issue 17): a tag message or chip signature that does not prove what it
 * claims, and input that is not of the expected form. Each says what is wrong and what to do.
 */
import { TraceError } from "../errors/base";

/** An argument is malformed (wrong length, not hex, a key that is not 16 bytes...). */
export class AuthenticityInputError extends TraceError {
  override name = "AuthenticityInputError" as const;
}

/** A SUN message or chip signature does not verify: a forged or copied tag, a tampered URL, or the wrong key. */
export class TagNotGenuineError extends TraceError {
  override name = "TagNotGenuineError" as const;
}

/** A tap whose counter is not above the last accepted one: a replayed (recorded and re-sent) tap. */
export class ReplayedTapError extends TraceError {
  override name = "ReplayedTapError" as const;
  constructor(
    readonly counter: number,
    readonly lastCounter: number,
    what: string,
  ) {
    super(`Replayed tap: ${what} counter ${counter} is not above the last accepted counter ${lastCounter}.`, {
      hints: [
        "A genuine tag's counter rises on every tap: this message was recorded earlier and sent again (or copied).",
        "Tap the tag again to get a fresh message.",
      ],
    });
  }
}

/** The claim code a buyer entered is not of the printed form. */
export class ClaimCodeError extends TraceError {
  override name = "ClaimCodeError" as const;
}
