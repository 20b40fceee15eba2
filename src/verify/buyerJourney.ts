/**
 * The journey as a buyer reads it: grouped by stage (production, packed / shipment created, inspection,
 * warehousing, customs, transport, delivery, after sale), each once, in the order the goods reached them, at
 * the events' own times (an event captured late, or a handover recorded after the next step, still shows
 * when it happened); in each stage the unit's own events first, then each stay in a carton or consignment
 * once, with the events recorded on it while the unit was inside. Finance steps are left out
 * (`buyerSteps.ts`). Pure, browser-safe.
 */
import type { Hex } from "viem";
import { JOURNEY_STAGE_LABELS, type JourneyStage } from "../page/text";
import { shownToBuyers, stageOfStep } from "./buyerSteps";
import { eventFacts, placeContext, type CheckedRecords, type EventFacts } from "./eventFacts";
import { unitsNamed, unitWords } from "./unitWords";
import type { VerificationReport } from "./types";

/** Events recorded on one unit: the verified unit itself (`via` absent) or a parent it was packed in. */
export interface Stay {
  /** The parent the events were recorded on, by its code ("carton SSCC …"); absent for the unit's own. */
  via?: { key: Hex; en: string; zh: string };
  events: EventFacts[];
}

/** One stage of the journey. */
export interface StageGroup {
  stage: JourneyStage;
  en: string;
  zh: string;
  stays: Stay[];
}

/**
 * The buyer's journey of a report.
 *
 * @param report - The verification report.
 * @param records - The records that matched their on-chain hashes.
 */
export function buyerJourney(report: VerificationReport, records: CheckedRecords): StageGroup[] {
  const ctx = placeContext(report);
  const named = unitsNamed(records.values());
  const kind = report.unit?.identity.kind;
  const container = kind === "logistic" || kind === "consignment";
  const groups: StageGroup[] = [];
  let stage: JourneyStage = container ? "shipment" : "production";
  // Sorted by event time (stable: the ledger's order among equal times), which every entry now carries.
  const byTime = report.entries.map((entry, i) => ({ entry, i }));
  byTime.sort((a, b) => a.entry.eventTime - b.entry.eventTime || a.i - b.i);
  for (const { entry } of byTime) {
    if (!shownToBuyers(entry.step)) continue;
    // Steps of any stage (handovers, holds, recalls) stay in the stage the goods were in.
    stage = stageOfStep(entry.stepName, container && !entry.inheritedFrom) ?? stage;
    // Each stage once, in the order the goods reached it: a clearance closed after departure is still customs.
    let group = groups.find((g) => g.stage === stage);
    if (!group) {
      const [en, zh] = JOURNEY_STAGE_LABELS[stage];
      group = { stage, en, zh, stays: [] };
      groups.push(group);
    }
    const parent = entry.inheritedFrom?.toLowerCase() as Hex | undefined;
    let stay = group.stays.find((s) => s.via?.key === parent);
    if (!stay) {
      const id = parent ? named.get(parent) : undefined;
      const words = id ? unitWords(id) : { en: "its packaging", zh: "所在包装" };
      stay = parent ? { via: { key: parent, ...words }, events: [] } : { events: [] };
      // The unit's own events come first in each stage.
      if (parent) group.stays.push(stay);
      else group.stays.unshift(stay);
    }
    stay.events.push(eventFacts(entry, ctx, records, container && !entry.inheritedFrom));
  }
  return groups;
}

/** How many events the buyer's journey shows. */
export function eventCount(groups: StageGroup[]): number {
  return groups.reduce((n, g) => n + g.stays.reduce((m, s) => m + s.events.length, 0), 0);
}
