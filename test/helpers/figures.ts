/**
 * Reliability figures: the property, fault, reorganization and hostile-input tests report what they ran
 * (operations, invariant checks, faults injected, events lost and duplicated …) through `reportFigures`.
 * Each report is printed under its test, kept for a closing block printed when the whole run ends, and
 * written to `test-results/reliability/<topic>.json`, from which `scripts/reliability-summary.js` prints the
 * summary at the end of `.ci/run` (with the coverage figures).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export type Figures = Record<string, number | string>;

export const FIGURES_DIR = resolve(
  process.env.RELIABILITY_DIR ?? join(__dirname, "..", "..", "test-results", "reliability"),
);

const reported: Array<{ topic: string; line: string }> = [];

/** One line: "label: key value, key value …". */
export function formatFigures(label: string, figures: Figures): string {
  return `${label}: ${Object.entries(figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}`;
}

/** Records the figures of one reliability test (topic = file name, label = what was tested). */
export function reportFigures(topic: string, label: string, figures: Figures): void {
  const line = formatFigures(label, figures);
  console.log(`      ${line}`);
  reported.push({ topic, line });
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${topic}.json`), JSON.stringify({ label, figures }, null, 2) + "\n");
}

// A root-level hook (registered when mocha loads this file): runs once, after every test file of the run.
if (typeof after === "function") {
  after(() => {
    if (reported.length === 0) return;
    console.log("\n  Reliability figures of this run:");
    for (const r of reported) console.log(`    ${r.line}`);
  });
}
