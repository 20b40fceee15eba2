/**
 * Issue 11 item 7, governance cannot impersonate: the consortium admin onboards organizations, but adds a
 * key to an organization that has keys, rotates a key, widens the matrix or grants a role only after a
 * delay that is visible on chain; organizations manage their own accounts through their admin accounts.
 * Each ATTACK (the admin or a member composing allowed calls into a forbidden outcome) sits next to the
 * legitimate flow that still works.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  ADMIN_DELAY,
  creditCode,
  deployLedger,
  itemKey,
  registration,
  traceInput,
  type LedgerFixture,
} from "../helpers/ledger";
import { delayedData, scheduleAndWait } from "../helpers/governance";
import { declareExport } from "../helpers/customs";
import { roleMask, STEPS } from "../../src/codes";
import type { TraceLedger } from "../../typechain-types";

const ITEM = itemKey(1);
const CN = ethers.hexlify(ethers.toUtf8Bytes("CN"));
const opId = (data: string) => ethers.keccak256(data);

/** deployLedger plus one item the exporter registered and declared: ready for customs' release. */
async function declaredFixture(): Promise<LedgerFixture> {
  const f = await deployLedger();
  const ex = f.ledger.connect(f.accounts.exporter);
  await (await ex.register(registration(ITEM))).wait();
  await (await declareExport(f, ITEM, 1210, { by: "exporter" })).wait();
  return f;
}

/** Schedules `data` as the admin; returns the operation id and its readyAt. */
async function schedule(ledger: TraceLedger, data: string): Promise<{ id: string; readyAt: bigint }> {
  const receipt = (await (await ledger.schedule(data)).wait())!;
  const log = receipt.logs.map((l) => ledger.interface.parseLog(l)).find((p) => p?.name === "OperationScheduled")!;
  return { id: log.args.opId as string, readyAt: log.args.readyAt as bigint };
}

describe("Consortium governance: the admin cannot impersonate an organization", () => {
  describe("addAccount", () => {
    it("LEGIT: onboarding an organization's first key is immediate and makes it the organization's admin account", async () => {
      const f = await loadFixture(deployLedger);
      await (await f.ledger.addOrganization("New Co", creditCode(40), 0n, CN, roleMask("CARRIER"))).wait();
      const orgId = Number(await f.ledger.organizationCount());
      const key = f.spare[0].address;
      await expect(f.ledger.addAccount(orgId, key))
        .to.emit(f.ledger, "AccountAdded")
        .withArgs(key, orgId, f.admin.address, true)
        .and.not.to.emit(f.ledger, "OperationExecuted");
      expect(await f.ledger.isOrgAdmin(key)).to.equal(true);
      expect((await f.ledger.accountInfo(key)).roles).to.equal(roleMask("CARRIER"));
      // Every fixture key was onboarded this way.
      expect(await f.ledger.isOrgAdmin(f.accounts.customs.address)).to.equal(true);
    });

    it("ATTACK: the admin adds its own key to customs in one transaction → ConsortiumOperationNotReady, and cannot release", async () => {
      const f = await loadFixture(declaredFixture);
      const data = delayedData(f.ledger, "addAccount", [f.orgIds.customs, f.admin.address]);
      await expect(f.ledger.addAccount(f.orgIds.customs, f.admin.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(opId(data), 0);
      expect((await f.ledger.accountInfo(f.admin.address)).orgId).to.equal(0);
      await expect(f.ledger.connect(f.admin).record(traceInput(ITEM, "CUSTOMS_RELEASED")))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumUnknownAccount")
        .withArgs(f.admin.address);
    });

    it("ATTACK: scheduled, then sent before the delay (one second early) → ConsortiumOperationNotReady with readyAt", async () => {
      const f = await loadFixture(declaredFixture);
      const data = delayedData(f.ledger, "addAccount", [f.orgIds.customs, f.admin.address]);
      const { id, readyAt } = await schedule(f.ledger, data);
      await time.setNextBlockTimestamp(readyAt - 1n);
      await expect(f.ledger.addAccount(f.orgIds.customs, f.admin.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(id, readyAt);
      expect((await f.ledger.accountInfo(f.admin.address)).orgId).to.equal(0);
    });

    it("LEGIT (lost keys): after the public delay the call runs once, marked as the consortium admin's, and the key acts", async () => {
      const f = await loadFixture(declaredFixture);
      const data = delayedData(f.ledger, "addAccount", [f.orgIds.customs, f.spare[0].address]);
      // The block is pinned one second on: on a loaded machine the automined block may land a second later.
      const now = BigInt(await time.latest());
      await time.setNextBlockTimestamp(now + 1n);
      const tx = f.ledger.schedule(data);
      await expect(tx)
        .to.emit(f.ledger, "OperationScheduled")
        .withArgs(opId(data), now + 1n + BigInt(ADMIN_DELAY), data);
      const readyAt = await f.ledger.scheduleOf(opId(data));
      expect(readyAt).to.equal(now + 1n + BigInt(ADMIN_DELAY));
      expect(readyAt).to.equal(BigInt(await time.latest()) + (await f.ledger.defaultAdminDelay()));
      await time.setNextBlockTimestamp(readyAt);
      await expect(f.ledger.addAccount(f.orgIds.customs, f.spare[0].address))
        .to.emit(f.ledger, "OperationExecuted")
        .withArgs(opId(data))
        .and.to.emit(f.ledger, "AccountAdded")
        .withArgs(f.spare[0].address, f.orgIds.customs, f.admin.address, true);
      expect(await f.ledger.scheduleOf(opId(data))).to.equal(0);
      expect(await f.ledger.organizationAccounts(f.orgIds.customs)).to.deep.equal([
        f.accounts.customs.address,
        f.spare[0].address,
      ]);
      await expect(f.ledger.connect(f.spare[0]).record(traceInput(ITEM, "CUSTOMS_RELEASED")))
        .to.emit(f.ledger, "Traced")
        .withArgs(ITEM, f.spare[0].address, anyValue, anyValue);
    });

    it("ATTACK: a ready operation sent twice → the second is ConsortiumOperationNotReady(opId, 0)", async () => {
      const f = await loadFixture(deployLedger);
      // A call whose repetition would be valid, so that only the spent operation can refuse it.
      const data = delayedData(f.ledger, "setPermissions", [[STEPS.SAMPLING], [roleMask("CARRIER")]]);
      await scheduleAndWait(f.ledger, "setPermissions", [STEPS.SAMPLING], [roleMask("CARRIER")]);
      await expect(f.ledger.setPermissions([STEPS.SAMPLING], [roleMask("CARRIER")])).to.emit(
        f.ledger,
        "PermissionChanged",
      );
      await expect(f.ledger.setPermissions([STEPS.SAMPLING], [roleMask("CARRIER")]))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(opId(data), 0);
    });

    it("ATTACK: an operation scheduled for one key does not let the admin add another → ConsortiumOperationNotReady", async () => {
      const f = await loadFixture(deployLedger);
      await scheduleAndWait(f.ledger, "addAccount", f.orgIds.customs, f.spare[0].address);
      const other = delayedData(f.ledger, "addAccount", [f.orgIds.customs, f.admin.address]);
      await expect(f.ledger.addAccount(f.orgIds.customs, f.admin.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(opId(other), 0);
    });
  });

  describe("rotateAccount", () => {
    it("ATTACK: the admin rotates customs' key to its own in one transaction → ConsortiumOperationNotReady; customs keeps its key", async () => {
      const f = await loadFixture(declaredFixture);
      const data = delayedData(f.ledger, "rotateAccount", [f.accounts.customs.address, f.admin.address]);
      await expect(f.ledger.rotateAccount(f.accounts.customs.address, f.admin.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(opId(data), 0);
      expect((await f.ledger.accountInfo(f.accounts.customs.address)).status).to.equal(0n); // Active
      await expect(f.ledger.connect(f.accounts.customs).record(traceInput(ITEM, "CUSTOMS_RELEASED"))).to.emit(
        f.ledger,
        "Traced",
      );
    });

    it("ATTACK: scheduled, then sent early → ConsortiumOperationNotReady with readyAt", async () => {
      const f = await loadFixture(deployLedger);
      const data = delayedData(f.ledger, "rotateAccount", [f.accounts.customs.address, f.admin.address]);
      const { id, readyAt } = await schedule(f.ledger, data);
      await time.increase(ADMIN_DELAY / 2);
      await expect(f.ledger.rotateAccount(f.accounts.customs.address, f.admin.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(id, readyAt);
    });

    it("LEGIT: after the delay it retires the key, the new one inherits the admin bit, and the log names the admin", async () => {
      const f = await loadFixture(deployLedger);
      const [from, to] = [f.accounts.customs.address, f.spare[0].address];
      const data = delayedData(f.ledger, "rotateAccount", [from, to]);
      await scheduleAndWait(f.ledger, "rotateAccount", from, to);
      await expect(f.ledger.rotateAccount(from, to))
        .to.emit(f.ledger, "OperationExecuted")
        .withArgs(opId(data))
        .and.to.emit(f.ledger, "AccountRotated")
        .withArgs(from, to, f.orgIds.customs, f.admin.address);
      expect((await f.ledger.accountInfo(from)).status).to.equal(2n); // Retired
      expect(await f.ledger.isOrgAdmin(to)).to.equal(true);
    });
  });

  describe("setPermissions", () => {
    it("ATTACK: the admin gives CUSTOMS_RELEASED to the exporter role at once → ConsortiumOperationNotReady; nothing changes", async () => {
      const f = await loadFixture(declaredFixture);
      const before = await f.ledger.allowedRoles(STEPS.CUSTOMS_RELEASED);
      const data = delayedData(f.ledger, "setPermissions", [[STEPS.CUSTOMS_RELEASED], [roleMask("EXPORTER")]]);
      await expect(f.ledger.setPermissions([STEPS.CUSTOMS_RELEASED], [roleMask("EXPORTER")]))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(opId(data), 0);
      expect(await f.ledger.allowedRoles(STEPS.CUSTOMS_RELEASED)).to.equal(before);
      await expect(f.ledger.connect(f.accounts.exporter).record(traceInput(ITEM, "CUSTOMS_RELEASED")))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
        .withArgs(f.accounts.exporter.address, f.orgIds.exporter, STEPS.CUSTOMS_RELEASED, roleMask("EXPORTER"));
    });

    it("ATTACK: scheduled, then sent early → ConsortiumOperationNotReady with readyAt", async () => {
      const f = await loadFixture(deployLedger);
      const data = delayedData(f.ledger, "setPermissions", [[STEPS.CUSTOMS_RELEASED], [roleMask("EXPORTER")]]);
      const { id, readyAt } = await schedule(f.ledger, data);
      await expect(f.ledger.setPermissions([STEPS.CUSTOMS_RELEASED], [roleMask("EXPORTER")]))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(id, readyAt);
    });

    it("LEGIT: after the delay the new mask applies", async () => {
      const f = await loadFixture(deployLedger);
      await scheduleAndWait(f.ledger, "setPermissions", [STEPS.CUSTOMS_RELEASED], [roleMask("CUSTOMS", "EXPORTER")]);
      await expect(f.ledger.setPermissions([STEPS.CUSTOMS_RELEASED], [roleMask("CUSTOMS", "EXPORTER")]))
        .to.emit(f.ledger, "PermissionChanged")
        .withArgs(STEPS.CUSTOMS_RELEASED, roleMask("CUSTOMS", "EXPORTER"));
      expect(await f.ledger.allowedRoles(STEPS.CUSTOMS_RELEASED)).to.equal(roleMask("CUSTOMS", "EXPORTER"));
    });

    it("LEGIT (genesis): before the first organization exists it applies at once", async () => {
      const [admin] = await ethers.getSigners();
      const ledger = await (await ethers.getContractFactory("TraceLedger")).deploy(admin.address, ADMIN_DELAY);
      await expect(ledger.setPermissions([STEPS.SAMPLING], [roleMask("CARRIER")]))
        .to.emit(ledger, "PermissionChanged")
        .withArgs(STEPS.SAMPLING, roleMask("CARRIER"))
        .and.not.to.emit(ledger, "OperationExecuted");
      expect(await ledger.allowedRoles(STEPS.SAMPLING)).to.equal(roleMask("CARRIER"));
      await (await ledger.addOrganization("First Co", creditCode(1), 0n, CN, 1)).wait();
      await expect(ledger.setPermissions([STEPS.SAMPLING], [roleMask("EXPORTER")])).to.be.revertedWithCustomError(
        ledger,
        "ConsortiumOperationNotReady",
      );
    });
  });

  describe("setOrganizationRoles", () => {
    it("ATTACK: the admin grants CUSTOMS to an organization whose keys exist at once → ConsortiumOperationNotReady", async () => {
      const f = await loadFixture(declaredFixture);
      const mask = roleMask("PLATFORM", "CUSTOMS");
      const data = delayedData(f.ledger, "setOrganizationRoles", [f.orgIds.platform, mask]);
      await expect(f.ledger.setOrganizationRoles(f.orgIds.platform, mask))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(opId(data), 0);
      expect((await f.ledger.organization(f.orgIds.platform)).roles).to.equal(roleMask("PLATFORM"));
    });

    it("LEGIT: removing roles is immediate (it only removes power); so is any mask before the first key", async () => {
      const f = await loadFixture(deployLedger);
      await expect(f.ledger.setOrganizationRoles(f.orgIds.market, roleMask("MARKET_REGULATOR")))
        .to.emit(f.ledger, "OrganizationRolesChanged")
        .and.not.to.emit(f.ledger, "OperationExecuted");
      await (await f.ledger.addOrganization("Keyless Co", creditCode(41), 0n, CN, roleMask("CARRIER"))).wait();
      const keyless = Number(await f.ledger.organizationCount());
      await expect(f.ledger.setOrganizationRoles(keyless, roleMask("CARRIER", "WAREHOUSE")))
        .to.emit(f.ledger, "OrganizationRolesChanged")
        .withArgs(keyless, roleMask("CARRIER", "WAREHOUSE"));
    });

    it("LEGIT: a granted role applies after the delay", async () => {
      const f = await loadFixture(deployLedger);
      const mask = roleMask("PLATFORM", "CUSTOMS");
      await scheduleAndWait(f.ledger, "setOrganizationRoles", f.orgIds.platform, mask);
      await expect(f.ledger.setOrganizationRoles(f.orgIds.platform, mask))
        .to.emit(f.ledger, "OrganizationRolesChanged")
        .withArgs(f.orgIds.platform, mask);
      expect((await f.ledger.accountInfo(f.accounts.platform.address)).roles).to.equal(mask);
    });
  });

  describe("schedule / cancelDelayedCall", () => {
    it("LEGIT: the admin cancels a scheduled operation; it can then never run", async () => {
      const f = await loadFixture(deployLedger);
      const data = delayedData(f.ledger, "rotateAccount", [f.accounts.customs.address, f.admin.address]);
      await schedule(f.ledger, data);
      await expect(f.ledger.cancelDelayedCall(opId(data)))
        .to.emit(f.ledger, "OperationCancelled")
        .withArgs(opId(data));
      expect(await f.ledger.scheduleOf(opId(data))).to.equal(0);
      await time.increase(ADMIN_DELAY);
      await expect(f.ledger.rotateAccount(f.accounts.customs.address, f.admin.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(opId(data), 0);
    });

    it("cancelling an operation that is not scheduled → ConsortiumOperationNotReady(opId, 0)", async () => {
      const f = await loadFixture(deployLedger);
      const id = opId(delayedData(f.ledger, "setPermissions", [[1], [1]]));
      await expect(f.ledger.cancelDelayedCall(id))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationNotReady")
        .withArgs(id, 0);
    });

    it("scheduling the same call twice → ConsortiumOperationPending; the first readyAt stands", async () => {
      const f = await loadFixture(deployLedger);
      const data = delayedData(f.ledger, "setPermissions", [[1], [1]]);
      const { id, readyAt } = await schedule(f.ledger, data);
      await expect(f.ledger.schedule(data))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOperationPending")
        .withArgs(id, readyAt);
      expect(await f.ledger.scheduleOf(id)).to.equal(readyAt);
    });

    for (const [name, data] of [
      ["pause()", (l: TraceLedger) => l.interface.encodeFunctionData("pause")],
      ["suspendAccount", (l: TraceLedger) => l.interface.encodeFunctionData("suspendAccount", [ethers.ZeroAddress])],
      ["empty call data", () => "0x"],
      // Prefix registry (2.1): revoking only takes power away, an authorization is the holder's own consent.
      ["revokePrefix", (l: TraceLedger) => l.interface.encodeFunctionData("revokePrefix", ["9521234"])],
      [
        "authorizeManufacturer",
        (l: TraceLedger) => l.interface.encodeFunctionData("authorizeManufacturer", ["9521234", 2, true]),
      ],
    ] as const) {
      it(`scheduling ${name} (not a delayed function) → ConsortiumNotDelayed`, async () => {
        const f = await loadFixture(deployLedger);
        const d = data(f.ledger);
        await expect(f.ledger.schedule(d))
          .to.be.revertedWithCustomError(f.ledger, "ConsortiumNotDelayed")
          .withArgs(ethers.dataSlice(ethers.concat([d, "0x00000000"]), 0, 4));
      });
    }

    // Prefix registry (2.1): a licence decides who owns a brand's codes, so it is one of the delayed calls.
    it("licensePrefix is a delayed function: scheduling it emits OperationScheduled with readyAt = now + delay", async () => {
      const f = await loadFixture(deployLedger);
      const data = f.ledger.interface.encodeFunctionData("licensePrefix", ["9521299", f.orgIds.factory]);
      const tx = await f.ledger.schedule(data);
      const readyAt = BigInt((await time.latest()) + ADMIN_DELAY);
      await expect(tx).to.emit(f.ledger, "OperationScheduled").withArgs(opId(data), readyAt, data);
      expect(await f.ledger.scheduleOf(opId(data))).to.equal(readyAt);
    });

    it("a shorter admin delay set later does not move an announced operation", async () => {
      const f = await loadFixture(deployLedger);
      const data = delayedData(f.ledger, "setPermissions", [[1], [1]]);
      const { id, readyAt } = await schedule(f.ledger, data);
      await (await f.ledger.changeDefaultAdminDelay(60)).wait();
      await time.increase(ADMIN_DELAY + 1); // the delay decrease itself takes effect after the old delay
      expect(await f.ledger.defaultAdminDelay()).to.equal(60);
      expect(await f.ledger.scheduleOf(id)).to.equal(readyAt);
    });
  });
});

describe("Consortium governance: organizations manage their own accounts", () => {
  it("LEGIT: the organization's admin account adds a member key at once; the key records, it is no admin", async () => {
    const f = await loadFixture(declaredFixture);
    const [boss, clerk] = [f.accounts.customs, f.spare[0]];
    await expect(f.ledger.connect(boss).addAccountAsOrg(clerk.address, false))
      .to.emit(f.ledger, "AccountAdded")
      .withArgs(clerk.address, f.orgIds.customs, boss.address, false);
    expect(await f.ledger.isOrgAdmin(clerk.address)).to.equal(false);
    expect((await f.ledger.accountInfo(clerk.address)).roles).to.equal(roleMask("CUSTOMS"));
    await expect(f.ledger.connect(clerk).record(traceInput(ITEM, "CUSTOMS_RELEASED"))).to.emit(f.ledger, "Traced");
  });

  it("LEGIT: it adds a second admin account, which manages accounts too", async () => {
    const f = await loadFixture(deployLedger);
    const [boss, deputy, clerk] = [f.accounts.customs, f.spare[0], f.spare[1]];
    await (await f.ledger.connect(boss).addAccountAsOrg(deputy.address, true)).wait();
    expect(await f.ledger.isOrgAdmin(deputy.address)).to.equal(true);
    await expect(f.ledger.connect(deputy).addAccountAsOrg(clerk.address, false))
      .to.emit(f.ledger, "AccountAdded")
      .withArgs(clerk.address, f.orgIds.customs, deputy.address, false);
  });

  it("LEGIT: it rotates a member key at once (log names it), and its own key, which passes on the admin bit", async () => {
    const f = await loadFixture(deployLedger);
    const [boss, clerk, clerk2, boss2] = [f.accounts.customs, f.spare[0], f.spare[1], f.spare[2]];
    await (await f.ledger.connect(boss).addAccountAsOrg(clerk.address, false)).wait();
    await expect(f.ledger.connect(boss).rotateAccountAsOrg(clerk.address, clerk2.address))
      .to.emit(f.ledger, "AccountRotated")
      .withArgs(clerk.address, clerk2.address, f.orgIds.customs, boss.address);
    expect(await f.ledger.isOrgAdmin(clerk2.address)).to.equal(false);
    await expect(f.ledger.connect(boss).rotateAccountAsOrg(boss.address, boss2.address))
      .to.emit(f.ledger, "AccountRotated")
      .withArgs(boss.address, boss2.address, f.orgIds.customs, boss.address);
    expect(await f.ledger.isOrgAdmin(boss2.address)).to.equal(true);
    // The retired admin key manages nothing any more.
    await expect(f.ledger.connect(boss).addAccountAsOrg(f.spare[3].address, true))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumAccountRetired")
      .withArgs(boss.address);
    await expect(f.ledger.connect(boss2).addAccountAsOrg(f.spare[3].address, false)).to.emit(f.ledger, "AccountAdded");
  });

  it("ATTACK: a non-admin account of the organization cannot add or rotate keys → ConsortiumNotOrganizationAdmin", async () => {
    const f = await loadFixture(deployLedger);
    const [boss, clerk] = [f.accounts.customs, f.spare[0]];
    await (await f.ledger.connect(boss).addAccountAsOrg(clerk.address, false)).wait();
    await expect(f.ledger.connect(clerk).addAccountAsOrg(f.spare[1].address, true))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumNotOrganizationAdmin")
      .withArgs(clerk.address, f.orgIds.customs);
    await expect(f.ledger.connect(clerk).rotateAccountAsOrg(boss.address, f.spare[1].address))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumNotOrganizationAdmin")
      .withArgs(clerk.address, f.orgIds.customs);
    expect((await f.ledger.accountInfo(f.spare[1].address)).orgId).to.equal(0);
  });

  it("ATTACK: another organization's admin account cannot rotate customs' key → ConsortiumNotOrganizationAdmin", async () => {
    const f = await loadFixture(deployLedger);
    const rival = f.accounts.platform;
    await expect(f.ledger.connect(rival).rotateAccountAsOrg(f.accounts.customs.address, f.spare[0].address))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumNotOrganizationAdmin")
      .withArgs(rival.address, f.orgIds.customs);
    expect((await f.ledger.accountInfo(f.accounts.customs.address)).status).to.equal(0n);
    // Its addAccountAsOrg adds to its own organization only.
    await (await f.ledger.connect(rival).addAccountAsOrg(f.spare[0].address, false)).wait();
    expect((await f.ledger.accountInfo(f.spare[0].address)).orgId).to.equal(f.orgIds.platform);
  });

  it("ATTACK: an organization admin cannot rotate its key onto another organization's account → ConsortiumAccountExists", async () => {
    const f = await loadFixture(deployLedger);
    await expect(
      f.ledger.connect(f.accounts.platform).rotateAccountAsOrg(f.accounts.platform.address, f.accounts.customs.address),
    )
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumAccountExists")
      .withArgs(f.accounts.customs.address, f.orgIds.customs);
  });

  it("ATTACK: the consortium admin (no account) and strangers cannot use the organization functions → ConsortiumUnknownAccount", async () => {
    const f = await loadFixture(deployLedger);
    for (const who of [f.admin, f.stranger]) {
      await expect(f.ledger.connect(who).addAccountAsOrg(who.address, true))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumUnknownAccount")
        .withArgs(who.address);
      await expect(f.ledger.connect(who).rotateAccountAsOrg(f.accounts.customs.address, who.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumUnknownAccount")
        .withArgs(who.address);
    }
  });

  it("a suspended admin account, or the admin of a suspended organization, manages nothing", async () => {
    const f = await loadFixture(deployLedger);
    await (await f.ledger.suspendAccount(f.accounts.customs.address)).wait();
    await expect(f.ledger.connect(f.accounts.customs).addAccountAsOrg(f.spare[0].address, false))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumAccountSuspended")
      .withArgs(f.accounts.customs.address);
    await (await f.ledger.suspendOrganization(f.orgIds.market)).wait();
    await expect(f.ledger.connect(f.accounts.market).rotateAccountAsOrg(f.accounts.market.address, f.spare[0].address))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumOrganizationSuspended")
      .withArgs(f.orgIds.market);
  });

  it("rotateAccountAsOrg refusals: unknown or retired `from`, used `to`", async () => {
    const f = await loadFixture(deployLedger);
    const boss = f.ledger.connect(f.accounts.customs);
    await expect(boss.rotateAccountAsOrg(f.stranger.address, f.spare[0].address))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumUnknownAccount")
      .withArgs(f.stranger.address);
    await (await boss.addAccountAsOrg(f.spare[0].address, false)).wait();
    await (await boss.rotateAccountAsOrg(f.spare[0].address, f.spare[1].address)).wait();
    await expect(boss.rotateAccountAsOrg(f.spare[0].address, f.spare[2].address))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumAccountRetired")
      .withArgs(f.spare[0].address);
    await expect(boss.rotateAccountAsOrg(f.spare[1].address, f.spare[0].address))
      .to.be.revertedWithCustomError(f.ledger, "ConsortiumAccountExists")
      .withArgs(f.spare[0].address, f.orgIds.customs);
    await expect(boss.addAccountAsOrg(ethers.ZeroAddress, false)).to.be.revertedWithCustomError(
      f.ledger,
      "ConsortiumZeroAddress",
    );
  });
});
