/**
 * The per-unit export state machine through `record`: the 9610 happy path, every stage refusal with its
 * exact error, and the terminal DESTROYED stage for every write path. Holds, recalls and regulator flags
 * are in `StageRulesFlags.test.ts`.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  traceInput,
  aggregation,
  recordHash,
  type LedgerFixture,
  type MemberName,
  EVENT_TIME,
} from "../helpers/ledger";
import { rec, advance as advanceTo, type ReachableStage } from "../helpers/actors";
import { STAGE_UNITS, stageFixture } from "../helpers/fixtures";
import { STEPS, STAGES, decodeInfo, type StepName, type StageName } from "../../src/codes";
import { NO_PROOF } from "../helpers/custody";
import { tracedLogs } from "../helpers/reads";

// ---------------------------------------------------------------------------------------------------------
// Local helpers (shared by the tables below)
// ---------------------------------------------------------------------------------------------------------

const { U, BOX } = STAGE_UNITS;

/** Brings `unit` to `stage` along the 9610 path and checks that it got there. */
async function advance(f: LedgerFixture, unit: string, stage: ReachableStage) {
  await advanceTo(f, unit, stage);
  expect(await stageOf(f, unit)).to.equal(STAGES[stage]);
}

async function stageOf(f: LedgerFixture, unit: string): Promise<number> {
  return Number((await f.ledger.unitState(unit)).stage);
}

async function seqOf(f: LedgerFixture, unit: string): Promise<number> {
  return Number((await f.ledger.unitState(unit)).seq);
}

// ---------------------------------------------------------------------------------------------------------

describe("StageRules: export state machine through record", () => {
  describe("9610 happy path", () => {
    const steps: [StepName, MemberName, StageName][] = [
      ["CUSTOMS_DECLARED", "broker", "DECLARED"],
      ["CUSTOMS_INSPECTED", "customs", "DECLARED"],
      ["CUSTOMS_RELEASED", "customs", "RELEASED"],
      ["DEPARTING", "carrier", "DEPARTED"],
      ["CUSTOMS_EXITED", "customs", "EXITED"],
      ["DELIVERED", "carrier", "DELIVERED"],
    ];

    it("walks ACTIVE → DECLARED → RELEASED → DEPARTED → EXITED → DELIVERED with the right actors", async () => {
      const f = await loadFixture(stageFixture);
      expect(await stageOf(f, U)).to.equal(STAGES.ACTIVE);
      let seq = await seqOf(f, U);
      for (const [step, who, stage] of steps) {
        if (step === "CUSTOMS_DECLARED") {
          // A customs document since 2.2: the zone entry it cites, then the declaration (Customs.test.ts).
          const log = (await tracedLogs(f.ledger, await rec(f, U, step, who)))[0];
          expect([log.step, log.org, log.seq]).to.deep.equal([STEPS[step], f.orgIds[who], (seq += 2)]);
          expect(await stageOf(f, U), `stage after ${step}`).to.equal(STAGES[stage]);
          continue;
        }
        const input = traceInput(U, step);
        const tx = f.ledger.connect(f.accounts[who]).record(input);
        await expect(tx).to.emit(f.ledger, "Traced").withArgs(U, f.accounts[who].address, input.recordHash, anyValue);
        const log = (await (await tx).wait())!.logs.map((l) => f.ledger.interface.parseLog(l)!)[0];
        const info = decodeInfo(log.args.info);
        expect(info.step, step).to.equal(STEPS[step]);
        expect(info.org, step).to.equal(f.orgIds[who]);
        expect(info.seq, step).to.equal(++seq);
        expect(await stageOf(f, U), `stage after ${step}`).to.equal(STAGES[stage]);
      }
    });

    it("a customs return (退运) after a declaration moves to RETURNED, a buyer return after delivery too", async () => {
      const f = await loadFixture(stageFixture);
      await advance(f, U, "DECLARED");
      await rec(f, U, "CUSTOMS_RETURNED");
      expect(await stageOf(f, U)).to.equal(STAGES.RETURNED);
      await advance(f, BOX, "ACTIVE");
      await f.ledger.connect(f.accounts.exporter).assign(BOX, f.orgIds.carrier, true, EVENT_TIME, recordHash("c"));
      await f.ledger.connect(f.accounts.exporter).assign(BOX, f.orgIds.broker, true, EVENT_TIME, recordHash("b"));
      await advance(f, BOX, "RETURNED");
    });

    it("delivery is allowed straight after departure (before exit); a declared unit carries one declaration", async () => {
      const f = await loadFixture(stageFixture);
      await rec(f, U, "CUSTOMS_DECLARED");
      // Since 2.2 a declaration is a customs document: one at a time per unit (customs rule 2).
      await expect(rec(f, U, "CUSTOMS_DECLARED")).to.be.revertedWithCustomError(f.ledger, "CustomsUnitAlreadyDeclared");
      expect(await stageOf(f, U)).to.equal(STAGES.DECLARED);
      await rec(f, U, "CUSTOMS_RELEASED");
      await rec(f, U, "DEPARTING");
      await expect(rec(f, U, "DELIVERED")).to.emit(f.ledger, "Traced");
      expect(await stageOf(f, U)).to.equal(STAGES.DELIVERED);
    });
  });

  describe("stage refusals: TraceLedgerStageViolation(unit, step, stage)", () => {
    const cases: [string, Exclude<StageName, "DESTROYED">, StepName][] = [
      ["release before declaration", "ACTIVE", "CUSTOMS_RELEASED"],
      ["release twice", "RELEASED", "CUSTOMS_RELEASED"],
      ["release after departure", "DEPARTED", "CUSTOMS_RELEASED"],
      ["departure before declaration", "ACTIVE", "DEPARTING"],
      ["departure before release", "DECLARED", "DEPARTING"],
      ["departure after delivery", "DELIVERED", "DEPARTING"],
      ["exit before declaration", "ACTIVE", "CUSTOMS_EXITED"],
      ["exit before release", "DECLARED", "CUSTOMS_EXITED"],
      ["exit before departure", "RELEASED", "CUSTOMS_EXITED"],
      ["exit twice", "EXITED", "CUSTOMS_EXITED"],
      ["delivery before declaration", "ACTIVE", "DELIVERED"],
      ["delivery before release", "DECLARED", "DELIVERED"],
      ["delivery before departure", "RELEASED", "DELIVERED"],
      ["rejection when not declared (ACTIVE)", "ACTIVE", "CUSTOMS_REJECTED"],
      ["rejection after release", "RELEASED", "CUSTOMS_REJECTED"],
      ["rejection after departure", "DEPARTED", "CUSTOMS_REJECTED"],
      ["inspection before declaration", "ACTIVE", "CUSTOMS_INSPECTED"],
      ["inspection after delivery", "DELIVERED", "CUSTOMS_INSPECTED"],
      ["customs hold before declaration", "ACTIVE", "CUSTOMS_HELD"],
      ["customs hold after delivery", "DELIVERED", "CUSTOMS_HELD"],
      ["buyer return before declaration", "ACTIVE", "RETURNED"],
      ["buyer return before departure (declared)", "DECLARED", "RETURNED"],
      ["buyer return before departure (released)", "RELEASED", "RETURNED"],
      ["customs return before declaration", "ACTIVE", "CUSTOMS_RETURNED"],
      ["customs return after a return", "RETURNED", "CUSTOMS_RETURNED"],
      ["re-declaring after release", "RELEASED", "CUSTOMS_DECLARED"],
      ["re-declaring after departure", "DEPARTED", "CUSTOMS_DECLARED"],
      ["re-declaring after exit", "EXITED", "CUSTOMS_DECLARED"],
      ["re-declaring after delivery", "DELIVERED", "CUSTOMS_DECLARED"],
    ];
    for (const [what, stage, step] of cases) {
      it(`${what}: ${step} in ${stage}`, async () => {
        const f = await loadFixture(stageFixture);
        await advance(f, U, stage);
        const seq = await seqOf(f, U);
        await expect(rec(f, U, step))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerStageViolation")
          .withArgs(U, STEPS[step], STAGES[stage]);
        // A declaration is filed with the zone entry it cites first (see `rec`): that entry stays.
        expect(await seqOf(f, U)).to.equal(seq + (step === "CUSTOMS_DECLARED" ? 1 : 0));
        expect(await stageOf(f, U)).to.equal(STAGES[stage]);
      });
    }

    it("a refused item of a recordBatch is wrapped with its index and nothing of the batch is kept", async () => {
      const f = await loadFixture(stageFixture);
      const seq = await seqOf(f, U);
      const customs = f.ledger.connect(f.accounts.customs);
      const inner = f.ledger.interface.encodeErrorResult("TraceLedgerStageViolation", [
        U,
        STEPS.CUSTOMS_RELEASED,
        STAGES.ACTIVE,
      ]);
      const first = f.ledger.interface.encodeErrorResult("TraceLedgerStageViolation", [
        U,
        STEPS.CUSTOMS_INSPECTED,
        STAGES.ACTIVE,
      ]);
      await expect(customs.recordBatch([traceInput(U, "CUSTOMS_INSPECTED"), traceInput(U, "CUSTOMS_RELEASED")]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0, first);
      await expect(customs.recordBatch([traceInput(BOX, "INSPECTING"), traceInput(U, "CUSTOMS_RELEASED")]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
        .withArgs(1, inner);
      expect(await seqOf(f, U)).to.equal(seq);
      expect(await seqOf(f, BOX)).to.equal(1);
    });
  });

  describe("transitions that move back or keep the stage", () => {
    it("CUSTOMS_REJECTED moves DECLARED back to ACTIVE and allows a new declaration", async () => {
      const f = await loadFixture(stageFixture);
      await advance(f, U, "DECLARED");
      await rec(f, U, "CUSTOMS_REJECTED");
      expect(await stageOf(f, U)).to.equal(STAGES.ACTIVE);
      await expect(rec(f, U, "CUSTOMS_RELEASED"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerStageViolation")
        .withArgs(U, STEPS.CUSTOMS_RELEASED, STAGES.ACTIVE);
      await expect(rec(f, U, "CUSTOMS_DECLARED")).to.emit(f.ledger, "Traced");
      expect(await stageOf(f, U)).to.equal(STAGES.DECLARED);
      await rec(f, U, "CUSTOMS_RELEASED");
      expect(await stageOf(f, U)).to.equal(STAGES.RELEASED);
    });

    it("DEPARTING again after EXITED is recorded and keeps EXITED (transshipment)", async () => {
      const f = await loadFixture(stageFixture);
      await advance(f, U, "EXITED");
      const seq = await seqOf(f, U);
      await expect(rec(f, U, "DEPARTING")).to.emit(f.ledger, "Traced");
      expect(await seqOf(f, U)).to.equal(seq + 1);
      expect(await stageOf(f, U)).to.equal(STAGES.EXITED);
      await rec(f, U, "DELIVERED");
      expect(await stageOf(f, U)).to.equal(STAGES.DELIVERED);
    });

    it("DEPARTING again after DEPARTED keeps DEPARTED; CUSTOMS_INSPECTED keeps the stage", async () => {
      const f = await loadFixture(stageFixture);
      await advance(f, U, "DEPARTED");
      await rec(f, U, "DEPARTING");
      expect(await stageOf(f, U)).to.equal(STAGES.DEPARTED);
      await rec(f, U, "CUSTOMS_INSPECTED");
      expect(await stageOf(f, U)).to.equal(STAGES.DEPARTED);
    });
  });

  describe("nothing after destruction: TraceLedgerUnitDestroyed(unit)", () => {
    const ends: [StepName, MemberName][] = [
      ["DESTROYING", "exporter"],
      ["DESTROYING", "market"],
      ["DECOMMISSIONING", "exporter"],
    ];
    const afterSteps: StepName[] = [
      "INSPECTING",
      "STORING",
      "CUSTOMS_DECLARED",
      "SHIPPING",
      "HOLD",
      "HOLD_LIFTED",
      "FLAG_LIFTED",
      "RECALL",
      "RECALL_LIFTED",
      "DESTROYING",
      "DECOMMISSIONING",
    ];

    /** The dedicated write paths, each run on a destroyed U (U holds BOX for unpack). */
    const ops: [string, (f: LedgerFixture) => Promise<unknown>][] = [
      ["pack into it", (f) => f.ledger.connect(f.accounts.exporter).pack(aggregation(U), [BOX])],
      ["unpack from it", (f) => f.ledger.connect(f.accounts.exporter).unpack(aggregation(U), [BOX])],
      [
        "handover",
        (f) => f.ledger.connect(f.accounts.exporter).handover(U, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("h")),
      ],
      [
        "assign",
        (f) => f.ledger.connect(f.accounts.exporter).assign(U, f.orgIds.lab, true, EVENT_TIME, recordHash("a")),
      ],
      [
        "unassign",
        (f) => f.ledger.connect(f.accounts.exporter).assign(U, f.orgIds.carrier, false, EVENT_TIME, recordHash("a")),
      ],
      ["correct", (f) => f.ledger.connect(f.accounts.exporter).correct(U, 1, EVENT_TIME, recordHash("c"), ...NO_PROOF)],
    ];

    for (const [end, by] of ends) {
      it(`${end} by ${by} makes the stage DESTROYED`, async () => {
        const f = await loadFixture(stageFixture);
        await rec(f, U, end, by);
        expect(await stageOf(f, U)).to.equal(STAGES.DESTROYED);
      });

      for (const step of afterSteps) {
        it(`record ${step} after ${end} (${by}) is refused`, async () => {
          const f = await loadFixture(stageFixture);
          await rec(f, U, end, by);
          const seq = await seqOf(f, U);
          await expect(rec(f, U, step))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitDestroyed")
            .withArgs(U);
          expect(await seqOf(f, U)).to.equal(seq);
        });
      }

      for (const [name, op] of ops) {
        it(`${name} after ${end} (${by}) is refused`, async () => {
          const f = await loadFixture(stageFixture);
          if (name === "unpack from it") await f.ledger.connect(f.accounts.exporter).pack(aggregation(U), [BOX]);
          await rec(f, U, end, by);
          const seq = await seqOf(f, U);
          await expect(op(f)).to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitDestroyed").withArgs(U);
          expect(await seqOf(f, U)).to.equal(seq);
        });
      }

      it(`packing the unit as a child after ${end} (${by}) is refused with the item wrapped`, async () => {
        const f = await loadFixture(stageFixture);
        await rec(f, U, end, by);
        const inner = f.ledger.interface.encodeErrorResult("TraceLedgerUnitDestroyed", [U]);
        await expect(f.ledger.connect(f.accounts.exporter).pack(aggregation(BOX), [U]))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
          .withArgs(0, inner);
      });
    }
  });
});
