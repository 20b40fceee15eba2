/**
 * Who owned the code when it was registered (issue 11, trust model v2 item 2): from the prefix registry's
 * history and the unit's proven registration entry, the licence that covered the code at that moment and
 * whether the registrant held it or was authorized under it. Ledgers from 2.1.0 refuse any other
 * registration, so a registration outside a licence means the endpoint or the ledger is not what it claims.
 * Pure: `collect` reads, `judge` and the report both use {@link ownershipFinding}, the one place the rule lives.
 */
import type { Gs1Kind } from "../gs1";
import type { LogPosition } from "../read/logRange";
import type { PrefixLicenceRecord, PrefixLicenceTimeline } from "../read/licences";
import type { OrganizationInfo } from "./types";

/** The first ledger version that checks, on chain, that a code's registrant holds its prefix. */
export const OWNERSHIP_CHECKED_FROM = "2.1.0";

/** What the verifier read about the code's ownership. */
export interface OwnershipEvidence {
  /** The ledger's `version()`; below {@link OWNERSHIP_CHECKED_FROM} nothing else is read. */
  version: string;
  /** What kind of code it is (it names the code in the report: GTIN, SSCC, …). */
  kind: Gs1Kind;
  /** The registry history of the code's candidate prefixes (absent on older ledgers). */
  timeline?: PrefixLicenceTimeline;
  /** The unit's registration entry (seq 1, proven by its hash chain) and the organization it names. */
  registration?: LogPosition & { org: number };
  /** The organizations the licences name, as the verifier reads identities. */
  organizations: Map<number, OrganizationInfo>;
}

/** The licence that covered the code, as the report shows it. */
export interface CodeLicence {
  /** "GTIN", "SSCC", "GINC" or "GLN". */
  codeType: CodeType;
  prefix: string;
  holder: OrganizationInfo;
  licence: bigint;
  licensedAtBlock: bigint;
  /** Set when the licence ended (before or after the registration: after it, the code stays legitimate). */
  revokedAtBlock?: bigint;
  /** Set when the registrant is not the holder: the holder's authorization it registered under. */
  manufacturer?: { organization: OrganizationInfo; authorizedAtBlock: bigint };
}

export type CodeType = "GTIN" | "SSCC" | "GINC" | "GLN";

/** The ownership verdict on one code. */
export type OwnershipFinding =
  | { status: "unchecked"; version: string }
  | { status: "held"; licence: CodeLicence }
  | { status: "notHeld"; why: string; licence?: CodeLicence };

/** Whether `version` (major.minor.patch) is at least `floor`. */
export function versionAtLeast(version: string, floor: string): boolean {
  const parse = (v: string) => (/^(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1).map(Number);
  const a = parse(version);
  const b = parse(floor);
  if (a.length !== 3) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** The words a code's type is named with. */
export function codeTypeOf(kind: Gs1Kind): CodeType {
  if (kind === "logistic") return "SSCC";
  if (kind === "consignment") return "GINC";
  if (kind === "location") return "GLN";
  return "GTIN";
}

const before = (a: LogPosition, b: LogPosition) =>
  a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex);

/** The finding: unchecked (older ledger), held (by the holder or an authorized manufacturer), or not held. */
export function ownershipFinding(evidence: OwnershipEvidence): OwnershipFinding {
  const { registration, timeline } = evidence;
  if (!timeline) return { status: "unchecked", version: evidence.version };
  if (!registration) return { status: "notHeld", why: "the unit has no registration entry" };
  if (timeline.anomalies.length) {
    return { status: "notHeld", why: `the registry logs served cannot be the ledger's: ${timeline.anomalies[0]}` };
  }
  const org = (orgId: number): OrganizationInfo =>
    evidence.organizations.get(orgId) ?? { orgId, roles: 0, suspended: false };
  const shown = (l: PrefixLicenceRecord, manufacturer?: CodeLicence["manufacturer"]): CodeLicence => ({
    codeType: codeTypeOf(evidence.kind),
    prefix: l.prefix,
    holder: org(l.holder),
    licence: l.licence,
    licensedAtBlock: l.licensed.blockNumber,
    ...(l.revoked ? { revokedAtBlock: l.revoked.blockNumber } : {}),
    ...(manufacturer ? { manufacturer } : {}),
  });
  const at = registration.blockNumber;
  // A licence covers the registration from its own log on, until a revocation before it.
  const standing = timeline.licences.filter(
    (l) => before(l.licensed, registration) && !(l.revoked && before(l.revoked, registration)),
  );
  if (standing.length > 1) {
    // The registry refuses a prefix inside a licensed one: two standing at once were not served honestly.
    const list = standing.map((l) => `${l.prefix} → organization ${l.holder}`).join(", ");
    return { status: "notHeld", why: `overlapping licences served at block ${at}: ${list}` };
  }
  const licence = standing[0];
  if (!licence) {
    return {
      status: "notHeld",
      why: `no licence of ${timeline.candidates.join(", ") || "any prefix"} covered the code at block ${at}`,
    };
  }
  if (licence.holder === registration.org) return { status: "held", licence: shown(licence) };
  const decisions = licence.authorizations.filter(
    (a) => a.manufacturer === registration.org && before(a.at, registration),
  );
  const last = decisions[decisions.length - 1];
  if (last?.authorized) {
    return {
      status: "held",
      licence: shown(licence, { organization: org(registration.org), authorizedAtBlock: last.at.blockNumber }),
    };
  }
  return {
    status: "notHeld",
    why: `organization ${registration.org} registered it at block ${at}, but prefix ${licence.prefix} was licensed to organization ${licence.holder}, which had not authorized it`,
    licence: shown(licence),
  };
}
