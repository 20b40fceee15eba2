// Mocha reporter for CI: the usual spec output, plus a JSON summary of the real counts written to
// $TEST_SUMMARY_FILE, from which .ci/run prints its closing "N passed, N failed" line.
"use strict";
const fs = require("node:fs");
const Mocha = require("mocha");

class CiReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => counts.passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => counts.failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => counts.skipped++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.TEST_SUMMARY_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify(counts) + "\n");
    });
  }
}

module.exports = CiReporter;
