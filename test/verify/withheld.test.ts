/**
 * The buyer's verifier and withheld finance records (issue 14): the demo's authentic item travels in a
 * consignment with an order, a payment, an FX settlement and a tax refund; the verifier never asks the
 * platform for those records and does not report them unavailable — they are withheld by design — while
 * every other record is still fetched and checked.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { demoFixture, fromStore, verifyDemo, codes, type DemoFixture } from "../helpers/demo";
import { DEMO_CODES } from "../../src/demo/journey";
import { STEPS } from "../../src/codes";
import { WITHHELD_STEPS } from "../../src/records/access";

describe("verify: withheld finance records", function () {
  this.timeout(120_000);
  let f: DemoFixture;
  before(async () => {
    f = await loadFixture(demoFixture);
  });

  it("the authentic item: finance entries are withheld, never asked for, no RECORD_UNAVAILABLE", async () => {
    const asked: Hex[] = [];
    const store = fromStore(f.records);
    const report = await verifyDemo(f, DEMO_CODES.authentic, undefined, {
      fetchRecord: (hash: Hex) => {
        asked.push(hash.toLowerCase() as Hex);
        return store(hash);
      },
    });
    const finance = report.entries.filter((e) => WITHHELD_STEPS.has(e.step));
    expect(finance.map((e) => e.stepName).sort()).to.deep.equal(
      ["FX_SETTLED", "ORDER_PLACED", "PAYMENT_RECEIVED", "TAX_REFUNDED"].sort(),
    );
    expect(finance.every((e) => e.recordWithheld === true && e.recordMatches === null)).to.equal(true);
    for (const e of finance) expect(asked).to.not.include(e.data.toLowerCase());
    expect(codes(report)).to.not.include("RECORD_UNAVAILABLE");
    expect(report.verdict).to.equal("authentic");
    // Public records are still fetched and checked: the customs release, the waybill.
    const release = report.entries.find((e) => e.step === STEPS.CUSTOMS_RELEASED)!;
    expect([release.recordMatches, asked.includes(release.data.toLowerCase() as Hex)]).to.deep.equal([true, true]);
    expect(report.entries.find((e) => e.step === STEPS.WAYBILL_ISSUED)?.recordMatches).to.equal(true);
  });

  it("a platform that serves no finance record (401 to buyers) leaves the verdict as it is", async () => {
    const store = fromStore(f.records);
    const withheld = new Set(
      (await verifyDemo(f, DEMO_CODES.authentic)).entries
        .filter((e) => WITHHELD_STEPS.has(e.step))
        .map((e) => e.data.toLowerCase()),
    );
    const report = await verifyDemo(f, DEMO_CODES.authentic, undefined, {
      fetchRecord: (hash: Hex) => (withheld.has(hash.toLowerCase()) ? Promise.resolve(undefined) : store(hash)),
    });
    expect(codes(report)).to.deep.equal([]);
    expect(report.entries.some((e) => e.recordMissing)).to.equal(false);
  });
});
