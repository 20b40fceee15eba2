/**
 * Access matrix of the dedicated entry points: register (COMMISSIONING), pack (PACKING), unpack
 * (UNPACKING), handover and acceptHandover (CUSTODY_TRANSFERRED), assign (ASSIGNED) and correct (CORRECTION), per member
 * organization: allowed when the default matrix lets its role record the step, else refused with
 * `ConsortiumStepNotAllowed`. Each member is put in scope (assigned) and, where needed, made custodian,
 * so that only the permission decides.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { ContractTransactionResponse } from "ethers";
import type { TraceLedger } from "../../typechain-types";
import {
  aggregation,
  authorizeUnderExporter,
  cartonKey,
  itemKey,
  MEMBERS,
  recordHash,
  registration,
  rivalItemKey,
  traceInput,
  type LedgerFixture,
  type MemberName,
  EVENT_TIME,
} from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { ALL_ROLES, ASSIGNEES, DEFAULT_MATRIX, MATRIX_MEMBERS, type MatrixMember } from "../helpers/matrix";
import { tracedLogs } from "../helpers/reads";
import { roleMask, STEPS, type RoleName, type StepName } from "../../src/codes";
import { NO_PROOF, handOver, proofOf } from "../helpers/custody";
import { afterDelay } from "../helpers/governance";

const PACK_PARENT = cartonKey(1);
const PACK_CHILD = itemKey(1);
const FULL_PARENT = cartonKey(2);
const PACKED_CHILD = itemKey(2);
const CORRECTED = itemKey(3);
const HELD_IN_CUSTODY = itemKey(4);
/** The member's own entry on CORRECTED: after the registration and the assignments. */
const OWN_ENTRY = 2 + ASSIGNEES.length;

/** Units registered by the exporter with every non-regulator member assigned; one child already packed. */
const entryFixture = unitsFixture({
  each: [PACK_PARENT, PACK_CHILD, FULL_PARENT, PACKED_CHILD, CORRECTED, HELD_IN_CUSTODY],
  packs: [[FULL_PARENT, [PACKED_CHILD], "setup"]],
  assigns: [PACK_PARENT, PACK_CHILD, FULL_PARENT, CORRECTED].flatMap((u) =>
    ASSIGNEES.map((m): [string, MemberName, string] => [u, m, `assign:${m}`]),
  ),
});

/**
 * Expects the entries of a one-child pack or unpack by `member`: the child's (data = parent), then the
 * parent's (data = the record hash of `label`), both with `step` and the member's organization.
 */
async function expectChildAndParentEntries(
  f: LedgerFixture,
  member: MatrixMember,
  tx: ContractTransactionResponse,
  child: string,
  parent: string,
  label: string,
  step: "PACKING" | "UNPACKING",
) {
  const account = f.accounts[member].address;
  await expect(tx)
    .to.emit(f.ledger, "Traced")
    .withArgs(child, account, parent, anyValue)
    .and.to.emit(f.ledger, "Traced")
    .withArgs(parent, account, recordHash(label), anyValue);
  const logs = await tracedLogs(f.ledger, tx);
  expect(logs.map((e) => [e.unit, e.step, e.org])).to.deep.equal([
    [child, STEPS[step], f.orgIds[member]],
    [parent, STEPS[step], f.orgIds[member]],
  ]);
  return logs;
}

/**
 * The exporter hands HELD_IN_CUSTODY to `member`, making it the custodian — when the member's role may
 * accept custody; a member that may not is refused by the step check before custody is looked at.
 */
async function makeCustodian(f: LedgerFixture, member: MatrixMember) {
  const role = MEMBERS[member][0] as RoleName;
  if (member !== "exporter" && DEFAULT_MATRIX.CUSTODY_TRANSFERRED.includes(role)) {
    await handOver(f, HELD_IN_CUSTODY, "exporter", member, "to member");
  }
}

type EntryPoint = {
  name: string;
  step: StepName;
  prepare?: (f: LedgerFixture, member: MatrixMember) => Promise<unknown>;
  send: (ledger: TraceLedger, f: LedgerFixture, member: MatrixMember) => Promise<ContractTransactionResponse>;
  /** Checks a successful call's logs and state. */
  check: (f: LedgerFixture, member: MatrixMember, tx: ContractTransactionResponse) => Promise<void>;
};

const ENTRY_POINTS: EntryPoint[] = [
  {
    name: "register",
    step: "COMMISSIONING",
    // The code is the exporter's (prefix registry 2.1): every other member is its authorized manufacturer,
    // so that only the permission decides.
    prepare: async (f, m) => {
      if (m !== "exporter") await authorizeUnderExporter(f, m);
    },
    send: (l, f, m) => l.register(registration(itemKey(100, m))),
    check: async (f, m, tx) => {
      const unit = itemKey(100, m);
      const account = f.accounts[m].address;
      await expect(tx).to.emit(f.ledger, "Traced").withArgs(unit, account, recordHash(unit), anyValue);
      const [e] = await tracedLogs(f.ledger, tx);
      expect([e.step, e.seq, e.org, e.prevBlock]).to.deep.equal([STEPS.COMMISSIONING, 1, f.orgIds[m], 0]);
      const s = await f.ledger.unitState(unit);
      expect([s.seq, s.registrant, s.custodian]).to.deep.equal([1n, BigInt(f.orgIds[m]), BigInt(f.orgIds[m])]);
    },
  },
  {
    name: "pack",
    step: "PACKING",
    send: (l) => l.pack(aggregation(PACK_PARENT, "pack"), [PACK_CHILD]),
    check: async (f, m, tx) => {
      const logs = await expectChildAndParentEntries(f, m, tx, PACK_CHILD, PACK_PARENT, "pack", "PACKING");
      expect(logs[1].aux).to.equal(1n);
      expect((await f.ledger.unitState(PACK_CHILD)).parent).to.equal(PACK_PARENT);
    },
  },
  {
    name: "unpack",
    step: "UNPACKING",
    send: (l) => l.unpack(aggregation(FULL_PARENT, "unpack"), [PACKED_CHILD]),
    check: async (f, m, tx) => {
      await expectChildAndParentEntries(f, m, tx, PACKED_CHILD, FULL_PARENT, "unpack", "UNPACKING");
      const s = await f.ledger.unitState(PACKED_CHILD);
      expect([s.parent, s.custodian]).to.deep.equal([
        "0x" + "00".repeat(32),
        BigInt(f.orgIds.exporter), // the parent's custodian
      ]);
    },
  },
  {
    name: "handover",
    step: "CUSTODY_TRANSFERRED",
    prepare: makeCustodian,
    send: (l, f) => l.handover(HELD_IN_CUSTODY, f.orgIds.rival, EVENT_TIME, 0, recordHash("handover")),
    check: async (f, m, tx) => {
      await expect(tx)
        .to.emit(f.ledger, "HandoverOffered")
        .withArgs(HELD_IN_CUSTODY, f.orgIds[m], f.orgIds.rival, recordHash("handover"), EVENT_TIME, 0);
      expect((await tracedLogs(f.ledger, tx)).length).to.equal(0);
      const seq = (await f.ledger.unitState(HELD_IN_CUSTODY)).seq;
      expect(await f.ledger.handoverOffer(HELD_IN_CUSTODY)).to.deep.equal([
        BigInt(f.orgIds[m]),
        BigInt(f.orgIds.rival),
        seq,
      ]);
      await f.ledger.connect(f.accounts.rival).acceptHandover(HELD_IN_CUSTODY, EVENT_TIME, 0, recordHash("accepted"));
      expect((await f.ledger.unitState(HELD_IN_CUSTODY)).custodian).to.equal(f.orgIds.rival);
    },
  },
  {
    name: "acceptHandover",
    step: "CUSTODY_TRANSFERRED",
    // The exporter (or, for the exporter itself, the rival holding a unit of its own) offers to the member.
    prepare: async (f, m) => {
      if (m === "exporter") {
        await f.ledger.connect(f.accounts.rival).register(registration(rivalItemKey(300)));
        await f.ledger
          .connect(f.accounts.rival)
          .handover(rivalItemKey(300), f.orgIds.exporter, EVENT_TIME, 0, recordHash("offer"));
      } else {
        await f.ledger
          .connect(f.accounts.exporter)
          .handover(HELD_IN_CUSTODY, f.orgIds[m], EVENT_TIME, 0, recordHash("offer"));
      }
    },
    send: (l, f, m) =>
      l.acceptHandover(m === "exporter" ? rivalItemKey(300) : HELD_IN_CUSTODY, EVENT_TIME, 0, recordHash("accept")),
    check: async (f, m, tx) => {
      const unit = m === "exporter" ? rivalItemKey(300) : HELD_IN_CUSTODY;
      await expect(tx)
        .to.emit(f.ledger, "Traced")
        .withArgs(unit, f.accounts[m].address, recordHash("accept"), anyValue);
      const [e] = await tracedLogs(f.ledger, tx);
      expect([e.step, e.org, e.aux]).to.deep.equal([STEPS.CUSTODY_TRANSFERRED, f.orgIds[m], BigInt(f.orgIds[m])]);
      expect((await f.ledger.unitState(unit)).custodian).to.equal(f.orgIds[m]);
    },
  },
  {
    name: "assign",
    step: "ASSIGNED",
    prepare: makeCustodian,
    send: (l, f) => l.assign(HELD_IN_CUSTODY, f.orgIds.rival, true, EVENT_TIME, recordHash("assign")),
    check: async (f, m, tx) => {
      await expect(tx)
        .to.emit(f.ledger, "Traced")
        .withArgs(HELD_IN_CUSTODY, f.accounts[m].address, recordHash("assign"), anyValue);
      const [e] = await tracedLogs(f.ledger, tx);
      expect([e.step, e.org, e.aux]).to.deep.equal([STEPS.ASSIGNED, f.orgIds[m], BigInt(f.orgIds.rival)]);
      expect(await f.ledger.isAssigned(HELD_IN_CUSTODY, f.orgIds.rival)).to.equal(true);
    },
  },
  {
    name: "correct",
    step: "CORRECTION",
    // Corrections are by the entry's author (trust model v2): the member first records an entry of its own.
    prepare: async (f, m) => {
      await (await afterDelay(f.ledger, "setPermissions", [STEPS.INSPECTING], [ALL_ROLES])).wait();
      await f.ledger.connect(f.accounts[m]).record(traceInput(CORRECTED, "INSPECTING", { label: `by ${m}` }));
    },
    send: async (l) =>
      l.correct(CORRECTED, OWN_ENTRY, EVENT_TIME, recordHash("correct"), ...(await proofOf(l, CORRECTED, OWN_ENTRY))),
    check: async (f, m, tx) => {
      await expect(tx)
        .to.emit(f.ledger, "Traced")
        .withArgs(CORRECTED, f.accounts[m].address, recordHash("correct"), anyValue);
      const [e] = await tracedLogs(f.ledger, tx);
      expect([e.step, e.seq, e.org, e.aux]).to.deep.equal([
        STEPS.CORRECTION,
        OWN_ENTRY + 1,
        f.orgIds[m],
        BigInt(OWN_ENTRY),
      ]);
      expect((await f.ledger.unitState(CORRECTED)).seq).to.equal(OWN_ENTRY + 1);
    },
  },
];

describe("AccessMatrix: dedicated entry points", () => {
  for (const ep of ENTRY_POINTS) {
    describe(`${ep.name} (${ep.step})`, () => {
      const roles = DEFAULT_MATRIX[ep.step];
      it("the default matrix matches this table", async () => {
        const { ledger } = await loadFixture(entryFixture);
        expect(await ledger.allowedRoles(STEPS[ep.step])).to.equal(roleMask(...roles));
      });

      for (const member of MATRIX_MEMBERS) {
        const role = MEMBERS[member][0] as RoleName;
        const allowed = roles.includes(role);
        it(`${member} (${role}) is ${allowed ? "allowed" : "refused"}`, async () => {
          const f = await loadFixture(entryFixture);
          if (ep.prepare) await ep.prepare(f, member);
          const ledger = f.ledger.connect(f.accounts[member]);
          if (allowed) {
            await ep.check(f, member, await ep.send(ledger, f, member));
          } else {
            await expect(ep.send(ledger, f, member))
              .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
              .withArgs(f.accounts[member].address, f.orgIds[member], STEPS[ep.step], roleMask(role));
          }
        });
      }
    });
  }

  describe("narrowed by setPermissions", () => {
    const narrowed: Array<[string, StepName, (l: TraceLedger, f: LedgerFixture) => Promise<unknown>]> = [
      ["correct", "CORRECTION", (l) => l.correct(CORRECTED, 1, EVENT_TIME, recordHash("c"), ...NO_PROOF)],
      ["register", "COMMISSIONING", (l) => l.register(registration(itemKey(200)))],
      ["pack", "PACKING", (l) => l.pack(aggregation(PACK_PARENT), [PACK_CHILD])],
      ["unpack", "UNPACKING", (l) => l.unpack(aggregation(FULL_PARENT), [PACKED_CHILD])],
      [
        "handover",
        "CUSTODY_TRANSFERRED",
        (l, f) => l.handover(HELD_IN_CUSTODY, f.orgIds.rival, EVENT_TIME, 0, recordHash("h")),
      ],
      ["assign", "ASSIGNED", (l, f) => l.assign(HELD_IN_CUSTODY, f.orgIds.rival, true, EVENT_TIME, recordHash("a"))],
    ];
    for (const [name, step, send] of narrowed) {
      it(`${name}: the exporter is refused once ${step} is given to customs only`, async () => {
        const f = await loadFixture(entryFixture);
        await expect(afterDelay(f.ledger, "setPermissions", [STEPS[step]], [roleMask("CUSTOMS")]))
          .to.emit(f.ledger, "PermissionChanged")
          .withArgs(STEPS[step], roleMask("CUSTOMS"));
        await expect(send(f.ledger.connect(f.accounts.exporter), f))
          .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
          .withArgs(f.accounts.exporter.address, f.orgIds.exporter, STEPS[step], roleMask("EXPORTER"));
      });
    }
  });
});
