/**
 * `parseCustomsRecord`: reads a customs document record (private or public form) from parsed JSON, checks
 * every field and refuses unknown ones, and returns the typed record with its text trimmed and GTINs padded
 * to 14 digits. Errors name the JSONPath of the bad value and what to give instead.
 */
import { quote } from "../../epcis/errors";
import { CUSTOMS_MODES, DOCUMENT_KIND_NAMES, type CustomsMode, type DocumentKindName } from "../kinds";
import { CustomsRecordError } from "../errors";
import { JsonObject } from "./reader";
import {
  amount,
  CURRENCY,
  CUSTOMS_CODE,
  DOC_NUMBER,
  goodsLines,
  numberList,
  optional,
  PARTY_CODE,
  person,
  privacySalt,
  publicPersonField,
  readTimeAndPlace,
} from "./fields";
import type { CustomsRecord, PersonRecord, PublicPerson } from "./types";
import type { Hex } from "viem";
import { parseDecimal } from "../amounts";

const INVT_NO = /^(\d{4})(\d{4})([IE])(\d{9})$/;
const PRE_NO = /^B(\d{4})(\d{2})(\d{2})\d{9}$/;

/** The personal part: `{ form: "private", privacySalt, [field]: person }` or `{ form: "public", [field]: refs }`. */
function personal(o: JsonObject, form: "private" | "public", field: string, role: string) {
  if (form === "public") {
    if (o.has("privacySalt")) {
      throw new CustomsRecordError(
        o.at("privacySalt"),
        `${o.at("privacySalt")} must not be in a public form: the salt would let anyone test ID numbers against buyerRef. Remove it.`,
      );
    }
    return { form, [field]: publicPersonField(o, field, role) } as { form: "public" } & Record<string, PublicPerson>;
  }
  return { form, privacySalt: privacySalt(o), [field]: person(o, field, role) } as {
    form: "private";
    privacySalt: Hex;
  } & Record<string, PersonRecord>;
}

type KindReader = (o: JsonObject, form: "private" | "public") => Omit<CustomsRecord, "kind" | "time" | "location">;

function currencyOf(o: JsonObject): string {
  return o.text("currency", "the ISO 4217 currency", CURRENCY);
}

const ORDER_NO = (o: JsonObject) => o.text("orderNo", "the order number (orderNo)", DOC_NUMBER);
const EBP = (o: JsonObject) => o.text("ebpCode", "the platform code (ebpCode)", PARTY_CODE);
const EBC = (o: JsonObject) => o.text("ebcCode", "the e-commerce enterprise (seller) code (ebcCode)", PARTY_CODE);

function invtNo(o: JsonObject): string {
  const v = o.text("invtNo", "the list number (invtNo)", { pattern: /^\S{18}$/, expect: "18 characters" });
  const m = INVT_NO.exec(v);
  const year = m ? Number(m[2]) : 0;
  if (!m || year < 2014 || year > 2099) {
    throw new CustomsRecordError(
      o.at("invtNo"),
      `${o.at("invtNo")} = ${quote(v)} is not a list number: invtNo is 18 characters, a 4-digit customs area, a 4-digit year (2014 or later), E for export and a 9-digit serial, e.g. 53162026E000012345.`,
    );
  }
  if (m[3] === "I") {
    throw new CustomsRecordError(
      o.at("invtNo"),
      `${o.at("invtNo")} = ${quote(v)} is an import list (flag I): this ledger records export lists (flag E).`,
    );
  }
  return v;
}

function preNo(o: JsonObject): string | undefined {
  const v = o.optionalText("preNo", "the pre-entry number (preNo)");
  if (v === undefined) return undefined;
  const m = PRE_NO.exec(v);
  const month = m ? Number(m[2]) : 0;
  const day = m ? Number(m[3]) : 0;
  if (!m || month < 1 || month > 12 || day < 1 || day > 31) {
    throw new CustomsRecordError(
      o.at("preNo"),
      `${o.at("preNo")} = ${quote(v)} is not a pre-entry number: B, an 8-digit date YYYYMMDD and a 9-digit serial, e.g. B20260302000000123.`,
    );
  }
  return v;
}

function mode(o: JsonObject): CustomsMode {
  const v = o.raw("mode");
  if (!CUSTOMS_MODES.includes(v as CustomsMode)) {
    throw new CustomsRecordError(
      o.at("mode"),
      `${o.at("mode")} = ${quote(v)} is not a customs mode the ledger takes: give 9610, 9710, 9810 or 1210 as a number.`,
    );
  }
  return v as CustomsMode;
}

const READERS: Record<DocumentKindName, KindReader> = {
  ORDER(o, form) {
    const currency = currencyOf(o);
    return {
      orderNo: ORDER_NO(o),
      ebpCode: EBP(o),
      ebcCode: EBC(o),
      currency,
      goods: goodsLines(o, currency),
      goodsValue: amount(o, "goodsValue", currency, "the goods value"),
      freight: amount(o, "freight", currency, "the freight (0 when none)"),
      ...personal(o, form, "buyer", "buyer"),
    };
  },
  PAYMENT(o, form) {
    const currency = currencyOf(o);
    return {
      payCode: o.text("payCode", "the payment institution's code (payCode)", PARTY_CODE),
      payNo: o.text("payNo", "the payment number (payNo)", DOC_NUMBER),
      orderNo: ORDER_NO(o),
      ebpCode: EBP(o),
      currency,
      amount: amount(o, "amount", currency, "the amount received"),
      ...personal(o, form, "payer", "payer"),
    };
  },
  WAYBILL(o, form) {
    return {
      logisticsCode: o.text("logisticsCode", "the logistics firm's code (logisticsCode)", PARTY_CODE),
      logisticsNo: o.text("logisticsNo", "the waybill number (logisticsNo)", DOC_NUMBER),
      ...optional("orderNo", o.optionalText("orderNo", "the order number", DOC_NUMBER)),
      ...optional("ebpCode", o.optionalText("ebpCode", "the platform code", PARTY_CODE)),
      ...optional("bookingNo", o.optionalText("bookingNo", "the 9810 booking number", DOC_NUMBER)),
      goods: goodsLines(o, undefined),
      quantity: o.count("quantity", "the total quantity on the waybill"),
      weight: o.decimal("weight", "the gross weight in kg", (t) => {
        const kg = parseDecimal(t, 3);
        return kg === 0n ? { problem: "is zero" } : kg;
      }),
      ...personal(o, form, "consignee", "consignee"),
    };
  },
  BOOKING(o, form) {
    return {
      form,
      bookingNo: o.text("bookingNo", "the booking number (订仓单号)", DOC_NUMBER),
      ebcCode: EBC(o),
      warehouseCode: o.text("warehouseCode", "the overseas warehouse's filing code", DOC_NUMBER),
      country: o.text("country", "the warehouse's country", {
        pattern: /^[A-Z]{2}$/,
        expect: "an ISO 3166 alpha-2 code, e.g. DE",
      }),
      goods: goodsLines(o, undefined),
    };
  },
  DECLARATION(o, form) {
    const m = mode(o);
    const currency = currencyOf(o);
    const entryId = o.optionalText("entryId", "the customs declaration number (报关单号)", {
      pattern: /^\d{18}$/,
      expect: "18 digits",
    });
    if (m !== 9610 && entryId === undefined) {
      throw new CustomsRecordError(
        o.at("entryId"),
        `${o.at("entryId")} is missing: a ${m} declaration is a 报关单; give its 18-digit number (entryId).`,
      );
    }
    const list = m === 9610 || o.has("invtNo") ? invtNo(o) : (o.raw("invtNo"), undefined);
    return {
      form,
      mode: m,
      ...optional("invtNo", list),
      ...optional("preNo", preNo(o)),
      ...optional("entryId", entryId),
      customsCode: o.text("customsCode", "the declaring customs code", CUSTOMS_CODE),
      portCode: o.text("portCode", "the port of exit code", CUSTOMS_CODE),
      ...optional("ebpCode", o.optionalText("ebpCode", "the platform code", PARTY_CODE)),
      ebcCode: EBC(o),
      ...optional("orderNo", o.optionalText("orderNo", "the order number", DOC_NUMBER)),
      ...optional("logisticsCode", o.optionalText("logisticsCode", "the logistics firm's code", PARTY_CODE)),
      ...optional("logisticsNo", o.optionalText("logisticsNo", "the waybill number", DOC_NUMBER)),
      ...optional("bookingNo", o.optionalText("bookingNo", "the 9810 booking number", DOC_NUMBER)),
      ...optional("zoneEntryNo", o.optionalText("zoneEntryNo", "the 1210 zone entry number", DOC_NUMBER)),
      currency,
      goods: goodsLines(o, currency),
    };
  },
  SUMMARY(o, form) {
    return {
      form,
      sumNo: o.text("sumNo", "the summary number (sumNo)", DOC_NUMBER),
      ebcCode: EBC(o),
      customsCode: o.text("customsCode", "the customs code", CUSTOMS_CODE),
      invtNos: numberList(o, "invtNos", "the invtNo of every list summed"),
    };
  },
  ZONE_ENTRY(o, form) {
    return {
      form,
      zoneEntryNo: o.text("zoneEntryNo", "the zone entry number", DOC_NUMBER),
      zoneCode: o.text("zoneCode", "the zone's customs code", CUSTOMS_CODE),
      ebcCode: EBC(o),
      goods: goodsLines(o, undefined),
    };
  },
  FX_SETTLEMENT(o, form) {
    const currency = currencyOf(o);
    return {
      form,
      settlementNo: o.text("settlementNo", "the settlement number", DOC_NUMBER),
      payCode: o.text("payCode", "the payment institution's code", PARTY_CODE),
      ebcCode: EBC(o),
      currency,
      amount: amount(o, "amount", currency, "the amount settled"),
      cnyAmount: amount(o, "cnyAmount", "CNY", "the CNY credited"),
      payNos: numberList(o, "payNos", "the payNo of every payment settled"),
    };
  },
  TAX_REFUND(o, form) {
    return {
      form,
      refundNo: o.text("refundNo", "the refund number", DOC_NUMBER),
      taxOfficeCode: o.text("taxOfficeCode", "the tax office code", DOC_NUMBER),
      ebcCode: EBC(o),
      amount: amount(o, "amount", "CNY", "the refund"),
      declarationNos: numberList(o, "declarationNos", "the entryId or invtNo of every declaration refunded"),
    };
  },
};

/**
 * Reads a customs document record from parsed JSON (`JSON.parse` of a record file).
 * @param value The record: `{ kind, form?, time, … }`; `form` defaults to `"private"`.
 * @param expected When given, the kind the caller needs (e.g. the payment slot of a match).
 * @returns The typed record. Throws `CustomsRecordError` naming the JSONPath of the first bad field.
 */
export function parseCustomsRecord(value: unknown, expected?: DocumentKindName): CustomsRecord {
  const o = JsonObject.of(value, "$", "a customs document record { kind, time, … }");
  const kind = o.raw("kind");
  if (typeof kind !== "string" || !(DOCUMENT_KIND_NAMES as string[]).includes(kind)) {
    throw new CustomsRecordError(
      "$.kind",
      `$.kind = ${quote(kind)} is not a document kind: give one of ${DOCUMENT_KIND_NAMES.join(", ")}.`,
    );
  }
  if (expected !== undefined && kind !== expected) {
    throw new CustomsRecordError(
      "$.kind",
      `$.kind is ${kind}, but ${expected} is needed here: check the order of the files.`,
    );
  }
  const rawForm = o.raw("form") ?? "private";
  if (rawForm !== "private" && rawForm !== "public") {
    throw new CustomsRecordError("$.form", `$.form = ${quote(rawForm)} is neither "private" nor "public".`);
  }
  const place = readTimeAndPlace(o);
  const body = READERS[kind as DocumentKindName](o, rawForm);
  o.done();
  return { kind, ...place, ...body, form: rawForm } as CustomsRecord;
}
