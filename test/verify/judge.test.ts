/** The verdict rules on evidence alone (no chain): every reason code, each from the evidence that gives it. */
import { expect } from "chai";
import type { Hex } from "viem";
import { judge } from "../../src/verify/judge";
import type { Evidence, LedgerEvidence } from "../../src/verify/evidence";
import { REASONS, type ReasonCode } from "../../src/verify/reasons";
import type { OrganizationInfo, VerifiedEntry } from "../../src/verify/types";
import type { UnitState } from "../../src/read/types";
import { STEPS, stepName } from "../../src/codes";

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
    ...extra,
  };
}

const codes = (evidence: Evidence) => judge(evidence).map((r) => r.code);

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
        ],
      }),
      authentic({ entries: [entry(STEPS.DELIVERED)] }),
      authentic({ stateDisagreements: [{ unit: UNIT, field: "recalled", served: "false", derived: "true" }] }),
    ];
    for (const e of samples) for (const c of codes(e)) reached.add(c);
    expect([...reached].sort()).to.deep.equal((Object.keys(REASONS) as ReasonCode[]).sort());
  });
});
