/**
 * The customs document records: the off-chain documents behind each `fileDocument`, modelled on the CEB
 * messages (CEB303 order, CEB403 payment, CEB505 waybill, CEB603 list / 报关单) and the other documents of
 * the four modes. A record exists in two forms:
 * - the **private** form (`form: "private"`), held by the issuer, the regulator and the seller: it names
 *   people (name, identity document, telephone, address) and carries the order's `privacySalt`;
 * - the **public** form (`form: "public"`), derived from it: every person is replaced by `buyerRef` and
 *   every telephone or address by a salted hash, and the salt is left out. The chain's `recordHash` is the
 *   hash of the public form (see `public.ts`).
 * Amounts are decimal strings in the record's currency; quantities are whole counts of the line's unit.
 */
import type { Hex } from "viem";
import type { CustomsMode, DocumentKindName } from "../kinds";

/** A person in the private form. */
export interface PersonRecord {
  /** Identity document type, e.g. `ID` (居民身份证) or `PASSPORT`. */
  idType: string;
  idNumber: string;
  name: string;
  telephone?: string;
  address?: string;
}

/** A person in the public form: the salted references the private form determines. */
export interface PublicPerson {
  buyerRef: Hex;
  telephoneHash?: Hex;
  addressHash?: Hex;
}

/** A goods line as the order (and the declaration list) carries it. */
export interface GoodsLine {
  /** Line number (CEB `gnum`), from 1, unique in the record. */
  lineNo: number;
  /** GTIN-14 (or 8/12/13), when the goods have one. */
  gtin?: string;
  /** The enterprise's item code (CEB `itemNo`), when there is no GTIN. */
  itemNo?: string;
  /** HS code, 4 to 10 digits (CEB `gcode`). */
  hsCode: string;
  /** Goods name (CEB `itemName` / `gname`). Published in the public form: no personal data. */
  name?: string;
  /** Whole count of `unit`. */
  quantity: number;
  /** Customs unit code (3 digits, e.g. `011` 件, `007` 个). */
  unit: string;
  /** Price per unit, decimal in the record's currency (orders and lists). */
  unitPrice?: string;
  /** Line total, decimal (orders and lists). */
  total?: string;
}

interface RecordBase<K extends DocumentKindName> {
  kind: K;
  /** When the document was issued: ISO 8601 with offset. */
  time: string;
  /** Where (a GLN or a short location code), for the ledger entry's `location`; optional. */
  location?: string;
}

/** The personal part of a record, keyed by the field naming the person: private (person + salt) or public. */
type Personal<Field extends string> =
  | ({ form: "private"; privacySalt: Hex } & { [k in Field]: PersonRecord })
  | ({ form: "public" } & { [k in Field]: PublicPerson });

/** CEB303 电子订单. */
export type OrderRecord = RecordBase<"ORDER"> & {
  orderNo: string;
  /** Platform code (ebpCode). */
  ebpCode: string;
  /** E-commerce enterprise (seller) code (ebcCode). */
  ebcCode: string;
  goods: GoodsLine[];
  goodsValue: string;
  freight: string;
  currency: string;
} & Personal<"buyer">;

/** CEB403 收款单. */
export type PaymentRecord = RecordBase<"PAYMENT"> & {
  /** Payment institution code. */
  payCode: string;
  payNo: string;
  orderNo: string;
  ebpCode: string;
  amount: string;
  currency: string;
} & Personal<"payer">;

/** CEB505 运单. `orderNo` and `ebpCode` are absent on a 9810 waybill (the goods are not sold yet). */
export type WaybillRecord = RecordBase<"WAYBILL"> & {
  logisticsCode: string;
  logisticsNo: string;
  orderNo?: string;
  ebpCode?: string;
  /** The 9810 booking the waybill carries (订仓单 number), when there is no order. */
  bookingNo?: string;
  goods: GoodsLine[];
  /** Total quantity on the waybill. */
  quantity: number;
  /** Gross weight in kg, decimal. */
  weight: string;
} & Personal<"consignee">;

/** 9810 订仓单: the booking of space in an overseas warehouse. */
export interface BookingRecord extends RecordBase<"BOOKING"> {
  form: "private" | "public";
  bookingNo: string;
  ebcCode: string;
  /** The overseas warehouse's code (its 海外仓 filing number). */
  warehouseCode: string;
  /** ISO 3166 alpha-2 country of the warehouse. */
  country: string;
  goods: GoodsLine[];
}

/** CEB603 申报清单 (9610) or 报关单 (9710, 9810, 1210). */
export interface DeclarationRecord extends RecordBase<"DECLARATION"> {
  form: "private" | "public";
  mode: CustomsMode;
  /** 清单编号: 4-digit customs area + 4-digit year + `E` + 9-digit serial; required for 9610. */
  invtNo?: string;
  /** 预录入编号: `B` + 8-digit date + 9-digit serial. */
  preNo?: string;
  /** 报关单号 (18 digits): required for 9710, 9810 and 1210. */
  entryId?: string;
  /** Declaring customs (4 digits). */
  customsCode: string;
  /** Port of exit (4 digits). */
  portCode: string;
  ebpCode?: string;
  ebcCode: string;
  orderNo?: string;
  logisticsCode?: string;
  logisticsNo?: string;
  bookingNo?: string;
  zoneEntryNo?: string;
  goods: GoodsLine[];
  currency: string;
}

/** CEB701 汇总申请单: sums declaration lists. */
export interface SummaryRecord extends RecordBase<"SUMMARY"> {
  form: "private" | "public";
  sumNo: string;
  ebcCode: string;
  customsCode: string;
  /** `invtNo` of every list summed. */
  invtNos: string[];
}

/** 1210: the goods' entry into the bonded / special customs zone (the zone entry counts as the export). */
export interface ZoneEntryRecord extends RecordBase<"ZONE_ENTRY"> {
  form: "private" | "public";
  zoneEntryNo: string;
  zoneCode: string;
  ebcCode: string;
  goods: GoodsLine[];
}

/** 结汇: the payment institution's FX settlement of export proceeds. */
export interface FxSettlementRecord extends RecordBase<"FX_SETTLEMENT"> {
  form: "private" | "public";
  settlementNo: string;
  payCode: string;
  ebcCode: string;
  amount: string;
  currency: string;
  /** CNY credited, decimal. */
  cnyAmount: string;
  /** The payments settled (`payNo`). */
  payNos: string[];
}

/** 出口退税: the tax authority's export tax refund. */
export interface TaxRefundRecord extends RecordBase<"TAX_REFUND"> {
  form: "private" | "public";
  refundNo: string;
  taxOfficeCode: string;
  ebcCode: string;
  /** Refund in CNY, decimal. */
  amount: string;
  /** The declarations the refund is for (报关单号 or list `invtNo`). */
  declarationNos: string[];
}

export type CustomsRecord =
  | OrderRecord
  | PaymentRecord
  | WaybillRecord
  | BookingRecord
  | DeclarationRecord
  | SummaryRecord
  | ZoneEntryRecord
  | FxSettlementRecord
  | TaxRefundRecord;

/** A record of one kind. */
export type RecordOfKind<K extends DocumentKindName> = Extract<CustomsRecord, { kind: K }>;

/** A record in its public form: what may be published and what the chain's `recordHash` covers. */
export type PublicRecord = Extract<CustomsRecord, { form: "public" }>;
