/**
 * What a buyer must be told first, in plain words: authentic; recalled (red: the reason from the recall's
 * record, the date, the authority, and what to do); held (amber: who holds it, since when, why); not
 * registered (likely counterfeit: report it); a code with a typo ("check the code", never like a
 * counterfeit); or another warning or failure (the verdict's reasons). From the verified report and the
 * records that matched their hashes only. Pure, browser-safe.
 */
import type { StepName } from "../codes";
import { codeProblem, type CodeProblem } from "./codeCheck";
import { eventFacts, placeContext, type CheckedRecords, type EventFacts } from "./eventFacts";
import { localDate } from "./localTime";
import type { VerificationReport } from "./types";

/** The extension field a record's free-text reason is kept in (`trace recall --reason`, `trace hold --reason`). */
export const REASON_FIELD = "cbectrace:reason";

/** A regulator's or customs' action on the unit (or on a parent it is packed in). */
export interface Action {
  /** Who took it: the organization's name. */
  by: string;
  date: { en: string; zh: string };
  /** The reason written in its record, when the record was served and matched its hash. */
  reason?: string;
  facts: EventFacts;
}

export type Standing =
  | { kind: "authentic" }
  | { kind: "recalled"; action?: Action; todo: { en: string; zh: string } }
  | { kind: "held"; action?: Action; todo: { en: string; zh: string } }
  | { kind: "counterfeit" }
  /** The claim code in hand was spent by someone else first (issue 17): the product is likely a copy. */
  | { kind: "copied"; claimedAt: number }
  | { kind: "typo"; problem: CodeProblem }
  | { kind: "warning" }
  | { kind: "fail" };

const RECALL_TODO = {
  en: "Stop using it and contact the seller for a refund or replacement.",
  zh: "请停止使用，并联系卖家退款或更换。",
};

const HOLD_TODO = {
  en: "The authority is checking it: do not use or resell it until the hold is lifted; ask the seller.",
  zh: "主管部门正在核查：解除扣留前请勿使用或转售，并向卖家咨询。",
};

/** The latest, not corrected, entry of one of `steps`. */
function latest(report: VerificationReport, steps: StepName[], records: CheckedRecords): Action | undefined {
  const entry = [...report.entries].reverse().find((e) => e.stepName && steps.includes(e.stepName) && !e.corrected);
  if (!entry) return undefined;
  const facts = eventFacts(entry, placeContext(report), records);
  const reason = facts.record?.[REASON_FIELD];
  return {
    by: facts.who,
    date: localDate(facts.time),
    ...(typeof reason === "string" && reason.trim() ? { reason: reason.trim() } : {}),
    facts,
  };
}

/**
 * The buyer's standing of a report.
 *
 * @param report - The verification report.
 * @param records - The records that matched their on-chain hashes.
 */
export function buyerStanding(report: VerificationReport, records: CheckedRecords): Standing {
  const codes = new Set(report.reasons.map((r) => r.code));
  if (codes.has("INVALID_CODE")) {
    const problem = codeProblem(report.input);
    return problem ? { kind: "typo", problem } : { kind: "fail" };
  }
  if (codes.has("NOT_REGISTERED")) return { kind: "counterfeit" };
  // A failing check outranks a recall: what the chain says cannot be trusted then.
  if (report.verdict === "fail") return { kind: "fail" };
  // A copy outranks a recall of the genuine product: the recall may not even concern what the buyer holds.
  if (codes.has("CLAIM_CODE_COPIED") && report.authenticity) {
    return { kind: "copied", claimedAt: report.authenticity.claim.claimedAt };
  }
  if (codes.has("RECALLED")) {
    const action = latest(report, ["RECALL"], records);
    return { kind: "recalled", ...(action ? { action } : {}), todo: RECALL_TODO };
  }
  if (codes.has("HELD")) {
    const action = latest(report, ["HOLD", "CUSTOMS_HELD"], records);
    return { kind: "held", ...(action ? { action } : {}), todo: HOLD_TODO };
  }
  return report.verdict === "authentic" ? { kind: "authentic" } : { kind: "warning" };
}
