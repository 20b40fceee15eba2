// `npm run test:consortium`: the consortium network test, a mocha run of its own (not `hardhat test`: it
// loads Hardhat itself, for the paris deployment, once its nodes are up). CI sets TEST_SUMMARY_FILE.
"use strict";
module.exports = {
  require: ["ts-node/register"],
  spec: ["test/consortium/*.test.ts"],
  timeout: 600000,
  reporter: process.env.TEST_SUMMARY_FILE ? "./scripts/lib/ciReporter.js" : "spec",
  exit: true,
};
