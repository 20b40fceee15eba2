/**
 * Strict ISO 8601 / RFC 3339 date-time handling for EPCIS `eventTime`, `recordTime` and `creationDate`.
 * An EPCIS time must carry its offset (`Z` or `±hh:mm`): a time without one is ambiguous and refused.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;
const OFFSET = /^([+-])(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Latest instant whose `toISOString()` still has a 4-digit year (9999-12-31T23:59:59.999Z). */
const MAX_MS = 253402300799999;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Minutes east of UTC of a `±hh:mm` offset, or a reason why it is invalid. */
export function parseOffset(text: string): number | { problem: string } {
  const m = OFFSET.exec(text);
  if (!m) return { problem: 'is not a time zone offset of the form "+08:00" or "-05:30"' };
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) {
    return { problem: "is out of range: offsets run from -14:00 to +14:00" };
  }
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
}

/** A parsed date-time: the instant in Unix milliseconds and the number of fraction digits written. */
export interface ParsedTime {
  ms: number;
  fractionDigits: number;
}

/** Parses an RFC 3339 date-time with offset, checking every field's range; returns the reason on failure. */
export function parseDateTime(text: string): ParsedTime | { problem: string } {
  const m = DATE_TIME.exec(text);
  if (!m) {
    return {
      problem:
        'is not an ISO 8601 date-time with a time zone, e.g. "2026-03-01T10:30:00.000+08:00" or ' +
        '"2026-03-01T02:30:00.000Z"',
    };
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12) return { problem: `has month ${m[2]}, which does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) return { problem: `has day ${m[3]}, which ${m[1]}-${m[2]} lacks` };
  if (hour > 23 || minute > 59 || second > 59) return { problem: "has an hour, minute or second out of range" };
  let offsetMinutes = 0;
  if (m[8] !== "Z") {
    const offset = parseOffset(m[8]);
    if (typeof offset !== "number") return { problem: `has an offset that ${offset.problem}` };
    offsetMinutes = offset;
  }
  const fraction = m[7] ?? "";
  const millis = Number((fraction + "000").slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const ms = date.getTime() - offsetMinutes * 60_000;
  if (ms < 0 || ms > MAX_MS) return { problem: "is outside 1970-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z" };
  return { ms, fractionDigits: fraction.length };
}

/** Whether `text` is a calendar date `YYYY-MM-DD` that exists. */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

/** The UTC ISO 8601 form with milliseconds (`2026-03-01T02:30:00.000Z`) of an instant in Unix milliseconds. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** Range check for instants given as `Date` objects (same range as `parseDateTime`). */
export function inRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_MS;
}
