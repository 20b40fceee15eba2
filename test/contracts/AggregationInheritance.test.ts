/**
 * Events on a parent hold for everything packed inside it (effective stage, holds, recalls, destruction),
 * and unpacking: only children of that parent, and what a child keeps when it leaves its parent.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  itemKey,
  cartonKey,
  consignmentKey,
  aggregation,
  recordHash,
  type LedgerFixture,
  type MemberName,
} from "../helpers/ledger";
import { rec } from "../helpers/actors";
import { unitsFixture } from "../helpers/fixtures";
import { encodedError, tracedLogs, unitStateOf } from "../helpers/reads";
import { STEPS, STAGES, FLAGS, type StepName } from "../../src/codes";
import { handOver } from "../helpers/custody";

// ---------------------------------------------------------------------------------------------------------
// Local helpers
// ---------------------------------------------------------------------------------------------------------

const [I1, I2, I3, I4] = [1, 2, 3, 4].map((n) => itemKey(n));
const [C1, C2, C3] = [1, 2, 3].map((n) => cartonKey(n));
const SHIP = consignmentKey(1);

/**
 * Exporter registers I1..I4, C1..C3 and SHIP; packs I1, I2 into C1, I3 into C2, and C1 into SHIP
 * (I4 and C3 stay loose); assigns the carrier and the customs broker to SHIP.
 */
const nestedFixture = unitsFixture({
  batch: [I1, I2, I3, I4, C1, C2, C3, SHIP],
  packs: [
    [C1, [I1, I2]],
    [C2, [I3]],
    [SHIP, [C1]],
  ],
  assigns: [
    [SHIP, "carrier", "carrier"],
    [SHIP, "broker", "broker"],
  ],
});

/** Declares, releases and (optionally) departs SHIP. */
async function shipOut(f: LedgerFixture, depart = true) {
  await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
  await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
  if (depart) await rec(f, SHIP, "DEPARTING", "carrier");
}

// ---------------------------------------------------------------------------------------------------------

describe("Aggregation: inheritance and unpack", () => {
  describe("events on a parent hold for its contents", () => {
    for (const unit of [I1, C1]) {
      it(`${unit === I1 ? "an item in a carton" : "a carton"} in a departed consignment can be DELIVERED directly`, async () => {
        const f = await loadFixture(nestedFixture);
        await shipOut(f);
        expect((await unitStateOf(f.ledger, unit)).stage).to.equal(STAGES.ACTIVE);
        await expect(rec(f, unit, "DELIVERED", "carrier")).to.emit(f.ledger, "Traced");
        expect((await unitStateOf(f.ledger, unit)).stage).to.equal(STAGES.DELIVERED);
        expect((await unitStateOf(f.ledger, SHIP)).stage).to.equal(STAGES.DEPARTED);
      });
    }

    it("before the consignment departs, delivery of a child is refused with the effective stage", async () => {
      const f = await loadFixture(nestedFixture);
      await shipOut(f, false);
      await expect(rec(f, I1, "DELIVERED", "carrier"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerStageViolation")
        .withArgs(I1, STEPS.DELIVERED, STAGES.RELEASED);
    });

    const movement: [StepName, MemberName][] = [
      ["LOADING", "carrier"],
      ["SHIPPING", "exporter"],
      ["DEPARTING", "carrier"],
      ["DELIVERED", "carrier"],
    ];
    for (const [holder, holdOn] of [
      ["consignment", SHIP],
      ["carton", C1],
    ] as const) {
      for (const [step, by] of movement) {
        it(`a HOLD on the ${holder} refuses ${step} recorded on the item inside; lifted only on the ${holder}`, async () => {
          const f = await loadFixture(nestedFixture);
          await shipOut(f, step === "DELIVERED");
          await rec(f, holdOn, "HOLD", "customs");
          expect((await unitStateOf(f.ledger, I1)).flags).to.equal(FLAGS.PACKED); // own flags only
          await expect(rec(f, I1, step, by))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
            .withArgs(I1, STEPS[step]);
          await expect(rec(f, I1, "HOLD_LIFTED", "customs"))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNothingToLift")
            .withArgs(I1, STEPS.HOLD_LIFTED);
          await rec(f, holdOn, "HOLD_LIFTED", "customs");
          await expect(rec(f, I1, step, by)).to.emit(f.ledger, "Traced");
        });
      }
    }

    // Issue 11 (trust model v2): a held carton now stops the consignment around it from moving
    // (TraceLedgerContainsStopped) — it used to let the consignment be loaded with the held carton inside.
    // The consignment itself is still not held, nor are the other cartons.
    it("a hold on a carton stops the consignment around it from moving, but neither holds it nor other cartons", async () => {
      const f = await loadFixture(nestedFixture);
      await f.ledger.connect(f.accounts.exporter).pack(aggregation(SHIP), [C2]);
      await rec(f, C1, "HOLD", "customs");
      await expect(rec(f, SHIP, "LOADING", "carrier"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(SHIP, STEPS.LOADING);
      expect((await unitStateOf(f.ledger, SHIP)).flags).to.equal(FLAGS.HOLDS_STOPPED);
      await expect(rec(f, SHIP, "INSPECTING", "exporter")).to.emit(f.ledger, "Traced");
      await expect(rec(f, I3, "LOADING", "carrier")).to.emit(f.ledger, "Traced");
      await f.ledger.connect(f.accounts.customs).unpack(aggregation(SHIP), [C1]);
      await expect(rec(f, SHIP, "LOADING", "carrier")).to.emit(f.ledger, "Traced");
    });

    const recallBlocked: [StepName, MemberName][] = [
      ["SHIPPING", "exporter"],
      ["CUSTOMS_DECLARED", "broker"],
      // ORDER_PLACED is a customs document since 2.2: its recall refusal is in Customs.test.ts.
    ];
    for (const [step, by] of recallBlocked) {
      it(`a RECALL on the consignment refuses ${step} recorded on the item inside`, async () => {
        const f = await loadFixture(nestedFixture);
        await rec(f, SHIP, "RECALL", "market");
        await expect(rec(f, I1, step, by))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitRecalled")
          .withArgs(I1, STEPS[step]);
        await expect(rec(f, I1, "RECALL_LIFTED", "market"))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNothingToLift")
          .withArgs(I1, STEPS.RECALL_LIFTED);
        await rec(f, SHIP, "RECALL_LIFTED", "market");
        await expect(rec(f, I1, step, by)).to.emit(f.ledger, "Traced");
      });
    }

    for (const end of ["DESTROYING", "DECOMMISSIONING"] as StepName[]) {
      it(`${end} the consignment makes the cartons and items inside refuse events`, async () => {
        const f = await loadFixture(nestedFixture);
        await rec(f, SHIP, end, "exporter");
        for (const [unit, step, by] of [
          [I1, "INSPECTING", "exporter"],
          [C1, "STORING", "exporter"],
          [I2, "HOLD", "customs"],
        ] as [string, StepName, MemberName][]) {
          await expect(rec(f, unit, step, by))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitDestroyed")
            .withArgs(unit);
        }
        await expect(rec(f, I4, "INSPECTING", "exporter")).to.emit(f.ledger, "Traced");
      });
    }
  });

  describe("unpack", () => {
    it("refuses a child that is not inside that parent: TraceLedgerNotInParent(child, parent)", async () => {
      const f = await loadFixture(nestedFixture);
      const ex = f.ledger.connect(f.accounts.exporter);
      const cases: [string, string[], number, string][] = [
        [C1, [I3], 0, I3], // inside another parent
        [C1, [I1, I4], 1, I4], // never packed
        [C3, [I1], 0, I1], // a parent that never had children
        [SHIP, [I1], 0, I1], // a grandchild is not inside the consignment itself
        [C1, [I1, I1], 1, I1], // already taken out earlier in the same call
        [C1, [itemKey(999)], 0, itemKey(999)], // unknown unit
      ];
      for (const [parent, children, index, child] of cases) {
        await expect(ex.unpack(aggregation(parent), children))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
          .withArgs(index, encodedError(f.ledger, "TraceLedgerNotInParent", [child, parent]));
      }
      await ex.unpack(aggregation(C1), [I2]);
      await expect(ex.unpack(aggregation(C1), [I2]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0, encodedError(f.ledger, "TraceLedgerNotInParent", [I2, C1]));
      expect((await unitStateOf(f.ledger, I1)).parent).to.equal(C1);
    });

    it("emits one UNPACKING entry per child (data = parent) and one on the parent (aux = child count)", async () => {
      const f = await loadFixture(nestedFixture);
      const agg = aggregation(C1, "unpack C1");
      const logs = await tracedLogs(f.ledger, await f.ledger.connect(f.accounts.exporter).unpack(agg, [I2, I1]));
      expect(logs.map((l) => l.unit)).to.deep.equal([I2, I1, C1]);
      for (const l of logs) expect(l).to.include({ step: STEPS.UNPACKING, org: f.orgIds.exporter });
      expect(logs.slice(0, 2).map((l) => l.data)).to.deep.equal([C1, C1]);
      expect(logs[2].data).to.equal(agg.recordHash);
      expect(logs[2].aux).to.equal(2n);
    });

    it("a child taken out keeps the parent's effective custodian, stage, recall and flag", async () => {
      const f = await loadFixture(nestedFixture);
      // declared and released while the exporter's assignees (broker) are in scope, then handed to the carrier
      await shipOut(f, false);
      await handOver(f, SHIP, "exporter", "carrier");
      await rec(f, SHIP, "DEPARTING", "carrier");
      await rec(f, SHIP, "FLAGGED", "market");
      await rec(f, SHIP, "RECALL", "market");
      await f.ledger.connect(f.accounts.carrier).unpack(aggregation(C1), [I1]);
      const s = await unitStateOf(f.ledger, I1);
      expect(s.flags & FLAGS.PACKED).to.equal(0);
      expect(s.parent).to.equal(ethers.ZeroHash);
      expect(s.custodian).to.equal(f.orgIds.carrier);
      expect(s.stage).to.equal(STAGES.DEPARTED);
      expect(s.flags).to.equal(FLAGS.RECALLED | FLAGS.FLAGGED);
      // the recall now sits on the item itself and is lifted there
      await expect(rec(f, I1, "DELIVERED", "carrier"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitRecalled")
        .withArgs(I1, STEPS.DELIVERED);
      await rec(f, I1, "RECALL_LIFTED", "market");
      await rec(f, I1, "FLAG_LIFTED", "market");
      expect((await unitStateOf(f.ledger, I1)).flags).to.equal(0);
    });

    it("a child whose own stage is further than the parent's keeps its own", async () => {
      const f = await loadFixture(nestedFixture);
      await shipOut(f);
      await rec(f, I1, "DELIVERED", "carrier");
      await f.ledger.connect(f.accounts.exporter).unpack(aggregation(C1), [I1, I2]);
      expect((await unitStateOf(f.ledger, I1)).stage).to.equal(STAGES.DELIVERED);
      expect((await unitStateOf(f.ledger, I2)).stage).to.equal(STAGES.DEPARTED);
    });

    it("a carton taken out of the consignment keeps its items; customs may unpack without custody", async () => {
      const f = await loadFixture(nestedFixture);
      await handOver(f, SHIP, "exporter", "warehouse");
      await f.ledger.connect(f.accounts.customs).unpack(aggregation(SHIP), [C1]);
      expect(await unitStateOf(f.ledger, C1)).to.include({ custodian: f.orgIds.warehouse, parent: ethers.ZeroHash });
      expect(await unitStateOf(f.ledger, I1)).to.include({ custodian: f.orgIds.warehouse, parent: C1 });
      await rec(f, SHIP, "HOLD", "customs"); // no longer around C1
      // the warehouse, custodian now; the registrant lost its scope with custody (trust model v2)
      await expect(rec(f, I1, "SHIPPING", "warehouse")).to.emit(f.ledger, "Traced");
    });

    for (const [what, holdOn] of [
      ["the parent", C1],
      ["the consignment around the parent", SHIP],
    ] as const) {
      it(`is refused while ${what} is held: TraceLedgerUnitHeld(parent, UNPACKING)`, async () => {
        const f = await loadFixture(nestedFixture);
        await rec(f, holdOn, "HOLD", "customs");
        const ex = f.ledger.connect(f.accounts.exporter);
        await expect(ex.unpack(aggregation(C1), [I1]))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
          .withArgs(C1, STEPS.UNPACKING);
        await rec(f, holdOn, "HOLD_LIFTED", "customs");
        await ex.unpack(aggregation(C1), [I1]);
        expect((await unitStateOf(f.ledger, I1)).parent).to.equal(ethers.ZeroHash);
      });
    }

    it("refuses an empty batch and a parent out of scope", async () => {
      const f = await loadFixture(nestedFixture);
      await expect(f.ledger.connect(f.accounts.exporter).unpack(aggregation(C1), [])).to.be.revertedWithCustomError(
        f.ledger,
        "TraceLedgerEmptyBatch",
      );
      await expect(f.ledger.connect(f.accounts.rival).unpack(aggregation(C1), [I1]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(C1, f.orgIds.rival);
    });
  });
});
