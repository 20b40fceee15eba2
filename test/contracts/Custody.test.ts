/**
 * Custody: handover offered by the custodian and accepted by the receiver (scope after it), assignments (add,
 * remove, views, refusals) and corrections by the entry's author (EPCIS error declarations that keep the
 * corrected entry).
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  itemKey,
  cartonKey,
  consignmentKey,
  recordHash,
  registration,
  rivalItemKey,
  type MemberName,
  EVENT_TIME,
} from "../helpers/ledger";
import { NO_PROOF, correctAs, handOver, proofOf } from "../helpers/custody";
import { readHistory, replayedAndStoredHead } from "../helpers/history";
import { rec } from "../helpers/actors";
import { unitsFixture } from "../helpers/fixtures";
import { tracedLogs, unitStateOf } from "../helpers/reads";
import { STEPS, LIMITS, roleMask } from "../../src/codes";
import { traceInput } from "../helpers/ledger";
import type { TraceLedger } from "../../typechain-types";

// ---------------------------------------------------------------------------------------------------------
// Local helpers
// ---------------------------------------------------------------------------------------------------------

const [I1, I2, I3] = [1, 2, 3].map((n) => itemKey(n));
const C1 = cartonKey(1);
const SHIP = consignmentKey(1);
const UNKNOWN = itemKey(999);
const REMOVED = 1n << 32n;

/** Exporter registers I1..I3, C1 and SHIP, packs I2 into C1 and C1 into SHIP (I1 and I3 stay loose). */
const custodyFixture = unitsFixture({
  batch: [I1, I2, I3, C1, SHIP],
  packs: [
    [C1, [I2]],
    [SHIP, [C1]],
  ],
});

async function stateOf(ledger: TraceLedger, unit: string) {
  const { seq, custodian, registrant } = await unitStateOf(ledger, unit);
  return { seq, custodian, registrant };
}

// ---------------------------------------------------------------------------------------------------------

describe("Custody", () => {
  describe("handover (offer) and acceptHandover", () => {
    it("an offer moves nothing: HandoverOffered, handoverOffer, no history entry", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(custodyFixture);
      await expect(ledger.connect(accounts.exporter).handover(I1, orgIds.warehouse, EVENT_TIME, 0, recordHash("note")))
        .to.emit(ledger, "HandoverOffered")
        .withArgs(I1, orgIds.exporter, orgIds.warehouse, recordHash("note"), EVENT_TIME, 0)
        .and.not.to.emit(ledger, "Traced");
      expect(await ledger.handoverOffer(I1)).to.deep.equal([BigInt(orgIds.exporter), BigInt(orgIds.warehouse), 1n]);
      expect(await stateOf(ledger, I1)).to.deep.equal({
        seq: 1,
        custodian: orgIds.exporter,
        registrant: orgIds.exporter,
      });
    });

    it("the acceptance moves custody: the entry is the acceptor's (account, org), aux = new custodian", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(custodyFixture);
      await ledger.connect(accounts.exporter).handover(I1, orgIds.warehouse, EVENT_TIME, 0, recordHash("note"));
      const tx = await ledger.connect(accounts.warehouse).acceptHandover(I1, EVENT_TIME, 0, recordHash("received"));
      const [log] = await tracedLogs(ledger, tx);
      expect(log).to.include({ unit: I1, account: accounts.warehouse.address, data: recordHash("received") });
      expect(log).to.include({ step: STEPS.CUSTODY_TRANSFERRED, seq: 2, org: orgIds.warehouse });
      expect(log.aux).to.equal(BigInt(orgIds.warehouse));
      expect(await stateOf(ledger, I1)).to.deep.equal({
        seq: 2,
        custodian: orgIds.warehouse,
        registrant: orgIds.exporter,
      });
      expect(await ledger.handoverOffer(I1)).to.deep.equal([0n, 0n, 0n]);
      const { replayed, stored } = await replayedAndStoredHead(ledger, I1);
      expect(replayed).to.equal(stored);
    });

    it("a handover of a consignment hands over everything packed in it", async () => {
      const f = await loadFixture(custodyFixture);
      await handOver(f, SHIP, "exporter", "carrier");
      for (const u of [SHIP, C1, I2]) expect((await stateOf(f.ledger, u)).custodian, u).to.equal(f.orgIds.carrier);
      expect((await stateOf(f.ledger, I1)).custodian).to.equal(f.orgIds.exporter);
    });

    it("only the current custodian offers: TraceLedgerNotCustodian", async () => {
      const f = await loadFixture(custodyFixture);
      const { ledger, accounts, orgIds } = f;
      await expect(ledger.connect(accounts.warehouse).handover(I1, orgIds.carrier, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerNotCustodian")
        .withArgs(I1, orgIds.warehouse);
      await handOver(f, I1, "exporter", "warehouse");
      // the registrant is no longer the custodian
      await expect(ledger.connect(accounts.exporter).handover(I1, orgIds.carrier, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerNotCustodian")
        .withArgs(I1, orgIds.exporter);
      await handOver(f, I1, "warehouse", "carrier");
      expect((await stateOf(ledger, I1)).custodian).to.equal(orgIds.carrier);
    });

    it("not to itself: TraceLedgerSelfTarget", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(custodyFixture);
      await expect(ledger.connect(accounts.exporter).handover(I1, orgIds.exporter, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerSelfTarget")
        .withArgs(I1, orgIds.exporter);
    });

    it("not on a packed unit, even by the outermost custodian: TraceLedgerUnitPacked", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(custodyFixture);
      for (const u of [I2, C1]) {
        await expect(ledger.connect(accounts.exporter).handover(u, orgIds.warehouse, EVENT_TIME, 0, recordHash("x")))
          .to.be.revertedWithCustomError(ledger, "TraceLedgerUnitPacked")
          .withArgs(u);
      }
    });

    it("not while held: TraceLedgerUnitHeld(unit, CUSTODY_TRANSFERRED)", async () => {
      const f = await loadFixture(custodyFixture);
      const { ledger, accounts, orgIds } = f;
      await rec(f, I1, "HOLD", "market");
      await expect(ledger.connect(accounts.exporter).handover(I1, orgIds.warehouse, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnitHeld")
        .withArgs(I1, STEPS.CUSTODY_TRANSFERRED);
    });

    it("only to an existing, active organization; 0 withdraws the offer", async () => {
      const { ledger, admin, accounts, orgIds } = await loadFixture(custodyFixture);
      const ex = ledger.connect(accounts.exporter);
      const count = Number(await ledger.organizationCount());
      await expect(ex.handover(I1, count + 1, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "ConsortiumUnknownOrganization")
        .withArgs(count + 1);
      await ledger.connect(admin).suspendOrganization(orgIds.warehouse);
      await expect(ex.handover(I1, orgIds.warehouse, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "ConsortiumOrganizationSuspended")
        .withArgs(orgIds.warehouse);
      await ex.handover(I1, orgIds.carrier, EVENT_TIME, 0, recordHash("offer"));
      await expect(ex.handover(I1, 0, EVENT_TIME, 0, recordHash("withdrawn")))
        .to.emit(ledger, "HandoverOffered")
        .withArgs(I1, orgIds.exporter, 0, recordHash("withdrawn"), EVENT_TIME, 0);
      expect(await ledger.handoverOffer(I1)).to.deep.equal([0n, 0n, 0n]);
      await expect(ledger.connect(accounts.carrier).acceptHandover(I1, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerNoHandoverOffer")
        .withArgs(I1, orgIds.carrier);
      expect((await stateOf(ledger, I1)).custodian).to.equal(orgIds.exporter);
    });

    it("refuses an unknown unit and a role without CUSTODY_TRANSFERRED (offer and accept)", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(custodyFixture);
      await expect(
        ledger.connect(accounts.exporter).handover(UNKNOWN, orgIds.warehouse, EVENT_TIME, 0, recordHash("x")),
      )
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnknownUnit")
        .withArgs(UNKNOWN);
      await expect(ledger.connect(accounts.warehouse).acceptHandover(UNKNOWN, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerNoHandoverOffer")
        .withArgs(UNKNOWN, orgIds.warehouse);
      await expect(ledger.connect(accounts.broker).handover(I1, orgIds.warehouse, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "ConsortiumStepNotAllowed")
        .withArgs(accounts.broker.address, orgIds.broker, STEPS.CUSTODY_TRANSFERRED, roleMask("CUSTOMS_BROKER"));
      await ledger.connect(accounts.exporter).handover(I1, orgIds.broker, EVENT_TIME, 0, recordHash("to broker"));
      await expect(ledger.connect(accounts.broker).acceptHandover(I1, EVENT_TIME, 0, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "ConsortiumStepNotAllowed")
        .withArgs(accounts.broker.address, orgIds.broker, STEPS.CUSTODY_TRANSFERRED, roleMask("CUSTOMS_BROKER"));
    });

    for (const to of ["warehouse", "carrier", "customs", "exporter", "factory"] as MemberName[]) {
      it(`every receiving role may accept in the default matrix: ${to}`, async () => {
        const f = await loadFixture(custodyFixture);
        const from: MemberName = to === "exporter" ? "rival" : "exporter";
        // The rival registers a code of its own prefix (prefix registry 2.1).
        const unit = from === "rival" ? rivalItemKey(999) : I1;
        if (from === "rival") await f.ledger.connect(f.accounts.rival).register(registration(unit));
        await handOver(f, unit, from, to);
        expect((await stateOf(f.ledger, unit)).custodian).to.equal(f.orgIds[to]);
      });
    }

    it("the old custodian drops out of scope; the new custodian is in; the registrant is out once it handed on", async () => {
      const f = await loadFixture(custodyFixture);
      const { ledger, orgIds } = f;
      await handOver(f, I1, "exporter", "warehouse");
      await expect(rec(f, I1, "STORING", "warehouse")).to.emit(ledger, "Traced");
      await expect(rec(f, I1, "STORING", "exporter"))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerOutOfScope")
        .withArgs(I1, orgIds.exporter);
      await handOver(f, I1, "warehouse", "carrier");
      await expect(rec(f, I1, "STORING", "warehouse"))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerOutOfScope")
        .withArgs(I1, orgIds.warehouse);
      await expect(rec(f, I1, "LOADING", "carrier")).to.emit(ledger, "Traced");
    });
  });

  describe("assign", () => {
    it("adds and removes an organization: isAssigned, scope, aux = orgId (+2^32 when removed)", async () => {
      const f = await loadFixture(custodyFixture);
      const { ledger, accounts, orgIds } = f;
      const ex = ledger.connect(accounts.exporter);
      expect(await ledger.isAssigned(I1, orgIds.carrier)).to.equal(false);
      await expect(rec(f, I1, "LOADING", "carrier"))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerOutOfScope")
        .withArgs(I1, orgIds.carrier);

      const [added] = await tracedLogs(
        ledger,
        await ex.assign(I1, orgIds.carrier, true, EVENT_TIME, recordHash("contract")),
      );
      expect(added).to.include({ unit: I1, data: recordHash("contract"), step: STEPS.ASSIGNED, org: orgIds.exporter });
      expect(added.aux).to.equal(BigInt(orgIds.carrier));
      expect(await ledger.isAssigned(I1, orgIds.carrier)).to.equal(true);
      await expect(rec(f, I1, "LOADING", "carrier")).to.emit(ledger, "Traced");

      const [removed] = await tracedLogs(
        ledger,
        await ex.assign(I1, orgIds.carrier, false, EVENT_TIME, recordHash("end")),
      );
      expect(removed).to.include({ step: STEPS.ASSIGNED, seq: added.seq + 2 });
      expect(removed.aux).to.equal(BigInt(orgIds.carrier) + REMOVED);
      expect(await ledger.isAssigned(I1, orgIds.carrier)).to.equal(false);
      await expect(rec(f, I1, "LOADING", "carrier"))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerOutOfScope")
        .withArgs(I1, orgIds.carrier);
      const { replayed, stored } = await replayedAndStoredHead(ledger, I1);
      expect(replayed).to.equal(stored);
    });

    it("an organization assigned to a parent may write on everything inside it, not outside", async () => {
      const f = await loadFixture(custodyFixture);
      await f.ledger.connect(f.accounts.exporter).assign(SHIP, f.orgIds.lab, true, EVENT_TIME, recordHash("lab"));
      await expect(rec(f, I2, "INSPECTING", "lab")).to.emit(f.ledger, "Traced");
      await expect(rec(f, C1, "SAMPLING", "lab")).to.emit(f.ledger, "Traced");
      await expect(rec(f, I1, "INSPECTING", "lab"))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerOutOfScope")
        .withArgs(I1, f.orgIds.lab);
    });

    it("TraceLedgerAssignmentUnchanged for assigning twice or removing what is not assigned", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(custodyFixture);
      const ex = ledger.connect(accounts.exporter);
      await expect(ex.assign(I1, orgIds.broker, false, EVENT_TIME, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerAssignmentUnchanged")
        .withArgs(I1, orgIds.broker);
      await ex.assign(I1, orgIds.broker, true, EVENT_TIME, recordHash("x"));
      await expect(ex.assign(I1, orgIds.broker, true, EVENT_TIME, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerAssignmentUnchanged")
        .withArgs(I1, orgIds.broker);
      expect((await stateOf(ledger, I1)).seq).to.equal(2);
    });

    it("refuses unknown organizations, and suspended ones when assigning but not when removing", async () => {
      const { ledger, admin, accounts, orgIds } = await loadFixture(custodyFixture);
      const ex = ledger.connect(accounts.exporter);
      const count = Number(await ledger.organizationCount());
      for (const bad of [0, count + 1]) {
        for (const assigned of [true, false]) {
          await expect(ex.assign(I1, bad, assigned, EVENT_TIME, recordHash("x")))
            .to.be.revertedWithCustomError(ledger, "ConsortiumUnknownOrganization")
            .withArgs(bad);
        }
      }
      await ex.assign(I1, orgIds.carrier, true, EVENT_TIME, recordHash("x"));
      await ledger.connect(admin).suspendOrganization(orgIds.carrier);
      await ledger.connect(admin).suspendOrganization(orgIds.broker);
      await expect(ex.assign(I1, orgIds.broker, true, EVENT_TIME, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "ConsortiumOrganizationSuspended")
        .withArgs(orgIds.broker);
      await expect(ex.assign(I1, orgIds.carrier, false, EVENT_TIME, recordHash("x"))).to.emit(ledger, "Traced");
      expect(await ledger.isAssigned(I1, orgIds.carrier)).to.equal(false);
    });

    it("only by the effective custodian (the outermost parent's custodian for packed units)", async () => {
      const f = await loadFixture(custodyFixture);
      const { ledger, accounts, orgIds } = f;
      await ledger.connect(accounts.exporter).assign(I1, orgIds.carrier, true, EVENT_TIME, recordHash("x"));
      // an assigned organization is not the custodian
      await expect(ledger.connect(accounts.carrier).assign(I1, orgIds.warehouse, true, EVENT_TIME, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerNotCustodian")
        .withArgs(I1, orgIds.carrier);
      await handOver(f, SHIP, "exporter", "warehouse");
      for (const u of [I2, C1, SHIP]) {
        // the registrant of the packed units is no longer their custodian
        await expect(ledger.connect(accounts.exporter).assign(u, orgIds.lab, true, EVENT_TIME, recordHash("x")))
          .to.be.revertedWithCustomError(ledger, "TraceLedgerNotCustodian")
          .withArgs(u, orgIds.exporter);
        await expect(
          ledger.connect(accounts.warehouse).assign(u, orgIds.lab, true, EVENT_TIME, recordHash("x")),
        ).to.emit(ledger, "Traced");
        expect(await ledger.isAssigned(u, orgIds.lab)).to.equal(true);
      }
    });

    it("refuses an unknown unit", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(custodyFixture);
      await expect(ledger.connect(accounts.exporter).assign(UNKNOWN, orgIds.lab, true, EVENT_TIME, recordHash("x")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnknownUnit")
        .withArgs(UNKNOWN);
    });
  });

  describe("correct", () => {
    async function withHistory() {
      const f = await loadFixture(custodyFixture);
      await f.ledger.connect(f.accounts.exporter).assign(I3, f.orgIds.broker, true, EVENT_TIME, recordHash("broker"));
      await rec(f, I3, "CUSTOMS_DECLARED", "broker");
      await rec(f, I3, "STORING", "exporter");
      // I3 has 5 entries: register and assign (exporter), the zone entry (customs) and the declaration
      // (broker) of its 1210 declaration, storing (exporter)
      return f;
    }

    for (const [seq, by] of [
      [1, "exporter"],
      [4, "broker"],
      [5, "customs"],
      [2, "market"],
    ] as [number, MemberName][]) {
      it(`corrects entry ${seq} of 5 (by ${by}): aux = seq, the corrected entry stays`, async () => {
        const { ledger, accounts, orgIds } = await withHistory();
        const before = await readHistory(ledger, I3);
        expect(before.length).to.equal(5);
        const tx = await correctAs(ledger, accounts[by], I3, seq, "error declaration");
        const [log] = await tracedLogs(ledger, tx);
        expect(log).to.include({ unit: I3, data: recordHash("error declaration"), step: STEPS.CORRECTION });
        expect(log).to.include({ seq: 6, org: orgIds[by] });
        expect(log.aux).to.equal(BigInt(seq));
        const { replayed, stored, entries } = await replayedAndStoredHead(ledger, I3);
        expect(replayed).to.equal(stored);
        expect(entries.slice(0, 5)).to.deep.equal(before);
        expect((await stateOf(ledger, I3)).seq).to.equal(6);
      });
    }

    it("TraceLedgerInvalidCorrection for seq 0 and seq beyond the history", async () => {
      const { ledger, accounts } = await withHistory();
      for (const seq of [0, 6, 2 ** 32 - 1]) {
        await expect(ledger.connect(accounts.exporter).correct(I3, seq, EVENT_TIME, recordHash("x"), ...NO_PROOF))
          .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCorrection")
          .withArgs(I3, seq);
      }
      // a correction is itself an entry that can be corrected (by its author)
      await correctAs(ledger, accounts.exporter, I3, 5, "c1");
      await expect(correctAs(ledger, accounts.exporter, I3, 6, "c2")).to.emit(ledger, "Traced");
    });

    it("only by the entry's author or a regulator: TraceLedgerNotEntryAuthor; an unknown unit", async () => {
      const { ledger, accounts, orgIds } = await withHistory();
      for (const who of ["rival", "lab", "carrier", "broker"] as MemberName[]) {
        await expect(correctAs(ledger, accounts[who], I3, 1))
          .to.be.revertedWithCustomError(ledger, "TraceLedgerNotEntryAuthor")
          .withArgs(I3, 1, orgIds.exporter);
      }
      await expect(ledger.connect(accounts.exporter).correct(UNKNOWN, 1, EVENT_TIME, recordHash("x"), ...NO_PROOF))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnknownUnit")
        .withArgs(UNKNOWN);
    });

    it("the author corrects its own entry even after custody moved on (no scope needed)", async () => {
      const f = await loadFixture(custodyFixture);
      await handOver(f, SHIP, "exporter", "warehouse");
      // entry 2 of I2 is the exporter's packing into C1
      await expect(correctAs(f.ledger, f.accounts.warehouse, I2, 2))
        .to.be.revertedWithCustomError(f.ledger, "TraceLedgerNotEntryAuthor")
        .withArgs(I2, 2, f.orgIds.exporter);
      const [log] = await tracedLogs(f.ledger, await correctAs(f.ledger, f.accounts.exporter, I2, 2));
      expect(log).to.include({ unit: I2, step: STEPS.CORRECTION, org: f.orgIds.exporter });
      expect(log.aux).to.equal(2n);
    });

    it("a proof that does not rebuild the head, or names another seq: TraceLedgerInvalidCorrectionProof", async () => {
      const { ledger, accounts } = await withHistory();
      const ex = ledger.connect(accounts.exporter);
      const [head, entries] = await proofOf(ledger, I3, 2);
      // stale: one entry missing at the end
      await expect(ex.correct(I3, 2, EVENT_TIME, recordHash("x"), head, entries.slice(0, -1)))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCorrectionProof")
        .withArgs(I3, 2);
      // empty
      await expect(ex.correct(I3, 2, EVENT_TIME, recordHash("x"), head, []))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCorrectionProof")
        .withArgs(I3, 2);
      // a valid proof of entry 2 offered for entry 1
      await expect(ex.correct(I3, 1, EVENT_TIME, recordHash("x"), head, entries))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCorrectionProof")
        .withArgs(I3, 1);
      await expect(ex.correct(I3, 2, EVENT_TIME, recordHash("x"), head, entries)).to.emit(ledger, "Traced");
    });
  });

  // Issue 15: custody, assignment and correction entries carry the time (and, for custody, the place) their
  // caller claims, under the one rule every entry's time follows.
  describe("event times", () => {
    const GLN = 6901234000016n;
    const [OFFERED, TAKEN, AGREED, DECLARED] = [3600, 5400, 7200, 9000].map((d) => EVENT_TIME + d);

    it("offer, acceptance, assignment and correction read back the times and places given, not the block's", async () => {
      const f = await loadFixture(custodyFixture);
      const { ledger, accounts, orgIds } = f;
      await expect(ledger.connect(accounts.exporter).handover(I1, orgIds.warehouse, OFFERED, GLN, recordHash("o")))
        .to.emit(ledger, "HandoverOffered")
        .withArgs(I1, orgIds.exporter, orgIds.warehouse, recordHash("o"), OFFERED, GLN);
      const accepted = await ledger.connect(accounts.warehouse).acceptHandover(I1, TAKEN, GLN, recordHash("a"));
      const assigned = await ledger.connect(accounts.warehouse).assign(I1, orgIds.lab, true, AGREED, recordHash("l"));
      const [head, entries] = await proofOf(ledger, I1, 1);
      const corrected = await ledger
        .connect(accounts.exporter)
        .correct(I1, 1, DECLARED, recordHash("c"), head, entries);
      const logs = [accepted, assigned, corrected].map(async (tx) => (await tracedLogs(ledger, tx))[0]);
      const [a, g, c] = await Promise.all(logs);
      expect([a.step, a.eventTime, a.location]).to.deep.equal([STEPS.CUSTODY_TRANSFERRED, TAKEN, GLN]);
      expect([g.step, g.eventTime, g.location]).to.deep.equal([STEPS.ASSIGNED, AGREED, 0n]);
      expect([c.step, c.eventTime, c.location]).to.deep.equal([STEPS.CORRECTION, DECLARED, 0n]);
      expect((await readHistory(ledger, I1)).map((e) => e.eventTime)).to.deep.equal([
        EVENT_TIME,
        TAKEN,
        AGREED,
        DECLARED,
      ]);
      const { replayed, stored } = await replayedAndStoredHead(ledger, I1);
      expect(replayed).to.equal(stored);
    });

    it("ATTACK: dated ahead of the block (or 0) → the same TraceLedgerInvalidEventTime record gives", async () => {
      const { ledger, accounts, orgIds } = await loadFixture(custodyFixture);
      const ex = ledger.connect(accounts.exporter);
      let blockTime = (await time.latest()) + 100;
      /** The next block's time and the latest event time it accepts (refused writes are mined too). */
      const nextBlock = async () => {
        blockTime += 2;
        await time.setNextBlockTimestamp(blockTime);
        return blockTime + LIMITS.MAX_EVENT_TIME_SKEW;
      };
      const [head, entries] = await proofOf(ledger, I1, 1);
      const sends: Array<[string, (t: number) => Promise<unknown>]> = [
        ["record", (t) => ex.record(traceInput(I1, "STORING", { eventTime: t }))],
        ["handover", (t) => ex.handover(I1, orgIds.warehouse, t, GLN, recordHash("ahead"))],
        ["assign", (t) => ex.assign(I1, orgIds.lab, true, t, recordHash("ahead"))],
        ["correct", (t) => ex.correct(I1, 1, t, recordHash("ahead"), head, entries)],
      ];
      for (const [name, send] of sends) {
        for (const ahead of [true, false]) {
          const latest = await nextBlock();
          const t = ahead ? latest + 1 : 0;
          await expect(send(t), `${name} at ${t}`)
            .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidEventTime")
            .withArgs(t, latest);
        }
      }
      expect(await ledger.handoverOffer(I1)).to.deep.equal([0n, 0n, 0n]);
      expect((await unitStateOf(ledger, I1)).seq).to.equal(1);
      // The clock skew itself is allowed: an offer dated exactly at the limit goes through, and is accepted.
      const limit = await nextBlock();
      await ex.handover(I1, orgIds.warehouse, limit, GLN, recordHash("fast clock"));
      const acceptLimit = await nextBlock();
      await ledger.connect(accounts.warehouse).acceptHandover(I1, acceptLimit, GLN, recordHash("fast clock too"));
      expect((await unitStateOf(ledger, I1)).custodian).to.equal(orgIds.warehouse);
    });

    it("ATTACK: a correction dated before the entry it declares wrong → TraceLedgerCorrectionPredatesEntry", async () => {
      const f = await loadFixture(custodyFixture);
      const { ledger, accounts, orgIds } = f;
      await ledger.connect(accounts.exporter).handover(I1, orgIds.warehouse, OFFERED, GLN, recordHash("o"));
      await ledger.connect(accounts.warehouse).acceptHandover(I1, TAKEN, GLN, recordHash("a"));
      const [head, entries] = await proofOf(ledger, I1, 2);
      const wh = ledger.connect(accounts.warehouse);
      await expect(wh.correct(I1, 2, TAKEN - 1, recordHash("early"), head, entries))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerCorrectionPredatesEntry")
        .withArgs(I1, 2, TAKEN);
      // Declared the same second the entry happened: allowed (the entry's time is the earliest).
      await wh.correct(I1, 2, TAKEN, recordHash("same second"), head, entries);
      expect((await unitStateOf(ledger, I1)).seq).to.equal(3);
    });
  });
});
