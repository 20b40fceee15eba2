/**
 * IConsortium admin functions: what the admin's calls return, store and emit, and that every other caller
 * (each member account and an address without an account) is refused with OpenZeppelin's
 * `AccessControlUnauthorizedAccount(caller, DEFAULT_ADMIN_ROLE)`.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TraceLedger } from "../../typechain-types";
import {
  creditCode,
  deployLedger,
  EXPORTER_PREFIX,
  itemKey,
  MEMBER_NAMES,
  MEMBERS,
  registration,
  type LedgerFixture,
} from "../helpers/ledger";
import { afterDelay, delayedData, scheduleAndWait } from "../helpers/governance";
import { roleMask, STEPS } from "../../src/codes";

/** `IConsortium.AccountStatus`. */
const STATUS = { Active: 0n, Suspended: 1n, Retired: 2n } as const;
const CN = ethers.hexlify(ethers.toUtf8Bytes("CN"));
const DE = ethers.hexlify(ethers.toUtf8Bytes("DE"));

/** The fixture, with the ledger connected to the admin and a spare address that is not an account. */
async function adminFixture() {
  const f = await loadFixture(deployLedger);
  return { ...f, newcomer: f.spare[0] };
}

/** Reads an account as plain values. */
async function account(ledger: TraceLedger, address: string) {
  const a = await ledger.accountInfo(address);
  return { orgId: a.orgId, roles: a.roles, status: a.status, nonce: a.nonce };
}

/** Reads an organization as plain values. */
async function org(ledger: TraceLedger, orgId: number) {
  const o = await ledger.organization(orgId);
  return { roles: o.roles, suspended: o.suspended, accountCount: o.accountCount };
}

describe("Consortium: admin functions", () => {
  describe("called by the admin", () => {
    it("addOrganization returns the next id, stores the roles and emits OrganizationAdded", async () => {
      const { ledger } = await adminFixture();
      const roles = roleMask("WAREHOUSE", "CARRIER");
      const cc = creditCode(42);
      const gln = 9_999_999_999_999n; // the largest 13-digit GLN
      expect(await ledger.organizationCount()).to.equal(10);
      expect(await ledger.addOrganization.staticCall("Hamburg Hub GmbH", cc, gln, DE, roles)).to.equal(11);
      await expect(ledger.addOrganization("Hamburg Hub GmbH", cc, gln, DE, roles))
        .to.emit(ledger, "OrganizationAdded")
        .withArgs(11, "Hamburg Hub GmbH", cc, gln, DE, roles);
      expect(await ledger.organizationCount()).to.equal(11);
      expect(await org(ledger, 11)).to.deep.equal({ roles: BigInt(roles), suspended: false, accountCount: 0n });
      expect(await ledger.organizationAccounts(11)).to.deep.equal([]);
      // Ids are sequential; GLN 0 means none.
      const all = roleMask(
        "EXPORTER",
        "MANUFACTURER",
        "WAREHOUSE",
        "CARRIER",
        "CUSTOMS_BROKER",
        "INSPECTION_LAB",
        "PLATFORM",
        "CUSTOMS",
        "MARKET_REGULATOR",
      );
      expect(await ledger.addOrganization.staticCall("Z", cc, 0n, CN, all)).to.equal(12);
      await expect(ledger.addOrganization("Z", cc, 0n, CN, all))
        .to.emit(ledger, "OrganizationAdded")
        .withArgs(12, "Z", cc, 0n, CN, all);
      expect((await org(ledger, 12)).roles).to.equal(all);
    });

    it("the 16,777,215th organization is the last one: ConsortiumOrganizationLimitReached", async () => {
      const { ledger, accounts, spare } = await loadFixture(deployLedger);
      // Jump the organization counter close to the limit: ConsortiumStorage's ERC-7201 slot + 4 (after the
      // four matrix words), checked to hold the fixture's 10.
      const address = await ledger.getAddress();
      const namespace = BigInt(ethers.keccak256(ethers.toUtf8Bytes("cbec-trace.Consortium"))) - 1n;
      const base =
        BigInt(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [namespace]))) & ~0xffn;
      const COUNT_SLOT = base + 4n;
      expect(BigInt(await ethers.provider.getStorage(address, COUNT_SLOT))).to.equal(10n);
      const max = Number(await ledger.MAX_ORGANIZATIONS());
      expect(max).to.equal(2 ** 24 - 1);
      await ethers.provider.send("hardhat_setStorageAt", [
        address,
        ethers.toQuantity(COUNT_SLOT),
        ethers.toBeHex(max - 1, 32),
      ]);
      expect(await ledger.addOrganization.staticCall("Last", creditCode(90), 0n, CN, 1)).to.equal(max);
      await expect(ledger.addOrganization("Last", creditCode(90), 0n, CN, 1))
        .to.emit(ledger, "OrganizationAdded")
        .withArgs(max, "Last", creditCode(90), 0n, CN, 1);
      await expect(ledger.addOrganization("One too many", creditCode(91), 0n, CN, 1)).to.be.revertedWithCustomError(
        ledger,
        "ConsortiumOrganizationLimitReached",
      );
      expect(await ledger.organizationCount()).to.equal(max);
      // The last id still fits a unit's 24-bit registrant field.
      await ledger.addAccount(max, spare[0].address);
      // It registers a code of the exporter, as the exporter's authorized manufacturer (prefix registry 2.1).
      await ledger.connect(accounts.exporter).authorizeManufacturer(EXPORTER_PREFIX, max, true);
      const unit = itemKey(1, "LAST-ORG");
      await ledger
        .connect(spare[0])
        .register({ ...registration(unit), eventTime: 1, location: 0, recordHash: ethers.ZeroHash });
      const state = await ledger.unitState(unit);
      expect([state.registrant, state.custodian]).to.deep.equal([BigInt(max), BigInt(max)]);
      expect((await ledger.accountInfo(accounts.exporter.address)).orgId).to.equal(1);
    });

    it("setOrganizationRoles (adding a role: after the delay) replaces the mask of the organization and of its accounts", async () => {
      const { ledger, accounts, orgIds } = await adminFixture();
      const roles = roleMask("MANUFACTURER", "CUSTOMS_BROKER");
      await expect(afterDelay(ledger, "setOrganizationRoles", orgIds.factory, roles))
        .to.emit(ledger, "OrganizationRolesChanged")
        .withArgs(orgIds.factory, roles);
      expect(await org(ledger, orgIds.factory)).to.deep.equal({
        roles: BigInt(roles),
        suspended: false,
        accountCount: 1n,
      });
      expect(await account(ledger, accounts.factory.address)).to.deep.equal({
        orgId: BigInt(orgIds.factory),
        roles: BigInt(roles),
        status: STATUS.Active,
        nonce: 0n,
      });
      // Other organizations are untouched.
      expect((await org(ledger, orgIds.warehouse)).roles).to.equal(roleMask("WAREHOUSE"));
    });

    it("suspendOrganization / reactivateOrganization toggle the flag and the accounts' roles", async () => {
      const { ledger, accounts, orgIds } = await adminFixture();
      await expect(ledger.suspendOrganization(orgIds.carrier))
        .to.emit(ledger, "OrganizationSuspended")
        .withArgs(orgIds.carrier);
      expect(await org(ledger, orgIds.carrier)).to.deep.equal({
        roles: BigInt(roleMask("CARRIER")),
        suspended: true,
        accountCount: 1n,
      });
      // The account keeps its status but may act with no role while its organization is suspended; its
      // nonce moved to the next epoch (issue 11: what it signed before the suspension is void).
      expect(await account(ledger, accounts.carrier.address)).to.deep.equal({
        orgId: BigInt(orgIds.carrier),
        roles: 0n,
        status: STATUS.Active,
        nonce: 1n << 32n,
      });
      await expect(ledger.reactivateOrganization(orgIds.carrier))
        .to.emit(ledger, "OrganizationReactivated")
        .withArgs(orgIds.carrier);
      expect((await org(ledger, orgIds.carrier)).suspended).to.equal(false);
      expect((await account(ledger, accounts.carrier.address)).roles).to.equal(roleMask("CARRIER"));
    });

    it("addAccount (after the delay) adds an active account with the organization's roles and nonce 0", async () => {
      const { ledger, admin, accounts, orgIds, newcomer } = await adminFixture();
      expect(await account(ledger, newcomer.address)).to.deep.equal({ orgId: 0n, roles: 0n, status: 0n, nonce: 0n });
      await expect(afterDelay(ledger, "addAccount", orgIds.lab, newcomer.address))
        .to.emit(ledger, "AccountAdded")
        .withArgs(newcomer.address, orgIds.lab, admin.address, true);
      expect(await account(ledger, newcomer.address)).to.deep.equal({
        orgId: BigInt(orgIds.lab),
        roles: BigInt(roleMask("INSPECTION_LAB")),
        status: STATUS.Active,
        nonce: 0n,
      });
      expect(await ledger.nonces(newcomer.address)).to.equal(0);
      expect(await ledger.organizationAccounts(orgIds.lab)).to.deep.equal([accounts.lab.address, newcomer.address]);
      expect((await org(ledger, orgIds.lab)).accountCount).to.equal(2);
    });

    it("suspendAccount / reactivateAccount toggle the status and the account's roles", async () => {
      const { ledger, accounts, orgIds } = await adminFixture();
      const a = accounts.broker.address;
      await expect(ledger.suspendAccount(a)).to.emit(ledger, "AccountSuspended").withArgs(a);
      // Suspension moves the nonce to the next epoch (issue 11), and reactivation keeps it there.
      expect(await account(ledger, a)).to.deep.equal({
        orgId: BigInt(orgIds.broker),
        roles: 0n,
        status: STATUS.Suspended,
        nonce: 1n << 32n,
      });
      expect((await org(ledger, orgIds.broker)).suspended).to.equal(false);
      await expect(ledger.reactivateAccount(a)).to.emit(ledger, "AccountReactivated").withArgs(a);
      expect(await account(ledger, a)).to.deep.equal({
        orgId: BigInt(orgIds.broker),
        roles: BigInt(roleMask("CUSTOMS_BROKER")),
        status: STATUS.Active,
        nonce: 1n << 32n,
      });
    });

    it("rotateAccount retires the old key and adds the new one to the same organization", async () => {
      const { ledger, admin, accounts, orgIds, newcomer } = await adminFixture();
      const from = accounts.platform.address;
      await expect(afterDelay(ledger, "rotateAccount", from, newcomer.address))
        .to.emit(ledger, "AccountRotated")
        .withArgs(from, newcomer.address, orgIds.platform, admin.address);
      expect(await account(ledger, from)).to.deep.equal({
        orgId: BigInt(orgIds.platform),
        roles: 0n,
        status: STATUS.Retired,
        nonce: 0n,
      });
      expect(await account(ledger, newcomer.address)).to.deep.equal({
        orgId: BigInt(orgIds.platform),
        roles: BigInt(roleMask("PLATFORM")),
        status: STATUS.Active,
        nonce: 0n,
      });
      expect(await ledger.organizationAccounts(orgIds.platform)).to.deep.equal([from, newcomer.address]);
      expect((await org(ledger, orgIds.platform)).accountCount).to.equal(2);
    });

    it("rotateAccount also replaces a suspended key (only retired keys are refused)", async () => {
      const { ledger, admin, accounts, orgIds, newcomer } = await adminFixture();
      await ledger.suspendAccount(accounts.platform.address);
      await expect(afterDelay(ledger, "rotateAccount", accounts.platform.address, newcomer.address))
        .to.emit(ledger, "AccountRotated")
        .withArgs(accounts.platform.address, newcomer.address, orgIds.platform, admin.address);
      expect((await account(ledger, accounts.platform.address)).status).to.equal(STATUS.Retired);
      expect((await account(ledger, newcomer.address)).status).to.equal(STATUS.Active);
      expect((await account(ledger, newcomer.address)).roles).to.equal(roleMask("PLATFORM"));
    });

    it("setPermissions stores each mask and emits PermissionChanged per step, in order", async () => {
      const { ledger } = await adminFixture();
      const steps = [STEPS.INSPECTING, STEPS.DEPARTING, STEPS.CUSTOMS_RELEASED, STEPS.RECALL_LIFTED];
      const masks = [roleMask("INSPECTION_LAB"), roleMask("CARRIER", "WAREHOUSE"), 0, roleMask("EXPORTER")];
      const tx = await afterDelay(ledger, "setPermissions", steps, masks);
      const receipt = (await tx.wait())!;
      const emitted = receipt.logs
        .map((l) => ledger.interface.parseLog(l))
        .filter((p) => p?.name === "PermissionChanged")
        .map((p) => [Number(p!.args.step), Number(p!.args.roles)]);
      expect(emitted).to.deep.equal(steps.map((s, i) => [s, masks[i]]));
      for (let i = 0; i < steps.length; i++) {
        await expect(tx).to.emit(ledger, "PermissionChanged").withArgs(steps[i], masks[i]);
        expect(await ledger.allowedRoles(steps[i])).to.equal(masks[i]);
      }
    });

    it("setPermissions with empty arrays changes nothing and emits nothing", async () => {
      const { ledger } = await adminFixture();
      const before = await ledger.allowedRoles(STEPS.INSPECTING);
      await expect(afterDelay(ledger, "setPermissions", [], [])).not.to.emit(ledger, "PermissionChanged");
      expect(await ledger.allowedRoles(STEPS.INSPECTING)).to.equal(before);
    });

    it("pause / unpause flip paused() and emit Paused / Unpaused with the admin", async () => {
      const { ledger, admin } = await adminFixture();
      expect(await ledger.paused()).to.equal(false);
      await expect(ledger.pause()).to.emit(ledger, "Paused").withArgs(admin.address);
      expect(await ledger.paused()).to.equal(true);
      await expect(ledger.unpause()).to.emit(ledger, "Unpaused").withArgs(admin.address);
      expect(await ledger.paused()).to.equal(false);
    });
  });

  describe("refused for every caller but the admin", () => {
    type Call = {
      name: string;
      /** Puts the ledger in a state where the admin's call would succeed. */
      setup?: (f: LedgerFixture) => Promise<unknown>;
      call: (ledger: TraceLedger, f: LedgerFixture) => Promise<unknown>;
      /** The event the admin's call emits (shows the refusal is about the caller only). */
      event: string;
    };
    const CALLS: Call[] = [
      {
        name: "addOrganization",
        event: "OrganizationAdded",
        call: (l) => l.addOrganization("Intruder Ltd", creditCode(77), 0n, CN, roleMask("CUSTOMS")),
      },
      {
        name: "setOrganizationRoles",
        event: "OrganizationRolesChanged",
        setup: (f) => scheduleAndWait(f.ledger, "setOrganizationRoles", f.orgIds.rival, roleMask("CUSTOMS")),
        call: (l, f) => l.setOrganizationRoles(f.orgIds.rival, roleMask("CUSTOMS")),
      },
      {
        name: "suspendOrganization",
        event: "OrganizationSuspended",
        call: (l, f) => l.suspendOrganization(f.orgIds.customs),
      },
      {
        name: "reactivateOrganization",
        event: "OrganizationReactivated",
        setup: (f) => f.ledger.suspendOrganization(f.orgIds.customs),
        call: (l, f) => l.reactivateOrganization(f.orgIds.customs),
      },
      {
        name: "addAccount",
        event: "AccountAdded",
        setup: (f) => scheduleAndWait(f.ledger, "addAccount", f.orgIds.customs, f.spare[0].address),
        call: (l, f) => l.addAccount(f.orgIds.customs, f.spare[0].address),
      },
      {
        name: "suspendAccount",
        event: "AccountSuspended",
        call: (l, f) => l.suspendAccount(f.accounts.customs.address),
      },
      {
        name: "reactivateAccount",
        event: "AccountReactivated",
        setup: (f) => f.ledger.suspendAccount(f.accounts.customs.address),
        call: (l, f) => l.reactivateAccount(f.accounts.customs.address),
      },
      {
        name: "rotateAccount",
        event: "AccountRotated",
        setup: (f) => scheduleAndWait(f.ledger, "rotateAccount", f.accounts.customs.address, f.spare[0].address),
        call: (l, f) => l.rotateAccount(f.accounts.customs.address, f.spare[0].address),
      },
      {
        name: "setPermissions",
        event: "PermissionChanged",
        setup: (f) => scheduleAndWait(f.ledger, "setPermissions", [STEPS.CUSTOMS_RELEASED], [roleMask("EXPORTER")]),
        call: (l) => l.setPermissions([STEPS.CUSTOMS_RELEASED], [roleMask("EXPORTER")]),
      },
      {
        name: "schedule",
        event: "OperationScheduled",
        call: (l, f) =>
          l.schedule(delayedData(f.ledger, "rotateAccount", [f.accounts.customs.address, f.spare[0].address])),
      },
      {
        name: "cancelDelayedCall",
        event: "OperationCancelled",
        setup: (f) => f.ledger.schedule(delayedData(f.ledger, "setPermissions", [[STEPS.CUSTOMS_RELEASED], [1]])),
        call: (l, f) =>
          l.cancelDelayedCall(
            ethers.keccak256(delayedData(f.ledger, "setPermissions", [[STEPS.CUSTOMS_RELEASED], [1]])),
          ),
      },
      { name: "pause", event: "Paused", call: (l) => l.pause() },
      { name: "unpause", event: "Unpaused", setup: (f) => f.ledger.pause(), call: (l) => l.unpause() },
      {
        name: "beginDefaultAdminTransfer",
        event: "DefaultAdminTransferScheduled",
        call: (l, f) => l.beginDefaultAdminTransfer(f.spare[0].address),
      },
      {
        name: "cancelDefaultAdminTransfer",
        event: "DefaultAdminTransferCanceled",
        setup: (f) => f.ledger.beginDefaultAdminTransfer(f.spare[0].address),
        call: (l) => l.cancelDefaultAdminTransfer(),
      },
      {
        name: "changeDefaultAdminDelay",
        event: "DefaultAdminDelayChangeScheduled",
        call: (l) => l.changeDefaultAdminDelay(60),
      },
    ];
    const CALLERS = [...MEMBER_NAMES, "stranger"] as const;

    for (const c of CALLS) {
      describe(c.name, () => {
        for (const who of CALLERS) {
          const label = who === "stranger" ? "an address without an account" : `${who} (${MEMBERS[who].join("+")})`;
          it(`refuses ${label}`, async () => {
            const f = await loadFixture(deployLedger);
            if (c.setup) await c.setup(f);
            const caller: HardhatEthersSigner = who === "stranger" ? f.stranger : f.accounts[who];
            await expect(c.call(f.ledger.connect(caller), f))
              .to.be.revertedWithCustomError(f.ledger, "AccessControlUnauthorizedAccount")
              .withArgs(caller.address, await f.ledger.DEFAULT_ADMIN_ROLE());
          });
        }
        it(`succeeds for the admin in the same state (emits ${c.event})`, async () => {
          const f = await loadFixture(deployLedger);
          if (c.setup) await c.setup(f);
          await expect(c.call(f.ledger.connect(f.admin), f)).to.emit(f.ledger, c.event);
        });
      });
    }
  });
});
