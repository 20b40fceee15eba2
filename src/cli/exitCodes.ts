/** Exit codes of the `trace` CLI (documented in the README). */
export const EXIT = {
  /** Done (for `trace verify`: the verdict is authentic). */
  OK: 0,
  /** Something unexpected (a bug): the message says what. */
  UNEXPECTED: 1,
  /** Bad input or usage: wrong flag, malformed GS1 code, invalid file row, missing setting. */
  INVALID_INPUT: 2,
  /** The ledger refused (not allowed, out of scope, stage rules, unknown unit…). */
  REFUSED: 3,
  /** Network, chain or deployment problem (node unreachable, wrong chain id, no ledger at the address). */
  NETWORK: 4,
  /**
   * Part of the work is done, the rest is listed: `trace relay` recorded some signed batches and the others
   * were refused; a write is on chain but some of its records were not published to the platform (they stay
   * in the local store: `trace records publish`); `trace records publish` had records refused.
   */
  PARTIAL: 5,
  /**
   * `trace verify` ran and the verdict is "warning" (recalled, held, no customs release…). Verdicts have
   * codes of their own, apart from the error codes above, so a script can tell a crash from a verdict.
   */
  VERDICT_WARNING: 10,
  /** `trace verify` ran and the verdict is "fail" (unregistered, wrong chain or contract, tampered history…). */
  VERDICT_FAIL: 11,
} as const;
