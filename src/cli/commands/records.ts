/**
 * `trace records publish`: sends the local record store (or the records named) to the platform's store, for
 * records a write could not publish (platform down, no TRACE_PLATFORM_URL at the time). The platform keeps
 * each record only when its hash is on chain, so records of writes that never happened are refused, listed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { Hex } from "viem";
import type { CliContext } from "../context";
import { CliInputError } from "../output";
import { EXIT } from "../exitCodes";
import { publishRecords, type RecordToPublish } from "../../records/publish";
import { RECORD_NAME } from "../../server/records";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

/** The records of the local store, all or the hashes given. */
function localRecords(dir: string, hashes: string[]): RecordToPublish[] {
  let names: string[];
  try {
    names = hashes.length
      ? hashes.map((h) => `${h.toLowerCase()}.json`)
      : readdirSync(dir).filter((f) => f.endsWith(".json") && RECORD_NAME.test(f.slice(0, -5)));
  } catch {
    throw new CliInputError(`No record store at ${dir}.`, { hints: ["Pass --records-dir, or set TRACE_RECORDS_DIR."] });
  }
  return names.map((name) => {
    const hash = name.replace(/\.json$/, "");
    if (!RECORD_NAME.test(hash)) throw new CliInputError(`"${hash}" is not a record hash (0x and 64 hex digits).`);
    let text: string;
    try {
      text = readFileSync(join(dir, name), "utf8");
    } catch {
      throw new CliInputError(`The record store ${dir} has no record ${hash}.`);
    }
    return { hash: hash as Hex, record: JSON.parse(text) as object };
  });
}

export function addRecordsCommands(program: Command, run: Run): void {
  const records = program.command("records").description("the off-chain record store");
  records
    .command("publish [hashes...]")
    .description("send the local record store (or the records named) to the platform (TRACE_PLATFORM_URL)")
    .option("--wait <seconds>", "retry records the platform cannot find on chain yet for this long", "0")
    .action(
      run(async (ctx, hashes: string[], opts: { wait: string }) => {
        const platform = ctx.env.platformUrl;
        if (!platform) {
          throw new CliInputError("No platform to publish to.", {
            hints: ["Set TRACE_PLATFORM_URL to the platform server (npm start's is http://127.0.0.1:8080)."],
          });
        }
        const wait = Number(opts.wait);
        if (!Number.isFinite(wait) || wait < 0)
          throw new CliInputError(`--wait "${opts.wait}" is not a number of seconds.`);
        const found = localRecords(ctx.recordsDir, hashes);
        const report = await publishRecords(platform, found, { waitMs: wait * 1000 });
        if (report.refused.length) process.exitCode = EXIT.PARTIAL;
        ctx.out.result(report, () =>
          [
            `${report.stored.length} stored, ${report.present.length} already there, ${report.refused.length} refused (${report.platform})`,
            ...report.refused.map((r) => `  refused ${r.hash}: HTTP ${r.status}: ${r.reason}`),
          ].join("\n"),
        );
      }),
    );
}
