/**
 * A TypeScript reference model of `TraceLedger` for model-based property tests.
 *
 * It mirrors the contract's rules AND the order of its checks, so that for any operation the first failing
 * check gives the same custom error. Every operation returns either `{ error, inner?, index? }` (the expected
 * custom error name; for `TraceLedgerBatchItemRejected` also the inner error name and the item index) or
 * `{ entries }`: the history entries (unit, step, seq, org) the contract must emit, in log order. The model's
 * own state is only changed when the operation is accepted (it works on a clone and commits on success).
 *
 * The permission matrix is not duplicated here: the caller seeds it from `allowedRoles(step)` of the deployed
 * contract. The prefix registry (2.1) is `prefixes.ts`, written from the issue's rules on digit strings.
 */
import { STEPS, STAGES, FLAGS, ROLES } from "../../../src/codes";
import * as Prefixes from "./prefixes";
import type { PrefixState, RegistryLog } from "./prefixes";

export const HELD = FLAGS.HELD as number;
export const RECALLED = FLAGS.RECALLED as number;
export const FLAGGED = FLAGS.FLAGGED as number;
export const PACKED = FLAGS.PACKED as number;
export const HOLDS_STOPPED = FLAGS.HOLDS_STOPPED as number;
export const STAGE_MASK = 7;
export const MAX_STEP = STEPS.MAX as number;
export const MAX_DISPOSITION = 27;
// Issue 14: the tax authority is a regulator too (it files refunds on any unit).
const REGULATOR_MASK = (1 << ROLES.CUSTOMS) | (1 << ROLES.MARKET_REGULATOR) | (1 << ROLES.TAX_AUTHORITY);
const ALL_ROLES = (1 << ROLES.COUNT) - 1;

const bits = (...steps: number[]) => steps.reduce((m, s) => m | (1n << BigInt(s)), 0n);
const S = STEPS;
const DEDICATED =
  bits(S.COMMISSIONING, S.PACKING, S.UNPACKING, S.CUSTODY_TRANSFERRED, S.ASSIGNED, S.CORRECTION) |
  // Issue 14 (customs spec): the steps customs documents record are filed with fileDocument only.
  bits(
    S.ORDER_PLACED,
    S.PAYMENT_RECEIVED,
    S.WAYBILL_ISSUED,
    S.WAREHOUSE_BOOKED,
    S.CUSTOMS_DECLARED,
    S.SUMMARY_DECLARED,
    S.FX_SETTLED,
    S.TAX_REFUNDED,
  );
const HELD_BLOCKED = bits(
  S.LOADING,
  S.SHIPPING,
  S.DEPARTING,
  S.TRANSPORTING,
  S.ARRIVING,
  S.RETAIL_SELLING,
  S.STAGING_OUTBOUND,
  S.ENTERING_EXITING,
  S.DELIVERED,
  S.PACKING,
  S.UNPACKING,
  S.CUSTODY_TRANSFERRED,
  S.CUSTOMS_RELEASED,
  S.CUSTOMS_EXITED,
  // Issue 14: the refund waits while the unit is held.
  S.TAX_REFUNDED,
);
const RECALL_BLOCKED = bits(
  S.LOADING,
  S.SHIPPING,
  S.DEPARTING,
  S.RETAIL_SELLING,
  S.STAGING_OUTBOUND,
  S.DELIVERED,
  S.CUSTOMS_DECLARED,
  S.CUSTOMS_RELEASED,
  S.ORDER_PLACED,
  // Issue 14: arranging the shipment or booking overseas space for a recalled product is forward flow.
  S.WAYBILL_ISSUED,
  S.WAREHOUSE_BOOKED,
);
const STATUS_STEPS = bits(
  S.CUSTOMS_DECLARED,
  S.CUSTOMS_REJECTED,
  S.CUSTOMS_INSPECTED,
  S.CUSTOMS_HELD,
  S.CUSTOMS_RELEASED,
  S.DEPARTING,
  S.CUSTOMS_EXITED,
  S.DELIVERED,
  S.RETURNED,
  S.CUSTOMS_RETURNED,
  S.DESTROYING,
  S.DECOMMISSIONING,
  S.HOLD,
  S.HOLD_LIFTED,
  S.FLAGGED,
  S.FLAG_LIFTED,
  S.RECALL,
  S.RECALL_LIFTED,
);
// Issue 11 items 1 and 6 (trust model v2), written from the issue, not from the contract: a unit holding a
// held or recalled unit (at any depth) may take no movement step a hold or a recall blocks, except unpacking
// (that is how the stopped unit is isolated).
const STOPPED_INSIDE_BLOCKED = (HELD_BLOCKED | RECALL_BLOCKED) & ~bits(S.UNPACKING);
const CUSTOMS_ROLE = 1 << ROLES.CUSTOMS;
const has = (set: bigint, step: number) => ((set >> BigInt(step)) & 1n) === 1n;
const ST = STAGES as Record<string, number>;

export type AccountStatus = 0 | 1 | 2; // Active, Suspended, Retired (as the contract's enum)

export interface Org {
  roles: number;
  suspended: boolean;
}
export interface Acct {
  orgId: number;
  status: AccountStatus;
  /** Prefix registry (2.1): an organization-admin key (an organization's onboarded first key is one). */
  orgAdmin?: boolean;
}
export interface Unit {
  seq: number;
  /** own status byte: stage | flags (held, recalled, flagged, packed); HOLDS_STOPPED is derived (`statusOf`) */
  status: number;
  registrant: number;
  /** custodian org when not packed */
  custodian: number;
  /** parent key when packed */
  parent: string | null;
  /** Trust model v2: the organization that wrote each entry, entry 1 first (who may correct it). */
  authors: number[];
}
/** Trust model v2: who made an assignment, and the custody-move clock when it was made. */
export interface Assignment {
  by: number;
  at: number;
}
/** Trust model v2: an open handover offer, valid only while the unit has had no entry since. */
export interface Offer {
  from: number;
  to: number;
  seq: number;
}
export interface State {
  orgs: Org[]; // index = org id (0 unused)
  accounts: Map<string, Acct>;
  allowed: number[]; // index = step (0..63), roles mask
  paused: boolean;
  units: Map<string, Unit>;
  assigned: Map<string, Assignment>; // `${unit}:${org}`
  // --- Trust model v2 (issue 11 items 3-5) ---
  offers: Map<string, Offer>;
  /** Counts accepted handovers. */
  clock: number;
  /** Per unit, the clock of the latest custody move that concerns it (its own, or a container's it left). */
  moved: Map<string, number>;
  // --- Identity is owned (issue 11 item 2) ---
  prefixes: PrefixState;
  // --- Customs documents (issue 14; the zone entry and the 1210 declaration, from the customs spec) ---
  /** Filed documents by id. */
  docs?: Map<string, CustomsDoc>;
  /** Per unit, the id of its accepted declaration. */
  declarations?: Map<string, string>;
}

/** A filed customs document as the spec states it (only what the modeled rules read). */
export interface CustomsDoc {
  kind: number;
  unit: string;
  /** The declaration citing it (a rejected declaration's citation counts as none). */
  citedBy: string | null;
  rejected: boolean;
}

/** One customs document to file: the modeled kinds, ZONE_ENTRY (7) and a 1210 DECLARATION (5). */
export interface DocIn {
  unit: string;
  kind: 5 | 7;
  numberHash: string;
  cites: string[];
}

export interface Entry {
  unit: string;
  step: number;
  seq: number;
  org: number;
  /** effective stage of the unit just before this entry */
  stageBefore: number;
  /** whether the acting organization had the unit in scope just before this entry (per the model) */
  inScope: boolean;
  /**
   * Set on an UNPACKING entry of a child that was itself destroyed while packed: `unpack` does not check a
   * child's own stage (only held), so the contract writes this entry after the child's destruction.
   */
  destroyedChild?: boolean;
}
/**
 * `logs`: the prefix registry's logs of an accepted call (the prefix digits stand for its `prefixHash`);
 * `args`: a refusal's arguments, when the model knows them.
 */
export type Outcome =
  | { ok: true; entries: Entry[]; logs?: RegistryLog[] }
  | { ok: false; error: string; inner?: string; index?: number; args?: unknown[] };

export interface TraceIn {
  unit: string;
  step: number;
  disposition: number;
}

class Refusal extends Error {
  constructor(
    public readonly errorName: string,
    public readonly index?: number,
    public readonly args?: unknown[],
  ) {
    super(errorName);
  }
}
/** `_fail(index, reason)`: wrapped in TraceLedgerBatchItemRejected when index is set, raw otherwise. */
const fail = (name: string, index?: number, args?: unknown[]): never => {
  throw new Refusal(name, index, args);
};
/** A raw refusal with its arguments (the prefix registry's). */
const failWith: Prefixes.Fail = (name, args) => fail(name, undefined, args);

export function cloneState(s: State): State {
  const units = new Map<string, Unit>();
  for (const [k, u] of s.units) units.set(k, { ...u, authors: [...u.authors] });
  const accounts = new Map<string, Acct>();
  for (const [k, a] of s.accounts) accounts.set(k, { ...a });
  return {
    orgs: s.orgs.map((o) => ({ ...o })),
    accounts,
    allowed: [...s.allowed],
    paused: s.paused,
    units,
    assigned: new Map([...s.assigned].map(([k, v]) => [k, { ...v }])),
    offers: new Map([...s.offers].map(([k, v]) => [k, { ...v }])),
    clock: s.clock,
    moved: new Map(s.moved),
    prefixes: Prefixes.clonePrefixes(s.prefixes),
    docs: new Map([...(s.docs ?? new Map<string, CustomsDoc>())].map(([k, v]) => [k, { ...v }])),
    declarations: new Map(s.declarations ?? []),
  };
}

export class LedgerModel {
  constructor(public state: State) {}

  // ---------------------------------------------------------------- reads

  accountRoles(s: State, addr: string): number {
    const a = s.accounts.get(addr.toLowerCase());
    if (!a) return 0;
    const org = s.orgs[a.orgId];
    return a.status === 0 && !org.suspended ? org.roles : 0;
  }

  /** Whether a unit holds (at any depth) a held or recalled unit; a destroyed unit and its contents count for nothing. */
  holdsStopped(s: State, key: string): boolean {
    for (const [k, c] of s.units) {
      if (c.parent !== key || !(c.status & PACKED) || (c.status & STAGE_MASK) === ST.DESTROYED) continue;
      if (c.status & (HELD | RECALLED) || this.holdsStopped(s, k)) return true;
    }
    return false;
  }

  /** The own status byte the ledger reports: the stored stage and flags, plus HOLDS_STOPPED. */
  statusOf(s: State, key: string): number {
    const u = s.units.get(key)!;
    return u.status | (this.holdsStopped(s, key) ? HOLDS_STOPPED : 0);
  }

  effectiveStatus(s: State, key: string): number {
    let u = s.units.get(key)!;
    let stage = u.status & STAGE_MASK;
    // HOLDS_STOPPED is the unit's own only: a good item beside a held one is not held
    let flags = this.statusOf(s, key) & ~STAGE_MASK;
    while (u.status & PACKED) {
      u = s.units.get(u.parent!)!;
      const ps = u.status & STAGE_MASK;
      if (ps > stage) stage = ps;
      flags |= u.status & (HELD | RECALLED | FLAGGED);
    }
    return stage | flags;
  }

  custodianOf(s: State, key: string): number {
    let u = s.units.get(key)!;
    while (u.status & PACKED) u = s.units.get(u.parent!)!;
    return u.custodian;
  }

  /**
   * Trust model v2, from the issue: regulators; the (effective) custodian; an organization the custodian
   * assigned to the unit or to a container around it. The registrant is only the first custodian.
   */
  inScope(s: State, key: string, orgId: number, roles: number): boolean {
    if ((roles & REGULATOR_MASK) !== 0 || this.custodianOf(s, key) === orgId) return true;
    for (let unit: string | null = key; unit; unit = s.units.get(unit)!.parent) {
      if (this.isAssigned(s, unit, orgId)) return true;
    }
    return false;
  }

  /** The units a unit is in, itself first, outermost last. */
  private path(s: State, key: string): string[] {
    const out: string[] = [];
    for (let unit: string | null = key; unit; unit = s.units.get(unit)!.parent) out.push(unit);
    return out;
  }

  /**
   * "Assignments end when custody moves": an assignment counts while its maker is the custodian and custody
   * of neither the unit nor any container around it has moved since it was made.
   */
  isAssigned(s: State, key: string, orgId: number): boolean {
    const g = s.assigned.get(`${key}:${orgId}`);
    if (!g || !s.units.has(key) || g.by !== this.custodianOf(s, key)) return false;
    return this.path(s, key).every((u) => (s.moved.get(u) ?? 0) <= g.at);
  }

  // ---------------------------------------------------------------- helpers mirroring Consortium

  private activeAccount(s: State, addr: string): { orgId: number; roles: number } {
    const a = s.accounts.get(addr.toLowerCase());
    const roles = this.accountRoles(s, addr);
    if (roles === 0) {
      if (!a) fail("ConsortiumUnknownAccount");
      if (a!.status === 1) fail("ConsortiumAccountSuspended");
      if (a!.status === 2) fail("ConsortiumAccountRetired");
      fail("ConsortiumOrganizationSuspended");
    }
    return { orgId: a!.orgId, roles };
  }

  /** `_stepAllowed`: the pause bit lives in the matrix words, so it is checked here (raw revert). */
  private stepAllowed(s: State, roles: number, step: number): boolean {
    if (s.paused) fail("ConsortiumPaused");
    return (s.allowed[step] & roles) !== 0;
  }

  private requireStep(s: State, roles: number, step: number) {
    if (!this.stepAllowed(s, roles, step)) fail("ConsortiumStepNotAllowed");
  }

  private requireOrganization(s: State, orgId: number): Org {
    if (orgId === 0 || orgId >= s.orgs.length) fail("ConsortiumUnknownOrganization");
    return s.orgs[orgId];
  }

  private requireActiveOrganization(s: State, orgId: number) {
    if (this.requireOrganization(s, orgId).suspended) fail("ConsortiumOrganizationSuspended");
  }

  private loadInScope(s: State, key: string, a: { orgId: number; roles: number }, index?: number): Unit {
    const u = s.units.get(key);
    if (!u) fail("TraceLedgerUnknownUnit", index);
    if (!this.inScope(s, key, a.orgId, a.roles)) fail("TraceLedgerOutOfScope", index);
    return u!;
  }

  private advance(s: State, key: string, orgId: number, step: number, out: Entry[], inScope: boolean) {
    const u = s.units.get(key)!;
    const stageBefore = this.effectiveStatus(s, key) & STAGE_MASK;
    u.seq += 1;
    u.authors.push(orgId);
    out.push({ unit: key, step, seq: u.seq, org: orgId, stageBefore, inScope });
  }

  // ---------------------------------------------------------------- StageRules.transition

  static transition(step: number, own: number, eff: number): { next: number; code: string | null } {
    const stage = eff & STAGE_MASK;
    if (stage === ST.DESTROYED) return { next: own, code: "TraceLedgerUnitDestroyed" };
    if (eff & HELD && has(HELD_BLOCKED, step)) return { next: own, code: "TraceLedgerUnitHeld" };
    if (eff & RECALLED && has(RECALL_BLOCKED, step)) return { next: own, code: "TraceLedgerUnitRecalled" };
    if (eff & HOLDS_STOPPED && has(STOPPED_INSIDE_BLOCKED, step))
      return { next: own, code: "TraceLedgerContainsStopped" };
    if (!has(STATUS_STEPS, step)) return { next: own, code: null };
    if (step >= S.HOLD) {
      const flag =
        step === S.HOLD || step === S.HOLD_LIFTED
          ? HELD
          : step === S.FLAGGED || step === S.FLAG_LIFTED
            ? FLAGGED
            : RECALLED;
      const lifting = step === S.HOLD_LIFTED || step === S.FLAG_LIFTED || step === S.RECALL_LIFTED;
      if (!lifting) return { next: own | flag, code: null };
      if ((own & flag) === 0) return { next: own, code: "TraceLedgerNothingToLift" };
      return { next: own & ~flag, code: null };
    }
    let flags = own & ~STAGE_MASK;
    let target = own & STAGE_MASK;
    const bad = { next: own, code: "TraceLedgerStageViolation" };
    switch (step) {
      case S.CUSTOMS_DECLARED:
        if (stage > ST.DECLARED) return bad;
        target = ST.DECLARED;
        break;
      case S.CUSTOMS_REJECTED:
        if (stage !== ST.DECLARED) return bad;
        target = ST.ACTIVE;
        break;
      case S.CUSTOMS_INSPECTED:
      case S.CUSTOMS_HELD:
        if (stage < ST.DECLARED || stage > ST.EXITED) return bad;
        if (step === S.CUSTOMS_HELD) flags |= HELD;
        break;
      case S.CUSTOMS_RELEASED:
        if (stage !== ST.DECLARED) return bad;
        target = ST.RELEASED;
        break;
      case S.DEPARTING:
        if (stage < ST.RELEASED || stage > ST.EXITED) return bad;
        target = stage > ST.DEPARTED ? stage : ST.DEPARTED;
        break;
      case S.CUSTOMS_EXITED:
        if (stage !== ST.DEPARTED) return bad;
        target = ST.EXITED;
        break;
      case S.DELIVERED:
        if (stage !== ST.DEPARTED && stage !== ST.EXITED) return bad;
        target = ST.DELIVERED;
        break;
      case S.RETURNED:
        if (stage < ST.DEPARTED || stage > ST.DELIVERED) return bad;
        target = ST.RETURNED;
        break;
      case S.CUSTOMS_RETURNED:
        if (stage < ST.DECLARED || stage > ST.DELIVERED) return bad;
        target = ST.RETURNED;
        break;
      default:
        target = ST.DESTROYED;
    }
    return { next: flags | target, code: null };
  }

  // ---------------------------------------------------------------- operations

  /** Runs `fn` on a clone of the state; commits it only when no refusal is thrown. */
  private run(fn: (s: State, out: Entry[]) => void | RegistryLog): Outcome {
    const s = cloneState(this.state);
    const out: Entry[] = [];
    let log: void | RegistryLog;
    try {
      log = fn(s, out);
    } catch (e) {
      if (e instanceof Refusal) {
        if (e.index !== undefined)
          return { ok: false, error: "TraceLedgerBatchItemRejected", inner: e.errorName, index: e.index };
        return { ok: false, error: e.errorName, ...(e.args ? { args: e.args } : {}) };
      }
      throw e;
    }
    this.state = s;
    return { ok: true, entries: out, ...(log ? { logs: [log] } : {}) };
  }

  /**
   * `unit` is the key of `path` (the ledger hashes the bytes itself); 2.1: the registering organization must
   * hold, or be authorized under, the digits `prefixLength` points at — checked before the duplicate, so a
   * member probing another brand's codes learns nothing.
   */
  register(actor: string, unit: string, path: string, prefixLength: number): Outcome {
    return this.run((s, out) => {
      const a = this.activeAccount(s, actor);
      this.requireStep(s, a.roles, S.COMMISSIONING);
      const { allowed, holder } = Prefixes.mayRegister(s.prefixes, Prefixes.prefixOfCode(path, prefixLength), a.orgId);
      if (!allowed) fail("TraceLedgerCodeNotLicensed", undefined, [unit, a.orgId, holder]);
      if (s.units.has(unit)) fail("TraceLedgerUnitAlreadyRegistered");
      s.units.set(unit, { seq: 0, status: 0, registrant: a.orgId, custodian: a.orgId, parent: null, authors: [] });
      this.advance(s, unit, a.orgId, S.COMMISSIONING, out, true);
    });
  }

  private recordOne(
    s: State,
    a: { orgId: number; roles: number },
    e: TraceIn,
    out: Entry[],
    index: number | undefined,
    checked: number,
  ): number {
    const { step, disposition, unit } = e;
    if (step !== checked) {
      if (step === 0 || step > MAX_STEP || has(DEDICATED, step)) fail("TraceLedgerStepNotRecordable", index);
      if (!this.stepAllowed(s, a.roles, step)) fail("ConsortiumStepNotAllowed", index);
    }
    if (disposition > MAX_DISPOSITION) fail("TraceLedgerInvalidDisposition", index);
    const u = this.loadInScope(s, unit, a, index);
    const own = this.statusOf(s, unit);
    const eff = own & PACKED ? this.effectiveStatus(s, unit) : own;
    const { next, code } = LedgerModel.transition(step, own, eff);
    if (code) fail(code, index);
    // Customs spec, rule 2: a rejection (status 100) frees the unit's declaration and what it cited.
    if (step === S.CUSTOMS_REJECTED) this.rejectDeclaration(s, unit);
    this.advance(s, unit, a.orgId, step, out, true);
    u.status = next & ~HOLDS_STOPPED; // derived from the contents, never stored
    return step;
  }

  private rejectDeclaration(s: State, unit: string) {
    const id = s.declarations!.get(unit);
    if (id === undefined) return;
    s.docs!.get(id)!.rejected = true;
    s.declarations!.delete(unit);
  }

  /**
   * Customs spec (issue 14), the modeled part: the checks of the kind's step (role, scope, state machine),
   * then rule 1 (an id — kind, issuing organization, number — once) and rule 2 for a 1210 declaration (it
   * cites exactly one ZONE_ENTRY, filed on the same unit, backing no live declaration; one declaration per
   * unit at a time).
   */
  fileDocument(actor: string, d: DocIn, idOf: (kind: number, org: number, numberHash: string) => string): Outcome {
    return this.run((s, out) => {
      const a = this.activeAccount(s, actor);
      const step = d.kind === 7 ? S.ENTERING_EXITING : S.CUSTOMS_DECLARED;
      if (!this.stepAllowed(s, a.roles, step)) fail("ConsortiumStepNotAllowed");
      const u = this.loadInScope(s, d.unit, a);
      const own = this.statusOf(s, d.unit);
      const eff = own & PACKED ? this.effectiveStatus(s, d.unit) : own;
      const { next, code } = LedgerModel.transition(step, own, eff);
      if (code) fail(code);
      const id = idOf(d.kind, a.orgId, d.numberHash).toLowerCase();
      const docs = s.docs!;
      if (docs.has(id)) fail("CustomsDocumentAlreadyFiled");
      if (d.kind === 5) {
        let seen = false;
        for (const raw of d.cites) {
          const cite = raw.toLowerCase();
          const c = docs.get(cite);
          if (!c) fail("CustomsUnknownDocument");
          if (c!.kind !== 7 || seen) fail("CustomsCitedKindNotExpected");
          if (c!.unit !== d.unit) fail("CustomsDocumentOfAnotherUnit");
          if (c!.citedBy !== null && !docs.get(c!.citedBy)!.rejected) fail("CustomsDocumentAlreadyCited");
          seen = true;
          c!.citedBy = id;
        }
        if (!seen) fail("CustomsCitedDocumentMissing");
        if (s.declarations!.has(d.unit)) fail("CustomsUnitAlreadyDeclared");
        s.declarations!.set(d.unit, id);
      }
      docs.set(id, { kind: d.kind, unit: d.unit, citedBy: null, rejected: false });
      this.advance(s, d.unit, a.orgId, step, out, true);
      u.status = next & ~HOLDS_STOPPED;
    });
  }

  record(actor: string, e: TraceIn): Outcome {
    return this.run((s, out) => {
      const a = this.activeAccount(s, actor);
      this.recordOne(s, a, e, out, undefined, -1);
    });
  }

  recordBatch(actor: string, events: TraceIn[]): Outcome {
    return this.run((s, out) => {
      if (events.length === 0) fail("TraceLedgerEmptyBatch");
      const a = this.activeAccount(s, actor);
      let checked = -1;
      events.forEach((e, i) => {
        checked = this.recordOne(s, a, e, out, i, checked);
      });
    });
  }

  private loadMovable(s: State, key: string, a: { orgId: number; roles: number }, step: number): Unit {
    const u = this.loadInScope(s, key, a);
    const eff = u.status & PACKED ? this.effectiveStatus(s, key) : u.status;
    const stage = eff & STAGE_MASK;
    if (stage === ST.DESTROYED) fail("TraceLedgerUnitDestroyed");
    if (eff & HELD) fail("TraceLedgerUnitHeld");
    // under customs control (declared or released, not yet departed) only customs changes the contents
    if ((stage === ST.DECLARED || stage === ST.RELEASED) && (a.roles & CUSTOMS_ROLE) === 0)
      fail("TraceLedgerCustomsControlled");
    return u;
  }

  pack(actor: string, parent: string, children: string[]): Outcome {
    return this.run((s, out) => {
      if (children.length === 0) fail("TraceLedgerEmptyBatch");
      const a = this.activeAccount(s, actor);
      this.requireStep(s, a.roles, S.PACKING);
      const p = this.loadMovable(s, parent, a, S.PACKING);
      const parentStage = (p.status & PACKED ? this.effectiveStatus(s, parent) : p.status) & STAGE_MASK;
      const custodian = this.custodianOf(s, parent);
      const ancestors: string[] = [];
      for (let u = s.units.get(parent)!; u.status & PACKED; u = s.units.get(u.parent!)!) ancestors.push(u.parent!);
      children.forEach((child, i) => {
        if (child === parent) fail("TraceLedgerPackingCycle", i);
        const w = this.loadInScope(s, child, a, i);
        if (w.status & PACKED) fail("TraceLedgerUnitPacked", i);
        if ((w.status & STAGE_MASK) === ST.DESTROYED) fail("TraceLedgerUnitDestroyed", i);
        // a held or recalled unit, or one holding a held or recalled unit, moves nowhere
        if (w.status & HELD) fail("TraceLedgerUnitHeld", i);
        if (w.status & RECALLED) fail("TraceLedgerUnitRecalled", i);
        if (this.holdsStopped(s, child)) fail("TraceLedgerContainsStopped", i);
        if (ancestors.includes(child)) fail("TraceLedgerPackingCycle", i);
        // packing never advances a child: inside, its effective stage would be the parent's
        if ((w.status & STAGE_MASK) < parentStage) fail("TraceLedgerPackingAdvancesChild", i);
        if (w.custodian !== custodian) fail("TraceLedgerCustodyMismatch", i);
        this.advance(s, child, a.orgId, S.PACKING, out, true);
        w.status |= PACKED;
        w.parent = parent;
      });
      this.advance(s, parent, a.orgId, S.PACKING, out, true);
    });
  }

  unpack(actor: string, parent: string, children: string[]): Outcome {
    return this.run((s, out) => {
      if (children.length === 0) fail("TraceLedgerEmptyBatch");
      const a = this.activeAccount(s, actor);
      this.requireStep(s, a.roles, S.UNPACKING);
      const p = this.loadMovable(s, parent, a, S.UNPACKING);
      const parentEff = p.status & PACKED ? this.effectiveStatus(s, parent) : p.status;
      const custodian = this.custodianOf(s, parent);
      // A child leaving keeps the custody moves of the containers it was in: what they ended stays ended.
      const moved = Math.max(...this.path(s, parent).map((u) => s.moved.get(u) ?? 0));
      children.forEach((child, i) => {
        const w = s.units.get(child);
        if (!w || !(w.status & PACKED) || w.parent !== parent) fail("TraceLedgerNotInParent", i);
        if ((w!.status & STAGE_MASK) === ST.DESTROYED) fail("TraceLedgerUnitDestroyed", i);
        // a held or recalled child is taken out by a regulator only
        if (w!.status & (HELD | RECALLED) && (a.roles & REGULATOR_MASK) === 0)
          fail(w!.status & HELD ? "TraceLedgerUnitHeld" : "TraceLedgerUnitRecalled", i);
        // Trust model v2: every child touched by an unpack is in the actor's scope.
        if (!this.inScope(s, child, a.orgId, a.roles)) fail("TraceLedgerOutOfScope", i);
        this.advance(s, child, a.orgId, S.UNPACKING, out, true);
        if (moved > (s.moved.get(child) ?? 0)) s.moved.set(child, moved);
        const st = w!.status;
        let stage = st & STAGE_MASK;
        const ps = parentEff & STAGE_MASK;
        if (ps > stage) stage = ps;
        const flags = (st & ~STAGE_MASK & ~PACKED) | (parentEff & (RECALLED | FLAGGED));
        w!.status = stage | flags;
        w!.parent = null;
        w!.custodian = custodian;
      });
      this.advance(s, parent, a.orgId, S.UNPACKING, out, true);
    });
  }

  handover(actor: string, unit: string, toOrg: number): Outcome {
    return this.run((s, out) => {
      const a = this.activeAccount(s, actor);
      this.requireStep(s, a.roles, S.CUSTODY_TRANSFERRED);
      const u = s.units.get(unit);
      if (!u) fail("TraceLedgerUnknownUnit");
      if ((u!.status & STAGE_MASK) === ST.DESTROYED) fail("TraceLedgerUnitDestroyed");
      if (u!.status & PACKED) fail("TraceLedgerUnitPacked");
      if (u!.status & HELD) fail("TraceLedgerUnitHeld");
      if (this.holdsStopped(s, unit)) fail("TraceLedgerContainsStopped");
      if (u!.custodian !== a.orgId) fail("TraceLedgerNotCustodian");
      // Trust model v2: an offer, never a push; 0 withdraws it; nobody offers to itself.
      if (toOrg === a.orgId) fail("TraceLedgerSelfTarget");
      if (toOrg === 0) s.offers.delete(unit);
      else {
        this.requireActiveOrganization(s, toOrg);
        s.offers.set(unit, { from: a.orgId, to: toOrg, seq: u!.seq });
      }
    });
  }

  /** The receiver consents: custody moves, and every assignment on the unit and what is inside it ends. */
  acceptHandover(actor: string, unit: string): Outcome {
    return this.run((s, out) => {
      const a = this.activeAccount(s, actor);
      this.requireStep(s, a.roles, S.CUSTODY_TRANSFERRED);
      const offer = s.offers.get(unit);
      if (!offer || offer.to !== a.orgId) fail("TraceLedgerNoHandoverOffer");
      // Anything written on the unit since the offer (custody, packing, a hold...) voids it.
      const u = s.units.get(unit)!;
      if (u.seq !== offer!.seq) fail("TraceLedgerHandoverOfferStale");
      s.offers.delete(unit);
      s.clock += 1;
      s.moved.set(unit, s.clock);
      // in scope by consent: the offer named this organization
      this.advance(s, unit, a.orgId, S.CUSTODY_TRANSFERRED, out, true);
      u.custodian = a.orgId;
    });
  }

  assign(actor: string, unit: string, orgId: number, assigned: boolean): Outcome {
    return this.run((s, out) => {
      const a = this.activeAccount(s, actor);
      this.requireStep(s, a.roles, S.ASSIGNED);
      if (!s.units.has(unit)) fail("TraceLedgerUnknownUnit");
      if ((this.effectiveStatus(s, unit) & STAGE_MASK) === ST.DESTROYED) fail("TraceLedgerUnitDestroyed");
      if (this.custodianOf(s, unit) !== a.orgId) fail("TraceLedgerNotCustodian");
      if (orgId === a.orgId) fail("TraceLedgerSelfTarget"); // nobody assigns itself
      if (assigned) this.requireActiveOrganization(s, orgId);
      else this.requireOrganization(s, orgId);
      const k = `${unit}:${orgId}`;
      if (this.isAssigned(s, unit, orgId) === assigned) fail("TraceLedgerAssignmentUnchanged");
      if (assigned) s.assigned.set(k, { by: a.orgId, at: s.clock });
      else s.assigned.delete(k);
      this.advance(s, unit, a.orgId, S.ASSIGNED, out, this.inScope(s, unit, a.orgId, a.roles));
    });
  }

  correct(actor: string, unit: string, seq: number): Outcome {
    return this.run((s, out) => {
      const a = this.activeAccount(s, actor);
      this.requireStep(s, a.roles, S.CORRECTION);
      const u = s.units.get(unit);
      if (!u) fail("TraceLedgerUnknownUnit");
      if ((this.effectiveStatus(s, unit) & STAGE_MASK) === ST.DESTROYED) fail("TraceLedgerUnitDestroyed");
      if (seq === 0 || seq > u!.seq) fail("TraceLedgerInvalidCorrection");
      // Trust model v2: only the organization that wrote the entry, or a regulator (no scope needed).
      if (u!.authors[seq - 1] !== a.orgId && (a.roles & REGULATOR_MASK) === 0) fail("TraceLedgerNotEntryAuthor");
      this.advance(s, unit, a.orgId, S.CORRECTION, out, true);
    });
  }

  // ---------------------------------------------------------------- admin

  private admin(actor: string, isAdmin: boolean, fn: (s: State) => void): Outcome {
    return this.run((s) => {
      if (!isAdmin) fail("AccessControlUnauthorizedAccount");
      fn(s);
    });
  }

  pause(actor: string, isAdmin: boolean): Outcome {
    return this.admin(actor, isAdmin, (s) => {
      if (s.paused) fail("ConsortiumPaused");
      s.paused = true;
    });
  }
  unpause(actor: string, isAdmin: boolean): Outcome {
    return this.admin(actor, isAdmin, (s) => {
      if (!s.paused) fail("ConsortiumNotPaused");
      s.paused = false;
    });
  }
  suspendOrganization(actor: string, isAdmin: boolean, orgId: number): Outcome {
    return this.admin(actor, isAdmin, (s) => {
      const o = this.requireOrganization(s, orgId);
      if (o.suspended) fail("ConsortiumOrganizationSuspended");
      o.suspended = true;
    });
  }
  reactivateOrganization(actor: string, isAdmin: boolean, orgId: number): Outcome {
    return this.admin(actor, isAdmin, (s) => {
      const o = this.requireOrganization(s, orgId);
      if (!o.suspended) fail("ConsortiumOrganizationNotSuspended");
      o.suspended = false;
    });
  }
  suspendAccount(actor: string, isAdmin: boolean, account: string): Outcome {
    return this.admin(actor, isAdmin, (s) => {
      const a = s.accounts.get(account.toLowerCase());
      if (!a) fail("ConsortiumUnknownAccount");
      if (a!.status === 2) fail("ConsortiumAccountRetired");
      if (a!.status === 1) fail("ConsortiumAccountSuspended");
      a!.status = 1;
    });
  }
  reactivateAccount(actor: string, isAdmin: boolean, account: string): Outcome {
    return this.admin(actor, isAdmin, (s) => {
      const a = s.accounts.get(account.toLowerCase());
      if (!a) fail("ConsortiumUnknownAccount");
      if (a!.status !== 1) fail("ConsortiumAccountNotSuspended");
      a!.status = 0;
    });
  }
  setPermission(actor: string, isAdmin: boolean, step: number, roles: number): Outcome {
    return this.admin(actor, isAdmin, (s) => {
      if (step === 0 || step > MAX_STEP) fail("ConsortiumInvalidStep");
      if ((roles & ~ALL_ROLES) !== 0) fail("ConsortiumInvalidRoles");
      s.allowed[step] = roles;
    });
  }

  // ---------------------------------------------------------------- prefix registry (2.1)

  /** The admin announced `licensePrefix(digits, org)` and waited the delay (`schedule` always succeeds here). */
  announceLicence(digits: string, org: number): void {
    this.state.prefixes.announced.add(`${digits}:${org}`);
    this.waitedDelay();
  }

  /** The chain's clock moved by one full governance delay. */
  waitedDelay(): void {
    this.state.prefixes.period += 1;
  }

  isAnnounced(digits: string, org: number): boolean {
    return this.state.prefixes.announced.has(`${digits}:${org}`);
  }

  licensePrefix(actor: string, isAdmin: boolean, digits: string, org: number): Outcome {
    return this.run((s) => {
      if (!isAdmin) fail("AccessControlUnauthorizedAccount");
      Prefixes.requireDigits(digits, failWith);
      this.requireOrganization(s, org);
      return Prefixes.license(s.prefixes, digits, org, failWith);
    });
  }

  revokePrefix(actor: string, isAdmin: boolean, digits: string): Outcome {
    return this.run((s) => {
      if (!isAdmin) fail("AccessControlUnauthorizedAccount");
      return Prefixes.revoke(s.prefixes, digits, failWith);
    });
  }

  authorizeManufacturer(actor: string, digits: string, manufacturer: number, authorized: boolean): Outcome {
    return this.run((s) => {
      const a = s.accounts.get(actor.toLowerCase());
      const call = {
        account: actor,
        callerOrg: a?.orgId ?? 0,
        orgAdmin: this.accountRoles(s, actor) !== 0 && a?.orgAdmin === true,
      };
      const exists = (org: number) => org !== 0 && org < s.orgs.length;
      return Prefixes.authorize(s.prefixes, call, digits, manufacturer, authorized, exists, failWith);
    });
  }

  /** `mayRegisterUnder(digits, org)`. */
  mayRegisterUnder(digits: string, org: number): boolean {
    return Prefixes.mayRegister(this.state.prefixes, digits, org).allowed;
  }
}
