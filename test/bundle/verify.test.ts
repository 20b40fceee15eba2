/**
 * Verifying with a proof bundle: the same verdict as the log walk, in one JSON-RPC round trip with an honest
 * bundle, and never a better one with a lying or stale bundle (each attack next to the honest flow).
 */
import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { STEPS, DISPOSITIONS } from "../../src/codes";
import { parseGs1 } from "../../src/gs1";
import { writerFor } from "../helpers/sdk";
import { DEMO_CODES } from "../../src/demo/journey";
import { buildProofBundle } from "../../src/bundle/build";
import { verifyWithBundle } from "../../src/bundle/verify";
import type { ProofBundle } from "../../src/bundle/types";
import type { VerificationReport } from "../../src/verify/types";
import { demoFixture, fromStore, verifyDemo, type DemoFixture } from "../helpers/demo";

const provider = network.provider as unknown as {
  request(a: { method: string; params?: unknown[] }): Promise<unknown>;
};

async function fixture() {
  const f = await demoFixture();
  const chainId = Number(await network.provider.request({ method: "eth_chainId" }));
  const version = await f.ledger.version();
  const location = { address: f.address, chainId, version, deploymentBlock: 0n };
  return { ...f, location };
}
type F = DemoFixture & { location: Awaited<ReturnType<typeof fixture>>["location"] };

const build = (f: F, code: string) =>
  buildProofBundle(code, { rpcUrl: "", provider, ledger: f.location, fetchRecord: fromStore(f.records) });
const check = (f: F, code: string, bundle: ProofBundle | undefined) =>
  verifyWithBundle(code, bundle, { rpcUrl: "", provider, ledger: f.location, fetchRecord: fromStore(f.records) });

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

  // A bundle only decides what is asked: lies cost round trips, never the verdict.
  const AUTHENTIC = DEMO_CODES.authentic;
  const tampered = async (f: F, edit: (b: ProofBundle) => ProofBundle, code = AUTHENTIC) => {
    const bundle = edit(structuredClone(await build(f, code)));
    return { walk: await verifyDemo(f, code), fast: await check(f, code, bundle) };
  };

  it("ATTACK: a bundle that drops requests (every other one, or all) gives the same report, at the cost of round trips", async () => {
    const f = (await loadFixture(fixture)) as F;
    for (const keep of [(_: unknown, i: number) => i % 2 === 0, () => false]) {
      const { walk, fast } = await tampered(f, (b) => ({ ...b, requests: b.requests.filter(keep) }));
      expect(told(fast)).to.deep.equal(told(walk));
      expect(fast.stats.bundle!.misses).to.be.greaterThan(0);
      expect(fast.stats.roundTrips).to.be.greaterThan(1);
    }
  });

  it("ATTACK: a bundle that reorders its requests, or names them in upper case, changes nothing (one round trip)", async () => {
    const f = (await loadFixture(fixture)) as F;
    const { walk, fast } = await tampered(f, (b) => ({
      ...b,
      requests: [...b.requests].reverse().map((r) => ({
        ...r,
        params: JSON.parse(JSON.stringify(r.params).replace(/0x[0-9a-f]+/g, (x) => "0x" + x.slice(2).toUpperCase())),
      })),
    }));
    expect(told(fast)).to.deep.equal(told(walk));
    expect(fast.stats).to.include({ roundTrips: 1, source: "bundle" });
  });

  it("ATTACK: altered requests (other block ranges, another unit's state, another organization) are misses, not evidence", async () => {
    const f = (await loadFixture(fixture)) as F;
    const other = parseGs1(DEMO_CODES.recalled).key.slice(2);
    const own = parseGs1(AUTHENTIC).key.slice(2);
    const { walk, fast } = await tampered(f, (b) => ({
      ...b,
      requests: b.requests.map((r) => {
        const text = JSON.stringify(r.params);
        if (r.method === "eth_getLogs")
          return { ...r, params: [{ ...(r.params[0] as object), fromBlock: "0x0", toBlock: "0x1" }] };
        return { ...r, params: JSON.parse(text.split(own).join(other)) };
      }),
    }));
    expect(told(fast)).to.deep.equal(told(walk));
    expect(fast.verdict).to.equal("authentic");
    expect(fast.stats.bundle!.misses).to.be.greaterThan(0);
  });

  it("ATTACK: invented requests that write or steer the node (sendRawTransaction, evm_mine, hardhat_*) are never sent", async () => {
    const f = (await loadFixture(fixture)) as F;
    const before = await network.provider.request({ method: "eth_blockNumber" });
    const target = "0x00000000000000000000000000000000000000aa";
    const { walk, fast } = await tampered(f, (b) => ({
      ...b,
      requests: [
        { method: "evm_mine", params: [] },
        { method: "hardhat_setBalance", params: [target, "0x56bc75e2d63100000"] },
        { method: "eth_sendRawTransaction", params: ["0x02f8"] },
        { method: "eth_call", params: "not a list" as unknown as unknown[] },
        ...b.requests,
      ],
    }));
    expect(told(fast)).to.deep.equal(told(walk));
    expect(fast.stats.bundle).to.include({ refused: 4, misses: 0 });
    expect(await network.provider.request({ method: "eth_blockNumber" })).to.equal(before);
    expect(await network.provider.request({ method: "eth_getBalance", params: [target, "latest"] })).to.equal("0x0");
  });

  it("ATTACK: a stale bundle (made before a recall) is not read at its block: the recall shows, as in the log walk", async () => {
    const f = (await loadFixture(fixture)) as F;
    const old = await build(f, AUTHENTIC);
    const market = await writerFor(f.ledger, f.accounts.market.address);
    await market.record([
      {
        unit: parseGs1(AUTHENTIC).key as Hex,
        step: STEPS.RECALL,
        disposition: DISPOSITIONS.RECALLED,
        eventTime: 1_790_000_000,
        location: 0n,
        recordHash: `0x${"ab".repeat(32)}` as Hex,
      },
    ]);
    const fast = await check(f, AUTHENTIC, old);
    const walk = await verifyDemo(f, AUTHENTIC);
    expect(walk.verdict).to.equal("warning");
    expect(told(fast)).to.deep.equal(told(walk));
    expect(fast.stats.bundle!.rejected).to.equal("stale");
    expect(fast.stats.source).to.equal("logWalk");
    // Legitimate: a fresh bundle after the recall is used again.
    const fresh = await check(f, AUTHENTIC, await build(f, AUTHENTIC));
    expect(told(fresh)).to.deep.equal(told(walk));
    expect(fresh.stats).to.include({ source: "bundle", roundTrips: 1 });
  });

  it("ATTACK: an old bundle pinned before newer blocks that changed nothing is still used (as of its block)", async () => {
    const f = (await loadFixture(fixture)) as F;
    const old = await build(f, AUTHENTIC);
    await network.provider.request({ method: "hardhat_mine", params: ["0x20"] });
    const fast = await check(f, AUTHENTIC, old);
    expect(fast.stats).to.include({ source: "bundle", roundTrips: 1 });
    expect(fast.asOf!.blockNumber).to.equal(BigInt(old.at.blockNumber));
    expect(fast.verdict).to.equal((await verifyDemo(f, AUTHENTIC)).verdict);
  });

  it("ATTACK: the genuine product's bundle served for a counterfeit code is refused: fail, as without it", async () => {
    const f = (await loadFixture(fixture)) as F;
    const genuine = await build(f, AUTHENTIC);
    const fast = await check(f, DEMO_CODES.counterfeit, genuine);
    const walk = await verifyDemo(f, DEMO_CODES.counterfeit);
    expect(fast.verdict).to.equal("fail");
    expect(told(fast)).to.deep.equal(told(walk));
    expect(fast.stats.bundle!.rejected).to.equal("unit");
  });

  it("ATTACK: a bundle for another ledger or chain, from the future, malformed or oversized is refused", async () => {
    const f = (await loadFixture(fixture)) as F;
    const honest = await build(f, AUTHENTIC);
    const walk = told(await verifyDemo(f, AUTHENTIC));
    const cases: Array<[ProofBundle, string]> = [
      [{ ...honest, ledger: { ...honest.ledger, address: "0x00000000000000000000000000000000000000bb" } }, "ledger"],
      [{ ...honest, ledger: { ...honest.ledger, chainId: 1 } }, "ledger"],
      [{ ...honest, at: { ...honest.at, blockNumber: "999999" } }, "missing"],
      [{ ...honest, format: "cbec-trace/proof-bundle@0" } as unknown as ProofBundle, "format"],
      [{ ...honest, requests: "all of them" } as unknown as ProofBundle, "format"],
      [{ ...honest, at: { ...honest.at, blockNumber: "-1" } }, "format"],
      [{ ...honest, requests: new Array(50_001).fill({ method: "eth_chainId", params: [] }) }, "format"],
    ];
    for (const [bundle, why] of cases) {
      const fast = await check(f, AUTHENTIC, bundle);
      expect(fast.stats.bundle!.rejected, why).to.equal(why);
      expect(told(fast), why).to.deep.equal(walk);
    }
  });

  it("ATTACK: altered or swapped records in the bundle are not used: the platform's records are, checked by hash", async () => {
    const f = (await loadFixture(fixture)) as F;
    const { walk, fast } = await tampered(f, (b) => {
      const hashes = Object.keys(b.records);
      const first = b.records[hashes[0]] as Record<string, unknown>;
      return {
        ...b,
        records: {
          ...b.records,
          [hashes[0]]: { ...first, eventTime: "2020-01-01T00:00:00Z" },
          [hashes[1]]: b.records[hashes[2]],
        },
      };
    });
    expect(told(fast)).to.deep.equal(told(walk));
    expect(fast.entries.every((e) => e.recordMatches !== false)).to.equal(true);
  });

  it("a bundle above the finality depth asked for is not read at its block", async () => {
    const f = (await loadFixture(fixture)) as F;
    const bundle = await build(f, AUTHENTIC);
    const fast = await verifyWithBundle(AUTHENTIC, bundle, {
      rpcUrl: "",
      provider,
      ledger: f.location,
      fetchRecord: fromStore(f.records),
      confirmations: 3,
    });
    expect(fast.stats.bundle!.rejected).to.equal("unconfirmed");
    expect(fast.asOf!.blockNumber).to.equal(BigInt(bundle.at.blockNumber) - 2n);
  });

  it("without a bundle it is the log walk, counted in round trips", async () => {
    const f = (await loadFixture(fixture)) as F;
    const fast = await check(f, AUTHENTIC, undefined);
    expect(told(fast)).to.deep.equal(told(await verifyDemo(f, AUTHENTIC)));
    expect(fast.stats.source).to.equal("logWalk");
    expect(fast.stats.roundTrips).to.be.greaterThan(5);
  });
});
