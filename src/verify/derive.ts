/**
 * A unit's status as its proven history implies it: registrant, stage, hold / recall / flag, and the
 * parent it is packed in. The verifier shows these, so it derives them from the entries whose hash chain
 * it checked, never from `unitState` as an endpoint serves it (only the head and count of that are
 * proven), and fails a unit whose served state disagrees. Pure: the histories are read beforehand.
 *
 * Only the *outcome* of each entry is modelled (an entry on the chain was accepted, so it was allowed):
 *   - the registration makes the unit ACTIVE with no flags; its organization is the registrant;
 *   - a child-side PACKING entry (aux 0) puts the unit in the parent its data names, the matching
 *     UNPACKING takes it out with at least the parent's effective stage and its recall and flag;
 *   - customs and logistics steps move the stage (DEPARTING to at least DEPARTED, from the effective stage);
 *   - HOLD / CUSTOMS_HELD, FLAGGED, RECALL set a flag and their *_LIFTED steps clear it;
 *   - DESTROYING and DECOMMISSIONING end in DESTROYED.
 */
import type { Hex } from "viem";
import { FLAGS, STAGES, STEPS } from "../codes";
import type { TraceEntry, UnitHistory, UnitState } from "../read/types";

/** The fields of a unit's state its history proves. */
export interface DerivedStatus {
  registrant: number;
  stage: number;
  held: boolean;
  recalled: boolean;
  flagged: boolean;
  packed: boolean;
  parent: Hex | undefined;
}

/** A field of the served state that its history contradicts. */
export interface StateDisagreement {
  unit: Hex;
  field: keyof DerivedStatus;
  served: string;
  derived: string;
}

/** Flags a parent's status passes to what is packed in it (the contract's `INHERITED_FLAGS`). */
const INHERITED = FLAGS.HELD | FLAGS.RECALLED | FLAGS.FLAGGED;
/** Flags a child keeps from its parent when unpacked. */
const KEPT_ON_UNPACK = FLAGS.RECALLED | FLAGS.FLAGGED;

const FLAG_STEPS: Record<number, { flag: number; set: boolean }> = {
  [STEPS.HOLD]: { flag: FLAGS.HELD, set: true },
  [STEPS.CUSTOMS_HELD]: { flag: FLAGS.HELD, set: true },
  [STEPS.HOLD_LIFTED]: { flag: FLAGS.HELD, set: false },
  [STEPS.FLAGGED]: { flag: FLAGS.FLAGGED, set: true },
  [STEPS.FLAG_LIFTED]: { flag: FLAGS.FLAGGED, set: false },
  [STEPS.RECALL]: { flag: FLAGS.RECALLED, set: true },
  [STEPS.RECALL_LIFTED]: { flag: FLAGS.RECALLED, set: false },
};

/** The stage a successful stage step leaves (DEPARTING depends on the effective stage). */
function stageAfter(step: number, own: number, effectiveStage: number): number {
  switch (step) {
    case STEPS.CUSTOMS_DECLARED:
      return STAGES.DECLARED;
    case STEPS.CUSTOMS_REJECTED:
      return STAGES.ACTIVE;
    case STEPS.CUSTOMS_RELEASED:
      return STAGES.RELEASED;
    case STEPS.DEPARTING:
      return effectiveStage > STAGES.DEPARTED ? effectiveStage : STAGES.DEPARTED;
    case STEPS.CUSTOMS_EXITED:
      return STAGES.EXITED;
    case STEPS.DELIVERED:
      return STAGES.DELIVERED;
    case STEPS.RETURNED:
    case STEPS.CUSTOMS_RETURNED:
      return STAGES.RETURNED;
    case STEPS.DESTROYING:
    case STEPS.DECOMMISSIONING:
      return STAGES.DESTROYED;
    default:
      return own;
  }
}

const position = (e: TraceEntry) => e.blockNumber * 1_000_000n + BigInt(e.logIndex);
const isChildLink = (e: TraceEntry) => (e.step === STEPS.PACKING || e.step === STEPS.UNPACKING) && e.aux === 0n;

/** One unit's own status after each of its entries. */
interface Timeline {
  /** Chain positions of the entries, oldest first. */
  at: bigint[];
  /** Own status byte (stage | flags) after each entry. */
  status: number[];
  /** Parent after each entry (undefined while not packed). */
  parent: (Hex | undefined)[];
  registrant: number;
}

/**
 * Derives statuses from histories. `histories` must hold every unit the derivation needs: the unit and
 * every parent it was ever packed in, recursively (a journey's histories do); a missing one is reported
 * as a missing parent history, never guessed.
 */
export class StatusDeriver {
  private readonly timelines = new Map<string, Timeline>();
  /** Parents whose history was needed but not given. */
  readonly missing = new Set<Hex>();

  constructor(private readonly histories: Map<Hex, UnitHistory>) {}

  /** The unit's own status after all its entries. */
  current(unit: Hex): DerivedStatus | undefined {
    const t = this.timeline(unit);
    if (!t) return undefined;
    const last = t.status.length - 1;
    const s = t.status[last];
    return {
      registrant: t.registrant,
      stage: s & FLAGS.STAGE_MASK,
      held: (s & FLAGS.HELD) !== 0,
      recalled: (s & FLAGS.RECALLED) !== 0,
      flagged: (s & FLAGS.FLAGGED) !== 0,
      packed: (s & FLAGS.PACKED) !== 0,
      parent: t.parent[last],
    };
  }

  /** The status that held for a unit just before chain position `pos`: its own merged with its parents'. */
  effectiveBefore(unit: Hex, pos: bigint, depth = 0): number {
    const t = this.timeline(unit);
    if (!t || depth > 16) return 0;
    let i = -1;
    while (i + 1 < t.at.length && t.at[i + 1] < pos) i++;
    if (i < 0) return 0;
    const own = t.status[i];
    const parent = t.parent[i];
    if (!parent) return own;
    const up = this.effectiveBefore(parent, pos, depth + 1);
    const stage = Math.max(own & FLAGS.STAGE_MASK, up & FLAGS.STAGE_MASK);
    return stage | (own & ~FLAGS.STAGE_MASK) | (up & INHERITED);
  }

  private timeline(unit: Hex): Timeline | undefined {
    const key = unit.toLowerCase();
    const cached = this.timelines.get(key);
    if (cached) return cached;
    const history = [...this.histories].find(([k]) => k.toLowerCase() === key)?.[1];
    if (!history || history.entries.length === 0) {
      this.missing.add(unit);
      return undefined;
    }
    const t: Timeline = { at: [], status: [], parent: [], registrant: history.entries[0].org };
    // Cached before it is filled: a cycle (which the contract refuses) reads an empty timeline, not forever.
    this.timelines.set(key, t);
    let status = STAGES.ACTIVE as number;
    let parent: Hex | undefined;
    for (const e of history.entries) {
      const pos = position(e);
      if (isChildLink(e) && e.step === STEPS.PACKING) {
        status |= FLAGS.PACKED;
        parent = e.data;
      } else if (isChildLink(e) && e.step === STEPS.UNPACKING) {
        const up = parent ? this.effectiveBefore(parent, pos) : 0;
        const stage = Math.max(status & FLAGS.STAGE_MASK, up & FLAGS.STAGE_MASK);
        status = stage | (status & ~FLAGS.STAGE_MASK & ~FLAGS.PACKED) | (up & KEPT_ON_UNPACK);
        parent = undefined;
      } else if (FLAG_STEPS[e.step]) {
        const { flag, set } = FLAG_STEPS[e.step];
        status = set ? status | flag : status & ~flag;
      } else if (e.step !== STEPS.COMMISSIONING) {
        const effectiveStage = parent
          ? Math.max(status & FLAGS.STAGE_MASK, this.effectiveBefore(parent, pos) & FLAGS.STAGE_MASK)
          : status & FLAGS.STAGE_MASK;
        status = (status & ~FLAGS.STAGE_MASK) | stageAfter(e.step, status & FLAGS.STAGE_MASK, effectiveStage);
      }
      t.at.push(pos);
      t.status.push(status);
      t.parent.push(parent);
    }
    return t;
  }
}

/** The fields of `state` that its history contradicts (none when the endpoint told the truth). */
export function disagreements(state: UnitState, derived: DerivedStatus): StateDisagreement[] {
  const found: StateDisagreement[] = [];
  const check = (field: keyof DerivedStatus, served: unknown, proven: unknown) => {
    const a = String(served ?? "none").toLowerCase();
    const b = String(proven ?? "none").toLowerCase();
    if (a !== b) found.push({ unit: state.unit, field, served: a, derived: b });
  };
  check("registrant", state.registrant, derived.registrant);
  check("stage", state.stage, derived.stage);
  check("held", state.held, derived.held);
  check("recalled", state.recalled, derived.recalled);
  check("flagged", state.flagged, derived.flagged);
  check("packed", state.packed, derived.packed);
  check("parent", state.packed ? state.parent : undefined, derived.packed ? derived.parent : undefined);
  return found;
}
