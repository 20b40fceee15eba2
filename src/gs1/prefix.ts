/**
 * Where a code's GS1 Company Prefix is: in every canonical path (`key.ts`) it starts at byte
 * `LIMITS.PREFIX_OFFSET` — after `/01/` and the GTIN-14's indicator digit, after `/00/` and the SSCC's
 * extension digit, right after `/401/` and `/414/` — and the ledger checks the licence of those digits when
 * the code is registered. The one place the SDK derives the candidates; browser-safe.
 */
import { LIMITS } from "../generated/codes";

/**
 * The prefixes a canonical path could be registered under, shortest first: its 4 to 12 digits at the prefix
 * offset. The registry licenses digit strings only, so a non-digit ends every longer candidate too.
 */
export function prefixCandidates(path: string): string[] {
  const at = Number(LIMITS.PREFIX_OFFSET);
  const digits = /^[0-9]*/.exec(path.slice(at, at + Number(LIMITS.MAX_PREFIX_DIGITS)))![0];
  const out: string[] = [];
  for (let n = Number(LIMITS.MIN_PREFIX_DIGITS); n <= digits.length; n++) out.push(digits.slice(0, n));
  return out;
}
