/**
 * The three-document match (三单对碰) field by field: the clean demo set agrees, and each field made wrong in
 * turn is reported on that document and field alone, with the ledger's terms comparison agreeing on which
 * document differs.
 */
import { expect } from "chai";
import { matchDocuments, publicForm } from "../../src/customs";
import { demo, demo9610 } from "./demoRecords";

type Set9610 = ReturnType<typeof demo9610>;
const reported = (v: ReturnType<typeof matchDocuments>) =>
  v.disagreements.map((d) => `${d.document}.${d.field}${d.line !== undefined ? `[${d.line}]` : ""}`).sort();

const OTHER_PERSON = { idType: "PASSPORT", idNumber: "X99999999", name: "Eve Mallory", address: "1 Elsewhere Road" };

/** Each row changes one thing of the clean 9610 set and names what the match must report, exactly. */
const WRONG: Array<{ title: string; change: (s: Set9610) => void; expect: string[] }> = [
  { title: "payment order number", change: (s) => (s.payment.orderNo = "SO202603029999"), expect: ["payment.orderNo"] },
  { title: "payment platform", change: (s) => (s.payment.ebpCode = "91440300MA5DEM009A"), expect: ["payment.ebpCode"] },
  {
    title: "payment amount (freight not paid)",
    change: (s) => (s.payment.amount = "129.00"),
    expect: ["payment.amount"],
  },
  { title: "payment currency", change: (s) => (s.payment.currency = "EUR"), expect: ["payment.currency"] },
  { title: "payer identity", change: (s) => (s.payment.payer = OTHER_PERSON), expect: ["payment.buyer"] },
  {
    title: "payer identity hashed with another salt",
    change: (s) => (s.payment.privacySalt = `0x${"ab".repeat(32)}`),
    expect: ["payment.buyer"],
  },
  { title: "waybill order number", change: (s) => (s.waybill.orderNo = "SO202603029999"), expect: ["waybill.orderNo"] },
  { title: "waybill platform", change: (s) => (s.waybill.ebpCode = "91440300MA5DEM009A"), expect: ["waybill.ebpCode"] },
  { title: "waybill total quantity", change: (s) => (s.waybill.quantity = 4), expect: ["waybill.quantity"] },
  {
    title: "consignee identity",
    change: (s) => (s.waybill.consignee.idNumber = "C01X00T48"),
    expect: ["waybill.buyer"],
  },
  {
    title: "waybill goods GTIN",
    change: (s) => (s.waybill.goods[0].gtin = "06901234567816"),
    expect: ["waybill.item[1]"],
  },
  {
    title: "waybill goods HS code",
    change: (s) => (s.waybill.goods[1].hsCode = "8504409999"),
    expect: ["waybill.hsCode[2]"],
  },
  {
    title: "waybill goods line quantity (total kept)",
    change: (s) => {
      s.waybill.goods[0].quantity = 1;
      s.waybill.goods[1].quantity = 2;
    },
    expect: ["waybill.quantity[1]", "waybill.quantity[2]"],
  },
  { title: "waybill goods unit", change: (s) => (s.waybill.goods[0].unit = "007"), expect: ["waybill.unit[1]"] },
  {
    title: "waybill goods line missing",
    change: (s) => {
      s.waybill.goods.pop();
      s.waybill.quantity = 2;
    },
    expect: ["waybill.line[2]", "waybill.quantity"],
  },
  {
    title: "waybill goods line added",
    change: (s) => {
      s.waybill.goods.push({ lineNo: 3, itemNo: "GIFT-1", hsCode: "4819100000", quantity: 1, unit: "011" });
      s.waybill.quantity = 4;
    },
    expect: ["waybill.line[3]", "waybill.quantity"],
  },
  {
    title: "order line total (not quantity × unit price)",
    change: (s) => (s.order.goods[0].total = "100.00"),
    expect: ["order.goodsValue", "order.total[1]"],
  },
  {
    title: "order goods value (not the sum of the lines), so neither the payment nor the list covers it",
    change: (s) => (s.order.goodsValue = "130.00"),
    expect: ["order.goodsValue", "payment.amount", "declaration.goodsValue"],
  },
  {
    title: "list order number",
    change: (s) => (s.declaration.orderNo = "SO202603029999"),
    expect: ["declaration.orderNo"],
  },
  {
    title: "list platform",
    change: (s) => (s.declaration.ebpCode = "91440300MA5DEM009A"),
    expect: ["declaration.ebpCode"],
  },
  {
    title: "list waybill number",
    change: (s) => (s.declaration.logisticsNo = "YT7840019999"),
    expect: ["declaration.logisticsNo"],
  },
  {
    title: "list logistics firm",
    change: (s) => (s.declaration.logisticsCode = "91440300MA5DEM005M"),
    expect: ["declaration.logisticsCode"],
  },
  {
    title: "list goods HS code",
    change: (s) => (s.declaration.goods[1].hsCode = "8504400000"),
    expect: ["declaration.hsCode[2]"],
  },
  {
    title: "list declared value",
    change: (s) => (s.declaration.goods[1].total = "21.00"),
    expect: ["declaration.goodsValue"],
  },
  { title: "list currency", change: (s) => (s.declaration.currency = "HKD"), expect: ["declaration.currency"] },
  {
    title: "list mode (a 9710 报关单 is not a retail list)",
    change: (s) => {
      s.declaration.mode = 9710;
      s.declaration.entryId = "531620261000000999";
    },
    expect: ["declaration.mode"],
  },
];

describe("customs: the three-document match, field by field", () => {
  it("the clean 9610 set agrees, as private forms and as public forms, with the same on-chain terms", () => {
    const set = demo9610();
    const verdict = matchDocuments(set);
    expect(verdict.ok).to.equal(true);
    expect(verdict.disagreements).to.deep.equal([]);
    expect(verdict.missing).to.deep.equal([]);
    expect(verdict.terms.paymentMatchesOnChain).to.equal(true);
    expect(verdict.terms.waybillMatchesOnChain).to.equal(true);

    // The regulator (or the platform) matches without personal data: people compare by buyerRef.
    const pub = matchDocuments({
      order: publicForm(set.order),
      payment: publicForm(set.payment),
      waybill: publicForm(set.waybill),
      declaration: publicForm(set.declaration),
    });
    expect(pub.ok).to.equal(true);
    expect(pub.terms).to.deep.equal(verdict.terms);
  });

  it("numbers compare in canonical form: a lower-case order number on the payment is the same order", () => {
    const set = demo9610();
    set.payment.orderNo = " so202603020001 ";
    const verdict = matchDocuments(set);
    expect(verdict.ok).to.equal(true);
    expect(verdict.terms.paymentMatchesOnChain).to.equal(true);
  });

  for (const row of WRONG) {
    it(`ATTACK: wrong ${row.title} → ${row.expect.join(", ")}`, () => {
      const set = demo9610();
      row.change(set);
      const verdict = matchDocuments(set);
      expect(verdict.ok).to.equal(false);
      expect(reported(verdict)).to.deep.equal([...row.expect].sort());
      expect(verdict.missing).to.deep.equal([]);
      // The ledger compares terms hashes only; it must disagree exactly where the fields do.
      const docs = new Set(verdict.disagreements.map((d) => d.document));
      expect(verdict.terms.paymentMatchesOnChain).to.equal(!docs.has("payment"));
      expect(verdict.terms.waybillMatchesOnChain).to.equal(!docs.has("waybill"));
    });
  }

  it("explains each disagreement in English and Chinese, with the values compared", () => {
    const verdict = matchDocuments(demo9610("9610-amount-mismatch"));
    expect(verdict.disagreements).to.deep.equal([
      {
        document: "payment",
        field: "amount",
        expected: "139.00 USD",
        actual: "129.00 USD",
        against: "order",
        explain: {
          en: "payment amount 129.00 USD differs from the order's 139.00 USD",
          zh: "收款单金额 129.00 USD 与订单金额 139.00 USD 不符",
        },
      },
    ]);

    const set = demo9610();
    set.waybill.goods[1].hsCode = "8504409999";
    set.order.goods[0].total = "100.00";
    set.order.goodsValue = "131.00";
    set.payment.amount = "141.00";
    const texts = matchDocuments(set).disagreements.map((d) => d.explain);
    expect(texts).to.deep.equal([
      {
        en: "order goods line 1 line total 100.00 USD differs from quantity × unit price, 98.00 USD",
        zh: "订单第1项商品总价 100.00 USD 与数量×单价 98.00 USD 不符",
      },
      {
        en: "waybill goods line 2 HS code 8504409999 differs from the order's 8504403000",
        zh: "运单第2项商品HS编码 8504409999 与订单第2项商品HS编码 8504403000 不符",
      },
      {
        en: "declaration list goods value 129.00 USD differs from the order's 131.00 USD",
        zh: "申报清单商品总价 129.00 USD 与订单商品总价 131.00 USD 不符",
      },
    ]);
  });

  it("reports what is missing: an absent payment or waybill, and a waybill without the order number", () => {
    const set = demo9610();
    delete set.waybill.orderNo;
    const verdict = matchDocuments({ order: set.order, waybill: set.waybill });
    expect(verdict.ok).to.equal(false);
    expect(verdict.disagreements).to.deep.equal([]);
    expect(verdict.missing).to.deep.equal([
      { document: "payment", explain: { en: "the payment is missing", zh: "缺少收款单" } },
      {
        document: "waybill",
        field: "orderNo",
        explain: { en: "the waybill has no order number", zh: "运单缺少订单编号" },
      },
    ]);
    expect(verdict.terms.waybillMatchesOnChain).to.equal(false);
  });

  it("9810: the overseas sale's order and payment agree after export (the waybill carried a booking, not an order)", () => {
    const verdict = matchDocuments({
      order: demo("9810-overseas-warehouse", "order"),
      payment: demo("9810-overseas-warehouse", "payment"),
    });
    expect(verdict.disagreements).to.deep.equal([]);
    expect(verdict.missing.map((m) => m.document)).to.deep.equal(["waybill"]);
    expect(verdict.terms.paymentMatchesOnChain).to.equal(true);
  });

  it("ATTACK: documents in the wrong slots are refused, not matched", () => {
    const set = demo9610();
    expect(() => matchDocuments({ order: set.payment, payment: set.order })).to.throw(
      /\$\.kind is PAYMENT, but ORDER is needed here/,
    );
  });
});
