/**
 * `trace customs`: customs documents off chain. `check` matches an order, a payment, a waybill and optionally
 * the declaration list field by field (三单对碰) and exits with a verdict code; `hash` prints what filing a
 * record puts on chain (numberHash, orderRef, terms, recordHash) and, with `--public`, its public form.
 * Neither needs a chain. The on-chain `file` / `show` and the regulator's view attach to `customsCommand`.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { TraceError } from "../../errors/base";
import {
  documentFields,
  documentNumber,
  matchDocuments,
  parseCustomsRecord,
  publicForm,
  type CitedDocument,
  type CustomsRecord,
  type DocumentKindName,
  type MatchVerdict,
} from "../../customs";
import type { CliContext } from "../context";
import { EXIT } from "../exitCodes";
import { unitRef, orgArg } from "../inputs";
import { CliInputError } from "../output";
import { checkUnitOnline } from "./customsOnline";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

/** Exit code of `trace customs check` when the documents disagree or one is incomplete: a verdict, not an error. */
export const CUSTOMS_MISMATCH_EXIT = EXIT.VERDICT_FAIL;

/** Runs `fn`; an SDK refusal becomes an input error that names the file. */
export function inFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof TraceError) || e instanceof CliInputError) throw e;
    throw new CliInputError(`${file}: ${e.shortMessage}`, { hints: e.hints, cause: e });
  }
}

/** Reads and parses a record file. */
export function recordFile(file: string, expected?: DocumentKindName): CustomsRecord {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliInputError(`${file} cannot be read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliInputError(`${file} is not JSON: ${(e as Error).message}`, {
      hints: ["A customs record is one JSON object { kind, time, … }; see docs/customs.md."],
    });
  }
  return inFile(file, () => parseCustomsRecord(json, expected));
}

/** `--cite <org>:<file>`, repeatable. */
export function collectCite(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function citeArg(text: string): CitedDocument & { file: string } {
  const i = text.indexOf(":");
  if (i <= 0) {
    throw new CliInputError(`--cite "${text}" must be <issuer org id>:<record file>, e.g. 4:waybill.json.`);
  }
  const file = text.slice(i + 1);
  return { issuerOrg: orgArg(text.slice(0, i)), record: recordFile(file), file };
}

function verdictText(v: MatchVerdict, files: string[]): string {
  const lines = [
    v.ok
      ? "the documents agree (三单一致)"
      : `the documents do not agree (三单不一致): ${v.disagreements.length} disagreement(s), ${v.missing.length} missing`,
    `  ${files.join(" · ")}`,
  ];
  for (const d of v.disagreements) lines.push(`  ✗ ${d.explain.en}`, `    ${d.explain.zh}`);
  for (const m of v.missing) lines.push(`  ? ${m.explain.en}`, `    ${m.explain.zh}`);
  const chain = (ok: boolean | undefined) => (ok === undefined ? "not compared" : ok ? "match" : "DIFFER");
  lines.push(
    `  on chain: payment terms ${chain(v.terms.paymentMatchesOnChain)}, waybill terms ${chain(v.terms.waybillMatchesOnChain)}`,
  );
  return lines.join("\n");
}

/** Adds `trace customs check` and `trace customs hash`; returns the `customs` command for later subcommands. */
export function addCustomsCommands(program: Command, run: Run): Command {
  const customs = program
    .command("customs")
    .description("customs documents: the three-document match and the on-chain inputs of a record");

  customs
    .command("check")
    .description(
      "match an order, a payment and a waybill (and the declaration list) field by field (三单对碰); " +
        `exit 0 when they agree, ${CUSTOMS_MISMATCH_EXIT} when they do not`,
    )
    .argument("[order]", "the order record (CEB303), JSON")
    .argument("[payment]", "the payment record (CEB403), JSON")
    .argument("[waybill]", "the waybill record (CEB505), JSON")
    .argument("[declaration]", "the declaration list (CEB603), JSON")
    // Issue 14: the shipment's documents as filed, read from the platform with the caller's key.
    .option(
      "--unit <code>",
      "match the documents filed on this unit, read from TRACE_PLATFORM_URL (signed with TRACE_PRIVATE_KEY)",
    )
    .addHelpText(
      "after",
      [
        "",
        "Records may be private (with the people and the order's privacySalt) or public (people as buyerRef).",
        "The payment must equal the order's goodsValue + freight in the same currency; goods are compared line",
        `by line (GTIN or item code, HS code, quantity, unit). Exit codes: 0 agree, ${CUSTOMS_MISMATCH_EXIT} disagree or`,
        `incomplete, ${EXIT.INVALID_INPUT} a file is not a valid record. See docs/customs.md.`,
      ].join("\n"),
    )
    .action(
      run(async (ctx: CliContext, ...args: Array<string | undefined | { unit?: string }>) => {
        const [order, payment, waybill, declaration] = args as Array<string | undefined>;
        const { unit } = args[args.length - 1] as { unit?: string };
        if (unit !== undefined) {
          if (order !== undefined) throw new CliInputError("give either --unit or the record files, not both.");
          const checked = await checkUnitOnline(ctx, unit);
          ctx.out.result({ ...checked.verdict, numbers: checked.numbers, records: checked.records }, () =>
            verdictText(
              checked.verdict,
              Object.entries(checked.numbers).map(([slot, n]) => `${slot} ${n}`),
            ),
          );
          if (!checked.verdict.ok) process.exitCode = CUSTOMS_MISMATCH_EXIT;
          return;
        }
        if (order === undefined || payment === undefined || waybill === undefined) {
          throw new CliInputError("give the order, payment and waybill record files (or --unit <code>).");
        }
        const files = { order, payment, waybill, ...(declaration !== undefined ? { declaration } : {}) };
        const records = Object.fromEntries(
          Object.entries(files).map(([slot, file]) => [slot, recordFile(file, slot.toUpperCase() as DocumentKindName)]),
        );
        const verdict = matchDocuments(records);
        const numbers = Object.fromEntries(
          Object.entries(records).map(([slot, r]) => [slot, documentNumber(r as CustomsRecord)]),
        );
        ctx.out.result({ ...verdict, numbers }, () =>
          verdictText(
            verdict,
            Object.entries(numbers).map(([slot, n]) => `${slot} ${n}`),
          ),
        );
        if (!verdict.ok) process.exitCode = CUSTOMS_MISMATCH_EXIT;
      }),
    );

  customs
    .command("hash")
    .description(
      "print what filing a record puts on chain: numberHash, orderRef, terms, recordHash (and its public form)",
    )
    .argument("<record>", "the document record, JSON")
    .option("--public", "also print the public form (the document without personal data, as published)")
    .option("--unit <code>", "the unit the document is about (Digital Link or element string): adds its key")
    .option(
      "--cite <org:file>",
      "a document a declaration or summary cites, with its issuer's org id (repeat)",
      collectCite,
    )
    .action(
      run(async (ctx: CliContext, file: string, flags: { public?: boolean; unit?: string; cite?: string[] }) => {
        const record = recordFile(file);
        const cites = (flags.cite ?? []).map(citeArg);
        const unit = flags.unit === undefined ? undefined : unitRef(flags.unit).key;
        const fields = inFile(file, () => documentFields(record, cites));
        const pub = flags.public ? inFile(file, () => publicForm(record)) : undefined;
        const data = {
          document: record.kind,
          number: documentNumber(record),
          ...(unit !== undefined ? { unit } : {}),
          ...fields,
          ...(pub !== undefined ? { public: pub } : {}),
        };
        ctx.out.result(data, () =>
          [
            `${record.kind} ${data.number}`,
            ...(unit !== undefined ? [`  unit        ${unit}`] : []),
            `  kind        ${fields.kind}`,
            `  numberHash  ${fields.numberHash}`,
            `  orderRef    ${fields.orderRef}`,
            `  terms       ${fields.terms[0]}`,
            `              ${fields.terms[1]}`,
            ...(fields.mode !== 0 ? [`  mode        ${fields.mode}`] : []),
            ...fields.cites.map((c, i) => `  cites       ${c}  (${cites[i].file}, org ${cites[i].issuerOrg})`),
            `  eventTime   ${fields.eventTime}`,
            `  location    ${fields.location}`,
            `  recordHash  ${fields.recordHash}`,
            ...(pub !== undefined ? ["", JSON.stringify(pub, null, 2)] : []),
          ].join("\n"),
        );
      }),
    );
  return customs;
}
