/** Turning command-line words into SDK values, with errors that say what is expected. */
import { parseGs1, type Gs1Identity } from "../gs1";
import { unitRefOfIdentity, type UnitRef } from "../records/recordEvent";
import { STEPS, DISPOSITIONS, type StepName, type DispositionName } from "../codes";
import { CliInputError } from "./output";

/**
 * A unit given as a Digital Link URI or a GS1 element string: what records name it by (`UnitRef`: key, EPC,
 * path) and its parsed identity, for labels and output.
 */
export interface UnitArg extends UnitRef {
  identity: Gs1Identity;
}

export function unitRef(code: string): UnitArg {
  const identity = parseGs1(code);
  return { identity, ...unitRefOfIdentity(identity) };
}

/** A step name (case-insensitive, `-` or `_`). */
export function stepArg(text: string): StepName {
  const name = text.trim().toUpperCase().replace(/-/g, "_");
  if (!(name in STEPS) || name === "MAX") {
    throw new CliInputError(`Unknown step "${text}".`, {
      hints: [
        `Steps: ${Object.keys(STEPS)
          .filter((s) => s !== "MAX")
          .join(", ")}.`,
      ],
    });
  }
  return name as StepName;
}

/** A disposition name (case-insensitive). */
export function dispositionArg(text: string): DispositionName {
  const name = text.trim().toUpperCase().replace(/-/g, "_");
  if (!(name in DISPOSITIONS) || name === "MAX" || name === "NONE") {
    throw new CliInputError(`Unknown disposition "${text}".`, {
      hints: [
        `Dispositions: ${Object.keys(DISPOSITIONS)
          .filter((s) => s !== "MAX" && s !== "NONE")
          .join(", ")
          .toLowerCase()}.`,
      ],
    });
  }
  return name as DispositionName;
}

/** An ISO 8601 time with offset, or "now". */
export function timeArg(text: string | undefined): string {
  if (text === undefined || text === "now") return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ||
    isNaN(Date.parse(text))
  ) {
    throw new CliInputError(`Time "${text}" must be ISO 8601 with an offset, e.g. 2026-03-02T09:15:00+08:00.`);
  }
  return text;
}

/** A positive organization id. */
export function orgArg(text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n <= 0 || n >= 2 ** 24) {
    throw new CliInputError(`Organization id "${text}" must be a whole number from 1.`, {
      hints: ["List organizations with `trace consortium show` or ask the consortium admin."],
    });
  }
  return n;
}

/** A deadline: ISO time or "+<n>(s|m|h|d)" from `now` (Unix seconds, default this machine's clock). Unix seconds. */
export function deadlineArg(text: string, now = Math.floor(Date.now() / 1000)): number {
  const rel = /^\+(\d+)([smhd])$/.exec(text);
  if (rel) return now + Number(rel[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[rel[2] as "s"];
  return Math.floor(Date.parse(timeArg(text)) / 1000);
}

/** "type:number" business transaction references (e.g. "inventory:531620260000012345"). */
export function bizTxArg(text: string): { type: string; number: string } {
  const i = text.indexOf(":");
  if (i <= 0 || i === text.length - 1) {
    throw new CliInputError(`Business transaction "${text}" must be type:number, e.g. inventory:531620260000012345.`);
  }
  return { type: text.slice(0, i), number: text.slice(i + 1) };
}
