/**
 * `trace customs check --unit <code>` against the demo shipments on a platform (the built CLI, as a user
 * runs it): the shipment's documents are found on the ledger, their records read from the platform with the
 * caller's key and matched. (a) agrees (exit 0); (c) disagrees on the payment amount (exit 11, naming it);
 * a buyer's key — no member — gets the platform's 403 reason as a clear error (exit 3).
 */
import { expect } from "chai";
import { Wallet } from "ethers";
import { runTrace } from "../helpers/localNode";
import { shipmentsPlatform, type ShipmentsPlatform } from "../helpers/shipmentsPlatform";
import { SHIPMENT_CODES } from "../../src/demo/shipments/codes";

describe("cli: trace customs check --unit (documents read from the platform)", function () {
  this.timeout(180_000);
  let s: ShipmentsPlatform;
  before(async () => {
    s = await shipmentsPlatform();
  });
  const check = (code: string, key: string, json = false) =>
    runTrace(
      [
        "--rpc",
        s.platform.node.rpcUrl,
        "--ledger",
        s.platform.deployment.ledger,
        ...(json ? ["--json"] : []),
        "customs",
        "check",
        "--unit",
        code,
      ],
      { privateKey: key, env: { TRACE_PLATFORM_URL: s.base } },
    );

  it("(a) the clean 9610, read with the exporter's key: the documents agree, exit 0", async () => {
    const run = await check(SHIPMENT_CODES.clean9610, s.key("exporter"), true);
    expect(run.code, run.stderr).to.equal(0);
    const out = JSON.parse(run.stdout) as { ok: boolean; numbers: Record<string, string> };
    expect(out.ok).to.equal(true);
    expect(out.numbers).to.deep.equal({
      order: "SO202603020001",
      payment: "PAY202603020001",
      waybill: "YT7840010001@20260302",
      declaration: "53162026E000012345",
    });
  });

  it("(c) the mismatched 9610, read by customs: exit 11 naming the payment amount", async () => {
    const run = await check(SHIPMENT_CODES.mismatch9610, s.key("customs"));
    expect(run.code, run.stderr).to.equal(11);
    expect(run.stdout).to.include("do not agree").and.include("129.00").and.include("139.00");
  });

  it("ATTACK: a buyer's key (no member) gets the platform's 403 reason, exit 3, no record printed", async () => {
    const buyer = Wallet.createRandom().privateKey;
    const run = await check(SHIPMENT_CODES.clean9610, buyer);
    expect(run.code).to.equal(3);
    expect(run.stderr)
      .to.match(/HTTP 403/)
      .and.match(/not an account of any organization/);
    expect(run.stdout).to.not.include("139.00");
  });
});
