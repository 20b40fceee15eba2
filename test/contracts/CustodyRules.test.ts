/**
 * Custody consistency and "nothing after destruction" across aggregation: packing needs one custody,
 * a held item cannot be unpacked, and assignments or corrections under a destroyed parent are refused.
 * Also the batch permission cache: a batch checks each new step, whatever came before it.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  itemKey,
  cartonKey,
  consignmentKey,
  registration,
  traceInput,
  aggregation,
  recordHash,
  rivalItemKey,
  type LedgerFixture,
  EVENT_TIME,
} from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { encodedError } from "../helpers/reads";
import { STEPS, roleMask } from "../../src/codes";
import { NO_PROOF, handOver } from "../helpers/custody";

const [I1, I2, I3] = [1, 2, 3].map((n) => itemKey(n));
const C1 = cartonKey(1);
const SHIP = consignmentKey(1);

/** Exporter registers I1..I3, C1 and SHIP, packs I1, I2 into C1 and C1 into SHIP. */
const fixture = unitsFixture({
  batch: [I1, I2, I3, C1, SHIP],
  packs: [
    [C1, [I1, I2]],
    [SHIP, [C1]],
  ],
});

const encoded = (f: LedgerFixture, name: string, args: unknown[]) => encodedError(f.ledger, name, args);

describe("Custody rules across aggregation", () => {
  it("a registrant cannot pull custody back by packing goods another organization holds", async () => {
    const f = await loadFixture(fixture);
    const ex = f.ledger.connect(f.accounts.exporter);
    await handOver(f, I3, "exporter", "warehouse");
    // The registrant lost I3 with its custody (trust model v2): out of scope.
    await expect(ex.pack(aggregation(SHIP), [I3]))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
      .withArgs(0, encoded(f, "TraceLedgerOutOfScope", [I3, f.orgIds.exporter]));
    // Assigned by the warehouse, I3 is in its scope but still in the warehouse's custody.
    await f.ledger
      .connect(f.accounts.warehouse)
      .assign(I3, f.orgIds.exporter, true, EVENT_TIME, recordHash("exporter"));
    await expect(ex.pack(aggregation(SHIP), [I3]))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
      .withArgs(0, encoded(f, "TraceLedgerCustodyMismatch", [I3, f.orgIds.warehouse, f.orgIds.exporter]));
    expect((await f.ledger.unitState(I3)).custodian).to.equal(f.orgIds.warehouse);
  });

  it("packing into a nested parent compares with the outermost parent's custodian", async () => {
    const f = await loadFixture(fixture);
    const ex = f.ledger.connect(f.accounts.exporter);
    await handOver(f, SHIP, "exporter", "carrier");
    await f.ledger
      .connect(f.accounts.carrier)
      .assign(SHIP, f.orgIds.exporter, true, EVENT_TIME, recordHash("exporter"));
    // C1 is inside SHIP, whose custodian is now the carrier; the exporter's loose I3 does not match.
    await expect(ex.pack(aggregation(C1), [I3]))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
      .withArgs(0, encoded(f, "TraceLedgerCustodyMismatch", [I3, f.orgIds.exporter, f.orgIds.carrier]));
  });

  it("a held item cannot be taken out of a parent that is not held", async () => {
    const f = await loadFixture(fixture);
    await f.ledger.connect(f.accounts.customs).record(traceInput(I2, "HOLD"));
    const ex = f.ledger.connect(f.accounts.exporter);
    const before = await f.ledger.unitState(I1);
    await expect(ex.unpack(aggregation(C1), [I1, I2]))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
      .withArgs(1, encoded(f, "TraceLedgerUnitHeld", [I2, STEPS.UNPACKING]));
    expect((await f.ledger.unitState(I1)).head).to.equal(before.head);
    await f.ledger.connect(f.accounts.customs).record(traceInput(I2, "HOLD_LIFTED"));
    await expect(ex.unpack(aggregation(C1), [I1, I2])).to.emit(f.ledger, "Traced");
  });

  it("a unit destroyed while packed cannot be unpacked (nothing after destruction)", async () => {
    const f = await loadFixture(fixture);
    const ex = f.ledger.connect(f.accounts.exporter);
    await ex.record(traceInput(I2, "DESTROYING"));
    await expect(ex.unpack(aggregation(C1), [I1, I2]))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
      .withArgs(1, encoded(f, "TraceLedgerUnitDestroyed", [I2]));
    await expect(ex.unpack(aggregation(C1), [I1])).to.emit(f.ledger, "Traced");
  });

  it("assign and correct are refused on a unit whose parent is destroyed", async () => {
    const f = await loadFixture(fixture);
    const ex = f.ledger.connect(f.accounts.exporter);
    await ex.record(traceInput(SHIP, "DESTROYING"));
    await expect(ex.assign(I2, f.orgIds.lab, true, EVENT_TIME, recordHash("lab")))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitDestroyed")
      .withArgs(I2);
    await expect(ex.correct(I2, 1, EVENT_TIME, recordHash("fix"), ...NO_PROOF))
      .to.be.revertedWithCustomError(f.ledger, "TraceLedgerUnitDestroyed")
      .withArgs(I2);
    // A unit outside the destroyed consignment is unaffected.
    await expect(ex.assign(I3, f.orgIds.lab, true, EVENT_TIME, recordHash("lab"))).to.emit(f.ledger, "Traced");
  });

  describe("batch permission cache", () => {
    it("checks a new step after an allowed one (refused at its index)", async () => {
      const f = await loadFixture(fixture);
      const ex = f.ledger.connect(f.accounts.exporter);
      await expect(ex.recordBatch([traceInput(I3, "INSPECTING"), traceInput(I3, "CUSTOMS_RELEASED")]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
        .withArgs(
          1,
          encoded(f, "ConsortiumStepNotAllowed", [
            f.accounts.exporter.address,
            f.orgIds.exporter,
            STEPS.CUSTOMS_RELEASED,
            roleMask("EXPORTER"),
          ]),
        );
    });

    it("validates step 0 and dedicated steps after a valid step", async () => {
      const f = await loadFixture(fixture);
      const ex = f.ledger.connect(f.accounts.exporter);
      for (const bad of [0, STEPS.PACKING, 200]) {
        await expect(ex.recordBatch([traceInput(I3, "STORING"), { ...traceInput(I3, "STORING"), step: bad }]))
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
          .withArgs(1, encoded(f, "TraceLedgerStepNotRecordable", [bad]));
      }
      await expect(ex.record({ ...traceInput(I3, "STORING"), step: 0 }))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerStepNotRecordable")
        .withArgs(0);
    });

    it("applies a repeated step to every item and checks each item's scope", async () => {
      const f = await loadFixture(fixture);
      const rival = f.ledger.connect(f.accounts.rival);
      const R = rivalItemKey(99);
      await rival.register(registration(R));
      await expect(rival.recordBatch([traceInput(R, "STORING"), traceInput(I3, "STORING")]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
        .withArgs(1, encoded(f, "TraceLedgerOutOfScope", [I3, f.orgIds.rival]));
      await rival.recordBatch([traceInput(R, "STORING"), traceInput(R, "STORING", { label: "again" })]);
      expect((await f.ledger.unitState(R)).seq).to.equal(3);
    });
  });
});
