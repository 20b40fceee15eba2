/**
 * What the repository keeps of one event: the filter columns and the identifiers it names, read from the
 * event itself (never from the index's decoded fields, so a query answers about the record it returns).
 * Browser-safe.
 */
import { parseDateTime } from "../time";
import { epcKey } from "./epcKeys";
import { vocabKey } from "./vocabKeys";

/** Where an identifier stands in an event, as the MATCH_* parameters distinguish it. */
export type EpcField = "epc" | "parent" | "input" | "output" | "class" | "inclass" | "outclass";

/** The filter columns of an event (without its anchor and record time). */
export interface EventColumns {
  eventType: string;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  eventTime: number;
  eventOffset: string;
  epcs: { field: EpcField; key: string }[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const classes = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.flatMap((q) => (q && typeof q === "object" && typeof q.epcClass === "string" ? [q.epcClass] : []))
    : [];
const id = (v: unknown): string | null =>
  v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string" ? (v as { id: string }).id : null;
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The columns of an event, or undefined when it lacks a type or a valid eventTime (it is not served). */
export function eventColumns(event: Record<string, unknown>): EventColumns | undefined {
  const eventType = text(event.type);
  const time = typeof event.eventTime === "string" ? parseDateTime(event.eventTime) : undefined;
  if (!eventType || !time || !("ms" in time)) return undefined;
  const epcs: EventColumns["epcs"] = [];
  const add = (field: EpcField, list: string[]) => {
    for (const uri of list) {
      const key = epcKey(uri);
      if (!epcs.some((e) => e.field === field && e.key === key)) epcs.push({ field, key });
    }
  };
  add("epc", [...strings(event.epcList), ...strings(event.childEPCs)]);
  if (typeof event.parentID === "string") add("parent", [event.parentID]);
  add("input", strings(event.inputEPCList));
  add("output", strings(event.outputEPCList));
  add("class", [...classes(event.quantityList), ...classes(event.childQuantityList)]);
  add("inclass", classes(event.inputQuantityList));
  add("outclass", classes(event.outputQuantityList));
  const step = text(event.bizStep);
  const disposition = text(event.disposition);
  const readPoint = id(event.readPoint);
  const bizLocation = id(event.bizLocation);
  return {
    eventType,
    action: text(event.action),
    bizStep: step === null ? null : (vocabKey("bizStep", step) ?? step),
    disposition: disposition === null ? null : (vocabKey("disposition", disposition) ?? disposition),
    readPoint: readPoint === null ? null : epcKey(readPoint),
    bizLocation: bizLocation === null ? null : epcKey(bizLocation),
    eventTime: time.ms,
    eventOffset: text(event.eventTimeZoneOffset) ?? "+00:00",
    epcs,
  };
}
