// Mocha reporter for CI: the usual spec output, plus a JSON summary of the real counts written to
// $TEST_SUMMARY_FILE, from which .ci/run prints its closing "N passed, N failed" line, and the seconds each
// test file took (CI time is budgeted: the slowest files are printed at the end of the run).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

/** How many of the slowest files the run lists. */
const SLOWEST = 15;

class CiReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const fileSeconds = {};
    const started = new Map();
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => counts.passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => counts.failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => counts.skipped++);
    // A file's time: from its top-level suite's start to its end, hooks included.
    runner.on(Mocha.Runner.constants.EVENT_SUITE_BEGIN, (suite) => {
      if (suite.file && suite.parent && suite.parent.root) started.set(suite, Date.now());
    });
    runner.on(Mocha.Runner.constants.EVENT_SUITE_END, (suite) => {
      const t0 = started.get(suite);
      if (t0 === undefined) return;
      const file = path.relative(process.cwd(), suite.file);
      fileSeconds[file] = Math.round(((fileSeconds[file] ?? 0) + (Date.now() - t0) / 1000) * 10) / 10;
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.TEST_SUMMARY_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify({ ...counts, fileSeconds }) + "\n");
      const slowest = Object.entries(fileSeconds)
        .sort((a, b) => b[1] - a[1])
        .slice(0, SLOWEST);
      if (slowest.length) {
        console.log(`\n  slowest test files (seconds):`);
        for (const [name, s] of slowest) console.log(`    ${String(s).padStart(7)}  ${name}`);
      }
    });
  }
}

module.exports = CiReporter;
