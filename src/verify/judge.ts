/**
 * The rules of the verdict (design.md §6): evidence in, reasons out, in the order a reader needs them. Pure:
 * no I/O, so every rule is tested without a chain.
 */
import { STEPS } from "../codes";
import type { Evidence, LedgerEvidence } from "./evidence";
import { REASONS, type ReasonCode } from "./reasons";
import type { NoticeFound, ReasonFound } from "./types";
import { ownershipFinding } from "./licence";
import { keyFindings } from "./keys";
import { authenticityNotices, authenticityReasons } from "./claimRules";

/** A reason with its severity and texts. */
export function reason(code: ReasonCode, detail?: string): ReasonFound {
  return { code, ...REASONS[code], ...(detail ? { detail } : {}) };
}

/**
 * The reasons the evidence gives (none: authentic). A failing reason that makes the rest meaningless (an
 * invalid code, another chain, an unregistered unit, a history not matching its head) is the only one.
 */
export function judge(evidence: Evidence): ReasonFound[] {
  if (evidence.kind === "invalidCode") return [reason("INVALID_CODE", evidence.error)];
  if (evidence.kind === "wrongDeployment") return [reason("WRONG_CHAIN", evidence.error)];

  const { view, state } = evidence;
  const deep = view.confirmations > 1;
  const depth = `as of block ${view.blockNumber}, ${view.confirmations} confirmations`;
  if (!state) return [reason("NOT_REGISTERED", `the ledger did not exist yet ${depth}`)];
  if (!state.registered) return [reason("NOT_REGISTERED", deep ? depth : undefined)];
  if (evidence.inconsistentLogs !== undefined) return [reason("HISTORY_MISMATCH", evidence.inconsistentLogs)];
  if (evidence.brokenHistories.length) {
    return evidence.brokenHistories.map((unit) => reason("HISTORY_MISMATCH", `unit ${unit}`));
  }
  if (evidence.stateDisagreements.length) {
    return evidence.stateDisagreements.map((d) =>
      reason("STATE_MISMATCH", `unit ${d.unit}: ${d.field} served as ${d.served}, its history says ${d.derived}`),
    );
  }

  const claimReasons = authenticityReasons(evidence.authenticity);
  if (claimReasons.some((r) => r.severity === "fail")) return claimReasons;
  // What the claim says of the product in hand comes first: it is what a buyer holding a copy must read.
  const reasons: ReasonFound[] = [...claimReasons];
  const registrant = evidence.registrant;
  if (!registrant || registrant.suspended || !registrant.name) {
    reasons.push(reason("REGISTRANT_UNIDENTIFIED", `organization ${state.registrant}`));
  }
  reasons.push(...ownershipReasons(evidence));
  reasons.push(...keyFindings(evidence.keys).reasons);
  for (const e of evidence.entries) {
    if (e.signatureValid === false) reasons.push(reason("SIGNATURE_INVALID", `entry ${e.seq} in ${e.transactionHash}`));
    if (e.recordMatches === false) {
      const why = e.recordNamesOtherUnit ? ": it names another unit" : "";
      reasons.push(reason("RECORD_MISMATCH", `entry ${e.seq} (${e.stepName})${why}`));
    }
    const org = e.organization;
    const allowedNow = evidence.matrix.get(e.step);
    if (!org || org.suspended || (allowedNow !== undefined && (allowedNow & org.roles) === 0)) {
      reasons.push(reason("SIGNER_NOT_ALLOWED", `entry ${e.seq} (${e.stepName}) by organization ${e.org}`));
    }
  }

  // A flag on a parent holds for everything packed in it.
  const effective = (flag: "recalled" | "held" | "flagged") =>
    state[flag] || evidence.parents.some((p) => p.state?.[flag]);
  if (effective("recalled")) reasons.push(reason("RECALLED"));
  if (effective("held")) reasons.push(reason("HELD"));
  if (effective("flagged")) reasons.push(reason("FLAGGED"));
  const released = evidence.entries.some((e) => e.step === STEPS.CUSTOMS_RELEASED);
  const delivered = evidence.entries.some((e) => e.step === STEPS.DELIVERED);
  if (!released) reasons.push(reason(delivered ? "DELIVERED_WITHOUT_RELEASE" : "NO_CUSTOMS_RELEASE"));
  if (evidence.entries.some((e) => e.corrected)) reasons.push(reason("CORRECTED"));
  const missing = evidence.entries.filter((e) => e.recordMissing);
  if (missing.length) {
    reasons.push(reason("RECORD_UNAVAILABLE", missing.map((e) => `entry ${e.seq} (${e.stepName})`).join(", ")));
  }
  return reasons;
}

/** The ownership rule: the registrant held the code's prefix, or was authorized by its holder (from 2.1.0). */
function ownershipReasons(evidence: LedgerEvidence): ReasonFound[] {
  if (!evidence.ownership) return [reason("PREFIX_NOT_HELD", "the prefix registry's history was not read")];
  const finding = ownershipFinding(evidence.ownership);
  if (finding.status === "unchecked") return [reason("OWNERSHIP_NOT_CHECKED", `ledger version ${finding.version}`)];
  if (finding.status === "notHeld") return [reason("PREFIX_NOT_HELD", finding.why)];
  return [];
}

/** The notices the evidence gives: noteworthy facts that leave the verdict as it is. */
export function notices(evidence: Evidence): NoticeFound[] {
  return evidence.kind === "ledger"
    ? [...keyFindings(evidence.keys).notices, ...authenticityNotices(evidence.authenticity)]
    : [];
}
