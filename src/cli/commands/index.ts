/**
 * `trace index`: follows the ledger into the index database (PGlite in --data-dir by default, PostgreSQL
 * with --database-url / DATABASE_URL), from the same settings as every command (--rpc, the manifest).
 * It catches up with a progress bar, then follows the head until Ctrl-C; `--once` catches up, prints a
 * summary line and exits. `startIndexer` is re-exported for `npm start`, which runs the index in-process.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { progressPrinter, summaryLine } from "../../indexer/progress";
import { startIndexer } from "../../indexer/start";
import type { CatchUpSummary } from "../../indexer/follower";
import type { CliContext } from "../context";
import { CliInputError } from "../output";

export { startIndexer, type StartIndexerOptions, type RunningIndexer } from "../../indexer/start";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

interface IndexFlags {
  databaseUrl?: string;
  dataDir: string;
  finality?: string;
  blockRange?: string;
  pollMs?: string;
  once?: boolean;
}

/** The default data directory of the embedded index. */
export const DEFAULT_INDEX_DIR = ".cbec-trace/index";

function whole(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new CliInputError(`${flag} must be a whole number ≥ ${min}, not "${text}".`);
  return Number(text);
}

export { summaryLine };

export function addIndexCommand(program: Command, run: Run): void {
  program
    .command("index")
    .description("follow the ledger into the index database (units, entries, stays, organizations, prefixes)")
    .option("--database-url <url>", "PostgreSQL server postgres://… (env DATABASE_URL; default: embedded PGlite)")
    .option("--data-dir <dir>", "data directory of the embedded database", DEFAULT_INDEX_DIR)
    .option("--finality <blocks>", "stay this many blocks behind the head (default 0 on chain 31337, else 12)")
    .option("--block-range <blocks>", "blocks per eth_getLogs range (default 2000)")
    .option("--poll-ms <ms>", "head polling interval once caught up (default 1000)")
    .option("--once", "catch up, print a summary and exit")
    .action(
      run(async (ctx: CliContext, flags: IndexFlags) => {
        const finality = whole(flags.finality, "--finality", 0);
        const blockRange = whole(flags.blockRange, "--block-range", 1);
        const pollIntervalMs = whole(flags.pollMs, "--poll-ms", 10);
        const reader = await ctx.reader();
        const databaseUrl = flags.databaseUrl ?? process.env.DATABASE_URL;
        const indexer = await startIndexer({
          client: reader.client,
          ledger: {
            address: reader.ledger.address,
            chainId: reader.ledger.chainId!,
            deploymentBlock: reader.ledger.deploymentBlock ?? 0n,
          },
          databaseUrl: databaseUrl || undefined,
          dataDir: resolve(flags.dataDir),
          finality,
          blockRange: blockRange === undefined ? undefined : BigInt(blockRange),
          pollIntervalMs,
          once: flags.once,
          onProgress: ctx.out.json ? undefined : progressPrinter(),
          onError: (error) => ctx.out.info(`index: ${(error as Error).message.split("\n")[0]} (retrying)`),
        });
        // Ctrl-C stops after the range in hand: it commits or rolls back whole.
        const stop = () => void indexer.stop();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        try {
          const summary = await indexer.ready;
          ctx.out.result(summary, () => summaryLine(summary));
          if (!flags.once) ctx.out.info("index: following the head (Ctrl-C stops)");
          await indexer.done;
        } finally {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          await indexer.stop();
        }
      }),
    );
}
