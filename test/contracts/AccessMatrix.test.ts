/**
 * Access matrix of `record`: every recordable step × every member organization is either recorded (when the
 * default matrix lets the member's role record the step) or refused with `ConsortiumStepNotAllowed`.
 * Scope and stage are taken out of the question: the unit is registered by the exporter, every
 * non-regulator member is assigned to it, and the unit is put in a stage (and flag) where the step passes
 * the state machine. Also the steps and dispositions `record` itself refuses.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  deployLedger,
  itemKey,
  MEMBERS,
  recordHash,
  registration,
  traceInput,
  type MemberName,
  EVENT_TIME,
} from "../helpers/ledger";
import {
  ASSIGNEES,
  DEDICATED_STEPS,
  MATRIX_MEMBERS,
  RECORDABLE_MATRIX,
  RECORDABLE_STEPS,
  type RecordableStep,
} from "../helpers/matrix";
import { declareExport } from "../helpers/customs";
import {
  decodeInfo,
  DISPOSITIONS,
  FLAGS,
  roleMask,
  STAGES,
  STEPS,
  type RoleName,
  type StepName,
} from "../../src/codes";

/** Steps (by whom) that put the unit where the step under test passes the state machine. */
type Prep = Array<[MemberName, StepName]>;
const DECLARE: Prep = [["exporter", "CUSTOMS_DECLARED"]];
const RELEASE: Prep = [...DECLARE, ["customs", "CUSTOMS_RELEASED"]];
const DEPART: Prep = [...RELEASE, ["carrier", "DEPARTING"]];
const PREP: Partial<Record<RecordableStep, Prep>> = {
  CUSTOMS_INSPECTED: DECLARE,
  CUSTOMS_HELD: DECLARE,
  CUSTOMS_RELEASED: DECLARE,
  CUSTOMS_RETURNED: DECLARE,
  CUSTOMS_REJECTED: DECLARE,
  DEPARTING: RELEASE,
  CUSTOMS_EXITED: DEPART,
  DELIVERED: DEPART,
  RETURNED: DEPART,
  HOLD_LIFTED: [["customs", "HOLD"]],
  FLAG_LIFTED: [["market", "FLAGGED"]],
  RECALL_LIFTED: [["exporter", "RECALL"]],
};
/** Stage and flags the preparation must reach (checked, so a broken preparation cannot hide a result). */
const PREPARED: Partial<Record<RecordableStep, [number, number]>> = {
  CUSTOMS_INSPECTED: [STAGES.DECLARED, 0],
  CUSTOMS_HELD: [STAGES.DECLARED, 0],
  CUSTOMS_RELEASED: [STAGES.DECLARED, 0],
  CUSTOMS_RETURNED: [STAGES.DECLARED, 0],
  CUSTOMS_REJECTED: [STAGES.DECLARED, 0],
  DEPARTING: [STAGES.RELEASED, 0],
  CUSTOMS_EXITED: [STAGES.DEPARTED, 0],
  DELIVERED: [STAGES.DEPARTED, 0],
  RETURNED: [STAGES.DEPARTED, 0],
  HOLD_LIFTED: [STAGES.ACTIVE, FLAGS.HELD],
  FLAG_LIFTED: [STAGES.ACTIVE, FLAGS.FLAGGED],
  RECALL_LIFTED: [STAGES.ACTIVE, FLAGS.RECALLED],
};

const UNIT = itemKey(1);

/** One named fixture per step, so that loadFixture snapshots each prepared unit once. */
const stepFixtures = new Map<RecordableStep, () => Promise<Awaited<ReturnType<typeof deployLedger>>>>();
function stepFixture(step: RecordableStep) {
  let fixture = stepFixtures.get(step);
  if (!fixture) {
    fixture = async function preparedUnit() {
      const f = await loadFixture(deployLedger);
      const ex = f.ledger.connect(f.accounts.exporter);
      await ex.register(registration(UNIT));
      for (const m of ASSIGNEES) await ex.assign(UNIT, f.orgIds[m], true, EVENT_TIME, recordHash(`assign:${m}`));
      for (const [m, s] of PREP[step] ?? []) {
        if (s === "CUSTOMS_DECLARED") await (await declareExport(f, UNIT, 1210, { by: m, tag: "prep" })).wait();
        else await f.ledger.connect(f.accounts[m]).record(traceInput(UNIT, s, { label: "prep" }));
      }
      const state = await f.ledger.unitState(UNIT);
      const [stage, flags] = PREPARED[step] ?? [STAGES.ACTIVE, 0];
      if (Number(state.stage) !== stage || Number(state.flags) !== flags)
        throw new Error(`bad preparation for ${step}`);
      return f;
    };
    stepFixtures.set(step, fixture);
  }
  return fixture;
}

describe("AccessMatrix: record", () => {
  it(`covers ${RECORDABLE_STEPS.length} recordable steps × ${MATRIX_MEMBERS.length} members`, () => {
    expect(RECORDABLE_STEPS.length).to.equal(STEPS.MAX - DEDICATED_STEPS.length);
    expect(Object.keys(RECORDABLE_MATRIX).sort()).to.deep.equal([...RECORDABLE_STEPS].sort());
  });

  for (const step of RECORDABLE_STEPS) {
    describe(`${STEPS[step]} ${step}`, () => {
      for (const member of MATRIX_MEMBERS) {
        const role = MEMBERS[member][0] as RoleName;
        const allowed = RECORDABLE_MATRIX[step].includes(role);
        it(`${member} (${role}) is ${allowed ? "allowed" : "refused"}`, async () => {
          const { ledger, accounts, orgIds } = await loadFixture(stepFixture(step));
          const account = accounts[member];
          const input = traceInput(UNIT, step, { label: `${member}:${step}`, disposition: DISPOSITIONS.ACTIVE });
          if (!allowed) {
            await expect(ledger.connect(account).record(input))
              .to.be.revertedWithCustomError(ledger, "ConsortiumStepNotAllowed")
              .withArgs(account.address, orgIds[member], STEPS[step], roleMask(role));
            return;
          }
          const seq = (await ledger.unitState(UNIT)).seq + 1n;
          const tx = await ledger.connect(account).record(input);
          await expect(tx).to.emit(ledger, "Traced").withArgs(UNIT, account.address, input.recordHash, anyValue);
          const log = (await tx.wait())!.logs
            .map((l) => ledger.interface.parseLog(l))
            .find((p) => p?.name === "Traced")!;
          const info = decodeInfo(log.args.info);
          expect([info.step, info.disposition, info.seq, info.org]).to.deep.equal([
            STEPS[step],
            DISPOSITIONS.ACTIVE,
            Number(seq),
            orgIds[member],
          ]);
          expect((await ledger.unitState(UNIT)).seq).to.equal(seq);
        });
      }
    });
  }
});

describe("AccessMatrix: steps and dispositions record refuses", () => {
  const notRecordable: Array<[string, number]> = [
    ["0", 0],
    [`Steps.MAX + 1 (${STEPS.MAX + 1})`, STEPS.MAX + 1],
    ["63", 63],
    ["64", 64],
    ["255", 255],
    ...DEDICATED_STEPS.map((s): [string, number] => [`${s} (${STEPS[s]}, own entry point)`, STEPS[s]]),
  ];
  for (const [label, step] of notRecordable) {
    it(`step ${label} → TraceLedgerStepNotRecordable`, async () => {
      const { ledger, accounts } = await loadFixture(stepFixture("INSPECTING"));
      // The exporter (registrant) and customs (regulator) are both in scope; neither may record it.
      for (const who of ["exporter", "customs"] as const) {
        await expect(ledger.connect(accounts[who]).record({ ...traceInput(UNIT, "INSPECTING"), step }))
          .to.be.revertedWithCustomError(ledger, "TraceLedgerStepNotRecordable")
          .withArgs(step);
      }
    });
  }

  for (const disposition of [DISPOSITIONS.MAX + 1, 100, 255]) {
    it(`disposition ${disposition} → TraceLedgerInvalidDisposition`, async () => {
      const { ledger, accounts } = await loadFixture(stepFixture("INSPECTING"));
      await expect(ledger.connect(accounts.exporter).record(traceInput(UNIT, "INSPECTING", { disposition })))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidDisposition")
        .withArgs(disposition);
    });
  }

  it(`disposition Dispositions.MAX (${DISPOSITIONS.MAX}) and 0 are accepted`, async () => {
    const { ledger, accounts } = await loadFixture(stepFixture("INSPECTING"));
    for (const [i, disposition] of [DISPOSITIONS.MAX, DISPOSITIONS.NONE].entries()) {
      const input = traceInput(UNIT, "INSPECTING", { disposition, label: `disp${i}` });
      const tx = await ledger.connect(accounts.exporter).record(input);
      await expect(tx).to.emit(ledger, "Traced").withArgs(UNIT, accounts.exporter.address, input.recordHash, anyValue);
      const log = (await tx.wait())!.logs.map((l) => ledger.interface.parseLog(l)).find((p) => p?.name === "Traced")!;
      expect(decodeInfo(log.args.info).disposition).to.equal(disposition);
    }
  });
});
