#!/usr/bin/env node
// The `trace` command: runs the compiled CLI in dist/ (built by every `hardhat compile`, hence by `npm ci`,
// `npm test` and `npm start`; see scripts/build-sdk.ts), so it starts without transpiling TypeScript.
// A missing build is an error, not a fallback to ts-node: that would run other code than the tests ran, and
// take seconds on every call without saying why.
"use strict";
const { existsSync } = require("node:fs");
const path = require("node:path");

const cli = path.join(__dirname, "..", "dist", "src", "cli", "index.js");
if (!existsSync(cli)) {
  process.stderr.write(
    `trace: the compiled CLI is missing (${cli}).\n` +
      `Run \`npm run build\` in ${path.resolve(__dirname, "..")} (npm ci does it too), then try again.\n`,
  );
  process.exit(1);
}
require(cli)
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
