/** Offline signing and relaying: `trace sign` writes a signed batch file, `trace relay` submits files. */
import { latestBlockTime } from "../../write/chainTime";
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { signedBatchFromJson, signedBatchToJson } from "../../write/sign";
import type { CliContext } from "../context";
import { unitRef, stepArg, deadlineArg } from "../inputs";
import { CliInputError } from "../output";
import { EXIT } from "../exitCodes";
import { recordUnitEvent } from "./write";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

export function addSigningCommands(program: Command, run: Run): void {
  program
    .command("sign")
    .description("sign an event on units with your key (EIP-712) into a file that anyone can relay")
    .argument("<code...>", "units")
    .requiredOption("--step <name>", "business step")
    .requiredOption("--out <file>", "where to write the signed batch (JSON)")
    .option("--deadline <when>", "last moment it may be relayed: ISO time or +30m / +2h / +7d", "+1d")
    .option("--nonce <n>", "your ledger nonce (default: read from the chain)")
    .option("--time <iso>", "when it happened (default now)")
    .option("--location <gln|code>", "where")
    .option("--disposition <name>", "CBV disposition")
    .option("--biz-tx <type:number...>", "business documents")
    .action(
      run(async (ctx: CliContext, codes: string[], flags: Record<string, string> & { bizTx?: string[] }) => {
        const step = stepArg(flags.step);
        const events = codes.map((code) => recordUnitEvent(ctx, unitRef(code), step, flags));
        if (flags.nonce !== undefined && !/^[0-9]+$/.test(flags.nonce)) {
          throw new CliInputError(`--nonce "${flags.nonce}" must be a whole number.`);
        }
        const writer = await ctx.writer();
        // The ledger checks the deadline against its block time, which a dev chain may have moved ahead
        // (npm start passes the admin delay that way): "+2h" counts from the later of the two clocks.
        const now = Math.max(Math.floor(Date.now() / 1000), await latestBlockTime(writer.sender.provider));
        const batch = await writer.sign(events, {
          deadline: deadlineArg(flags.deadline, now),
          ...(flags.nonce !== undefined ? { nonce: BigInt(flags.nonce) } : {}),
        });
        writeFileSync(flags.out, signedBatchToJson(batch) + "\n");
        ctx.out.result(
          { file: flags.out, signer: batch.signer, nonce: batch.nonce, events: events.length },
          `signed ${events.length} event(s) as ${batch.signer} (nonce ${batch.nonce}) into ${flags.out}`,
        );
      }),
    );

  program
    .command("relay")
    .description("submit signed batch files (in nonce order per signer); the signer, not you, must be allowed")
    .argument("<file...>", "signed batch files written by `trace sign`")
    .action(
      run(async (ctx: CliContext, files: string[]) => {
        const entries = files.map((file) => {
          try {
            return { file, batch: signedBatchFromJson(readFileSync(file, "utf8")) };
          } catch (cause) {
            throw new CliInputError(`${file} is not a signed batch file written by \`trace sign\`.`, { cause });
          }
        });
        entries.sort((a, b) => (a.batch.signer === b.batch.signer ? Number(a.batch.nonce - b.batch.nonce) : 0));
        const batches = entries.map((e) => e.batch);
        const result = await (await ctx.writer()).relay(batches);
        // Nothing recorded: fail as a refusal does (exit 3), with the first reason.
        if (result.relayed.length === 0 && result.failed.length > 0) throw result.failed[0].error;
        const failed = result.failed.map((f) => ({
          file: entries[f.index].file,
          index: f.index,
          signer: f.signer,
          nonce: f.nonce,
          error: f.error.name,
          reason: f.error.shortMessage,
          hints: f.error.hints,
        }));
        ctx.out.result(
          {
            relayed: result.relayed.length,
            transactions: result.transactions.map((t) => t.hash),
            ...(failed.length ? { failed } : {}),
          },
          () =>
            [
              `relayed ${result.relayed.length} batch(es) in ${result.transactions.length} transaction(s)`,
              ...failed.map(
                (f) => `refused: ${f.file} (batch ${f.index}, signer ${f.signer}, nonce ${f.nonce}): ${f.reason}`,
              ),
            ].join("\n"),
        );
        // Some recorded, some refused: a code of its own, so a script notices without retrying everything.
        if (failed.length) process.exitCode = EXIT.PARTIAL;
      }),
    );
}
