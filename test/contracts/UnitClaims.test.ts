/**
 * UnitClaims (issue 17): first-scan claims and tag taps beside the ledger. Each rule has its legitimate flow and
 * the attack on it side by side: the platform relaying a claim, a rival brand, the consortium admin, a cloner
 * holding a genuine label's code, a replayed tap, a chip signature for another unit or malleated.
 * One chain for the whole file (one fixture); tests that change shared state restore it or use their own unit.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { recoverAddress, type Hex } from "viem";
import type { UnitClaims } from "../../typechain-types";
import {
  cartonKey,
  deployLedger,
  itemKey,
  registration as registrationOf,
  rivalItemKey,
  traceInput,
  type LedgerFixture,
} from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { advance } from "../helpers/actors";
import { hardhatClient } from "../helpers/sdk";
import { isCoverageRun } from "../helpers/coverage";
import { STAGES } from "../../src/codes";
import {
  assessClaimCode,
  chipTapDigest,
  claimCommitment,
  claimSecret,
  generateClaimCode,
  readUnitAuthenticity,
  ReplayedTapError,
  TAG_KINDS,
  TagNotGenuineError,
  verifyChipTap,
} from "../../src/authenticity";

const [A, B, C2, T, CHIPPED, SPARE] = [101, 102, 103, 104, 105, 106].map((n) => itemKey(n));
/** An item packed in BOX, which is then delivered; and an item packed in DEAD, which is then destroyed. */
const [PACKED, INSIDE_DEAD, BOXED] = [107, 108, 109].map((n) => itemKey(n));
const BOX = cartonKey(101);
const DEAD = cartonKey(102);
/** A carton at the ACTIVE stage holding BOXED: an effective stage read through a parent that is not further. */
const OPEN_BOX = cartonKey(103);
const RIVAL = rivalItemKey(101);
const UID = "0x04de5f1eacc040";
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const units = unitsFixture({
  batch: [A, B, C2, T, CHIPPED, SPARE, PACKED, INSIDE_DEAD, BOXED, BOX, DEAD, OPEN_BOX],
  rivalBatch: [RIVAL],
  packs: [
    [BOX, [PACKED]],
    [DEAD, [INSIDE_DEAD]],
    [OPEN_BOX, [BOXED]],
  ],
  assigns: [
    [BOX, "carrier", "carrier"],
    [BOX, "broker", "broker"],
  ],
});

interface ClaimsFixture extends LedgerFixture {
  claims: UnitClaims;
  at: { chainId: number; claims: `0x${string}` };
  chip: ReturnType<typeof ethers.Wallet.createRandom>;
}

async function claimsFixture(): Promise<ClaimsFixture> {
  const f = await loadFixture(units);
  await advance(f, BOX, "DELIVERED");
  await (await f.ledger.connect(f.accounts.exporter).record(traceInput(DEAD, "DESTROYING"))).wait();
  const claims = await (await ethers.getContractFactory("UnitClaims")).deploy(await f.ledger.getAddress());
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const at = { chainId, claims: (await claims.getAddress()) as `0x${string}` };
  return { ...f, claims, at, chip: ethers.Wallet.createRandom() };
}

/** A fresh code, its secret and the commitment for `unit`. */
function codeFor(f: ClaimsFixture, unit: string) {
  const code = generateClaimCode();
  const secret = claimSecret(code);
  return { code, secret, commitment: claimCommitment(f.at, unit as Hex, secret) };
}

/** The chip's raw signature over a tap of `unit` with `counter`. */
function chipSign(f: ClaimsFixture, unit: string, counter: number, wallet = f.chip): string {
  return wallet.signingKey.sign(chipTapDigest(f.at, unit as Hex, counter)).serialized;
}

/** The same signature with s → n − s and v flipped: valid for plain ecrecover, refused by ECDSA. */
function malleate(signature: string): string {
  const r = signature.slice(0, 66);
  const s = N - BigInt("0x" + signature.slice(66, 130));
  const v = parseInt(signature.slice(130), 16) === 27 ? 28 : 27;
  return ethers.concat([r, ethers.toBeHex(s, 32), ethers.toBeHex(v, 1)]);
}

describe("UnitClaims", () => {
  let f: ClaimsFixture;
  const codes: Record<string, ReturnType<typeof codeFor>> = {};
  before(async () => {
    f = await loadFixture(claimsFixture);
    for (const u of [A, B, PACKED, BOXED]) codes[u] = codeFor(f, u);
  });
  const brand = () => f.claims.connect(f.accounts.exporter);

  describe("hashes: one definition in TypeScript and Solidity", () => {
    it("commitmentOf and chipTapDigest equal the SDK's encoders; another deployment gives other hashes", async () => {
      for (const [unit, secret] of [
        [A, claimSecret(generateClaimCode())],
        [B, ethers.ZeroHash],
      ]) {
        expect(await f.claims.commitmentOf(unit, secret)).to.equal(claimCommitment(f.at, unit as Hex, secret as Hex));
      }
      for (const counter of [0, 1, 2 ** 32 - 1]) {
        expect(await f.claims.chipTapDigest(A, counter)).to.equal(chipTapDigest(f.at, A as Hex, counter));
      }
      // A second registry on the same ledger: a secret revealed there opens nothing here.
      const other = await (await ethers.getContractFactory("UnitClaims")).deploy(await f.ledger.getAddress());
      expect(await other.commitmentOf(A, codes[A].secret)).to.not.equal(
        await f.claims.commitmentOf(A, codes[A].secret),
      );
      expect(await other.chipTapDigest(A, 1)).to.not.equal(await f.claims.chipTapDigest(A, 1));
    });

    it("reports its ledger, version and limits", async () => {
      expect(await f.claims.ledger()).to.equal(await f.ledger.getAddress());
      expect(await f.claims.version()).to.equal("1.0.0");
      expect(await f.claims.MAX_BATCH()).to.equal(500n);
      expect(await f.claims.MAX_SUN_COUNTER()).to.equal(0xffffffn);
    });
  });

  describe("commitClaims: the brand commits in batches", () => {
    it("the registrant's account commits a batch; claimOf returns each commitment, unclaimed", async () => {
      const us = [A, B, PACKED, BOXED];
      await expect(
        brand().commitClaims(
          us,
          us.map((u) => codes[u].commitment),
        ),
      )
        .to.emit(f.claims, "ClaimCommitted")
        .withArgs(A, f.orgIds.exporter, codes[A].commitment);
      const c = await f.claims.claimOf(B);
      expect([c.commitment, c.claimedAt, c.claimBlock, c.stage]).to.deep.equal([codes[B].commitment, 0n, 0n, 0n]);
    });

    it("ATTACK: a commitment is set once — nobody (the brand included) swaps it for a secret of their own", async () => {
      await expect(brand().commitClaims([A], [codeFor(f, A).commitment]))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsAlreadyCommitted")
        .withArgs(A);
    });

    it("ATTACK: another organization, the platform, the admin or a stranger cannot commit the brand's unit", async () => {
      const c = codeFor(f, C2).commitment;
      for (const who of [f.accounts.factory, f.accounts.platform, f.accounts.rival, f.admin, f.stranger]) {
        await expect(f.claims.connect(who).commitClaims([C2], [c]))
          .to.be.revertedWithCustomError(f.claims, "UnitClaimsNotBrand")
          .withArgs(C2, who.address, f.orgIds.exporter);
      }
      expect((await f.claims.claimOf(C2)).commitment).to.equal(ethers.ZeroHash);
    });

    it("ATTACK: a suspended account of the brand, or an account of a suspended brand, cannot commit", async () => {
      const key = f.spare[0];
      await (await f.ledger.connect(f.accounts.exporter).addAccountAsOrg(key.address, false)).wait();
      await (await f.ledger.connect(f.admin).suspendAccount(key.address)).wait();
      await expect(f.claims.connect(key).commitClaims([C2], [codeFor(f, C2).commitment]))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsNotBrand")
        .withArgs(C2, key.address, f.orgIds.exporter);
      await (await f.ledger.connect(f.admin).suspendOrganization(f.orgIds.rival)).wait();
      await expect(f.claims.connect(f.accounts.rival).commitClaims([RIVAL], [codeFor(f, RIVAL).commitment]))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsNotBrand")
        .withArgs(RIVAL, f.accounts.rival.address, f.orgIds.rival);
      await (await f.ledger.connect(f.admin).reactivateOrganization(f.orgIds.rival)).wait();
      // The rival brand commits its own unit once reactivated.
      await expect(f.claims.connect(f.accounts.rival).commitClaims([RIVAL], [codeFor(f, RIVAL).commitment])).to.emit(
        f.claims,
        "ClaimCommitted",
      );
    });

    it("refuses malformed batches whole: empty, too large, mismatched, zero, unknown or destroyed units", async () => {
      const c = codeFor(f, C2).commitment;
      await expect(brand().commitClaims([], [])).to.be.revertedWithCustomError(f.claims, "UnitClaimsEmptyBatch");
      const many = Array(501).fill(C2);
      await expect(brand().commitClaims(many, many))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsBatchTooLarge")
        .withArgs(501, 500);
      await expect(brand().commitClaims([C2], [c, c]))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsLengthMismatch")
        .withArgs(1, 2);
      // C2 is fine, the item after it is not: nothing of the batch is written.
      await expect(brand().commitClaims([C2, SPARE], [c, ethers.ZeroHash]))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsZeroCommitment")
        .withArgs(SPARE);
      expect((await f.claims.claimOf(C2)).commitment).to.equal(ethers.ZeroHash);
      const unknown = itemKey(999);
      await expect(brand().commitClaims([unknown], [c]))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsUnknownUnit")
        .withArgs(unknown);
      for (const dead of [DEAD, INSIDE_DEAD]) {
        await expect(brand().commitClaims([dead], [c]))
          .to.be.revertedWithCustomError(f.claims, "UnitClaimsUnitDestroyed")
          .withArgs(dead);
      }
    });
  });

  describe("claim: the secret, once, relayed by anyone", () => {
    it("ATTACK: the platform, the admin or the brand's relayer without the secret cannot claim", async () => {
      for (const who of [f.accounts.platform, f.admin, f.accounts.exporter]) {
        for (const guess of [ethers.ZeroHash, codes[A].commitment, claimSecret(generateClaimCode())]) {
          await expect(f.claims.connect(who).claim(A, guess))
            .to.be.revertedWithCustomError(f.claims, "UnitClaimsWrongSecret")
            .withArgs(A);
        }
      }
      await expect(f.claims.claim(C2, codes[A].secret))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsNoCommitment")
        .withArgs(C2);
    });

    it("ATTACK: A's secret does not open B, nor A's commitment copied onto another unit", async () => {
      await expect(f.claims.claim(B, codes[A].secret))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsWrongSecret")
        .withArgs(B);
      await (await brand().commitClaims([SPARE], [codes[A].commitment])).wait();
      await expect(f.claims.claim(SPARE, codes[A].secret))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsWrongSecret")
        .withArgs(SPARE);
    });

    it("a platform relay claims a unit before delivery: recorded with its time and the ACTIVE stage", async () => {
      const tx = await f.claims.connect(f.accounts.platform).claim(A, codes[A].secret);
      await expect(tx)
        .to.emit(f.claims, "Claimed")
        .withArgs(A, codes[A].secret, STAGES.ACTIVE, f.accounts.platform.address);
      const receipt = (await tx.wait())!;
      const block = (await ethers.provider.getBlock(receipt.blockNumber))!;
      const c = await f.claims.claimOf(A);
      expect([c.claimedAt, c.claimBlock, c.stage]).to.deep.equal([
        BigInt(block.timestamp),
        BigInt(receipt.blockNumber),
        BigInt(STAGES.ACTIVE),
      ]);
      expect(
        assessClaimCode(
          f.at,
          A as Hex,
          { commitment: c.commitment as Hex, claimedAt: Number(c.claimedAt), stage: Number(c.stage) },
          codes[A].code,
        ),
      ).to.equal("already-claimed");
    });

    it("ATTACK: a second claim — same code (a cloner read it from the chain) or another — names the first claim", async () => {
      const { claimedAt } = await f.claims.claimOf(A);
      await time.increase(3600);
      for (const secret of [codes[A].secret, claimSecret(generateClaimCode())]) {
        await expect(f.claims.connect(f.stranger).claim(A, secret))
          .to.be.revertedWithCustomError(f.claims, "UnitClaimsAlreadyClaimed")
          .withArgs(A, claimedAt);
      }
    });

    it("a packed item whose carton was delivered is claimed at the DELIVERED stage (its effective stage)", async () => {
      expect((await f.ledger.unitState(PACKED)).stage).to.equal(BigInt(STAGES.ACTIVE));
      await expect(f.claims.claim(PACKED, codes[PACKED].secret))
        .to.emit(f.claims, "Claimed")
        .withArgs(PACKED, codes[PACKED].secret, STAGES.DELIVERED, (await ethers.getSigners())[0].address);
      expect((await f.claims.claimOf(PACKED)).stage).to.equal(BigInt(STAGES.DELIVERED));
    });

    it("the SDK reads an offered code off chain: claimable, wrong code, no commitment", async () => {
      const state = await f.claims.claimOf(B);
      const s = { commitment: state.commitment as Hex, claimedAt: 0, stage: 0 };
      expect(assessClaimCode(f.at, B as Hex, s, codes[B].code.toLowerCase().replace(/-/g, " "))).to.equal("claimable");
      expect(assessClaimCode(f.at, B as Hex, s, codes[A].code)).to.equal("wrong-code");
      expect(assessClaimCode(f.at, C2 as Hex, { ...s, commitment: ethers.ZeroHash as Hex }, codes[B].code)).to.equal(
        "no-commitment",
      );
    });
  });

  describe("tags: binding by the brand", () => {
    it("the brand binds an NTAG to one unit and a chip to another; tagOf and unitOfTag read them back", async () => {
      await expect(brand().bindSunTag(T, UID))
        .to.emit(f.claims, "TagBound")
        .withArgs(T, TAG_KINDS.SUN, ethers.zeroPadBytes(UID, 20));
      await expect(brand().bindChip(CHIPPED, f.chip.address))
        .to.emit(f.claims, "TagBound")
        .withArgs(CHIPPED, TAG_KINDS.CHIP, f.chip.address.toLowerCase());
      const t = await f.claims.tagOf(T);
      expect([t.kind, t.id, t.lastCounter, t.lastTapAt]).to.deep.equal([
        BigInt(TAG_KINDS.SUN),
        ethers.zeroPadBytes(UID, 20),
        0n,
        0n,
      ]);
      expect(await f.claims.unitOfTag(ethers.zeroPadBytes(UID, 20))).to.equal(T);
      expect(await f.claims.unitOfTag(f.chip.address)).to.equal(CHIPPED);
    });

    it("ATTACK: one genuine tag never vouches for a second unit; a unit keeps its first tag; zero ids refused", async () => {
      await expect(brand().bindSunTag(SPARE, UID))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsTagInUse")
        .withArgs(ethers.zeroPadBytes(UID, 20), T);
      await expect(brand().bindChip(SPARE, f.chip.address))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsTagInUse")
        .withArgs(f.chip.address.toLowerCase(), CHIPPED);
      await expect(brand().bindChip(T, ethers.Wallet.createRandom().address))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsTagAlreadyBound")
        .withArgs(T);
      await expect(brand().bindSunTag(SPARE, "0x00000000000000"))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsZeroTag")
        .withArgs(SPARE);
      await expect(brand().bindChip(SPARE, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsZeroTag")
        .withArgs(SPARE);
    });

    it("ATTACK: no one but the brand binds a tag (a cloner binding its own chip to a genuine unit)", async () => {
      const mine = ethers.Wallet.createRandom().address;
      for (const who of [f.accounts.rival, f.accounts.platform, f.admin, f.stranger]) {
        await expect(f.claims.connect(who).bindChip(SPARE, mine))
          .to.be.revertedWithCustomError(f.claims, "UnitClaimsNotBrand")
          .withArgs(SPARE, who.address, f.orgIds.exporter);
        await expect(f.claims.connect(who).bindSunTag(SPARE, "0x04aabbccddeeff"))
          .to.be.revertedWithCustomError(f.claims, "UnitClaimsNotBrand")
          .withArgs(SPARE, who.address, f.orgIds.exporter);
      }
    });
  });

  describe("SUN taps: recorded by the brand's service when the counter rises", () => {
    it("records counter 61, then refuses 61 and 60 as replayed taps", async () => {
      await expect(brand().recordSunTap(T, UID, 61))
        .to.emit(f.claims, "TapRecorded")
        .withArgs(T, TAG_KINDS.SUN, 61, f.accounts.exporter.address);
      const t = await f.claims.tagOf(T);
      expect(t.lastCounter).to.equal(61n);
      expect(t.lastTapAt).to.equal(BigInt((await ethers.provider.getBlock("latest"))!.timestamp));
      for (const counter of [61, 60]) {
        await expect(brand().recordSunTap(T, UID, counter))
          .to.be.revertedWithCustomError(f.claims, "UnitClaimsTapReplayed")
          .withArgs(T, counter, 61);
      }
      await expect(brand().recordSunTap(T, UID, 62)).to.emit(f.claims, "TapRecorded");
    });

    it("ATTACK: only the brand records SUN taps; wrong tag, wrong kind and out-of-range counters are refused", async () => {
      for (const who of [f.accounts.platform, f.admin, f.stranger]) {
        await expect(f.claims.connect(who).recordSunTap(T, UID, 1000))
          .to.be.revertedWithCustomError(f.claims, "UnitClaimsNotBrand")
          .withArgs(T, who.address, f.orgIds.exporter);
      }
      await expect(brand().recordSunTap(T, "0x04aabbccddeeff", 1000))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsTagMismatch")
        .withArgs(T, TAG_KINDS.SUN);
      await expect(brand().recordSunTap(CHIPPED, UID, 1000))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsTagMismatch")
        .withArgs(CHIPPED, TAG_KINDS.SUN);
      await expect(brand().recordSunTap(T, UID, 0x1000000))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsCounterTooLarge")
        .withArgs(0x1000000);
    });
  });

  describe("chip taps: anyone submits the chip's signature", () => {
    it("a stranger submits a tap the chip signed; the SDK verifies the same signature", async () => {
      const signature = chipSign(f, CHIPPED, 1);
      const ok = await verifyChipTap({
        ...f.at,
        unit: CHIPPED as Hex,
        counter: 1,
        signature: signature as Hex,
        chip: f.chip.address as Hex,
      });
      expect(ok.counter).to.equal(1);
      await expect(f.claims.connect(f.stranger).submitChipTap(CHIPPED, 1, signature))
        .to.emit(f.claims, "TapRecorded")
        .withArgs(CHIPPED, TAG_KINDS.CHIP, 1, f.stranger.address);
      expect((await f.claims.tagOf(CHIPPED)).lastCounter).to.equal(1n);
    });

    it("ATTACK: the same signature again is a replayed tap, on chain and in the SDK", async () => {
      const signature = chipSign(f, CHIPPED, 1);
      await expect(f.claims.submitChipTap(CHIPPED, 1, signature))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsTapReplayed")
        .withArgs(CHIPPED, 1, 1);
      const input = {
        ...f.at,
        unit: CHIPPED as Hex,
        counter: 1,
        signature: signature as Hex,
        chip: f.chip.address as Hex,
      };
      const err = await verifyChipTap({ ...input, lastCounter: 1 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ReplayedTapError);
    });

    it("ATTACK: the chip's signature for another unit, another chip's signature, or a malleated one is refused", async () => {
      const forOther = chipSign(f, SPARE, 2);
      const recovered = ethers.recoverAddress(chipTapDigest(f.at, CHIPPED as Hex, 2), forOther);
      await expect(f.claims.submitChipTap(CHIPPED, 2, forOther))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsBadChipSignature")
        .withArgs(CHIPPED, recovered);
      const cloner = ethers.Wallet.createRandom();
      await expect(f.claims.submitChipTap(CHIPPED, 2, chipSign(f, CHIPPED, 2, cloner)))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsBadChipSignature")
        .withArgs(CHIPPED, cloner.address);
      const high = malleate(chipSign(f, CHIPPED, 2));
      // The malleated form is a valid ecrecover signature of the chip: only the low-s rule refuses it.
      expect(await recoverAddress({ hash: chipTapDigest(f.at, CHIPPED as Hex, 2), signature: high as Hex })).to.equal(
        f.chip.address,
      );
      for (const bad of [high, "0x1234"]) {
        await expect(f.claims.submitChipTap(CHIPPED, 2, bad))
          .to.be.revertedWithCustomError(f.claims, "UnitClaimsBadChipSignature")
          .withArgs(CHIPPED, ethers.ZeroAddress);
      }
      const sdk = (signature: string, unit = CHIPPED) =>
        verifyChipTap({
          ...f.at,
          unit: unit as Hex,
          counter: 2,
          signature: signature as Hex,
          chip: f.chip.address as Hex,
        }).catch((e: unknown) => e);
      for (const sig of [forOther, high]) expect(await sdk(sig)).to.be.instanceOf(TagNotGenuineError);
      await expect(f.claims.submitChipTap(T, 2, chipSign(f, T, 2)))
        .to.be.revertedWithCustomError(f.claims, "UnitClaimsTagMismatch")
        .withArgs(T, TAG_KINDS.CHIP);
    });
  });

  describe("the SDK's reader", () => {
    it("readUnitAuthenticity returns the claim and the tag as the contract records them", async () => {
      const client = hardhatClient();
      const a = await readUnitAuthenticity(client, f.at.claims, A as Hex);
      const c = await f.claims.claimOf(A);
      expect(a.claim).to.deep.equal({
        commitment: codes[A].commitment,
        claimedAt: Number(c.claimedAt),
        claimBlock: Number(c.claimBlock),
        stage: STAGES.ACTIVE,
      });
      const t = await readUnitAuthenticity(client, f.at.claims, T as Hex);
      expect(t.tag).to.deep.include({ kind: TAG_KINDS.SUN, id: ethers.zeroPadBytes(UID, 20), lastCounter: 62 });
      const none = await readUnitAuthenticity(client, f.at.claims, SPARE as Hex);
      expect([none.tag.kind, none.claim.claimedAt]).to.deep.equal([TAG_KINDS.NONE, 0]);
    });
  });

  describe("the ledger's pause", () => {
    it("ATTACK-proof pause: while the ledger is paused nothing is written here; after it, everything works", async () => {
      await (await f.ledger.connect(f.admin).pause()).wait();
      const c = codeFor(f, C2);
      const calls = [
        () => brand().commitClaims([C2], [c.commitment]),
        () => f.claims.claim(B, codes[B].secret),
        () => brand().bindSunTag(SPARE, "0x04aabbccddeeff"),
        () => brand().bindChip(SPARE, ethers.Wallet.createRandom().address),
        () => brand().recordSunTap(T, UID, 100),
        () => f.claims.submitChipTap(CHIPPED, 3, chipSign(f, CHIPPED, 3)),
      ];
      for (const call of calls) await expect(call()).to.be.revertedWithCustomError(f.claims, "UnitClaimsPaused");
      await (await f.ledger.connect(f.admin).unpause()).wait();
      await expect(f.claims.claim(B, codes[B].secret)).to.emit(f.claims, "Claimed");
      await expect(f.claims.submitChipTap(CHIPPED, 3, chipSign(f, CHIPPED, 3))).to.emit(f.claims, "TapRecorded");
    });
  });

  describe("gas", () => {
    it("per commitment (batched), per claim and per tap stay within their budgets", async function () {
      // The coverage build's instrumentation adds gas to every statement: budgets hold for the real build.
      if (isCoverageRun()) this.skip();
      const batch = Array.from({ length: 50 }, (_, i) => itemKey(500 + i));
      await (await f.ledger.connect(f.accounts.exporter).registerBatch(batch.map((u) => registrationOf(u)))).wait();
      const cs = batch.map((u) => codeFor(f, u));
      const commit = (await (
        await brand().commitClaims(
          batch,
          cs.map((c) => c.commitment),
        )
      ).wait())!.gasUsed;
      const claim = (await (await f.claims.claim(batch[0], cs[0].secret)).wait())!.gasUsed;
      await (await brand().bindChip(batch[1], f.spare[1].address)).wait();
      const chipWallet = new ethers.Wallet(ethers.hexlify(ethers.randomBytes(32)));
      await (await brand().bindChip(batch[2], chipWallet.address)).wait();
      const chipTap = (await (
        await f.claims.submitChipTap(batch[2], 1, chipSign(f, batch[2], 1, chipWallet as never))
      ).wait())!.gasUsed;
      const sunTap = (await (await brand().recordSunTap(T, UID, 200)).wait())!.gasUsed;
      const perUnit = Number(commit) / batch.length;
      if (process.env.REPORT_GAS) console.log({ perUnit, claim, chipTap, sunTap });
      expect(perUnit).to.be.below(40_000);
      expect(Number(claim)).to.be.below(90_000);
      expect(Number(chipTap)).to.be.below(70_000);
      expect(Number(sunTap)).to.be.below(60_000);
    });
  });
});
