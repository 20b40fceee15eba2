/**
 * Write commands: register, record (and the regulator shortcuts), pack, unpack, handover, assign, correct.
 * Each builds the EPCIS 2.0 record, saves it in the record store, and writes its hash on chain; writes the
 * chain already holds are skipped, so repeating a command is harmless.
 */
import type { Command } from "commander";
import type { BizTransactionTypeName } from "../../epcis";
import { recordAggregation, recordObjectEvent, recordRegistration, type UnitEventInput } from "../../records";
import { unregistered, unrecorded } from "../../write/resume";
import type { WriteResult } from "../../write/writer";
import { dedicatedDocumentKind, STEPS, type StepName } from "../../codes";
import type { CliContext } from "../context";
import { unitRef, stepArg, dispositionArg, timeArg, orgArg, bizTxArg, type UnitArg } from "../inputs";
import { CliInputError } from "../output";
import { correctionProof } from "../../hashChain/hashChain";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

/** Summary printed after a write. */
function summary(result: WriteResult, skipped: number) {
  return {
    written: result.items,
    skipped,
    transactions: result.transactions.map((t) => ({ hash: t.hash, block: t.blockNumber, gasUsed: t.gasUsed })),
    gasUsed: result.gasUsed,
  };
}

function printWrite(ctx: CliContext, what: string, result: WriteResult, skipped = 0, next?: string) {
  ctx.out.result({ ...summary(result, skipped), ...(next ? { next } : {}) }, () => {
    const lines = [`${what}: ${result.items} written${skipped ? `, ${skipped} already on chain (skipped)` : ""}.`];
    for (const t of result.transactions) lines.push(`  tx ${t.hash} (block ${t.blockNumber}, gas ${t.gasUsed})`);
    if (next) lines.push(`next: ${next}`);
    return lines.join("\n");
  });
}

export interface EventFlags {
  time?: string;
  location?: string;
  disposition?: string;
  bizTx?: string[];
  reason?: string;
}

/** The ObjectEvent a command's flags describe (extensions are `cbectrace:` fields of the record). */
export function unitEventOf(step: StepName, flags: EventFlags, extra: Record<string, string> = {}): UnitEventInput {
  const extensions: Record<`${string}:${string}`, string> = {};
  if (flags.reason) extensions["cbectrace:reason"] = flags.reason;
  for (const [k, v] of Object.entries(extra)) extensions[`cbectrace:${k}`] = v;
  return {
    step,
    eventTime: timeArg(flags.time),
    ...(flags.location ? { location: flags.location } : {}),
    ...(flags.disposition ? { disposition: dispositionArg(flags.disposition) } : {}),
    ...(flags.bizTx?.length
      ? {
          bizTransactions: flags.bizTx
            .map(bizTxArg)
            .map((b) => ({ type: b.type as BizTransactionTypeName, number: b.number })),
        }
      : {}),
    ...(Object.keys(extensions).length ? { extensions } : {}),
  };
}

/** Records (stores) the ObjectEvent the flags describe on a unit and returns its ledger input. */
export function recordUnitEvent(
  ctx: CliContext,
  unit: UnitArg,
  step: StepName,
  flags: EventFlags,
  extra?: Record<string, string>,
) {
  return recordObjectEvent(ctx.records, unit, unitEventOf(step, flags, extra)).input;
}

/** The flags of handover, accept, assign and correct: when (and where) besides the note. */
type TimedFlags = Pick<EventFlags, "time" | "location" | "reason">;

/** The event flags of a timed command (the CLI defaults the time to now: a command is often typed as it happens). */
const timed = (flags: TimedFlags): EventFlags => ({ time: flags.time, location: flags.location, reason: flags.reason });

const eventOptions = (c: Command) =>
  c
    .option("--time <iso>", "when it happened (ISO 8601 with offset; default now)")
    .option("--location <gln|code>", "where: a 13-digit GLN or a short code (≤ 8 characters)")
    .option("--disposition <name>", "CBV disposition, e.g. in_transit, sellable_accessible")
    .option("--biz-tx <type:number...>", "business documents, e.g. inventory:5316…, order:SO-1, waybill:SF123")
    .option("--reason <text>", "free text kept in the off-chain record");

const REGULATOR_SHORTCUTS: Array<[string, StepName, string]> = [
  ["hold", "HOLD", "hold a unit (regulator)"],
  ["lift-hold", "HOLD_LIFTED", "lift a hold (regulator)"],
  ["flag", "FLAGGED", "flag a unit (regulator)"],
  ["lift-flag", "FLAG_LIFTED", "lift a flag (regulator)"],
  ["recall", "RECALL", "start a recall (regulator or exporter)"],
  ["lift-recall", "RECALL_LIFTED", "lift a recall (regulator)"],
];

export function addWriteCommands(program: Command, run: Run): void {
  eventOptions(
    program
      .command("register")
      .description("register units (GS1 Digital Link URIs or element strings); already registered ones are skipped")
      .argument("<code...>", "units to register"),
  ).action(
    run(async (ctx: CliContext, codes: string[], flags: EventFlags) => {
      const units = codes.map(unitRef); // bad codes are refused before anything else
      await ctx.writer(); // then the key and the chain, before any record is stored
      const store = ctx.records;
      const regs = units.map((unit) => recordRegistration(store, unit, unitEventOf("COMMISSIONING", flags)).input);
      const reader = await ctx.reader();
      const todo = await unregistered(reader, regs);
      const result = await (await ctx.writer()).register(todo);
      printWrite(ctx, "register", result, regs.length - todo.length);
    }),
  );

  eventOptions(
    program
      .command("record")
      .description("record an event on units")
      .argument("<code...>", "units")
      .requiredOption("--step <name>", "business step, e.g. inspecting, storing, customs_released, departing"),
  ).action(
    run(async (ctx: CliContext, codes: string[], flags: EventFlags & { step: string }) => {
      const step = stepArg(flags.step);
      refuseDocumentStep(step);
      await recordEvents(ctx, codes, step, flags);
    }),
  );

  for (const [name, step, description] of REGULATOR_SHORTCUTS) {
    eventOptions(program.command(name).description(description).argument("<code...>", "units")).action(
      run(async (ctx: CliContext, codes: string[], flags: EventFlags) => recordEvents(ctx, codes, step, flags)),
    );
  }

  for (const [name, action] of [
    ["pack", "ADD"],
    ["unpack", "DELETE"],
  ] as const) {
    program
      .command(name)
      .description(
        action === "ADD" ? "pack units into a parent (carton SSCC, consignment)" : "take units out of a parent",
      )
      .argument("<parent>", "the parent unit")
      .argument("<children...>", "the units to put in or take out")
      .option("--time <iso>", "when (default now)")
      .option("--location <gln|code>", "where")
      .action(
        run(async (ctx: CliContext, parentCode: string, childCodes: string[], flags: EventFlags) => {
          const parent = unitRef(parentCode);
          const children = childCodes.map(unitRef);
          const { input, children: keys } = recordAggregation(ctx.records, parent, children, {
            action,
            eventTime: timeArg(flags.time),
            ...(flags.location ? { location: flags.location } : {}),
          });
          const writer = await ctx.writer();
          const result = action === "ADD" ? await writer.pack(input, keys) : await writer.unpack(input, keys);
          printWrite(ctx, name, result);
        }),
      );
  }

  program
    .command("handover")
    .description("offer custody of a unit (and its contents) to another organization, which accepts it")
    .argument("<code>", "the unit")
    .requiredOption("--to <orgId>", "the new custodian organization id")
    .option("--time <iso>", "when the goods were offered (ISO 8601 with offset; default now)")
    .option("--location <gln|code>", "where: a 13-digit GLN or a short code (≤ 8 characters)")
    .option("--reason <text>", "note kept in the off-chain record")
    .action(
      run(async (ctx: CliContext, code: string, flags: { to: string } & TimedFlags) => {
        const unit = unitRef(code);
        const to = orgArg(flags.to);
        const input = recordUnitEvent(ctx, unit, "CUSTODY_TRANSFERRED", timed(flags), { toOrganization: String(to) });
        // The record's own time and place go to the chain: the one value the record and the entry share.
        const result = await (await ctx.writer()).handover(unit.key, to, input);
        printWrite(ctx, "handover offer", result, 0, `organization ${to} accepts with: trace accept ${code}`);
      }),
    );

  program
    .command("accept")
    .description("accept custody of a unit a custodian offered to your organization (`trace handover`)")
    .argument("<code>", "the unit")
    .option("--time <iso>", "when the goods were taken over (ISO 8601 with offset; default now)")
    .option("--location <gln|code>", "where: a 13-digit GLN or a short code (≤ 8 characters)")
    .option("--reason <text>", "note kept in the off-chain record")
    .action(
      run(async (ctx: CliContext, code: string, flags: TimedFlags) => {
        const unit = unitRef(code);
        const input = recordUnitEvent(ctx, unit, "CUSTODY_TRANSFERRED", timed(flags), { accepted: "true" });
        const result = await (await ctx.writer()).acceptHandover(unit.key, input);
        printWrite(ctx, "accept", result);
      }),
    );

  program
    .command("assign")
    .description("let an organization (carrier, broker, lab) write on a unit and its contents; --remove undoes it")
    .argument("<code>", "the unit")
    .requiredOption("--org <orgId>", "the organization id")
    .option("--remove", "remove the assignment")
    .option("--time <iso>", "when it was agreed (ISO 8601 with offset; default now)")
    .option("--reason <text>", "note kept in the off-chain record")
    .action(
      run(async (ctx: CliContext, code: string, flags: { org: string; remove?: boolean } & TimedFlags) => {
        const unit = unitRef(code);
        const org = orgArg(flags.org);
        // An assignment is an agreement, not a movement: its entry has no place (the ledger takes none).
        const input = recordUnitEvent(
          ctx,
          unit,
          "ASSIGNED",
          { time: flags.time, reason: flags.reason },
          { organization: String(org), assignment: flags.remove ? "removed" : "assigned" },
        );
        const result = await (await ctx.writer()).assign(unit.key, org, !flags.remove, input);
        printWrite(ctx, flags.remove ? "unassign" : "assign", result);
      }),
    );

  program
    .command("correct")
    .description("declare an earlier entry of a unit wrong (both stay in the history)")
    .argument("<code>", "the unit")
    .requiredOption("--seq <n>", "the sequence number of the wrong entry (see `trace history`)")
    .requiredOption("--reason <text>", "what was wrong")
    .option("--time <iso>", "when the error is declared (ISO 8601 with offset; default now)")
    .action(
      run(async (ctx: CliContext, code: string, flags: { seq: string; reason: string; time?: string }) => {
        const unit = unitRef(code);
        if (!/^[1-9][0-9]*$/.test(flags.seq))
          throw new CliInputError(`--seq "${flags.seq}" must be a whole number from 1.`);
        const writer = await ctx.writer();
        // The ledger checks who recorded the entry against its hash chain: prove it from the current history.
        const reader = await ctx.reader();
        const history = await reader.history(unit.key);
        const seq = Number(flags.seq);
        if (seq > history.entries.length)
          throw new CliInputError(`${code} has ${history.entries.length} entries; there is no entry ${seq}.`);
        const proof = correctionProof(
          reader.ledger.chainId ?? (await reader.client.getChainId()),
          reader.ledger.address,
          unit.key,
          history.entries,
          seq,
        );
        const input = recordUnitEvent(
          ctx,
          unit,
          "CORRECTION",
          { time: flags.time, reason: flags.reason },
          { correctedSeq: flags.seq },
        );
        const result = await writer.correct(unit.key, seq, input, proof);
        printWrite(ctx, "correct", result);
      }),
    );
}

/**
 * Customs documents (order, payment, waybill, booking, declaration, summary, FX, refund) are filed by their
 * issuers with the documents' terms, not recorded as plain events: the ledger refuses them in `record`, so
 * the CLI says so before a record is stored or a key unlocked.
 */
function refuseDocumentStep(step: StepName): void {
  const kind = dedicatedDocumentKind(STEPS[step]);
  if (kind === undefined) return;
  throw new CliInputError(`${step.toLowerCase()} is a customs document (${kind}): \`trace record\` cannot record it.`, {
    hints: [
      `The issuing organization files the ${kind} document with its number and terms: TraceWriter.fileDocuments in the SDK (cbec-trace/write).`,
    ],
  });
}

async function recordEvents(ctx: CliContext, codes: string[], step: StepName, flags: EventFlags): Promise<void> {
  const units = codes.map(unitRef); // bad codes are refused before anything else
  await ctx.writer(); // then the key and the chain, before any record is stored
  const inputs = units.map((unit) => recordUnitEvent(ctx, unit, step, flags));
  const reader = await ctx.reader();
  const todo = await unrecorded(reader, inputs);
  const result = await (await ctx.writer()).record(todo);
  printWrite(ctx, step.toLowerCase(), result, inputs.length - todo.length);
}
