/** The verdict rules on evidence alone (no chain): every reason code, each from the evidence that gives it. */
import { expect } from "chai";
import type { Hex } from "viem";
import { judge } from "../../src/verify/judge";
import type { Evidence, LedgerEvidence } from "../../src/verify/evidence";
import { REASONS, type ReasonCode } from "../../src/verify/reasons";
import type { OrganizationInfo, VerifiedEntry } from "../../src/verify/types";
import type { UnitState } from "../../src/read/types";
import { STAGES, STEPS, stepName } from "../../src/codes";
import type { AuthenticityEvidence, ClaimAssessment } from "../../src/verify/authenticity";
import type { OwnershipEvidence } from "../../src/verify/licence";
import type { PrefixLicenceRecord } from "../../src/read/licences";
import type { KeyOrigin } from "../../src/read/keys";
import { notices } from "../../src/verify/judge";

const UNIT = `0x${"11".repeat(32)}` as Hex;
const PARENT = `0x${"22".repeat(32)}` as Hex;
const TX = `0x${"aa".repeat(32)}` as Hex;
const ALL_ROLES = 0x1ff;

const org = (orgId: number, extra: Partial<OrganizationInfo> = {}): OrganizationInfo => ({
  orgId,
  roles: ALL_ROLES,
  suspended: false,
  name: `org ${orgId}`,
  creditCode: "91440300MA5TXT0019",
  country: "CN",
  ...extra,
});

const state = (extra: Partial<UnitState> = {}): UnitState => ({
  unit: UNIT,
  registered: true,
  head: `0x${"33".repeat(32)}`,
  seq: 2,
  lastBlock: 10n,
  stage: 3,
  stageName: undefined,
  held: false,
  recalled: false,
  flagged: false,
  packed: false,
  holdsStopped: false,
  registrant: 1,
  custodian: 1,
  parent: undefined,
  ...extra,
});

let seq = 0;
const entry = (step: number, extra: Partial<VerifiedEntry> = {}): VerifiedEntry => ({
  unit: UNIT,
  account: "0x0000000000000000000000000000000000000001",
  data: `0x${"44".repeat(32)}`,
  info: 0n,
  seq: ++seq,
  step,
  stepName: stepName(step),
  disposition: 0,
  eventTime: 1_770_000_000,
  location: 0n,
  prevBlock: 0,
  org: 1,
  aux: 0n,
  blockNumber: BigInt(seq),
  blockTime: 1_770_000_000 + seq,
  logIndex: 0,
  transactionHash: TX,
  blockHash: `0x${"55".repeat(32)}`,
  organization: org(1),
  signatureValid: true,
  signedVia: "sender",
  recordMatches: true,
  corrected: false,
  ...extra,
});

const at = (blockNumber: bigint, logIndex = 0) => ({ blockNumber, logIndex, transactionHash: TX, blockHash: TX });

/** Licence `licence` of "9521234" to `holder`, granted at block 1. */
const licence = (holder: number, extra: Partial<PrefixLicenceRecord> = {}): PrefixLicenceRecord => ({
  prefix: "9521234",
  prefixHash: `0x${"77".repeat(32)}`,
  holder,
  licence: 1n,
  licensed: at(1n),
  authorizations: [],
  ...extra,
});

/** Ownership evidence: the registration (entry 1, block 5, by `org`) and the registry's licences. */
const ownership = (
  licences: PrefixLicenceRecord[],
  org = 1,
  extra: Partial<OwnershipEvidence> = {},
): OwnershipEvidence => ({
  version: "2.1.0",
  kind: "item",
  timeline: { candidates: ["9521", "9521234"], licences, anomalies: [], positions: [], logQueries: 1 },
  registration: { ...at(5n), org },
  organizations: new Map([
    [1, org1()],
    [2, { ...org1(), orgId: 2, name: "org 2" }],
  ]),
  ...extra,
});
const org1 = () => ({ orgId: 1, roles: ALL_ROLES, suspended: false, name: "org 1" });

const onboarded = (account: string, orgId = 1): KeyOrigin => ({
  account: account as KeyOrigin["account"],
  orgId,
  how: "onboarding",
  via: "added",
  at: at(1n),
});

/** Evidence of an authentic journey: registered, released by customs, everything proven. */
function authentic(extra: Partial<LedgerEvidence> = {}): LedgerEvidence {
  return {
    kind: "ledger",
    view: { blockNumber: 100n, blockHash: `0x${"66".repeat(32)}`, confirmations: 1 },
    state: state(),
    brokenHistories: [],
    stateDisagreements: [],
    parents: [],
    effectiveStage: 3,
    registrant: org(1),
    entries: [entry(STEPS.COMMISSIONING), entry(STEPS.CUSTOMS_RELEASED)],
    matrix: new Map([
      [STEPS.COMMISSIONING, ALL_ROLES],
      [STEPS.CUSTOMS_RELEASED, ALL_ROLES],
    ]),
    ownership: ownership([licence(1)]),
    keys: { checked: true, origins: [onboarded("0x0000000000000000000000000000000000000001")], names: new Map() },
    ...extra,
  };
}

const codes = (evidence: Evidence) => judge(evidence).map((r) => r.code);

/** A registry read of a committed unit, claimed at `claimedAt` (0: not claimed) and `stage`. */
function claimEvidence(o: { claimedAt: number; stage?: number; offered?: ClaimAssessment }): AuthenticityEvidence {
  return {
    registry: `0x${"c".repeat(40)}`,
    read: {
      claim: {
        commitment: `0x${"1".repeat(64)}`,
        claimedAt: o.claimedAt,
        claimBlock: o.claimedAt ? 1 : 0,
        stage: o.stage ?? STAGES.DELIVERED,
      },
      tag: { kind: 0, id: `0x${"0".repeat(40)}`, lastCounter: 0, lastTapAt: 0 },
    },
    inconsistencies: [],
    ...(o.offered ? { offered: o.offered } : {}),
  };
}

describe("judge: the verdict rules on evidence", () => {
  it("authentic when no rule applies", () => {
    expect(judge(authentic())).to.deep.equal([]);
  });

  it("INVALID_CODE and WRONG_CHAIN: the only reason, with the detail given", () => {
    const invalid = judge({ kind: "invalidCode", error: "wrong check digit" });
    expect(invalid).to.deep.equal([{ code: "INVALID_CODE", ...REASONS.INVALID_CODE, detail: "wrong check digit" }]);
    const wrong = judge({ kind: "wrongDeployment", error: "serves chain 31337, but chain 1 is configured" });
    expect(wrong.map((r) => [r.code, r.severity, r.detail])).to.deep.equal([
      ["WRONG_CHAIN", "fail", "serves chain 31337, but chain 1 is configured"],
    ]);
  });

  it("NOT_REGISTERED: a unit never registered, or a ledger that did not exist yet at the pinned depth", () => {
    expect(judge(authentic({ state: state({ registered: false, seq: 0 }) }))).to.deep.equal([
      { code: "NOT_REGISTERED", ...REASONS.NOT_REGISTERED },
    ]);
    const deep = authentic({ view: { blockNumber: 7n, blockHash: TX, confirmations: 3 } });
    expect(judge({ ...deep, state: state({ registered: false }) })[0].detail).to.equal(
      "as of block 7, 3 confirmations",
    );
    expect(judge({ ...deep, state: undefined })).to.deep.equal([
      {
        code: "NOT_REGISTERED",
        ...REASONS.NOT_REGISTERED,
        detail: "the ledger did not exist yet as of block 7, 3 confirmations",
      },
    ]);
  });

  it("HISTORY_MISMATCH: logs that cannot be the history, or a history not matching its head (only reasons)", () => {
    const inconsistent = judge(authentic({ inconsistentLogs: "No Traced log in block 9", registrant: undefined }));
    expect(inconsistent.map((r) => [r.code, r.detail])).to.deep.equal([
      ["HISTORY_MISMATCH", "No Traced log in block 9"],
    ]);
    const broken = judge(authentic({ brokenHistories: [UNIT, PARENT], state: state({ recalled: true }) }));
    expect(broken.map((r) => [r.code, r.detail])).to.deep.equal([
      ["HISTORY_MISMATCH", `unit ${UNIT}`],
      ["HISTORY_MISMATCH", `unit ${PARENT}`],
    ]);
  });

  it("REGISTRANT_UNIDENTIFIED: unknown, suspended or nameless registrant", () => {
    for (const registrant of [undefined, org(1, { suspended: true }), org(1, { name: undefined })]) {
      const r = judge(authentic({ registrant }));
      expect(r.map((x) => [x.code, x.severity, x.detail])).to.deep.equal([
        ["REGISTRANT_UNIDENTIFIED", "warning", "organization 1"],
      ]);
    }
  });

  it("SIGNATURE_INVALID: an entry whose transaction does not prove its account (unchecked is no reason)", () => {
    const bad = entry(STEPS.CUSTOMS_RELEASED, { signatureValid: false, signedVia: "eip712" });
    const r = judge(authentic({ entries: [entry(STEPS.COMMISSIONING), bad] }));
    expect(r.map((x) => [x.code, x.severity, x.detail])).to.deep.equal([
      ["SIGNATURE_INVALID", "fail", `entry ${bad.seq} in ${TX}`],
    ]);
    const unchecked = entry(STEPS.CUSTOMS_RELEASED, { signatureValid: undefined, signedVia: undefined });
    expect(codes(authentic({ entries: [unchecked] }))).to.deep.equal([]);
  });

  it("RECORD_MISMATCH: a served record not matching its hash (an unavailable record is no reason)", () => {
    const tampered = entry(STEPS.CUSTOMS_RELEASED, { recordMatches: false });
    expect(judge(authentic({ entries: [tampered] })).map((x) => [x.code, x.detail])).to.deep.equal([
      ["RECORD_MISMATCH", `entry ${tampered.seq} (CUSTOMS_RELEASED)`],
    ]);
    expect(codes(authentic({ entries: [entry(STEPS.CUSTOMS_RELEASED, { recordMatches: null })] }))).to.deep.equal([]);
  });

  it("RECORD_UNAVAILABLE: a record source that has no record for an entry is a warning naming the entries", () => {
    const a = entry(STEPS.INSPECTING, { recordMatches: null, recordMissing: true });
    const b = entry(STEPS.CUSTOMS_RELEASED, { recordMatches: null, recordMissing: true });
    const found = judge(authentic({ entries: [a, entry(STEPS.CUSTOMS_RELEASED, { recordMatches: true }), b] }));
    expect(found.map((x) => [x.code, x.detail])).to.deep.equal([
      ["RECORD_UNAVAILABLE", `entry ${a.seq} (INSPECTING), entry ${b.seq} (CUSTOMS_RELEASED)`],
    ]);
    expect(found[0].severity).to.equal("warning");
  });

  it("SIGNER_NOT_ALLOWED: unknown or suspended organization, or one whose roles no longer allow the step", () => {
    const released = (extra: Partial<VerifiedEntry>) => entry(STEPS.CUSTOMS_RELEASED, { org: 7, ...extra });
    const cases: Partial<VerifiedEntry>[] = [
      { organization: undefined },
      { organization: org(7, { suspended: true }) },
      { organization: org(7, { roles: 0b1 }) },
    ];
    const matrix = new Map([[STEPS.CUSTOMS_RELEASED, 0b10]]);
    for (const extra of cases) {
      const e = released(extra);
      expect(judge(authentic({ entries: [e], matrix })).map((x) => [x.code, x.detail])).to.deep.equal([
        ["SIGNER_NOT_ALLOWED", `entry ${e.seq} (CUSTOMS_RELEASED) by organization 7`],
      ]);
    }
    // Allowed: a matching role, or a step with no mask read.
    expect(codes(authentic({ entries: [released({ organization: org(7, { roles: 0b10 }) })], matrix }))).to.deep.equal(
      [],
    );
    expect(codes(authentic({ entries: [released({ organization: org(7, { roles: 0b1 }) })] }))).to.deep.equal([]);
  });

  it("RECALLED, HELD, FLAGGED: on the unit, or on a parent it is packed in (whose state was read)", () => {
    expect(codes(authentic({ state: state({ recalled: true, held: true, flagged: true }) }))).to.deep.equal([
      "RECALLED",
      "HELD",
      "FLAGGED",
    ]);
    const parent = { unit: PARENT, state: state({ unit: PARENT, held: true }) };
    expect(codes(authentic({ parents: [parent] }))).to.deep.equal(["HELD"]);
    expect(codes(authentic({ parents: [{ unit: PARENT }] }))).to.deep.equal([]);
  });

  it("NO_CUSTOMS_RELEASE and DELIVERED_WITHOUT_RELEASE: a journey without export customs release", () => {
    expect(codes(authentic({ entries: [entry(STEPS.COMMISSIONING)] }))).to.deep.equal(["NO_CUSTOMS_RELEASE"]);
    expect(codes(authentic({ entries: [entry(STEPS.COMMISSIONING), entry(STEPS.DELIVERED)] }))).to.deep.equal([
      "DELIVERED_WITHOUT_RELEASE",
    ]);
  });

  it("CORRECTED: entries declared wrong by a later correction", () => {
    const r = judge(
      authentic({ entries: [entry(STEPS.COMMISSIONING, { corrected: true }), entry(STEPS.CUSTOMS_RELEASED)] }),
    );
    expect(r.map((x) => [x.code, x.severity])).to.deep.equal([["CORRECTED", "warning"]]);
  });

  it("STATE_MISMATCH: a served state its proven history contradicts fails alone, naming the field", () => {
    const r = judge(
      authentic({
        state: state({ recalled: false }),
        stateDisagreements: [{ unit: UNIT, field: "recalled", served: "false", derived: "true" }],
        entries: [entry(STEPS.COMMISSIONING, { signatureValid: false })],
      }),
    );
    expect(r.map((x) => [x.code, x.severity])).to.deep.equal([["STATE_MISMATCH", "fail"]]);
    expect(r[0].detail).to.equal(`unit ${UNIT}: recalled served as false, its history says true`);
  });

  it("RECORD_MISMATCH says when the record names another unit", () => {
    const r = judge(
      authentic({
        entries: [
          entry(STEPS.COMMISSIONING, { recordMatches: false, recordNamesOtherUnit: true }),
          entry(STEPS.CUSTOMS_RELEASED),
        ],
      }),
    );
    expect(r.map((x) => x.code)).to.deep.equal(["RECORD_MISMATCH"]);
    expect(r[0].detail).to.match(/names another unit/);
  });

  it("reasons come in a fixed order, each rule once per entry", () => {
    const all = authentic({
      state: state({ recalled: true }),
      registrant: undefined,
      entries: [entry(STEPS.DELIVERED, { signatureValid: false, recordMatches: false, corrected: true })],
    });
    expect(codes(all)).to.deep.equal([
      "REGISTRANT_UNIDENTIFIED",
      "SIGNATURE_INVALID",
      "RECORD_MISMATCH",
      "RECALLED",
      "DELIVERED_WITHOUT_RELEASE",
      "CORRECTED",
    ]);
  });

  it("every reason code is reachable from some evidence", () => {
    const reached = new Set<ReasonCode>();
    const samples: Evidence[] = [
      { kind: "invalidCode", error: "x" },
      { kind: "wrongDeployment", error: "x" },
      authentic({ state: state({ registered: false }) }),
      authentic({ inconsistentLogs: "x" }),
      authentic({
        state: state({ recalled: true, held: true, flagged: true }),
        registrant: undefined,
        entries: [
          entry(STEPS.COMMISSIONING, {
            signatureValid: false,
            recordMatches: false,
            corrected: true,
            organization: undefined,
          }),
          entry(STEPS.INSPECTING, { recordMatches: null, recordMissing: true }),
        ],
      }),
      authentic({ entries: [entry(STEPS.DELIVERED)] }),
      authentic({ stateDisagreements: [{ unit: UNIT, field: "recalled", served: "false", derived: "true" }] }),
      authentic({ ownership: ownership([licence(2)]) }),
      authentic({ ownership: ownership([], 1, { timeline: undefined, version: "1.4.0" }) }),
      authentic({
        keys: {
          checked: true,
          origins: [
            { ...onboarded("0x01"), how: "unknown" },
            { ...onboarded("0x02"), how: "consortiumAdmin" },
          ],
          names: new Map(),
        },
      }),
      // Issue 17: a spent code offered, a wrong code for an unclaimed unit, a claim before delivery, a lie.
      ...(["already-claimed", "wrong-code"] as const).map((offered) =>
        authentic({ authenticity: claimEvidence({ claimedAt: offered === "wrong-code" ? 0 : 1, offered }) }),
      ),
      authentic({ authenticity: claimEvidence({ claimedAt: 1, stage: STAGES.ACTIVE }) }),
      authentic({ authenticity: { ...claimEvidence({ claimedAt: 0 }), inconsistencies: ["x"] } }),
    ];
    for (const e of samples) for (const c of codes(e)) reached.add(c);
    expect([...reached].sort()).to.deep.equal((Object.keys(REASONS) as ReasonCode[]).sort());
  });

  describe("ownership (issue 11 item 2): the registrant held the code's prefix or the holder's authorization", () => {
    const notHeld = (o: OwnershipEvidence) =>
      judge(authentic({ ownership: o })).filter((r) => r.code === "PREFIX_NOT_HELD");

    it("the holder, or a manufacturer authorized under the standing licence before the registration, passes", () => {
      expect(codes(authentic({ ownership: ownership([licence(1)]) }))).to.deep.equal([]);
      const authorized = licence(2, { authorizations: [{ manufacturer: 1, authorized: true, at: at(3n) }] });
      expect(codes(authentic({ ownership: ownership([authorized]) }))).to.deep.equal([]);
      // Revoked after the registration: still legitimate.
      expect(codes(authentic({ ownership: ownership([licence(1, { revoked: at(9n) })]) }))).to.deep.equal([]);
    });

    it("ATTACK (no chain can produce it): a registrant that never held the prefix fails, naming the holder", () => {
      expect(notHeld(ownership([licence(2)])).map((r) => [r.severity, r.detail])).to.deep.equal([
        [
          "fail",
          "organization 1 registered it at block 5, but prefix 9521234 was licensed to organization 2, which had not authorized it",
        ],
      ]);
      expect(notHeld(ownership([]))[0].detail).to.equal("no licence of 9521, 9521234 covered the code at block 5");
    });

    it("ATTACK: an authorization withdrawn, given after the registration, or given under a dead licence does not count", () => {
      const withdrawn = licence(2, {
        authorizations: [
          { manufacturer: 1, authorized: true, at: at(2n) },
          { manufacturer: 1, authorized: false, at: at(4n) },
        ],
      });
      const late = licence(2, { authorizations: [{ manufacturer: 1, authorized: true, at: at(6n) }] });
      const sameBlockAfter = licence(2, { authorizations: [{ manufacturer: 1, authorized: true, at: at(5n, 1) }] });
      const dead = licence(2, { revoked: at(3n), authorizations: [{ manufacturer: 1, authorized: true, at: at(2n) }] });
      const relicensed = licence(2, { licence: 2n, licensed: at(4n) });
      for (const licences of [[withdrawn], [late], [sameBlockAfter], [dead, relicensed]]) {
        expect(notHeld(ownership(licences)).length, licences.map((l) => l.licence).join()).to.equal(1);
      }
      // A licence granted after the registration did not cover it.
      expect(notHeld(ownership([licence(1, { licensed: at(7n) })])).length).to.equal(1);
      // Revoked before the registration, no licence covered it.
      expect(notHeld(ownership([licence(1, { revoked: at(4n) })]))[0].detail).to.match(/^no licence of/);
    });

    it("ATTACK: overlapping licences or registry logs that contradict themselves fail", () => {
      const overlapping = [licence(1), licence(2, { prefix: "9521", licence: 2n })];
      expect(notHeld(ownership(overlapping))[0].detail).to.equal(
        "overlapping licences served at block 5: 9521234 → organization 1, 9521 → organization 2",
      );
      const anomalous = ownership([licence(1)]);
      anomalous.timeline!.anomalies.push("9521234 licence 7 revoked at block 3 log 0, but no such licence stands");
      expect(notHeld(anomalous)[0].detail).to.match(
        /^the registry logs served cannot be the ledger's: 9521234 licence 7/,
      );
    });

    it("missing ownership evidence on a proven journey fails; an older ledger is a warning", () => {
      expect(notHeld(undefined as unknown as OwnershipEvidence).map((r) => r.detail)).to.deep.equal([
        "the prefix registry's history was not read",
      ]);
      const old = judge(authentic({ ownership: ownership([], 1, { timeline: undefined, version: "2.0.3" }) }));
      expect(old.map((r) => [r.code, r.severity, r.detail])).to.deep.equal([
        ["OWNERSHIP_NOT_CHECKED", "warning", "ledger version 2.0.3"],
      ]);
    });
  });

  describe("keys (issue 11 item 7): how the journey's signing keys got there", () => {
    const A = "0x00000000000000000000000000000000000000a1";
    const B = "0x00000000000000000000000000000000000000b2";
    const keys = (origins: KeyOrigin[]) => ({ checked: true, origins, names: new Map([[1, "org 1"]]) });
    const byAdmin = (delay: KeyOrigin["delay"]): KeyOrigin => ({
      ...onboarded(A),
      how: "consortiumAdmin",
      at: at(8n),
      delay,
    });

    it("a key the admin added after the delay is a notice only, with its blocks; onboarding keys say nothing", () => {
      const e = authentic({ keys: keys([byAdmin({ opId: TX, announced: at(3n), executed: at(8n) }), onboarded(B)]) });
      expect(codes(e)).to.deep.equal([]);
      expect(notices(e).map((n) => [n.code, n.detail, n.key?.announcedAtBlock, n.key?.executedAtBlock])).to.deep.equal([
        ["KEY_ADDED_BY_ADMIN", `${A} of org 1, added: announced at block 3, executed at block 8`, 3n, 8n],
      ]);
    });

    it("ATTACK: an admin key without its delayed operation, or a key of unknown origin, is a warning", () => {
      expect(codes(authentic({ keys: keys([byAdmin({})]) }))).to.deep.equal(["KEY_DELAY_UNPROVEN"]);
      expect(codes(authentic({ keys: keys([byAdmin({ opId: TX, executed: at(8n) })]) }))).to.deep.equal([
        "KEY_DELAY_UNPROVEN",
      ]);
      expect(codes(authentic({ keys: keys([{ ...onboarded(A), how: "unknown" }]) }))).to.deep.equal([
        "KEY_ORIGIN_UNKNOWN",
      ]);
    });

    it("a key the organization added is judged by how the adding key got there", () => {
      const adder = byAdmin({ opId: TX, announced: at(3n), executed: at(8n) });
      const child: KeyOrigin = { ...onboarded(B), how: "organization", by: A as KeyOrigin["account"], addedBy: adder };
      const e = authentic({ keys: keys([child]) });
      expect(notices(e).map((n) => n.key?.account)).to.deep.equal([A]);
      const clean: KeyOrigin = { ...child, addedBy: onboarded(A) };
      expect(notices(authentic({ keys: keys([clean]) }))).to.deep.equal([]);
    });
  });
});
