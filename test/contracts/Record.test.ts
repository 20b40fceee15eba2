import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Address, Hex } from "viem";
import type { TraceLedger } from "../../typechain-types";
import type { ITraceLedger } from "../../typechain-types/contracts/TraceLedger";
import { DISPOSITIONS, ROLES, STAGES, STEPS, encodeInfo } from "../../src/codes";
import { replayHead } from "../../src/hashChain/hashChain";
import {
  deployLedger,
  deployLedgerWithManufacturer,
  itemKey,
  registration,
  rivalItemKey,
  traceInput,
} from "../helpers/ledger";
import { readHistory, replayedAndStoredHead } from "../helpers/history";

// ---------------------------------------------------------------------------------------------------------
// Shared helpers (local: test/helpers is owned by another engineer).
// ---------------------------------------------------------------------------------------------------------

/** `TraceLedgerBatchItemRejected(index, <inner error>)` as chai matcher arguments. */
function rejected(ledger: TraceLedger, index: number, error: string, args: unknown[] = []): [bigint, string] {
  return [BigInt(index), ledger.interface.encodeErrorResult(error, args)];
}

/** Heads and seqs of some units: what an atomic refusal must leave untouched. */
async function states(ledger: TraceLedger, units: string[]) {
  return Promise.all(
    units.map(async (u) => {
      const s = await ledger.unitState(u);
      return [s.head, s.seq, s.lastBlock, s.stage, s.flags];
    }),
  );
}

/** The info word `_register` emits. */
function registrationInfo(r: ITraceLedger.RegistrationStruct, org: number): bigint {
  return encodeInfo({
    step: STEPS.COMMISSIONING,
    disposition: DISPOSITIONS.ACTIVE,
    eventTime: Number(r.eventTime),
    location: BigInt(r.location),
    prevBlock: 0,
    seq: 1,
    org,
    aux: 0n,
  });
}

/** The info word `_record` emits. */
function recordInfo(e: ITraceLedger.TraceInputStruct, prevBlock: number, seq: number, org: number): bigint {
  return encodeInfo({
    step: Number(e.step),
    disposition: Number(e.disposition),
    eventTime: Number(e.eventTime),
    location: BigInt(e.location),
    prevBlock,
    seq,
    org,
    aux: 0n,
  });
}

const A = itemKey(1);
const B = itemKey(2);
const C = itemKey(3);
const RIVAL_UNIT = rivalItemKey(50);

/** Exporter units A, B, C and a rival unit, registered; the factory is the exporter's contract manufacturer. */
async function registeredFixture() {
  const f = await deployLedgerWithManufacturer();
  await (await f.ledger.connect(f.accounts.exporter).registerBatch([A, B, C].map((u) => registration(u)))).wait();
  await (await f.ledger.connect(f.accounts.rival).register(registration(RIVAL_UNIT))).wait();
  return f;
}

describe("register / registerBatch", () => {
  it("register emits Traced (COMMISSIONING, seq 1) and stores registrant = custodian = caller org", async () => {
    // The factory registers the exporter's codes as its authorized contract manufacturer (prefix registry 2.1).
    const { ledger, accounts, orgIds } = await loadFixture(deployLedgerWithManufacturer);
    for (const [who, unit] of [
      ["exporter", itemKey(10)],
      ["factory", itemKey(11)],
    ] as const) {
      const r = registration(unit, `reg:${who}`);
      const tx = await ledger.connect(accounts[who]).register(r);
      await expect(tx)
        .to.emit(ledger, "Traced")
        .withArgs(unit, accounts[who].address, r.recordHash, registrationInfo(r, orgIds[who]));
      const block = (await tx.wait())!.blockNumber;
      const s = await ledger.unitState(unit);
      expect([s.seq, s.lastBlock, s.stage, s.flags, s.registrant, s.custodian, s.parent]).to.deep.equal([
        1n,
        BigInt(block),
        BigInt(STAGES.ACTIVE),
        0n,
        BigInt(orgIds[who]),
        BigInt(orgIds[who]),
        ethers.ZeroHash,
      ]);
      const { chainId } = await ethers.provider.getNetwork();
      const header = (await ethers.provider.getBlock(block))!;
      const entry = {
        account: accounts[who].address as Address,
        data: r.recordHash as Hex,
        info: registrationInfo(r, orgIds[who]),
        blockNumber: BigInt(header.number),
        blockTime: header.timestamp,
      };
      expect(s.head).to.equal(replayHead(chainId, (await ledger.getAddress()) as Address, unit as Hex, [entry]));
    }
  });

  it("registerBatch registers every unit in order, each at seq 1", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedgerWithManufacturer);
    const units = [itemKey(20), itemKey(21), itemKey(22)];
    const regs = units.map((u, i) => ({ ...registration(u), eventTime: 1_767_225_600 + i }));
    const tx = await ledger.connect(accounts.factory).registerBatch(regs);
    for (const [i, r] of regs.entries()) {
      await expect(tx)
        .to.emit(ledger, "Traced")
        .withArgs(units[i], accounts.factory.address, r.recordHash, registrationInfo(r, orgIds.factory));
    }
    for (const u of units) {
      const { replayed, stored, entries } = await replayedAndStoredHead(ledger, u);
      expect(entries.map((e) => [e.seq, e.step, e.org])).to.deep.equal([[1, STEPS.COMMISSIONING, orgIds.factory]]);
      expect(replayed).to.equal(stored);
    }
  });

  it("registerBatch accepts exactly MAX_BATCH units and refuses MAX_BATCH + 1", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const max = Number(await ledger.MAX_BATCH());
    const ex = ledger.connect(accounts.exporter);
    const tooMany = Array.from({ length: max + 1 }, () => registration(itemKey(0)));
    await expect(ex.registerBatch(tooMany))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchTooLarge")
      .withArgs(max + 1, max);
    const regs = Array.from({ length: max }, (_, i) => registration(itemKey(1000 + i), i));
    await (await ex.registerBatch(regs)).wait();
    expect((await ledger.unitState(itemKey(1000))).seq).to.equal(1n);
    expect((await ledger.unitState(itemKey(1000 + max - 1))).seq).to.equal(1n);
  });

  // A zero key is no longer reachable (2.1: the ledger hashes the code itself); the key refusal left is a code
  // under a prefix the registrant may not use.
  it("refuses another holder's code: TraceLedgerCodeNotLicensed (wrapped with its index in a batch)", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    const foreign = rivalItemKey(60);
    const args = [foreign, orgIds.exporter, orgIds.rival];
    await expect(ex.register(registration(foreign)))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(...args);
    await expect(ex.registerBatch([registration(A), registration(B), registration(foreign), registration(C)]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, 2, "TraceLedgerCodeNotLicensed", args));
    for (const u of [A, B, C, foreign]) {
      const s = await ledger.unitState(u);
      expect([s.head, s.seq, s.registrant]).to.deep.equal(["0x" + "00".repeat(16), 0n, 0n]);
    }
  });

  it("refuses an already registered key, also a duplicate inside one batch", async () => {
    const { ledger, accounts } = await loadFixture(registeredFixture);
    const before = await states(ledger, [A]);
    await expect(ledger.connect(accounts.factory).register(registration(A, "again")))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerUnitAlreadyRegistered")
      .withArgs(A);
    const fresh = itemKey(30);
    await expect(ledger.connect(accounts.exporter).registerBatch([registration(fresh), registration(A)]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, 1, "TraceLedgerUnitAlreadyRegistered", [A]));
    const dup = itemKey(31);
    await expect(
      ledger.connect(accounts.exporter).registerBatch([registration(fresh), registration(dup), registration(dup, "x")]),
    )
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, 2, "TraceLedgerUnitAlreadyRegistered", [dup]));
    expect((await ledger.unitState(fresh)).seq).to.equal(0n);
    expect((await ledger.unitState(dup)).seq).to.equal(0n);
    expect(await states(ledger, [A])).to.deep.equal(before);
  });

  it("refuses registration by a role that may not commission, and empty batches", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const wh = ledger.connect(accounts.warehouse);
    const args = [accounts.warehouse.address, orgIds.warehouse, STEPS.COMMISSIONING, 1 << ROLES.WAREHOUSE];
    await expect(wh.register(registration(A)))
      .to.be.revertedWithCustomError(ledger, "ConsortiumStepNotAllowed")
      .withArgs(...args);
    await expect(wh.registerBatch([registration(A)]))
      .to.be.revertedWithCustomError(ledger, "ConsortiumStepNotAllowed")
      .withArgs(...args);
    await expect(ledger.connect(accounts.exporter).registerBatch([])).to.be.revertedWithCustomError(
      ledger,
      "TraceLedgerEmptyBatch",
    );
  });
});

describe("record / recordBatch", () => {
  it("record emits Traced with prevBlock, seq and org, and advances the unit", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(registeredFixture);
    const regBlock = Number((await ledger.unitState(A)).lastBlock);
    const input = traceInput(A, "INSPECTING", { disposition: DISPOSITIONS.CONFORMANT, location: 42n });
    const tx = await ledger.connect(accounts.exporter).record(input);
    await expect(tx)
      .to.emit(ledger, "Traced")
      .withArgs(A, accounts.exporter.address, input.recordHash, recordInfo(input, regBlock, 2, orgIds.exporter));
    const s = await ledger.unitState(A);
    expect([s.seq, s.lastBlock, s.registrant, s.custodian, s.stage]).to.deep.equal([
      2n,
      BigInt((await tx.wait())!.blockNumber),
      BigInt(orgIds.exporter),
      BigInt(orgIds.exporter),
      BigInt(STAGES.ACTIVE),
    ]);
    const { replayed, stored } = await replayedAndStoredHead(ledger, A);
    expect(replayed).to.equal(stored);
  });

  it("recordBatch records in order, the same unit several times in one transaction", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(registeredFixture);
    const regBlock = Number((await ledger.unitState(A)).lastBlock);
    const inputs = [
      traceInput(A, "INSPECTING"),
      traceInput(B, "STORING"),
      traceInput(A, "STORING"),
      traceInput(A, "SHIPPING"),
    ];
    const tx = await ledger.connect(accounts.exporter).recordBatch(inputs);
    const block = (await tx.wait())!.blockNumber;
    const org = orgIds.exporter;
    const who = accounts.exporter.address;
    await expect(tx)
      .to.emit(ledger, "Traced")
      .withArgs(A, who, inputs[0].recordHash, recordInfo(inputs[0], regBlock, 2, org))
      .and.to.emit(ledger, "Traced")
      .withArgs(B, who, inputs[1].recordHash, recordInfo(inputs[1], regBlock, 2, org))
      .and.to.emit(ledger, "Traced")
      .withArgs(A, who, inputs[2].recordHash, recordInfo(inputs[2], block, 3, org))
      .and.to.emit(ledger, "Traced")
      .withArgs(A, who, inputs[3].recordHash, recordInfo(inputs[3], block, 4, org));
    const history = await readHistory(ledger, A);
    expect(history.map((e) => [e.seq, e.step])).to.deep.equal([
      [1, STEPS.COMMISSIONING],
      [2, STEPS.INSPECTING],
      [3, STEPS.STORING],
      [4, STEPS.SHIPPING],
    ]);
    for (const u of [A, B]) {
      const { replayed, stored } = await replayedAndStoredHead(ledger, u);
      expect(replayed).to.equal(stored);
    }
  });

  it("refuses unknown units, empty and oversized batches", async () => {
    const { ledger, accounts } = await loadFixture(registeredFixture);
    const ex = ledger.connect(accounts.exporter);
    const unknown = itemKey(404);
    await expect(ex.record(traceInput(unknown, "STORING")))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerUnknownUnit")
      .withArgs(unknown);
    await expect(ex.recordBatch([traceInput(A, "STORING"), traceInput(unknown, "STORING")]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, 1, "TraceLedgerUnknownUnit", [unknown]));
    await expect(ex.recordBatch([])).to.be.revertedWithCustomError(ledger, "TraceLedgerEmptyBatch");
    const max = Number(await ledger.MAX_BATCH());
    const one = traceInput(A, "STORING");
    await expect(ex.recordBatch(Array.from({ length: max + 1 }, () => one)))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchTooLarge")
      .withArgs(max + 1, max);
    expect((await ledger.unitState(A)).seq).to.equal(1n);
  });

  describe("batch atomicity: item k refused → TraceLedgerBatchItemRejected(k, inner) and nothing applied", () => {
    type Case = {
      name: string;
      bad: (f: Awaited<ReturnType<typeof registeredFixture>>) => [ITraceLedger.TraceInputStruct, string, unknown[]];
    };
    const cases: Case[] = [
      {
        name: "unknown unit",
        bad: () => [traceInput(itemKey(404), "STORING"), "TraceLedgerUnknownUnit", [itemKey(404)]],
      },
      {
        name: "dedicated step (COMMISSIONING)",
        bad: () => [traceInput(B, "COMMISSIONING"), "TraceLedgerStepNotRecordable", [STEPS.COMMISSIONING]],
      },
      {
        name: "invalid disposition",
        bad: () => [
          traceInput(B, "STORING", { disposition: DISPOSITIONS.MAX + 1 }),
          "TraceLedgerInvalidDisposition",
          [DISPOSITIONS.MAX + 1],
        ],
      },
      {
        name: "step not allowed to the caller's roles",
        bad: (f) => [
          traceInput(B, "DEPARTING"),
          "ConsortiumStepNotAllowed",
          [f.accounts.exporter.address, f.orgIds.exporter, STEPS.DEPARTING, 1 << ROLES.EXPORTER],
        ],
      },
      {
        name: "unit out of scope",
        bad: (f) => [traceInput(RIVAL_UNIT, "STORING"), "TraceLedgerOutOfScope", [RIVAL_UNIT, f.orgIds.exporter]],
      },
      {
        name: "stage violation",
        bad: () => [traceInput(B, "RETURNED"), "TraceLedgerStageViolation", [B, STEPS.RETURNED, STAGES.ACTIVE]],
      },
    ];
    for (const c of cases) {
      for (const k of [0, 2, 4]) {
        it(`${c.name} at index ${k}`, async () => {
          const f = await loadFixture(registeredFixture);
          const [badInput, error, args] = c.bad(f);
          const good = [
            traceInput(A, "STORING"),
            traceInput(B, "INSPECTING"),
            traceInput(C, "STORING"),
            traceInput(A, "SHIPPING"),
          ];
          const inputs = [...good.slice(0, k), badInput, ...good.slice(k)];
          const before = await states(f.ledger, [A, B, C, RIVAL_UNIT]);
          await expect(f.ledger.connect(f.accounts.exporter).recordBatch(inputs))
            .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
            .withArgs(...rejected(f.ledger, k, error, args));
          expect(await states(f.ledger, [A, B, C, RIVAL_UNIT])).to.deep.equal(before);
        });
      }
    }

    it("an item refused because of an earlier item of the same batch reverts that earlier item too", async () => {
      const { ledger, accounts } = await loadFixture(registeredFixture);
      const before = await states(ledger, [A, B]);
      await expect(
        ledger
          .connect(accounts.exporter)
          .recordBatch([traceInput(B, "STORING"), traceInput(A, "DESTROYING"), traceInput(A, "STORING")]),
      )
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(...rejected(ledger, 2, "TraceLedgerUnitDestroyed", [A]));
      expect(await states(ledger, [A, B])).to.deep.equal(before);
    });

    it("the same refusal on a single record is raised unwrapped", async () => {
      const { ledger, accounts } = await loadFixture(registeredFixture);
      await expect(ledger.connect(accounts.exporter).record(traceInput(B, "COMMISSIONING")))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerStepNotRecordable")
        .withArgs(STEPS.COMMISSIONING);
    });
  });
});
