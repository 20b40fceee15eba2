/**
 * The demo consignment's order (CEB303) as the three documents of its 9610 declaration state it, and the
 * terms the ledger's three-document match compares. The buyer's identity never leaves this file except as
 * `buyerRef`; a real order's issuer generates `privacySalt` at random per order.
 */
import type { Hex } from "viem";
import { buyerRef, goodsRef, orderRef, paymentTerms, shipmentTerms } from "../customs/identifiers";

/** The demo order and the numbers of the documents filed for it. */
export const DEMO_ORDER = {
  platformCode: "4403660001",
  orderNo: "SO-2026-110501",
  paymentNo: "RC-2026-110501",
  logisticsNo: "YT7840012601",
  invtNo: "53162026E107000123", // CEB603: customs area 5316, year 2026, E (export), serial
  fxNo: "FX-2026-112701",
  refundNo: "TR-2026-112701",
  currency: "EUR",
  amountMinor: 11980n,
  /** Fixed only so the demo is reproducible; real orders take 32 random bytes. */
  privacySalt: "0x5d1f0c6a7e3b9a2c4d8e6f1a0b3c5d7e9f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c" as Hex,
  buyer: { idType: "PASSPORT", idNumber: "C01X00T47", name: "Erika Mustermann" },
  goods: [{ lineNo: 1, gtin: "06901234567892", hsCode: "8518300000", quantity: 2n, unit: "011" }],
} as const;

/** The demo order's reference and its payment and shipment terms. */
export function demoOrderTerms(): { orderRef: Hex; payment: Hex; shipment: Hex } {
  const ref = orderRef(DEMO_ORDER.platformCode, DEMO_ORDER.orderNo);
  const buyer = buyerRef(DEMO_ORDER.privacySalt, DEMO_ORDER.buyer);
  const quantity = DEMO_ORDER.goods.reduce((n, l) => n + l.quantity, 0n);
  return {
    orderRef: ref,
    payment: paymentTerms({
      orderRef: ref,
      currency: DEMO_ORDER.currency,
      amountMinor: DEMO_ORDER.amountMinor,
      buyerRef: buyer,
    }),
    shipment: shipmentTerms({
      orderRef: ref,
      goodsRef: goodsRef(DEMO_ORDER.goods),
      totalQuantity: quantity,
      buyerRef: buyer,
    }),
  };
}
