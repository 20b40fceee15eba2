import "@nomicfoundation/hardhat-toolbox";
import { subtask, task } from "hardhat/config";
import { TASK_COMPILE, TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import { evmTarget } from "./scripts/lib/evmTarget";
import { writeCodes } from "./scripts/lib/genCodes";

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

// Roles, steps and the log layout are defined in Solidity; every compile regenerates their TypeScript mirror.
task(TASK_COMPILE, async (args, _hre, runSuper) => {
  const result = await runSuper(args);
  writeCodes(__dirname);
  return result;
});

const target = evmTarget(process.env.EVM_TARGET);

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
  },
  paths: { ignition: "deploy" },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", offline: true },
  mocha: { timeout: 120_000 },
};

export default config;
