#!/usr/bin/env node
// The `trace` command. Runs the TypeScript sources directly (type-checked in CI by `tsc --noEmit`), so the
// CLI never runs stale build output.
"use strict";
const path = require("node:path");
process.env.TS_NODE_TRANSPILE_ONLY = "true";
require("ts-node").register({
  project: path.join(__dirname, "..", "tsconfig.json"),
  transpileOnly: true,
  compilerOptions: { module: "commonjs" },
});
const { main } = require("../src/cli/index.ts");
main(process.argv.slice(2)).then((code) => process.exit(code));
