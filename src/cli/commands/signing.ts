/** Offline signing and relaying: `trace sign` writes a signed batch file, `trace relay` submits files. */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { signedBatchFromJson, signedBatchToJson } from "../../write/sign";
import type { CliContext } from "../context";
import { unitRef, stepArg, deadlineArg } from "../inputs";
import { CliInputError } from "../output";
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
        const batch = await writer.sign(events, {
          deadline: deadlineArg(flags.deadline),
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
        const batches = files.map((f) => {
          try {
            return signedBatchFromJson(readFileSync(f, "utf8"));
          } catch (cause) {
            throw new CliInputError(`${f} is not a signed batch file written by \`trace sign\`.`, { cause });
          }
        });
        batches.sort((a, b) => (a.signer === b.signer ? Number(a.nonce - b.nonce) : 0));
        const result = await (await ctx.writer()).relay(batches);
        ctx.out.result(
          { relayed: batches.length, transactions: result.transactions.map((t) => t.hash) },
          `relayed ${batches.length} batch(es) in ${result.transactions.length} transaction(s)`,
        );
      }),
    );
}
