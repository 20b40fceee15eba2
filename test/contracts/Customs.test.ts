/**
 * Customs documents on the ledger (issue 14): the four modes' whole flows, who may file what, and rules 1
 * and 2 (a document is filed once; a declaration cites exactly what its mode needs, on its own unit, each
 * document backing one declaration, with the three-document match of 9610). Each attack next to the
 * legitimate flow it imitates. FX, refund, return and repacking rules: `CustomsRefund.test.ts`.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  consignmentKey,
  itemKey,
  registration,
  traceInput,
  deployCustomsLedger,
  type CustomsLedgerFixture,
  type CustomsMemberName,
  EVENT_TIME,
} from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { encodedError, tracedLogs } from "../helpers/reads";
import { declaration, doc, file, fileSupporting, idOf, termsOf } from "../helpers/customs";
import {
  CUSTOMS_DOCUMENT_KINDS as KIND,
  CUSTOMS_FLAGS,
  DOCUMENT_KIND_NAMES,
  DOCUMENT_KIND_STEPS,
  STAGES,
  STEPS,
  roleMask,
  type StepName,
} from "../../src/codes";
import { afterDelay } from "../helpers/governance";
import { documentNumberHash } from "../../src/customs/identifiers";

const ZERO = ethers.ZeroHash;
const [A, B, C, D] = [1, 2, 3, 4].map((n) => consignmentKey(n));
const ITEM = itemKey(1);
const ISSUERS: CustomsMemberName[] = ["platform", "payment", "carrier", "broker", "warehouse"];

/** The exporter registers A–D and an item, and assigns every document issuer to each. */
const customsFixture = unitsFixture(
  {
    batch: [A, B, C, D, ITEM],
    assigns: [A, B, C, D, ITEM].flatMap((u, i) =>
      ISSUERS.map((m) => [u, m, `${m}:${i}`] as [string, CustomsMemberName, string]),
    ),
  },
  deployCustomsLedger,
);

const rec = (f: CustomsLedgerFixture, who: CustomsMemberName, unit: string, step: StepName) =>
  f.ledger.connect(f.accounts[who]).record(traceInput(unit, step));

async function customsState(f: CustomsLedgerFixture, unit: string) {
  const [mode, declaration, flags] = await f.ledger.customsState(unit);
  return { mode: Number(mode), declaration, flags: Number(flags) };
}

describe("Customs documents: filing, modes and the three-document match", () => {
  describe("whole flows", () => {
    it("9610: order → payment → waybill → declaration → release → departure → exit → FX → refund", async () => {
      const f = await loadFixture(customsFixture);
      const t = termsOf({ orderNo: "SO-1" });
      const order = doc(A, "ORDER", "so-1 ", { orderRef: t.orderRef, terms: [t.payment, t.shipment] });
      const tx = await file(f, "platform", order);
      const orderId = idOf(f, "platform", "ORDER", "SO-1");
      await expect(tx)
        .to.emit(f.ledger, "CustomsDocumentFiled")
        .withArgs(
          A,
          orderId,
          documentNumberHash("SO-1"),
          KIND.ORDER,
          f.orgIds.platform,
          t.orderRef,
          0,
          order.recordHash,
        );
      // The filing is one history entry of the kind's step, data = the record hash, like `record`.
      const [traced] = await tracedLogs(f.ledger, tx);
      expect([traced.unit, traced.data, traced.step, traced.org]).to.deep.equal([
        A,
        order.recordHash,
        STEPS.ORDER_PLACED,
        f.orgIds.platform,
      ]);
      await file(f, "payment", doc(A, "PAYMENT", "PAY-1", { orderRef: t.orderRef, terms: [t.payment, ZERO] }));
      await file(f, "carrier", doc(A, "WAYBILL", "W1@20260101", { orderRef: t.orderRef, terms: [ZERO, t.shipment] }));
      const cites = [orderId, idOf(f, "payment", "PAYMENT", "PAY-1"), idOf(f, "carrier", "WAYBILL", "W1@20260101")];
      await file(f, "broker", doc(A, "DECLARATION", "INV-1", { mode: 9610, cites, orderRef: t.orderRef }));
      const declId = idOf(f, "broker", "DECLARATION", "INV-1");
      expect(await customsState(f, A)).to.deep.equal({
        mode: 9610,
        declaration: declId,
        flags: CUSTOMS_FLAGS.PAYMENT | CUSTOMS_FLAGS.DECLARED,
      });
      expect((await f.ledger.unitState(A)).stage).to.equal(STAGES.DECLARED);
      const cited = await f.ledger.customsDocument(cites[1]);
      expect([cited.kind, cited.issuerOrg, cited.unit, cited.orderRef, cited.citedBy]).to.deep.equal([
        BigInt(KIND.PAYMENT),
        BigInt(f.orgIds.payment),
        A,
        t.orderRef,
        declId,
      ]);
      expect(cited.terms).to.deep.equal([t.payment, ZERO]);
      expect(cited.filedBlock).to.be.greaterThan(0n);
      await rec(f, "customs", A, "CUSTOMS_RELEASED");
      await rec(f, "carrier", A, "DEPARTING");
      await rec(f, "customs", A, "CUSTOMS_EXITED");
      await file(f, "payment", doc(A, "FX_SETTLEMENT", "FX-1"));
      await file(f, "tax", doc(A, "TAX_REFUND", "TR-1"));
      const s = await customsState(f, A);
      expect(s.flags).to.equal(
        CUSTOMS_FLAGS.PAYMENT |
          CUSTOMS_FLAGS.DECLARED |
          CUSTOMS_FLAGS.EXPORTED |
          CUSTOMS_FLAGS.FX_SETTLED |
          CUSTOMS_FLAGS.REFUNDED,
      );
      // Registration, 5 assignments, 4 documents, release, departure, exit, FX and refund: one entry each.
      expect((await f.ledger.unitState(A)).seq).to.equal(15n);
    });

    it("9710: order + waybill (terms matched), declaration, release, departure, exit, payment, FX, refund", async () => {
      const f = await loadFixture(customsFixture);
      const cites = await fileSupporting(f, B, 9710, "b2b");
      await file(f, "broker", declaration(B, 9710, "b2b", cites));
      expect((await customsState(f, B)).mode).to.equal(9710);
      await rec(f, "customs", B, "CUSTOMS_RELEASED");
      await rec(f, "carrier", B, "DEPARTING");
      await rec(f, "customs", B, "CUSTOMS_EXITED");
      const t = termsOf({ orderNo: "O-b2b" });
      await file(f, "payment", doc(B, "PAYMENT", "P-b2b", { orderRef: t.orderRef, terms: [t.payment, ZERO] }));
      await file(f, "payment", doc(B, "FX_SETTLEMENT", "FX-b2b"));
      await expect(file(f, "tax", doc(B, "TAX_REFUND", "TR-b2b"))).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("9810: booking + waybill, declaration, exit; the order and payment after departure; FX after the sale", async () => {
      const f = await loadFixture(customsFixture);
      const cites = await fileSupporting(f, C, 9810, "ow");
      await file(f, "broker", declaration(C, 9810, "ow", cites));
      await rec(f, "customs", C, "CUSTOMS_RELEASED");
      await rec(f, "carrier", C, "DEPARTING");
      await rec(f, "customs", C, "CUSTOMS_EXITED");
      // Before the overseas sale there is no payment: no FX either.
      await expect(file(f, "payment", doc(C, "FX_SETTLEMENT", "FX-ow")))
        .to.be.revertedWithCustomError(f.ledger, "CustomsPaymentMissing")
        .withArgs(C);
      const t = termsOf({ orderNo: "OVERSEAS-1" });
      await file(
        f,
        "platform",
        doc(C, "ORDER", "OVERSEAS-1", { orderRef: t.orderRef, terms: [t.payment, t.shipment] }),
      );
      await file(f, "payment", doc(C, "PAYMENT", "P-ow", { orderRef: t.orderRef, terms: [t.payment, ZERO] }));
      await file(f, "payment", doc(C, "FX_SETTLEMENT", "FX-ow"));
      await file(f, "tax", doc(C, "TAX_REFUND", "TR-ow"));
      expect((await customsState(f, C)).flags & CUSTOMS_FLAGS.REFUNDED).to.equal(CUSTOMS_FLAGS.REFUNDED);
    });

    it("1210: zone entry, declaration (the entry counts as the export), payment, FX, refund with no exit", async () => {
      const f = await loadFixture(customsFixture);
      const cites = await fileSupporting(f, D, 1210, "zone");
      await file(f, "broker", declaration(D, 1210, "zone", cites));
      const s = await customsState(f, D);
      expect(s.flags & CUSTOMS_FLAGS.EXPORTED).to.equal(CUSTOMS_FLAGS.EXPORTED);
      const t = termsOf({ orderNo: "Z-1" });
      await file(f, "payment", doc(D, "PAYMENT", "P-zone", { orderRef: t.orderRef, terms: [t.payment, ZERO] }));
      await file(f, "payment", doc(D, "FX_SETTLEMENT", "FX-zone"));
      await file(f, "tax", doc(D, "TAX_REFUND", "TR-zone"));
      expect((await f.ledger.unitState(D)).stage).to.equal(STAGES.DECLARED);
    });

    it("each kind records its own step (the SDK's DOCUMENT_KIND_STEPS mirrors CustomsDocuments.stepOf)", async () => {
      const f = await loadFixture(customsFixture);
      // Every kind on one unit, by one organization the matrix is widened for (customs: in scope everywhere).
      const steps = DOCUMENT_KIND_NAMES.map((k) => STEPS[DOCUMENT_KIND_STEPS[k]]);
      await (
        await afterDelay(
          f.ledger,
          "setPermissions",
          steps,
          steps.map(() => roleMask("CUSTOMS")),
        )
      ).wait();
      const t = termsOf({ orderNo: "K" });
      const shapes: Record<string, Parameters<typeof doc>[3]> = {
        ORDER: { orderRef: t.orderRef, terms: [t.payment, t.shipment] },
        PAYMENT: { orderRef: t.orderRef, terms: [t.payment, ZERO] },
        WAYBILL: { terms: [ZERO, t.shipment] },
        DECLARATION: {
          mode: 9810,
          cites: [idOf(f, "customs", "BOOKING", "K-BOOKING"), idOf(f, "customs", "WAYBILL", "K-WAYBILL")],
        },
        SUMMARY: { cites: [idOf(f, "customs", "DECLARATION", "K-DECLARATION")] },
      };
      for (const kind of ["ORDER", "PAYMENT", "BOOKING", "WAYBILL", "DECLARATION", "SUMMARY", "ZONE_ENTRY"] as const) {
        const tx = await file(f, "customs", doc(ITEM, kind, `K-${kind}`, shapes[kind] ?? {}));
        const [traced] = await tracedLogs(f.ledger, tx);
        expect(traced.step, kind).to.equal(STEPS[DOCUMENT_KIND_STEPS[kind]]);
      }
      expect(DOCUMENT_KIND_NAMES.map((k) => KIND[k])).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });

  describe("who files", () => {
    it("an exporter filing a PAYMENT is refused (role): only a payment institution files payments", async () => {
      const f = await loadFixture(customsFixture);
      const t = termsOf({ orderNo: "R" });
      const payment = doc(A, "PAYMENT", "P-R", { orderRef: t.orderRef, terms: [t.payment, ZERO] });
      await expect(file(f, "exporter", payment))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
        .withArgs(f.accounts.exporter.address, f.orgIds.exporter, STEPS.PAYMENT_RECEIVED, 1);
      await expect(file(f, "payment", payment)).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("a payment institution not assigned to the unit is refused (scope); the tax authority writes anywhere", async () => {
      const f = await loadFixture(customsFixture);
      const u = itemKey(9);
      await f.ledger.connect(f.accounts.exporter).register(registration(u));
      const t = termsOf({ orderNo: "S" });
      const payment = doc(u, "PAYMENT", "P-S", { orderRef: t.orderRef, terms: [t.payment, ZERO] });
      await expect(file(f, "payment", payment))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(u, f.orgIds.payment);
      await f.ledger.connect(f.accounts.exporter).assign(u, f.orgIds.payment, true, EVENT_TIME, ZERO);
      await expect(file(f, "payment", payment)).to.emit(f.ledger, "CustomsDocumentFiled");
      // The tax authority is a regulator: in scope without an assignment (refused here by rule 4, not scope).
      await expect(file(f, "tax", doc(u, "TAX_REFUND", "TR-S")))
        .to.be.revertedWithCustomError(f.ledger, "CustomsNotExported")
        .withArgs(u);
    });

    it("the admin, a stranger and the wrong roles cannot file; each kind has its default issuers", async () => {
      const f = await loadFixture(customsFixture);
      const booking = doc(A, "BOOKING", "BK");
      await expect(f.ledger.connect(f.admin).fileDocument(booking))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumUnknownAccount")
        .withArgs(f.admin.address);
      await expect(f.ledger.connect(f.stranger).fileDocuments([booking]))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumUnknownAccount")
        .withArgs(f.stranger.address);
      const denied: Array<[CustomsMemberName, StepName, Parameters<typeof doc>]> = [
        ["carrier", "WAREHOUSE_BOOKED", [A, "BOOKING", "BK"]],
        ["platform", "WAYBILL_ISSUED", [A, "WAYBILL", "W", { terms: [ZERO, ZERO.replace(/0$/, "1")] }]],
        ["customs", "CUSTOMS_DECLARED", [A, "DECLARATION", "D", { mode: 1210 }]],
        ["platform", "SUMMARY_DECLARED", [A, "SUMMARY", "S", { cites: [ZERO] }]],
        ["exporter", "FX_SETTLED", [A, "FX_SETTLEMENT", "F"]],
        ["customs", "TAX_REFUNDED", [A, "TAX_REFUND", "T"]],
        ["payment", "ORDER_PLACED", [A, "ORDER", "O"]],
        ["tax", "ENTERING_EXITING", [A, "ZONE_ENTRY", "Z"]],
      ];
      for (const [who, step, args] of denied) {
        await expect(file(f, who, doc(...args)), `${who} ${step}`)
          .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
          .withArgs(f.accounts[who].address, f.orgIds[who], STEPS[step], anyValue);
      }
      await expect(file(f, "warehouse", booking)).to.emit(f.ledger, "CustomsDocumentFiled");
      await expect(file(f, "warehouse", doc(A, "ZONE_ENTRY", "Z"))).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("record refuses every dedicated customs step, pointing the caller to fileDocument", async () => {
      const f = await loadFixture(customsFixture);
      const dedicated: StepName[] = [
        "ORDER_PLACED",
        "PAYMENT_RECEIVED",
        "WAYBILL_ISSUED",
        "WAREHOUSE_BOOKED",
        "CUSTOMS_DECLARED",
        "SUMMARY_DECLARED",
        "FX_SETTLED",
        "TAX_REFUNDED",
      ];
      for (const step of dedicated) {
        await expect(rec(f, "exporter", A, step), step)
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerStepNotRecordable")
          .withArgs(STEPS[step]);
      }
      // ENTERING_EXITING stays recordable: a gate crossing without a zone-entry document is logistics.
      await expect(rec(f, "carrier", A, "ENTERING_EXITING")).to.emit(f.ledger, "Traced");
    });
  });

  describe("rule 1 and the shape of a document", () => {
    it("a document filed twice is refused; the same number by another issuer or of another kind is another document", async () => {
      const f = await loadFixture(customsFixture);
      await file(f, "exporter", doc(A, "BOOKING", "BK-1"));
      await expect(file(f, "exporter", doc(B, "BOOKING", " bk-1")))
        .to.be.revertedWithCustomError(f.ledger, "CustomsDocumentAlreadyFiled")
        .withArgs(idOf(f, "exporter", "BOOKING", "BK-1"), KIND.BOOKING, f.orgIds.exporter);
      await expect(file(f, "warehouse", doc(B, "BOOKING", "BK-1"))).to.emit(f.ledger, "CustomsDocumentFiled");
      await expect(file(f, "warehouse", doc(B, "ZONE_ENTRY", "BK-1"))).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("unknown kinds, malformed fields, modes and citations are refused with what is wrong", async () => {
      const f = await loadFixture(customsFixture);
      const t = termsOf({ orderNo: "M" });
      await expect(file(f, "exporter", { ...doc(A, "BOOKING", "X"), kind: 10 }))
        .to.be.revertedWithCustomError(f.ledger, "CustomsUnknownDocumentKind")
        .withArgs(10);
      await expect(file(f, "exporter", { ...doc(A, "BOOKING", "X"), kind: 0 }))
        .to.be.revertedWithCustomError(f.ledger, "CustomsUnknownDocumentKind")
        .withArgs(0);
      const malformed: Array<[CustomsMemberName, ReturnType<typeof doc>]> = [
        ["exporter", { ...doc(A, "BOOKING", "X"), numberHash: ZERO }],
        ["platform", doc(A, "ORDER", "X", { terms: [t.payment, t.shipment] })],
        ["platform", doc(A, "ORDER", "X", { orderRef: t.orderRef, terms: [t.payment, ZERO] })],
        ["platform", doc(A, "ORDER", "X", { orderRef: t.orderRef, terms: [ZERO, t.shipment] })],
        ["payment", doc(A, "PAYMENT", "X", { terms: [t.payment, ZERO] })],
        ["payment", doc(A, "PAYMENT", "X", { orderRef: t.orderRef, terms: [t.payment, t.shipment] })],
        ["payment", doc(A, "PAYMENT", "X", { orderRef: t.orderRef, terms: [ZERO, ZERO] })],
        ["carrier", doc(A, "WAYBILL", "X", { terms: [t.payment, t.shipment] })],
        ["carrier", doc(A, "WAYBILL", "X", { terms: [ZERO, ZERO] })],
        ["exporter", doc(A, "BOOKING", "X", { terms: [t.payment, ZERO] })],
        ["exporter", doc(A, "BOOKING", "X", { terms: [ZERO, t.shipment] })],
      ];
      for (const [who, d] of malformed) {
        await expect(file(f, who, d))
          .to.be.revertedWithCustomError(f.ledger, "CustomsDocumentMalformed")
          .withArgs(d.kind, d.numberHash, d.orderRef, d.terms);
      }
      for (const mode of [0, 9611, 1]) {
        await expect(file(f, "broker", doc(A, "DECLARATION", "X", { mode })))
          .to.be.revertedWithCustomError(f.ledger, "CustomsInvalidMode")
          .withArgs(KIND.DECLARATION, mode);
      }
      await expect(file(f, "exporter", doc(A, "BOOKING", "X", { mode: 9610 })))
        .to.be.revertedWithCustomError(f.ledger, "CustomsInvalidMode")
        .withArgs(KIND.BOOKING, 9610);
      await expect(file(f, "exporter", doc(A, "BOOKING", "X", { cites: [ZERO] })))
        .to.be.revertedWithCustomError(f.ledger, "CustomsCitesNotExpected")
        .withArgs(KIND.BOOKING, 1);
      await expect(file(f, "broker", doc(A, "SUMMARY", "X")))
        .to.be.revertedWithCustomError(f.ledger, "CustomsCitesNotExpected")
        .withArgs(KIND.SUMMARY, 0);
    });

    it("fileDocuments is all or nothing, wraps an item's refusal with its index, and later items cite earlier ones", async () => {
      const f = await loadFixture(customsFixture);
      const bk = doc(A, "BOOKING", "BB");
      const zone = doc(A, "ZONE_ENTRY", "ZZ");
      const bad = { ...doc(A, "BOOKING", "BC"), kind: 12 };
      await expect(f.ledger.connect(f.accounts.warehouse).fileDocuments([bk, zone, bad]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
        .withArgs(2, encodedError(f.ledger, "CustomsUnknownDocumentKind", [12]));
      expect((await f.ledger.customsDocument(idOf(f, "warehouse", "BOOKING", "BB"))).kind).to.equal(0n);
      await expect(f.ledger.connect(f.accounts.warehouse).fileDocuments([])).to.be.revertedWithCustomError(
        f.ledger,
        "TraceLedgerEmptyBatch",
      );
      await expect(f.ledger.connect(f.accounts.warehouse).fileDocuments(Array(501).fill(bk)))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchTooLarge")
        .withArgs(501, 500);
      // The batch's own checks: role and scope per item.
      await expect(f.ledger.connect(f.accounts.warehouse).fileDocuments([bk, doc(A, "FX_SETTLEMENT", "F")]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
        .withArgs(1, anyValue);
      await expect(f.ledger.connect(f.accounts.warehouse).fileDocuments([doc(itemKey(77), "BOOKING", "U")]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0, encodedError(f.ledger, "TraceLedgerUnknownUnit", [itemKey(77)]));
      const batch = await f.ledger.connect(f.accounts.warehouse).fileDocuments([bk, zone]);
      expect((await tracedLogs(f.ledger, batch)).length).to.equal(2);
      await file(
        f,
        "broker",
        doc(A, "DECLARATION", "DD", { mode: 1210, cites: [idOf(f, "warehouse", "ZONE_ENTRY", "ZZ")] }),
      );
    });
  });

  describe("rule 2: what a declaration cites", () => {
    /** Order, payment and waybill of `facts` on `unit`, each filed by its issuer; the waybill/payment facts may differ. */
    async function three(
      f: CustomsLedgerFixture,
      unit: string,
      tag: string,
      over: { payment?: object; waybill?: object } = {},
    ) {
      const o = termsOf({ orderNo: `O-${tag}` });
      const p = termsOf({ orderNo: `O-${tag}`, ...over.payment });
      const w = termsOf({ orderNo: `O-${tag}`, ...over.waybill });
      await file(
        f,
        "platform",
        doc(unit, "ORDER", `O-${tag}`, { orderRef: o.orderRef, terms: [o.payment, o.shipment] }),
      );
      await file(f, "payment", doc(unit, "PAYMENT", `P-${tag}`, { orderRef: p.orderRef, terms: [p.payment, ZERO] }));
      await file(f, "carrier", doc(unit, "WAYBILL", `W-${tag}`, { orderRef: w.orderRef, terms: [ZERO, w.shipment] }));
      return {
        order: idOf(f, "platform", "ORDER", `O-${tag}`),
        payment: idOf(f, "payment", "PAYMENT", `P-${tag}`),
        waybill: idOf(f, "carrier", "WAYBILL", `W-${tag}`),
        o,
        p,
        w,
      };
    }
    const declare = (
      f: CustomsLedgerFixture,
      unit: string,
      tag: string,
      cites: string[],
      mode = 9610,
      orderNo = `O-${tag}`,
    ) =>
      file(f, "broker", doc(unit, "DECLARATION", `D-${tag}`, { mode, cites, orderRef: termsOf({ orderNo }).orderRef }));

    it("the payment terms wrong (amount, currency or buyer) are refused naming the payment", async () => {
      const f = await loadFixture(customsFixture);
      for (const [i, payment] of [{ amountMinor: 1998n }, { currency: "EUR" }, { buyer: "E7654321" }].entries()) {
        const unit = [A, B, C][i];
        const d = await three(f, unit, `pay${i}`, { payment });
        await expect(declare(f, unit, `pay${i}`, [d.order, d.payment, d.waybill]))
          .to.be.revertedWithCustomError(f.ledger, "CustomsTermsMismatch")
          .withArgs(KIND.PAYMENT, d.payment, d.p.payment, d.o.payment);
      }
      const ok = await three(f, D, "good");
      await expect(declare(f, D, "good", [ok.waybill, ok.payment, ok.order])).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("the waybill terms wrong (quantity, goods or consignee) are refused naming the waybill", async () => {
      const f = await loadFixture(customsFixture);
      for (const [i, waybill] of [{ quantity: 3n }, { goods: "B" }, { buyer: "X0000000" }].entries()) {
        const unit = [A, B, C][i];
        const d = await three(f, unit, `way${i}`, { waybill });
        await expect(declare(f, unit, `way${i}`, [d.order, d.payment, d.waybill]))
          .to.be.revertedWithCustomError(f.ledger, "CustomsTermsMismatch")
          .withArgs(KIND.WAYBILL, d.waybill, d.w.shipment, d.o.shipment);
      }
      // 9710 compares the waybill too (no payment cited).
      const d = await three(f, D, "b2b", { waybill: { quantity: 9n } });
      await expect(declare(f, D, "b2b", [d.order, d.waybill], 9710))
        .to.be.revertedWithCustomError(f.ledger, "CustomsTermsMismatch")
        .withArgs(KIND.WAYBILL, d.waybill, d.w.shipment, d.o.shipment);
    });

    it("a document of another unit, of another order, unknown, missing or of a kind the mode does not need is refused", async () => {
      const f = await loadFixture(customsFixture);
      const a = await three(f, A, "a");
      const b = await three(f, B, "b");
      await expect(declare(f, A, "a", [a.order, b.payment, a.waybill]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsDocumentOfAnotherUnit")
        .withArgs(b.payment, B, A);
      await expect(declare(f, A, "a", [a.order, a.payment, a.waybill], 9610, "O-b"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsOrderMismatch")
        .withArgs(a.order, a.o.orderRef, b.o.orderRef);
      const ghost = idOf(f, "payment", "PAYMENT", "NEVER");
      await expect(declare(f, A, "a", [a.order, ghost, a.waybill]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsUnknownDocument")
        .withArgs(ghost);
      await expect(declare(f, A, "a", [a.order, a.waybill]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsCitedDocumentMissing")
        .withArgs(9610, KIND.PAYMENT);
      await expect(declare(f, A, "a", [a.order, a.payment, a.waybill, a.payment]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsCitedKindNotExpected")
        .withArgs(9610, a.payment, KIND.PAYMENT);
      await expect(declare(f, A, "a", [a.order, a.payment, a.waybill], 9810))
        .to.be.revertedWithCustomError(f.ledger, "CustomsCitedKindNotExpected")
        .withArgs(9810, a.order, KIND.ORDER);
      await expect(declare(f, A, "a", [], 1210))
        .to.be.revertedWithCustomError(f.ledger, "CustomsCitedDocumentMissing")
        .withArgs(1210, KIND.ZONE_ENTRY);
      await expect(declare(f, A, "a", [a.order, a.payment, a.waybill])).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("a document cited twice is refused: two shipments sharing one payment, or a second declaration on one unit", async () => {
      const f = await loadFixture(customsFixture);
      const a = await three(f, A, "a");
      await declare(f, A, "a", [a.order, a.payment, a.waybill]);
      // Shipment B cites A's payment: it is A's document (filed on A), and it backs A's declaration.
      const b = await three(f, B, "b");
      await expect(declare(f, B, "b", [b.order, a.payment, b.waybill]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsDocumentOfAnotherUnit")
        .withArgs(a.payment, A, B);
      // A second declaration on A citing the same documents.
      await expect(declare(f, A, "a2", [a.order, a.payment, a.waybill], 9610, "O-a"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsDocumentAlreadyCited")
        .withArgs(a.order, idOf(f, "broker", "DECLARATION", "D-a"));
      // Fresh documents on A do not make a second declaration either: one at a time.
      const a3 = await three(f, A, "a3");
      await expect(declare(f, A, "a3", [a3.order, a3.payment, a3.waybill]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsUnitAlreadyDeclared")
        .withArgs(A, idOf(f, "broker", "DECLARATION", "D-a"));
    });

    it("a rejected declaration frees its documents: the unit is declared again with the same ones", async () => {
      const f = await loadFixture(customsFixture);
      const a = await three(f, A, "a");
      await declare(f, A, "a", [a.order, a.payment, a.waybill]);
      await rec(f, "customs", A, "CUSTOMS_REJECTED");
      expect(await customsState(f, A)).to.deep.equal({ mode: 0, declaration: ZERO, flags: CUSTOMS_FLAGS.PAYMENT });
      expect((await f.ledger.customsDocument(a.payment)).citedBy).to.equal(ZERO);
      await declare(f, A, "a2", [a.order, a.payment, a.waybill], 9610, "O-a");
      const again = idOf(f, "broker", "DECLARATION", "D-a2");
      expect((await customsState(f, A)).declaration).to.equal(again);
      expect((await f.ledger.customsDocument(a.payment)).citedBy).to.equal(again);
      // A rejected 1210 declaration takes the export its zone entry counted as with it.
      await file(f, "customs", doc(B, "ZONE_ENTRY", "ZB"));
      await file(
        f,
        "broker",
        doc(B, "DECLARATION", "DB", { mode: 1210, cites: [idOf(f, "customs", "ZONE_ENTRY", "ZB")] }),
      );
      await rec(f, "customs", B, "CUSTOMS_REJECTED");
      expect((await customsState(f, B)).flags & CUSTOMS_FLAGS.EXPORTED).to.equal(0);
    });

    it("a summary sums live declarations once; it cites no other kind and no rejected declaration", async () => {
      const f = await loadFixture(customsFixture);
      const a = await three(f, A, "a");
      await declare(f, A, "a", [a.order, a.payment, a.waybill]);
      const b = await three(f, B, "b");
      await declare(f, B, "b", [b.order, b.payment, b.waybill]);
      await rec(f, "customs", B, "CUSTOMS_REJECTED");
      const [dA, dB] = [idOf(f, "broker", "DECLARATION", "D-a"), idOf(f, "broker", "DECLARATION", "D-b")];
      const sum = (n: string, cites: string[]) => file(f, "broker", doc(C, "SUMMARY", n, { cites }));
      await expect(sum("S0", [a.order]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsCitedKindNotExpected")
        .withArgs(0, a.order, KIND.ORDER);
      await expect(sum("S0", [ZERO.replace(/0$/, "5")])).to.be.revertedWithCustomError(
        f.ledger,
        "CustomsUnknownDocument",
      );
      await expect(sum("S0", [dA, dB]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsDeclarationRejected")
        .withArgs(dB);
      await expect(sum("S1", [dA])).to.emit(f.ledger, "CustomsDocumentFiled");
      const s1 = idOf(f, "broker", "SUMMARY", "S1");
      expect((await f.ledger.customsDocument(dA)).citedBy).to.equal(s1);
      await expect(sum("S2", [dA]))
        .to.be.revertedWithCustomError(f.ledger, "CustomsDocumentAlreadyCited")
        .withArgs(dA, s1);
    });

    it("a declaration follows the stage rules of CUSTOMS_DECLARED (not after release) and a recall", async () => {
      const f = await loadFixture(customsFixture);
      const a = await three(f, A, "a");
      await declare(f, A, "a", [a.order, a.payment, a.waybill]);
      await rec(f, "customs", A, "CUSTOMS_RELEASED");
      const z = doc(A, "ZONE_ENTRY", "ZA");
      await file(f, "customs", z);
      await expect(
        file(f, "broker", doc(A, "DECLARATION", "D2", { mode: 1210, cites: [idOf(f, "customs", "ZONE_ENTRY", "ZA")] })),
      )
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerStageViolation")
        .withArgs(A, STEPS.CUSTOMS_DECLARED, STAGES.RELEASED);
      await rec(f, "market", B, "RECALL");
      const t = termsOf({ orderNo: "RC" });
      await expect(file(f, "platform", doc(B, "ORDER", "RC", { orderRef: t.orderRef, terms: [t.payment, t.shipment] })))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitRecalled")
        .withArgs(B, STEPS.ORDER_PLACED);
      await expect(file(f, "carrier", doc(B, "WAYBILL", "RC", { terms: [ZERO, t.shipment] })))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitRecalled")
        .withArgs(B, STEPS.WAYBILL_ISSUED);
      await expect(file(f, "exporter", doc(B, "BOOKING", "RC")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitRecalled")
        .withArgs(B, STEPS.WAREHOUSE_BOOKED);
      await file(f, "customs", doc(B, "ZONE_ENTRY", "ZB"));
      const zoneDeclaration = doc(B, "DECLARATION", "DB", {
        mode: 1210,
        cites: [idOf(f, "customs", "ZONE_ENTRY", "ZB")],
      });
      await expect(file(f, "broker", zoneDeclaration))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitRecalled")
        .withArgs(B, STEPS.CUSTOMS_DECLARED);
      await rec(f, "market", B, "RECALL_LIFTED");
      await expect(file(f, "broker", zoneDeclaration)).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("a declaration of a unit holding a held unit is refused (ContainsStopped) until it is unpacked", async () => {
      const f = await loadFixture(customsFixture);
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.pack({ parent: C, eventTime: EVENT_TIME, location: 0, recordHash: ZERO }, [ITEM]);
      const cites = await fileSupporting(f, C, 9810, "inside");
      await rec(f, "customs", ITEM, "HOLD");
      await expect(file(f, "broker", declaration(C, 9810, "inside", cites)))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(C, STEPS.CUSTOMS_DECLARED);
      await f.ledger
        .connect(f.accounts.customs)
        .unpack({ parent: C, eventTime: EVENT_TIME, location: 0, recordHash: ZERO }, [ITEM]);
      await expect(file(f, "broker", declaration(C, 9810, "inside", cites))).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("a hold does not stop the paperwork: a 9810 declaration is filed while the unit is held", async () => {
      const f = await loadFixture(customsFixture);
      await rec(f, "customs", C, "HOLD");
      const cites = await fileSupporting(f, C, 9810, "held");
      await expect(file(f, "broker", declaration(C, 9810, "held", cites))).to.emit(f.ledger, "CustomsDocumentFiled");
      expect((await f.ledger.unitState(C)).stage).to.equal(STAGES.DECLARED);
      // The zone entry is a gate crossing, which a hold stops.
      await expect(file(f, "customs", doc(C, "ZONE_ENTRY", "ZC")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
        .withArgs(C, STEPS.ENTERING_EXITING);
    });
  });
});
