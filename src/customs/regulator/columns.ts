/**
 * The columns of the regulator's view, one list per kind of row: the CLI's tables and `--csv`, the explorer's
 * tables and its CSV downloads all show these, in this order (a script reading the CSV may rely on it).
 */
import type {
  CustomsDeclarationRow,
  CustomsProblemRow,
  CustomsStockRow,
  IndexedCustomsDocument,
} from "../../indexer/queries/customs";
import type { Column } from "./csv";

/** Unix seconds as ISO 8601 UTC, empty for none. */
export const isoTime = (seconds: number | undefined): string =>
  seconds === undefined ? "" : new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

const yes = (b: boolean) => (b ? "yes" : "no");

/** What a holder of the records runs to learn which field disagrees (the chain knows only which document). */
export const CHECK_HINT = "trace customs check <order.json> <payment.json> <waybill.json>";

export const DECLARATION_COLUMNS: readonly Column<CustomsDeclarationRow>[] = [
  { header: "unit", value: (r) => r.unit },
  { header: "path", value: (r) => r.path },
  { header: "mode", value: (r) => r.mode },
  { header: "status", value: (r) => r.status },
  { header: "declaration", value: (r) => r.declaration },
  { header: "declarant_org", value: (r) => r.org },
  { header: "declared_at", value: (r) => isoTime(r.declaredAt) },
  { header: "exited_at", value: (r) => isoTime(r.exitedAt) },
  { header: "fx_settled", value: (r) => yes(r.fxSettled) },
  { header: "refunded", value: (r) => yes(r.refunded) },
  { header: "refund_to_repay", value: (r) => yes(r.refundToRepay) },
  { header: "block", value: (r) => r.block },
  { header: "tx", value: (r) => r.txHash },
];

export const PROBLEM_COLUMNS: readonly Column<CustomsProblemRow>[] = [
  { header: "unit", value: (r) => r.unit },
  { header: "path", value: (r) => r.path },
  { header: "problem", value: (r) => r.problem },
  { header: "detail", value: (r) => r.detail },
  { header: "mode", value: (r) => r.mode },
  { header: "documents", value: (r) => r.documents.join(" ") },
  { header: "since", value: (r) => isoTime(r.since) },
  { header: "field_check", value: (r) => (r.problem.endsWith("-disagrees") ? CHECK_HINT : "") },
];

export const STOCK_COLUMNS: readonly Column<CustomsStockRow>[] = [
  { header: "unit", value: (r) => r.unit },
  { header: "path", value: (r) => r.path },
  { header: "declaration", value: (r) => r.declaration },
  { header: "exited_at", value: (r) => isoTime(r.exitedAt) },
  { header: "days_since_exit", value: (r) => r.daysSinceExit },
];

export const DOCUMENT_COLUMNS: readonly Column<IndexedCustomsDocument>[] = [
  { header: "kind", value: (r) => r.kind },
  { header: "doc_id", value: (r) => r.docId },
  { header: "unit", value: (r) => r.unit },
  { header: "path", value: (r) => r.path },
  { header: "issuer_org", value: (r) => r.org },
  { header: "number_hash", value: (r) => r.numberHash },
  { header: "order_ref", value: (r) => r.orderRef },
  { header: "terms0", value: (r) => r.terms?.[0] },
  { header: "terms1", value: (r) => r.terms?.[1] },
  { header: "mode", value: (r) => r.mode || undefined },
  { header: "record_hash", value: (r) => r.recordHash },
  { header: "cited_by", value: (r) => r.citedBy },
  { header: "filed_at", value: (r) => isoTime(r.time) },
  { header: "block", value: (r) => r.block },
  { header: "tx", value: (r) => r.txHash },
];
