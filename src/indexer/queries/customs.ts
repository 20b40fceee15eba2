/**
 * The regulator's queries (issue 14) over the customs rows of the index: declarations by mode and status,
 * shipments whose documents disagree or are incomplete, refunds the rules should have refused and refunds
 * to repay, 9810 stock aging in overseas warehouses, and search by document number. From on-chain data
 * alone — hashes, kinds, issuers, steps — so they say WHICH document disagrees, never which field: that
 * needs the private records and is `trace customs check`'s job. Like every index query, the answer is the
 * index's reading of the chain (the platform's say-so), not a verdict.
 */
import type { Hex } from "viem";
import {
  CUSTOMS_DOCUMENT_KINDS as K,
  STEPS,
  documentKindName,
  type CustomsMode,
  type DocumentKindName,
} from "../../codes";
import { documentNumberHash } from "../../customs/identifiers";
import { MODE_CITES } from "../../customs/kinds";
import {
  DECLARATION_STATUSES,
  RECEIPT_STEPS,
  STATUS_RECEIPTS,
  type DeclarationStatus,
} from "../../customs/regulator/status";
import type { IndexSql, Row } from "../db";
import { IndexQueryError } from "../errors";
import { big, int, opt } from "../rows";
import { keyOf, limitOf, pageOf, type Page, type PageOptions } from "./page";

export { DECLARATION_STATUSES, type DeclarationStatus };

/** A filed customs document as the index holds it. */
export interface IndexedCustomsDocument {
  docId: Hex;
  kind: DocumentKindName;
  unit: Hex;
  /** The unit's Digital Link path, when the index knows it. */
  path?: string;
  /** The issuing organization. */
  org: number;
  numberHash: Hex;
  orderRef: Hex;
  /** undefined when the filing's call data could not be decoded (sent through another contract). */
  terms?: readonly [Hex, Hex];
  mode: number;
  recordHash: Hex;
  /** The newest declaration (or summary) citing it. */
  citedBy?: Hex;
  block: bigint;
  logIndex: number;
  txHash: Hex;
  /** Block time, Unix seconds. */
  time: number;
}

/** One declaration with what followed it. */
export interface CustomsDeclarationRow {
  unit: Hex;
  path?: string;
  declaration: Hex;
  mode: number;
  status: DeclarationStatus;
  /** The declaring organization (broker or exporter). */
  org: number;
  orderRef: Hex;
  /** Block time of the declaration. */
  declaredAt: number;
  /** Event time of the exit receipt (899), when exited. */
  exitedAt?: number;
  fxSettled: boolean;
  refunded: boolean;
  refundToRepay: boolean;
  block: bigint;
  logIndex: number;
  txHash: Hex;
}

/** What the regulator's problem list names. */
export type CustomsProblemKind =
  | "payment-disagrees"
  | "waybill-disagrees"
  | "incomplete"
  | "refund-without-exit"
  | "refund-without-fx"
  | "refund-to-repay";

/** A shipment the regulator should look at. */
export interface CustomsProblemRow {
  unit: Hex;
  path?: string;
  problem: CustomsProblemKind;
  /** In words: "payment disagrees with order", "incomplete: waybill missing", … */
  detail: string;
  /** The mode the documents are for (declared, or assumed from the kinds filed). */
  mode?: number;
  /** The documents concerned. */
  documents: Hex[];
  /** When the problem arose (block time of its newest document or log). */
  since: number;
}

/** A 9810 unit exported to an overseas warehouse and not sold yet. */
export interface CustomsStockRow {
  unit: Hex;
  path?: string;
  declaration: Hex;
  exitedAt: number;
  daysSinceExit: number;
}

const lower = (h: string) => h.toLowerCase() as Hex;

/** Collects positional parameters while a statement is written. */
function params() {
  const list: unknown[] = [];
  const p = (v: unknown) => {
    list.push(typeof v === "bigint" ? v.toString() : v);
    return `$${list.length}`;
  };
  return { list, p };
}

/**
 * `dstat`: every declaration with its status and flags, the entries between it and the unit's next
 * declaration deciding the status (a unit is declared again only after a rejection).
 */
function declarationsCte(p: (v: unknown) => string): string {
  return `decl AS (
    SELECT d.*, LEAD(d.block) OVER w AS next_block, LEAD(d.log_index) OVER w AS next_log_index
    FROM customs_documents d WHERE d.kind = ${p(K.DECLARATION)}
    WINDOW w AS (PARTITION BY d.unit ORDER BY d.block, d.log_index)
  ),
  steps AS (
    SELECT decl.doc_id,
      ${STATUS_RECEIPTS.map(([status, steps]) => `bool_or(e.step = ANY(${p(steps)}::smallint[])) AS ${status}`).join(",\n      ")},
      min(e.event_time) FILTER (WHERE e.step = ${p(STEPS.CUSTOMS_EXITED)}) AS exit_time
    FROM decl LEFT JOIN entries e ON e.unit = decl.unit AND e.step = ANY(${p(RECEIPT_STEPS)}::smallint[])
      AND (e.block, e.log_index) > (decl.block, decl.log_index)
      AND (decl.next_block IS NULL OR (e.block, e.log_index) < (decl.next_block, decl.next_log_index))
    GROUP BY decl.doc_id
  ),
  dstat AS (
    SELECT decl.*, s.exit_time, b.timestamp AS declared_at,
      CASE ${STATUS_RECEIPTS.map(([status]) => `WHEN s.${status} THEN '${status}'`).join(" ")} ELSE 'declared' END AS status,
      EXISTS (SELECT 1 FROM customs_documents f WHERE f.unit = decl.unit AND f.kind = ${p(K.FX_SETTLEMENT)}
        AND (f.block, f.log_index) > (decl.block, decl.log_index)) AS fx,
      EXISTS (SELECT 1 FROM customs_documents f WHERE f.unit = decl.unit AND f.kind = ${p(K.TAX_REFUND)}
        AND (f.block, f.log_index) > (decl.block, decl.log_index)) AS refunded,
      EXISTS (SELECT 1 FROM customs_refunds_to_repay r WHERE r.unit = decl.unit) AS to_repay
    FROM decl JOIN steps s ON s.doc_id = decl.doc_id JOIN blocks b ON b.number = decl.block
  )`;
}

function toDeclaration(r: Row): CustomsDeclarationRow {
  return {
    unit: r.unit as Hex,
    ...(r.path ? { path: r.path as string } : {}),
    declaration: r.doc_id as Hex,
    mode: int(r.mode),
    status: r.status as DeclarationStatus,
    org: int(r.org),
    orderRef: r.order_ref as Hex,
    declaredAt: int(r.declared_at),
    ...(opt(r.exit_time, int) !== undefined ? { exitedAt: int(r.exit_time) } : {}),
    fxSettled: Boolean(r.fx),
    refunded: Boolean(r.refunded),
    refundToRepay: Boolean(r.to_repay),
    block: big(r.block),
    logIndex: int(r.log_index),
    txHash: r.tx_hash as Hex,
  };
}

function checkMode(mode: number | undefined): void {
  if (mode !== undefined && !(mode in MODE_CITES)) {
    throw new IndexQueryError(`Mode ${mode} is not a customs mode: use 9610, 9710, 9810 or 1210.`);
  }
}

function checkStatus(status: string | undefined): void {
  if (status !== undefined && !DECLARATION_STATUSES.includes(status as DeclarationStatus)) {
    throw new IndexQueryError(`Status "${status}" is not one of ${DECLARATION_STATUSES.join(", ")}.`);
  }
}

/**
 * Declarations, oldest first (keyset: chain position), optionally of one mode and one status.
 * @throws IndexQueryError for an unknown mode or status.
 */
export async function customsDeclarations(
  db: IndexSql,
  filter: { mode?: number; status?: DeclarationStatus; unit?: Hex } = {},
  page: PageOptions = {},
): Promise<Page<CustomsDeclarationRow>> {
  checkMode(filter.mode);
  checkStatus(filter.status);
  const limit = limitOf(page);
  const [block, logIndex] = keyOf(page.after, 2) ?? ["-1", "0"];
  const { list, p } = params();
  const where = [`(dstat.block, dstat.log_index) > (${p(block)}::bigint, ${p(logIndex)}::int)`];
  const cte = declarationsCte(p);
  if (filter.mode !== undefined) where.push(`dstat.mode = ${p(filter.mode)}`);
  if (filter.status !== undefined) where.push(`dstat.status = ${p(filter.status)}`);
  if (filter.unit !== undefined) where.push(`dstat.unit = ${p(lower(filter.unit))}`);
  const rows = await db.query(
    `WITH ${cte} SELECT dstat.*, u.path FROM dstat LEFT JOIN units u ON u.key = dstat.unit
     WHERE ${where.join(" AND ")} ORDER BY dstat.block, dstat.log_index LIMIT ${p(limit + 1)}`,
    list,
  );
  return pageOf(rows, limit, toDeclaration, (r) => [String(r.block), String(r.log_index)]);
}

const DOCUMENT_SELECT = `SELECT d.*, u.path, b.timestamp AS time,
  (SELECT c.doc_id FROM customs_cites c WHERE c.cited = d.doc_id ORDER BY c.block DESC LIMIT 1) AS cited_by
  FROM customs_documents d JOIN blocks b ON b.number = d.block LEFT JOIN units u ON u.key = d.unit`;

function toDocument(r: Row): IndexedCustomsDocument {
  return {
    docId: r.doc_id as Hex,
    kind: documentKindName(int(r.kind)) ?? (`KIND_${int(r.kind)}` as DocumentKindName),
    unit: r.unit as Hex,
    ...(r.path ? { path: r.path as string } : {}),
    org: int(r.org),
    numberHash: r.number_hash as Hex,
    orderRef: r.order_ref as Hex,
    ...(r.terms0 ? { terms: [r.terms0 as Hex, r.terms1 as Hex] as const } : {}),
    mode: int(r.mode),
    recordHash: r.record_hash as Hex,
    ...(r.cited_by ? { citedBy: r.cited_by as Hex } : {}),
    block: big(r.block),
    logIndex: int(r.log_index),
    txHash: r.tx_hash as Hex,
    time: int(r.time),
  };
}

/**
 * The documents filed under a document number (any issuer, any kind unless `kind` is given), oldest first.
 * The number is canonicalized and hashed by `documentNumberHash`, as the ledger stores it: a waybill is
 * numbered `<logisticsNo>@<YYYYMMDD>`.
 */
export async function customsDocumentsByNumber(
  db: IndexSql,
  number: string,
  options: { kind?: DocumentKindName } = {},
): Promise<IndexedCustomsDocument[]> {
  const { list, p } = params();
  const where = [`d.number_hash = ${p(documentNumberHash(number))}`];
  if (options.kind !== undefined) {
    if (!(options.kind in K) || options.kind === ("MAX" as string)) {
      throw new IndexQueryError(`"${options.kind}" is not a customs document kind.`);
    }
    where.push(`d.kind = ${p(K[options.kind])}`);
  }
  const rows = await db.query(`${DOCUMENT_SELECT} WHERE ${where.join(" AND ")} ORDER BY d.block, d.log_index`, list);
  return rows.map(toDocument);
}

/** A unit's customs documents, oldest first. */
export async function customsDocumentsOfUnit(db: IndexSql, unit: Hex): Promise<IndexedCustomsDocument[]> {
  const rows = await db.query(`${DOCUMENT_SELECT} WHERE d.unit = $1 ORDER BY d.block, d.log_index`, [lower(unit)]);
  return rows.map(toDocument);
}

/** Options of the time-dependent queries. */
export interface CustomsAgeOptions {
  /** "Now", Unix seconds (default: the clock). */
  now?: number;
}

const DAY = 86_400;
const nowOf = (o: CustomsAgeOptions) => o.now ?? Math.floor(Date.now() / 1000);
const words = (k: DocumentKindName) => k.toLowerCase().replace("_", " ");

/**
 * Shipments to look at: a payment (or waybill) whose terms differ from its order's; documents filed and
 * one the mode needs missing, or no live declaration, for `incompleteAfterDays` days (default 0); a refund
 * without exit or FX settlement (the ledger refuses these, so an honest chain shows none); units whose
 * refund is to be repaid after a return. Sorted by unit, then problem.
 */
export async function customsProblems(
  db: IndexSql,
  options: CustomsAgeOptions & { incompleteAfterDays?: number } = {},
): Promise<CustomsProblemRow[]> {
  const days = options.incompleteAfterDays ?? 0;
  if (!Number.isFinite(days) || days < 0) throw new IndexQueryError(`Days must be 0 or more, not ${days}.`);
  const cutoff = nowOf(options) - days * DAY;
  const out: CustomsProblemRow[] = [];

  const disagreeing = await db.query(
    `SELECT o.unit, u.path, o.doc_id AS order_doc, x.doc_id AS other_doc, x.kind AS other_kind,
       greatest(bo.timestamp, bx.timestamp) AS since
     FROM customs_documents o
     JOIN customs_documents x ON x.unit = o.unit AND x.order_ref = o.order_ref
     JOIN blocks bo ON bo.number = o.block JOIN blocks bx ON bx.number = x.block
     LEFT JOIN units u ON u.key = o.unit
     WHERE o.kind = $1 AND ((x.kind = $2 AND x.terms0 <> o.terms0) OR (x.kind = $3 AND x.terms1 <> o.terms1))`,
    [K.ORDER, K.PAYMENT, K.WAYBILL],
  );
  const disagreeingUnits = new Set<string>();
  for (const r of disagreeing) {
    const kind = int(r.other_kind) === K.PAYMENT ? "payment" : "waybill";
    disagreeingUnits.add(r.unit as string);
    out.push({
      unit: r.unit as Hex,
      ...(r.path ? { path: r.path as string } : {}),
      problem: `${kind}-disagrees`,
      detail: `${kind} disagrees with order (${kind === "payment" ? "payment" : "shipment"} terms differ)`,
      documents: [r.order_doc as Hex, r.other_doc as Hex],
      since: int(r.since),
    });
  }

  // Units with documents before a declaration and no live one (none, or the newest was rejected).
  const { list, p } = params();
  const pending = await db.query(
    `WITH ${declarationsCte(p)},
     live AS (SELECT DISTINCT ON (unit) unit, status, mode FROM dstat ORDER BY unit, block DESC, log_index DESC)
     SELECT d.unit, u.path, array_agg(DISTINCT d.kind) AS kinds, array_agg(d.doc_id) AS docs,
       max(b.timestamp) AS newest, max(l.status) AS status, max(l.mode) AS declared_mode
     FROM customs_documents d JOIN blocks b ON b.number = d.block
     LEFT JOIN live l ON l.unit = d.unit LEFT JOIN units u ON u.key = d.unit
     WHERE d.kind = ANY(${p([K.ORDER, K.PAYMENT, K.WAYBILL, K.BOOKING, K.ZONE_ENTRY])}::smallint[])
       AND (l.status IS NULL OR l.status = 'rejected')
     GROUP BY d.unit, u.path HAVING min(b.timestamp) <= ${p(cutoff)}`,
    list,
  );
  for (const r of pending) {
    const kinds = (r.kinds as unknown[]).map((k) => documentKindName(int(k))!);
    // The mode of the rejected declaration, else the one the kinds filed point to (9610 for an order's three).
    const mode: CustomsMode =
      opt(r.declared_mode, int) !== undefined
        ? (int(r.declared_mode) as CustomsMode)
        : kinds.includes("BOOKING")
          ? 9810
          : kinds.includes("ZONE_ENTRY")
            ? 1210
            : 9610;
    const missing = MODE_CITES[mode].filter((k) => !kinds.includes(k));
    if (missing.length === 0 && disagreeingUnits.has(r.unit as string)) continue;
    const rejected = r.status === "rejected";
    out.push({
      unit: r.unit as Hex,
      ...(r.path ? { path: r.path as string } : {}),
      problem: "incomplete",
      detail:
        missing.length > 0
          ? `incomplete: ${missing.map(words).join(", ")} missing`
          : rejected
            ? "incomplete: declaration rejected, not declared again"
            : "incomplete: no declaration",
      mode,
      documents: r.docs as Hex[],
      since: int(r.newest),
    });
  }

  // Refunds the rules should have refused: without an exit (or 1210 zone-entry declaration) or an FX
  // settlement of the unit or a parent it was packed in, before the refund.
  const refunds = await db.query(
    `WITH RECURSIVE around(refund, up) AS (
       SELECT doc_id, unit FROM customs_documents WHERE kind = $1
       UNION SELECT a.refund, s.parent FROM around a JOIN stays s ON s.child = a.up
     )
     SELECT r.unit, r.doc_id, u.path, b.timestamp AS since,
       EXISTS (SELECT 1 FROM around a JOIN entries e ON e.unit = a.up WHERE a.refund = r.doc_id AND e.step = $2
         AND (e.block, e.log_index) < (r.block, r.log_index))
       OR EXISTS (SELECT 1 FROM around a JOIN customs_documents z ON z.unit = a.up WHERE a.refund = r.doc_id
         AND z.kind = $3 AND z.mode = 1210 AND (z.block, z.log_index) < (r.block, r.log_index)) AS exported,
       EXISTS (SELECT 1 FROM around a JOIN customs_documents f ON f.unit = a.up WHERE a.refund = r.doc_id
         AND f.kind = $4 AND (f.block, f.log_index) < (r.block, r.log_index)) AS settled
     FROM customs_documents r JOIN blocks b ON b.number = r.block LEFT JOIN units u ON u.key = r.unit
     WHERE r.kind = $1`,
    [K.TAX_REFUND, STEPS.CUSTOMS_EXITED, K.DECLARATION, K.FX_SETTLEMENT],
  );
  for (const r of refunds) {
    const base = {
      unit: r.unit as Hex,
      ...(r.path ? { path: r.path as string } : {}),
      documents: [r.doc_id as Hex],
      since: int(r.since),
    };
    if (!r.exported) out.push({ ...base, problem: "refund-without-exit", detail: "tax refunded without customs exit" });
    if (!r.settled) out.push({ ...base, problem: "refund-without-fx", detail: "tax refunded without FX settlement" });
  }

  const repay = await db.query(
    `SELECT r.unit, u.path, b.timestamp AS since, r.tx_hash FROM customs_refunds_to_repay r
     JOIN blocks b ON b.number = r.block LEFT JOIN units u ON u.key = r.unit ORDER BY r.block, r.log_index`,
  );
  for (const r of repay) {
    out.push({
      unit: r.unit as Hex,
      ...(r.path ? { path: r.path as string } : {}),
      problem: "refund-to-repay",
      detail: "returned after the tax refund: the refund is to be repaid",
      documents: [],
      since: int(r.since),
    });
  }
  return out.sort((a, b) => (a.unit === b.unit ? a.problem.localeCompare(b.problem) : a.unit < b.unit ? -1 : 1));
}

/**
 * 9810 stock in overseas warehouses: units declared 9810 and exited, with no ORDER filed after the
 * declaration (the sale to the final buyer), oldest exit first, exited at least `minDays` days ago.
 */
export async function customs9810Stock(
  db: IndexSql,
  options: CustomsAgeOptions & { minDays?: number } = {},
): Promise<CustomsStockRow[]> {
  const minDays = options.minDays ?? 0;
  if (!Number.isFinite(minDays) || minDays < 0) throw new IndexQueryError(`Days must be 0 or more, not ${minDays}.`);
  const now = nowOf(options);
  const { list, p } = params();
  const rows = await db.query(
    `WITH ${declarationsCte(p)}
     SELECT dstat.unit, dstat.doc_id, dstat.exit_time, u.path FROM dstat LEFT JOIN units u ON u.key = dstat.unit
     WHERE dstat.mode = 9810 AND dstat.status = 'exited' AND dstat.exit_time <= ${p(now - minDays * DAY)}
       AND NOT EXISTS (SELECT 1 FROM customs_documents o WHERE o.unit = dstat.unit AND o.kind = ${p(K.ORDER)}
         AND (o.block, o.log_index) > (dstat.block, dstat.log_index))
     ORDER BY dstat.exit_time, dstat.unit`,
    list,
  );
  return rows.map((r) => ({
    unit: r.unit as Hex,
    ...(r.path ? { path: r.path as string } : {}),
    declaration: r.doc_id as Hex,
    exitedAt: int(r.exit_time),
    daysSinceExit: Math.floor((now - int(r.exit_time)) / DAY),
  }));
}
