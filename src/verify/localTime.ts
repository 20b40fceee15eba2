/**
 * An event's time as the people there lived it: in the offset its own record gives (`eventTimeZoneOffset`),
 * else in its place's time zone, else in UTC — always with the offset written, so no time is ambiguous.
 * Pure, browser-safe (`Intl` only).
 */
import { parseOffset } from "../epcis/time";

/** A local time with its offset, in English and Chinese. */
export interface LocalTime {
  /** `2026-11-02`. */
  date: string;
  /** `09:00`. */
  clock: string;
  /** `UTC+08:00`, or `UTC`. */
  offset: string;
  /** `2 Nov 2026, 09:00 (UTC+08:00)`. */
  en: string;
  /** `2026年11月2日 09:00（UTC+08:00）`. */
  zh: string;
  /** Where the offset came from. */
  source: "record" | "place" | "utc";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Minutes east of UTC in `timeZone` at `ms`, or undefined when the zone is unknown to this runtime. */
export function zoneOffsetMinutes(timeZone: string, ms: number): number | undefined {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(ms);
    const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
    if (name === "GMT") return 0;
    const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
  } catch {
    return undefined;
  }
}

/** `UTC+08:00` for 480, `UTC-05:30` for -330, `UTC` for 0. */
export function offsetText(minutes: number): string {
  if (minutes === 0) return "UTC";
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/**
 * The local time of `seconds` (Unix): in `recordOffset` (`+08:00`, the record's `eventTimeZoneOffset`) when it
 * is a valid offset, else in `timeZone` (IANA), else in UTC.
 */
export function localTime(seconds: number, recordOffset?: string, timeZone?: string): LocalTime {
  const ms = seconds * 1000;
  let minutes: number | undefined;
  let source: LocalTime["source"] = "utc";
  const fromRecord = recordOffset === undefined ? undefined : parseOffset(recordOffset);
  if (typeof fromRecord === "number") {
    minutes = fromRecord;
    source = "record";
  } else if (timeZone) {
    minutes = zoneOffsetMinutes(timeZone, ms);
    if (minutes !== undefined) source = "place";
  }
  const shifted = new Date(ms + (minutes ?? 0) * 60_000);
  const y = shifted.getUTCFullYear();
  const mo = shifted.getUTCMonth();
  const d = shifted.getUTCDate();
  const clock = `${String(shifted.getUTCHours()).padStart(2, "0")}:${String(shifted.getUTCMinutes()).padStart(2, "0")}`;
  const offset = offsetText(minutes ?? 0);
  return {
    date: `${y}-${String(mo + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
    clock,
    offset,
    en: `${d} ${MONTHS[mo]} ${y}, ${clock} (${offset})`,
    zh: `${y}年${mo + 1}月${d}日 ${clock}（${offset}）`,
    source,
  };
}

/** A date alone (`2 Nov 2026` / `2026年11月2日`), in the same local time. */
export function localDate(t: LocalTime): { en: string; zh: string } {
  return { en: t.en.split(",")[0], zh: t.zh.split(" ")[0] };
}
