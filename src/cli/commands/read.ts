/** Read commands: key, label, state, history (the journey), export-epcis. No key needed. */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { labelUri } from "../../qrLabels";
import { addLabelCommand } from "./label";
import { epcisDocument, locationText, type EpcisEvent } from "../../epcis";
import { dispositionName } from "../../codes";
import type { JourneyEntry } from "../../read/types";
import type { CliContext } from "../context";
import { RecordStore } from "../../records";
import { unitRef, type UnitArg } from "../inputs";
import { CliInputError } from "../output";
import { UnitNotRegisteredError } from "../../errors/contract";
import type { TraceReader } from "../../read/reader";
import { readOrganizations } from "../../read/organizations";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

function entryRow(e: JourneyEntry) {
  return {
    seq: e.seq,
    step: e.stepName ?? e.step,
    disposition: dispositionName(e.disposition) ?? "",
    eventTime: new Date(e.eventTime * 1000).toISOString(),
    location: locationText(e.location),
    org: e.org,
    account: e.account,
    block: e.blockNumber,
    tx: e.transactionHash,
    recordHash: e.data,
    inheritedFrom: e.inheritedFrom ?? null,
  };
}

/**
 * Refuses a unit the ledger does not know (exit 3, as the ledger would), before its journey is read: an
 * unknown unit has no history to check or export, and that is the user's answer, not a chain problem.
 */
async function requireRegistered(reader: TraceReader, code: string, u: UnitArg): Promise<void> {
  if ((await reader.unitState(u.key)).registered) return;
  throw new UnitNotRegisteredError(
    "TraceLedgerUnknownUnit",
    [u.key],
    `${code} is not registered on this ledger (key ${u.key}).`,
    [
      "Check the code for a typo, and that --network / --manifest names the ledger it was registered on.",
      "Register it first with `trace register`.",
    ],
  );
}

/**
 * The names of organizations, for output that would otherwise say "org 3". Best effort: output without
 * names (a node without the old logs) is still right, so a failed read leaves them out.
 */
async function orgNames(reader: TraceReader, ids: number[]): Promise<Map<number, string>> {
  try {
    const orgs = await readOrganizations(reader.client, { ledger: reader.ledger, orgIds: ids });
    return new Map([...orgs].flatMap(([id, o]) => (o.identity ? [[id, o.identity.name] as const] : [])));
  } catch {
    return new Map();
  }
}

/** "Name (org 3)", or "org 3" when the name is unknown. */
const orgText = (names: Map<number, string>, id: number) =>
  names.has(id) ? `${names.get(id)} (org ${id})` : `org ${id}`;

export function addReadCommands(program: Command, run: Run): void {
  program
    .command("key")
    .description("show the canonical Digital Link path and on-chain key of GS1 codes (no chain needed)")
    .argument("<code...>", "Digital Link URIs or element strings")
    .action(
      run(async (ctx: CliContext, codes: string[]) => {
        const rows = codes.map((code) => {
          const u = unitRef(code);
          return {
            input: code,
            kind: u.identity.kind,
            canonicalPath: u.identity.canonicalPath,
            key: u.key,
            uri: labelUri(u.identity, { domain: ctx.domain }),
          };
        });
        ctx.out.result(rows, () => rows.map((r) => `${r.canonicalPath}\n  key ${r.key}\n  uri ${r.uri}`).join("\n"));
      }),
    );

  addLabelCommand(program, run);

  program
    .command("state")
    .description("show a unit's on-chain state")
    .argument("<code>", "the unit")
    .action(
      run(async (ctx: CliContext, code: string) => {
        const u = unitRef(code);
        const reader = await ctx.reader();
        const s = await reader.unitState(u.key);
        const names = s.registered ? await orgNames(reader, [s.registrant, s.custodian]) : new Map<number, string>();
        ctx.out.result({ uri: u.uri, ...s }, () =>
          s.registered
            ? [
                `${code}${code === u.uri ? "" : `  (${u.uri})`}`,
                `  key        ${u.key}`,
                `  stage      ${s.stageName}${s.held ? ", HELD" : ""}${s.recalled ? ", RECALLED" : ""}${s.flagged ? ", FLAGGED" : ""}${s.holdsStopped ? ", HOLDS A STOPPED UNIT" : ""}`,
                `  entries    ${s.seq} (latest in block ${s.lastBlock})`,
                `  registrant ${orgText(names, s.registrant)}, custodian ${orgText(names, s.custodian)}`,
                ...(s.parent ? [`  packed in  ${s.parent}`] : []),
                `  head       ${s.head}`,
              ].join("\n")
            : `${u.uri} is not registered on this ledger.`,
        );
      }),
    );

  program
    .command("history")
    .description("show a unit's journey: its own entries and those of the parents it was packed in, chain-checked")
    .argument("<code>", "the unit")
    .action(
      run(async (ctx: CliContext, code: string) => {
        const u = unitRef(code);
        const reader = await ctx.reader();
        await requireRegistered(reader, code, u);
        const journey = await reader.journey(u.key);
        const names = await orgNames(reader, [...new Set(journey.entries.map((e) => e.org))]);
        const rows = journey.entries.map((e) => ({ ...entryRow(e), orgName: names.get(e.org) ?? null }));
        ctx.out.result({ uri: u.uri, key: u.key, intact: journey.intact, entries: rows }, () => {
          if (rows.length === 0) return `${code} is not registered on this ledger.`;
          const lines = [`${code}: ${rows.length} entries, hash chain ${journey.intact ? "intact" : "BROKEN"}`];
          for (const r of rows) {
            const via = r.inheritedFrom ? `  (via parent ${String(r.inheritedFrom).slice(0, 10)}…)` : "";
            lines.push(
              `  #${String(r.seq).padStart(3)}  ${r.eventTime}  ${String(r.step).padEnd(20)} ${r.disposition.padEnd(20)} ${orgText(names, r.org)}  ${r.location}${via}`,
            );
          }
          return lines.join("\n");
        });
        if (!journey.intact) process.exitCode = 4;
      }),
    );

  program
    .command("export-epcis")
    .description("export a unit's journey as an EPCIS 2.0 document from the record store, checked against the chain")
    .argument("<code>", "the unit")
    .option("--out <file>", "write to a file instead of stdout")
    .action(
      run(async (ctx: CliContext, code: string, flags: { out?: string }) => {
        const u = unitRef(code);
        const reader = await ctx.reader();
        await requireRegistered(reader, code, u);
        const journey = await reader.journey(u.key);
        const store = new RecordStore(ctx.recordsDir);
        const events: EpcisEvent[] = [];
        const missing: string[] = [];
        for (const e of journey.entries) {
          const record = /^0x[0-9a-f]{64}$/.test(e.data) ? store.get(e.data) : undefined;
          if (record) events.push(record);
          else if (e.stepName !== "PACKING" && e.stepName !== "UNPACKING")
            missing.push(`#${e.seq} ${e.stepName} ${e.data}`);
        }
        const unique = [...new Map(events.map((ev) => [ev.eventID, ev])).values()];
        const doc = epcisDocument(unique, { creationDate: new Date() });
        const text = JSON.stringify(doc, null, 2);
        if (flags.out) writeFileSync(flags.out, text + "\n");
        else process.stdout.write(text + "\n");
        if (missing.length) {
          process.stderr.write(
            `warning: ${missing.length} entries have no record in ${ctx.recordsDir}:\n  ${missing.join("\n  ")}\n`,
          );
        }
        if (flags.out) ctx.out.info(`wrote ${unique.length} events to ${flags.out}`);
      }),
    );
}

export { locationText };
