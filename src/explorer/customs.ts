/**
 * The explorer's customs pages (issue 14): `/customs` — declarations by mode and status, the problem list,
 * 9810 stock aging and search by document number, each with a CSV download (`/customs/<view>.csv`, the
 * same columns and writer as `trace customs … --csv`) — and `/customs/<unit key>`, a unit's documents.
 * Everything is the index's reading of public on-chain data; the documents' contents are private records.
 */
import type { Hex } from "viem";
import {
  DECLARATION_COLUMNS,
  DECLARATION_STATUSES,
  DOCUMENT_COLUMNS,
  PROBLEM_COLUMNS,
  STOCK_COLUMNS,
  CHECK_HINT,
  toCsv,
  type Column,
  type DeclarationStatus,
} from "../customs/regulator";
import { DOCUMENT_KIND_NAMES, type DocumentKindName } from "../codes";
import { CUSTOMS_MODES } from "../customs/kinds";
import type { IndexSql } from "../indexer/db";
import {
  customs9810Stock,
  customsDeclarations,
  customsDocumentsByNumber,
  customsDocumentsOfUnit,
  customsProblems,
} from "../indexer/queries";
import type { ExplorerContext, PageResult } from "./context";
import { ExplorerInputError, ExplorerNotFoundError } from "./errors";
import { BASE, link } from "./format";
import { html, type SafeHtml } from "./html";
import { parseHash32 } from "./params";

/** A CSV download instead of a page. */
export interface CsvResult {
  csv: string;
}

const CUSTOMS = `${BASE}/customs`;
const ROWS = 1_000;

const NOTICE = html`<p class="sub">
  This view is the index's reading of public on-chain data: kinds, issuers, hashes and customs steps. The documents'
  contents are private records, shown only to a holder through <code>trace customs check</code>.
  本页为索引对链上公开数据的解读；单证内容为私有记录，仅持有者可通过 trace customs check 查看。
</p>`;

interface Filter {
  mode?: number;
  status?: DeclarationStatus;
  number?: string;
  kind?: DocumentKindName;
}

function filterOf(q: URLSearchParams): Filter {
  const f: Filter = {};
  const mode = q.get("mode") || undefined;
  if (mode !== undefined) {
    if (!/^\d{4}$/.test(mode)) throw new ExplorerInputError(`Mode "${mode}" is not 9610, 9710, 9810 or 1210.`);
    f.mode = Number(mode);
  }
  const status = q.get("status") || undefined;
  if (status !== undefined) f.status = status as DeclarationStatus; // the query names the choices when wrong
  const number = q.get("number")?.trim() || undefined;
  if (number !== undefined) f.number = number;
  const kind = q.get("kind") || undefined;
  if (kind !== undefined) {
    const k = kind.toUpperCase() as DocumentKindName;
    if (!DOCUMENT_KIND_NAMES.includes(k)) throw new ExplorerInputError(`"${kind}" is not a customs document kind.`);
    f.kind = k;
  }
  return f;
}

/** The rows of one view (what a table and its CSV show). */
async function viewRows(
  db: IndexSql,
  view: string,
  f: Filter,
): Promise<{ columns: readonly Column<never>[]; rows: unknown[] }> {
  switch (view) {
    case "declarations": {
      const page = await customsDeclarations(
        db,
        { ...(f.mode ? { mode: f.mode } : {}), ...(f.status ? { status: f.status } : {}) },
        { limit: ROWS },
      );
      return { columns: DECLARATION_COLUMNS as readonly Column<never>[], rows: page.items };
    }
    case "problems":
      return { columns: PROBLEM_COLUMNS as readonly Column<never>[], rows: await customsProblems(db) };
    case "stock":
      return { columns: STOCK_COLUMNS as readonly Column<never>[], rows: await customs9810Stock(db) };
    case "search":
      return {
        columns: DOCUMENT_COLUMNS as readonly Column<never>[],
        rows: f.number ? await customsDocumentsByNumber(db, f.number, f.kind ? { kind: f.kind } : {}) : [],
      };
    default:
      throw new ExplorerNotFoundError(`The explorer has no customs view "${view}".`);
  }
}

/** A table of `columns`; a `unit` column links to the unit's customs page. */
function table<T>(columns: readonly Column<T>[], rows: readonly T[], empty: string): SafeHtml {
  if (rows.length === 0) return html`<p class="sub">${empty}</p>`;
  return html`<div class="table-wrap">
    <table class="customs">
      <thead>
        <tr>
          ${columns.map((c) => html`<th>${c.header}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              ${columns.map((c) => {
                const v = c.value(r);
                const text = v === undefined ? "" : String(v);
                return html`<td>
                  ${c.header === "unit" && /^0x[0-9a-f]{64}$/.test(text) ? link(`${CUSTOMS}/${text}`, text) : text}
                </td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

const csvLink = (view: string, q: URLSearchParams) => {
  const query = q.toString();
  return html`<a class="csv" href="${`${CUSTOMS}/${view}.csv${query ? `?${query}` : ""}`}" download>CSV</a>`;
};

const select = (name: string, options: readonly (string | number)[], value: unknown) =>
  html`<select name="${name}">
    <option value="">any</option>
    ${options.map((o) => html`<option value="${String(o)}" ${String(o) === String(value ?? "") ? "selected" : ""}>${String(o)}</option>`)}
  </select>`;

const queryOf = (values: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(values).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));

/** `/customs`: the regulator's four views. */
async function customsPage(ctx: ExplorerContext, q: URLSearchParams): Promise<PageResult> {
  const f = filterOf(q);
  const [decl, problems, stock, found] = await Promise.all(
    ["declarations", "problems", "stock", "search"].map((v) => viewRows(ctx.db, v, f)),
  );
  const declQuery = queryOf({ mode: f.mode, status: f.status });
  const searchQuery = queryOf({ number: f.number, kind: f.kind?.toLowerCase() });
  const body = html`<h1>Customs 海关监管视图<small>declarations, problems, 9810 stock, document search</small></h1>
    ${NOTICE}
    <section class="card">
      <h2>Declarations 申报 · ${decl.rows.length} ${csvLink("declarations", declQuery)}</h2>
      <form method="get" action="${CUSTOMS}">
        <label>Mode ${select("mode", Object.values(CUSTOMS_MODES), f.mode)}</label>
        <label>Status ${select("status", DECLARATION_STATUSES, f.status)}</label>
        <button type="submit">Filter</button>
      </form>
      ${table(decl.columns, decl.rows as never[], "No declaration matches.")}
    </section>
    <section class="card">
      <h2>Problems 问题单证 · ${problems.rows.length} ${csvLink("problems", new URLSearchParams())}</h2>
      <p class="sub">Which field disagrees needs the records: a holder runs <code>${CHECK_HINT}</code>.</p>
      ${table(problems.columns, problems.rows as never[], "No problem found.")}
    </section>
    <section class="card">
      <h2>9810 stock 海外仓库存 · ${stock.rows.length} ${csvLink("stock", new URLSearchParams())}</h2>
      ${table(stock.columns, stock.rows as never[], "No unsold 9810 export.")}
    </section>
    <section class="card">
      <h2>Search by document number 单证号查询 ${f.number ? csvLink("search", searchQuery) : null}</h2>
      <form method="get" action="${CUSTOMS}">
        <input name="number" value="${f.number ?? ""}" placeholder="document number (waybill: logisticsNo@YYYYMMDD)" />
        <label
          >Kind
          ${select(
            "kind",
            DOCUMENT_KIND_NAMES.map((k) => k.toLowerCase()),
            f.kind?.toLowerCase(),
          )}</label
        >
        <button type="submit">Search</button>
      </form>
      ${f.number ? table(found.columns, found.rows as never[], `No document numbered ${f.number} is on chain.`) : null}
    </section>`;
  return { status: 200, title: "Customs", body };
}

/** `/customs/<unit key>`: a unit's customs documents and declarations. */
async function unitCustomsPage(ctx: ExplorerContext, unit: Hex): Promise<PageResult> {
  const [docs, decl] = await Promise.all([
    customsDocumentsOfUnit(ctx.db, unit),
    customsDeclarations(ctx.db, { unit }, { limit: ROWS }),
  ]);
  if (docs.length === 0) throw new ExplorerNotFoundError(`The index holds no customs document on unit ${unit}.`);
  const body = html`<h1>Customs of a unit 单元海关记录<small>${docs[0].path ?? unit}</small></h1>
    ${NOTICE}
    <p>${link(`${BASE}/unit/${unit}`, "The unit's page")} · ${link(CUSTOMS, "All customs")}</p>
    <section class="card">
      <h2>Declarations 申报 · ${decl.items.length}</h2>
      ${table(DECLARATION_COLUMNS, decl.items, "Not declared.")}
    </section>
    <section class="card">
      <h2>Documents 单证 · ${docs.length}</h2>
      ${table(DOCUMENT_COLUMNS, docs, "No document.")}
    </section>`;
  return { status: 200, title: "Customs of a unit", body };
}

/**
 * Answers a path under `/customs` (`rest` is the path after the explorer's base).
 * @returns A page, or a CSV download.
 */
export async function customsRoute(
  ctx: ExplorerContext,
  rest: string,
  q: URLSearchParams,
): Promise<PageResult | CsvResult> {
  if (rest === "/customs") return customsPage(ctx, q);
  const seg = rest.slice("/customs/".length);
  const csv = /^([a-z]+)\.csv$/.exec(seg);
  if (csv) {
    const { columns, rows } = await viewRows(ctx.db, csv[1], filterOf(q));
    return { csv: toCsv(columns, rows as never[]) };
  }
  return unitCustomsPage(ctx, parseHash32(seg, "unit key") as Hex);
}
