/**
 * The demo's authenticity units (issue 17), seeded on the in-process network the way `npm start` seeds them on
 * a data directory from before the registry: the journey is on chain first, then the registry is deployed
 * beside the ledger and only the three new units are added. Checks each unit's chain state afterwards — the two
 * claims (after delivery), the clone's code that opens nothing, the tag with two taps whose first link is now a
 * replay — that the journey was not touched, and that a second run sends nothing.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { demoFixture, verifyDemo, type DemoFixture } from "../helpers/demo";
import { hardhatClient, writerFor } from "../helpers/sdk";
import { DEMO_CODES, DEMO_MEMBERS, type DemoMember } from "../../src/demo/journey";
import type { TraceWriter } from "../../src/write/writer";
import { STAGES } from "../../src/codes";
import { parseGs1 } from "../../src/gs1";
import { assessClaimCode, readUnitAuthenticity, TAG_KINDS, type ClaimsDeployment } from "../../src/authenticity";
import { assessSunMessage } from "../../src/authenticity/tapService";
import {
  DEMO_AUTHENTICITY_CODES,
  DEMO_CLAIM_CODES,
  DEMO_CLONE_CLAIM_CODE,
  DEMO_SUN_TAG_UID,
} from "../../src/demo/authenticity/codes";
import { seedAuthenticity, type SeededAuthenticity } from "../../src/demo/authenticity/seed";
import { demoTagKeys, demoTapMessage, DEMO_TAG_KEYS_FILE } from "../../src/demo/authenticity/tag";

interface Seeded {
  f: DemoFixture;
  at: ClaimsDeployment;
  writers: Record<DemoMember, TraceWriter>;
  dataDir: string;
  seeded: SeededAuthenticity;
  seedMs: number;
  journeyBefore: unknown;
}

const authenticKey = parseGs1(DEMO_CODES.authentic).key;

async function seededFixture(): Promise<Seeded> {
  const f = await loadFixture(demoFixture);
  const journeyBefore = (await f.ledger.unitState(authenticKey)).toString();
  // The registry added beside the existing ledger (as `deployTraceLedger({ claims: true })` does on an old data dir).
  const claims = await (await ethers.getContractFactory("UnitClaims")).deploy(f.address);
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const at = { chainId, claims: (await claims.getAddress()) as Address };
  const writers = {} as Record<DemoMember, TraceWriter>;
  for (const m of DEMO_MEMBERS) writers[m] = await writerFor(f.ledger, f.accounts[m].address, { pollIntervalMs: 5 });
  const dataDir = mkdtempSync(join(tmpdir(), "cbec-demo-authenticity-"));
  const started = performance.now();
  const seeded = await seedAuthenticity({
    writers,
    recordsDir: f.records,
    client: hardhatClient(),
    claims: at,
    tagKeys: demoTagKeys(dataDir),
  });
  return { f, at, writers, dataDir, seeded, seedMs: performance.now() - started, journeyBefore };
}

describe("demo: the authenticity units (claimed, cloned, tagged)", () => {
  let s: Seeded;
  const chain = (unit: Hex) => readUnitAuthenticity(hardhatClient(), s.at.claims, unit);
  before(async () => {
    s = await loadFixture(seededFixture);
  });

  it("seeds the three units in a few dozen transactions, and leaves the journey as it was", async () => {
    console.log(`      seeding: ${s.seeded.transactions} transactions, ${Math.round(s.seedMs)} ms`);
    expect(s.seeded.transactions).to.be.within(15, 30);
    expect((await s.f.ledger.unitState(authenticKey)).toString()).to.equal(s.journeyBefore);
    expect(Object.values(s.seeded.keys)).to.deep.equal(
      Object.values(DEMO_AUTHENTICITY_CODES).map((code) => parseGs1(code).key),
    );
  });

  it("claimed: delivered, then claimed with its code; typing the code again is 'already claimed'", async () => {
    const { claim } = await chain(s.seeded.keys.claimed);
    expect(claim.claimedAt).to.be.greaterThan(0);
    expect(claim.stage).to.equal(STAGES.DELIVERED);
    expect(assessClaimCode(s.at, s.seeded.keys.claimed, claim, DEMO_CLAIM_CODES.claimed)).to.equal("already-claimed");
    const report = await verifyDemo(s.f, DEMO_AUTHENTICITY_CODES.claimed);
    expect(report.verdict, JSON.stringify(report.reasons)).to.equal("authentic");
  });

  it("cloned: claimed after delivery; the clone's different code is not this unit's ('likely a copy')", async () => {
    const { claim } = await chain(s.seeded.keys.cloned);
    expect([claim.claimedAt > 0, claim.stage]).to.deep.equal([true, STAGES.DELIVERED]);
    expect(assessClaimCode(s.at, s.seeded.keys.cloned, claim, DEMO_CLONE_CLAIM_CODE)).to.equal("wrong-code");
    expect(assessClaimCode(s.at, s.seeded.keys.cloned, claim, DEMO_CLAIM_CODES.cloned)).to.equal("already-claimed");
    // One unit's code opens no other unit's commitment.
    expect(assessClaimCode(s.at, s.seeded.keys.cloned, claim, DEMO_CLAIM_CODES.claimed)).to.equal("wrong-code");
  });

  it("tagged: the demo tag bound, two taps recorded; the first tap's link is a replay, the next one is fresh", async () => {
    const { tag, claim } = await chain(s.seeded.keys.tagged);
    expect([tag.kind, tag.id.slice(0, 16), tag.lastCounter]).to.deep.equal([TAG_KINDS.SUN, `0x${DEMO_SUN_TAG_UID}`, 2]);
    expect(tag.lastTapAt).to.be.greaterThan(0);
    expect(/^0x0{64}$/.test(claim.commitment)).to.equal(true);
    const keys = demoTagKeys(s.dataDir);
    expect(assessSunMessage(keys, tag, demoTapMessage(1))).to.deep.include({ outcome: "replayed", lastCounter: 2 });
    expect(assessSunMessage(keys, tag, demoTapMessage(3))).to.deep.include({ outcome: "genuine", counter: 3 });
    // The keys file lives in the data directory, readable by its owner only.
    expect(statSync(join(s.dataDir, DEMO_TAG_KEYS_FILE)).mode & 0o777).to.equal(0o600);
  });

  it("a second run finds everything on chain and sends nothing", async () => {
    const block = await ethers.provider.getBlockNumber();
    const again = await seedAuthenticity({
      writers: s.writers,
      recordsDir: s.f.records,
      client: hardhatClient(),
      claims: s.at,
      tagKeys: demoTagKeys(s.dataDir),
    });
    expect([again.transactions, again.lastCounter]).to.deep.equal([0, 2]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });
});
