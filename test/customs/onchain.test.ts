/**
 * The ledger inputs of customs records: every field of `CustomsDocumentInput` recomputed from the record's
 * values through the identifiers, the goods reference's canonical lines, and the citations a declaration or
 * summary may carry (attacks: citing another order's payment, the wrong kinds, a list not summed).
 */
import { expect } from "chai";
import { encodeAbiParameters, keccak256 } from "viem";
import {
  buyerRef,
  CustomsInputError,
  customsRecordHash,
  documentId,
  documentIdOf,
  documentInput,
  documentNumberHash,
  DOCUMENT_KINDS,
  goodsRef,
  orderRef,
  paymentTerms,
  shipmentTerms,
  ZERO_HASH,
  type GoodsLine,
} from "../../src/customs";
import { encodeLocation } from "../../src/epcis";
import { demo, demo9610 } from "./demoRecords";

const UNIT = `0x${"12".repeat(32)}` as const;
const ORG = { exporter: 1, carrier: 4, broker: 5, bank: 10 };

describe("customs: ledger inputs of document records", () => {
  it("an order, its payment and its waybill: numbers, orderRef and terms recomputed from their values", () => {
    const { order, payment, waybill } = demo9610();
    const ref = orderRef("91440300MA5DEM007U", "SO202603020001");
    const buyer = buyerRef(order.privacySalt, order.buyer);
    const goods = goodsRef(order.goods);
    const pay = paymentTerms({ orderRef: ref, currency: "USD", amountMinor: 13900n, buyerRef: buyer });
    const ship = shipmentTerms({ orderRef: ref, goodsRef: goods, totalQuantity: 3n, buyerRef: buyer });

    expect(documentInput(order, UNIT)).to.deep.equal({
      unit: UNIT,
      kind: DOCUMENT_KINDS.ORDER,
      numberHash: documentNumberHash("SO202603020001"),
      orderRef: ref,
      terms: [pay, ship],
      mode: 0,
      cites: [],
      eventTime: Date.parse("2026-03-02T09:15:00+08:00") / 1000,
      location: 0n,
      recordHash: customsRecordHash(order),
    });
    const p = documentInput(payment, UNIT);
    expect([p.kind, p.numberHash, p.orderRef, p.terms]).to.deep.equal([
      DOCUMENT_KINDS.PAYMENT,
      documentNumberHash("PAY202603020001"),
      ref,
      [pay, ZERO_HASH],
    ]);
    const w = documentInput(waybill, UNIT);
    expect([w.kind, w.numberHash, w.orderRef, w.terms, w.location]).to.deep.equal([
      DOCUMENT_KINDS.WAYBILL,
      documentNumberHash("YT7840010001@20260302"),
      ref,
      [ZERO_HASH, ship],
      encodeLocation("6901234000054"),
    ]);
  });

  it("goodsRef: lines in line-number order; GTIN-13 or -14, names and prices do not change it; quantity does", () => {
    const lines: GoodsLine[] = demo("9610-clean", "order").goods;
    const ref = goodsRef(lines);
    const respelled = [...lines].reverse().map((l) => ({ ...l, gtin: l.gtin!.slice(1), name: "x" }));
    expect(goodsRef(respelled)).to.equal(ref);
    expect(goodsRef(demo("9610-clean", "waybill").goods)).to.equal(ref);
    expect(goodsRef([{ ...lines[0], quantity: 3 }, lines[1]])).not.to.equal(ref);
    expect(goodsRef([{ ...lines[0], lineNo: 3 }, lines[1]])).not.to.equal(ref); // other order of the lines
    // The encoding the contract part and any other implementation must follow, pinned on one line.
    const one = [{ lineNo: 1, itemNo: "sku-7", hsCode: "8518300000", quantity: 2, unit: "011" }];
    expect(goodsRef(one)).to.equal(
      keccak256(
        encodeAbiParameters(
          [
            { type: "string" },
            {
              type: "tuple[]",
              components: [{ type: "string" }, { type: "string" }, { type: "uint256" }, { type: "string" }],
            },
          ],
          ["cbec-trace:goods", [["item:SKU-7", "8518300000", 2n, "011"]]],
        ),
      ),
    );
  });

  it("a 9610 list cites the three documents as the docIds the ledger derives from their issuers", () => {
    const { order, payment, waybill, declaration } = demo9610();
    const d = documentInput(declaration, UNIT, [
      { record: order, issuerOrg: ORG.exporter },
      { record: payment, issuerOrg: ORG.bank },
      { record: waybill, issuerOrg: ORG.carrier },
    ]);
    expect(d.kind).to.equal(DOCUMENT_KINDS.DECLARATION);
    expect(d.mode).to.equal(9610);
    expect(d.numberHash).to.equal(documentNumberHash("53162026E000012345"));
    expect(d.orderRef).to.equal(orderRef("91440300MA5DEM007U", "SO202603020001"));
    expect(d.terms).to.deep.equal([ZERO_HASH, ZERO_HASH]);
    expect(d.cites).to.deep.equal([
      documentId(DOCUMENT_KINDS.ORDER, ORG.exporter, documentNumberHash("SO202603020001")),
      documentId(DOCUMENT_KINDS.PAYMENT, ORG.bank, documentNumberHash("PAY202603020001")),
      documentId(DOCUMENT_KINDS.WAYBILL, ORG.carrier, documentNumberHash("YT7840010001@20260302")),
    ]);
  });

  it("a 9810 报关单 is numbered by its entryId, carries no orderRef and cites the booking and the waybill", () => {
    const set = "9810-overseas-warehouse";
    const d = documentInput(demo(set, "declaration"), UNIT, [
      { record: demo(set, "booking"), issuerOrg: ORG.exporter },
      { record: demo(set, "waybill"), issuerOrg: ORG.carrier },
    ]);
    expect([d.mode, d.numberHash, d.orderRef]).to.deep.equal([
      9810,
      documentNumberHash("531620261000000123"),
      ZERO_HASH,
    ]);
    expect(d.cites).to.deep.equal([documentIdOf(demo(set, "booking"), 1), documentIdOf(demo(set, "waybill"), 4)]);
    // The waybill to the warehouse has no order: its shipment terms carry orderRef 0.
    expect(documentInput(demo(set, "waybill"), UNIT).orderRef).to.equal(ZERO_HASH);
  });

  it("ATTACK: a list citing another order's payment (one payment backing two shipments) is refused", () => {
    const clean = demo9610();
    const other = demo9610("9610-amount-mismatch");
    expect(() =>
      documentInput(clean.declaration, UNIT, [
        { record: clean.order, issuerOrg: 1 },
        { record: other.payment, issuerOrg: 10 },
        { record: clean.waybill, issuerOrg: 4 },
      ]),
    ).to.throw(CustomsInputError, /names SO202603020001 for the payment, but the cited payment is SO202603020002/);
  });

  it("ATTACK: a list citing the wrong kinds of document is refused, naming what the mode needs", () => {
    const { order, payment, declaration } = demo9610();
    expect(() =>
      documentInput(declaration, UNIT, [
        { record: order, issuerOrg: 1 },
        { record: payment, issuerOrg: 10 },
        { record: payment, issuerOrg: 10 },
      ]),
    ).to.throw(
      CustomsInputError,
      /a 9610 declaration cites ORDER, PAYMENT, WAYBILL; these are ORDER, PAYMENT, PAYMENT/,
    );
    const set = "9810-overseas-warehouse";
    expect(() =>
      documentInput(demo(set, "declaration"), UNIT, [
        { record: demo(set, "order"), issuerOrg: 1 },
        { record: demo(set, "waybill"), issuerOrg: 4 },
      ]),
    ).to.throw(CustomsInputError, /a 9810 declaration cites BOOKING, WAYBILL; these are ORDER, WAYBILL/);
    expect(() => documentInput(order, UNIT, [{ record: payment, issuerOrg: 10 }])).to.throw(
      CustomsInputError,
      /only declarations and summaries do/,
    );
  });

  it("a summary cites the lists it sums; ATTACK: a list it does not name, or one list twice, is refused", () => {
    const clean = demo9610().declaration;
    const other = demo9610("9610-amount-mismatch").declaration;
    const summary = {
      kind: "SUMMARY",
      time: "2026-03-31T17:00:00+08:00",
      sumNo: "53162026S000000007",
      ebcCode: "91440300MA5DEM0019",
      customsCode: "5316",
      invtNos: ["53162026E000012345", "53162026E000012346"],
    };
    const s = documentInput(summary, UNIT, [
      { record: clean, issuerOrg: 5 },
      { record: other, issuerOrg: 5 },
    ]);
    expect(s.kind).to.equal(DOCUMENT_KINDS.SUMMARY);
    expect(s.cites).to.deep.equal([documentIdOf(clean, 5), documentIdOf(other, 5)]);
    expect(() =>
      documentInput({ ...summary, invtNos: ["53162026E000012345"] }, UNIT, [
        { record: clean, issuerOrg: 5 },
        { record: other, issuerOrg: 5 },
      ]),
    ).to.throw(CustomsInputError, /cite each summed list once/);
    expect(() =>
      documentInput(summary, UNIT, [
        { record: clean, issuerOrg: 5 },
        { record: clean, issuerOrg: 5 },
      ]),
    ).to.throw(CustomsInputError, /cite each summed list once/);
  });

  it("1210: a zone entry, the 报关单 citing it, the FX settlement and the tax refund: numbers, no order, no terms", () => {
    const goods = [{ lineNo: 1, gtin: "06901234567892", hsCode: "8518300000", quantity: 500, unit: "011" }];
    const zone = {
      kind: "ZONE_ENTRY",
      time: "2026-05-06T10:00:00+08:00",
      zoneEntryNo: "QD5316260000000042",
      zoneCode: "5349",
      ebcCode: "91440300MA5DEM0019",
      goods,
    };
    const decl = {
      ...demo("9810-overseas-warehouse", "declaration"),
      mode: 1210,
      entryId: "531620261000000456",
      zoneEntryNo: "QD5316260000000042",
    };
    delete decl.bookingNo;
    const fx = {
      kind: "FX_SETTLEMENT",
      time: "2026-05-20T10:00:00+08:00",
      settlementNo: "FX-2026-0520-01",
      payCode: "4403660001",
      ebcCode: "91440300MA5DEM0019",
      currency: "USD",
      amount: "10000.00",
      cnyAmount: "71850.00",
      payNos: ["PAY202605010001"],
    };
    const refund = {
      kind: "TAX_REFUND",
      time: "2026-06-15T10:00:00+08:00",
      refundNo: "TR4403-2026-000123",
      taxOfficeCode: "14403000000",
      ebcCode: "91440300MA5DEM0019",
      amount: "9340.50",
      declarationNos: ["531620261000000456"],
    };
    const d = documentInput(decl, UNIT, [{ record: zone, issuerOrg: 8 }]);
    expect([d.mode, d.numberHash, d.orderRef, d.cites]).to.deep.equal([
      1210,
      documentNumberHash("531620261000000456"),
      ZERO_HASH,
      [documentId(DOCUMENT_KINDS.ZONE_ENTRY, 8, documentNumberHash("QD5316260000000042"))],
    ]);
    for (const [record, kind, number] of [
      [zone, DOCUMENT_KINDS.ZONE_ENTRY, "QD5316260000000042"],
      [fx, DOCUMENT_KINDS.FX_SETTLEMENT, "FX-2026-0520-01"],
      [refund, DOCUMENT_KINDS.TAX_REFUND, "TR4403-2026-000123"],
    ] as const) {
      const input = documentInput(record, UNIT);
      expect([input.kind, input.numberHash, input.orderRef, input.terms, input.mode]).to.deep.equal([
        kind,
        documentNumberHash(number),
        ZERO_HASH,
        [ZERO_HASH, ZERO_HASH],
        0,
      ]);
    }
    // ATTACK: a 报关单 citing another zone entry than the one it names.
    expect(() =>
      documentInput({ ...decl, zoneEntryNo: "QD5316260000000043" }, UNIT, [{ record: zone, issuerOrg: 8 }]),
    ).to.throw(
      CustomsInputError,
      /names QD5316260000000043 for the zone entry, but the cited zone entry is QD5316260000000042/,
    );
  });

  it("refuses a zero or malformed unit key and a bad issuer organization", () => {
    const { order } = demo9610();
    expect(() => documentInput(order, ZERO_HASH)).to.throw(CustomsInputError, /not a unit key/);
    expect(() => documentInput(order, "0x12" as `0x${string}`)).to.throw(CustomsInputError, /not a unit key/);
    expect(() => documentIdOf(order, 0)).to.throw(CustomsInputError, /not an organization id/);
  });
});
