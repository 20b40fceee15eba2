/**
 * `trace customs check` and `trace customs hash` end to end (`node bin/trace.js`, no chain): the demo sets
 * literally as on the command line, the verdict exit code, the JSON a script reads, and the refusals.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../../src/cli/exitCodes";
import { CUSTOMS_MISMATCH_EXIT } from "../../src/cli/commands/customs";
import { documentFields, publicForm } from "../../src/customs";
import { unitRef } from "../../src/cli/inputs";
import { toJson } from "../../src/cli/output";
import { runTrace } from "../helpers/localNode";
import { DEMO_DIR, demo } from "../customs/demoRecords";

const file = (set: string, doc: string) => join(DEMO_DIR, set, `${doc}.json`);
const set9610 = (set: string, docs = ["order", "payment", "waybill", "declaration"]) => docs.map((d) => file(set, d));
const CONSIGNMENT = "https://id.gs1.org/401/6901234MAWB784001";

describe("trace customs: the three-document match and document hashes, offline", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "cbec-trace-customs-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("check: the clean set agrees (exit 0), the mismatched payment is named in English and Chinese (exit 11)", async () => {
    const [clean, mismatch, mismatchJson] = await Promise.all([
      runTrace(["customs", "check", ...set9610("9610-clean"), "--json"]),
      runTrace(["customs", "check", ...set9610("9610-amount-mismatch")]),
      runTrace(["customs", "check", ...set9610("9610-amount-mismatch", ["order", "payment", "waybill"]), "--json"]),
    ]);
    expect(clean.code, clean.stderr).to.equal(EXIT.OK);
    const ok = JSON.parse(clean.stdout);
    expect([ok.ok, ok.disagreements, ok.missing]).to.deep.equal([true, [], []]);
    expect(ok.numbers).to.deep.equal({
      order: "SO202603020001",
      payment: "PAY202603020001",
      waybill: "YT7840010001@20260302",
      declaration: "53162026E000012345",
    });

    expect(CUSTOMS_MISMATCH_EXIT).to.equal(EXIT.VERDICT_FAIL);
    expect(mismatch.code, mismatch.stderr).to.equal(CUSTOMS_MISMATCH_EXIT);
    expect(mismatch.stdout).to.include("✗ payment amount 129.00 USD differs from the order's 139.00 USD");
    expect(mismatch.stdout).to.include("收款单金额 129.00 USD 与订单金额 139.00 USD 不符");
    expect(mismatch.stdout).to.include("on chain: payment terms DIFFER, waybill terms match");
    expect(mismatchJson.code).to.equal(CUSTOMS_MISMATCH_EXIT);
    const v = JSON.parse(mismatchJson.stdout);
    expect(v.ok).to.equal(false);
    expect(v.disagreements.map((d: { document: string; field: string }) => `${d.document}.${d.field}`)).to.deep.equal([
      "payment.amount",
    ]);
    expect(v.terms.paymentMatchesOnChain).to.equal(false);
  });

  it("hash: the on-chain inputs of a record and of a declaration with its cites, and the public form", async () => {
    const s = "9810-overseas-warehouse";
    const [order, decl, pub] = await Promise.all([
      runTrace(["customs", "hash", file("9610-clean", "order")]),
      runTrace([
        "customs",
        "hash",
        file(s, "declaration"),
        "--unit",
        CONSIGNMENT,
        "--cite",
        `1:${file(s, "booking")}`,
        "--cite",
        `4:${file(s, "waybill")}`,
        "--json",
      ]),
      runTrace(["customs", "hash", file("9610-clean", "order"), "--public", "--json"]),
    ]);
    const fields = documentFields(demo("9610-clean", "order"));
    expect(order.code, order.stderr).to.equal(EXIT.OK);
    for (const value of [fields.numberHash, fields.orderRef, fields.terms[0], fields.terms[1], fields.recordHash]) {
      expect(order.stdout).to.include(value);
    }
    // The human output is safe to paste: no personal data of the private record.
    for (const value of ["Anna", "C01X00T47", "Hauptstraße", demo("9610-clean", "order").privacySalt]) {
      expect(order.stdout).not.to.include(value);
    }

    expect(decl.code, decl.stderr).to.equal(EXIT.OK);
    const expected = documentFields(demo(s, "declaration"), [
      { record: demo(s, "booking"), issuerOrg: 1 },
      { record: demo(s, "waybill"), issuerOrg: 4 },
    ]);
    expect(JSON.parse(decl.stdout)).to.deep.equal(
      JSON.parse(
        toJson({ document: "DECLARATION", number: "531620261000000123", unit: unitRef(CONSIGNMENT).key, ...expected }),
      ),
    );

    expect(pub.code, pub.stderr).to.equal(EXIT.OK);
    expect(JSON.parse(pub.stdout).public).to.deep.equal(publicForm(demo("9610-clean", "order")));
  });

  it("check on public forms (no personal data) gives the same verdict", async () => {
    const docs = ["order", "payment", "waybill"];
    docs.forEach((d) => writeFileSync(join(dir, `${d}.json`), JSON.stringify(publicForm(demo("9610-clean", d)))));
    const run = await runTrace(["customs", "check", ...docs.map((d) => join(dir, `${d}.json`)), "--json"]);
    expect(run.code, run.stderr).to.equal(EXIT.OK);
    expect(JSON.parse(run.stdout).ok).to.equal(true);
  });

  it("refuses bad input with exit 2, naming the file and the JSONPath; ATTACK: a public form that would leak a name prints nothing", async () => {
    const bad = { ...demo("9610-clean", "payment"), amount: "139.001" };
    writeFileSync(join(dir, "bad.json"), JSON.stringify(bad));
    writeFileSync(join(dir, "text.json"), "kind: ORDER");
    const leaky = demo("9610-clean", "order");
    leaky.goods[0].name = "for ANNA SCHMIDT";
    writeFileSync(join(dir, "leaky.json"), JSON.stringify(leaky));
    const clean = set9610("9610-clean", ["order", "payment", "waybill"]);
    const runs = await Promise.all([
      runTrace(["customs", "check", clean[0], join(dir, "bad.json"), clean[2]]),
      runTrace(["customs", "check", clean[1], clean[0], clean[2]]),
      runTrace(["customs", "hash", join(dir, "text.json")]),
      runTrace(["customs", "hash", file("9610-clean", "declaration"), "--cite", clean[0]]),
      runTrace(["customs", "hash", join(dir, "leaky.json"), "--public"]),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).to.equal(EXIT.INVALID_INPUT);
      expect(r.stdout).to.equal("");
    }
    const [amount, slots, text, cite, leak] = runs.map((r) => r.stderr);
    expect(amount).to.include(
      `${join(dir, "bad.json")}: $.amount = "139.001" has more decimals than USD has minor-unit digits (2)`,
    );
    expect(slots).to.include("$.kind is PAYMENT, but ORDER is needed here");
    expect(text).to.include("is not JSON");
    expect(cite).to.include("must be <issuer org id>:<record file>");
    expect(leak).to.include("$.goods[0].name contains the name of a person named on the record");
    expect(leak).not.to.include("ANNA");
  });
});
