/**
 * Holds, recalls and regulator flags of the per-unit state machine: every step in StageRules.HELD_BLOCKED
 * and StageRules.RECALL_BLOCKED refused while the flag is set and allowed again once lifted, lifting only
 * what is set, the flags in `unitState.flags`, and the regulator actions as additive history entries.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { aggregation, recordHash, type LedgerFixture, type MemberName, EVENT_TIME } from "../helpers/ledger";
import { readHistory, replayedAndStoredHead } from "../helpers/history";
import { rec, advance } from "../helpers/actors";
import { STAGE_UNITS, stageFixture } from "../helpers/fixtures";
import { unitStateOf } from "../helpers/reads";
import { STEPS, STAGES, FLAGS, roleMask, type StepName, type StageName } from "../../src/codes";
import { handOver } from "../helpers/custody";

// ---------------------------------------------------------------------------------------------------------
// Local helpers
// ---------------------------------------------------------------------------------------------------------

const { U, BOX } = STAGE_UNITS;
const stateOf = (f: LedgerFixture, unit: string) => unitStateOf(f.ledger, unit);

/** The stage a status step leads to from `from`, for the steps used in the tables below. */
function stageAfter(step: StepName, from: StageName): number {
  const moves: Partial<Record<StepName, StageName>> = {
    CUSTOMS_DECLARED: "DECLARED",
    CUSTOMS_RELEASED: "RELEASED",
    DEPARTING: "DEPARTED",
    CUSTOMS_EXITED: "EXITED",
    DELIVERED: "DELIVERED",
  };
  return STAGES[moves[step] ?? from];
}

/** Steps of StageRules.HELD_BLOCKED recordable through `record`, with the stage in which they are legal. */
const HELD_BLOCKED: [StepName, StageName][] = [
  ["LOADING", "ACTIVE"],
  ["SHIPPING", "ACTIVE"],
  ["DEPARTING", "RELEASED"],
  ["TRANSPORTING", "ACTIVE"],
  ["ARRIVING", "ACTIVE"],
  ["RETAIL_SELLING", "ACTIVE"],
  ["STAGING_OUTBOUND", "ACTIVE"],
  ["ENTERING_EXITING", "ACTIVE"],
  ["DELIVERED", "DEPARTED"],
  ["CUSTOMS_RELEASED", "DECLARED"],
  ["CUSTOMS_EXITED", "DEPARTED"],
];

/** Steps of StageRules.RECALL_BLOCKED (all recordable), with the stage in which they are legal. */
const RECALL_BLOCKED: [StepName, StageName][] = [
  ["LOADING", "ACTIVE"],
  ["SHIPPING", "ACTIVE"],
  ["DEPARTING", "RELEASED"],
  ["RETAIL_SELLING", "ACTIVE"],
  ["STAGING_OUTBOUND", "ACTIVE"],
  ["DELIVERED", "DEPARTED"],
  ["CUSTOMS_RELEASED", "DECLARED"],
  // CUSTOMS_DECLARED, ORDER_PLACED, WAYBILL_ISSUED and WAREHOUSE_BOOKED are customs documents since 2.2
  // (`fileDocument`, not `record`): their recall refusals are in Customs.test.ts.
];

/** CUSTOMS_HELD needs a declaration: hold sources with the least stage they need. */
const HOLD_SOURCES: [StepName, MemberName, StageName][] = [
  ["HOLD", "customs", "ACTIVE"],
  ["HOLD", "market", "ACTIVE"],
  ["CUSTOMS_HELD", "customs", "DECLARED"],
];

const laterStage = (a: StageName, b: StageName): StageName => (STAGES[a] >= STAGES[b] ? a : b);

// ---------------------------------------------------------------------------------------------------------

describe("StageRules: holds, recalls and regulator flags", () => {
  describe("holds block movement: TraceLedgerUnitHeld(unit, step)", () => {
    for (const [source, by, minStage] of HOLD_SOURCES) {
      for (const [step, legalIn] of HELD_BLOCKED) {
        it(`${step} refused while held by ${source} (${by}), allowed after HOLD_LIFTED`, async () => {
          const f = await loadFixture(stageFixture);
          const stage = laterStage(legalIn, minStage);
          await advance(f, U, stage);
          await rec(f, U, source, by);
          const held = await stateOf(f, U);
          expect(held.flags & FLAGS.HELD).to.equal(FLAGS.HELD);
          expect(held.stage).to.equal(STAGES[stage]);
          await expect(rec(f, U, step))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
            .withArgs(U, STEPS[step]);
          expect((await stateOf(f, U)).seq).to.equal(held.seq);

          await rec(f, U, "HOLD_LIFTED");
          expect((await stateOf(f, U)).flags & FLAGS.HELD).to.equal(0);
          await expect(rec(f, U, step)).to.emit(f.ledger, "Traced");
          const after = await stateOf(f, U);
          expect(after.seq).to.equal(held.seq + 2);
          expect(after.stage).to.equal(stageAfter(step, stage));
        });
      }

      it(`pack into a unit held by ${source} (${by}) is refused with PACKING, allowed after HOLD_LIFTED`, async () => {
        const f = await loadFixture(stageFixture);
        await advance(f, U, minStage);
        await rec(f, U, source, by);
        const ex = f.ledger.connect(f.accounts.exporter);
        await expect(ex.pack(aggregation(U), [BOX]))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
          .withArgs(U, STEPS.PACKING);
        await rec(f, U, "HOLD_LIFTED");
        // Issue 11: a declared U is under customs control, and packing never advances BOX past its own stage
        if (minStage === "DECLARED") {
          await expect(ex.pack(aggregation(U), [BOX]))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCustomsControlled")
            .withArgs(U);
          await rec(f, BOX, "CUSTOMS_DECLARED", "exporter");
        }
        await f.ledger
          .connect(minStage === "DECLARED" ? f.accounts.customs : f.accounts.exporter)
          .pack(aggregation(U), [BOX]);
        expect((await f.ledger.unitState(BOX)).parent).to.equal(U);
      });

      it(`packing a unit held by ${source} (${by}) as a child is refused (wrapped), allowed after HOLD_LIFTED`, async () => {
        const f = await loadFixture(stageFixture);
        await advance(f, U, minStage);
        await rec(f, U, source, by);
        const ex = f.ledger.connect(f.accounts.exporter);
        const inner = f.ledger.interface.encodeErrorResult("TraceLedgerUnitHeld", [U, STEPS.PACKING]);
        await expect(ex.pack(aggregation(BOX), [U]))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
          .withArgs(0, inner);
        await rec(f, U, "HOLD_LIFTED");
        await ex.pack(aggregation(BOX), [U]);
        expect((await f.ledger.unitState(U)).parent).to.equal(BOX);
      });

      it(`unpack from a unit held by ${source} (${by}) is refused with UNPACKING, allowed after HOLD_LIFTED`, async () => {
        const f = await loadFixture(stageFixture);
        const ex = f.ledger.connect(f.accounts.exporter);
        await ex.pack(aggregation(U), [BOX]);
        await advance(f, U, minStage);
        await rec(f, U, source, by);
        await expect(ex.unpack(aggregation(U), [BOX]))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
          .withArgs(U, STEPS.UNPACKING);
        await rec(f, U, "HOLD_LIFTED");
        // Issue 11: only customs changes the contents of a declared U
        if (minStage === "DECLARED") {
          await expect(ex.unpack(aggregation(U), [BOX]))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCustomsControlled")
            .withArgs(U);
        }
        await f.ledger
          .connect(minStage === "DECLARED" ? f.accounts.customs : f.accounts.exporter)
          .unpack(aggregation(U), [BOX]);
        expect((await stateOf(f, BOX)).flags & FLAGS.PACKED).to.equal(0);
      });

      it(`handover of a unit held by ${source} (${by}) is refused, allowed after HOLD_LIFTED`, async () => {
        const f = await loadFixture(stageFixture);
        await advance(f, U, minStage);
        await rec(f, U, source, by);
        const ex = f.ledger.connect(f.accounts.exporter);
        await expect(ex.handover(U, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("h")))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
          .withArgs(U, STEPS.CUSTODY_TRANSFERRED);
        await rec(f, U, "HOLD_LIFTED");
        await handOver(f, U, "exporter", "warehouse");
        expect((await f.ledger.unitState(U)).custodian).to.equal(f.orgIds.warehouse);
      });
    }

    const notBlocked: [StepName, StageName][] = [
      ["INSPECTING", "ACTIVE"],
      ["STORING", "ACTIVE"],
      ["UNLOADING", "ACTIVE"],
      ["HOLDING", "ACTIVE"],
      // CUSTOMS_DECLARED while held: a customs document since 2.2, in Customs.test.ts.
      ["CUSTOMS_INSPECTED", "DECLARED"],
      ["FLAGGED", "ACTIVE"],
      ["RECALL", "ACTIVE"],
    ];
    for (const [step, stage] of notBlocked) {
      it(`${step} (not in HELD_BLOCKED) is still recorded while held`, async () => {
        const f = await loadFixture(stageFixture);
        await advance(f, U, stage);
        await rec(f, U, "HOLD");
        await expect(rec(f, U, step)).to.emit(f.ledger, "Traced");
        expect((await stateOf(f, U)).flags & FLAGS.HELD).to.equal(FLAGS.HELD);
      });
    }
  });

  describe("a recall stops forward flow until a regulator lifts it: TraceLedgerUnitRecalled(unit, step)", () => {
    for (const recaller of ["market", "exporter"] as MemberName[]) {
      for (const [step, stage] of RECALL_BLOCKED) {
        it(`${step} refused while recalled by ${recaller}, allowed after RECALL_LIFTED`, async () => {
          const f = await loadFixture(stageFixture);
          await advance(f, U, stage);
          await rec(f, U, "RECALL", recaller);
          const recalled = await stateOf(f, U);
          expect(recalled.flags & FLAGS.RECALLED).to.equal(FLAGS.RECALLED);
          await expect(rec(f, U, step))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitRecalled")
            .withArgs(U, STEPS[step]);
          expect((await stateOf(f, U)).seq).to.equal(recalled.seq);

          await rec(f, U, "RECALL_LIFTED", "customs");
          expect((await stateOf(f, U)).flags & FLAGS.RECALLED).to.equal(0);
          await expect(rec(f, U, step)).to.emit(f.ledger, "Traced");
          expect((await stateOf(f, U)).stage).to.equal(stageAfter(step, stage));
        });
      }
    }

    it("the exporter may start a recall but may not lift it", async () => {
      const f = await loadFixture(stageFixture);
      await rec(f, U, "RECALL", "exporter");
      await expect(rec(f, U, "RECALL_LIFTED", "exporter"))
        .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
        .withArgs(f.accounts.exporter.address, f.orgIds.exporter, STEPS.RECALL_LIFTED, roleMask("EXPORTER"));
      expect((await stateOf(f, U)).flags & FLAGS.RECALLED).to.equal(FLAGS.RECALLED);
    });

    const notBlocked: [StepName, StageName][] = [
      ["INSPECTING", "ACTIVE"],
      ["TRANSPORTING", "ACTIVE"],
      ["ARRIVING", "ACTIVE"],
      ["CUSTOMS_INSPECTED", "DECLARED"],
      ["CUSTOMS_RETURNED", "DECLARED"],
      ["CUSTOMS_EXITED", "DEPARTED"],
      ["RETURNED", "DEPARTED"],
      ["DESTROYING", "ACTIVE"],
    ];
    for (const [step, stage] of notBlocked) {
      it(`${step} (not in RECALL_BLOCKED) is still recorded while recalled`, async () => {
        const f = await loadFixture(stageFixture);
        await advance(f, U, stage);
        await rec(f, U, "RECALL");
        await expect(rec(f, U, step)).to.emit(f.ledger, "Traced");
      });
    }

    it("a held and recalled unit reports the hold first", async () => {
      const f = await loadFixture(stageFixture);
      await rec(f, U, "RECALL");
      await rec(f, U, "HOLD");
      await expect(rec(f, U, "SHIPPING"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitHeld")
        .withArgs(U, STEPS.SHIPPING);
      await rec(f, U, "HOLD_LIFTED");
      await expect(rec(f, U, "SHIPPING"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitRecalled")
        .withArgs(U, STEPS.SHIPPING);
    });
  });

  describe("lifting only what is set: TraceLedgerNothingToLift(unit, step)", () => {
    const cases: [StepName, StepName[]][] = [
      ["HOLD_LIFTED", []],
      ["FLAG_LIFTED", []],
      ["RECALL_LIFTED", []],
      ["HOLD_LIFTED", ["FLAGGED", "RECALL"]],
      ["FLAG_LIFTED", ["HOLD", "RECALL"]],
      ["RECALL_LIFTED", ["HOLD", "FLAGGED"]],
      ["HOLD_LIFTED", ["HOLD", "HOLD_LIFTED"]],
      ["FLAG_LIFTED", ["FLAGGED", "FLAG_LIFTED"]],
      ["RECALL_LIFTED", ["RECALL", "RECALL_LIFTED"]],
    ];
    for (const [lift, before] of cases) {
      it(`${lift} after [${before.join(", ")}] is refused`, async () => {
        const f = await loadFixture(stageFixture);
        for (const step of before) await rec(f, U, step);
        const s = await stateOf(f, U);
        await expect(rec(f, U, lift))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNothingToLift")
          .withArgs(U, STEPS[lift]);
        expect(await stateOf(f, U)).to.deep.equal(s);
      });
    }
  });

  describe("flags in unitState and regulator actions as additive history", () => {
    it("HOLD, CUSTOMS_HELD, FLAGGED and RECALL set their flags and leave the stage alone", async () => {
      const f = await loadFixture(stageFixture);
      await advance(f, U, "DECLARED");
      await rec(f, U, "CUSTOMS_HELD");
      expect(await stateOf(f, U)).to.include({ stage: STAGES.DECLARED, flags: FLAGS.HELD });
      await rec(f, U, "HOLD_LIFTED");
      await rec(f, U, "HOLD", "market");
      await rec(f, U, "FLAGGED");
      await rec(f, U, "RECALL");
      expect(await stateOf(f, U)).to.include({
        stage: STAGES.DECLARED,
        flags: FLAGS.HELD | FLAGS.FLAGGED | FLAGS.RECALLED,
      });
      await rec(f, U, "FLAG_LIFTED", "customs");
      expect(await stateOf(f, U)).to.include({ flags: FLAGS.HELD | FLAGS.RECALLED });
    });

    it("each regulator action and each lifting adds exactly one entry; older entries stay; the head replays", async () => {
      const f = await loadFixture(stageFixture);
      await rec(f, U, "INSPECTING");
      const sequence: [StepName, MemberName, number][] = [
        ["HOLD", "customs", FLAGS.HELD],
        ["FLAGGED", "market", FLAGS.HELD | FLAGS.FLAGGED],
        ["RECALL", "market", FLAGS.HELD | FLAGS.FLAGGED | FLAGS.RECALLED],
        ["HOLD_LIFTED", "market", FLAGS.FLAGGED | FLAGS.RECALLED],
        ["FLAG_LIFTED", "customs", FLAGS.RECALLED],
        ["RECALL_LIFTED", "customs", 0],
      ];
      let before = await readHistory(f.ledger, U);
      for (const [step, by, flags] of sequence) {
        await rec(f, U, step, by);
        const s = await stateOf(f, U);
        expect(s.seq, step).to.equal(before.length + 1);
        expect(s.flags, step).to.equal(flags);
        const { replayed, stored, entries } = await replayedAndStoredHead(f.ledger, U);
        expect(replayed, step).to.equal(stored);
        expect(entries.length).to.equal(before.length + 1);
        expect(entries.slice(0, before.length)).to.deep.equal(before);
        const last = entries[entries.length - 1];
        expect(last).to.include({ step: STEPS[step], seq: s.seq, org: f.orgIds[by] });
        expect(last.account).to.equal(f.accounts[by].address);
        before = entries;
      }
    });
  });
});
