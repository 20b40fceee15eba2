/**
 * The GS1 Company Prefix registry (2.1, `IPrefixRegistry`): every function for every relevant caller, allowed
 * and refused, every revert path with its exact custom error and arguments, the events and the views.
 * The fixture licenses EXPORTER_PREFIX to the exporter (licence 1) and RIVAL_PREFIX to the rival (licence 2).
 * Registration under the registry is in `PrefixRegistry.registration.test.ts`, attacks in
 * `PrefixRegistry.attacks.test.ts`.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  deployLedger,
  EXPORTER_PREFIX,
  itemKey,
  prefixHash,
  registration,
  RIVAL_PREFIX,
  scheduleLicence,
} from "../helpers/ledger";

const FRESH = "9529876";

describe("PrefixRegistry: licensePrefix (consortium admin, after the public delay)", () => {
  it("the fixture's licences: holders and increasing licence numbers", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    expect(await ledger.prefixLicence(EXPORTER_PREFIX)).to.deep.equal([BigInt(orgIds.exporter), 1n]);
    expect(await ledger.prefixLicence(RIVAL_PREFIX)).to.deep.equal([BigInt(orgIds.rival), 2n]);
    expect(await ledger.prefixLicence(FRESH)).to.deep.equal([0n, 0n]);
  });

  it("LEGIT: scheduled, executed after the delay → PrefixLicensed and OperationExecuted; views follow", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    const id = await scheduleLicence(ledger, FRESH, orgIds.factory);
    await expect(ledger.licensePrefix(FRESH, orgIds.factory))
      .to.emit(ledger, "PrefixLicensed")
      .withArgs(prefixHash(FRESH), orgIds.factory, 3n, FRESH)
      .and.to.emit(ledger, "OperationExecuted")
      .withArgs(id);
    expect(await ledger.prefixLicence(FRESH)).to.deep.equal([BigInt(orgIds.factory), 3n]);
    expect(await ledger.mayRegisterUnder(FRESH, orgIds.factory)).to.equal(true);
    expect(await ledger.mayRegisterUnder(FRESH, orgIds.exporter)).to.equal(false);
    expect(await ledger.scheduleOf(id)).to.equal(0);
    // The next licence gets the next number.
    await scheduleLicence(ledger, "9529877", orgIds.lab);
    await expect(ledger.licensePrefix("9529877", orgIds.lab))
      .to.emit(ledger, "PrefixLicensed")
      .withArgs(prefixHash("9529877"), orgIds.lab, 4n, "9529877");
  });

  it("accepts the shortest (4) and longest (12) prefixes", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    for (const p of ["6123", "712345678901"]) {
      await scheduleLicence(ledger, p, orgIds.factory);
      await expect(ledger.licensePrefix(p, orgIds.factory)).to.emit(ledger, "PrefixLicensed");
      expect((await ledger.prefixLicence(p)).holder).to.equal(orgIds.factory);
    }
  });

  it("not scheduled → ConsortiumOperationNotReady(opId, 0); nothing licensed", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    const data = ledger.interface.encodeFunctionData("licensePrefix", [FRESH, orgIds.factory]);
    await expect(ledger.licensePrefix(FRESH, orgIds.factory))
      .to.be.revertedWithCustomError(ledger, "ConsortiumOperationNotReady")
      .withArgs(ethers.keccak256(data), 0);
    expect(await ledger.prefixLicence(FRESH)).to.deep.equal([0n, 0n]);
  });

  it("scheduled but sent one second early → ConsortiumOperationNotReady(opId, readyAt)", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    const data = ledger.interface.encodeFunctionData("licensePrefix", [FRESH, orgIds.factory]);
    await (await ledger.schedule(data)).wait();
    const readyAt = await ledger.scheduleOf(ethers.keccak256(data));
    await time.setNextBlockTimestamp(readyAt - 1n);
    await expect(ledger.licensePrefix(FRESH, orgIds.factory))
      .to.be.revertedWithCustomError(ledger, "ConsortiumOperationNotReady")
      .withArgs(ethers.keccak256(data), readyAt);
    // At readyAt it runs.
    await time.setNextBlockTimestamp(readyAt);
    await expect(ledger.licensePrefix(FRESH, orgIds.factory)).to.emit(ledger, "PrefixLicensed");
  });

  it("replayed after it ran (and the licence was revoked) → ConsortiumOperationNotReady(opId, 0)", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    const id = await scheduleLicence(ledger, FRESH, orgIds.factory);
    await (await ledger.licensePrefix(FRESH, orgIds.factory)).wait();
    await (await ledger.revokePrefix(FRESH)).wait();
    await time.increase(Number(await ledger.defaultAdminDelay())); // past the revoke's own wait
    await expect(ledger.licensePrefix(FRESH, orgIds.factory))
      .to.be.revertedWithCustomError(ledger, "ConsortiumOperationNotReady")
      .withArgs(id, 0);
    expect(await ledger.prefixLicence(FRESH)).to.deep.equal([0n, 0n]);
  });

  it("a member, a stranger → AccessControlUnauthorizedAccount(caller, 0x00), even when scheduled", async () => {
    const { ledger, accounts, stranger, orgIds } = await loadFixture(deployLedger);
    await scheduleLicence(ledger, FRESH, orgIds.exporter);
    for (const who of [accounts.exporter, accounts.customs, stranger]) {
      await expect(ledger.connect(who).licensePrefix(FRESH, orgIds.exporter))
        .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, ethers.ZeroHash);
    }
    expect(await ledger.prefixLicence(FRESH)).to.deep.equal([0n, 0n]);
  });

  for (const [what, bad] of [
    ["3 digits", "952"],
    ["13 digits", "9521234567890"],
    ["a letter", "95212A4"],
    ["a space", "9521 34"],
    ["empty", ""],
  ] as const) {
    it(`PrefixInvalid: ${what}`, async () => {
      const { ledger, orgIds } = await loadFixture(deployLedger);
      await expect(ledger.licensePrefix(bad, orgIds.factory))
        .to.be.revertedWithCustomError(ledger, "PrefixInvalid")
        .withArgs(bad);
    });
  }

  it("ConsortiumUnknownOrganization for org 0 and for the next, not yet added id", async () => {
    const { ledger } = await loadFixture(deployLedger);
    const next = Number(await ledger.organizationCount()) + 1;
    for (const org of [0, next]) {
      await expect(ledger.licensePrefix(FRESH, org))
        .to.be.revertedWithCustomError(ledger, "ConsortiumUnknownOrganization")
        .withArgs(org);
    }
  });

  it("PrefixAlreadyLicensed(prefix, holder): to another organization and to the holder again", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    for (const org of [orgIds.rival, orgIds.exporter]) {
      await expect(ledger.licensePrefix(EXPORTER_PREFIX, org))
        .to.be.revertedWithCustomError(ledger, "PrefixAlreadyLicensed")
        .withArgs(EXPORTER_PREFIX, orgIds.exporter);
    }
  });

  it("PrefixWithinLicensed(prefix, licensed): a longer prefix inside a licensed one, at every length", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    for (const longer of ["95212340", "952123499", "952123400001"]) {
      await expect(ledger.licensePrefix(longer, orgIds.factory))
        .to.be.revertedWithCustomError(ledger, "PrefixWithinLicensed")
        .withArgs(longer, EXPORTER_PREFIX);
    }
  });

  it("PrefixCoversLicensed(prefix, count); revoking the longer ones frees the shorter", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    // "952123" starts both fixture prefixes; "9521" too.
    for (const shorter of ["952123", "9521"]) {
      await expect(ledger.licensePrefix(shorter, orgIds.factory))
        .to.be.revertedWithCustomError(ledger, "PrefixCoversLicensed")
        .withArgs(shorter, 2);
    }
    await (await ledger.revokePrefix(RIVAL_PREFIX)).wait();
    await expect(ledger.licensePrefix("952123", orgIds.factory))
      .to.be.revertedWithCustomError(ledger, "PrefixCoversLicensed")
      .withArgs("952123", 1);
    await (await ledger.revokePrefix(EXPORTER_PREFIX)).wait();
    await scheduleLicence(ledger, "952123", orgIds.factory);
    await expect(ledger.licensePrefix("952123", orgIds.factory))
      .to.emit(ledger, "PrefixLicensed")
      .withArgs(prefixHash("952123"), orgIds.factory, 3n, "952123");
    // Now the longer ones are inside it.
    await expect(ledger.licensePrefix(EXPORTER_PREFIX, orgIds.exporter))
      .to.be.revertedWithCustomError(ledger, "PrefixWithinLicensed")
      .withArgs(EXPORTER_PREFIX, "952123");
  });

  it("a sibling prefix (same length, other digits) is independent", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    await scheduleLicence(ledger, "9521236", orgIds.factory);
    await expect(ledger.licensePrefix("9521236", orgIds.factory)).to.emit(ledger, "PrefixLicensed");
    expect(await ledger.prefixLicence(EXPORTER_PREFIX)).to.deep.equal([BigInt(orgIds.exporter), 1n]);
  });
});

describe("PrefixRegistry: revokePrefix (consortium admin, immediate)", () => {
  it("LEGIT: PrefixRevoked(hash, holder, licence); views cleared; registered codes stay; new codes refused", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    const kept = itemKey(1);
    await (await ex.register(registration(kept))).wait();
    await expect(ledger.revokePrefix(EXPORTER_PREFIX))
      .to.emit(ledger, "PrefixRevoked")
      .withArgs(prefixHash(EXPORTER_PREFIX), orgIds.exporter, 1n, EXPORTER_PREFIX)
      .and.not.to.emit(ledger, "OperationExecuted");
    expect(await ledger.prefixLicence(EXPORTER_PREFIX)).to.deep.equal([0n, 0n]);
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, orgIds.exporter)).to.equal(false);
    const s = await ledger.unitState(kept);
    expect([s.seq, s.registrant]).to.deep.equal([1n, BigInt(orgIds.exporter)]);
    const fresh = itemKey(2);
    await expect(ex.register(registration(fresh)))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(fresh, orgIds.exporter, 0);
  });

  it("PrefixNotLicensed: never licensed, and revoked twice", async () => {
    const { ledger } = await loadFixture(deployLedger);
    await expect(ledger.revokePrefix(FRESH)).to.be.revertedWithCustomError(ledger, "PrefixNotLicensed").withArgs(FRESH);
    await (await ledger.revokePrefix(EXPORTER_PREFIX)).wait();
    await expect(ledger.revokePrefix(EXPORTER_PREFIX))
      .to.be.revertedWithCustomError(ledger, "PrefixNotLicensed")
      .withArgs(EXPORTER_PREFIX);
  });

  it("the holder itself, another member, a stranger → AccessControlUnauthorizedAccount; the licence stands", async () => {
    const { ledger, accounts, stranger, orgIds } = await loadFixture(deployLedger);
    for (const who of [accounts.exporter, accounts.rival, stranger]) {
      await expect(ledger.connect(who).revokePrefix(EXPORTER_PREFIX))
        .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, ethers.ZeroHash);
    }
    expect((await ledger.prefixLicence(EXPORTER_PREFIX)).holder).to.equal(orgIds.exporter);
  });
});

describe("PrefixRegistry: authorizeManufacturer (an org-admin key of the holder, immediate)", () => {
  it("LEGIT: authorize → ManufacturerAuthorized(…, true), the factory registers; withdraw → (…, false), refused", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const holder = ledger.connect(accounts.exporter);
    await expect(holder.authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true))
      .to.emit(ledger, "ManufacturerAuthorized")
      .withArgs(prefixHash(EXPORTER_PREFIX), orgIds.exporter, orgIds.factory, 1n, true);
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, orgIds.factory)).to.equal(true);
    const made = itemKey(1);
    await (await ledger.connect(accounts.factory).register(registration(made))).wait();
    expect((await ledger.unitState(made)).registrant).to.equal(orgIds.factory);

    await expect(holder.authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, false))
      .to.emit(ledger, "ManufacturerAuthorized")
      .withArgs(prefixHash(EXPORTER_PREFIX), orgIds.exporter, orgIds.factory, 1n, false);
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, orgIds.factory)).to.equal(false);
    await expect(ledger.connect(accounts.factory).register(registration(itemKey(2))))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(itemKey(2), orgIds.factory, orgIds.exporter);
    // What it registered while authorized stays.
    expect((await ledger.unitState(made)).seq).to.equal(1n);
  });

  it("LEGIT: a second org-admin key of the holder decides too", async () => {
    const { ledger, accounts, orgIds, spare } = await loadFixture(deployLedger);
    await (await ledger.connect(accounts.exporter).addAccountAsOrg(spare[0].address, true)).wait();
    await expect(ledger.connect(spare[0]).authorizeManufacturer(EXPORTER_PREFIX, orgIds.lab, true))
      .to.emit(ledger, "ManufacturerAuthorized")
      .withArgs(prefixHash(EXPORTER_PREFIX), orgIds.exporter, orgIds.lab, 1n, true);
  });

  it("the holder's non-admin key → ConsortiumNotOrganizationAdmin(key, holder)", async () => {
    const { ledger, accounts, orgIds, spare } = await loadFixture(deployLedger);
    const clerk = spare[0];
    await (await ledger.connect(accounts.exporter).addAccountAsOrg(clerk.address, false)).wait();
    await expect(ledger.connect(clerk).authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true))
      .to.be.revertedWithCustomError(ledger, "ConsortiumNotOrganizationAdmin")
      .withArgs(clerk.address, orgIds.exporter);
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, orgIds.factory)).to.equal(false);
  });

  it("the holder's suspended admin key, and its key while the organization is suspended → ConsortiumNotOrganizationAdmin", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const key = accounts.exporter;
    await (await ledger.suspendAccount(key.address)).wait();
    await expect(ledger.connect(key).authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true))
      .to.be.revertedWithCustomError(ledger, "ConsortiumNotOrganizationAdmin")
      .withArgs(key.address, orgIds.exporter);
    await (await ledger.reactivateAccount(key.address)).wait();
    await (await ledger.suspendOrganization(orgIds.exporter)).wait();
    await expect(ledger.connect(key).authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true))
      .to.be.revertedWithCustomError(ledger, "ConsortiumNotOrganizationAdmin")
      .withArgs(key.address, orgIds.exporter);
    await (await ledger.reactivateOrganization(orgIds.exporter)).wait();
    await expect(ledger.connect(key).authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true)).to.emit(
      ledger,
      "ManufacturerAuthorized",
    );
  });

  it("another member's org admin → PrefixNotHolder(prefix, its org, holder)", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    await expect(ledger.connect(accounts.rival).authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true))
      .to.be.revertedWithCustomError(ledger, "PrefixNotHolder")
      .withArgs(EXPORTER_PREFIX, orgIds.rival, orgIds.exporter);
  });

  it("a stranger and the consortium admin (no account) → ConsortiumNotOrganizationAdmin(caller, 0)", async () => {
    const { ledger, admin, stranger, orgIds } = await loadFixture(deployLedger);
    for (const who of [stranger, admin]) {
      await expect(ledger.connect(who).authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true))
        .to.be.revertedWithCustomError(ledger, "ConsortiumNotOrganizationAdmin")
        .withArgs(who.address, 0);
    }
  });

  it("PrefixNotLicensed for a prefix nobody holds", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    await expect(ledger.connect(accounts.exporter).authorizeManufacturer(FRESH, orgIds.factory, true))
      .to.be.revertedWithCustomError(ledger, "PrefixNotLicensed")
      .withArgs(FRESH);
  });

  it("PrefixHolderIsManufacturer when the holder names itself", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    await expect(ledger.connect(accounts.exporter).authorizeManufacturer(EXPORTER_PREFIX, orgIds.exporter, true))
      .to.be.revertedWithCustomError(ledger, "PrefixHolderIsManufacturer")
      .withArgs(EXPORTER_PREFIX, orgIds.exporter);
  });

  it("ConsortiumUnknownOrganization for a manufacturer that does not exist", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    for (const org of [0, 99]) {
      await expect(ledger.connect(accounts.exporter).authorizeManufacturer(EXPORTER_PREFIX, org, true))
        .to.be.revertedWithCustomError(ledger, "ConsortiumUnknownOrganization")
        .withArgs(org);
    }
  });

  it("PrefixAuthorizationUnchanged: authorizing twice, withdrawing what was never given", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const holder = ledger.connect(accounts.exporter);
    await expect(holder.authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, false))
      .to.be.revertedWithCustomError(ledger, "PrefixAuthorizationUnchanged")
      .withArgs(EXPORTER_PREFIX, orgIds.factory, false);
    await (await holder.authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true)).wait();
    await expect(holder.authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true))
      .to.be.revertedWithCustomError(ledger, "PrefixAuthorizationUnchanged")
      .withArgs(EXPORTER_PREFIX, orgIds.factory, true);
  });
});

describe("PrefixRegistry: views and the module", () => {
  it("mayRegisterUnder: holder yes, others no, unlicensed and non-digit strings no", async () => {
    const { ledger, orgIds } = await loadFixture(deployLedger);
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, orgIds.exporter)).to.equal(true);
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, orgIds.rival)).to.equal(false);
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, 0)).to.equal(false);
    expect(await ledger.mayRegisterUnder(FRESH, orgIds.exporter)).to.equal(false);
    expect(await ledger.mayRegisterUnder("", 0)).to.equal(false);
    // A shorter or longer run of the holder's digits is not its prefix.
    expect(await ledger.mayRegisterUnder("952123", orgIds.exporter)).to.equal(false);
    expect(await ledger.mayRegisterUnder("95212345", orgIds.exporter)).to.equal(false);
  });

  it("the module refuses direct calls: LedgerModuleDirectCall, for every function", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const moduleAddress = ethers.getCreateAddress({ from: await ledger.getAddress(), nonce: 1 });
    expect(await ethers.provider.getCode(moduleAddress)).to.not.equal("0x");
    const module = await ethers.getContractAt("LedgerModule", moduleAddress);
    const calls = [
      () => module.licensePrefix(FRESH, orgIds.exporter),
      () => module.revokePrefix(EXPORTER_PREFIX),
      () => module.connect(accounts.exporter).authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true),
      () => module.prefixLicence(EXPORTER_PREFIX),
      () => module.mayRegisterUnder(EXPORTER_PREFIX, orgIds.exporter),
      // The consortium administration runs from the same module.
      () => module.addOrganization("Direct", ethers.ZeroHash.slice(0, 38), 0n, "0x434e", 1),
      () => module.pause(),
      () => module.schedule("0x"),
      () => module.connect(accounts.exporter).invalidateNonces(5n),
      () => module.organizationCount(),
      () => module.organization(orgIds.exporter),
      () => module.setOrganizationRoles(orgIds.exporter, 1),
      () => module.suspendOrganization(orgIds.exporter),
      () => module.reactivateOrganization(orgIds.exporter),
      () => module.addAccount(orgIds.exporter, accounts.exporter.address),
      () => module.suspendAccount(accounts.exporter.address),
      () => module.reactivateAccount(accounts.exporter.address),
      () => module.rotateAccount(accounts.exporter.address, accounts.factory.address),
      () => module.setPermissions([1], [1]),
      () => module.unpause(),
      () => module.cancelDelayedCall(ethers.ZeroHash),
      () => module.connect(accounts.exporter).addAccountAsOrg(accounts.factory.address, false),
      () => module.connect(accounts.exporter).rotateAccountAsOrg(accounts.exporter.address, accounts.factory.address),
      () => module.scheduleOf(ethers.ZeroHash),
      () => module.isOrgAdmin(accounts.exporter.address),
      () => module.organizationAddedBlock(orgIds.exporter),
      () => module.organizationAccounts(orgIds.exporter),
    ];
    for (const call of calls) await expect(call()).to.be.revertedWithCustomError(module, "LedgerModuleDirectCall");
    // The ledger's state is unchanged by the attempts.
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, orgIds.factory)).to.equal(false);
  });

  it("events come from the ledger's address (the module runs by delegatecall)", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const tx = await ledger.connect(accounts.exporter).authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, true);
    const receipt = (await tx.wait())!;
    expect(receipt.logs.map((l) => l.address)).to.deep.equal([await ledger.getAddress()]);
  });
});
