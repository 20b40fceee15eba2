/**
 * Identity is owned (issue 11 item 2): attacks on the prefix registry. Each ATTACK — a rival member, a
 * contract manufacturer or the consortium admin composing allowed calls into a forbidden outcome — is refused
 * with its exact error, next to the LEGIT flow it must leave working. The fixture licenses EXPORTER_PREFIX
 * (the brand) to the exporter (licence 1) and RIVAL_PREFIX to the rival (licence 2).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { unitKeyOfPath } from "../../src/gs1/key";
import {
  deployLedger,
  EXPORTER_PREFIX,
  itemKey,
  pathKey,
  pathOf,
  prefixHash,
  registration,
  rivalItemKey,
  RIVAL_PREFIX,
  scheduleLicence,
  type LedgerFixture,
} from "../helpers/ledger";

const BRAND_SERIALS = [1, 2, 3].map((n) => itemKey(n, "BRAND"));

/** The call data and operation id of `licensePrefix(prefix, orgId)`. */
function licenceOp(f: LedgerFixture, prefix: string, orgId: number): { data: string; id: string } {
  const data = f.ledger.interface.encodeFunctionData("licensePrefix", [prefix, orgId]);
  return { data, id: ethers.keccak256(data) };
}

describe("PrefixRegistry attacks: identity is owned", () => {
  it("(a) ATTACK: a rival registers the brand's GTIN serials first → TraceLedgerCodeNotLicensed; LEGIT: the brand then registers them", async () => {
    const f = await loadFixture(deployLedger);
    const rival = f.ledger.connect(f.accounts.rival);
    for (const u of BRAND_SERIALS) {
      await expect(rival.register(registration(u)))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
        .withArgs(u, f.orgIds.rival, f.orgIds.exporter);
    }
    await expect(rival.registerBatch(BRAND_SERIALS.map((u) => registration(u))))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
      .withArgs(
        0,
        f.ledger.interface.encodeErrorResult("TraceLedgerCodeNotLicensed", [
          BRAND_SERIALS[0],
          f.orgIds.rival,
          f.orgIds.exporter,
        ]),
      );
    // No prefix length makes the brand's bytes the rival's: every length is refused.
    for (let len = 0; len <= 20; len++) {
      await expect(rival.register({ ...registration(BRAND_SERIALS[0]), prefixLength: len }), `length ${len}`)
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
        .withArgs(BRAND_SERIALS[0], f.orgIds.rival, len === EXPORTER_PREFIX.length ? f.orgIds.exporter : 0);
    }
    for (const u of BRAND_SERIALS) expect((await f.ledger.unitState(u)).seq).to.equal(0n);
    await (await f.ledger.connect(f.accounts.exporter).registerBatch(BRAND_SERIALS.map((u) => registration(u)))).wait();
    for (const u of BRAND_SERIALS) expect((await f.ledger.unitState(u)).registrant).to.equal(f.orgIds.exporter);
  });

  it("(b) ATTACK: the admin licenses a brand's new prefix to the rival in one transaction → ConsortiumOperationNotReady(opId, 0)", async () => {
    const f = await loadFixture(deployLedger);
    const brandNew = "9529001";
    const { id } = licenceOp(f, brandNew, f.orgIds.rival);
    await expect(f.ledger.licensePrefix(brandNew, f.orgIds.rival))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
      .withArgs(id, 0);
    expect(await f.ledger.prefixLicence(brandNew)).to.deep.equal([0n, 0n]);
  });

  it("(b) ATTACK: revoke the brand's prefix (immediate) and license it to the rival at once → PrefixRecentlyRevoked, and unannounced → ConsortiumOperationNotReady; the rival registers nothing", async () => {
    const f = await loadFixture(deployLedger);
    const { id } = licenceOp(f, EXPORTER_PREFIX, f.orgIds.rival);
    await (await f.ledger.revokePrefix(EXPORTER_PREFIX)).wait();
    await expect(f.ledger.licensePrefix(EXPORTER_PREFIX, f.orgIds.rival)).to.be.revertedWithCustomError(
      f.ledger,
      "PrefixRecentlyRevoked",
    );
    await time.increase(Number(await f.ledger.defaultAdminDelay()));
    await expect(f.ledger.licensePrefix(EXPORTER_PREFIX, f.orgIds.rival))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
      .withArgs(id, 0);
    await expect(f.ledger.connect(f.accounts.rival).register(registration(BRAND_SERIALS[0])))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(BRAND_SERIALS[0], f.orgIds.rival, 0);
  });

  it("(b) ATTACK: the admin licenses the held brand prefix to the rival directly → PrefixAlreadyLicensed; after the public delay → PrefixAlreadyLicensed too", async () => {
    const f = await loadFixture(deployLedger);
    await expect(f.ledger.licensePrefix(EXPORTER_PREFIX, f.orgIds.rival))
      .to.be.revertedWithCustomError(f.ledger, "PrefixAlreadyLicensed")
      .withArgs(EXPORTER_PREFIX, f.orgIds.exporter);
    const { data, id } = licenceOp(f, EXPORTER_PREFIX, f.orgIds.rival);
    // The announcement is public: its log carries the exact call.
    await expect(f.ledger.schedule(data)).to.emit(f.ledger, "OperationScheduled").withArgs(id, anyValue, data);
    await time.increase(Number(await f.ledger.defaultAdminDelay()));
    await expect(f.ledger.licensePrefix(EXPORTER_PREFIX, f.orgIds.rival))
      .to.be.revertedWithCustomError(f.ledger, "PrefixAlreadyLicensed")
      .withArgs(EXPORTER_PREFIX, f.orgIds.exporter);
    expect(await f.ledger.prefixLicence(EXPORTER_PREFIX)).to.deep.equal([BigInt(f.orgIds.exporter), 1n]);
    // LEGIT: the brand keeps registering.
    await (await f.ledger.connect(f.accounts.exporter).register(registration(BRAND_SERIALS[0]))).wait();
    // The refused operation stays announced (scheduleOf ≠ 0) until the admin cancels it: anyone watching the
    // ledger sees a pending transfer of the brand's prefix (see docs/contracts.md, "stale announcements").
    expect(await f.ledger.scheduleOf(id)).to.not.equal(0);
    await expect(f.ledger.cancelDelayedCall(id)).to.emit(f.ledger, "OperationCancelled").withArgs(id);
  });

  // A licence announced while the brand holds the prefix fails when sent (PrefixAlreadyLicensed), so nobody
  // objects to it, and it stays announced. A revoke (immediate) must not let it run at once: codes a revoke
  // frees wait a full delay (PrefixRecentlyRevoked), for the revoked prefix and for any licence overlapping it.
  // The shorter prefix also covers RIVAL_PREFIX, so that licence is revoked too.
  for (const [label, revoked, licensed] of [
    ["the same prefix", [EXPORTER_PREFIX], EXPORTER_PREFIX],
    ["a longer prefix inside it", [EXPORTER_PREFIX], EXPORTER_PREFIX + "5"],
    ["a shorter prefix around it", [RIVAL_PREFIX, EXPORTER_PREFIX], EXPORTER_PREFIX.slice(0, 6)],
  ] as const) {
    it(`(b) ATTACK: a licence of ${label}, announced while the brand held the prefix, sent right after a revoke → PrefixRecentlyRevoked; LEGIT: one delay after the revoke it runs`, async () => {
      const f = await loadFixture(deployLedger);
      const { data } = licenceOp(f, licensed, f.orgIds.rival);
      await (await f.ledger.schedule(data)).wait();
      await time.increase(30 * 24 * 3600); // long after the announcement, which looked harmless (it fails)
      await expect(f.ledger.licensePrefix(licensed, f.orgIds.rival)).to.be.reverted;
      for (const prefix of revoked) await (await f.ledger.revokePrefix(prefix)).wait();
      const freed = BigInt(await time.latest());
      const delay = await f.ledger.defaultAdminDelay();
      await expect(f.ledger.licensePrefix(licensed, f.orgIds.rival))
        .to.be.revertedWithCustomError(f.ledger, "PrefixRecentlyRevoked")
        .withArgs(licensed, freed + delay);
      expect((await f.ledger.prefixLicence(licensed)).holder).to.equal(0);
      // The rival still cannot register the brand's codes.
      await expect(
        f.ledger
          .connect(f.accounts.rival)
          .register({ ...registration(BRAND_SERIALS[0]), prefixLength: licensed.length }),
      ).to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed");
      await time.increaseTo(freed + delay - 2n); // the next transaction's block is one second later
      await expect(f.ledger.licensePrefix(licensed, f.orgIds.rival)).to.be.revertedWithCustomError(
        f.ledger,
        "PrefixRecentlyRevoked",
      );
      // A full delay after the revoke (public: the revoke's log and the announcement) the licence runs.
      await expect(f.ledger.licensePrefix(licensed, f.orgIds.rival))
        .to.emit(f.ledger, "PrefixLicensed")
        .withArgs(prefixHash(licensed), f.orgIds.rival, anyValue, licensed);
    });
  }

  it("LEGIT: a revoke holds back only licences overlapping the revoked prefix, not a neighbour sharing its first digits", async () => {
    const f = await loadFixture(deployLedger);
    const neighbour = EXPORTER_PREFIX.slice(0, 5) + "99"; // 95212·99: shares 5 digits, overlaps neither licence
    await scheduleLicence(f.ledger, neighbour, f.orgIds.factory);
    await (await f.ledger.revokePrefix(EXPORTER_PREFIX)).wait();
    await expect(f.ledger.licensePrefix(neighbour, f.orgIds.factory))
      .to.emit(f.ledger, "PrefixLicensed")
      .withArgs(prefixHash(neighbour), f.orgIds.factory, anyValue, neighbour);
  });

  it("(c) ATTACK: the admin licenses a longer prefix inside the brand's → PrefixWithinLicensed, also after the delay", async () => {
    const f = await loadFixture(deployLedger);
    const inside = EXPORTER_PREFIX + "5";
    await scheduleLicence(f.ledger, inside, f.orgIds.rival);
    await expect(f.ledger.licensePrefix(inside, f.orgIds.rival))
      .to.be.revertedWithCustomError(f.ledger, "PrefixWithinLicensed")
      .withArgs(inside, EXPORTER_PREFIX);
    // The rival cannot use the longer run on the brand's code either.
    const brandCode = BRAND_SERIALS[0];
    await expect(f.ledger.connect(f.accounts.rival).register({ ...registration(brandCode), prefixLength: 8 }))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(brandCode, f.orgIds.rival, 0);
  });

  it("(c) ATTACK: the admin licenses a shorter prefix around the brand's → PrefixCoversLicensed, also after the delay", async () => {
    const f = await loadFixture(deployLedger);
    const around = EXPORTER_PREFIX.slice(0, 5);
    await scheduleLicence(f.ledger, around, f.orgIds.rival);
    await expect(f.ledger.licensePrefix(around, f.orgIds.rival))
      .to.be.revertedWithCustomError(f.ledger, "PrefixCoversLicensed")
      .withArgs(around, 2); // it would cover both fixture prefixes
    expect(await f.ledger.prefixLicence(around)).to.deep.equal([0n, 0n]);
    expect(await f.ledger.mayRegisterUnder(EXPORTER_PREFIX, f.orgIds.exporter)).to.equal(true);
  });

  it("(d) LEGIT: a contract manufacturer registers under the brand's authorization; ATTACK: after withdrawal it cannot", async () => {
    const f = await loadFixture(deployLedger);
    const brand = f.ledger.connect(f.accounts.exporter);
    const factory = f.ledger.connect(f.accounts.factory);
    await (await brand.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true)).wait();
    await (await factory.registerBatch(BRAND_SERIALS.slice(0, 2).map((u) => registration(u)))).wait();
    for (const u of BRAND_SERIALS.slice(0, 2)) {
      const s = await f.ledger.unitState(u);
      expect([s.registrant, s.custodian]).to.deep.equal([BigInt(f.orgIds.factory), BigInt(f.orgIds.factory)]);
    }
    await (await brand.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, false)).wait();
    await expect(factory.register(registration(BRAND_SERIALS[2])))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(BRAND_SERIALS[2], f.orgIds.factory, f.orgIds.exporter);
    // The manufacturer's authorization is under the brand's prefix only: not the rival's.
    await (await brand.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true)).wait();
    await expect(factory.register(registration(rivalItemKey(1))))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(rivalItemKey(1), f.orgIds.factory, f.orgIds.rival);
  });

  it("(e) ATTACK: revoke + relicense to the same brand: the old authorization is dead (licence numbers)", async () => {
    const f = await loadFixture(deployLedger);
    const brand = f.ledger.connect(f.accounts.exporter);
    await (await brand.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true)).wait();
    await (await f.ledger.revokePrefix(EXPORTER_PREFIX)).wait();
    await scheduleLicence(f.ledger, EXPORTER_PREFIX, f.orgIds.exporter);
    await expect(f.ledger.licensePrefix(EXPORTER_PREFIX, f.orgIds.exporter))
      .to.emit(f.ledger, "PrefixLicensed")
      .withArgs(prefixHash(EXPORTER_PREFIX), f.orgIds.exporter, 3n, EXPORTER_PREFIX);
    expect(await f.ledger.mayRegisterUnder(EXPORTER_PREFIX, f.orgIds.factory)).to.equal(false);
    await expect(f.ledger.connect(f.accounts.factory).register(registration(BRAND_SERIALS[0])))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(BRAND_SERIALS[0], f.orgIds.factory, f.orgIds.exporter);
    // Withdrawing the dead authorization is "unchanged"; the brand authorizes afresh under licence 3.
    await expect(brand.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, false))
      .to.be.revertedWithCustomError(f.ledger, "PrefixAuthorizationUnchanged")
      .withArgs(EXPORTER_PREFIX, f.orgIds.factory, false);
    await expect(brand.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true))
      .to.emit(f.ledger, "ManufacturerAuthorized")
      .withArgs(prefixHash(EXPORTER_PREFIX), f.orgIds.exporter, f.orgIds.factory, 3n, true);
    await (await f.ledger.connect(f.accounts.factory).register(registration(BRAND_SERIALS[0]))).wait();
  });

  it("(e) ATTACK: the brand's authorization does not pass to a new holder of the prefix", async () => {
    const f = await loadFixture(deployLedger);
    await (
      await f.ledger.connect(f.accounts.exporter).authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true)
    ).wait();
    await (await f.ledger.revokePrefix(EXPORTER_PREFIX)).wait();
    await scheduleLicence(f.ledger, EXPORTER_PREFIX, f.orgIds.lab);
    await (await f.ledger.licensePrefix(EXPORTER_PREFIX, f.orgIds.lab)).wait();
    expect(await f.ledger.mayRegisterUnder(EXPORTER_PREFIX, f.orgIds.factory)).to.equal(false);
    expect(await f.ledger.mayRegisterUnder(EXPORTER_PREFIX, f.orgIds.exporter)).to.equal(false);
  });

  it("(f) ATTACK: a manufacturer 'authorized' by a non-holder, by the holder's non-admin key, by itself or by another manufacturer → refused", async () => {
    const f = await loadFixture(deployLedger);
    const [clerk] = f.spare;
    await (await f.ledger.connect(f.accounts.exporter).addAccountAsOrg(clerk.address, false)).wait();
    await expect(f.ledger.connect(f.accounts.rival).authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true))
      .to.be.revertedWithCustomError(f.ledger, "PrefixNotHolder")
      .withArgs(EXPORTER_PREFIX, f.orgIds.rival, f.orgIds.exporter);
    await expect(f.ledger.connect(clerk).authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumNotOrganizationAdmin")
      .withArgs(clerk.address, f.orgIds.exporter);
    await expect(f.ledger.connect(f.accounts.factory).authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true))
      .to.be.revertedWithCustomError(f.ledger, "PrefixNotHolder")
      .withArgs(EXPORTER_PREFIX, f.orgIds.factory, f.orgIds.exporter);
    // An authorized manufacturer cannot pass the authorization on.
    await (
      await f.ledger.connect(f.accounts.exporter).authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true)
    ).wait();
    await expect(f.ledger.connect(f.accounts.factory).authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.rival, true))
      .to.be.revertedWithCustomError(f.ledger, "PrefixNotHolder")
      .withArgs(EXPORTER_PREFIX, f.orgIds.factory, f.orgIds.exporter);
    expect(await f.ledger.mayRegisterUnder(EXPORTER_PREFIX, f.orgIds.rival)).to.equal(false);
    await expect(f.ledger.connect(f.accounts.rival).register(registration(BRAND_SERIALS[0])))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(BRAND_SERIALS[0], f.orgIds.rival, f.orgIds.exporter);
  });

  it("(g) ATTACK: a rival re-registering a registered brand code learns nothing: the same TraceLedgerCodeNotLicensed as for an unregistered one", async () => {
    const f = await loadFixture(deployLedger);
    const [registered, unregistered] = BRAND_SERIALS;
    await (await f.ledger.connect(f.accounts.exporter).register(registration(registered))).wait();
    const rival = f.ledger.connect(f.accounts.rival);
    for (const u of [registered, unregistered]) {
      await expect(rival.register(registration(u)))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCodeNotLicensed")
        .withArgs(u, f.orgIds.rival, f.orgIds.exporter);
    }
    const s = await f.ledger.unitState(registered);
    expect([s.seq, s.registrant]).to.deep.equal([1n, BigInt(f.orgIds.exporter)]);
  });

  it("(h) ATTACK: non-canonical code bytes under the rival's own prefix only make keys under its prefix — keccak256 of the bytes sent", async () => {
    const f = await loadFixture(deployLedger);
    const rival = f.ledger.connect(f.accounts.rival);
    const brandPath = pathOf(BRAND_SERIALS[0]); // "/01/09521234…/10/BRAND/21/S1"
    // Bytes that start with the rival's prefix at offset 5 but embed the brand's code, or spell it
    // non-canonically (indicator digit, case, trailing slash, query).
    const forged = [
      `/401/${RIVAL_PREFIX}${brandPath}`,
      `/01/1${RIVAL_PREFIX}${brandPath.slice(12)}`,
      `/00/0${RIVAL_PREFIX}/`,
      `/01/0${RIVAL_PREFIX}543212/10/brand/21/s1?x=1`,
    ];
    for (const path of forged) {
      expect(path.slice(5, 5 + RIVAL_PREFIX.length)).to.equal(RIVAL_PREFIX);
      const unit = pathKey(path);
      const r = registration(unit);
      await expect(rival.register(r))
        .to.emit(f.ledger, "Traced")
        .withArgs(ethers.keccak256(ethers.toUtf8Bytes(path)), f.accounts.rival.address, r.recordHash, anyValue);
      expect(unit).to.not.equal(BRAND_SERIALS[0]);
    }
    // The brand's canonical key is untouched and still the brand's to register.
    expect((await f.ledger.unitState(BRAND_SERIALS[0])).seq).to.equal(0n);
    await (await f.ledger.connect(f.accounts.exporter).register(registration(BRAND_SERIALS[0]))).wait();
    expect((await f.ledger.unitState(unitKeyOfPath(brandPath))).registrant).to.equal(f.orgIds.exporter);
  });
});
