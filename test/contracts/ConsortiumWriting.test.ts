/**
 * How the consortium's administration affects ledger writes: suspended and retired accounts, suspended
 * organizations, role changes, the views and nonces. Every write entry point under each blocked status is
 * in ConsortiumBlocked.test.ts; the pause in ConsortiumPause.test.ts.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { ContractTransactionResponse } from "ethers";
import type { TraceLedger } from "../../typechain-types";
import {
  deployLedger,
  deployLedgerWithManufacturer,
  itemKey,
  MEMBER_NAMES,
  MEMBERS,
  recordHash,
  registration,
  signBatch,
  traceInput,
  type LedgerFixture,
  EVENT_TIME,
} from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { decodeInfo, roleMask, STEPS, type StepName } from "../../src/codes";
import { afterDelay } from "../helpers/governance";

const ITEM = itemKey(1);

/** deployLedger plus one item registered by the exporter. */
const writingFixture = unitsFixture({ each: [ITEM] });

/** The decoded info of the only `Traced` log of a transaction on `unit`. */
async function tracedInfo(ledger: TraceLedger, tx: ContractTransactionResponse, unit: string) {
  const receipt = (await tx.wait())!;
  const logs = receipt.logs
    .map((l) => ledger.interface.parseLog(l))
    .filter((p) => p?.name === "Traced" && p.args.unit === unit);
  expect(logs).to.have.length(1);
  return decodeInfo(logs[0]!.args.info);
}

/** Expects `account` to record `step` on `unit` as entry `seq`, attributed to `orgId`. */
async function expectRecords(
  f: LedgerFixture,
  signer: LedgerFixture["admin"],
  step: StepName,
  unit: string,
  seq: number,
  orgId: number,
) {
  const input = traceInput(unit, step, { label: `${signer.address}:${step}:${seq}` });
  const tx = await f.ledger.connect(signer).record(input);
  await expect(tx).to.emit(f.ledger, "Traced").withArgs(unit, signer.address, input.recordHash, anyValue);
  const info = await tracedInfo(f.ledger, tx, unit);
  expect([info.step, info.seq, info.org]).to.deep.equal([STEPS[step], seq, orgId]);
  expect((await f.ledger.unitState(unit)).seq).to.equal(seq);
}

/** Expects `signer`'s INSPECTING on ITEM to be refused with `error(...args)`. */
async function expectRefused(f: LedgerFixture, signer: LedgerFixture["admin"], error: string, ...args: unknown[]) {
  await expect(f.ledger.connect(signer).record(traceInput(ITEM, "INSPECTING")))
    .to.be.revertedWithCustomError(f.ledger, error)
    .withArgs(...args);
}

describe("Consortium: effects on writing", () => {
  describe("suspended and retired accounts", () => {
    it("a suspended account cannot record or register, and can again after reactivation", async () => {
      const f = await loadFixture(writingFixture);
      const ex = f.accounts.exporter;
      await f.ledger.suspendAccount(ex.address);
      await expectRefused(f, ex, "ConsortiumAccountSuspended", ex.address);
      await expect(f.ledger.connect(ex).register(registration(itemKey(2))))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumAccountSuspended")
        .withArgs(ex.address);
      await f.ledger.reactivateAccount(ex.address);
      await expectRecords(f, ex, "INSPECTING", ITEM, 2, f.orgIds.exporter);
    });

    it("a suspended organization's account cannot record, and can again after reactivation", async () => {
      const f = await loadFixture(writingFixture);
      const ex = f.accounts.exporter;
      await f.ledger.suspendOrganization(f.orgIds.exporter);
      await expectRefused(f, ex, "ConsortiumOrganizationSuspended", f.orgIds.exporter);
      await f.ledger.reactivateOrganization(f.orgIds.exporter);
      await expectRecords(f, ex, "INSPECTING", ITEM, 2, f.orgIds.exporter);
    });

    it("a suspended account stays suspended when its organization is reactivated", async () => {
      const f = await loadFixture(writingFixture);
      const ex = f.accounts.exporter;
      await f.ledger.suspendAccount(ex.address);
      await f.ledger.suspendOrganization(f.orgIds.exporter);
      await f.ledger.reactivateOrganization(f.orgIds.exporter);
      await expectRefused(f, ex, "ConsortiumAccountSuspended", ex.address);
    });

    it("an account reactivated while its organization is suspended still cannot record", async () => {
      const f = await loadFixture(writingFixture);
      const ex = f.accounts.exporter;
      await f.ledger.suspendAccount(ex.address);
      await f.ledger.suspendOrganization(f.orgIds.exporter);
      await f.ledger.reactivateAccount(ex.address);
      expect((await f.ledger.accountInfo(ex.address)).roles).to.equal(0);
      await expectRefused(f, ex, "ConsortiumOrganizationSuspended", f.orgIds.exporter);
      await f.ledger.reactivateOrganization(f.orgIds.exporter);
      await expectRecords(f, ex, "INSPECTING", ITEM, 2, f.orgIds.exporter);
    });

    it("a rotated-out account is retired for good; the rotated-in account records for the same organization", async () => {
      const f = await loadFixture(writingFixture);
      const [ex, fresh] = [f.accounts.exporter, f.spare[0]];
      await f.ledger.connect(ex).rotateAccountAsOrg(ex.address, fresh.address);
      await expectRefused(f, ex, "ConsortiumAccountRetired", ex.address);
      // The new key acts for the same organization: still the unit's registrant and custodian.
      await expectRecords(f, fresh, "INSPECTING", ITEM, 2, f.orgIds.exporter);
      await expect(f.ledger.connect(fresh).handover(ITEM, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("h")))
        .to.emit(f.ledger, "HandoverOffered")
        .withArgs(ITEM, f.orgIds.exporter, f.orgIds.warehouse, recordHash("h"), EVENT_TIME, 0);
      // Nothing brings the retired key back: not an organization cycle, not a role change.
      await f.ledger.suspendOrganization(f.orgIds.exporter);
      await f.ledger.reactivateOrganization(f.orgIds.exporter);
      await afterDelay(f.ledger, "setOrganizationRoles", f.orgIds.exporter, roleMask("EXPORTER", "MANUFACTURER"));
      expect((await f.ledger.accountInfo(ex.address)).roles).to.equal(0);
      await expect(f.ledger.connect(ex).register(registration(itemKey(2))))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumAccountRetired")
        .withArgs(ex.address);
    });

    it("an account added to a suspended organization gets no rights until the organization is reactivated", async () => {
      const f = await loadFixture(writingFixture);
      const fresh = f.spare[0];
      await f.ledger.suspendOrganization(f.orgIds.exporter);
      await afterDelay(f.ledger, "addAccount", f.orgIds.exporter, fresh.address);
      expect((await f.ledger.accountInfo(fresh.address)).roles).to.equal(0);
      await expectRefused(f, fresh, "ConsortiumOrganizationSuspended", f.orgIds.exporter);
      await f.ledger.reactivateOrganization(f.orgIds.exporter);
      await expectRecords(f, fresh, "INSPECTING", ITEM, 2, f.orgIds.exporter);
    });

    it("a suspended organization cannot receive custody or be assigned; it can still be unassigned", async () => {
      const f = await loadFixture(writingFixture);
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.assign(ITEM, f.orgIds.broker, true, EVENT_TIME, recordHash("a"));
      await f.ledger.suspendOrganization(f.orgIds.warehouse);
      await f.ledger.suspendOrganization(f.orgIds.broker);
      await expect(ex.handover(ITEM, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("h")))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOrganizationSuspended")
        .withArgs(f.orgIds.warehouse);
      await expect(ex.assign(ITEM, f.orgIds.warehouse, true, EVENT_TIME, recordHash("a2")))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumOrganizationSuspended")
        .withArgs(f.orgIds.warehouse);
      await expect(ex.assign(ITEM, f.orgIds.broker, false, EVENT_TIME, recordHash("a3")))
        .to.emit(f.ledger, "Traced")
        .withArgs(ITEM, f.accounts.exporter.address, recordHash("a3"), anyValue);
      expect(await f.ledger.isAssigned(ITEM, f.orgIds.broker)).to.equal(false);
    });
  });

  describe("setOrganizationRoles", () => {
    it("changes the rights of every account of the organization at once", async () => {
      // The factory registers the exporter's item as its contract manufacturer (prefix registry 2.1).
      const f = await loadFixture(deployLedgerWithManufacturer);
      const [first, second] = [f.accounts.factory, f.spare[0]];
      await f.ledger.connect(first).addAccountAsOrg(second.address, false);
      await f.ledger.connect(first).register(registration(ITEM));
      const mfr = roleMask("MANUFACTURER");
      // TRANSPORTING is for carriers only.
      for (const a of [first, second]) {
        await expect(f.ledger.connect(a).record(traceInput(ITEM, "TRANSPORTING")))
          .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
          .withArgs(a.address, f.orgIds.factory, STEPS.TRANSPORTING, mfr);
      }
      const widened = roleMask("MANUFACTURER", "CARRIER");
      await afterDelay(f.ledger, "setOrganizationRoles", f.orgIds.factory, widened);
      for (const a of [first, second]) expect((await f.ledger.accountInfo(a.address)).roles).to.equal(widened);
      await expectRecords(f, first, "TRANSPORTING", ITEM, 2, f.orgIds.factory);
      await expectRecords(f, second, "TRANSPORTING", ITEM, 3, f.orgIds.factory);
      // Narrowed again: both lose the right, the error reports the new mask.
      const narrowed = roleMask("CARRIER");
      await f.ledger.setOrganizationRoles(f.orgIds.factory, narrowed);
      for (const a of [first, second]) {
        await expect(f.ledger.connect(a).record(traceInput(ITEM, "STORING")))
          .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
          .withArgs(a.address, f.orgIds.factory, STEPS.STORING, narrowed);
        await expect(f.ledger.connect(a).register(registration(itemKey(9))))
          .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
          .withArgs(a.address, f.orgIds.factory, STEPS.COMMISSIONING, narrowed);
      }
    });

    it("on a suspended organization, takes effect when it is reactivated; suspended accounts stay at 0", async () => {
      const f = await loadFixture(deployLedger);
      const [first, second] = [f.accounts.factory, f.spare[0]];
      await f.ledger.connect(first).addAccountAsOrg(second.address, false);
      await f.ledger.suspendAccount(second.address);
      await f.ledger.suspendOrganization(f.orgIds.factory);
      const roles = roleMask("MANUFACTURER", "WAREHOUSE");
      await afterDelay(f.ledger, "setOrganizationRoles", f.orgIds.factory, roles);
      expect((await f.ledger.organization(f.orgIds.factory)).roles).to.equal(roles);
      expect((await f.ledger.accountInfo(first.address)).roles).to.equal(0);
      await f.ledger.reactivateOrganization(f.orgIds.factory);
      expect((await f.ledger.accountInfo(first.address)).roles).to.equal(roles);
      expect((await f.ledger.accountInfo(second.address)).roles).to.equal(0);
      await f.ledger.reactivateAccount(second.address);
      expect((await f.ledger.accountInfo(second.address)).roles).to.equal(roles);
    });
  });

  describe("views", () => {
    it("organizationCount, organization, organizationAccounts and accountInfo describe the fixture", async () => {
      const f = await loadFixture(deployLedger);
      expect(await f.ledger.organizationCount()).to.equal(MEMBER_NAMES.length);
      for (const name of MEMBER_NAMES) {
        const id = f.orgIds[name];
        const roles = BigInt(roleMask(...MEMBERS[name]));
        const o = await f.ledger.organization(id);
        expect([o.roles, o.suspended, o.accountCount]).to.deep.equal([roles, false, 1n]);
        expect(await f.ledger.organizationAccounts(id)).to.deep.equal([f.accounts[name].address]);
        const a = await f.ledger.accountInfo(f.accounts[name].address);
        expect([a.orgId, a.roles, a.status, a.nonce]).to.deep.equal([BigInt(id), roles, 0n, 0n]);
      }
      for (const nobody of [f.stranger.address, f.admin.address]) {
        const a = await f.ledger.accountInfo(nobody);
        expect([a.orgId, a.roles, a.status, a.nonce]).to.deep.equal([0n, 0n, 0n, 0n]);
      }
      expect(await f.ledger.paused()).to.equal(false);
    });

    it("the nonce starts at 0 and counts relayed batches of the signer only", async () => {
      const f = await loadFixture(writingFixture);
      const ex = f.accounts.exporter;
      expect((await f.ledger.accountInfo(ex.address)).nonce).to.equal(0);
      expect(await f.ledger.nonces(ex.address)).to.equal(0);
      const batch = await signBatch(f.ledger, ex, [traceInput(ITEM, "INSPECTING")]);
      expect(batch.nonce).to.equal(0);
      await expect(f.ledger.connect(f.stranger).recordBySig([batch]))
        .to.emit(f.ledger, "Traced")
        .withArgs(ITEM, ex.address, recordHash(`${ITEM}:INSPECTING`), anyValue);
      expect((await f.ledger.accountInfo(ex.address)).nonce).to.equal(1);
      expect(await f.ledger.nonces(ex.address)).to.equal(1);
      // A direct record does not use the nonce.
      await f.ledger.connect(ex).record(traceInput(ITEM, "STORING"));
      expect((await f.ledger.accountInfo(ex.address)).nonce).to.equal(1);
      expect((await f.ledger.accountInfo(f.stranger.address)).nonce).to.equal(0);
    });
  });
});
