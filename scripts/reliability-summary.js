// Prints the reliability figures of the last test run (test-results/reliability/*.json, written by the
// property, fault, reorganization and hostile-input tests) and the contract coverage figures: the closing
// block of .ci/run. Fails when a figure the tests report is missing, or an event was lost or duplicated;
// with --coverage (as in .ci/run), also when the coverage summary is missing.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const dir = process.env.RELIABILITY_DIR ?? path.join(root, "test-results", "reliability");
// --consortium (as in .ci/run): the consortium network test's figures (npm run test:consortium) too.
const EXPECTED = ["model", "faults-cli", "faults-sdk", "restart", "reorg", "reorg-anvil", "parsers"].concat(
  process.argv.includes("--consortium") ? ["consortium"] : [],
);

const problems = [];
console.log("Reliability figures");
for (const topic of EXPECTED) {
  const file = path.join(dir, `${topic}.json`);
  if (!fs.existsSync(file)) {
    problems.push(`${topic}: no figures (${file}); did its test run?`);
    continue;
  }
  const { label, figures } = JSON.parse(fs.readFileSync(file, "utf8"));
  console.log(
    `  ${label}: ${Object.entries(figures)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  for (const [k, v] of Object.entries(figures)) {
    if (/lost|duplicated|reported by|shown from|other outcomes/.test(k) && Number(v) !== 0) {
      problems.push(`${topic}: ${k} ${v}`);
    }
  }
}
const coverage = path.join(root, "coverage", "coverage-summary.json");
if (fs.existsSync(coverage)) {
  const { total } = JSON.parse(fs.readFileSync(coverage, "utf8"));
  console.log(
    `  contract coverage: lines ${total.lines.pct}%, branches ${total.branches.pct}%, ` +
      `functions ${total.functions.pct}%, statements ${total.statements.pct}%`,
  );
} else if (process.argv.includes("--coverage")) {
  problems.push("contract coverage: coverage/coverage-summary.json not found (run npm run coverage)");
}
for (const p of problems) console.error(`reliability: ${p}`);
process.exit(problems.length ? 1 : 0);
