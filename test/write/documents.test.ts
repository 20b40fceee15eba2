/**
 * The SDK write path for customs documents (issue 14): `TraceWriter.fileDocuments` through the same
 * batching and exactly-once sender as records, refusals decoded into the customs errors, and resuming an
 * interrupted filing with `unfiledDocuments`.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { consignmentKey, deployCustomsLedger } from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { doc, idOf, termsOf } from "../helpers/customs";
import { rejection, writerFor } from "../helpers/sdk";
import {
  BatchItemRejectedError,
  CustomsDocumentError,
  CustomsMatchError,
  CustomsRuleError,
  InvalidRequestError,
} from "../../src/errors/contract";
import type { CustomsDocumentInput } from "../../src/write/types";
import { CUSTOMS_FLAGS, STEPS } from "../../src/codes";

const ZERO = `0x${"00".repeat(32)}` as Hex;
const [A, B] = [consignmentKey(1), consignmentKey(2)];
const sdk = (d: ReturnType<typeof doc>) => d as unknown as CustomsDocumentInput;

const fixture = unitsFixture(
  {
    batch: [A, B],
    assigns: [A, B].flatMap((u) =>
      (["platform", "payment", "carrier", "broker"] as const).map(
        (m) => [u, m, `${m}${u}`] as [string, typeof m, string],
      ),
    ),
  },
  deployCustomsLedger,
);

describe("SDK writer: customs documents", () => {
  it("files each issuer's documents and a 9610 declaration citing them; the unit's customs state reads back", async () => {
    const f = await loadFixture(fixture);
    const t = termsOf({ orderNo: "SO-9" });
    const as = (m: "platform" | "payment" | "carrier" | "broker") => writerFor(f.ledger, f.accounts[m].address);
    await (
      await as("platform")
    ).fileDocuments([sdk(doc(A, "ORDER", "SO-9", { orderRef: t.orderRef, terms: [t.payment, t.shipment] }))]);
    await (
      await as("payment")
    ).fileDocuments([sdk(doc(A, "PAYMENT", "P-9", { orderRef: t.orderRef, terms: [t.payment, ZERO] }))]);
    await (
      await as("carrier")
    ).fileDocuments([sdk(doc(A, "WAYBILL", "W-9", { orderRef: t.orderRef, terms: [ZERO, t.shipment] }))]);
    const cites = [
      idOf(f, "platform", "ORDER", "SO-9"),
      idOf(f, "payment", "PAYMENT", "P-9"),
      idOf(f, "carrier", "WAYBILL", "W-9"),
    ];
    const result = await (
      await as("broker")
    ).fileDocuments([sdk(doc(A, "DECLARATION", "D-9", { mode: 9610, cites, orderRef: t.orderRef }))]);
    expect(result.items).to.equal(1);
    expect(result.gasUsed).to.be.greaterThan(0n);
    const [mode, declaration, flags] = await f.ledger.customsState(A);
    expect([Number(mode), declaration, Number(flags)]).to.deep.equal([
      9610,
      idOf(f, "broker", "DECLARATION", "D-9"),
      CUSTOMS_FLAGS.PAYMENT | CUSTOMS_FLAGS.DECLARED,
    ]);
  });

  it("sends many documents in batches that fit the gas budget; a later one cites an earlier one", async () => {
    const f = await loadFixture(fixture);
    const customs = await writerFor(f.ledger, f.accounts.customs.address, { maxTxGas: 1_200_000n });
    const zones = Array.from({ length: 12 }, (_, i) => sdk(doc(A, "ZONE_ENTRY", `Z-${i}`)));
    const res = await customs.fileDocuments(zones);
    expect(res.items).to.equal(12);
    expect(res.transactions.length).to.be.greaterThan(1);
    for (const t of res.transactions) expect(t.gasUsed).to.be.lessThanOrEqual(1_200_000n);
    expect((await f.ledger.unitState(A)).seq).to.equal(1n + 4n + 12n);
    const broker = await writerFor(f.ledger, f.accounts.broker.address);
    const zone = idOf(f, "customs", "ZONE_ENTRY", "Z-0");
    await broker.fileDocuments([
      sdk(doc(A, "DECLARATION", "D-Z", { mode: 1210, cites: [zone] })),
      sdk(doc(A, "SUMMARY", "S-Z", { cites: [idOf(f, "broker", "DECLARATION", "D-Z")] })),
    ]);
    expect((await f.ledger.customsDocument(idOf(f, "broker", "DECLARATION", "D-Z"))).citedBy).to.equal(
      idOf(f, "broker", "SUMMARY", "S-Z"),
    );
  });

  it("decodes refusals: the match (naming the document), a rule, a malformed document, record of a document step", async () => {
    const f = await loadFixture(fixture);
    const t = termsOf({ orderNo: "SO-X" });
    const wrong = termsOf({ orderNo: "SO-X", amountMinor: 1n });
    await (
      await writerFor(f.ledger, f.accounts.platform.address)
    ).fileDocuments([sdk(doc(B, "ORDER", "SO-X", { orderRef: t.orderRef, terms: [t.payment, t.shipment] }))]);
    const payer = await writerFor(f.ledger, f.accounts.payment.address);
    await payer.fileDocuments([sdk(doc(B, "PAYMENT", "P-X", { orderRef: t.orderRef, terms: [wrong.payment, ZERO] }))]);
    await (
      await writerFor(f.ledger, f.accounts.carrier.address)
    ).fileDocuments([sdk(doc(B, "WAYBILL", "W-X", { orderRef: t.orderRef, terms: [ZERO, t.shipment] }))]);
    const broker = await writerFor(f.ledger, f.accounts.broker.address);
    const cites = [
      idOf(f, "platform", "ORDER", "SO-X"),
      idOf(f, "payment", "PAYMENT", "P-X"),
      idOf(f, "carrier", "WAYBILL", "W-X"),
    ];
    const match = await rejection(
      broker.fileDocuments([sdk(doc(B, "DECLARATION", "D-X", { mode: 9610, cites, orderRef: t.orderRef }))]),
      CustomsMatchError,
    );
    expect(match.shortMessage).to.equal(
      `The three-document match failed: the PAYMENT (${cites[1].slice(0, 10)}…) states other payment terms (amount, currency or payer) than the order.`,
    );
    const rule = await rejection(payer.fileDocuments([sdk(doc(B, "FX_SETTLEMENT", "FX-X"))]), CustomsRuleError);
    expect(rule.errorName).to.equal("CustomsNotDeclared");
    expect(rule.hints[0]).to.match(/declaration of the unit/);
    const batch = await rejection(
      payer.fileDocuments([
        sdk(doc(B, "PAYMENT", "P-Y", { orderRef: t.orderRef, terms: [t.payment, ZERO] })),
        sdk(doc(B, "PAYMENT", "P-Z")),
      ]),
      BatchItemRejectedError,
    );
    expect(batch.index).to.equal(1);
    expect(batch.reason).to.be.instanceOf(CustomsDocumentError);
    expect(batch.reason.shortMessage).to.equal(
      "The PAYMENT document does not have the fields its kind needs: a number hash, an orderRef and the payment terms (terms[1] = 0).",
    );
    const exporter = await writerFor(f.ledger, f.accounts.exporter.address);
    const recorded = await rejection(
      exporter.record([
        { unit: B as Hex, step: STEPS.TAX_REFUNDED, disposition: 0, eventTime: 0, location: 0n, recordHash: ZERO },
      ]),
      InvalidRequestError,
    );
    expect(recorded.shortMessage).to.equal(
      "Step TAX_REFUNDED is a customs document: it is filed with fileDocument (TraceWriter.fileDocuments), not record().",
    );
  });

  it("resumes an interrupted filing: unfiledDocuments drops what the organization already filed, duplicates once", async () => {
    const f = await loadFixture(fixture);
    const customs = await writerFor(f.ledger, f.accounts.customs.address);
    const all = ["Z-1", "Z-2", "Z-3"].map((n) => sdk(doc(A, "ZONE_ENTRY", n)));
    await customs.fileDocuments([all[0]]);
    const left = await customs.unfiledDocuments([...all, all[2]]);
    expect(left.map((d) => d.numberHash)).to.deep.equal([all[1].numberHash, all[2].numberHash]);
    await customs.fileDocuments(left);
    expect(await customs.unfiledDocuments(all)).to.deep.equal([]);
    // Another organization's documents of the same numbers are its own: not filed yet.
    const warehouse = await writerFor(f.ledger, f.accounts.warehouse.address);
    expect(await warehouse.unfiledDocuments(all)).to.have.length(3);
  });
});
