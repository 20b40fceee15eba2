/**
 * The GS1 Company Prefix registry of the reference model (2.1, issue 11 item 2), written from the issue's
 * rules on digit strings — who holds which digits, under which licence number each authorization was given —
 * not from the contract's storage (no hashes, no "longer" counters). `LedgerModel` calls these inside its
 * clone-and-commit runs; a refusal is thrown with `fail` and carries its arguments.
 */

/** From the issue: prefixes are 4 to 12 ASCII digits; the prefix starts at byte 5 of every canonical path. */
export const MIN_DIGITS = 4;
export const MAX_DIGITS = 12;
export const PREFIX_OFFSET = 5;

export interface Licence {
  holder: number;
  licence: number;
}

export interface PrefixState {
  /** Licensed digit strings → holder and licence number. */
  licences: Map<string, Licence>;
  /** The last licence number handed out. */
  lastLicence: number;
  /** `${digits}:${manufacturer}` → the licence number the holder authorized it under (0: withdrawn). */
  authorizedUnder: Map<string, number>;
  /** `licensePrefix(digits, org)` calls announced and past the delay, not yet run: `${digits}:${org}`. */
  announced: Set<string>;
  /**
   * How many full delays the chain's clock has moved (the test waits exactly one delay at a time, and runs
   * for seconds between waits): a revoke in the current period still holds back licences overlapping it.
   */
  period: number;
  /** Revoked digit strings → the period of their last revoke. */
  revokedIn: Map<string, number>;
}

/** A registry log the contract must emit: its name and arguments, in ABI order. */
export interface RegistryLog {
  name: "PrefixLicensed" | "PrefixRevoked" | "ManufacturerAuthorized";
  args: (string | number | boolean)[];
}

export type Fail = (name: string, args: unknown[]) => never;

export function clonePrefixes(p: PrefixState): PrefixState {
  return {
    licences: new Map([...p.licences].map(([k, v]) => [k, { ...v }])),
    lastLicence: p.lastLicence,
    authorizedUnder: new Map(p.authorizedUnder),
    announced: new Set(p.announced),
    period: p.period,
    revokedIn: new Map(p.revokedIn),
  };
}

const isPrefix = (digits: string) => new RegExp(`^[0-9]{${MIN_DIGITS},${MAX_DIGITS}}$`).test(digits);

/** The digits a registration's `prefixLength` points at in its path, or null when out of range. */
export function prefixOfCode(path: string, prefixLength: number): string | null {
  const bytes = Buffer.from(path, "utf8");
  if (prefixLength < MIN_DIGITS || prefixLength > MAX_DIGITS || PREFIX_OFFSET + prefixLength > bytes.length) {
    return null;
  }
  return bytes.subarray(PREFIX_OFFSET, PREFIX_OFFSET + prefixLength).toString("latin1");
}

/** Whether `org` may register under `digits` now: it holds them, or the holder authorized it under this licence. */
export function mayRegister(p: PrefixState, digits: string | null, org: number): { allowed: boolean; holder: number } {
  const l = digits === null ? undefined : p.licences.get(digits);
  if (!l) return { allowed: false, holder: 0 };
  return { allowed: l.holder === org || p.authorizedUnder.get(`${digits}:${org}`) === l.licence, holder: l.holder };
}

/**
 * `licensePrefix` after the admin and organization checks: the argument checks first, the announcement
 * last (a call that could never run is refused for its real reason).
 */
export function license(p: PrefixState, digits: string, org: number, fail: Fail): RegistryLog {
  const held = p.licences.get(digits);
  if (held) fail("PrefixAlreadyLicensed", [digits, held.holder]);
  const covered = [...p.licences.keys()].filter((k) => k.length > digits.length && k.startsWith(digits));
  if (covered.length) fail("PrefixCoversLicensed", [digits, covered.length]);
  // Codes a revoke freed wait a full delay before anyone is licensed over them: the revoked prefix, those
  // inside it and those around it (not a neighbour that merely shares leading digits).
  const recent = (r: string) => p.revokedIn.get(r) === p.period;
  if ([...p.revokedIn.keys()].some((r) => recent(r) && r.startsWith(digits))) fail("PrefixRecentlyRevoked", []);
  for (let k = MIN_DIGITS; k < digits.length; k++) {
    const shorter = digits.slice(0, k);
    if (p.licences.has(shorter)) fail("PrefixWithinLicensed", [digits, shorter]);
    if (recent(shorter)) fail("PrefixRecentlyRevoked", []);
  }
  if (!p.announced.has(`${digits}:${org}`)) fail("ConsortiumOperationNotReady", []);
  p.announced.delete(`${digits}:${org}`);
  p.lastLicence += 1;
  p.licences.set(digits, { holder: org, licence: p.lastLicence });
  return { name: "PrefixLicensed", args: [digits, org, p.lastLicence, digits] };
}

/** `isPrefix` for `licensePrefix`'s digit check. */
export function requireDigits(digits: string, fail: Fail): void {
  if (!isPrefix(digits)) fail("PrefixInvalid", [digits]);
}

/** `revokePrefix` after the admin check. Authorizations stay stored but die with the licence number. */
export function revoke(p: PrefixState, digits: string, fail: Fail): RegistryLog {
  const l = p.licences.get(digits);
  if (!l) fail("PrefixNotLicensed", [digits]);
  p.licences.delete(digits);
  p.revokedIn.set(digits, p.period);
  return { name: "PrefixRevoked", args: [digits, l!.holder, l!.licence, digits] };
}

/**
 * `authorizeManufacturer` by an account of organization `callerOrg` (0: no account); `orgAdmin` is whether
 * it is an active organization-admin key; `orgExists` checks the manufacturer.
 */
export function authorize(
  p: PrefixState,
  call: { account: string; callerOrg: number; orgAdmin: boolean },
  digits: string,
  manufacturer: number,
  authorized: boolean,
  orgExists: (org: number) => boolean,
  fail: Fail,
): RegistryLog {
  const l = p.licences.get(digits);
  if (!l) fail("PrefixNotLicensed", [digits]);
  if (!call.orgAdmin) fail("ConsortiumNotOrganizationAdmin", [call.account, call.callerOrg]);
  if (call.callerOrg !== l!.holder) fail("PrefixNotHolder", [digits, call.callerOrg, l!.holder]);
  if (manufacturer === l!.holder) fail("PrefixHolderIsManufacturer", [digits, manufacturer]);
  if (!orgExists(manufacturer)) fail("ConsortiumUnknownOrganization", [manufacturer]);
  const key = `${digits}:${manufacturer}`;
  const now = p.authorizedUnder.get(key) === l!.licence;
  if (now === authorized) fail("PrefixAuthorizationUnchanged", [digits, manufacturer, authorized]);
  p.authorizedUnder.set(key, authorized ? l!.licence : 0);
  return { name: "ManufacturerAuthorized", args: [digits, l!.holder, manufacturer, l!.licence, authorized] };
}
