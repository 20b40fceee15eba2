/**
 * Customs document records: parsing with errors that name the JSONPath, the public form without personal
 * data (whatever the spelling), and the recordHash both forms share.
 */
import { expect } from "chai";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  customsRecordHash,
  CustomsPersonalDataError,
  CustomsRecordError,
  documentNumber,
  parseCustomsRecord,
  publicForm,
} from "../../src/customs";
import { recordHash } from "../../src/epcis";
import { DEMO_DIR, demo, demo9610, type DemoSet } from "./demoRecords";

function refusal(fn: () => unknown): CustomsRecordError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CustomsRecordError || e instanceof CustomsPersonalDataError) return e as CustomsRecordError;
    throw e;
  }
  throw new Error("expected a refusal");
}

const order = () => demo("9610-clean", "order");
const declaration = () => demo("9610-clean", "declaration");

/** Each row breaks one field; the refusal must name its JSONPath and say what is wrong. */
const BAD: Array<{ title: string; record: () => object; path: string; says: RegExp }> = [
  {
    title: "unknown kind",
    record: () => ({ ...order(), kind: "INVOICE" }),
    path: "$.kind",
    says: /not a document kind: give one of ORDER/,
  },
  {
    title: "time without offset",
    record: () => ({ ...order(), time: "2026-03-02T09:15:00" }),
    path: "$.time",
    says: /time zone/,
  },
  {
    title: "lower-case currency",
    record: () => ({ ...order(), currency: "usd" }),
    path: "$.currency",
    says: /ISO 4217/,
  },
  {
    title: "more decimals than the currency has",
    record: () => ({ ...order(), goodsValue: "129.001" }),
    path: "$.goodsValue",
    says: /more decimals than USD has minor-unit digits \(2\)/,
  },
  {
    title: "yen with sen",
    record: () => {
      const o = { ...order(), currency: "JPY" };
      o.goods[0].unitPrice = "49.50";
      return o;
    },
    path: "$.goods[0].unitPrice",
    says: /more decimals than JPY has minor-unit digits \(0\)/,
  },
  {
    title: "amount in exponent notation",
    record: () => ({ ...order(), freight: 1e21 }),
    path: "$.freight",
    says: /write it as "129.00"/,
  },
  { title: "negative amount", record: () => ({ ...order(), freight: "-1.00" }), path: "$.freight", says: /no sign/ },
  {
    title: "platform code in lower case",
    record: () => ({ ...order(), ebpCode: "91440300ma5dem007u" }),
    path: "$.ebpCode",
    says: /unified social credit code/,
  },
  {
    title: "a fractional quantity",
    record: () => {
      const o = order();
      o.goods[0].quantity = 1.5;
      return o;
    },
    path: "$.goods[0].quantity",
    says: /whole number from 1/,
  },
  {
    title: "a GTIN with a wrong check digit",
    record: () => {
      const o = order();
      o.goods[1].gtin = "06901234567808";
      return o;
    },
    path: "$.goods[1].gtin",
    says: /wrong check digit/,
  },
  {
    title: "a 5-digit HS code",
    record: () => {
      const o = order();
      o.goods[0].hsCode = "85183";
      return o;
    },
    path: "$.goods[0].hsCode",
    says: /HS code of 4, 6, 8 or 10 digits/,
  },
  {
    title: "a goods line naming no goods",
    record: () => {
      const o = order();
      delete o.goods[0].gtin;
      return o;
    },
    path: "$.goods[0]",
    says: /give its gtin, or its itemNo/,
  },
  {
    title: "two lines with one number",
    record: () => {
      const o = order();
      o.goods[1].lineNo = 1;
      return o;
    },
    path: "$.goods[1].lineNo",
    says: /used twice/,
  },
  {
    title: "a missing buyer",
    record: () => {
      const o = order();
      delete o.buyer;
      return o;
    },
    path: "$.buyer",
    says: /not a JSON object: give the buyer/,
  },
  {
    title: "a missing field",
    record: () => {
      const o = order();
      delete o.freight;
      return o;
    },
    path: "$.freight",
    says: /missing: give the freight/,
  },
  {
    title: "an unknown field",
    record: () => ({ ...order(), note: "leave at the door" }),
    path: "$.note",
    says: /not a field of this record: remove it/,
  },
  {
    title: "an unknown form",
    record: () => ({ ...order(), form: "redacted" }),
    path: "$.form",
    says: /neither "private" nor "public"/,
  },
  {
    title: "an invtNo of 17 characters",
    record: () => ({ ...declaration(), invtNo: "53162026E00001234" }),
    path: "$.invtNo",
    says: /18 characters/,
  },
  {
    title: "an invtNo without the E flag",
    record: () => ({ ...declaration(), invtNo: "531620260000012345" }),
    path: "$.invtNo",
    says: /4-digit customs area, a 4-digit year \(2014 or later\), E for export/,
  },
  {
    title: "an invtNo before 9610 existed",
    record: () => ({ ...declaration(), invtNo: "53162013E000012345" }),
    path: "$.invtNo",
    says: /2014 or later/,
  },
  {
    title: "an import list",
    record: () => ({ ...declaration(), invtNo: "53162026I000012345" }),
    path: "$.invtNo",
    says: /import list \(flag I\)/,
  },
  {
    title: "a preNo with month 13",
    record: () => ({ ...declaration(), preNo: "B20261302000000123" }),
    path: "$.preNo",
    says: /B, an 8-digit date YYYYMMDD/,
  },
  {
    title: "a mode the ledger does not take",
    record: () => ({ ...declaration(), mode: 1039 }),
    path: "$.mode",
    says: /give 9610, 9710, 9810 or 1210/,
  },
  { title: "a mode as text", record: () => ({ ...declaration(), mode: "9610" }), path: "$.mode", says: /as a number/ },
  {
    title: "a 9710 报关单 without its entryId",
    record: () => ({ ...declaration(), mode: 9710 }),
    path: "$.entryId",
    says: /a 9710 declaration is a 报关单; give its 18-digit number/,
  },
];

const PEOPLE = (set: DemoSet, doc: string, field: string) => {
  const p = demo(set, doc)[field];
  return [p.name, p.idNumber, p.telephone, p.address, demo(set, doc).privacySalt].filter(Boolean) as string[];
};

describe("customs: document records", () => {
  it("reads every demo record and names its document number", () => {
    const numbers: Record<string, string> = {};
    for (const set of readdirSync(DEMO_DIR)) {
      for (const file of readdirSync(join(DEMO_DIR, set))) {
        const doc = file.replace(/\.json$/, "");
        numbers[`${set}/${doc}`] = documentNumber(parseCustomsRecord(demo(set as DemoSet, doc)));
      }
    }
    expect(numbers).to.deep.equal({
      "9610-amount-mismatch/declaration": "53162026E000012346",
      "9610-amount-mismatch/order": "SO202603020002",
      "9610-amount-mismatch/payment": "PAY202603020002",
      "9610-amount-mismatch/waybill": "YT7840010002@20260302",
      "9610-clean/declaration": "53162026E000012345",
      "9610-clean/order": "SO202603020001",
      "9610-clean/payment": "PAY202603020001",
      "9610-clean/waybill": "YT7840010001@20260302",
      "9810-overseas-warehouse/booking": "DE-BK-20260303-01",
      "9810-overseas-warehouse/declaration": "531620261000000123",
      "9810-overseas-warehouse/order": "EU202604100042",
      "9810-overseas-warehouse/payment": "PAY202604100042",
      "9810-overseas-warehouse/waybill": "YT7840020001@20260304",
    });
  });

  it("a waybill is numbered with its issue date as written (the issuer's local date, not UTC)", () => {
    const w = { ...demo("9610-clean", "waybill"), time: "2026-03-02T01:30:00+08:00" }; // 2026-03-01 in UTC
    expect(documentNumber(parseCustomsRecord(w))).to.equal("YT7840010001@20260302");
  });

  for (const row of BAD) {
    it(`refuses ${row.title}, naming ${row.path}`, () => {
      const e = refusal(() => parseCustomsRecord(row.record()));
      expect(e.path).to.equal(row.path);
      expect(e.message).to.match(row.says);
      expect(e.message.startsWith(row.path)).to.equal(true);
    });
  }

  it("ATTACK: an all-zero privacySalt is refused (buyerRef could then be found by trying ID numbers)", () => {
    const e = refusal(() => parseCustomsRecord({ ...order(), privacySalt: `0x${"0".repeat(64)}` }));
    expect(e.path).to.equal("$.privacySalt");
    expect(e.message).to.match(/all zeros/);
  });

  it("ATTACK: a public form carrying the salt is refused", () => {
    const pub = { ...publicForm(order()), privacySalt: order().privacySalt };
    const e = refusal(() => parseCustomsRecord(pub));
    expect(e.path).to.equal("$.privacySalt");
    expect(e.message).to.match(/must not be in a public form/);
  });

  it("ATTACK: personal data in fields the format does not define is refused, at any depth", () => {
    const o1 = order();
    o1.buyer.passportScan = "data:image/png;base64,AAAA";
    expect(refusal(() => parseCustomsRecord(o1)).path).to.equal("$.buyer.passportScan");
    const o2 = order();
    o2.goods[0].recipient = { name: "Anna Schmidt" };
    expect(refusal(() => parseCustomsRecord(o2)).path).to.equal("$.goods[0].recipient");
    const pub = publicForm(order()) as unknown as { buyer: Record<string, unknown> };
    pub.buyer.name = "Anna Schmidt";
    expect(refusal(() => parseCustomsRecord(pub)).path).to.equal("$.buyer.name");
  });

  it("the public form of every private demo record carries no name, ID number, telephone, address or salt", () => {
    const cases: Array<[DemoSet, string, string]> = [
      ["9610-clean", "order", "buyer"],
      ["9610-clean", "payment", "payer"],
      ["9610-clean", "waybill", "consignee"],
      ["9810-overseas-warehouse", "waybill", "consignee"],
      ["9810-overseas-warehouse", "order", "buyer"],
    ];
    for (const [set, doc, field] of cases) {
      const text = JSON.stringify(publicForm(demo(set, doc)));
      for (const value of PEOPLE(set, doc, field)) expect(text, `${set}/${doc}: ${value}`).not.to.include(value);
      const pub = publicForm(demo(set, doc)) as unknown as Record<string, Record<string, string>>;
      expect(pub.form).to.equal("public");
      expect(Object.keys(pub[field]).sort()).to.deep.equal(
        ["addressHash", "buyerRef", "telephoneHash"].filter(
          (k) => k !== "telephoneHash" || demo(set, doc)[field].telephone,
        ),
      );
    }
  });

  const LEAKS: Array<{ title: string; change: (o: ReturnType<typeof order>) => void; path: string; what: string }> = [
    {
      title: "the buyer's name in a goods name",
      change: (o) => (o.goods[0].name = "Gift for Anna Schmidt"),
      path: "$.goods[0].name",
      what: "name",
    },
    {
      title: "the name in upper case with a zero-width space",
      change: (o) => (o.goods[1].name = "ANNA\u200bSCHMIDT charger"),
      path: "$.goods[1].name",
      what: "name",
    },
    {
      title: "the passport number in full-width digits",
      change: (o) => (o.goods[0].name = "Headphones Ｃ０１Ｘ００Ｔ４７"),
      path: "$.goods[0].name",
      what: "identity number",
    },
    {
      title: "the telephone with other spacing",
      change: (o) => (o.goods[0].name = "call +49-30-123 4567"),
      path: "$.goods[0].name",
      what: "telephone",
    },
    {
      title: "the address with other spacing and case",
      change: (o) => (o.goods[1].name = "to HAUPTSTRASSE 5,10115 berlin, de"),
      path: "$.goods[1].name",
      what: "address",
    },
    {
      title: "the name inside the order number",
      change: (o) => (o.orderNo = "ANNASCHMIDT-01"),
      path: "$.orderNo",
      what: "name",
    },
    {
      title: "a Chinese name split by spaces",
      change: (o) => {
        o.buyer.name = "张三丰";
        o.goods[0].name = "耳机 张 三 丰 收";
      },
      path: "$.goods[0].name",
      what: "name",
    },
  ];
  for (const leak of LEAKS) {
    it(`ATTACK: ${leak.title} is refused when making the public form`, () => {
      const o = order();
      leak.change(o);
      expect(() => parseCustomsRecord(o)).not.to.throw(); // a private record may say anything
      const e = refusal(() => publicForm(o));
      expect(e).to.be.instanceOf(CustomsPersonalDataError);
      expect(e.path).to.equal(leak.path);
      expect(e.message).to.include(`contains the ${leak.what} of a person named on the record`);
      expect(() => customsRecordHash(o)).to.throw(CustomsPersonalDataError);
    });
  }

  it("the chain's recordHash is the hash of the public form: the private form reproduces it", () => {
    for (const doc of ["order", "payment", "waybill", "declaration"] as const) {
      const record = demo9610()[doc];
      const pub = publicForm(record);
      expect(customsRecordHash(record)).to.equal(recordHash(pub));
      expect(customsRecordHash(pub)).to.equal(customsRecordHash(record));
      expect(publicForm(pub)).to.deep.equal(pub);
    }
    // Spelling the record does not change: trimmed text, a 13-digit GTIN, key order.
    const o = order();
    o.orderNo = ` ${o.orderNo} `;
    o.goods[0].gtin = o.goods[0].gtin.slice(1);
    const reordered = Object.fromEntries(Object.entries(o).reverse());
    expect(customsRecordHash(reordered)).to.equal(customsRecordHash(order()));
  });

  it("ATTACK: another buyer, telephone or address in the private form, or a changed public buyerRef, gives another recordHash", () => {
    const anchored = customsRecordHash(order());
    const changes: Array<(o: ReturnType<typeof order>) => void> = [
      (o) => (o.buyer.name = "Anna Schmitt"),
      (o) => (o.buyer.idNumber = "C01X00T48"),
      (o) => (o.buyer.telephone = "+49 30 1234568"),
      (o) => (o.buyer.address = "Hauptstraße 6, 10115 Berlin, DE"),
      (o) => (o.privacySalt = `0x${"cd".repeat(32)}`),
    ];
    for (const change of changes) {
      const o = order();
      change(o);
      expect(customsRecordHash(o)).not.to.equal(anchored);
    }
    const pub = publicForm(order()) as unknown as { buyer: { buyerRef: string } };
    pub.buyer.buyerRef = `0x${"ee".repeat(32)}`;
    expect(customsRecordHash(pub)).not.to.equal(anchored);
  });
});
