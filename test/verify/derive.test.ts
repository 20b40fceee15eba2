/** The status a proven history implies (pure: synthetic histories, no chain). */
import { expect } from "chai";
import type { Hex } from "viem";
import { FLAGS, STAGES, STEPS, stageName, stepName } from "../../src/codes";
import { StatusDeriver, disagreements } from "../../src/verify/derive";
import type { TraceEntry, UnitHistory, UnitState } from "../../src/read/types";

const ITEM = `0x${"11".repeat(32)}` as Hex;
const CARTON = `0x${"22".repeat(32)}` as Hex;
const PALLET = `0x${"33".repeat(32)}` as Hex;

let block = 0n;
/** Appends an entry to a unit's list, one block after the previous entry of any unit. */
function add(list: TraceEntry[], unit: Hex, step: number, extra: Partial<TraceEntry> = {}): void {
  block += 1n;
  list.push({
    unit,
    account: "0x0000000000000000000000000000000000000001",
    data: `0x${"44".repeat(32)}`,
    info: 0n,
    seq: list.length + 1,
    step,
    stepName: stepName(step),
    disposition: 0,
    eventTime: 0,
    location: 0n,
    prevBlock: 0,
    org: 1,
    aux: 0n,
    blockNumber: block,
    blockTime: Number(block),
    logIndex: 0,
    transactionHash: `0x${"55".repeat(32)}`,
    blockHash: `0x${"66".repeat(32)}`,
    ...extra,
  });
}

function served(unit: Hex, extra: Partial<UnitState> = {}): UnitState {
  return {
    unit,
    registered: true,
    head: "0x",
    seq: 1,
    lastBlock: 1n,
    stage: STAGES.ACTIVE,
    stageName: stageName(STAGES.ACTIVE),
    held: false,
    recalled: false,
    flagged: false,
    packed: false,
    holdsStopped: false,
    registrant: 1,
    custodian: 1,
    parent: undefined,
    ...extra,
  };
}

function histories(lists: Record<Hex, TraceEntry[]>): Map<Hex, UnitHistory> {
  return new Map(
    Object.entries(lists).map(([unit, entries]) => [
      unit as Hex,
      {
        state: served(unit as Hex),
        entries,
        recomputedHead: "0x",
        intact: true,
        logQueries: 1,
        headers: new Map(),
      },
    ]),
  );
}

const pack = (list: TraceEntry[], child: Hex, parent: Hex) => add(list, child, STEPS.PACKING, { data: parent });
const unpack = (list: TraceEntry[], child: Hex, parent: Hex) => add(list, child, STEPS.UNPACKING, { data: parent });

describe("derive: a unit's status from its proven entries", () => {
  beforeEach(() => {
    block = 0n;
  });

  it("the registration gives the registrant (the first entry's organization) and ACTIVE", () => {
    const item: TraceEntry[] = [];
    add(item, ITEM, STEPS.COMMISSIONING, { org: 7 });
    add(item, ITEM, STEPS.INSPECTING, { org: 3 });
    const d = new StatusDeriver(histories({ [ITEM]: item })).current(ITEM)!;
    expect(d).to.deep.equal({
      registrant: 7,
      stage: STAGES.ACTIVE,
      held: false,
      recalled: false,
      flagged: false,
      packed: false,
      parent: undefined,
    });
  });

  it("customs and logistics steps move the stage; holds, flags and recalls set and lift", () => {
    const item: TraceEntry[] = [];
    add(item, ITEM, STEPS.COMMISSIONING);
    add(item, ITEM, STEPS.CUSTOMS_DECLARED);
    add(item, ITEM, STEPS.CUSTOMS_HELD);
    expect(new StatusDeriver(histories({ [ITEM]: item })).current(ITEM)).to.include({
      stage: STAGES.DECLARED,
      held: true,
    });
    add(item, ITEM, STEPS.HOLD_LIFTED);
    add(item, ITEM, STEPS.CUSTOMS_RELEASED);
    add(item, ITEM, STEPS.DEPARTING);
    add(item, ITEM, STEPS.FLAGGED);
    add(item, ITEM, STEPS.RECALL);
    add(item, ITEM, STEPS.DELIVERED);
    expect(new StatusDeriver(histories({ [ITEM]: item })).current(ITEM)).to.include({
      stage: STAGES.DELIVERED,
      held: false,
      flagged: true,
      recalled: true,
    });
    add(item, ITEM, STEPS.RECALL_LIFTED);
    add(item, ITEM, STEPS.FLAG_LIFTED);
    add(item, ITEM, STEPS.RETURNED);
    add(item, ITEM, STEPS.DESTROYING);
    expect(new StatusDeriver(histories({ [ITEM]: item })).current(ITEM)).to.include({
      stage: STAGES.DESTROYED,
      flagged: false,
      recalled: false,
    });
  });

  it("packing names the parent; unpacking keeps the parent's stage, recall and flag (not its hold)", () => {
    const item: TraceEntry[] = [];
    const carton: TraceEntry[] = [];
    add(carton, CARTON, STEPS.COMMISSIONING);
    add(item, ITEM, STEPS.COMMISSIONING);
    pack(item, ITEM, CARTON);
    add(carton, CARTON, STEPS.PACKING, { aux: 1n });
    expect(new StatusDeriver(histories({ [ITEM]: item, [CARTON]: carton })).current(ITEM)).to.include({
      packed: true,
      parent: CARTON,
      stage: STAGES.ACTIVE,
    });
    add(carton, CARTON, STEPS.CUSTOMS_DECLARED);
    add(carton, CARTON, STEPS.CUSTOMS_RELEASED);
    add(carton, CARTON, STEPS.DEPARTING);
    add(carton, CARTON, STEPS.RECALL);
    add(carton, CARTON, STEPS.FLAGGED);
    add(carton, CARTON, STEPS.HOLD);
    // The item's own status did not move while inside: the carton's holds for it.
    const inside = new StatusDeriver(histories({ [ITEM]: item, [CARTON]: carton }));
    expect(inside.current(ITEM)).to.include({ stage: STAGES.ACTIVE, recalled: false });
    const eff = inside.effectiveBefore(ITEM, 10_000_000_000n);
    expect(eff & FLAGS.STAGE_MASK).to.equal(STAGES.DEPARTED);
    expect(eff & (FLAGS.RECALLED | FLAGS.FLAGGED | FLAGS.HELD)).to.equal(FLAGS.RECALLED | FLAGS.FLAGGED | FLAGS.HELD);
    add(carton, CARTON, STEPS.HOLD_LIFTED);
    unpack(item, ITEM, CARTON);
    add(carton, CARTON, STEPS.UNPACKING, { aux: 1n });
    expect(new StatusDeriver(histories({ [ITEM]: item, [CARTON]: carton })).current(ITEM)).to.deep.equal({
      registrant: 1,
      stage: STAGES.DEPARTED,
      held: false,
      recalled: true,
      flagged: true,
      packed: false,
      parent: undefined,
    });
  });

  it("the parent's status counts only from entries before the unpacking, through every level", () => {
    const item: TraceEntry[] = [];
    const carton: TraceEntry[] = [];
    const pallet: TraceEntry[] = [];
    add(pallet, PALLET, STEPS.COMMISSIONING);
    add(carton, CARTON, STEPS.COMMISSIONING);
    add(item, ITEM, STEPS.COMMISSIONING);
    pack(item, ITEM, CARTON);
    pack(carton, CARTON, PALLET);
    add(pallet, PALLET, STEPS.CUSTOMS_DECLARED);
    add(pallet, PALLET, STEPS.CUSTOMS_RELEASED);
    unpack(item, ITEM, CARTON);
    // Recorded after the item left: not the item's.
    add(pallet, PALLET, STEPS.DEPARTING);
    add(pallet, PALLET, STEPS.RECALL);
    const d = new StatusDeriver(histories({ [ITEM]: item, [CARTON]: carton, [PALLET]: pallet })).current(ITEM)!;
    expect([d.stage, d.recalled, d.packed]).to.deep.equal([STAGES.RELEASED, false, false]);
  });

  it("DEPARTING on a packed unit moves its own stage to at least DEPARTED, from the effective stage", () => {
    const item: TraceEntry[] = [];
    const carton: TraceEntry[] = [];
    add(carton, CARTON, STEPS.COMMISSIONING);
    add(item, ITEM, STEPS.COMMISSIONING);
    pack(item, ITEM, CARTON);
    add(carton, CARTON, STEPS.CUSTOMS_DECLARED);
    add(carton, CARTON, STEPS.CUSTOMS_RELEASED);
    add(carton, CARTON, STEPS.DEPARTING);
    add(carton, CARTON, STEPS.CUSTOMS_EXITED);
    add(item, ITEM, STEPS.DEPARTING);
    expect(new StatusDeriver(histories({ [ITEM]: item, [CARTON]: carton })).current(ITEM)!.stage).to.equal(
      STAGES.EXITED,
    );
  });

  it("a parent whose history is not given is reported missing, not guessed", () => {
    const item: TraceEntry[] = [];
    add(item, ITEM, STEPS.COMMISSIONING);
    pack(item, ITEM, CARTON);
    unpack(item, ITEM, CARTON);
    const deriver = new StatusDeriver(histories({ [ITEM]: item }));
    deriver.current(ITEM);
    expect([...deriver.missing]).to.deep.equal([CARTON]);
  });

  it("disagreements name every served field the history contradicts", () => {
    const item: TraceEntry[] = [];
    add(item, ITEM, STEPS.COMMISSIONING, { org: 2 });
    add(item, ITEM, STEPS.RECALL);
    pack(item, ITEM, CARTON);
    const derived = new StatusDeriver(histories({ [ITEM]: item })).current(ITEM)!;
    const honest = served(ITEM, { registrant: 2, recalled: true, packed: true, parent: CARTON });
    expect(disagreements(honest, derived)).to.deep.equal([]);
    const lying = served(ITEM, {
      registrant: 5,
      recalled: false,
      packed: true,
      parent: PALLET,
      stage: STAGES.RELEASED,
    });
    expect(disagreements(lying, derived).map((d) => [d.field, d.served, d.derived])).to.deep.equal([
      ["registrant", "5", "2"],
      ["stage", String(STAGES.RELEASED), String(STAGES.ACTIVE)],
      ["recalled", "false", "true"],
      ["parent", PALLET, CARTON],
    ]);
  });
});
