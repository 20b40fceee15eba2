/** Exit codes of the `trace` CLI (documented in the README). */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** Something unexpected (a bug): the message says what. */
  UNEXPECTED: 1,
  /** Bad input or usage: wrong flag, malformed GS1 code, invalid file row, missing setting. */
  INVALID_INPUT: 2,
  /** The ledger refused (not allowed, out of scope, stage rules, unknown unit…). */
  REFUSED: 3,
  /** Network, chain or deployment problem (node unreachable, wrong chain id, no ledger at the address). */
  NETWORK: 4,
} as const;
