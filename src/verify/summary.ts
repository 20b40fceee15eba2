/**
 * The one line on top of the buyer's page: made where and by whom, released by customs where, shipped from
 * where, delivered where, and how many days the goods travelled — with names, local times and both
 * languages. Built only from the verified report and the records that matched their hashes. Pure,
 * browser-safe (the CLI can print the same line).
 */
import type { StepName } from "../codes";
import { countryName } from "./places";
import { eventFacts, placeContext, type CheckedRecords, type EventFacts } from "./eventFacts";
import { localDate } from "./localTime";
import type { VerificationReport, VerifiedEntry } from "./types";

/** One part of the summary. */
export interface SummaryPart {
  kind: "made" | "released" | "shipped" | "delivered" | "transit";
  en: string;
  zh: string;
}

/** The summary: its parts, and the line they make. */
export interface BuyerSummary {
  parts: SummaryPart[];
  en: string;
  zh: string;
}

const DAY = 86_400;

/** The first entry of one of `steps` (in `steps` order of preference), skipping corrected ones. */
function first(entries: VerifiedEntry[], steps: StepName[], own = false): VerifiedEntry | undefined {
  for (const s of steps) {
    const e = entries.find((x) => x.stepName === s && !x.corrected && (!own || !x.inheritedFrom));
    if (e) return e;
  }
  return undefined;
}

/** The last entry of one of `steps`, skipping corrected ones. */
function last(entries: VerifiedEntry[], steps: StepName[]): VerifiedEntry | undefined {
  for (const s of steps) {
    const e = [...entries].reverse().find((x) => x.stepName === s && !x.corrected);
    if (e) return e;
  }
  return undefined;
}

/** "at Hamburg, Germany" style place words, or the organization's country when the event names no place. */
function where(f: EventFacts): { en: string; zh: string } | undefined {
  if (f.place) return { en: f.place.en, zh: f.place.zh };
  const c = f.entry.organization?.country;
  return c ? countryName(c) : undefined;
}

/**
 * The summary of a verified unit (none when nothing is registered: a counterfeit or a typo has no journey).
 *
 * @param report - The verification report.
 * @param records - The records that matched their on-chain hashes ({@link CheckedRecords}).
 */
export function buyerSummary(report: VerificationReport, records: CheckedRecords): BuyerSummary | undefined {
  if (!report.state?.registered || !report.entries.length) return undefined;
  const ctx = placeContext(report);
  const facts = (e: VerifiedEntry | undefined) => (e ? eventFacts(e, ctx, records) : undefined);
  const parts: SummaryPart[] = [];
  const item = report.unit?.identity.kind !== "logistic" && report.unit?.identity.kind !== "consignment";

  const made = facts(first(report.entries, ["COMMISSIONING"], true));
  if (made) {
    // At the maker's own GLN (or nowhere named) the country says where; any other place is named.
    const c = made.entry.organization?.country;
    const other = made.place && made.place.kind !== "organization" ? made.place : undefined;
    const at = other
      ? other.kind === "site" && other.orgId === made.entry.org
        ? { en: " at one of its sites", zh: "在其场所" }
        : { en: ` at ${other.en}`, zh: `在${other.zh}` }
      : c
        ? { en: ` in ${countryName(c).en}`, zh: `在${countryName(c).zh}` }
        : { en: "", zh: "" };
    const d = localDate(made.time);
    const verb = item ? { en: "Made", zh: "生产" } : { en: "Registered", zh: "登记" };
    parts.push({
      kind: "made",
      en: `${verb.en} by ${made.who}${at.en} on ${d.en}`,
      zh: `${d.zh}由${made.who}${at.zh}${verb.zh}`,
    });
  }
  const released = facts(first(report.entries, ["CUSTOMS_RELEASED"]));
  if (released) {
    const w = where(released);
    const d = localDate(released.time);
    parts.push({
      kind: "released",
      en: `released by ${released.who}${w ? ` (${w.en})` : ""} on ${d.en}`,
      zh: `${d.zh}经${released.who}${w ? `（${w.zh}）` : ""}放行`,
    });
  }
  const departed = facts(first(report.entries, ["DEPARTING", "SHIPPING", "LOADING"]));
  if (departed) {
    const w = where(departed);
    const d = localDate(departed.time);
    parts.push({
      kind: "shipped",
      en: `shipped from ${w?.en ?? departed.who} on ${d.en}`,
      zh: `${d.zh}自${w?.zh ?? departed.who}发运`,
    });
  }
  const delivered = facts(last(report.entries, ["DELIVERED", "RETAIL_SELLING"]));
  if (delivered) {
    const w = where(delivered);
    const d = localDate(delivered.time);
    parts.push({
      kind: "delivered",
      en: `delivered to ${w?.en ?? "the buyer"} on ${d.en}`,
      zh: `${d.zh}交付至${w?.zh ?? "买家"}`,
    });
  }
  if (departed) {
    const end = delivered ?? facts(last(report.entries, ["ARRIVING", "UNLOADING"]));
    if (end && end.entry.eventTime >= departed.entry.eventTime) {
      const days = Math.max(1, Math.round((end.entry.eventTime - departed.entry.eventTime) / DAY));
      parts.push({
        kind: "transit",
        en: `${days} day${days === 1 ? "" : "s"} in transit`,
        zh: `运输 ${days} 天`,
      });
    }
  }
  if (!parts.length) return undefined;
  const en = parts.map((p) => p.en).join(" · ");
  return { parts, en: en.charAt(0).toUpperCase() + en.slice(1), zh: parts.map((p) => p.zh).join(" · ") };
}
