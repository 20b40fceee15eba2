/**
 * The verdict's rules for the first-scan claim (issue 17, `docs/authenticity.md` §2): a code in the buyer's
 * hands that the chain says was spent is a likely copy, a claim recorded before delivery is a warning, and a
 * registry answer that cannot belong to the pinned block fails the verdict. Pure.
 */
import type { AuthenticityEvidence } from "./authenticity";
import { DELIVERED_STAGE } from "./authenticity";
import { REASONS, NOTICES, type ReasonCode } from "./reasons";
import type { NoticeFound, ReasonFound } from "./types";

const found = (code: ReasonCode, detail?: string): ReasonFound => ({
  code,
  ...REASONS[code],
  ...(detail ? { detail } : {}),
});

/** "claimed on 2026-11-30 14:05 UTC at block 812" */
const when = (e: AuthenticityEvidence) =>
  `claimed on ${new Date(e.read.claim.claimedAt * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC at block ${e.read.claim.claimBlock}`;

/** The reasons of a unit's claim state and the code offered with the verification. */
export function authenticityReasons(e: AuthenticityEvidence | undefined): ReasonFound[] {
  if (!e) return [];
  if (e.inconsistencies.length) return [found("AUTHENTICITY_MISMATCH", e.inconsistencies.join("; "))];
  const { claim } = e.read;
  const claimed = claim.claimedAt > 0;
  const reasons: ReasonFound[] = [];
  // A code that opens the commitment of a claimed unit, or one that does not open it while somebody else's
  // did: either way the first claim was not this code holder's (unless it was their own, which the text says).
  if (e.offered === "already-claimed" || (e.offered === "wrong-code" && claimed)) {
    reasons.push(
      found(
        "CLAIM_CODE_COPIED",
        `${when(e)}; the code offered ${e.offered === "wrong-code" ? "is not this product's" : "is this product's"}`,
      ),
    );
  } else if (e.offered === "wrong-code") {
    reasons.push(found("CLAIM_CODE_WRONG"));
  }
  if (claimed && claim.stage < DELIVERED_STAGE)
    reasons.push(found("CLAIMED_BEFORE_DELIVERY", `${when(e)}, stage ${claim.stage}`));
  return reasons;
}

/** Notices of the claim: a code offered for a unit the brand committed none for. */
export function authenticityNotices(e: AuthenticityEvidence | undefined): NoticeFound[] {
  return e && !e.inconsistencies.length && e.offered === "no-commitment"
    ? [{ code: "NO_CLAIM_CODE", ...NOTICES.NO_CLAIM_CODE }]
    : [];
}
