/**
 * Trust model v2, aggregation (issue 11 items 1 and 6): members composing allowed operations into a
 * forbidden outcome. Each attack is refused with its exact custom error, next to the legitimate flow it
 * imitates. Packing never advances a child; only customs changes the contents of a declared or released
 * unit; a held or recalled unit moves nowhere, nor does anything it is packed in (`Flags.HOLDS_STOPPED`).
 */
import { afterDelay } from "../helpers/governance";
import { handOver } from "../helpers/custody";
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
  EVENT_TIME,
} from "../helpers/ledger";
import { rec, advance } from "../helpers/actors";
import { unitsFixture, stageFixture, STAGE_UNITS } from "../helpers/fixtures";
import { encodedError, tracedLogs, unitStateOf } from "../helpers/reads";
import { STEPS, STAGES, FLAGS, ROLES, type StepName, type StageName } from "../../src/codes";

const [I1, I2, I3, I4] = [1, 2, 3, 4].map((n) => itemKey(n));
const [C1, C2] = [1, 2].map((n) => cartonKey(n));
const SHIP = consignmentKey(1);
const HS = FLAGS.HOLDS_STOPPED;

/** I1, I2 in C1, C1 in SHIP; I3, I4 and C2 loose; carrier and broker assigned to SHIP and to the loose units. */
const attackFixture = unitsFixture({
  batch: [I1, I2, I3, I4, C1, C2, SHIP],
  packs: [
    [C1, [I1, I2]],
    [SHIP, [C1]],
  ],
  assigns: [
    [SHIP, "carrier", "carrier"],
    [SHIP, "broker", "broker"],
    [I3, "broker", "broker I3"],
    [I3, "carrier", "carrier I3"],
    [C2, "broker", "broker C2"],
    [C2, "carrier", "carrier C2"],
  ],
});

const as = (f: LedgerFixture, m: keyof LedgerFixture["accounts"]) => f.ledger.connect(f.accounts[m]);
/** `TraceLedgerBatchItemRejected(index, <name>(args))`, as pack and unpack report a child's refusal. */
async function expectItem(f: LedgerFixture, tx: Promise<unknown>, index: number, name: string, args: unknown[]) {
  await expect(tx)
    .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
    .withArgs(index, encodedError(f.ledger, name, args));
}
async function stateOf(f: LedgerFixture, unit: string) {
  return unitStateOf(f.ledger, unit);
}

describe("Aggregation attacks: packing never advances a child (issue 11 item 1)", () => {
  it("ATTACK: a never-declared item packed into a released consignment is refused (PackingAdvancesChild)", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
    await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
    // the custodian is refused outright: the consignment is under customs control
    await expect(as(f, "exporter").pack(aggregation(SHIP), [I3]))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCustomsControlled")
      .withArgs(SHIP);
    // and not even customs may lend the item a release it never had
    await expectItem(f, as(f, "customs").pack(aggregation(SHIP), [I3]), 0, "TraceLedgerPackingAdvancesChild", [
      I3,
      STAGES.ACTIVE,
      STAGES.RELEASED,
    ]);
    expect(await stateOf(f, I3)).to.include({ stage: STAGES.ACTIVE, flags: 0, parent: ethers.ZeroHash, seq: 3 });
  });

  it("ATTACK: after departure the custodian cannot slip an undeclared item in to have it delivered", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
    await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
    await rec(f, SHIP, "DEPARTING", "carrier");
    await expectItem(f, as(f, "exporter").pack(aggregation(SHIP), [I3]), 0, "TraceLedgerPackingAdvancesChild", [
      I3,
      STAGES.ACTIVE,
      STAGES.DEPARTED,
    ]);
    await expect(rec(f, I3, "DELIVERED", "carrier"))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerStageViolation")
      .withArgs(I3, STEPS.DELIVERED, STAGES.ACTIVE);
  });

  it("LEGITIMATE: a unit released on its own is consolidated by customs into the released consignment", async () => {
    const f = await loadFixture(attackFixture);
    for (const u of [SHIP, I3]) {
      await rec(f, u, "CUSTOMS_DECLARED", "broker");
      await rec(f, u, "CUSTOMS_RELEASED", "customs");
    }
    await as(f, "customs").pack(aggregation(SHIP), [I3]);
    expect(await stateOf(f, I3)).to.include({ parent: SHIP, stage: STAGES.RELEASED });
    await rec(f, SHIP, "DEPARTING", "carrier");
    await rec(f, SHIP, "DELIVERED", "carrier");
    await as(f, "exporter").unpack(aggregation(SHIP), [I3, C1]);
    expect(await stateOf(f, I3)).to.include({ stage: STAGES.DELIVERED, parent: ethers.ZeroHash });
    expect(await stateOf(f, C1)).to.include({ stage: STAGES.DELIVERED, parent: ethers.ZeroHash });
  });

  it("ATTACK: an item packed after the declaration, before release, cannot ride the release (no verdict)", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
    await expect(as(f, "exporter").pack(aggregation(SHIP), [I3]))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCustomsControlled")
      .withArgs(SHIP);
    await expectItem(f, as(f, "customs").pack(aggregation(SHIP), [I3]), 0, "TraceLedgerPackingAdvancesChild", [
      I3,
      STAGES.ACTIVE,
      STAGES.DECLARED,
    ]);
    await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
    expect(await stateOf(f, I3)).to.include({ stage: STAGES.ACTIVE, parent: ethers.ZeroHash });
  });

  it("LEGITIMATE: customs consolidates a declared unit into a declared consignment; the release covers it", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
    await rec(f, C2, "CUSTOMS_DECLARED", "broker");
    const logs = await tracedLogs(f.ledger, await as(f, "customs").pack(aggregation(SHIP), [C2]));
    // an entry of customs' own on the child and on the parent
    expect(logs.map((l) => [l.unit, l.step, l.org])).to.deep.equal([
      [C2, STEPS.PACKING, f.orgIds.customs],
      [SHIP, STEPS.PACKING, f.orgIds.customs],
    ]);
    expect(await stateOf(f, C2)).to.include({ parent: SHIP, stage: STAGES.DECLARED });
    await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
    await rec(f, SHIP, "DEPARTING", "carrier");
    await as(f, "carrier").unpack(aggregation(SHIP), [C2]);
    expect(await stateOf(f, C2)).to.include({ stage: STAGES.DEPARTED, custodian: f.orgIds.exporter });
  });

  it("ATTACK: packing a brand-new item into an old delivered carton and unpacking it does not make it DELIVERED", async () => {
    const f = await loadFixture(attackFixture);
    for (const s of ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED", "DEPARTING", "DELIVERED"] as StepName[]) {
      await rec(f, C2, s);
    }
    await expectItem(f, as(f, "exporter").pack(aggregation(C2), [I3]), 0, "TraceLedgerPackingAdvancesChild", [
      I3,
      STAGES.ACTIVE,
      STAGES.DELIVERED,
    ]);
    expect(await stateOf(f, I3)).to.include({ stage: STAGES.ACTIVE, parent: ethers.ZeroHash });
  });

  it("LEGITIMATE: a child further along than its parent may be packed (packing never moves it back)", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, I3, "CUSTOMS_DECLARED", "broker");
    await as(f, "exporter").pack(aggregation(C2), [I3]);
    expect(await stateOf(f, I3)).to.include({ parent: C2, stage: STAGES.DECLARED });
    await as(f, "exporter").unpack(aggregation(C2), [I3]);
    expect(await stateOf(f, I3)).to.include({ parent: ethers.ZeroHash, stage: STAGES.DECLARED });
  });

  describe("only customs changes the contents of a declared or released unit", () => {
    for (const stage of ["DECLARED", "RELEASED"] as const) {
      for (const m of ["exporter", "warehouse", "carrier"] as const) {
        it(`ATTACK: ${m} unpacks from / packs into a ${stage} consignment (and a carton inside it): CustomsControlled`, async () => {
          const f = await loadFixture(attackFixture);
          if (m === "warehouse")
            await as(f, "exporter").assign(SHIP, f.orgIds.warehouse, true, EVENT_TIME, recordHash("wh"));
          await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
          if (stage === "RELEASED") await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
          for (const [parent, child] of [
            [SHIP, C1],
            [C1, I1],
          ]) {
            await expect(as(f, m).unpack(aggregation(parent), [child]))
              .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCustomsControlled")
              .withArgs(parent);
            await expect(as(f, m).pack(aggregation(parent), [I4]))
              .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCustomsControlled")
              .withArgs(parent);
          }
          expect(await stateOf(f, C1)).to.include({ parent: SHIP });
          expect(await stateOf(f, I1)).to.include({ parent: C1 });
        });
      }
      it(`LEGITIMATE: customs takes a carton out of a ${stage} consignment as an entry of its own`, async () => {
        const f = await loadFixture(attackFixture);
        await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
        if (stage === "RELEASED") await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
        await expect(as(f, "customs").unpack(aggregation(SHIP), [C1]))
          .to.emit(f.ledger, "Traced")
          .withArgs(C1, f.accounts.customs.address, SHIP, (info: bigint) => (info & 0xffn) === BigInt(STEPS.UNPACKING));
        expect(await stateOf(f, C1)).to.include({ parent: ethers.ZeroHash, stage: STAGES[stage] });
      });
    }

    it("the market regulator may not pack into a declared unit either (no PACKING role, then CustomsControlled)", async () => {
      const f = await loadFixture(attackFixture);
      await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
      await expect(as(f, "market").pack(aggregation(SHIP), [I4])).to.be.revertedWithCustomError(
        f.ledger,
        "ConsortiumStepNotAllowed",
      );
      const mask = (1 << ROLES.MARKET_REGULATOR) | Number(await f.ledger.allowedRoles(STEPS.PACKING));
      await (await afterDelay(f.ledger.connect(f.admin), "setPermissions", [STEPS.PACKING], [mask])).wait();
      await expect(as(f, "market").pack(aggregation(SHIP), [I4]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerCustomsControlled")
        .withArgs(SHIP);
    });

    it("LEGITIMATE: after departure the custodian unpacks at destination; a rejection gives the contents back", async () => {
      const f = await loadFixture(attackFixture);
      await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
      await rec(f, SHIP, "CUSTOMS_REJECTED", "customs");
      // back to ACTIVE: the custodian may repack, and the contents come out ACTIVE, never DECLARED
      await as(f, "exporter").unpack(aggregation(SHIP), [C1]);
      expect(await stateOf(f, C1)).to.include({ stage: STAGES.ACTIVE, parent: ethers.ZeroHash });
      await as(f, "exporter").pack(aggregation(SHIP), [C1]);
      for (const s of ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED", "DEPARTING"] as StepName[]) await rec(f, SHIP, s);
      await as(f, "exporter").unpack(aggregation(SHIP), [C1]);
      await as(f, "exporter").unpack(aggregation(C1), [I1]);
      expect(await stateOf(f, I1)).to.include({ stage: STAGES.DEPARTED, parent: ethers.ZeroHash });
    });
  });
});

describe("Aggregation attacks: a held or recalled unit moves nowhere (issue 11 item 6)", () => {
  it("ATTACK: a recalled item cannot be packed (UnitRecalled(child, PACKING)); after RECALL_LIFTED it can", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, I3, "RECALL", "market");
    await expectItem(f, as(f, "exporter").pack(aggregation(C2), [I4, I3]), 1, "TraceLedgerUnitRecalled", [
      I3,
      STEPS.PACKING,
    ]);
    expect(await stateOf(f, I4)).to.include({ parent: ethers.ZeroHash });
    await rec(f, I3, "RECALL_LIFTED", "market");
    await as(f, "exporter").pack(aggregation(C2), [I4, I3]);
    expect(await stateOf(f, I3)).to.include({ parent: C2 });
  });

  for (const [flag, step, lift, by] of [
    ["held", "HOLD", "HOLD_LIFTED", "customs"],
    ["recalled", "RECALL", "RECALL_LIFTED", "market"],
  ] as const) {
    it(`ATTACK: a carton holding a ${flag} item cannot be packed, handed over, declared or shipped (ContainsStopped)`, async () => {
      const f = await loadFixture(attackFixture);
      await as(f, "exporter").unpack(aggregation(SHIP), [C1]);
      await rec(f, I1, step, by);
      expect((await stateOf(f, C1)).flags).to.equal(HS);
      expect((await stateOf(f, I2)).flags & HS, "a good item beside it is not stopped").to.equal(0);
      await expectItem(f, as(f, "exporter").pack(aggregation(SHIP), [C1]), 0, "TraceLedgerContainsStopped", [
        C1,
        STEPS.PACKING,
      ]);
      await expect(as(f, "exporter").handover(C1, f.orgIds.carrier, EVENT_TIME, 0, recordHash("h")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(C1, STEPS.CUSTODY_TRANSFERRED);
      // The declaration (a 1210 one in these tests) is refused at its first document, the zone entry: a gate
      // crossing. The declaration's own refusal is in Customs.test.ts.
      await expect(rec(f, C1, "CUSTOMS_DECLARED", "exporter"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(C1, STEPS.ENTERING_EXITING);
      await expect(rec(f, C1, "SHIPPING", "exporter"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(C1, STEPS.SHIPPING);
      // non-movement steps stay open; the good item inside may still be inspected
      await rec(f, C1, "INSPECTING", "exporter");
      await rec(f, I2, "INSPECTING", "exporter");
      // LEGITIMATE: lifted, the carton moves again
      await rec(f, I1, lift, by);
      expect((await stateOf(f, C1)).flags).to.equal(0);
      await handOver(f, C1, "exporter", "carrier");
      expect((await stateOf(f, C1)).custodian).to.equal(f.orgIds.carrier);
    });

    it(`ATTACK: a carton offered before an item inside it was ${flag} cannot be accepted until it is lifted`, async () => {
      const f = await loadFixture(attackFixture);
      await as(f, "exporter").unpack(aggregation(SHIP), [C1]);
      await (await as(f, "exporter").handover(C1, f.orgIds.carrier, EVENT_TIME, 0, recordHash("offer"))).wait();
      // The stop is recorded on the item: the carton gets no entry, so the offer is not stale by itself.
      await rec(f, I1, step, by);
      await expect(as(f, "carrier").acceptHandover(C1, EVENT_TIME, 0, recordHash("accept")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(C1, STEPS.CUSTODY_TRANSFERRED);
      await rec(f, I1, lift, by);
      await as(f, "carrier").acceptHandover(C1, EVENT_TIME, 0, recordHash("accept"));
      expect((await stateOf(f, C1)).custodian).to.equal(f.orgIds.carrier);
    });

    it(`ATTACK: a consignment holding a ${flag} item two levels down cannot be declared, released, departed, delivered or handed over`, async () => {
      const f = await loadFixture(attackFixture);
      await rec(f, I1, step, by);
      expect((await stateOf(f, SHIP)).flags).to.equal(HS);
      expect((await stateOf(f, C1)).flags).to.equal(HS | FLAGS.PACKED);
      const refused = async (s: StepName) =>
        expect(rec(f, SHIP, s))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
          .withArgs(SHIP, STEPS[s]);
      await expect(rec(f, SHIP, "CUSTOMS_DECLARED"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(SHIP, STEPS.ENTERING_EXITING); // the zone entry of the 1210 declaration
      await expect(as(f, "exporter").handover(SHIP, f.orgIds.carrier, EVENT_TIME, 0, recordHash("h")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(SHIP, STEPS.CUSTODY_TRANSFERRED);
      await rec(f, I1, lift, by);
      await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
      // stopped again after the declaration (customs holds the item inside): no release, departure, delivery
      await rec(f, I1, step === "HOLD" ? "CUSTOMS_HELD" : "RECALL", by);
      await refused("CUSTOMS_RELEASED");
      await rec(f, I1, lift, by);
      await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
      await rec(f, I1, step, by);
      await refused("DEPARTING");
      await rec(f, I1, lift, by);
      await rec(f, SHIP, "DEPARTING", "carrier");
      await rec(f, I1, step, by);
      await refused("DELIVERED");
      await rec(f, I1, lift, by);
      await rec(f, SHIP, "DELIVERED", "carrier");
      expect(await stateOf(f, SHIP)).to.include({ stage: STAGES.DELIVERED, flags: 0 });
    });
  }

  it("LEGITIMATE: a regulator unpacks the held item out of its carton so the rest can ship", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, I1, "HOLD", "customs");
    // ATTACK: the custodian (or anyone but a regulator) may not take the stopped item out
    await expectItem(f, as(f, "exporter").unpack(aggregation(C1), [I2, I1]), 1, "TraceLedgerUnitHeld", [
      I1,
      STEPS.UNPACKING,
    ]);
    await as(f, "customs").unpack(aggregation(C1), [I1]);
    expect(await stateOf(f, I1)).to.include({ flags: FLAGS.HELD, parent: ethers.ZeroHash });
    expect((await stateOf(f, C1)).flags).to.equal(FLAGS.PACKED);
    expect((await stateOf(f, SHIP)).flags).to.equal(0);
    for (const s of ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED", "DEPARTING"] as StepName[]) await rec(f, SHIP, s);
    expect((await stateOf(f, SHIP)).stage).to.equal(STAGES.DEPARTED);
    // the held item itself stayed behind, ACTIVE and held
    expect((await stateOf(f, I1)).stage).to.equal(STAGES.ACTIVE);
  });

  it("ATTACK: a recalled item is unpacked only by a regulator; the market regulator (who recalls) unpacks it", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, I1, "RECALL", "exporter");
    for (const m of ["exporter", "carrier"] as const) {
      await expectItem(f, as(f, m).unpack(aggregation(C1), [I1]), 0, "TraceLedgerUnitRecalled", [I1, STEPS.UNPACKING]);
    }
    // The default matrix lets either regulator unpack.
    await as(f, "market").unpack(aggregation(C1), [I1]);
    expect(await stateOf(f, I1)).to.include({ flags: FLAGS.RECALLED, parent: ethers.ZeroHash });
    expect((await stateOf(f, SHIP)).flags).to.equal(0);
  });

  it("LEGITIMATE: the custodian unpacks a carton that merely holds a stopped item, and the consignment ships", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, I1, "HOLD", "customs");
    await as(f, "exporter").unpack(aggregation(SHIP), [C1]);
    expect((await stateOf(f, SHIP)).flags).to.equal(0);
    expect((await stateOf(f, C1)).flags).to.equal(HS);
    for (const s of ["CUSTOMS_DECLARED", "CUSTOMS_RELEASED", "DEPARTING"] as StepName[]) await rec(f, SHIP, s);
    // the carton keeps its stop until the item is lifted
    await rec(f, I1, "HOLD_LIFTED", "customs");
    expect((await stateOf(f, C1)).flags).to.equal(0);
  });

  it("counts every stopped unit: the consignment moves only when the last one is lifted", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, I1, "HOLD", "customs");
    await rec(f, I2, "RECALL", "market");
    await rec(f, C1, "HOLD", "customs"); // the carton itself, packed in SHIP
    await rec(f, I1, "RECALL", "market"); // already stopped: counted once
    for (const [u, s, by] of [
      [I1, "HOLD_LIFTED", "customs"],
      [I2, "RECALL_LIFTED", "market"],
      [C1, "HOLD_LIFTED", "customs"],
    ] as const) {
      expect((await stateOf(f, SHIP)).flags).to.equal(HS);
      await expect(rec(f, SHIP, "CUSTOMS_DECLARED", "broker")).to.be.revertedWithCustomError(
        f.ledger,
        "TraceLedgerContainsStopped",
      );
      await rec(f, u, s, by);
    }
    expect((await stateOf(f, SHIP)).flags).to.equal(HS);
    await rec(f, I1, "RECALL_LIFTED", "market");
    expect((await stateOf(f, SHIP)).flags).to.equal(0);
    expect((await stateOf(f, C1)).flags).to.equal(FLAGS.PACKED);
    await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
  });

  it("a held item destroyed inside its carton no longer stops the carton (nothing can lift it any more)", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, I1, "HOLD", "customs");
    await rec(f, I1, "DESTROYING", "customs");
    expect((await stateOf(f, C1)).flags).to.equal(FLAGS.PACKED);
    expect((await stateOf(f, SHIP)).flags).to.equal(0);
    await rec(f, SHIP, "CUSTOMS_DECLARED", "broker");
  });

  it("a hold inside does not stop packing into the carton, and a good carton still packs beside it", async () => {
    const f = await loadFixture(attackFixture);
    await rec(f, I1, "HOLD", "customs");
    await as(f, "exporter").pack(aggregation(C1), [I3]);
    await as(f, "exporter").pack(aggregation(SHIP), [C2]);
    expect((await stateOf(f, I3)).flags).to.equal(FLAGS.PACKED);
    expect((await stateOf(f, C2)).flags).to.equal(FLAGS.PACKED);
  });
});

/**
 * The movement steps a unit holding a stopped unit is refused (issue 11: everything a hold or a recall blocks,
 * except unpacking), each with the stage in which it is otherwise legal.
 */
const STOPPED_INSIDE_BLOCKED: [StepName, StageName][] = [
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
  // CUSTOMS_DECLARED and ORDER_PLACED are customs documents since 2.2 (`fileDocument`): in Customs.test.ts.
];
/** Steps that stay open on a unit holding a stopped unit (no movement). */
const STOPPED_INSIDE_OPEN: StepName[] = ["INSPECTING", "STORING", "RECEIVING", "HOLDING", "FLAGGED", "HOLD"];

describe("StageRules.STOPPED_INSIDE_BLOCKED through record", () => {
  const { U, BOX } = STAGE_UNITS;
  for (const [step, stage] of STOPPED_INSIDE_BLOCKED) {
    it(`${step} refused on a unit holding a held unit (ContainsStopped), allowed once customs unpacks it`, async () => {
      const f = await loadFixture(stageFixture);
      await as(f, "exporter").pack(aggregation(U), [BOX]);
      await advance(f, U, stage);
      await rec(f, BOX, "HOLD", "customs");
      expect((await stateOf(f, U)).flags).to.equal(HS);
      await expect(rec(f, U, step))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerContainsStopped")
        .withArgs(U, STEPS[step]);
      await as(f, "customs").unpack(aggregation(U), [BOX]);
      expect((await stateOf(f, U)).flags).to.equal(0);
      await expect(rec(f, U, step)).to.emit(f.ledger, "Traced");
    });
  }
  it(`${STOPPED_INSIDE_OPEN.join(", ")} stay open on a unit holding a held unit`, async () => {
    const f = await loadFixture(stageFixture);
    await as(f, "exporter").pack(aggregation(U), [BOX]);
    await rec(f, BOX, "HOLD", "customs");
    for (const step of STOPPED_INSIDE_OPEN) await expect(rec(f, U, step)).to.emit(f.ledger, "Traced");
    expect((await stateOf(f, U)).flags).to.equal(HS | FLAGS.HELD | FLAGS.FLAGGED);
  });
});
