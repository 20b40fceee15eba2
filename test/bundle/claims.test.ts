/**
 * The proof bundle with a claims registry (issue 17): the claim and tag reads travel in the bundle's one
 * batch like every other read, and a bundle made before a claim cannot hide it.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { DEMO_CODES } from "../../src/demo/journey";
import { buildProofBundle } from "../../src/bundle/build";
import { verifyWithBundle } from "../../src/bundle/verify";
import type { ProofBundle } from "../../src/bundle/types";
import type { VerificationReport } from "../../src/verify/types";
import { claimSecret } from "../../src/authenticity/claimCode";
import { fromStore, verifyDemo } from "../helpers/demo";
import { claimsFixture, CODES, keyOf, type ClaimsFixture } from "../verify/authenticityFixture";

const provider = network.provider as unknown as {
  request(a: { method: string; params?: unknown[] }): Promise<unknown>;
};

const ledgerOf = async (f: ClaimsFixture) => ({
  address: f.address,
  chainId: f.chainId,
  version: await f.ledger.version(),
  deploymentBlock: 0n,
});
const build = async (f: ClaimsFixture, code: string, claims = true) =>
  buildProofBundle(code, {
    rpcUrl: "",
    provider,
    ledger: await ledgerOf(f),
    fetchRecord: fromStore(f.records),
    ...(claims ? { claims: { address: f.registry } } : {}),
  });
const check = async (f: ClaimsFixture, code: string, bundle: ProofBundle | undefined, extra: object = {}) =>
  verifyWithBundle(code, bundle, {
    rpcUrl: "",
    provider,
    ledger: await ledgerOf(f),
    fetchRecord: fromStore(f.records),
    claims: { address: f.registry },
    ...extra,
  });
const told = (r: VerificationReport) =>
  JSON.parse(JSON.stringify({ ...r, stats: undefined }, (_, v) => (typeof v === "bigint" ? v.toString() : v)));

describe("proof bundle with a claims registry", () => {
  it("the claim and tag reads are in the bundle: one round trip, the log walk's report (claimed and unclaimed units)", async () => {
    const f = await loadFixture(claimsFixture);
    for (const code of [DEMO_CODES.authenticSibling, DEMO_CODES.authentic]) {
      const fast = await check(f, code, await build(f, code), { claimCode: CODES.copy });
      const walk = await verifyDemo(f, code, undefined, { claims: { address: f.registry }, claimCode: CODES.copy });
      expect(told(fast)).to.deep.equal(told(walk));
      expect(fast.authenticity).to.not.equal(undefined);
      expect([fast.stats.roundTrips, fast.stats.bundle!.misses]).to.deep.equal([1, 0]);
    }
  });

  it("round trips measured: the registry adds none, with a bundle or by the log walk (its reads overlap the walk's)", async () => {
    const f = await loadFixture(claimsFixture);
    const code = DEMO_CODES.authenticSibling;
    const trips = async (claims: boolean, bundled: boolean) => {
      const bundle = bundled ? await build(f, code, claims) : undefined;
      const r = await verifyWithBundle(code, bundle, {
        rpcUrl: "",
        provider,
        ledger: await ledgerOf(f),
        fetchRecord: fromStore(f.records),
        ...(claims ? { claims: { address: f.registry } } : {}),
      });
      return r.stats.roundTrips!;
    };
    const measured = {
      bundle: { without: await trips(false, true), with: await trips(true, true) },
      logWalk: { without: await trips(false, false), with: await trips(true, false) },
    };
    console.log(`      round trips: ${JSON.stringify(measured)}`);
    expect(measured.bundle).to.deep.equal({ without: 1, with: 1 });
    expect(measured.logWalk.with).to.equal(measured.logWalk.without);
  });

  it("a bundle made without the registry's reads costs round trips (the reads, then the claim's block), never the claim", async () => {
    const f = await loadFixture(claimsFixture);
    const code = DEMO_CODES.authenticSibling;
    const fast = await check(f, code, await build(f, code, false));
    expect(fast.authenticity!.claim.claimed).to.equal(true);
    expect(fast.stats.bundle!.misses).to.be.greaterThan(0);
    expect(fast.stats.roundTrips).to.equal(3);
  });

  it("ATTACK: a bundle made before the claim (served again after it) cannot hide the claim: the verifier reads the latest block", async () => {
    const f = await loadFixture(claimsFixture);
    const code = DEMO_CODES.authentic;
    const before = await build(f, code);
    await (await f.claims.connect(f.stranger).claim(keyOf(code), claimSecret(CODES.authentic))).wait();
    const r = await check(f, code, before, { claimCode: CODES.authentic });
    expect(r.stats.bundle!.rejected).to.equal("stale");
    expect(r.authenticity!.claim.claimed).to.equal(true);
    expect(r.reasons.map((x) => x.code)).to.deep.equal(["CLAIM_CODE_COPIED"]);
  });
});
