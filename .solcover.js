// solidity-coverage settings: test-only harnesses are not product code.
module.exports = {
  skipFiles: ["test/"],
  istanbulReporter: ["text", "text-summary", "json-summary", "lcov"],
  configureYulOptimizer: true,
};
