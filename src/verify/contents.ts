/**
 * What a carton or consignment holds, from its own packing and unpacking records (AggregationEvents whose
 * hash the verifier matched on chain): children added and not taken out again, by code. Pure, browser-safe.
 */
import type { Hex } from "viem";
import { STEPS } from "../codes";
import { checkedRecord, type CheckedRecords } from "./eventFacts";
import { isParentLink } from "./collect";
import { unitWords } from "./unitWords";
import { parseGs1, type Gs1Identity } from "../gs1";
import type { VerificationReport } from "./types";

/** One unit packed inside. */
export interface ContentItem {
  identity: Gs1Identity;
  en: string;
  zh: string;
}

/** The contents and whether every packing entry's record was there to read them from. */
export interface Contents {
  items: ContentItem[];
  /** Packing or unpacking entries whose record was missing: the list may be incomplete. */
  unreadEntries: number;
}

/** The children of the report's unit, from its own (un)packing records, in packing order. */
export function contentsOf(report: VerificationReport, records: CheckedRecords): Contents {
  const inside = new Map<Hex, Gs1Identity>();
  let unreadEntries = 0;
  for (const e of report.entries) {
    // Its own (un)packings of children; the entries of its own packing into a parent hold no record.
    if (e.inheritedFrom || (e.step !== STEPS.PACKING && e.step !== STEPS.UNPACKING) || isParentLink(e)) continue;
    const record = checkedRecord(e, records);
    if (!record || record.type !== "AggregationEvent") {
      unreadEntries++;
      continue;
    }
    for (const uri of record.childEPCs) {
      let id: Gs1Identity;
      try {
        id = parseGs1(uri);
      } catch {
        continue;
      }
      const key = id.key.toLowerCase() as Hex;
      if (e.step === STEPS.PACKING) inside.set(key, id);
      else inside.delete(key);
    }
  }
  return { items: [...inside.values()].map((identity) => ({ identity, ...unitWords(identity) })), unreadEntries };
}
