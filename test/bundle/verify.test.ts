/**
 * Verifying with a proof bundle: the same verdict as the log walk, in one JSON-RPC round trip with an honest
 * bundle, and never a better one with a lying or stale bundle (each attack next to the honest flow).
 */
import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { DEMO_CODES } from "../../src/demo/journey";
import { buildProofBundle } from "../../src/bundle/build";
import { verifyWithBundle } from "../../src/bundle/verify";
import type { ProofBundle } from "../../src/bundle/types";
import type { VerificationReport } from "../../src/verify/types";
import { demoFixture, fromStore, verifyDemo, type DemoFixture } from "../helpers/demo";

const provider = network.provider as unknown as { request(a: { method: string; params?: unknown[] }): Promise<unknown> };

async function fixture() {
  const f = await demoFixture();
  const chainId = Number(await network.provider.request({ method: "eth_chainId" }));
  const version = await f.ledger.version();
  const ledger = { address: f.address, chainId, version, deploymentBlock: 0n };
  return { ...f, ledger };
}
type F = DemoFixture & { ledger: Awaited<ReturnType<typeof fixture>>["ledger"] };

const build = (f: F, code: string) =>
  buildProofBundle(code, { rpcUrl: "", provider, ledger: f.ledger, fetchRecord: fromStore(f.records) });
const check = (f: F, code: string, bundle: ProofBundle | undefined) =>
  verifyWithBundle(code, bundle, { rpcUrl: "", provider, ledger: f.ledger, fetchRecord: fromStore(f.records) });

/** What a buyer is told: everything but timings and counts. */
const told = (r: VerificationReport) =>
  JSON.parse(JSON.stringify({ ...r, stats: undefined }, (_, v) => (typeof v === "bigint" ? v.toString() : v)));

describe("proof bundle: verifyWithBundle", () => {
  it("an honest bundle gives the log walk's report in one round trip, every request prefetched", async () => {
    const f = (await loadFixture(fixture)) as F;
    for (const code of [DEMO_CODES.authentic, DEMO_CODES.recalled, DEMO_CODES.counterfeit]) {
      const bundle = await build(f, code);
      const walk = await verifyDemo(f, code);
      const fast = await check(f, code, bundle);
      expect(told(fast)).to.deep.equal(told(walk));
      expect(fast.stats.source).to.equal("bundle");
      expect(fast.stats.bundle).to.include({ misses: 0, refused: 0 });
      expect(fast.stats.bundle!.rejected).to.equal(undefined);
      expect(fast.stats.roundTrips).to.equal(1);
    }
  });
});
