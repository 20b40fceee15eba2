/**
 * Packing (items → cartons → consignments): packed flag, parent and custodian of children, the `Traced`
 * entries of a pack, every refusal with its exact (wrapped) error, and batch atomicity.
 * Inheritance through parents and unpacking are in `AggregationInheritance.test.ts`.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  itemKey,
  cartonKey,
  consignmentKey,
  traceInput,
  aggregation,
  recordHash,
  rivalCartonKey,
  rivalItemKey,
  type LedgerFixture,
  EVENT_TIME,
} from "../helpers/ledger";
import { replayedAndStoredHead } from "../helpers/history";
import { unitsFixture } from "../helpers/fixtures";
import { encodedError, tracedLogs, unitStateOf } from "../helpers/reads";
import { STEPS, FLAGS, roleMask } from "../../src/codes";
import { handOver } from "../helpers/custody";

// ---------------------------------------------------------------------------------------------------------
// Local helpers
// ---------------------------------------------------------------------------------------------------------

const ITEMS = [1, 2, 3, 4, 5, 6].map((n) => itemKey(n));
const [I1, I2, I3, I4] = ITEMS;
const [C1, C2] = [cartonKey(1), cartonKey(2)];
const SHIP = consignmentKey(1);
const RIVAL_ITEM = rivalItemKey(100);
const RIVAL_BOX = rivalCartonKey(100);
const UNKNOWN_ITEM = itemKey(999);
const UNKNOWN_BOX = cartonKey(999);

/** Exporter registers six items, two cartons and a consignment; the rival exporter an item and a carton. */
const packFixture = unitsFixture({ batch: [...ITEMS, C1, C2, SHIP], rivalBatch: [RIVAL_ITEM, RIVAL_BOX] });

// ---------------------------------------------------------------------------------------------------------

describe("Aggregation: pack", () => {
  describe("packing", () => {
    it("marks children packed inside the parent, with the parent's custodian", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(packFixture);
      await ledger.connect(accounts.exporter).pack(aggregation(C1), [I1, I2, I3]);
      for (const child of [I1, I2, I3]) {
        const s = await unitStateOf(ledger, child);
        expect(s.flags & FLAGS.PACKED, child).to.equal(FLAGS.PACKED);
        expect(s.parent).to.equal(C1);
        expect(s.custodian).to.equal(orgIds.exporter);
        expect(s.registrant).to.equal(orgIds.exporter);
      }
      const parent = await unitStateOf(ledger, C1);
      expect(parent.flags & FLAGS.PACKED).to.equal(0);
      expect(parent.parent).to.equal(ethers.ZeroHash);
      expect((await unitStateOf(ledger, I4)).flags).to.equal(0);
    });

    it("emits one PACKING entry per child (data = parent) and one on the parent (aux = child count)", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(packFixture);
      const agg = aggregation(C1, "pack C1");
      const logs = await tracedLogs(ledger, await ledger.connect(accounts.exporter).pack(agg, [I1, I2, I3]));
      expect(logs.map((l) => l.unit)).to.deep.equal([I1, I2, I3, C1]);
      for (const l of logs) {
        expect(l).to.include({ step: STEPS.PACKING, seq: 2, org: orgIds.exporter, eventTime: Number(agg.eventTime) });
        expect(l.account).to.equal(accounts.exporter.address);
        expect(l.location).to.equal(agg.location);
      }
      for (const l of logs.slice(0, 3)) {
        expect(l.data).to.equal(C1);
        expect(l.aux).to.equal(0n);
      }
      expect(logs[3].data).to.equal(agg.recordHash);
      expect(logs[3].aux).to.equal(3n);
      for (const unit of [I1, C1]) {
        const { replayed, stored } = await replayedAndStoredHead(ledger, unit);
        expect(replayed).to.equal(stored);
      }
    });

    it("nests items → carton → consignment; the outermost parent's custodian holds for all", async () => {
      const f = await loadFixture(packFixture);
      const { ledger, accounts, orgIds } = f;
      const ex = ledger.connect(accounts.exporter);
      await ex.pack(aggregation(C1), [I1, I2]);
      await ex.pack(aggregation(SHIP), [C1, C2]);
      await ex.pack(aggregation(C2), [I3]); // into a carton that is already inside the consignment
      expect((await unitStateOf(ledger, I1)).parent).to.equal(C1);
      expect((await unitStateOf(ledger, I3)).parent).to.equal(C2);
      expect((await unitStateOf(ledger, C1)).parent).to.equal(SHIP);
      await handOver(f, SHIP, "exporter", "carrier");
      for (const unit of [SHIP, C1, C2, I1, I2, I3]) {
        expect((await unitStateOf(ledger, unit)).custodian, unit).to.equal(orgIds.carrier);
      }
      expect((await unitStateOf(ledger, I4)).custodian).to.equal(orgIds.exporter);
      expect((await unitStateOf(ledger, I1)).registrant).to.equal(orgIds.exporter);
    });

    it("refuses children whose custodian is not the parent's (TraceLedgerCustodyMismatch)", async () => {
      const f = await loadFixture(packFixture);
      const { ledger, accounts, orgIds } = f;
      const ex = ledger.connect(accounts.exporter);
      await handOver(f, C1, "exporter", "warehouse");
      // The registrant lost C1 with its custody (trust model v2) ...
      await expect(ex.pack(aggregation(C1), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerOutOfScope")
        .withArgs(C1, orgIds.exporter);
      // ... assigned to it by the warehouse, C1 is in its scope, but the goods are not in one custody.
      await ledger.connect(accounts.warehouse).assign(C1, orgIds.exporter, true, EVENT_TIME, recordHash("exporter"));
      await expect(ex.pack(aggregation(C1), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0, encodedError(ledger, "TraceLedgerCustodyMismatch", [I1, orgIds.exporter, orgIds.warehouse]));
      expect((await unitStateOf(ledger, I1)).custodian).to.equal(orgIds.exporter);
      // Once the item is handed over too, the custodian packs it and custody is unchanged.
      await handOver(f, I1, "exporter", "warehouse");
      await ledger.connect(accounts.warehouse).pack(aggregation(C1), [I1]);
      expect((await unitStateOf(ledger, I1)).custodian).to.equal(orgIds.warehouse);
    });

    it("needs a role allowed to pack", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(packFixture);
      await expect(ledger.connect(accounts.lab).pack(aggregation(C1), [I1]))
        .to.be.revertedWithCustomError(ledger, "ConsortiumStepNotAllowed")
        .withArgs(accounts.lab.address, orgIds.lab, STEPS.PACKING, roleMask("INSPECTION_LAB"));
    });
  });

  describe("refusals", () => {
    it("TraceLedgerPackingCycle: a unit into itself", async () => {
      const { ledger, accounts } = await loadFixture(packFixture);
      await expect(ledger.connect(accounts.exporter).pack(aggregation(C1), [I1, C1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(1, encodedError(ledger, "TraceLedgerPackingCycle", [C1, C1]));
    });

    it("TraceLedgerPackingCycle: a parent into its own child and into its own grandchild", async () => {
      const { ledger, accounts } = await loadFixture(packFixture);
      const ex = ledger.connect(accounts.exporter);
      await ex.pack(aggregation(C1), [I1]);
      await ex.pack(aggregation(SHIP), [C1]);
      await expect(ex.pack(aggregation(C1), [SHIP]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0, encodedError(ledger, "TraceLedgerPackingCycle", [C1, SHIP]));
      await expect(ex.pack(aggregation(I1), [I2, SHIP]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(1, encodedError(ledger, "TraceLedgerPackingCycle", [I1, SHIP]));
      expect((await unitStateOf(ledger, I2)).flags).to.equal(0);
    });

    it("TraceLedgerUnitPacked: a child already in a parent, and the same child twice in one call", async () => {
      const { ledger, accounts } = await loadFixture(packFixture);
      const ex = ledger.connect(accounts.exporter);
      await ex.pack(aggregation(C1), [I1]);
      await expect(ex.pack(aggregation(C2), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0, encodedError(ledger, "TraceLedgerUnitPacked", [I1]));
      await expect(ex.pack(aggregation(C1), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0, encodedError(ledger, "TraceLedgerUnitPacked", [I1]));
      await expect(ex.pack(aggregation(C2), [I2, I3, I2]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(2, encodedError(ledger, "TraceLedgerUnitPacked", [I2]));
      expect((await unitStateOf(ledger, I2)).flags).to.equal(0);
    });

    it("TraceLedgerUnknownUnit: unknown parent (as is) and unknown child (wrapped)", async () => {
      const { ledger, accounts } = await loadFixture(packFixture);
      const ex = ledger.connect(accounts.exporter);
      await expect(ex.pack(aggregation(UNKNOWN_BOX), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnknownUnit")
        .withArgs(UNKNOWN_BOX);
      await expect(ex.pack(aggregation(C1), [I1, UNKNOWN_ITEM]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(1, encodedError(ledger, "TraceLedgerUnknownUnit", [UNKNOWN_ITEM]));
    });

    it("TraceLedgerOutOfScope: another organization's parent (as is) or child (wrapped)", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(packFixture);
      const ex = ledger.connect(accounts.exporter);
      await expect(ex.pack(aggregation(RIVAL_BOX), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerOutOfScope")
        .withArgs(RIVAL_BOX, orgIds.exporter);
      await expect(ex.pack(aggregation(C1), [RIVAL_ITEM]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0, encodedError(ledger, "TraceLedgerOutOfScope", [RIVAL_ITEM, orgIds.exporter]));
    });

    it("TraceLedgerUnitDestroyed: a destroyed parent (as is) or child (wrapped)", async () => {
      const { ledger, accounts } = await loadFixture(packFixture);
      const ex = ledger.connect(accounts.exporter);
      await ex.record(traceInput(C2, "DESTROYING"));
      await ex.record(traceInput(I2, "DECOMMISSIONING"));
      await expect(ex.pack(aggregation(C2), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnitDestroyed")
        .withArgs(C2);
      await expect(ex.pack(aggregation(C1), [I1, I2]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(1, encodedError(ledger, "TraceLedgerUnitDestroyed", [I2]));
    });

    it("TraceLedgerUnitHeld: a held parent, a parent inside a held consignment, a held child", async () => {
      const { ledger, accounts } = await loadFixture(packFixture);
      const ex = ledger.connect(accounts.exporter);
      const customs = ledger.connect(accounts.customs);
      await customs.record(traceInput(C2, "HOLD"));
      await expect(ex.pack(aggregation(C2), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnitHeld")
        .withArgs(C2, STEPS.PACKING);

      await ex.pack(aggregation(SHIP), [C1]);
      await customs.record(traceInput(SHIP, "HOLD"));
      await expect(ex.pack(aggregation(C1), [I1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnitHeld")
        .withArgs(C1, STEPS.PACKING);

      await customs.record(traceInput(I3, "HOLD"));
      await expect(ex.pack(aggregation(I4), [I2, I3]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(1, encodedError(ledger, "TraceLedgerUnitHeld", [I3, STEPS.PACKING]));
    });

    it("TraceLedgerEmptyBatch and TraceLedgerBatchTooLarge(MAX_BATCH + 1, MAX_BATCH)", async () => {
      const { ledger, accounts } = await loadFixture(packFixture);
      const ex = ledger.connect(accounts.exporter);
      await expect(ex.pack(aggregation(C1), [])).to.be.revertedWithCustomError(ledger, "TraceLedgerEmptyBatch");
      const max = await ledger.MAX_BATCH();
      const children = Array.from({ length: Number(max) + 1 }, (_, i) => itemKey(1000 + i));
      await expect(ex.pack(aggregation(C1), children))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchTooLarge")
        .withArgs(max + 1n, max);
    });
  });

  describe("batch atomicity", () => {
    /** A bad child, the indexes to insert it at among [I1, I2, I3], and its inner error. */
    const bad: [string, string, number[], (f: LedgerFixture) => string][] = [
      [
        "another organization's child",
        RIVAL_ITEM,
        [0, 3],
        (f) => encodedError(f.ledger, "TraceLedgerOutOfScope", [RIVAL_ITEM, f.orgIds.exporter]),
      ],
      [
        "an unknown child",
        UNKNOWN_ITEM,
        [0, 2],
        (f) => encodedError(f.ledger, "TraceLedgerUnknownUnit", [UNKNOWN_ITEM]),
      ],
      ["the parent itself", C1, [0, 3], (f) => encodedError(f.ledger, "TraceLedgerPackingCycle", [C1, C1])],
      [
        "a child packed earlier in the same call",
        I1,
        [1, 3],
        (f) => encodedError(f.ledger, "TraceLedgerUnitPacked", [I1]),
      ],
    ];
    for (const [what, child, ks, inner] of bad) {
      for (const k of ks) {
        it(`${what} at index ${k} reverts the whole pack and changes no child`, async () => {
          const f = await loadFixture(packFixture);
          const good = [I1, I2, I3];
          const children = [...good];
          children.splice(k, 0, child);
          const before = await Promise.all([...good, C1].map((u) => unitStateOf(f.ledger, u)));
          await expect(f.ledger.connect(f.accounts.exporter).pack(aggregation(C1), children))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
            .withArgs(k, inner(f));
          const after = await Promise.all([...good, C1].map((u) => unitStateOf(f.ledger, u)));
          expect(after).to.deep.equal(before);
          for (const s of after.slice(0, 3)) expect(s.flags & FLAGS.PACKED).to.equal(0);
        });
      }
    }
  });
});
