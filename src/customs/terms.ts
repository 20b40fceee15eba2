/**
 * The terms a record commits to on chain — order reference, buyer reference, amounts and goods — computed
 * from either form of a record, so the match and the ledger input read them one way.
 */
import type { Hex } from "viem";
import { parseAmount } from "./amounts";
import { CustomsInputError } from "./errors";
import { goodsRef, orderRef, paymentTerms, shipmentTerms, waybillNumber } from "./identifiers";
import { publicPerson } from "./records/personal";
import type {
  CustomsRecord,
  GoodsLine,
  OrderRecord,
  PaymentRecord,
  PersonRecord,
  PublicPerson,
  WaybillRecord,
} from "./records/types";

export const ZERO_HASH = `0x${"0".repeat(64)}` as Hex;

/** Minor units of a decimal amount the parser has already checked. */
export function minor(amount: string, currency: string): bigint {
  const v = parseAmount(amount, currency);
  if (typeof v !== "bigint") {
    throw new CustomsInputError(`amount "${amount}" ${v.problem}: pass records through parseCustomsRecord first.`);
  }
  return v;
}

/** What the buyer pays under an order: goods value plus freight (CEB303 `goodsValue` + `freight`). */
export function orderAmountMinor(order: OrderRecord): bigint {
  return minor(order.goodsValue, order.currency) + minor(order.freight, order.currency);
}

/** The sum of the lines' quantities. */
export function totalQuantity(lines: readonly GoodsLine[]): bigint {
  return lines.reduce((sum, l) => sum + BigInt(l.quantity), 0n);
}

/** The `buyerRef` of the person a record names (its buyer, payer or consignee), from either form. */
export function personRefOf(record: OrderRecord | PaymentRecord | WaybillRecord): Hex {
  const field = record.kind === "ORDER" ? "buyer" : record.kind === "PAYMENT" ? "payer" : "consignee";
  const p = (record as unknown as Record<string, PersonRecord | PublicPerson>)[field];
  if (record.form === "public") return (p as PublicPerson).buyerRef;
  return publicPerson(record.privacySalt, p as PersonRecord).buyerRef;
}

/** The record's `orderRef`, or 0 for kinds and records without an order (a 9810 waybill, a booking). */
export function orderRefOf(record: CustomsRecord): Hex {
  const r = record as { orderNo?: string; ebpCode?: string };
  if (record.kind === "ORDER" || record.kind === "PAYMENT") return orderRef(r.ebpCode!, r.orderNo!);
  if ((record.kind === "WAYBILL" || record.kind === "DECLARATION") && r.orderNo && r.ebpCode) {
    return orderRef(r.ebpCode, r.orderNo);
  }
  return ZERO_HASH;
}

/** `terms`: ORDER [paymentTerms, shipmentTerms], PAYMENT [paymentTerms, 0], WAYBILL [0, shipmentTerms], else [0, 0]. */
export function termsOf(record: CustomsRecord): [Hex, Hex] {
  switch (record.kind) {
    case "ORDER": {
      const ref = orderRefOf(record);
      const buyer = personRefOf(record);
      return [
        paymentTerms({
          orderRef: ref,
          currency: record.currency,
          amountMinor: orderAmountMinor(record),
          buyerRef: buyer,
        }),
        shipmentTerms({
          orderRef: ref,
          goodsRef: goodsRef(record.goods),
          totalQuantity: totalQuantity(record.goods),
          buyerRef: buyer,
        }),
      ];
    }
    case "PAYMENT":
      return [
        paymentTerms({
          orderRef: orderRefOf(record),
          currency: record.currency,
          amountMinor: minor(record.amount, record.currency),
          buyerRef: personRefOf(record),
        }),
        ZERO_HASH,
      ];
    case "WAYBILL":
      return [
        ZERO_HASH,
        shipmentTerms({
          orderRef: orderRefOf(record),
          goodsRef: goodsRef(record.goods),
          totalQuantity: BigInt(record.quantity),
          buyerRef: personRefOf(record),
        }),
      ];
    default:
      return [ZERO_HASH, ZERO_HASH];
  }
}

/**
 * The document's number as the ledger hashes it: the order's orderNo, the payment's payNo, the waybill's
 * `<logisticsNo>@<YYYYMMDD>` (the issue date as written in `time`, the issuer's local date), the list's
 * invtNo (9610) or the 报关单's entryId, the booking, summary, zone entry, settlement or refund number.
 */
export function documentNumber(record: CustomsRecord): string {
  switch (record.kind) {
    case "ORDER":
      return record.orderNo;
    case "PAYMENT":
      return record.payNo;
    case "WAYBILL":
      return waybillNumber(record.logisticsNo, record.time.slice(0, 10).replaceAll("-", ""));
    case "BOOKING":
      return record.bookingNo;
    case "DECLARATION":
      return record.mode === 9610 ? record.invtNo! : record.entryId!;
    case "SUMMARY":
      return record.sumNo;
    case "ZONE_ENTRY":
      return record.zoneEntryNo;
    case "FX_SETTLEMENT":
      return record.settlementNo;
    case "TAX_REFUND":
      return record.refundNo;
  }
}
