import "@nomicfoundation/hardhat-toolbox";
import { subtask, task } from "hardhat/config";
import { TASK_COMPILE, TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import { join, sep } from "node:path";
import type { HardhatUserConfig } from "hardhat/config";
import { config as loadEnv } from "dotenv";
import { evmTarget } from "./scripts/lib/evmTarget";
import { writeCodes } from "./scripts/lib/genCodes";
import { buildSdk } from "./scripts/build-sdk";
import { consortiumNetwork } from "./src/config/network";
import { configureFastCheckSeed } from "./test/helpers/fastCheckSeed";

/** The exact compiler the project is built and audited with; `solc` in package.json is pinned to it. */
const SOLC_VERSION = "0.8.28";

// Hardhat downloads native compilers from the internet by default, which fails offline and behind
// firewalls. We use the WebAssembly build shipped in the `solc` npm package instead.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(`Only solc ${SOLC_VERSION} is configured, but a source asked for ${args.solcVersion}.`);
  }
  const compilerPath = require.resolve("solc/soljson.js");
  const installed: string = require("solc/package.json").version;
  if (installed !== SOLC_VERSION) {
    throw new Error(
      `The installed npm package solc is ${installed}, but hardhat.config.ts pins ${SOLC_VERSION}. ` +
        `Run \`npm ci\` (package-lock.json pins solc@${SOLC_VERSION}) or change SOLC_VERSION in hardhat.config.ts.`,
    );
  }
  const longVersion: string = require("solc/wrapper")(require(compilerPath))
    .version()
    .replace(/\.Emscripten\.clang$/, "");
  return { version: SOLC_VERSION, longVersion, compilerPath, isSolcJs: true };
});

// Roles, steps and the log layout are defined in Solidity; every compile regenerates their TypeScript mirror,
// then the SDK package in dist/ (which the CLI and `require("cbec-trace/…")` run) from it and the contract
// types, so nothing after a compile (`npm test`, `npm start`, `npm ci`) runs a stale build. Other EVM
// targets do not regenerate the contract types, and the SDK does not depend on the target.
// A build is announced even by `--quiet` compiles: it takes a while, and is skipped when dist/ is current.
task(TASK_COMPILE, async (args, hre, runSuper) => {
  const result = await runSuper(args);
  // A build of its own (coverage's instrumented one) leaves the generated mirror and the SDK alone: CI runs
  // coverage beside the default suite, which reads both.
  if (!buildDir) writeCodes(__dirname, hre.config.paths.artifacts);
  if (ownBuild) buildSdk(__dirname, { log: (line) => console.log(line) });
  return result;
});

// test/consortium/ is `npm run test:consortium`, a mocha run of its own (real nodes, real block times, and it
// loads Hardhat itself for its deployment): `npx hardhat test` without files leaves it out.
subtask(TASK_TEST_GET_TEST_FILES, async (args: { testFiles: string[] }, _hre, runSuper) => {
  const files: string[] = await runSuper(args);
  const consortium = join(__dirname, "test", "consortium") + sep;
  return args.testFiles.length > 0 ? files : files.filter((file) => !file.startsWith(consortium));
});

loadEnv({ quiet: true });
const target = evmTarget(process.env.EVM_TARGET);
/**
 * TRACE_BUILD_DIR=<name> builds into artifacts-<name>/ and cache-<name>/ without touching the default build,
 * its types or the SDK (CI's coverage run, which compiles instrumented contracts, uses `coverage`).
 */
const buildDir = process.env.TRACE_BUILD_DIR?.trim() || undefined;
/** Whether this is the default build: artifacts/, typechain-types/, src/generated/ and dist/. */
const ownBuild = target.isDefault && !buildDir;
const consortium = consortiumNetwork(process.env);

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: target.evmVersion,
      optimizer: { enabled: true, runs: Number(process.env.SOLC_RUNS ?? 200) },
      viaIR: process.env.SOLC_VIA_IR !== "false",
    },
  },
  networks: {
    hardhat: {
      hardfork: target.hardfork,
      // Relayed batches of signed events and the 1,000-item journey run in large transactions.
      blockGasLimit: 60_000_000,
    },
    localhost: { url: process.env.TRACE_LOCAL_RPC_URL ?? "http://127.0.0.1:8545" },
    ...(consortium ? { consortium } : {}),
  },
  // Other targets and named builds go to their own folders, so a paris or coverage run never overwrites the default build.
  paths: ownBuild
    ? { ignition: "deploy" }
    : {
        ignition: "deploy",
        artifacts: `artifacts-${buildDir ?? target.evmVersion}`,
        cache: `cache-${buildDir ?? target.evmVersion}`,
      },
  typechain: { outDir: "typechain-types", target: "ethers-v6", dontOverrideCompile: !ownBuild },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", offline: true },
  mocha: {
    timeout: 120_000,
    reporter: process.env.TEST_SUMMARY_FILE ? "./scripts/lib/ciReporter.js" : "spec",
    // Property tests without a seed of their own run with FC_SEED (repeatable; FC_SEED=random explores).
    rootHooks: { beforeAll: () => void configureFastCheckSeed() },
  },
};

export default config;
