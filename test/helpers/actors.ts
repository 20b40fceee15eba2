/** Who records which step under the default permissions, and the 9610 path that brings a unit to a stage. */
import type { StageName, StepName } from "../../src/codes";
import { traceInput, type LedgerFixture, type MemberName } from "./ledger";
import { declareExport } from "./customs";

/** Who records a step in the state-machine tests; anything not listed is recorded by the exporter. */
export const ACTOR: Partial<Record<StepName, MemberName>> = {
  CUSTOMS_DECLARED: "broker",
  CUSTOMS_INSPECTED: "customs",
  CUSTOMS_HELD: "customs",
  CUSTOMS_RELEASED: "customs",
  CUSTOMS_EXITED: "customs",
  CUSTOMS_RETURNED: "customs",
  CUSTOMS_REJECTED: "customs",
  DEPARTING: "carrier",
  TRANSPORTING: "carrier",
  DELIVERED: "carrier",
  LOADING: "carrier",
  ARRIVING: "carrier",
  UNLOADING: "carrier",
  ENTERING_EXITING: "carrier",
  RETURNED: "carrier",
  HOLD: "customs",
  HOLD_LIFTED: "customs",
  FLAGGED: "market",
  FLAG_LIFTED: "market",
  RECALL: "market",
  RECALL_LIFTED: "market",
};

/** A stage a fresh unit reaches by recording steps (DESTROYED is reached by destroying, from anywhere). */
export type ReachableStage = Exclude<StageName, "DESTROYED">;

/** The steps that bring a fresh unit to a stage along the 9610 path. */
export const PATH_TO: Record<ReachableStage, StepName[]> = {
  ACTIVE: [],
  DECLARED: ["CUSTOMS_DECLARED"],
  RELEASED: ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED"],
  DEPARTED: ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED", "DEPARTING"],
  EXITED: ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED", "DEPARTING", "CUSTOMS_EXITED"],
  DELIVERED: ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED", "DEPARTING", "CUSTOMS_EXITED", "DELIVERED"],
  RETURNED: ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED", "DEPARTING", "DELIVERED", "RETURNED"],
};

/**
 * Records `step` on `unit` as `by`, or else as the step's usual actor ({ACTOR}), or else as the exporter.
 * CUSTOMS_DECLARED is a customs document since 2.2: it is filed as a 1210 declaration (customs files the zone
 * entry it cites first, an ENTERING_EXITING entry before the declaration's), the one mode whose supporting
 * document a regulator files, so no other organization needs to be in scope.
 */
export function rec(f: LedgerFixture, unit: string, step: StepName, by?: MemberName) {
  const actor = by ?? ACTOR[step] ?? "exporter";
  if (step === "CUSTOMS_DECLARED") return declareExport(f, unit, 1210, { by: actor });
  return f.ledger.connect(f.accounts[actor]).record(traceInput(unit, step));
}

/** Records the {PATH_TO} steps of `stage` on a fresh unit, each by its usual actor. */
export async function advance(f: LedgerFixture, unit: string, stage: StageName): Promise<void> {
  if (stage === "DESTROYED") throw new Error("DESTROYED is reached by destroying, not along the 9610 path");
  for (const step of PATH_TO[stage]) await rec(f, unit, step);
}
