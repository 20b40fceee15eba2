/**
 * The emergency pause: every ledger write entry point is refused with `ConsortiumPaused` while paused and
 * works again after `unpause`; admin functions and views keep working; the pause switch and the
 * permission matrix (which share storage words) do not disturb each other.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TraceLedger } from "../../typechain-types";
import {
  aggregation,
  creditCode,
  deployLedger,
  itemKey,
  recordHash,
  registration,
  signBatch,
  traceInput,
  type LedgerFixture,
  EVENT_TIME,
} from "../helpers/ledger";
import { MEMBER_NAMES } from "../helpers/ledger";
import { doc } from "../helpers/customs";
import { everyWriteFixture, WRITE_UNITS } from "../helpers/fixtures";
import { proofOf } from "../helpers/custody";
import { roleMask, STEPS } from "../../src/codes";
import { afterDelay } from "../helpers/governance";

const { ITEM, LOOSE, PACKED, CARTON, FULL } = WRITE_UNITS;

type Write = {
  name: string;
  /** Who sends the transaction. */
  sender: (f: LedgerFixture) => HardhatEthersSigner;
  send: (ledger: TraceLedger, f: LedgerFixture) => Promise<unknown>;
  /** One `Traced` log the successful call emits: unit, account, data. */
  traced?: (f: LedgerFixture) => [string, string, string];
  /** For a call that writes no entry (a handover offer): the event it emits and its arguments. */
  emitted?: (f: LedgerFixture) => [string, unknown[]];
  /** Runs before the ledger is paused. */
  prepare?: (f: LedgerFixture) => Promise<unknown>;
};

const WRITES: Write[] = [
  {
    name: "register",
    sender: (f) => f.accounts.exporter,
    send: (l) => l.register(registration(itemKey(10))),
    traced: (f) => [itemKey(10), f.accounts.exporter.address, recordHash(itemKey(10))],
  },
  {
    name: "registerBatch",
    sender: (f) => f.accounts.exporter,
    send: (l) => l.registerBatch([registration(itemKey(11)), registration(itemKey(12))]),
    traced: (f) => [itemKey(12), f.accounts.exporter.address, recordHash(itemKey(12))],
  },
  ...(
    [
      ["INSPECTING", "exporter"],
      ["RETAIL_SELLING", "exporter"],
      ["RECALL", "exporter"],
      ["HOLD", "customs"],
    ] as const
  ).map(([step, who]): Write => ({
    name: `record ${step} (permission word ${Math.floor(STEPS[step] / 15)})`,
    sender: (f) => f.accounts[who],
    send: (l) => l.record(traceInput(ITEM, step)),
    traced: (f) => [ITEM, f.accounts[who].address, recordHash(`${ITEM}:${step}`)],
  })),
  {
    name: "recordBatch",
    sender: (f) => f.accounts.exporter,
    send: (l) => l.recordBatch([traceInput(ITEM, "INSPECTING"), traceInput(ITEM, "STORING")]),
    traced: (f) => [ITEM, f.accounts.exporter.address, recordHash(`${ITEM}:STORING`)],
  },
  {
    name: "recordBySig (relayed by an address without an account)",
    sender: (f) => f.stranger,
    send: async (l, f) =>
      l.recordBySig([await signBatch(f.ledger, f.accounts.exporter, [traceInput(ITEM, "STORING")])]),
    traced: (f) => [ITEM, f.accounts.exporter.address, recordHash(`${ITEM}:STORING`)],
  },
  {
    name: "pack",
    sender: (f) => f.accounts.exporter,
    send: (l) => l.pack(aggregation(CARTON), [LOOSE]),
    traced: (f) => [LOOSE, f.accounts.exporter.address, CARTON],
  },
  {
    name: "unpack",
    sender: (f) => f.accounts.exporter,
    send: (l) => l.unpack(aggregation(FULL, "unpack"), [PACKED]),
    traced: (f) => [FULL, f.accounts.exporter.address, recordHash("unpack")],
  },
  {
    name: "handover",
    sender: (f) => f.accounts.exporter,
    send: (l, f) => l.handover(ITEM, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("handover")),
    emitted: (f) => [
      "HandoverOffered",
      [ITEM, f.orgIds.exporter, f.orgIds.warehouse, recordHash("handover"), EVENT_TIME, 0],
    ],
  },
  {
    name: "acceptHandover",
    prepare: (f) =>
      f.ledger.connect(f.accounts.exporter).handover(ITEM, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("offer")),
    sender: (f) => f.accounts.warehouse,
    send: (l) => l.acceptHandover(ITEM, EVENT_TIME, 0, recordHash("accept")),
    traced: (f) => [ITEM, f.accounts.warehouse.address, recordHash("accept")],
  },
  {
    name: "assign",
    sender: (f) => f.accounts.exporter,
    send: (l, f) => l.assign(ITEM, f.orgIds.broker, true, EVENT_TIME, recordHash("assign")),
    traced: (f) => [ITEM, f.accounts.exporter.address, recordHash("assign")],
  },
  // Customs documents (2.2): WAREHOUSE_BOOKED is in permission word 3.
  {
    name: "fileDocument (permission word 3)",
    sender: (f) => f.accounts.exporter,
    send: (l) => l.fileDocument(doc(ITEM, "BOOKING", "BK-PAUSE")),
    traced: (f) => [ITEM, f.accounts.exporter.address, doc(ITEM, "BOOKING", "BK-PAUSE").recordHash as string],
  },
  {
    name: "fileDocuments",
    sender: (f) => f.accounts.customs,
    send: (l) => l.fileDocuments([doc(ITEM, "ZONE_ENTRY", "Z-PAUSE")]),
    traced: (f) => [ITEM, f.accounts.customs.address, doc(ITEM, "ZONE_ENTRY", "Z-PAUSE").recordHash as string],
  },
  {
    name: "correct",
    sender: (f) => f.accounts.exporter,
    send: async (l) => l.correct(ITEM, 1, EVENT_TIME, recordHash("correct"), ...(await proofOf(l, ITEM, 1))),
    traced: (f) => [ITEM, f.accounts.exporter.address, recordHash("correct")],
  },
];

describe("Consortium: pause", () => {
  for (const w of WRITES) {
    it(`${w.name} is refused with ConsortiumPaused while paused and works after unpause`, async () => {
      const f = await loadFixture(everyWriteFixture);
      if (w.prepare) await w.prepare(f);
      await f.ledger.pause();
      const ledger = f.ledger.connect(w.sender(f));
      await expect(w.send(ledger, f)).to.be.revertedWithCustomError(f.ledger, "ConsortiumPaused");
      await f.ledger.unpause();
      if (w.emitted) {
        const [event, args] = w.emitted(f);
        await expect(w.send(ledger, f))
          .to.emit(f.ledger, event)
          .withArgs(...args);
      } else {
        await expect(w.send(ledger, f))
          .to.emit(f.ledger, "Traced")
          .withArgs(...w.traced!(f), anyValue);
      }
    });
  }

  it("a refused write leaves the unit unchanged", async () => {
    const f = await loadFixture(everyWriteFixture);
    const before = await f.ledger.unitState(ITEM);
    await f.ledger.pause();
    await expect(
      f.ledger.connect(f.accounts.exporter).record(traceInput(ITEM, "INSPECTING")),
    ).to.be.revertedWithCustomError(f.ledger, "ConsortiumPaused");
    const after = await f.ledger.unitState(ITEM);
    expect([after.head, after.seq, after.lastBlock]).to.deep.equal([before.head, before.seq, before.lastBlock]);
  });

  it("admin functions and views keep working while paused", async () => {
    const f = await loadFixture(everyWriteFixture);
    await f.ledger.pause();
    await expect(f.ledger.addOrganization("Late Co", creditCode(60), 0n, "0x4a50", roleMask("CARRIER")))
      .to.emit(f.ledger, "OrganizationAdded")
      .withArgs(MEMBER_NAMES.length + 1, "Late Co", creditCode(60), 0n, "0x4a50", roleMask("CARRIER"));
    await expect(f.ledger.addAccount(MEMBER_NAMES.length + 1, f.spare[0].address))
      .to.emit(f.ledger, "AccountAdded")
      .withArgs(f.spare[0].address, MEMBER_NAMES.length + 1, f.admin.address, true);
    await expect(f.ledger.suspendAccount(f.accounts.lab.address)).to.emit(f.ledger, "AccountSuspended");
    await expect(afterDelay(f.ledger, "setOrganizationRoles", f.orgIds.factory, roleMask("WAREHOUSE")))
      .to.emit(f.ledger, "OrganizationRolesChanged")
      .withArgs(f.orgIds.factory, roleMask("WAREHOUSE"));
    expect((await f.ledger.unitState(ITEM)).seq).to.equal(1);
    expect(await f.ledger.allowedRoles(STEPS.DEPARTING)).to.equal(roleMask("CARRIER"));
    expect(await f.ledger.paused()).to.equal(true);
  });

  it("pausing does not change any allowedRoles value", async () => {
    const f = await loadFixture(deployLedger);
    const read = async () => {
      const out: bigint[] = [];
      for (let s = 1; s <= STEPS.MAX; s++) out.push(await f.ledger.allowedRoles(s));
      return out;
    };
    const before = await read();
    await f.ledger.pause();
    expect(await read()).to.deep.equal(before);
    await f.ledger.unpause();
    expect(await read()).to.deep.equal(before);
  });

  it("setPermissions while paused keeps every permission word paused, and the new masks apply after unpause", async () => {
    const f = await loadFixture(everyWriteFixture);
    await f.ledger.pause();
    // One step in each of the three matrix words, including the last lane of a word (14) and the first (15).
    const steps = [STEPS.UNLOADING, STEPS.RETAIL_SELLING, STEPS.CUSTOMS_INSPECTED, STEPS.RECALL_LIFTED];
    const all = roleMask("EXPORTER", "CUSTOMS");
    await afterDelay(
      f.ledger,
      "setPermissions",
      steps,
      steps.map(() => all),
    );
    expect(await f.ledger.paused()).to.equal(true);
    const ex = f.ledger.connect(f.accounts.exporter);
    for (const step of ["UNLOADING", "RETAIL_SELLING", "CUSTOMS_INSPECTED"] as const) {
      await expect(ex.record(traceInput(ITEM, step))).to.be.revertedWithCustomError(f.ledger, "ConsortiumPaused");
    }
    await f.ledger.unpause();
    for (const s of steps) expect(await f.ledger.allowedRoles(s)).to.equal(all);
    await expect(ex.record(traceInput(ITEM, "UNLOADING")))
      .to.emit(f.ledger, "Traced")
      .withArgs(ITEM, f.accounts.exporter.address, recordHash(`${ITEM}:UNLOADING`), anyValue);
  });
});
