/**
 * A whole 9610 and a whole 9810 export through the CLI (issue 14), against a real node, each document filed
 * by its issuer's own key from the demo record files: `trace customs file` → `trace record` for release,
 * departure and exit → FX settlement → tax refund (9610), sale after departure (9810) → `trace customs show`
 * from the chain and `list` / `problems` / `stock` / `search` from an index built with `trace index --once`.
 * The attack next to it: a 9610 whose payment disagrees with its order — the chain files the payment, refuses
 * the declaration citing it (exit REFUSED, the typed error), and the regulator's problem list names it.
 */
import { expect } from "chai";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { Wallet } from "ethers";
import type { Hex } from "viem";
import { isCoverageRun } from "../helpers/coverage";
import { EXIT } from "../../src/cli/exitCodes";
import { gs1CheckDigit, parseGs1 } from "../../src/gs1";
import { TraceWriter } from "../../src/write/writer";
import { EVENT_TIME, recordHash } from "../helpers/ledger";
import { runTrace, startDeployedNode, type DeployedNode, type TraceRun } from "../helpers/localNode";
import { DEMO_DIR } from "../customs/demoRecords";

type Member = "exporter" | "platform" | "payment" | "carrier" | "broker" | "customs" | "tax";

const sscc = (n: number) => {
  const body = "0" + "9521234" + String(n).padStart(9, "0");
  return `(00)${body}${gs1CheckDigit(body)}`;
};
const [CLEAN, WAREHOUSE, MISMATCH] = [7101, 7102, 7103].map(sscc);
const keyOf = (code: string) => parseGs1(code).key.toLowerCase() as Hex;
const rec = (set: string, doc: string) => join(DEMO_DIR, set, `${doc}.json`);

describe("trace customs: a whole 9610 and 9810 export through the CLI", function () {
  this.timeout(240_000);
  let setup: DeployedNode;
  let indexDir: string;
  let fx: string;
  let refund: string;

  /** `trace` as a member, with the deployment's manifest and RPC. */
  const trace = (as: Member | undefined, args: string[]) =>
    runTrace(["--manifest", setup.dep.manifestPath, "--records-dir", setup.recordsDir, ...args], {
      ...(as ? { privateKey: setup.dep.members[as].privateKey } : {}),
      env: { TRACE_RPC_URL: setup.node.rpcUrl },
    });
  const ok = (run: TraceRun) => {
    expect(run.code, run.stderr).to.equal(EXIT.OK);
    return run;
  };
  const json = async <T>(as: Member | undefined, args: string[]) =>
    JSON.parse(ok(await trace(as, ["--json", ...args])).stdout) as T;
  const org = (m: Member) => setup.dep.members[m].orgId;
  /** Runs each member's commands in order, the members side by side (distinct keys, distinct nonces). */
  const byMember = (lanes: Array<[Member, string[][]]>) =>
    Promise.all(
      lanes.map(async ([m, runs]) => {
        for (const args of runs) ok(await trace(m, args));
      }),
    );
  const fileOn = (unit: string, ...records: string[]) => ["customs", "file", ...records, "--unit", unit];
  const index = async () => ok(await trace(undefined, ["index", "--once", "--data-dir", indexDir]));
  const view = (args: string[]) => [...args, "--data-dir", indexDir];

  before(async function () {
    if (isCoverageRun()) this.skip();
    setup = await startDeployedNode("cbec-trace-customs-flow-");
    indexDir = join(setup.work, "index");
    fx = join(setup.work, "fx.json");
    refund = join(setup.work, "refund.json");
    writeFileSync(
      fx,
      JSON.stringify({
        kind: "FX_SETTLEMENT",
        time: "2026-03-20T10:00:00+08:00",
        settlementNo: "FX202603200001",
        payCode: "4403660001",
        ebcCode: "91440300MA5DEM0019",
        currency: "USD",
        amount: "139.00",
        cnyAmount: "998.02",
        payNos: ["PAY202603020001"],
      }),
    );
    writeFileSync(
      refund,
      JSON.stringify({
        kind: "TAX_REFUND",
        time: "2026-04-15T10:00:00+08:00",
        refundNo: "TR202604150001",
        taxOfficeCode: "14403000000",
        ebcCode: "91440300MA5DEM0019",
        amount: "114.82",
        declarationNos: ["53162026E000012345"],
      }),
    );
    // The exporter registers the three consignments and lets each document's issuer write on them.
    ok(await trace("exporter", ["register", CLEAN, WAREHOUSE, MISMATCH]));
    const exporter = await TraceWriter.create({
      ledger: setup.dep.ledger,
      signer: new Wallet(setup.dep.members.exporter.privateKey, setup.provider),
      pollIntervalMs: 20,
    });
    for (const unit of [CLEAN, WAREHOUSE, MISMATCH]) {
      for (const m of ["platform", "payment", "carrier", "broker"] as const) {
        await exporter.assign(keyOf(unit), org(m), true, {
          eventTime: EVENT_TIME,
          recordHash: recordHash(`assign ${m} ${unit}`) as Hex,
        });
      }
    }
  });
  after(async () => setup?.stop());

  it("9610 and 9810: documents by their issuers, receipts, FX, refund, sale; show and list read them back", async () => {
    const clean = (d: string) => rec("9610-clean", d);
    const wh = (d: string) => rec("9810-overseas-warehouse", d);
    const bad = (d: string) => rec("9610-amount-mismatch", d);
    await byMember([
      ["platform", [fileOn(CLEAN, clean("order")), fileOn(MISMATCH, bad("order"))]],
      ["payment", [fileOn(CLEAN, clean("payment")), fileOn(MISMATCH, bad("payment"))]],
      [
        "carrier",
        [fileOn(CLEAN, clean("waybill")), fileOn(WAREHOUSE, wh("waybill")), fileOn(MISMATCH, bad("waybill"))],
      ],
      ["exporter", [fileOn(WAREHOUSE, wh("booking"))]],
    ]);
    const declared = await json<{ written: number; documents: Array<{ kind: string; docId: string }> }>("broker", [
      ...fileOn(CLEAN, clean("declaration")),
      ...["--cite", `${org("platform")}:${clean("order")}`],
      ...["--cite", `${org("payment")}:${clean("payment")}`],
      ...["--cite", `${org("carrier")}:${clean("waybill")}`],
    ]);
    expect(declared.written).to.equal(1);
    ok(
      await trace("broker", [
        ...fileOn(WAREHOUSE, wh("declaration")),
        ...["--cite", `${org("exporter")}:${wh("booking")}`],
        ...["--cite", `${org("carrier")}:${wh("waybill")}`],
      ]),
    );
    // The attack: the payment was filed, the declaration citing it is refused by the three-document match.
    const refused = await trace("broker", [
      ...fileOn(MISMATCH, bad("declaration")),
      ...["--cite", `${org("platform")}:${bad("order")}`],
      ...["--cite", `${org("payment")}:${bad("payment")}`],
      ...["--cite", `${org("carrier")}:${bad("waybill")}`],
    ]);
    expect(refused.code, refused.stderr).to.equal(EXIT.REFUSED);
    expect(refused.stderr).to.match(/payment/i);

    ok(await trace("customs", ["record", CLEAN, WAREHOUSE, "--step", "customs_released"]));
    ok(await trace("carrier", ["record", CLEAN, WAREHOUSE, "--step", "departing"]));
    ok(await trace("customs", ["record", CLEAN, WAREHOUSE, "--step", "customs_exited"]));
    ok(await trace("payment", fileOn(CLEAN, fx)));
    ok(await trace("tax", fileOn(CLEAN, refund)));
    // Filing the same record again is harmless: it is already on chain.
    const again = await json<{ written: number; skipped: number }>("tax", fileOn(CLEAN, refund));
    expect([again.written, again.skipped]).to.deep.equal([0, 1]);

    const shown = await json<{
      mode: number;
      status: string;
      flags: string[];
      documents: Array<{ kind: string }>;
      declaration: string;
      intact: boolean;
    }>(undefined, ["customs", "show", CLEAN]);
    expect([shown.mode, shown.status, shown.intact, shown.declaration]).to.deep.equal([
      9610,
      "exited",
      true,
      declared.documents[0].docId,
    ]);
    expect(shown.flags).to.include.members(["DECLARED", "EXPORTED", "FX_SETTLED", "REFUNDED"]);
    // The first three were filed side by side: their order on chain is theirs.
    expect(shown.documents.map((d) => d.kind).sort()).to.deep.equal(
      ["ORDER", "PAYMENT", "WAYBILL", "DECLARATION", "FX_SETTLEMENT", "TAX_REFUND"].sort(),
    );

    await index();
    const list = await json<
      Array<{ unit: string; mode: number; status: string; fxSettled: boolean; refunded: boolean }>
    >(undefined, view(["customs", "list"]));
    expect(list.map((r) => [r.unit, r.mode, r.status, r.fxSettled, r.refunded])).to.deep.equal([
      [keyOf(CLEAN), 9610, "exited", true, true],
      [keyOf(WAREHOUSE), 9810, "exited", false, false],
    ]);
    const csv = ok(await trace(undefined, view(["customs", "list", "--mode", "9810", "--csv"]))).stdout.split("\r\n");
    expect(csv[0]).to.equal(
      "unit,path,mode,status,declaration,declarant_org,declared_at,exited_at,fx_settled,refunded,refund_to_repay,block,tx",
    );
    expect(csv.slice(1, -1).map((l) => l.split(",").slice(0, 4))).to.deep.equal([
      [keyOf(WAREHOUSE), parseGs1(WAREHOUSE).canonicalPath, "9810", "exited"],
    ]);
    const problems = await json<Array<{ unit: string; problem: string }>>(undefined, view(["customs", "problems"]));
    expect(problems.map((p) => [p.unit, p.problem])).to.deep.equal([[keyOf(MISMATCH), "payment-disagrees"]]);
    const stock = await json<Array<{ unit: string }>>(undefined, view(["customs", "stock"]));
    expect(stock.map((s) => s.unit)).to.deep.equal([keyOf(WAREHOUSE)]);
    const found = await json<Array<{ kind: string; unit: string }>>(
      undefined,
      view(["customs", "search", "pay202603020002"]),
    );
    expect(found.map((d) => [d.kind, d.unit])).to.deep.equal([["PAYMENT", keyOf(MISMATCH)]]);

    // 9810: the sale to the final buyer, after departure; the unit leaves the stock list.
    await byMember([
      ["platform", [fileOn(WAREHOUSE, wh("order"))]],
      ["payment", [fileOn(WAREHOUSE, wh("payment"))]],
    ]);
    await index();
    expect(await json<unknown[]>(undefined, view(["customs", "stock"]))).to.deep.equal([]);
  });

  it("refusals say what to do: no index, a bad mode, an unknown kind, cites for two documents", async () => {
    const noIndex = await trace(undefined, ["customs", "list", "--data-dir", join(setup.work, "missing")]);
    expect(noIndex.code).to.equal(EXIT.INVALID_INPUT);
    expect(noIndex.stderr).to.include("trace index --once");
    const mode = await trace(undefined, view(["customs", "list", "--mode", "9999"]));
    expect([mode.code, mode.stderr.includes("use 9610, 9710, 9810 or 1210")]).to.deep.equal([EXIT.INVALID_INPUT, true]);
    const kind = await trace(undefined, view(["customs", "search", "X1", "--kind", "invoice"]));
    expect([kind.code, kind.stderr.includes("is not a document kind")]).to.deep.equal([EXIT.INVALID_INPUT, true]);
    const miss = await trace(undefined, ["--json", ...view(["customs", "search", "NOT-FILED-1"])]);
    expect([miss.code, JSON.parse(miss.stdout)]).to.deep.equal([EXIT.OK, []]);
    const two = await trace("broker", [
      ...fileOn(MISMATCH, rec("9610-clean", "declaration"), rec("9810-overseas-warehouse", "declaration")),
      ...["--cite", `${org("platform")}:${rec("9610-clean", "order")}`],
    ]);
    expect([two.code, two.stderr.includes("ONE declaration")]).to.deep.equal([EXIT.INVALID_INPUT, true]);
  });
});
