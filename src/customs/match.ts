/**
 * The three-document match (三单对碰) off chain, field by field: the order (CEB303), the payment (CEB403),
 * the waybill (CEB505) and, when given, the declaration list (CEB603) citing them. The ledger compares only
 * the terms hashes (`payment.terms[0] == order.terms[0]`, `waybill.terms[1] == order.terms[1]`) and so can say
 * which document disagrees; this says which field, from the records, and works on either form (people are
 * compared by `buyerRef`, so a regulator or platform can match public forms without personal data).
 *
 * The amount rule: the payment's amount must equal the order's `goodsValue + freight` in the same currency
 * (CEB303 has no discount or tax for exports), the order's `goodsValue` the sum of its line totals, and each
 * line total its quantity × unit price.
 */
import type { Hex } from "viem";
import { formatAmount } from "./amounts";
import { explainDisagreement, explainMissing, type Explanation, type MatchDocument, type MatchSource } from "./explain";
import { canonicalDocumentNumber, canonicalGoodsLines } from "./identifiers";
import { parseCustomsRecord } from "./records/parse";
import type {
  CustomsRecord,
  DeclarationRecord,
  GoodsLine,
  OrderRecord,
  PaymentRecord,
  WaybillRecord,
} from "./records/types";
import { minor, orderAmountMinor, personRefOf, termsOf, totalQuantity } from "./terms";

/** One field on which a document disagrees with another (or with itself). */
export interface Disagreement {
  document: MatchDocument;
  /** The field: `orderNo`, `amount`, `buyer`, … or, with `line`, a goods line's `item`, `hsCode`, `quantity`, `unit`, `total`, `line`. */
  field: string;
  /** The goods line number, for goods fields. */
  line?: number;
  /** The value the other document (`against`) has. */
  expected: string;
  /** The value this document has. */
  actual: string;
  against: MatchSource;
  explain: Explanation;
}

/** A document the match needs and was not given, or a field the match needs that a document lacks. */
export interface Missing {
  document: MatchDocument;
  field?: string;
  explain: Explanation;
}

/** The verdict: `ok` when every document is there and every field agrees. */
export interface MatchVerdict {
  ok: boolean;
  disagreements: Disagreement[];
  missing: Missing[];
  /**
   * The terms each document commits to on chain, and whether the ledger's own comparison would pass
   * (`payment`: payment.terms[0] == order.terms[0]; `waybill`: waybill.terms[1] == order.terms[1]).
   */
  terms: {
    order?: [Hex, Hex];
    payment?: Hex;
    waybill?: Hex;
    paymentMatchesOnChain?: boolean;
    waybillMatchesOnChain?: boolean;
  };
}

/** The documents to match: records (either form) or their parsed JSON. The order is required for any comparison. */
export interface MatchInput {
  order?: CustomsRecord | unknown;
  payment?: CustomsRecord | unknown;
  waybill?: CustomsRecord | unknown;
  declaration?: CustomsRecord | unknown;
}

const shortRef = (h: Hex) => `${h.slice(0, 10)}…${h.slice(-4)}`;
const money = (minorUnits: bigint, currency: string) => `${formatAmount(minorUnits, currency)} ${currency}`;

class Collector {
  readonly disagreements: Disagreement[] = [];
  readonly missing: Missing[] = [];

  differ(
    document: MatchDocument,
    field: string,
    expected: string,
    actual: string,
    against: MatchSource,
    line?: number,
  ) {
    const d = { document, field, ...(line !== undefined ? { line } : {}), expected, actual, against };
    this.disagreements.push({ ...d, explain: explainDisagreement(d) });
  }

  lack(document: MatchDocument, field?: string) {
    const m = { document, ...(field !== undefined ? { field } : {}) };
    this.missing.push({ ...m, explain: explainMissing(m) });
  }

  /** Compares a document number after canonicalization (trimmed, upper case); absent → missing. */
  number(document: MatchDocument, field: string, expected: string, actual: string | undefined, against: MatchSource) {
    if (actual === undefined) this.lack(document, field);
    else if (canonicalDocumentNumber(expected) !== canonicalDocumentNumber(actual)) {
      this.differ(document, field, expected, actual, against);
    }
  }
}

/** The order's own arithmetic: line totals and goods value. */
function checkOrder(c: Collector, order: OrderRecord) {
  let sum = 0n;
  for (const l of order.goods) {
    const total = minor(l.total!, order.currency);
    const priced = minor(l.unitPrice!, order.currency) * BigInt(l.quantity);
    if (total !== priced)
      c.differ("order", "total", money(priced, order.currency), money(total, order.currency), "price", l.lineNo);
    sum += total;
  }
  const value = minor(order.goodsValue, order.currency);
  if (value !== sum) c.differ("order", "goodsValue", money(sum, order.currency), money(value, order.currency), "lines");
}

/** Goods line by line number: presence, goods identity, HS code, quantity, unit. */
function checkGoods(
  c: Collector,
  document: MatchDocument,
  expected: readonly GoodsLine[],
  actual: readonly GoodsLine[],
) {
  const mine = new Map(canonicalGoodsLines(actual).map((l) => [l.lineNo, l]));
  const theirs = canonicalGoodsLines(expected);
  for (const e of theirs) {
    const a = mine.get(e.lineNo);
    if (a === undefined) {
      c.differ(document, "line", e.item, "absent", "order", e.lineNo);
      continue;
    }
    mine.delete(e.lineNo);
    for (const field of ["item", "hsCode", "quantity", "unit"] as const) {
      if (a[field] !== e[field]) c.differ(document, field, String(e[field]), String(a[field]), "order", e.lineNo);
    }
  }
  for (const a of mine.values()) c.differ(document, "line", "absent", a.item, "order", a.lineNo);
}

function checkPayment(c: Collector, order: OrderRecord, payment: PaymentRecord) {
  c.number("payment", "orderNo", order.orderNo, payment.orderNo, "order");
  c.number("payment", "ebpCode", order.ebpCode, payment.ebpCode, "order");
  if (payment.currency !== order.currency) c.differ("payment", "currency", order.currency, payment.currency, "order");
  else {
    const due = orderAmountMinor(order);
    const paid = minor(payment.amount, payment.currency);
    if (due !== paid) c.differ("payment", "amount", money(due, order.currency), money(paid, payment.currency), "order");
  }
  const buyer = personRefOf(order);
  const payer = personRefOf(payment);
  if (buyer !== payer) c.differ("payment", "buyer", shortRef(buyer), shortRef(payer), "order");
}

function checkWaybill(c: Collector, order: OrderRecord, waybill: WaybillRecord) {
  c.number("waybill", "orderNo", order.orderNo, waybill.orderNo, "order");
  c.number("waybill", "ebpCode", order.ebpCode, waybill.ebpCode, "order");
  const qty = totalQuantity(order.goods);
  if (BigInt(waybill.quantity) !== qty) c.differ("waybill", "quantity", String(qty), String(waybill.quantity), "order");
  checkGoods(c, "waybill", order.goods, waybill.goods);
  const buyer = personRefOf(order);
  const consignee = personRefOf(waybill);
  if (buyer !== consignee) c.differ("waybill", "buyer", shortRef(buyer), shortRef(consignee), "order");
}

function checkDeclaration(
  c: Collector,
  order: OrderRecord,
  waybill: WaybillRecord | undefined,
  decl: DeclarationRecord,
) {
  if (decl.mode !== 9610) c.differ("declaration", "mode", "9610", String(decl.mode), "order");
  c.number("declaration", "orderNo", order.orderNo, decl.orderNo, "order");
  c.number("declaration", "ebpCode", order.ebpCode, decl.ebpCode, "order");
  if (waybill !== undefined) {
    c.number("declaration", "logisticsNo", waybill.logisticsNo, decl.logisticsNo, "waybill");
    c.number("declaration", "logisticsCode", waybill.logisticsCode, decl.logisticsCode, "waybill");
  }
  if (decl.currency !== order.currency) c.differ("declaration", "currency", order.currency, decl.currency, "order");
  else {
    const declared = decl.goods.reduce((s, l) => s + minor(l.total!, decl.currency), 0n);
    const value = minor(order.goodsValue, order.currency);
    if (declared !== value)
      c.differ("declaration", "goodsValue", money(value, order.currency), money(declared, decl.currency), "order");
  }
  checkGoods(c, "declaration", order.goods, decl.goods);
}

/**
 * Matches the order, payment, waybill and (optionally) the declaration list field by field.
 * @param input The records; a missing payment or waybill is reported in `missing`, an absent declaration is not.
 * @returns The verdict, each disagreement with its English and Chinese sentence. Throws `CustomsRecordError`
 * when a record is malformed or of the wrong kind.
 */
export function matchDocuments(input: MatchInput): MatchVerdict {
  const c = new Collector();
  const read = <K extends "ORDER" | "PAYMENT" | "WAYBILL" | "DECLARATION">(v: unknown, kind: K) =>
    v === undefined ? undefined : (parseCustomsRecord(v, kind) as Extract<CustomsRecord, { kind: K }>);
  const order = read(input.order, "ORDER");
  const payment = read(input.payment, "PAYMENT");
  const waybill = read(input.waybill, "WAYBILL");
  const declaration = read(input.declaration, "DECLARATION");
  if (order === undefined) c.lack("order");
  if (payment === undefined) c.lack("payment");
  if (waybill === undefined) c.lack("waybill");
  const terms: MatchVerdict["terms"] = {};
  if (order !== undefined) {
    checkOrder(c, order);
    terms.order = termsOf(order);
    if (payment !== undefined) {
      checkPayment(c, order, payment);
      terms.payment = termsOf(payment)[0];
      terms.paymentMatchesOnChain = terms.payment === terms.order[0];
    }
    if (waybill !== undefined) {
      checkWaybill(c, order, waybill);
      terms.waybill = termsOf(waybill)[1];
      terms.waybillMatchesOnChain = terms.waybill === terms.order[1];
    }
    if (declaration !== undefined) checkDeclaration(c, order, waybill, declaration);
  }
  return {
    ok: c.disagreements.length === 0 && c.missing.length === 0,
    disagreements: c.disagreements,
    missing: c.missing,
    terms,
  };
}
