/**
 * `trace import <file>`: registers units and records events from a CSV or JSON file of thousands of rows.
 * Resumable: everything the chain already holds is skipped (registered units; events with the same step
 * and record hash), and the command first waits for this key's pending transactions to settle, so rerunning
 * after a crash, a kill or a timeout records each row exactly once.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { unregistered, unrecorded } from "../../write/resume";
import type { RegistrationInput, TraceInput } from "../../write/types";
import type { CliContext } from "../context";
import { unitRef, stepArg } from "../inputs";
import { CliInputError } from "../output";
import { parseImportFile } from "../import/rows";
import { Progress } from "../import/progress";
import { refusedRow, RowRefusedError, RowsNotLicensedError } from "../import/refusal";
import { CodeNotLicensedError } from "../../errors/licence";
import { ContractRefusalError } from "../../errors/contract";
import type { ImportRow } from "../import/rows";
import { recordObjectEvent, recordRegistration } from "../../records";
import { unitEventOf } from "./write";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

export function addImportCommand(program: Command, run: Run): void {
  program
    .command("import")
    .description("register units and record events from a CSV or JSON file; rerun to resume after an interruption")
    .argument(
      "<file>",
      "rows: action,code,step,time,disposition,location,biz_tx,reason (time: required to record, default now to register)",
    )
    .option("--chunk <n>", "rows per transaction group (progress granularity)", "200")
    .action(
      run(async (ctx: CliContext, file: string, flags: { chunk: string }) => {
        const started = Date.now();
        const chunk = Number(flags.chunk);
        if (!Number.isSafeInteger(chunk) || chunk <= 0)
          throw new CliInputError(`--chunk "${flags.chunk}" must be a positive number.`);
        let text: string;
        try {
          text = readFileSync(file, "utf8");
        } catch (cause) {
          throw new CliInputError(`Cannot read ${file}.`, { cause });
        }
        const rows = parseImportFile(basename(file), text);
        // Build (and store) every record first: a bad row stops the import before anything is sent.
        const store = ctx.records;
        const regs: RegistrationInput[] = [];
        const events: TraceInput[] = [];
        // Each input's row, so that a refusal names the row and the code as the file writes them.
        const rowOf = new Map<RegistrationInput | TraceInput, ImportRow>();
        for (const row of rows) {
          try {
            const unit = unitRef(row.code);
            const flags = {
              time: row.time,
              location: row.location,
              disposition: row.disposition,
              bizTx: row.bizTx,
              reason: row.reason,
            };
            if (row.action === "register") {
              const input = recordRegistration(store, unit, unitEventOf("COMMISSIONING", flags)).input;
              regs.push(input);
              rowOf.set(input, row);
            } else {
              const input = recordObjectEvent(store, unit, unitEventOf(stepArg(row.step!), flags)).input;
              events.push(input);
              rowOf.set(input, row);
            }
          } catch (error) {
            const e = error as { shortMessage?: string; message?: string; hints?: string[] };
            throw new CliInputError(`${file} row ${row.line}: ${e.shortMessage ?? e.message}`, {
              hints: e.hints,
              cause: error,
            });
          }
        }
        const writer = await ctx.writer();
        const reader = await ctx.reader();
        await writer.settle();
        const todoRegs = await unregistered(reader, regs);
        const todoEvents = await unrecorded(reader, events);
        // Every register row is checked against the prefix registry before the first transaction.
        try {
          await writer.licences.prefixLengths(todoRegs.map((r) => r.path));
        } catch (error) {
          if (!(error instanceof CodeNotLicensedError)) throw error;
          throw new RowsNotLicensedError(
            file,
            error.refused.map((c) => rowOf.get(todoRegs[c.index])!),
            error,
          );
        }
        const skipped = rows.length - todoRegs.length - todoEvents.length;
        ctx.out.info(
          `${rows.length} rows: ${skipped} already on chain, ${todoRegs.length} to register, ${todoEvents.length} to record`,
        );
        const progress = new Progress("import", todoRegs.length + todoEvents.length, !ctx.out.json);
        let transactions = 0;
        const send = async <T extends RegistrationInput | TraceInput>(
          part: T[],
          write: (part: T[]) => Promise<{ transactions: unknown[] }>,
        ) => {
          try {
            transactions += (await write(part)).transactions.length;
          } catch (error) {
            const row = error instanceof ContractRefusalError ? refusedRow(error, part, rowOf) : undefined;
            throw row ? new RowRefusedError(file, row, error as ContractRefusalError) : error;
          }
          progress.add(part.length);
        };
        for (let i = 0; i < todoRegs.length; i += chunk) {
          await send(todoRegs.slice(i, i + chunk), (part) => writer.register(part));
        }
        for (let i = 0; i < todoEvents.length; i += chunk) {
          await send(todoEvents.slice(i, i + chunk), (part) => writer.record(part));
        }
        const seconds = (Date.now() - started) / 1000;
        const result = {
          rows: rows.length,
          registered: todoRegs.length,
          recorded: todoEvents.length,
          skipped,
          transactions,
          seconds,
        };
        ctx.out.result(
          result,
          `imported ${file}: ${todoRegs.length} registered, ${todoEvents.length} recorded, ${skipped} skipped (already on chain), ` +
            `${transactions} transactions, ${seconds.toFixed(1)} s`,
        );
      }),
    );
}
