/**
 * The query schedule of a subscription, as EPCIS defines it (§8.2.5.3, the bindings' `schedule` object):
 * each field is `Element ("," Element)*` with `Element = Number | "[" Number "-" Number "]"`; a time matches
 * when every field that is given matches (an omitted field matches anything: `{ "hour": "2" }` runs every
 * second from 2:00:00 to 2:59:59). Times are taken in UTC. A field out of its range, a reversed range or
 * anything off the grammar is a SubscriptionControlsException. Node-only (the errors).
 */
import { EpcisRestError } from "../problem";

export type ScheduleField = "second" | "minute" | "hour" | "dayOfMonth" | "month" | "dayOfWeek";

/** A schedule as given in a subscription request (every field optional). */
export type QuerySchedule = Partial<Record<ScheduleField, string>>;

const RANGES: Record<ScheduleField, [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
};

/** A parsed schedule: per field, the set of matching values (absent = any). */
export type ScheduleMatcher = Partial<Record<ScheduleField, ReadonlySet<number>>>;

const ELEMENT = /^(?:(\d{1,2})|\[(\d{1,2})-(\d{1,2})\])$/;

/**
 * Parses and checks a schedule.
 *
 * @throws EpcisRestError SubscriptionControlsException naming the field.
 */
export function parseSchedule(schedule: unknown): ScheduleMatcher {
  const bad = (detail: string) => new EpcisRestError("SubscriptionControlsException", `schedule${detail}`);
  if (schedule === null || typeof schedule !== "object" || Array.isArray(schedule)) {
    throw bad(": must be an object with second, minute, hour, dayOfMonth, month or dayOfWeek.");
  }
  const matcher: ScheduleMatcher = {};
  for (const [name, raw] of Object.entries(schedule)) {
    if (!(name in RANGES)) throw bad(`.${name}: is not a schedule field.`);
    const field = name as ScheduleField;
    const [min, max] = RANGES[field];
    const text = typeof raw === "number" ? String(raw) : raw;
    if (typeof text !== "string" || text === "") throw bad(`.${name}: must be a string such as "5" or "[1-5],30".`);
    const values = new Set<number>();
    for (const element of text.split(",")) {
      const m = ELEMENT.exec(element.trim());
      if (!m) throw bad(`.${name}: "${element}" is neither a number nor a range [a-b].`);
      const low = Number(m[1] ?? m[2]);
      const high = Number(m[1] ?? m[3]);
      if (low < min || high > max) throw bad(`.${name}: ${element} is outside ${min}–${max}.`);
      if (low > high) throw bad(`.${name}: the range ${element} runs backwards.`);
      for (let v = low; v <= high; v++) values.add(v);
    }
    matcher[field] = values;
  }
  if (Object.keys(matcher).length === 0) throw bad(": gives no field; a schedule needs at least one.");
  return matcher;
}

/** Whether the instant `ms` (UTC) is a query time of the schedule. */
export function matchesSchedule(matcher: ScheduleMatcher, ms: number): boolean {
  const d = new Date(ms);
  const values: Record<ScheduleField, number> = {
    second: d.getUTCSeconds(),
    minute: d.getUTCMinutes(),
    hour: d.getUTCHours(),
    dayOfMonth: d.getUTCDate(),
    month: d.getUTCMonth() + 1,
    dayOfWeek: ((d.getUTCDay() + 6) % 7) + 1, // Monday = 1 … Sunday = 7
  };
  return (Object.keys(matcher) as ScheduleField[]).every((f) => matcher[f]!.has(values[f]));
}

/** Longest stretch looked back over for a missed query time (a server down longer runs once on return). */
const MAX_LOOKBACK_S = 86_400;

/**
 * Whether a query time fell in the seconds `(after, upTo]` (whole seconds, UTC): what a scheduler ticking
 * every second or so asks.
 */
export function scheduleDue(matcher: ScheduleMatcher, after: number, upTo: number): boolean {
  const first = Math.floor(after / 1000) + 1;
  const last = Math.floor(upTo / 1000);
  for (let s = Math.max(first, last - MAX_LOOKBACK_S); s <= last; s++) {
    if (matchesSchedule(matcher, s * 1000)) return true;
  }
  return false;
}
