/** Rows for `trace import` tests: the CSV header, item codes and distinct event times. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GTIN } from "./ledger";

/** The columns `trace import` reads from a CSV file. */
export const IMPORT_HEADER = "action,code,step,time,disposition,location,biz_tx,reason";

/** Test item `n` of lot `lot` as a GS1 element string. */
export const importItem = (lot: string, n: number) => `(01)${GTIN}(10)${lot}(21)${n}`;

/** Distinct ISO times: `s` seconds after 2026-01-01T00:00:00Z, written with a +08:00 offset. */
export const isoAt = (s: number) =>
  new Date(Date.UTC(2026, 0, 1) + s * 1000 + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+08:00");

/** The Unix seconds of `isoAt(s)`. */
export const unixAt = (s: number) => Date.UTC(2026, 0, 1) / 1000 + s;

/**
 * Writes `<dir>/rows.csv`: `units` registrations of lot `lot`, then a storing event for each, and returns its
 * path — the bulk import the import, fault and restart tests run.
 */
export function writeRegisterAndStoreFile(dir: string, lot: string, units: number): string {
  const lines = [IMPORT_HEADER];
  for (let n = 1; n <= units; n++) lines.push(`register,${importItem(lot, n)},,${isoAt(n)},,,,`);
  for (let n = 1; n <= units; n++) {
    lines.push(`record,${importItem(lot, n)},storing,${isoAt(100_000 + n)},sellable_not_accessible,6901234000009,,`);
  }
  const file = join(dir, "rows.csv");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}
