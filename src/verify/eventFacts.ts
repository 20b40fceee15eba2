/**
 * One journey event as a buyer reads it: who (the organization's name), where (a place name), when (local
 * time with its offset) and the state the goods were left in (disposition in words). Only records whose hash
 * the verifier matched against the chain are read, so nothing here comes from an unchecked source. Pure,
 * browser-safe: the page, and later the CLI, render these facts.
 */
import type { Hex } from "viem";
import type { EpcisEvent } from "../epcis/types";
import { STEP_LABELS } from "../page/text";
import { dispositionWords } from "./buyerSteps";
import { localTime, type LocalTime } from "./localTime";
import { organizationName, placeOf, type Place, type PlaceContext } from "./places";
import type { OrganizationInfo, VerificationReport, VerifiedEntry } from "./types";

/** The off-chain records whose hash matched their entry, by lower-case record hash. */
export type CheckedRecords = ReadonlyMap<string, EpcisEvent>;

/** What a buyer reads about one event. */
export interface EventFacts {
  entry: VerifiedEntry;
  step: { en: string; zh: string };
  who: string;
  place?: Place;
  time: LocalTime;
  disposition?: { en: string; zh: string };
  /** The record checked against the entry's hash, when the verifier had it. */
  record?: EpcisEvent;
}

/** The record of an entry, when it was served and matched its on-chain hash. */
export function checkedRecord(entry: VerifiedEntry, records: CheckedRecords): EpcisEvent | undefined {
  return entry.recordMatches === true ? records.get(entry.data.toLowerCase() as Hex) : undefined;
}

/** The organizations and prefixes of a report that places are named from. */
export function placeContext(report: VerificationReport): PlaceContext {
  const organizations = new Map<number, OrganizationInfo>();
  const add = (o: OrganizationInfo | undefined) => {
    if (o && !organizations.has(o.orgId)) organizations.set(o.orgId, o);
  };
  for (const e of report.entries) add(e.organization);
  add(report.registrant);
  const prefixes: Array<{ prefix: string; holder: OrganizationInfo }> = [];
  const o = report.ownership;
  if (o && o.status === "held") {
    add(o.licence.holder);
    prefixes.push({ prefix: o.licence.prefix, holder: o.licence.holder });
  }
  return { organizations: [...organizations.values()], prefixes };
}

/** A carton or consignment is registered, not "produced". */
const CONTAINER_REGISTERED: [string, string] = ["Registered", "登记"];

/** A step's label in both languages; a carton's or consignment's own commissioning is "Registered". */
export function stepLabel(entry: VerifiedEntry, container = false): [string, string] {
  if (container && entry.stepName === "COMMISSIONING") return CONTAINER_REGISTERED;
  return entry.stepName ? STEP_LABELS[entry.stepName] : [`Step ${entry.step}`, `环节 ${entry.step}`];
}

/**
 * The facts of one entry; `container` says it is a carton's or consignment's own entry (its commissioning
 * reads "Registered").
 */
export function eventFacts(
  entry: VerifiedEntry,
  ctx: PlaceContext,
  records: CheckedRecords,
  container = false,
): EventFacts {
  const record = checkedRecord(entry, records);
  const place = placeOf(entry.location, ctx, entry.stepName?.startsWith("CUSTOMS_") ?? false);
  const [en, zh] = stepLabel(entry, container);
  const disposition = dispositionWords(entry.disposition);
  return {
    entry,
    step: { en, zh },
    who: organizationName(entry.organization, entry.org),
    ...(place ? { place } : {}),
    time: localTime(entry.eventTime, record?.eventTimeZoneOffset, place?.timeZone),
    ...(disposition ? { disposition } : {}),
    ...(record ? { record } : {}),
  };
}
