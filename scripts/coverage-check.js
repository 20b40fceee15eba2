// Fails when contract line or branch coverage (from `hardhat coverage`) is below the gate.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const GATE = Number(process.env.COVERAGE_GATE ?? 95);
const file = path.join(__dirname, "..", "coverage", "coverage-summary.json");
if (!fs.existsSync(file)) {
  console.error(`coverage: ${file} not found. Run \`npm run coverage\` first.`);
  process.exit(1);
}
const { total } = JSON.parse(fs.readFileSync(file, "utf8"));
const lines = total.lines.pct;
const branches = total.branches.pct;
console.log(
  `contract coverage: lines ${lines}%, branches ${branches}%, functions ${total.functions.pct}% (gate ${GATE}%)`,
);
if (lines < GATE || branches < GATE) {
  console.error(`coverage below the ${GATE}% gate: add tests for the uncovered lines listed above.`);
  process.exit(1);
}
