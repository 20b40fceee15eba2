/**
 * Trust model v2 (issue 11 items 3-5): scope follows custody, custody moves only with the receiver's consent,
 * assignments end when custody moves, and corrections come from the entry's author. Each attack (a member
 * composing allowed operations into a forbidden outcome) is refused with its exact error, next to the
 * legitimate flow that still works.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  aggregation,
  cartonKey,
  consignmentKey,
  itemKey,
  recordHash,
  registration,
  rivalCartonKey,
  rivalItemKey,
  EVENT_TIME,
} from "../helpers/ledger";
import { rec } from "../helpers/actors";
import { unitsFixture } from "../helpers/fixtures";
import { unitStateOf } from "../helpers/reads";
import { correctAs, handOver, proofOf } from "../helpers/custody";
import { FLAGS, STEPS } from "../../src/codes";

const [I1, I2] = [1, 2].map((n) => itemKey(n));
const RIVAL_BOX = rivalCartonKey(7);
const C1 = cartonKey(1);
const SHIP = consignmentKey(1);

/** Exporter registers I1, I2, C1, SHIP and packs C1 (holding I2) into SHIP; the rival registers RIVAL_BOX. */
const attackFixture = unitsFixture({
  batch: [I1, I2, C1, SHIP],
  rivalBatch: [RIVAL_BOX],
  packs: [
    [C1, [I2]],
    [SHIP, [C1]],
  ],
});

describe("Custody attacks (trust model v2)", () => {
  describe("3. a container's registrant keeps no power over goods it no longer holds", () => {
    it("ATTACK: the rival pushes its carton onto the exporter — nothing moves without acceptance", async () => {
      const f = await loadFixture(attackFixture);
      await f.ledger
        .connect(f.accounts.rival)
        .handover(RIVAL_BOX, f.orgIds.exporter, EVENT_TIME, 0, recordHash("push"));
      expect((await unitStateOf(f.ledger, RIVAL_BOX)).custodian).to.equal(f.orgIds.rival);
      await expect(f.ledger.connect(f.accounts.exporter).pack(aggregation(RIVAL_BOX), [I1]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(RIVAL_BOX, f.orgIds.exporter);
    });

    it("ATTACK: after a consented handover, the rival registrant cannot destroy, recall or unpack the exporter's goods", async () => {
      const f = await loadFixture(attackFixture);
      await handOver(f, RIVAL_BOX, "rival", "exporter");
      await f.ledger.connect(f.accounts.exporter).pack(aggregation(RIVAL_BOX), [I1]);
      for (const step of ["DESTROYING", "RECALL", "INSPECTING"] as const) {
        for (const unit of [RIVAL_BOX, I1]) {
          await expect(rec(f, unit, step, "rival"))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
            .withArgs(unit, f.orgIds.rival);
        }
      }
      await expect(f.ledger.connect(f.accounts.rival).unpack(aggregation(RIVAL_BOX), [I1]))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(RIVAL_BOX, f.orgIds.rival);
      await expect(
        f.ledger.connect(f.accounts.rival).handover(RIVAL_BOX, f.orgIds.carrier, EVENT_TIME, 0, recordHash("x")),
      )
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNotCustodian")
        .withArgs(RIVAL_BOX, f.orgIds.rival);
      // the goods are as the exporter left them: active, not recalled, still packed, in its custody
      for (const unit of [RIVAL_BOX, I1]) {
        expect(await unitStateOf(f.ledger, unit)).to.include({ stage: 0, custodian: f.orgIds.exporter }, unit);
        expect((await unitStateOf(f.ledger, unit)).flags & FLAGS.RECALLED, unit).to.equal(0);
      }
      expect((await unitStateOf(f.ledger, I1)).parent).to.equal(RIVAL_BOX);
    });

    it("LEGITIMATE: the exporter, now custodian, packs into, records on and unpacks the accepted carton", async () => {
      const f = await loadFixture(attackFixture);
      await handOver(f, RIVAL_BOX, "rival", "exporter");
      await f.ledger.connect(f.accounts.exporter).pack(aggregation(RIVAL_BOX), [I1]);
      expect((await unitStateOf(f.ledger, I1)).parent).to.equal(RIVAL_BOX);
      await expect(rec(f, RIVAL_BOX, "INSPECTING", "exporter")).to.emit(f.ledger, "Traced");
      await f.ledger.connect(f.accounts.exporter).unpack(aggregation(RIVAL_BOX, "out"), [I1]);
      expect(await unitStateOf(f.ledger, I1)).to.include({ custodian: f.orgIds.exporter });
    });

    it("ATTACK: the registrant stays out of scope of goods it sold and handed on; the buyer is in", async () => {
      const f = await loadFixture(attackFixture);
      await handOver(f, I1, "exporter", "warehouse");
      await expect(rec(f, I1, "DESTROYING", "exporter"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(I1, f.orgIds.exporter);
      await expect(rec(f, I1, "STORING", "warehouse")).to.emit(f.ledger, "Traced");
    });

    it("LEGITIMATE: an organization assigned to the parent unpacks (each child is in its scope)", async () => {
      const f = await loadFixture(attackFixture);
      await f.ledger.connect(f.accounts.exporter).assign(SHIP, f.orgIds.warehouse, true, EVENT_TIME, recordHash("3pl"));
      await expect(f.ledger.connect(f.accounts.warehouse).unpack(aggregation(C1, "open"), [I2])).to.emit(
        f.ledger,
        "Traced",
      );
      expect((await unitStateOf(f.ledger, I2)).parent).to.equal("0x" + "00".repeat(32));
    });
  });

  describe("4. custody needs consent; assignments end when custody moves; nobody assigns itself", () => {
    it("ATTACK: an offer to one organization cannot be accepted by another", async () => {
      const f = await loadFixture(attackFixture);
      await f.ledger.connect(f.accounts.exporter).handover(I1, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("offer"));
      await expect(f.ledger.connect(f.accounts.carrier).acceptHandover(I1, EVENT_TIME, 0, recordHash("steal")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNoHandoverOffer")
        .withArgs(I1, f.orgIds.carrier);
      await expect(f.ledger.connect(f.accounts.customs).acceptHandover(I1, EVENT_TIME, 0, recordHash("steal")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNoHandoverOffer")
        .withArgs(I1, f.orgIds.customs);
      expect((await unitStateOf(f.ledger, I1)).custodian).to.equal(f.orgIds.exporter);
    });

    it("ATTACK: an offer accepted after the unit changed (held and lifted, packed, another entry) is stale", async () => {
      const f = await loadFixture(attackFixture);
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.handover(I1, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("offer"));
      await rec(f, I1, "HOLD", "customs");
      await rec(f, I1, "HOLD_LIFTED", "customs");
      await expect(f.ledger.connect(f.accounts.warehouse).acceptHandover(I1, EVENT_TIME, 0, recordHash("late")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerHandoverOfferStale")
        .withArgs(I1);
      await ex.handover(I1, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("offer again"));
      await ex.pack(aggregation(C1, "I1 in"), [I1]);
      await expect(f.ledger.connect(f.accounts.warehouse).acceptHandover(I1, EVENT_TIME, 0, recordHash("late")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerHandoverOfferStale")
        .withArgs(I1);
    });

    it("ATTACK: an offer accepted after the unit was destroyed is stale; the destroyed unit stays with its custodian", async () => {
      const f = await loadFixture(attackFixture);
      await f.ledger.connect(f.accounts.exporter).handover(I1, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("offer"));
      await rec(f, I1, "DESTROYING", "exporter");
      await expect(f.ledger.connect(f.accounts.warehouse).acceptHandover(I1, EVENT_TIME, 0, recordHash("late")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerHandoverOfferStale")
        .withArgs(I1);
      expect((await unitStateOf(f.ledger, I1)).custodian).to.equal(f.orgIds.exporter);
    });

    it("ATTACK: an accepted offer cannot be replayed after custody comes back", async () => {
      const f = await loadFixture(attackFixture);
      await handOver(f, I1, "exporter", "warehouse");
      await expect(f.ledger.connect(f.accounts.warehouse).acceptHandover(I1, EVENT_TIME, 0, recordHash("again")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNoHandoverOffer")
        .withArgs(I1, f.orgIds.warehouse);
    });

    it("LEGITIMATE: a re-offer replaces the earlier one; the named organization accepts", async () => {
      const f = await loadFixture(attackFixture);
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.handover(I1, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("first"));
      await ex.handover(I1, f.orgIds.customs, EVENT_TIME, 0, recordHash("seized"));
      await expect(f.ledger.connect(f.accounts.warehouse).acceptHandover(I1, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNoHandoverOffer")
        .withArgs(I1, f.orgIds.warehouse);
      await expect(f.ledger.connect(f.accounts.customs).acceptHandover(I1, EVENT_TIME, 0, recordHash("taken")))
        .to.emit(f.ledger, "Traced")
        .withArgs(I1, f.accounts.customs.address, recordHash("taken"), (info: bigint) => (info & 0xffn) === 25n);
      expect((await unitStateOf(f.ledger, I1)).custodian).to.equal(f.orgIds.customs);
    });

    it("ATTACK: an assignment made by the old custodian ends with the handover and does not revive on return", async () => {
      const f = await loadFixture(attackFixture);
      await f.ledger.connect(f.accounts.exporter).assign(I1, f.orgIds.carrier, true, EVENT_TIME, recordHash("carrier"));
      await expect(rec(f, I1, "LOADING", "carrier")).to.emit(f.ledger, "Traced");
      await handOver(f, I1, "exporter", "warehouse");
      expect(await f.ledger.isAssigned(I1, f.orgIds.carrier)).to.equal(false);
      await expect(rec(f, I1, "LOADING", "carrier"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(I1, f.orgIds.carrier);
      await handOver(f, I1, "warehouse", "exporter");
      expect(await f.ledger.isAssigned(I1, f.orgIds.carrier)).to.equal(false);
      await expect(rec(f, I1, "LOADING", "carrier"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(I1, f.orgIds.carrier);
    });

    it("ATTACK: an assignment on a packed child ends when its container moves, and stays ended after A→B→A and unpacking", async () => {
      const f = await loadFixture(attackFixture);
      await f.ledger.connect(f.accounts.exporter).assign(I2, f.orgIds.lab, true, EVENT_TIME, recordHash("lab on item"));
      await expect(rec(f, I2, "SAMPLING", "lab")).to.emit(f.ledger, "Traced");
      await handOver(f, SHIP, "exporter", "warehouse");
      expect(await f.ledger.isAssigned(I2, f.orgIds.lab)).to.equal(false);
      await expect(rec(f, I2, "SAMPLING", "lab"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(I2, f.orgIds.lab);
      await handOver(f, SHIP, "warehouse", "exporter");
      await expect(rec(f, I2, "SAMPLING", "lab"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(I2, f.orgIds.lab);
      await f.ledger.connect(f.accounts.exporter).unpack(aggregation(SHIP, "open ship"), [C1]);
      await f.ledger.connect(f.accounts.exporter).unpack(aggregation(C1, "open carton"), [I2]);
      expect(await f.ledger.isAssigned(I2, f.orgIds.lab)).to.equal(false);
      await expect(rec(f, I2, "SAMPLING", "lab"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(I2, f.orgIds.lab);
    });

    it("LEGITIMATE: the new custodian assigns its own partners; they write while it holds custody", async () => {
      const f = await loadFixture(attackFixture);
      await handOver(f, SHIP, "exporter", "carrier");
      await f.ledger.connect(f.accounts.carrier).assign(SHIP, f.orgIds.warehouse, true, EVENT_TIME, recordHash("3pl"));
      expect(await f.ledger.isAssigned(SHIP, f.orgIds.warehouse)).to.equal(true);
      await expect(rec(f, I2, "STORING", "warehouse")).to.emit(f.ledger, "Traced");
      // an assignment that ended may be made again by the custodian
      await f.ledger.connect(f.accounts.exporter).assign(I1, f.orgIds.lab, true, EVENT_TIME, recordHash("lab"));
      await handOver(f, I1, "exporter", "warehouse");
      await handOver(f, I1, "warehouse", "exporter");
      await expect(f.ledger.connect(f.accounts.exporter).assign(I1, f.orgIds.lab, false, EVENT_TIME, recordHash("x")))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerAssignmentUnchanged")
        .withArgs(I1, f.orgIds.lab);
      await f.ledger.connect(f.accounts.exporter).assign(I1, f.orgIds.lab, true, EVENT_TIME, recordHash("lab again"));
      await expect(rec(f, I1, "SAMPLING", "lab")).to.emit(f.ledger, "Traced");
    });

    it("ATTACK: a custodian cannot assign itself: TraceLedgerSelfTarget", async () => {
      const f = await loadFixture(attackFixture);
      for (const assigned of [true, false]) {
        await expect(
          f.ledger.connect(f.accounts.exporter).assign(I1, f.orgIds.exporter, assigned, EVENT_TIME, recordHash("me")),
        )
          .to.be.revertedWithCustomError(f.ledger, "TraceLedgerSelfTarget")
          .withArgs(I1, f.orgIds.exporter);
      }
    });
  });

  describe("5. corrections only by the entry's author or a regulator", () => {
    it("ATTACK: an assigned lab 'corrects' customs' release: TraceLedgerNotEntryAuthor", async () => {
      const f = await loadFixture(attackFixture);
      await f.ledger.connect(f.accounts.exporter).assign(SHIP, f.orgIds.lab, true, EVENT_TIME, recordHash("lab"));
      await rec(f, SHIP, "CUSTOMS_DECLARED", "exporter");
      await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
      const seq = (await unitStateOf(f.ledger, SHIP)).seq;
      await expect(correctAs(f.ledger, f.accounts.lab, SHIP, seq))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNotEntryAuthor")
        .withArgs(SHIP, seq, f.orgIds.customs);
      // nor the custodian
      await expect(correctAs(f.ledger, f.accounts.exporter, SHIP, seq))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNotEntryAuthor")
        .withArgs(SHIP, seq, f.orgIds.customs);
      expect((await unitStateOf(f.ledger, SHIP)).seq).to.equal(seq);
    });

    it("ATTACK: a forged proof naming another author does not rebuild the head: TraceLedgerInvalidCorrectionProof", async () => {
      const f = await loadFixture(attackFixture);
      await rec(f, SHIP, "CUSTOMS_DECLARED", "exporter");
      await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
      const seq = (await unitStateOf(f.ledger, SHIP)).seq;
      const [head, entries] = await proofOf(f.ledger, SHIP, seq);
      const ORG_SHIFT = 184n;
      const forged = entries.map((e) => ({
        ...e,
        info: (e.info & ~(0xffffffffn << ORG_SHIFT)) | (BigInt(f.orgIds.lab) << ORG_SHIFT),
      }));
      await expect(f.ledger.connect(f.accounts.lab).correct(SHIP, seq, EVENT_TIME, recordHash("x"), head, forged))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerInvalidCorrectionProof")
        .withArgs(SHIP, seq);
    });

    it("LEGITIMATE: customs corrects its own release; the market regulator corrects anyone's entry", async () => {
      const f = await loadFixture(attackFixture);
      await rec(f, SHIP, "CUSTOMS_DECLARED", "exporter");
      await rec(f, SHIP, "CUSTOMS_RELEASED", "customs");
      const seq = (await unitStateOf(f.ledger, SHIP)).seq;
      await expect(correctAs(f.ledger, f.accounts.customs, SHIP, seq, "wrong release"))
        .to.emit(f.ledger, "Traced")
        .withArgs(SHIP, f.accounts.customs.address, recordHash("wrong release"), (info: bigint) => {
          return (info & 0xffn) === BigInt(STEPS.CORRECTION) && info >> 216n === BigInt(seq);
        });
      await expect(correctAs(f.ledger, f.accounts.market, SHIP, seq - 1, "wrong declaration")).to.emit(
        f.ledger,
        "Traced",
      );
    });

    it("LEGITIMATE and ATTACK: the registration entry is corrected by its registrant, not by a later custodian", async () => {
      const f = await loadFixture(attackFixture);
      await f.ledger.connect(f.accounts.rival).register(registration(rivalItemKey(50)));
      await handOver(f, rivalItemKey(50), "rival", "exporter");
      await expect(correctAs(f.ledger, f.accounts.exporter, rivalItemKey(50), 1))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNotEntryAuthor")
        .withArgs(rivalItemKey(50), 1, f.orgIds.rival);
      await expect(correctAs(f.ledger, f.accounts.rival, rivalItemKey(50), 1)).to.emit(f.ledger, "Traced");
    });
  });
});
