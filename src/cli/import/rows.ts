/**
 * Rows of a `trace import` file: CSV with a header line, or a JSON array of objects, with the fields
 * `action` (register | record), `code` (Digital Link URI or element string), `step` (for record), `time`
 * (ISO 8601; required for record rows, so a rerun builds byte-identical records and skips them; optional for
 * register rows, default now, since a rerun skips a registered unit whatever its record), and optional
 * `disposition`, `location`, `biz_tx` (`type:number`, several separated by `;`) and `reason`. Every row is
 * validated before anything is sent; an error names the row and the field.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { CliInputError } from "../output";

export interface ImportRow {
  /** 1-based line (CSV, counting the header) or array index + 1 (JSON). */
  line: number;
  action: "register" | "record";
  code: string;
  step?: string;
  /** Absent on a register row without a time: registered now. */
  time?: string;
  disposition?: string;
  location?: string;
  bizTx: string[];
  reason?: string;
}

const FIELDS = ["action", "code", "step", "time", "disposition", "location", "biz_tx", "reason"];

/** Parses an import file's text by its name (.csv or .json). */
export function parseImportFile(name: string, text: string): ImportRow[] {
  let records: Array<Record<string, unknown>>;
  let firstLine: number;
  if (name.endsWith(".json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new CliInputError(`${name} is not valid JSON.`, { cause });
    }
    if (!Array.isArray(parsed)) throw new CliInputError(`${name} must hold a JSON array of row objects.`);
    records = parsed as Array<Record<string, unknown>>;
    firstLine = 1;
  } else if (name.endsWith(".csv")) {
    try {
      records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (cause) {
      throw new CliInputError(`${name} is not valid CSV: ${(cause as Error).message}`, { cause });
    }
    firstLine = 2;
  } else {
    throw new CliInputError(`Import file "${name}" must end in .csv or .json.`);
  }
  return records.map((r, i) => parseRow(r, i + firstLine, name));
}

function parseRow(r: Record<string, unknown>, line: number, file: string): ImportRow {
  const where = `${file} row ${line}`;
  if (!r || typeof r !== "object" || Array.isArray(r)) throw new CliInputError(`${where} is not an object.`);
  for (const k of Object.keys(r)) {
    if (!FIELDS.includes(k)) {
      throw new CliInputError(`${where} has an unknown field "${k}".`, { hints: [`Fields: ${FIELDS.join(", ")}.`] });
    }
  }
  const text = (k: string): string | undefined => {
    const v = r[k];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") throw new CliInputError(`${where}: "${k}" must be text.`);
    return v.trim();
  };
  const action = text("action");
  if (action !== "register" && action !== "record") {
    throw new CliInputError(`${where}: "action" must be register or record, not ${JSON.stringify(action ?? "")}.`);
  }
  const code = text("code");
  if (!code) throw new CliInputError(`${where}: "code" (the unit's Digital Link URI or element string) is empty.`);
  const time = text("time");
  if (!time && action === "record") {
    throw new CliInputError(`${where}: "time" is required, so that a rerun rebuilds the same record and skips it.`);
  }
  const step = text("step");
  if (action === "record" && !step) throw new CliInputError(`${where}: "step" is required to record an event.`);
  const bizTx = (text("biz_tx") ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    line,
    action,
    code,
    ...(time ? { time } : {}),
    bizTx,
    ...(step ? { step } : {}),
    ...(text("disposition") ? { disposition: text("disposition") } : {}),
    ...(text("location") ? { location: text("location") } : {}),
    ...(text("reason") ? { reason: text("reason") } : {}),
  };
}
