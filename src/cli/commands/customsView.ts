/**
 * The regulator's view on the command line (issue 14), under `trace customs`:
 *  - `list`, `problems`, `stock`, `search`: the index's queries (the platform's index, or one the regulator
 *    runs with `trace index`: --database-url / DATABASE_URL, else the PGlite in --data-dir), as a table,
 *    `--json` or `--csv` (RFC 4180, the columns of `src/customs/regulator/columns.ts`);
 *  - `show <unit>`: a unit's documents, mode, status and flags read from the chain itself, no index needed;
 *  - `file <record.json…> --unit <code>`: files documents on chain from their records, as the key's
 *    organization, and publishes the records' public form to the platform like every write.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { isCustomsMode, DOCUMENT_KIND_NAMES, type DocumentKindName } from "../../codes";
import { documentId, documentInput, publicForm, customsRecordHash } from "../../customs";
import type { CustomsDocumentInput } from "../../write/types";
import {
  DECLARATION_COLUMNS,
  DECLARATION_STATUSES,
  DOCUMENT_COLUMNS,
  PROBLEM_COLUMNS,
  STOCK_COLUMNS,
  CHECK_HINT,
  readUnitCustoms,
  textTable,
  toCsv,
  type Column,
  type DeclarationStatus,
} from "../../customs/regulator";
import { openIndexDb, type IndexDb } from "../../indexer/db";
import { ensureSchema } from "../../indexer/schema";
import {
  customs9810Stock,
  customsDeclarations,
  customsDocumentsByNumber,
  customsProblems,
  type CustomsDeclarationRow,
} from "../../indexer/queries";
import type { EpcisEvent } from "../../epcis";
import type { CliContext } from "../context";
import { unitRef } from "../inputs";
import { CliInputError } from "../output";
import { DEFAULT_INDEX_DIR } from "./index";
import { citeArg, collectCite, inFile, recordFile } from "./customs";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

interface IndexFlags {
  databaseUrl?: string;
  dataDir: string;
  csv?: boolean;
}

const withIndex = (c: Command) =>
  c
    .option("--database-url <url>", "the index's PostgreSQL server (env DATABASE_URL)")
    .option("--data-dir <dir>", "the embedded index's directory (from `trace index`)", DEFAULT_INDEX_DIR)
    .option("--csv", "print CSV (RFC 4180, header row, UTF-8) instead of a table");

/** Opens the index read by the queries, or says how to get one. */
async function openIndex(ctx: CliContext, flags: IndexFlags): Promise<IndexDb> {
  const databaseUrl = flags.databaseUrl ?? process.env.DATABASE_URL;
  const dataDir = resolve(flags.dataDir);
  if (!databaseUrl && !existsSync(dataDir)) {
    throw new CliInputError(`No index at ${dataDir}: the regulator's view reads the ledger's index.`, {
      hints: [
        "Build one with `trace index --once` (same --data-dir), or pass --database-url of the platform's index.",
        "`trace customs show <unit>` reads one unit from the chain without an index.",
      ],
    });
  }
  let db: IndexDb;
  try {
    db = await openIndexDb(databaseUrl ? { databaseUrl } : { dataDir });
    await ensureSchema(db);
  } catch (cause) {
    const e = cause as { shortMessage?: string; message?: string; hints?: string[] };
    throw new CliInputError(`The index cannot be opened: ${e.shortMessage ?? e.message}`, {
      hints: e.hints?.length
        ? e.hints
        : [
            "A PGlite directory is opened by one process at a time: stop `trace index` or the server, or use PostgreSQL.",
          ],
      cause,
    });
  }
  const [sync] = await db.query<{ ledger: string; block: unknown }>("SELECT ledger, block FROM sync WHERE id = 1");
  if (!sync) {
    await db.close();
    throw new CliInputError("The index is empty: it has not followed a ledger yet.", {
      hints: ["Run `trace index --once` with the same --data-dir / --database-url first."],
    });
  }
  const expected = ctx.env.ledger ?? ctx.manifest()?.ledger.address;
  if (expected && expected.toLowerCase() !== sync.ledger.toLowerCase()) {
    await db.close();
    throw new CliInputError(`The index follows ledger ${sync.ledger}, not ${expected}.`, {
      hints: ["Point --data-dir / --database-url at the index of this ledger, or index it with `trace index`."],
    });
  }
  ctx.out.info(`the index's reading of the chain up to block ${String(sync.block)} (public on-chain data only)`);
  return db;
}

/** Runs `fn` on the index and closes it. */
async function onIndex<T>(ctx: CliContext, flags: IndexFlags, fn: (db: IndexDb) => Promise<T>): Promise<T> {
  const db = await openIndex(ctx, flags);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Prints rows as CSV (--csv), JSON (--json) or a table. */
function printRows<T>(ctx: CliContext, flags: IndexFlags, columns: readonly Column<T>[], rows: T[], footer = "") {
  if (flags.csv) {
    process.stdout.write(toCsv(columns, rows));
    return;
  }
  ctx.out.result(rows, () => (rows.length === 0 ? "(none)" : textTable(columns, rows)) + footer);
}

function wholeDays(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new CliInputError(`${flag} must be a whole number of days, not "${text}".`);
  return Number(text);
}

function modeArg(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const mode = Number(text);
  if (!/^\d+$/.test(text) || !isCustomsMode(mode)) {
    throw new CliInputError(`--mode ${text} is not a customs mode: use 9610, 9710, 9810 or 1210.`);
  }
  return mode;
}

function statusArg(text: string | undefined): DeclarationStatus | undefined {
  if (text === undefined) return undefined;
  const status = text.toLowerCase() as DeclarationStatus;
  if (!DECLARATION_STATUSES.includes(status)) {
    throw new CliInputError(`--status ${text} is not a status: use ${DECLARATION_STATUSES.join(", ")}.`);
  }
  return status;
}

function kindArg(text: string | undefined): DocumentKindName | undefined {
  if (text === undefined) return undefined;
  const kind = text.toUpperCase().replace(/[- ]/g, "_") as DocumentKindName;
  if (!DOCUMENT_KIND_NAMES.includes(kind)) {
    throw new CliInputError(
      `--kind ${text} is not a document kind: use ${DOCUMENT_KIND_NAMES.map((k) => k.toLowerCase()).join(", ")}.`,
    );
  }
  return kind;
}

/** Every declaration matching the filter (all pages). */
async function allDeclarations(db: IndexDb, filter: { mode?: number; status?: DeclarationStatus }) {
  const rows: CustomsDeclarationRow[] = [];
  let after: string | undefined;
  do {
    const page = await customsDeclarations(db, filter, { limit: 1_000, ...(after ? { after } : {}) });
    rows.push(...page.items);
    after = page.next;
  } while (after);
  return rows;
}

/** Adds the regulator's subcommands to `trace customs`. */
export function addCustomsViewCommands(customs: Command, run: Run): void {
  withIndex(
    customs
      .command("list")
      .description("declarations by mode and status (from the index)")
      .option("--mode <mode>", "9610, 9710, 9810 or 1210")
      .option("--status <status>", DECLARATION_STATUSES.join(" | ")),
  ).action(
    run(async (ctx: CliContext, flags: IndexFlags & { mode?: string; status?: string }) => {
      const filter = {
        ...(flags.mode !== undefined ? { mode: modeArg(flags.mode) } : {}),
        ...(flags.status !== undefined ? { status: statusArg(flags.status) } : {}),
      };
      const rows = await onIndex(ctx, flags, (db) => allDeclarations(db, filter));
      printRows(ctx, flags, DECLARATION_COLUMNS, rows);
    }),
  );

  withIndex(
    customs
      .command("problems")
      .description("shipments whose documents disagree or are incomplete, refunds without exit or FX, refunds to repay")
      .option("--older-than <days>", "list incomplete documents only once this many days old", "0"),
  ).action(
    run(async (ctx: CliContext, flags: IndexFlags & { olderThan: string }) => {
      const days = wholeDays(flags.olderThan, "--older-than");
      const rows = await onIndex(ctx, flags, (db) => customsProblems(db, { incompleteAfterDays: days }));
      const footer = rows.some((r) => r.problem.endsWith("-disagrees"))
        ? `\nwhich field disagrees: a holder of the records runs \`${CHECK_HINT}\``
        : "";
      printRows(ctx, flags, PROBLEM_COLUMNS, rows, footer);
    }),
  );

  withIndex(
    customs
      .command("stock")
      .description("9810 stock aging in overseas warehouses: exported, not yet sold, with days since exit")
      .option("--min-days <days>", "only units exited at least this many days ago", "0"),
  ).action(
    run(async (ctx: CliContext, flags: IndexFlags & { minDays: string }) => {
      const minDays = wholeDays(flags.minDays, "--min-days");
      const rows = await onIndex(ctx, flags, (db) => customs9810Stock(db, { minDays }));
      printRows(ctx, flags, STOCK_COLUMNS, rows);
    }),
  );

  withIndex(
    customs
      .command("search")
      .description("the documents filed under a document number (any issuer; a waybill is <logisticsNo>@<YYYYMMDD>)")
      .argument("<number>", "the document number as printed")
      .option("--kind <kind>", "only documents of this kind, e.g. waybill"),
  ).action(
    run(async (ctx: CliContext, number: string, flags: IndexFlags & { kind?: string }) => {
      const kind = kindArg(flags.kind);
      if (number.trim() === "") throw new CliInputError("The document number is empty: give it as printed.");
      const rows = await onIndex(ctx, flags, (db) => customsDocumentsByNumber(db, number, kind ? { kind } : {}));
      if (rows.length === 0 && !flags.csv) {
        ctx.out.info(
          `no document numbered ${number.trim().toUpperCase()}${kind ? ` of kind ${kind.toLowerCase()}` : ""} is on chain` +
            (kind === "WAYBILL" || !number.includes("@") ? " (a waybill is searched as <logisticsNo>@<YYYYMMDD>)" : ""),
        );
      }
      printRows(ctx, flags, DOCUMENT_COLUMNS, rows);
    }),
  );

  customs
    .command("show")
    .description("a unit's customs documents, mode, status and flags, read from the chain (no index needed)")
    .argument("<unit>", "the unit (Digital Link or element string)")
    .action(
      run(async (ctx: CliContext, code: string) => {
        const unit = unitRef(code);
        const view = await readUnitCustoms(await ctx.reader(), unit.key);
        ctx.out.result({ uri: unit.uri, ...view }, () =>
          [
            `${unit.uri}`,
            `  mode         ${view.mode || "-"}`,
            `  status       ${view.status ?? "not declared"}`,
            `  declaration  ${view.declaration ?? "-"}`,
            `  flags        ${view.flags.join(" ") || "-"}`,
            `  history      ${view.intact ? "intact" : "BROKEN: the logs do not match the on-chain head"}`,
            `  documents    ${view.documents.length}`,
            ...view.documents.map(
              (d) =>
                `    ${d.kind.padEnd(13)} ${d.docId}  org ${d.issuerOrg}  block ${d.blockNumber}` +
                (d.citedBy ? `  cited by ${d.citedBy}` : ""),
            ),
          ].join("\n"),
        );
      }),
    );

  customs
    .command("file")
    .description("file customs documents on a unit from their records, as your organization")
    .argument("<record...>", "document records (JSON), filed in the order given")
    .requiredOption("--unit <code>", "the unit the documents are about (Digital Link or element string)")
    .option(
      "--cite <org:file>",
      "a document a declaration or summary cites, with its issuer's org id (repeat)",
      collectCite,
    )
    .action(
      run(async (ctx: CliContext, files: string[], flags: { unit: string; cite?: string[] }) => {
        const unit = unitRef(flags.unit);
        const cites = (flags.cite ?? []).map(citeArg);
        const records = files.map((file) => ({ file, record: recordFile(file) }));
        const citing = records.filter((r) => r.record.kind === "DECLARATION" || r.record.kind === "SUMMARY");
        if (cites.length > 0 && citing.length !== 1) {
          throw new CliInputError(
            `--cite names what ONE declaration or summary cites; ${citing.length} are given: file them one command each.`,
          );
        }
        const inputs: CustomsDocumentInput[] = records.map(({ file, record }) =>
          inFile(file, () => {
            return documentInput(record, unit.key, citing[0]?.record === record ? cites : []);
          }),
        );
        const writer = await ctx.writer();
        const org = await writer.organization();
        const todo = await writer.unfiledDocuments(inputs);
        const result = await writer.fileDocuments(todo);
        // What the chain anchors is the public form's hash: that form is what the platform may publish.
        for (const { record } of records) {
          ctx.records.put(customsRecordHash(record), publicForm(record) as unknown as EpcisEvent);
        }
        const filed = inputs.map((d, i) => ({
          file: records[i].file,
          kind: records[i].record.kind,
          docId: documentId(d.kind, org, d.numberHash),
          recordHash: d.recordHash,
          skipped: !todo.includes(d),
        }));
        const data = {
          written: result.items,
          skipped: inputs.length - todo.length,
          documents: filed,
          transactions: result.transactions.map((t) => ({ hash: t.hash, block: t.blockNumber, gasUsed: t.gasUsed })),
          gasUsed: result.gasUsed,
        };
        ctx.out.result(data, () =>
          [
            `customs file: ${result.items} filed${data.skipped ? `, ${data.skipped} already on chain (skipped)` : ""} on ${unit.uri}.`,
            ...filed.map((d) => `  ${d.kind.padEnd(13)} ${d.docId}${d.skipped ? " (skipped)" : ""}  ${d.file}`),
            ...result.transactions.map((t) => `  tx ${t.hash} (block ${t.blockNumber}, gas ${t.gasUsed})`),
          ].join("\n"),
        );
      }),
    );
}
