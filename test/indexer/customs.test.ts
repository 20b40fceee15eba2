/**
 * The index's customs rows and the regulator's queries (issue 14), on one in-process chain: a clean 9610
 * export through refund (and a summary), a 9610 whose payment disagrees with its order (the chain files the
 * payment and refuses only the declaration), a 9610 missing its waybill, a rejected 9710, a declared 1210,
 * and two 9810 exports to an overseas warehouse, one sold after departure. Every kind is ingested with the
 * terms and cites the ledger's own `customsDocument` view reports; a reorganization takes the rows of the
 * dropped blocks (a refund to repay, a sale, a payment) out of the tables and of every query.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import type { Address, Hex } from "viem";
import { CUSTOMS_DOCUMENT_KINDS as KIND, DOCUMENT_KIND_NAMES, type StepName } from "../../src/codes";
import {
  customs9810Stock,
  customsDeclarations,
  customsDocumentsByNumber,
  customsDocumentsOfUnit,
  customsProblems,
  type CustomsProblemRow,
} from "../../src/indexer/queries";
import type { IndexDb } from "../../src/indexer/db";
import { IndexQueryError } from "../../src/indexer/errors";
import {
  consignmentKey,
  deployCustomsLedger,
  traceInput,
  type CustomsLedgerFixture,
  type CustomsMemberName,
} from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { declaration, doc, file, fileSupporting, idOf, termsOf } from "../helpers/customs";
import { hardhatClient } from "../helpers/sdk";
import { indexBackends } from "../helpers/indexDb";
import { expectSameIndex, followerOf } from "./setup";

const ZERO = ethers.ZeroHash;
/** A clean 9610, B payment disagrees, C and D 9810 (C sold), E 9610 without waybill, F 9710 rejected, G 1210. */
const [A, B, C, D, E, F, G, S] = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => consignmentKey(n).toLowerCase() as Hex);
const ISSUERS: CustomsMemberName[] = ["platform", "payment", "carrier", "broker", "warehouse"];
const DAY = 86_400;

const fixture = unitsFixture(
  {
    batch: [A, B, C, D, E, F, G, S],
    assigns: [A, B, C, D, E, F, G, S].flatMap((u, i) =>
      ISSUERS.map((m) => [u, m, `${m}:${i}`] as [string, CustomsMemberName, string]),
    ),
  },
  deployCustomsLedger,
);

const rec = async (f: CustomsLedgerFixture, who: CustomsMemberName, unit: string, step: StepName) =>
  (await f.ledger.connect(f.accounts[who]).record(traceInput(unit, step))).wait();
const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => (await tx).wait();

/** Takes a declared unit through release, departure and exit. */
async function exitUnit(f: CustomsLedgerFixture, unit: string) {
  await rec(f, "customs", unit, "CUSTOMS_RELEASED");
  await rec(f, "carrier", unit, "DEPARTING");
  await rec(f, "customs", unit, "CUSTOMS_EXITED");
}

/** The ledger's chain: every case of the regulator's view. */
async function buildChain(f: CustomsLedgerFixture) {
  // A: 9610 clean, exited, FX settled, refunded; a summary on S sums its declaration list.
  const a = await fileSupporting(f, A, 9610, "a");
  await send(file(f, "broker", declaration(A, 9610, "a", a)));
  await send(file(f, "broker", doc(S, "SUMMARY", "SUM-a", { cites: [idOf(f, "broker", "DECLARATION", "D-a")] })));
  await exitUnit(f, A);
  await send(file(f, "payment", doc(A, "FX_SETTLEMENT", "FX-a")));
  await send(file(f, "tax", doc(A, "TAX_REFUND", "TR-a")));

  // B: the payment's amount differs from the order's. The chain files the payment; the declaration is refused.
  const order = termsOf({ orderNo: "O-b" });
  const paid = termsOf({ orderNo: "O-b", amountMinor: 1299n });
  await send(
    file(f, "platform", doc(B, "ORDER", "O-b", { orderRef: order.orderRef, terms: [order.payment, order.shipment] })),
  );
  await send(file(f, "payment", doc(B, "PAYMENT", "P-b", { orderRef: order.orderRef, terms: [paid.payment, ZERO] })));
  await send(
    file(f, "carrier", doc(B, "WAYBILL", "W-b@20260101", { orderRef: order.orderRef, terms: [ZERO, order.shipment] })),
  );
  const bCites = [
    idOf(f, "platform", "ORDER", "O-b"),
    idOf(f, "payment", "PAYMENT", "P-b"),
    idOf(f, "carrier", "WAYBILL", "W-b@20260101"),
  ];
  await expect(file(f, "broker", declaration(B, 9610, "b", bCites))).to.be.revertedWithCustomError(
    f.ledger,
    "CustomsTermsMismatch",
  );

  // C and D: 9810 bookings in ONE fileDocuments call (the index pairs each log with its call-data item).
  await send(f.ledger.connect(f.accounts.exporter).fileDocuments([doc(C, "BOOKING", "B-c"), doc(D, "BOOKING", "B-d")]));
  for (const [u, t] of [
    [C, "c"],
    [D, "d"],
  ] as const) {
    await send(
      file(
        f,
        "carrier",
        doc(u, "WAYBILL", `W-${t}@20260101`, { terms: [ZERO, termsOf({ orderNo: `O-${t}` }).shipment] }),
      ),
    );
    const cites = [idOf(f, "exporter", "BOOKING", `B-${t}`), idOf(f, "carrier", "WAYBILL", `W-${t}@20260101`)];
    await send(file(f, "broker", declaration(u, 9810, t, cites)));
    await exitUnit(f, u);
  }
  // C is sold from the overseas warehouse: the order and its payment come after departure.
  const sale = termsOf({ orderNo: "O-c-sale" });
  await send(
    file(f, "platform", doc(C, "ORDER", "O-c-sale", { orderRef: sale.orderRef, terms: [sale.payment, sale.shipment] })),
  );
  await send(
    file(f, "payment", doc(C, "PAYMENT", "P-c-sale", { orderRef: sale.orderRef, terms: [sale.payment, ZERO] })),
  );

  // E: order and payment, no waybill yet.
  const e = termsOf({ orderNo: "O-e" });
  await send(file(f, "platform", doc(E, "ORDER", "O-e", { orderRef: e.orderRef, terms: [e.payment, e.shipment] })));
  await send(file(f, "payment", doc(E, "PAYMENT", "P-e", { orderRef: e.orderRef, terms: [e.payment, ZERO] })));

  // F: 9710 declared, then rejected by customs (status 100).
  const fc = await fileSupporting(f, F, 9710, "f");
  await send(file(f, "broker", declaration(F, 9710, "f", fc)));
  await rec(f, "customs", F, "CUSTOMS_REJECTED");

  // G: 1210, the zone entry then the declaration.
  const g = await fileSupporting(f, G, 1210, "g");
  await send(file(f, "broker", declaration(G, 1210, "g", g)));
}

/** The error a query rejects with (fails when it resolves). */
async function refusal(query: Promise<unknown>): Promise<Error> {
  const outcome = await query.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(outcome, "the query was not refused").to.be.instanceOf(IndexQueryError);
  return outcome!;
}

const problemsOf = (rows: CustomsProblemRow[]) => rows.map((r) => `${r.unit.slice(0, 10)} ${r.problem}: ${r.detail}`);
const short = (u: string) => u.slice(0, 10);

describe("index: customs documents and the regulator's queries", function () {
  this.timeout(120_000);
  const backends = indexBackends();
  let f: CustomsLedgerFixture;
  let ledger: { address: Address; chainId: number; deploymentBlock: bigint };
  let db: IndexDb;
  const follow = async (into: IndexDb) => followerOf(hardhatClient(), ledger, into).catchUp();

  before(async function () {
    if (process.env.SOLIDITY_COVERAGE) this.skip();
    f = await fixture();
    await buildChain(f);
    ledger = { address: (await f.ledger.getAddress()) as Address, chainId: 31337, deploymentBlock: 0n };
    db = await backends[0].open();
    await follow(db);
  });
  after(async () => {
    for (const b of backends) await b.close();
  });

  it("ingests every document kind with the terms, cites and issuer the ledger's view reports", async () => {
    const logs = await f.ledger.queryFilter(f.ledger.filters.CustomsDocumentFiled());
    const rows = await db.query<Record<string, string>>("SELECT * FROM customs_documents ORDER BY block, log_index");
    expect(rows.length).to.equal(logs.length);
    expect(new Set(rows.map((r) => Number(r.kind)))).to.deep.equal(
      new Set(DOCUMENT_KIND_NAMES.map((k) => KIND[k])),
      "every kind filed and ingested",
    );
    for (const r of rows) {
      const view = await f.ledger.customsDocument(r.doc_id);
      expect([
        Number(r.kind),
        Number(r.org),
        r.unit,
        r.order_ref,
        [r.terms0, r.terms1],
        Number(r.mode),
        r.record_hash,
      ]).to.deep.equal([
        Number(view.kind),
        Number(view.issuerOrg),
        view.unit.toLowerCase(),
        view.orderRef.toLowerCase(),
        view.terms.map((t) => t.toLowerCase()),
        Number(view.mode),
        view.recordHash.toLowerCase(),
      ]);
    }
    // What backs what: A's declaration cites its three documents, the summary cites the declaration.
    const declA = idOf(f, "broker", "DECLARATION", "D-a").toLowerCase();
    const docsA = await customsDocumentsOfUnit(db, A);
    expect(docsA.map((d) => d.kind)).to.deep.equal([
      "ORDER",
      "PAYMENT",
      "WAYBILL",
      "DECLARATION",
      "FX_SETTLEMENT",
      "TAX_REFUND",
    ]);
    expect(docsA.slice(0, 3).map((d) => d.citedBy)).to.deep.equal([declA, declA, declA]);
    expect(docsA[3].citedBy).to.equal(idOf(f, "broker", "SUMMARY", "SUM-a").toLowerCase());
    expect(docsA[0].path).to.match(/^\/401\//);
  });

  it("declarations by mode and status: exited, rejected, declared; a bad mode or status is refused with the choices", async () => {
    const all = (await customsDeclarations(db, {}, { limit: 100 })).items;
    expect(all.map((d) => [short(d.unit), d.mode, d.status])).to.deep.equal([
      [short(A), 9610, "exited"],
      [short(C), 9810, "exited"],
      [short(D), 9810, "exited"],
      [short(F), 9710, "rejected"],
      [short(G), 1210, "declared"],
    ]);
    const a = all[0];
    expect([a.fxSettled, a.refunded, a.refundToRepay, a.exitedAt]).to.deep.equal([true, true, false, 1_767_225_600]);
    expect((await customsDeclarations(db, { mode: 9810 })).items.map((d) => short(d.unit))).to.deep.equal([
      short(C),
      short(D),
    ]);
    expect((await customsDeclarations(db, { status: "rejected" })).items.map((d) => short(d.unit))).to.deep.equal([
      short(F),
    ]);
    const page1 = await customsDeclarations(db, {}, { limit: 2 });
    const page2 = await customsDeclarations(db, {}, { limit: 2, after: page1.next });
    expect(page2.items.map((d) => short(d.unit))).to.deep.equal([short(D), short(F)]);
    expect((await refusal(customsDeclarations(db, { mode: 9999 }))).message).to.match(
      /9999 is not a customs mode: use 9610, 9710, 9810 or 1210/,
    );
    expect((await refusal(customsDeclarations(db, { status: "lost" as never }))).message).to.match(
      /"lost" is not one of declared, released/,
    );
  });

  it("problems: the disagreeing payment, the missing waybill, the rejected declaration; no refund without exit or FX", async () => {
    const now = (await ethers.provider.getBlock("latest"))!.timestamp + 3 * DAY;
    const rows = await customsProblems(db, { now, incompleteAfterDays: 2 });
    expect(problemsOf(rows)).to.deep.equal(
      [
        `${short(B)} payment-disagrees: payment disagrees with order (payment terms differ)`,
        `${short(E)} incomplete: incomplete: waybill missing`,
        `${short(F)} incomplete: incomplete: declaration rejected, not declared again`,
      ].sort(),
    );
    const b = rows.find((r) => r.unit === B)!;
    expect(b.documents).to.deep.equal(
      [idOf(f, "platform", "ORDER", "O-b"), idOf(f, "payment", "PAYMENT", "P-b")].map((x) => x.toLowerCase()),
    );
    // Younger than the threshold: not yet a problem; a disagreement is one at once.
    expect(problemsOf(await customsProblems(db, { now, incompleteAfterDays: 5 }))).to.deep.equal([
      `${short(B)} payment-disagrees: payment disagrees with order (payment terms differ)`,
    ]);
  });

  it("9810 stock: D exported and unsold with its days since exit; C, sold after departure, is not stock", async () => {
    const now = 1_767_225_600 + 40 * DAY + 5;
    expect(await customs9810Stock(db, { now })).to.deep.equal([
      {
        unit: D,
        path: (await customsDocumentsOfUnit(db, D))[0].path,
        declaration: idOf(f, "broker", "DECLARATION", "D-d").toLowerCase(),
        exitedAt: 1_767_225_600,
        daysSinceExit: 40,
      },
    ]);
    expect(await customs9810Stock(db, { now, minDays: 41 })).to.deep.equal([]);
  });

  it("search by number: a hit in any case and spacing, a miss, and the same number of another kind", async () => {
    const hit = await customsDocumentsByNumber(db, "  p-b ");
    expect(hit.map((d) => [d.kind, short(d.unit), d.org])).to.deep.equal([["PAYMENT", short(B), f.orgIds.payment]]);
    expect(await customsDocumentsByNumber(db, "P-NOT-FILED")).to.deep.equal([]);
    expect(await customsDocumentsByNumber(db, "P-b", { kind: "WAYBILL" })).to.deep.equal([]);
    expect(
      (await customsDocumentsByNumber(db, "w-c@20260101", { kind: "WAYBILL" })).map((d) => short(d.unit)),
    ).to.deep.equal([short(C)]);
  });

  it("a reorganization drops the customs rows of the dropped blocks: a refund to repay, a sale, a payment", async () => {
    const snapshot = await network.provider.send("evm_snapshot");
    await rec(f, "customs", A, "CUSTOMS_RETURNED"); // after the refund: to repay
    const late = termsOf({ orderNo: "O-d-sale" });
    await send(
      file(
        f,
        "platform",
        doc(D, "ORDER", "O-d-sale", { orderRef: late.orderRef, terms: [late.payment, late.shipment] }),
      ),
    );
    await follow(db);
    expect((await customsProblems(db)).filter((r) => r.problem === "refund-to-repay").map((r) => r.unit)).to.deep.equal(
      [A],
    );
    expect((await customsDeclarations(db, { unit: A })).items[0]).to.include({
      status: "returned",
      refundToRepay: true,
    });
    expect(await customs9810Stock(db)).to.deep.equal([]);
    expect(await customsDocumentsByNumber(db, "O-d-sale")).to.have.length(1);

    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("hardhat_mine", ["0x5"]);
    await follow(db);
    expect((await customsProblems(db)).filter((r) => r.problem === "refund-to-repay")).to.deep.equal([]);
    expect((await customsDeclarations(db, { unit: A })).items[0]).to.include({
      status: "exited",
      refundToRepay: false,
    });
    expect((await customs9810Stock(db)).map((r) => r.unit)).to.deep.equal([D]);
    expect(await customsDocumentsByNumber(db, "O-d-sale")).to.deep.equal([]);
    const fresh = await backends[0].open();
    await follow(fresh);
    await expectSameIndex(db, fresh);
  });
});
