/**
 * The customs documents of the demo shipments, in their private form (as each issuer holds them): the
 * example records of `demo/customs/` (the ones `trace customs check` is shown on in docs/customs.md) and the
 * documents that complete each flow — FX settlements, the export tax refund, and the second 9810
 * consignment's booking, waybill and declaration (one document backs one declaration). Node-only (reads the
 * examples as JSON modules).
 */
import cleanOrder from "../../../demo/customs/9610-clean/order.json";
import cleanPayment from "../../../demo/customs/9610-clean/payment.json";
import cleanWaybill from "../../../demo/customs/9610-clean/waybill.json";
import cleanDeclaration from "../../../demo/customs/9610-clean/declaration.json";
import mismatchOrder from "../../../demo/customs/9610-amount-mismatch/order.json";
import mismatchPayment from "../../../demo/customs/9610-amount-mismatch/payment.json";
import mismatchWaybill from "../../../demo/customs/9610-amount-mismatch/waybill.json";
import mismatchDeclaration from "../../../demo/customs/9610-amount-mismatch/declaration.json";
import overseasBooking from "../../../demo/customs/9810-overseas-warehouse/booking.json";
import overseasWaybill from "../../../demo/customs/9810-overseas-warehouse/waybill.json";
import overseasDeclaration from "../../../demo/customs/9810-overseas-warehouse/declaration.json";
import overseasOrder from "../../../demo/customs/9810-overseas-warehouse/order.json";
import overseasPayment from "../../../demo/customs/9810-overseas-warehouse/payment.json";
import { parseCustomsRecord, type CustomsRecord } from "../../customs";

/** The demo seller (ebcCode) and payment institution (payCode) the example records name. */
const SELLER = cleanOrder.ebcCode;
const PAY_CODE = cleanPayment.payCode;
/** The Shenzhen tax office the refunds come from (国家税务总局深圳市税务局 code). */
const TAX_OFFICE = "14403000000";

const parse = (json: object): CustomsRecord => parseCustomsRecord(json);

/** The clean 9610 shipment (a): 三单 agree, then FX settlement and the export tax refund. */
export const CLEAN_9610 = {
  order: parse(cleanOrder),
  payment: parse(cleanPayment),
  waybill: parse(cleanWaybill),
  declaration: parse(cleanDeclaration),
  fx: parse({
    kind: "FX_SETTLEMENT",
    time: "2026-03-12T10:00:00+08:00",
    settlementNo: "FX202603120001",
    payCode: PAY_CODE,
    ebcCode: SELLER,
    amount: cleanPayment.amount,
    currency: cleanPayment.currency,
    cnyAmount: "1000.80",
    payNos: [cleanPayment.payNo],
  }),
  refund: parse({
    kind: "TAX_REFUND",
    time: "2026-03-20T11:00:00+08:00",
    refundNo: "TR202603200001",
    taxOfficeCode: TAX_OFFICE,
    ebcCode: SELLER,
    amount: "115.20",
    declarationNos: [cleanDeclaration.invtNo],
  }),
} as const;

/** The 9610 shipment (c) whose payment (129.00) is not the order's goods value + freight (139.00). */
export const MISMATCH_9610 = {
  order: parse(mismatchOrder),
  payment: parse(mismatchPayment),
  waybill: parse(mismatchWaybill),
  declaration: parse(mismatchDeclaration),
} as const;

/** The 9810 shipment (b): booking and waybill, declaration; after export the sale (order + payment), FX. */
export const OVERSEAS_9810 = {
  booking: parse(overseasBooking),
  waybill: parse(overseasWaybill),
  declaration: parse(overseasDeclaration),
  order: parse(overseasOrder),
  payment: parse(overseasPayment),
  fx: parse({
    kind: "FX_SETTLEMENT",
    time: "2026-04-20T10:00:00+08:00",
    settlementNo: "FX202604200001",
    payCode: PAY_CODE,
    ebcCode: SELLER,
    amount: overseasPayment.amount,
    currency: overseasPayment.currency,
    cnyAmount: "499.70",
    payNos: [overseasPayment.payNo],
  }),
} as const;

/** The second 9810 consignment: the same goods to the same warehouse under their own numbers, unsold. */
export const UNSOLD_9810 = {
  booking: parse({ ...overseasBooking, bookingNo: "DE-BK-20260303-02", time: "2026-03-03T10:30:00+08:00" }),
  waybill: parse({
    ...overseasWaybill,
    bookingNo: "DE-BK-20260303-02",
    logisticsNo: "YT7840020002",
    time: "2026-03-04T11:30:00+08:00",
  }),
  declaration: parse({
    ...overseasDeclaration,
    entryId: "531620261000000124",
    bookingNo: "DE-BK-20260303-02",
    logisticsNo: "YT7840020002",
    time: "2026-03-04T15:30:00+08:00",
  }),
} as const;
