/**
 * The role × step permission matrix: the default a new ledger starts with (the table below is the spec,
 * written by role names), `setPermissions` changing it, and the two rules the default must keep: only
 * customs releases, only carriers depart.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { deployLedger, itemKey, recordHash, registration, traceInput, EVENT_TIME } from "../helpers/ledger";
import { declareExport } from "../helpers/customs";
import { ALL_ROLES, DEFAULT_MATRIX } from "../helpers/matrix";
import { ROLE_NAMES, ROLES, roleMask, rolesOf, STEP_NAMES, STEPS } from "../../src/codes";
import { afterDelay } from "../helpers/governance";

const ITEM = itemKey(1);

describe("Consortium: permission matrix", () => {
  describe("default allowedRoles (spec table)", () => {
    it("the spec table covers steps 1..Steps.MAX exactly", () => {
      expect(STEP_NAMES.map((s) => STEPS[s])).to.deep.equal(Array.from({ length: STEPS.MAX }, (_, i) => i + 1));
      expect(Object.keys(DEFAULT_MATRIX).sort()).to.deep.equal([...STEP_NAMES].sort());
    });

    for (const step of STEP_NAMES) {
      const roles = DEFAULT_MATRIX[step];
      it(`${STEPS[step]} ${step}: ${roles.join(", ")}`, async () => {
        const { ledger } = await loadFixture(deployLedger);
        const mask = await ledger.allowedRoles(STEPS[step]);
        expect(rolesOf(Number(mask))).to.deep.equal(ROLE_NAMES.filter((r) => roles.includes(r)));
        expect(mask).to.equal(roleMask(...roles));
      });
    }

    it("no default mask has a bit beyond the defined roles", async () => {
      const { ledger } = await loadFixture(deployLedger);
      for (let s = 1; s <= STEPS.MAX; s++) expect(Number(await ledger.allowedRoles(s)) & ~ALL_ROLES).to.equal(0);
    });
  });

  describe("default rules", () => {
    for (const role of ROLE_NAMES) {
      const releases = role === "CUSTOMS";
      const departs = role === "CARRIER";
      it(`${role} ${releases ? "may" : "may not"} record CUSTOMS_RELEASED, ${departs ? "may" : "may not"} record DEPARTING`, async () => {
        const { ledger } = await loadFixture(deployLedger);
        const bit = 1n << BigInt(ROLES[role]);
        expect(((await ledger.allowedRoles(STEPS.CUSTOMS_RELEASED)) & bit) !== 0n).to.equal(releases);
        expect(((await ledger.allowedRoles(STEPS.DEPARTING)) & bit) !== 0n).to.equal(departs);
      });
    }

    it("an organization with every role but CUSTOMS cannot release; customs can", async () => {
      const f = await loadFixture(deployLedger);
      const mask = ALL_ROLES & ~roleMask("CUSTOMS");
      await afterDelay(f.ledger, "setOrganizationRoles", f.orgIds.exporter, mask);
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.register(registration(ITEM));
      await (await declareExport(f, ITEM, 1210, { by: "exporter" })).wait();
      await expect(ex.record(traceInput(ITEM, "CUSTOMS_RELEASED")))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
        .withArgs(f.accounts.exporter.address, f.orgIds.exporter, STEPS.CUSTOMS_RELEASED, mask);
      await expect(f.ledger.connect(f.accounts.customs).record(traceInput(ITEM, "CUSTOMS_RELEASED")))
        .to.emit(f.ledger, "Traced")
        .withArgs(ITEM, f.accounts.customs.address, recordHash(`${ITEM}:CUSTOMS_RELEASED`), anyValue);
    });

    it("an organization with every role but CARRIER cannot depart; a carrier can", async () => {
      const f = await loadFixture(deployLedger);
      const mask = ALL_ROLES & ~roleMask("CARRIER");
      await afterDelay(f.ledger, "setOrganizationRoles", f.orgIds.exporter, mask);
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.register(registration(ITEM));
      await (await declareExport(f, ITEM, 1210, { by: "exporter" })).wait();
      await ex.record(traceInput(ITEM, "CUSTOMS_RELEASED")); // it holds CUSTOMS here
      await expect(ex.record(traceInput(ITEM, "DEPARTING")))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
        .withArgs(f.accounts.exporter.address, f.orgIds.exporter, STEPS.DEPARTING, mask);
      await ex.assign(ITEM, f.orgIds.carrier, true, EVENT_TIME, recordHash("waybill"));
      await expect(f.ledger.connect(f.accounts.carrier).record(traceInput(ITEM, "DEPARTING")))
        .to.emit(f.ledger, "Traced")
        .withArgs(ITEM, f.accounts.carrier.address, recordHash(`${ITEM}:DEPARTING`), anyValue);
    });
  });

  describe("setPermissions", () => {
    // Steps at the lane edges of the three permission words (15 steps per word).
    const EDGES = [1, 13, 14, 15, 16, 29, 30, 31, 43, 44, 45, 47];
    for (const step of EDGES) {
      it(`changing step ${step} changes only that step, emits PermissionChanged and applies at once`, async () => {
        const { ledger } = await loadFixture(deployLedger);
        const before: bigint[] = [];
        for (let s = 1; s <= STEPS.MAX; s++) before.push(await ledger.allowedRoles(s));
        const mask = ALL_ROLES ^ Number(before[step - 1]) || ALL_ROLES; // a different, valid mask
        await expect(afterDelay(ledger, "setPermissions", [step], [mask]))
          .to.emit(ledger, "PermissionChanged")
          .withArgs(step, mask);
        for (let s = 1; s <= STEPS.MAX; s++) {
          expect(await ledger.allowedRoles(s)).to.equal(s === step ? BigInt(mask) : before[s - 1], `step ${s}`);
        }
      });
    }

    it("a widened step is recordable by the new role, a zero mask forbids the step to everyone", async () => {
      const f = await loadFixture(deployLedger);
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.register(registration(ITEM));
      await ex.assign(ITEM, f.orgIds.lab, true, EVENT_TIME, recordHash("lab"));
      const lab = f.ledger.connect(f.accounts.lab);
      await expect(lab.record(traceInput(ITEM, "STORING")))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
        .withArgs(f.accounts.lab.address, f.orgIds.lab, STEPS.STORING, roleMask("INSPECTION_LAB"));
      await afterDelay(f.ledger, "setPermissions", [STEPS.STORING, STEPS.INSPECTING], [roleMask("INSPECTION_LAB"), 0]);
      await expect(lab.record(traceInput(ITEM, "STORING")))
        .to.emit(f.ledger, "Traced")
        .withArgs(ITEM, f.accounts.lab.address, recordHash(`${ITEM}:STORING`), anyValue);
      await expect(ex.record(traceInput(ITEM, "STORING")))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
        .withArgs(f.accounts.exporter.address, f.orgIds.exporter, STEPS.STORING, roleMask("EXPORTER"));
      for (const who of ["exporter", "lab", "customs"] as const) {
        await expect(f.ledger.connect(f.accounts[who]).record(traceInput(ITEM, "INSPECTING")))
          .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
          .withArgs(
            f.accounts[who].address,
            f.orgIds[who],
            STEPS.INSPECTING,
            await f.ledger.accountInfo(f.accounts[who].address).then((a) => a.roles),
          );
      }
    });

    it("the same step twice in one call: the last mask wins, one event each", async () => {
      const { ledger } = await loadFixture(deployLedger);
      const tx = afterDelay(
        ledger,
        "setPermissions",
        [STEPS.SAMPLING, STEPS.SAMPLING],
        [roleMask("CARRIER"), roleMask("PLATFORM")],
      );
      await expect(tx)
        .to.emit(ledger, "PermissionChanged")
        .withArgs(STEPS.SAMPLING, roleMask("CARRIER"))
        .and.to.emit(ledger, "PermissionChanged")
        .withArgs(STEPS.SAMPLING, roleMask("PLATFORM"));
      expect(await ledger.allowedRoles(STEPS.SAMPLING)).to.equal(roleMask("PLATFORM"));
    });
  });
});
