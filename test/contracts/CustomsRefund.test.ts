/**
 * Customs rules 3–6 (issue 14): FX settlement only against a declared export with a payment, the export
 * tax refund only after exit and FX, once for the same goods, never after a return; a return after the
 * refund marks it to be repaid; and the unpack-and-repack attack on the refund. Each refusal next to the
 * legitimate flow. Filing, modes and the three-document match: `Customs.test.ts`.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  aggregation,
  cartonKey,
  consignmentKey,
  itemKey,
  traceInput,
  deployCustomsLedger,
  type CustomsLedgerFixture,
  type CustomsMemberName,
  EVENT_TIME,
} from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { declaration, doc, file, fileSupporting, termsOf } from "../helpers/customs";
import { CUSTOMS_FLAGS as F, STEPS, type CustomsMode, type StepName } from "../../src/codes";

const ZERO = ethers.ZeroHash;
const [A, B] = [1, 2].map((n) => consignmentKey(n));
const [X, Y] = [1, 2].map((n) => itemKey(n));
const BOX = cartonKey(1);
const ISSUERS: CustomsMemberName[] = ["platform", "payment", "carrier", "broker"];

/** X and Y packed in A; B and BOX loose; every issuer assigned to A, B and BOX. */
const refundFixture = unitsFixture(
  {
    batch: [A, B, X, Y, BOX],
    packs: [[A, [X, Y]]],
    assigns: [A, B, BOX].flatMap((u, i) =>
      ISSUERS.map((m) => [u, m, `${m}:${i}`] as [string, CustomsMemberName, string]),
    ),
  },
  deployCustomsLedger,
);

const rec = (f: CustomsLedgerFixture, who: CustomsMemberName, unit: string, step: StepName) =>
  f.ledger.connect(f.accounts[who]).record(traceInput(unit, step));
const flagsOf = async (f: CustomsLedgerFixture, unit: string) => Number((await f.ledger.customsState(unit)).flags);
const fx = (f: CustomsLedgerFixture, unit: string, n: string) =>
  file(f, "payment", doc(unit, "FX_SETTLEMENT", `FX-${n}`));
const refund = (f: CustomsLedgerFixture, unit: string, n: string) => file(f, "tax", doc(unit, "TAX_REFUND", `TR-${n}`));

/** Declares `unit` under `mode` (documents filed by their issuers) and takes it to `until`. */
async function exportUnit(
  f: CustomsLedgerFixture,
  unit: string,
  tag: string,
  until: "DECLARED" | "DEPARTED" | "EXITED",
  mode: CustomsMode = 9610,
) {
  const cites = await fileSupporting(f, unit, mode, tag);
  await file(f, "broker", declaration(unit, mode, tag, cites));
  if (until === "DECLARED") return;
  await rec(f, "customs", unit, "CUSTOMS_RELEASED");
  await rec(f, "carrier", unit, "DEPARTING");
  if (until === "EXITED") await rec(f, "customs", unit, "CUSTOMS_EXITED");
}

/** A payment on `unit` (for 9710 / 9810 units, whose declaration cites none). */
async function pay(f: CustomsLedgerFixture, unit: string, tag: string) {
  const t = termsOf({ orderNo: `O-${tag}` });
  await file(f, "payment", doc(unit, "PAYMENT", `P2-${tag}`, { orderRef: t.orderRef, terms: [t.payment, ZERO] }));
}

describe("Customs rules: FX settlement, tax refund, returns and the same goods", () => {
  describe("rule 3: FX settlement", () => {
    it("FX before the declaration is refused; after it, against the declared export's payment, it is filed", async () => {
      const f = await loadFixture(refundFixture);
      await pay(f, B, "b");
      await expect(fx(f, B, "b"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsNotDeclared")
        .withArgs(B);
      await exportUnit(f, B, "b", "DECLARED", 9710);
      await expect(fx(f, B, "b")).to.emit(f.ledger, "CustomsDocumentFiled");
      expect((await flagsOf(f, B)) & F.FX_SETTLED).to.equal(F.FX_SETTLED);
    });

    it("FX without a payment is refused (9710 cites none); a packed item is settled through its declared parent", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, B, "b", "EXITED", 9710);
      await expect(fx(f, B, "b"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsPaymentMissing")
        .withArgs(B);
      await exportUnit(f, A, "a", "DECLARED");
      // X is inside A: A's declaration and payment cover it (the payment institution is in scope through A).
      await expect(fx(f, X, "x")).to.emit(f.ledger, "CustomsDocumentFiled");
    });

    it("FX after a return is refused", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, A, "a", "DECLARED");
      await rec(f, "customs", A, "CUSTOMS_RETURNED");
      await expect(fx(f, A, "a"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsUnitReturned")
        .withArgs(A, 8);
    });
  });

  describe("rule 4: the tax refund", () => {
    it("refund before exit, before FX, twice and after a return are refused; after exit and FX it is filed once", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, A, "a", "DEPARTED");
      await expect(refund(f, A, "1"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsNotExported")
        .withArgs(A);
      await rec(f, "customs", A, "CUSTOMS_EXITED");
      await expect(refund(f, A, "1"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsNotSettled")
        .withArgs(A);
      await fx(f, A, "a");
      await expect(refund(f, A, "1")).to.emit(f.ledger, "CustomsDocumentFiled");
      await expect(refund(f, A, "2"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsAlreadyRefunded")
        .withArgs(A, A);
      // The goods inside are covered by A's refund: not refunded again one by one.
      await expect(refund(f, X, "x"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsAlreadyRefunded")
        .withArgs(X, A);
    });

    it("a delivery straight after departure (no exit) does not count as exit; a return before the refund makes it impossible", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, B, "b", "DEPARTED", 9710);
      await pay(f, B, "b");
      await fx(f, B, "b");
      await rec(f, "carrier", B, "DELIVERED");
      await expect(refund(f, B, "b"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsNotExported")
        .withArgs(B);
      await rec(f, "carrier", B, "RETURNED");
      await expect(refund(f, B, "b"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsUnitReturned")
        .withArgs(B, 9);
      expect((await flagsOf(f, B)) & F.REFUND_TO_REPAY).to.equal(0);
    });

    it("a refund waits while the unit is held; a rejection after FX is refused (only a return reverses it)", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, A, "a", "EXITED");
      await fx(f, A, "a");
      await rec(f, "customs", A, "HOLD");
      await expect(refund(f, A, "a"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
        .withArgs(A, STEPS.TAX_REFUNDED);
      await rec(f, "customs", A, "HOLD_LIFTED");
      await expect(refund(f, A, "a")).to.emit(f.ledger, "CustomsDocumentFiled");
      await exportUnit(f, B, "b", "DECLARED", 1210);
      await pay(f, B, "b");
      await fx(f, B, "b");
      await expect(rec(f, "customs", B, "CUSTOMS_REJECTED"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsExportSettled")
        .withArgs(B);
    });
  });

  describe("rule 5: a return after the refund", () => {
    it("marks the unit refund-to-repay, in its state and in the log; an item returned out of a refunded consignment too", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, A, "a", "EXITED");
      await fx(f, A, "a");
      await refund(f, A, "a");
      // One item of the consignment comes back while still inside it (the parent's refund covered it).
      await f.ledger.connect(f.accounts.exporter).assign(X, f.orgIds.carrier, true, EVENT_TIME, ZERO);
      await expect(rec(f, "carrier", X, "RETURNED"))
        .to.emit(f.ledger, "CustomsRefundToRepay")
        .withArgs(X);
      expect((await flagsOf(f, X)) & F.REFUND_TO_REPAY).to.equal(F.REFUND_TO_REPAY);
      await expect(rec(f, "customs", A, "CUSTOMS_RETURNED"))
        .to.emit(f.ledger, "CustomsRefundToRepay")
        .withArgs(A);
      expect((await flagsOf(f, A)) & F.REFUND_TO_REPAY).to.equal(F.REFUND_TO_REPAY);
      // A return of a unit never refunded marks nothing.
      await exportUnit(f, B, "b", "DECLARED", 9710);
      await expect(rec(f, "customs", B, "CUSTOMS_RETURNED")).not.to.emit(f.ledger, "CustomsRefundToRepay");
    });
  });

  describe("the module and rejections", () => {
    it("ATTACK: the customs rules cannot be called on the module directly (LedgerModuleDirectCall)", async () => {
      const f = await loadFixture(refundFixture);
      const module = await ethers.getContractAt(
        "LedgerModule",
        ethers.getCreateAddress({ from: await f.ledger.getAddress(), nonce: 1 }),
      );
      const d = doc(A, "BOOKING", "DIRECT");
      for (const call of [
        () => module.fileCustomsDocument(d, f.orgIds.exporter, 0, []),
        () => module.customsDocument(ZERO),
        () => module.customsState(A),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(module, "LedgerModuleDirectCall");
      }
      // Nor through the ledger: it has no entry point of that selector.
      const data = module.interface.encodeFunctionData("fileCustomsDocument", [d, f.orgIds.exporter, 0, []]);
      await expect(f.accounts.exporter.sendTransaction({ to: await f.ledger.getAddress(), data })).to.be.reverted;
      expect((await f.ledger.customsState(A)).flags).to.equal(0n);
    });

    it("a rejection of an item customs took out of a declared consignment frees nothing it does not have", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, A, "a", "DECLARED");
      await f.ledger.connect(f.accounts.customs).unpack(aggregation(A, "out"), [X]);
      expect(await flagsOf(f, X)).to.equal(F.PAYMENT | F.DECLARED);
      await rec(f, "customs", X, "CUSTOMS_REJECTED");
      expect(await f.ledger.customsState(X)).to.deep.equal([0n, ZERO, BigInt(F.PAYMENT)]);
      // A's own declaration stands.
      expect((await f.ledger.customsState(A)).mode).to.equal(9610n);
    });
  });

  describe("rule 6: the same goods are refunded once", () => {
    it("attack: refund A, unpack an item, pack it into B, declare, exit, settle and refund B — the second refund is refused", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, A, "a", "EXITED");
      await fx(f, A, "a");
      await refund(f, A, "a");
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.unpack(aggregation(A, "out"), [X]);
      // X carries A's customs history out: declared, paid, exported, settled — and refunded.
      expect(await flagsOf(f, X)).to.equal(F.PAYMENT | F.DECLARED | F.EXPORTED | F.FX_SETTLED | F.GOODS_REFUNDED);
      await expect(refund(f, X, "x"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsAlreadyRefunded")
        .withArgs(X, X);
      await ex.pack(aggregation(B, "in"), [X]);
      expect((await flagsOf(f, B)) & F.GOODS_REFUNDED).to.equal(F.GOODS_REFUNDED);
      await exportUnit(f, B, "b", "EXITED");
      await fx(f, B, "b");
      await expect(refund(f, B, "b"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsAlreadyRefunded")
        .withArgs(B, B);
    });

    it("the mark follows the goods through every parent: a box packed into a consignment, and an item refunded inside", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, A, "a", "EXITED");
      await fx(f, A, "a");
      // Y alone is refunded while inside A: A now holds refunded goods and is not refunded for them again.
      await expect(refund(f, Y, "y")).to.emit(f.ledger, "CustomsDocumentFiled");
      expect((await flagsOf(f, A)) & F.GOODS_REFUNDED).to.equal(F.GOODS_REFUNDED);
      await expect(refund(f, A, "a"))
        .to.be.revertedWithCustomError(f.ledger, "CustomsAlreadyRefunded")
        .withArgs(A, A);
      // Out of A, into BOX, BOX into B: B is marked through BOX, whether BOX was packed before or after.
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.unpack(aggregation(A, "out"), [Y]);
      await ex.pack(aggregation(B, "box in"), [BOX]);
      await ex.pack(aggregation(BOX, "y in"), [Y]);
      expect((await flagsOf(f, BOX)) & F.GOODS_REFUNDED).to.equal(F.GOODS_REFUNDED);
      expect((await flagsOf(f, B)) & F.GOODS_REFUNDED).to.equal(F.GOODS_REFUNDED);
      // A unit unpacked from a parent without customs state carries nothing.
      await ex.unpack(aggregation(B, "box out"), [BOX]);
      expect((await flagsOf(f, BOX)) & F.REFUNDED).to.equal(0);
    });

    it("legitimate: goods of an unrefunded export repacked and exported again are refunded once", async () => {
      const f = await loadFixture(refundFixture);
      await exportUnit(f, A, "a", "EXITED");
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.unpack(aggregation(A, "out"), [X]);
      await ex.pack(aggregation(B, "in"), [X]);
      expect((await flagsOf(f, B)) & F.GOODS_REFUNDED).to.equal(0);
      await exportUnit(f, B, "b", "EXITED");
      await fx(f, B, "b");
      await expect(refund(f, B, "b")).to.emit(f.ledger, "CustomsDocumentFiled");
    });
  });
});
