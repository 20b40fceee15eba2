/**
 * `trace`: the cbec-trace command line for sellers, information providers and regulators — the SDK for
 * people and scripts. Settings come from flags, then `.env`, then the deployment manifest. `--json` prints
 * machine-readable results; errors print a short message and hints, and set the exit code (see EXIT).
 */
import { Command, CommanderError } from "commander";
import { config as loadEnv } from "dotenv";
import { createContext, type GlobalOptions, type CliContext } from "./context";
import { createOutput, exitCodeOf, printError } from "./output";
import { EXIT } from "./exitCodes";
import { addWriteCommands } from "./commands/write";
import { addReadCommands } from "./commands/read";
import { addSigningCommands } from "./commands/signing";
import { addImportCommand } from "./commands/import";
import { addVerifyCommand } from "./commands/verify";
import { addConsortiumCommands } from "./commands/consortium";
import { addPrefixCommands } from "./commands/prefixes";
import { addIndexCommand } from "./commands/index";
import { addCaptureCommands } from "./commands/capture";
import { addRecordsCommands } from "./commands/records";
import { publishWritten } from "./recordPublishing";
import { addCustomsViewCommands } from "./commands/customsView";
import { PlatformUnreachableError } from "../records/publish";
import { addCustomsCommands } from "./commands/customs";
import { addTagCommands } from "./commands/tag";
import { addClaimCommands } from "./commands/claim";
import { addScansCommand } from "./commands/scans";

/** Builds the program; `argv` excludes node and script. Exposed for tests. */
export function buildProgram(): Command {
  const program = new Command("trace")
    .description("cbec-trace: traceability of cross-border e-commerce export products on a consortium chain")
    .option("--network <name>", "read deployments/<name>.json (default: localhost when present)")
    .option("--manifest <file>", "a deployment manifest file")
    .option("--rpc <url>", "JSON-RPC URL (env TRACE_RPC_URL; default http://127.0.0.1:8545)")
    .option("--chain-id <id>", "expected chain id (env TRACE_CHAIN_ID; default from the manifest)")
    .option("--ledger <address>", "ledger contract address (env TRACE_LEDGER; default from the manifest)")
    .option("--key-file <file>", "file holding the signing key (default env TRACE_PRIVATE_KEY); never printed")
    .option(
      "--gas-price <wei>",
      "fixed gas price, sends legacy transactions; 0 on zero-gas chains (env TRACE_GAS_PRICE)",
    )
    .option(
      "--confirmations <n>",
      "finality depth: writes wait for it, verify reads at it (env TRACE_CONFIRMATIONS; default 1)",
    )
    .option("--records-dir <dir>", "off-chain record store (env TRACE_RECORDS_DIR; default ./records)")
    .option(
      "--domain <url>",
      "Digital Link domain for printed URIs and labels (env TRACE_RESOLVER_URL, else TRACE_DL_DOMAIN)",
    )
    .option("--max-block-range <n>", "widest eth_getLogs range the node allows (default 1000)")
    .option("--json", "machine-readable output")
    .showHelpAfterError("(run `trace --help` for usage)")
    .exitOverride();
  const run =
    (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = command.optsWithGlobals() as GlobalOptions;
      const ctx = createContext(options, createOutput(Boolean(options.json)));
      await (fn as (ctx: CliContext, ...a: unknown[]) => Promise<void>)(ctx, ...args.slice(0, -1));
      await publishAfterWrite(ctx);
    };
  addWriteCommands(program, run);
  addReadCommands(program, run);
  addSigningCommands(program, run);
  addImportCommand(program, run);
  addVerifyCommand(program, run);
  addConsortiumCommands(program, run);
  addPrefixCommands(program, run);
  addIndexCommand(program, run);
  addCaptureCommands(program, run);
  addRecordsCommands(program, run);
  addTagCommands(program, run);
  // The regulator's view and on-chain filing (issue 14) attach to `trace customs`.
  addCustomsViewCommands(addCustomsCommands(program, run), run);
  addClaimCommands(program, run);
  addScansCommand(program, run);
  return program;
}

/**
 * After a write command succeeded: its records go to the platform. The chain write stands either way; a
 * record the platform did not take (or an unreachable platform) is a warning with exit code PARTIAL, and
 * the records stay in the local store for `trace records publish`.
 */
async function publishAfterWrite(ctx: CliContext): Promise<void> {
  const written = ctx.records.toPublish();
  if (written.length === 0) return;
  const partial = () => {
    if (!process.exitCode) process.exitCode = EXIT.PARTIAL;
  };
  try {
    const outcome = await publishWritten(ctx.out, ctx.env.platformUrl, written, ctx.recordsDir);
    if (outcome.report?.refused.length) partial();
  } catch (error) {
    if (!(error instanceof PlatformUnreachableError)) throw error;
    process.stderr.write(`warning: the write is on chain, but its records were not published.\n${error.message}\n`);
    partial();
  }
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  loadEnv({ quiet: true });
  const json = argv.includes("--json");
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help or the usage problem.
      return error.exitCode === 0 ? EXIT.OK : EXIT.INVALID_INPUT;
    }
    printError(error, json);
    return exitCodeOf(error);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
