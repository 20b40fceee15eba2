/**
 * The field formats shared by the customs record kinds — party codes, HS codes, goods lines, people, salts —
 * each read through `JsonObject` so errors carry the JSONPath and say what to give instead.
 */
import type { Hex } from "viem";
import { EpcisError, quote } from "../../epcis/errors";
import { parseLocation } from "../../epcis/location";
import { hasValidCheckDigit } from "../../gs1/checkDigit";
import { parseAmount } from "../amounts";
import { CustomsRecordError } from "../errors";
import { JsonObject, type TextRule } from "./reader";
import type { GoodsLine, PersonRecord, PublicPerson } from "./types";

/** A CEB party code: 10-character customs registration code or 18-character unified social credit code. */
export const PARTY_CODE: TextRule = {
  pattern: /^[0-9A-Z]{10}$|^[0-9A-HJ-NPQRTUWXY]{18}$/,
  expect: "a 10-character customs registration code or an 18-character unified social credit code (upper case)",
};

/** A document number as printed: letters, digits and - _ / . (CEB numbers are at most 60 characters). */
export const DOC_NUMBER: TextRule = {
  pattern: /^[0-9A-Za-z][0-9A-Za-z\-_/.]*$/,
  expect: "a document number of letters, digits and - _ / .",
  maxLength: 60,
};

export const CURRENCY: TextRule = {
  pattern: /^[A-Z]{3}$/,
  expect: "an ISO 4217 currency code (three upper-case letters, e.g. USD)",
};
export const CUSTOMS_CODE: TextRule = { pattern: /^\d{4}$/, expect: "a 4-digit customs code (e.g. 5316)" };
export const HS_CODE: TextRule = {
  pattern: /^\d{4}(\d{2}(\d{2}(\d{2})?)?)?$/,
  expect: "an HS code of 4, 6, 8 or 10 digits",
};
const UNIT: TextRule = { pattern: /^\d{3}$/, expect: "a 3-digit customs unit code (e.g. 011 for 件)" };
const SALT = /^0x[0-9a-fA-F]{64}$/;
const HASH: TextRule = { pattern: /^0x[0-9a-f]{64}$/, expect: "0x followed by 64 lower-case hex digits" };

/** The record's `kind` and `form` are read by the caller; this reads `time` and the optional `location`. */
export function readTimeAndPlace(o: JsonObject): { time: string; location?: string } {
  const time = o.time("time", "when the document was issued, ISO 8601 with offset (e.g. 2026-03-02T09:15:00+08:00)");
  const location = o.optionalText("location", "a 13-digit GLN or a short location code");
  if (location !== undefined) {
    try {
      parseLocation(location);
    } catch (e) {
      if (!(e instanceof EpcisError)) throw e;
      throw new CustomsRecordError(o.at("location"), `${o.at("location")}: ${e.shortMessage}`, { cause: e });
    }
  }
  return { time, ...(location !== undefined ? { location } : {}) };
}

/** An amount in `currency` (decimal text, at most the currency's minor-unit digits). */
export function amount(o: JsonObject, name: string, currency: string, what: string): string {
  return o.decimal(name, `${what} in ${currency}, e.g. "129.00"`, (t) => parseAmount(t, currency));
}

/** `{ [name]: value }`, or `{}` when the value is absent. */
export function optional<K extends string, V>(name: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [k in K]?: V };
}

/** A goods line; `priced` lines (orders, lists) carry unit price and total. */
export function goodsLine(value: unknown, path: string, currency: string | undefined): GoodsLine {
  const o = JsonObject.of(value, path, "a goods line { lineNo, gtin or itemNo, hsCode, quantity, unit, … }");
  const lineNo = o.count("lineNo", "the line number (gnum), from 1");
  const gtinText = o.optionalText("gtin", "the GTIN (8, 12, 13 or 14 digits)", {
    pattern: /^(\d{8}|\d{12}|\d{13}|\d{14})$/,
    expect: "a GTIN of 8, 12, 13 or 14 digits",
  });
  if (gtinText !== undefined && !hasValidCheckDigit(gtinText)) {
    throw new CustomsRecordError(
      o.at("gtin"),
      `${o.at("gtin")} = ${quote(gtinText)} has a wrong check digit: copy the GTIN from the barcode.`,
    );
  }
  const itemNo = o.optionalText("itemNo", "the enterprise's item code", DOC_NUMBER);
  if (gtinText === undefined && itemNo === undefined) {
    throw new CustomsRecordError(path, `${path} names no goods: give its gtin, or its itemNo when it has no GTIN.`);
  }
  const line: GoodsLine = {
    lineNo,
    ...(gtinText !== undefined ? { gtin: gtinText.padStart(14, "0") } : {}),
    ...(itemNo !== undefined ? { itemNo } : {}),
    hsCode: o.text("hsCode", "the HS code (gcode)", HS_CODE),
    ...optional("name", o.optionalText("name", "the goods name", { maxLength: 250 })),
    quantity: o.count("quantity", "the quantity"),
    unit: o.text("unit", "the customs unit code", UNIT),
  };
  if (currency !== undefined) {
    line.unitPrice = amount(o, "unitPrice", currency, "the unit price");
    line.total = amount(o, "total", currency, "the line total");
  }
  o.done();
  return line;
}

/** Goods lines with distinct line numbers. */
export function goodsLines(o: JsonObject, currency: string | undefined): GoodsLine[] {
  const lines = o.list("goods", "the goods lines", (v, p) => goodsLine(v, p, currency));
  const seen = new Set<number>();
  lines.forEach((l, i) => {
    if (seen.has(l.lineNo)) {
      throw new CustomsRecordError(
        `${o.at("goods")}[${i}].lineNo`,
        `${o.at("goods")}[${i}].lineNo ${l.lineNo} is used twice: number the lines 1, 2, 3…`,
      );
    }
    seen.add(l.lineNo);
  });
  return lines;
}

/** The order's 32-byte privacy salt: random, never all zeros (an all-zero salt is no salt at all). */
export function privacySalt(o: JsonObject): Hex {
  const v = o.text("privacySalt", "the order's privacySalt (0x + 64 hex digits, random per order)", {
    pattern: SALT,
    expect: "32 bytes of hex (0x + 64 hex digits)",
  });
  if (/^0x0{64}$/.test(v)) {
    throw new CustomsRecordError(
      o.at("privacySalt"),
      `${o.at("privacySalt")} is all zeros, which would let anyone try ID numbers against buyerRef: generate 32 random bytes per order.`,
    );
  }
  return v.toLowerCase() as Hex;
}

/** A person in the private form. */
export function person(o: JsonObject, name: string, role: string): PersonRecord {
  const p = JsonObject.of(o.raw(name), o.at(name), `the ${role} { idType, idNumber, name, telephone?, address? }`);
  const record: PersonRecord = {
    idType: p.text("idType", "the identity document type, e.g. ID or PASSPORT", {
      pattern: /^[A-Za-z0-9_]{1,16}$/,
      expect: "a short code such as ID or PASSPORT",
    }),
    idNumber: p.text("idNumber", "the identity document number", {
      pattern: /^[0-9A-Za-z\-]{1,40}$/,
      expect: "letters and digits of the identity document number",
    }),
    name: p.text("name", "the name as on the identity document", { maxLength: 100 }),
  };
  const telephone = p.optionalText("telephone", "the telephone number", {
    pattern: /^\+?[0-9 \-()]{3,30}$/,
    expect: "a telephone number",
  });
  const address = p.optionalText("address", "the address", { maxLength: 300 });
  p.done();
  return {
    ...record,
    ...(telephone !== undefined ? { telephone } : {}),
    ...(address !== undefined ? { address } : {}),
  };
}

/** A person in the public form: the references only. */
export function publicPersonField(o: JsonObject, name: string, role: string): PublicPerson {
  const p = JsonObject.of(
    o.raw(name),
    o.at(name),
    `the ${role}'s references { buyerRef, telephoneHash?, addressHash? }`,
  );
  const ref = p.text("buyerRef", "the buyerRef", HASH) as Hex;
  const tel = p.optionalText("telephoneHash", "the telephone hash", HASH) as Hex | undefined;
  const addr = p.optionalText("addressHash", "the address hash", HASH) as Hex | undefined;
  p.done();
  return { buyerRef: ref, ...(tel ? { telephoneHash: tel } : {}), ...(addr ? { addressHash: addr } : {}) };
}

/** A list of document numbers. */
export function numberList(o: JsonObject, name: string, what: string, rule: TextRule = DOC_NUMBER): string[] {
  return o.list(name, what, (v, p) => {
    if (typeof v !== "string" || v.trim() === "" || (rule.pattern && !rule.pattern.test(v.trim()))) {
      throw new CustomsRecordError(p, `${p} = ${quote(v)} is not ${rule.expect ?? "a document number"}.`);
    }
    return v.trim();
  });
}
