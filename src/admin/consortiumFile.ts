/**
 * The `consortium.json` file: the organizations of a consortium, their roles and accounts, and optional
 * overrides of the role × step permission matrix. `parseConsortiumFile` checks everything that can be
 * checked without the chain and reports every problem with its JSON path, so nothing is sent from a file
 * with a mistake in it. Browser-safe except `readConsortiumFile`.
 *
 * @example
 *   {
 *     "organizations": [
 *       { "name": "Shenzhen Demo Export Co.", "creditCode": "91440300MA5DEMO01Y", "gln": "6901234000004",
 *         "country": "CN", "roles": ["EXPORTER"], "accounts": ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"] }
 *     ],
 *     "permissions": { "SHIPPING": ["CARRIER", "EXPORTER"] }
 *   }
 */
import { readFileSync } from "node:fs";
import { getAddress, isAddress, type Address } from "viem";
import { TraceError } from "../errors/base";
import { LIMITS, ROLES, ROLE_NAMES, STEP_NAMES, type RoleName, type StepName } from "../codes";
import { hasValidCheckDigit } from "../gs1/checkDigit";

/** One organization of the file. */
export interface OrganizationEntry {
  /** Legal name. */
  name: string;
  /** Unified social credit code (统一社会信用代码, GB 32100), upper case. The key that matches the chain. */
  creditCode: string;
  /** GS1 GLN of the organization (13 digits), when it has one. */
  gln?: string;
  /** ISO 3166-1 alpha-2 country code, upper case. */
  country: string;
  /** Roles, in bit order, without duplicates. */
  roles: RoleName[];
  /** Account addresses (checksummed), in file order. */
  accounts: Address[];
  /** Whether the organization should be suspended (default false). */
  suspended: boolean;
  /** GS1 Company Prefixes licensed to it (digits, in file order; none by default). */
  prefixes: string[];
}

/** Allowed roles per step; steps not listed keep what the chain has. An empty list forbids the step. */
export type PermissionsEntry = Partial<Record<StepName, RoleName[]>>;

/** A validated consortium file. */
export interface ConsortiumFile {
  organizations: OrganizationEntry[];
  permissions: PermissionsEntry;
}

/** One problem found in an input, with where it is. */
export interface InputProblem {
  /** JSON path, e.g. `organizations[2].accounts[0]`, or the flag name. */
  path: string;
  message: string;
}

/** The consortium file (or an admin command's input) is malformed; nothing was sent. */
export class ConsortiumFileError extends TraceError {
  override name = "ConsortiumFileError" as const;
  constructor(
    readonly source: string,
    readonly problems: InputProblem[],
    hints: string[] = [],
  ) {
    super(
      problems.length === 1
        ? `${source}: ${problems[0].path ? `${problems[0].path}: ` : ""}${problems[0].message}`
        : `${source} has ${problems.length} problems:\n${problems
            .map((p) => `  - ${p.path ? `${p.path}: ` : ""}${p.message}`)
            .join("\n")}`,
      { hints: [...hints, "Nothing was sent: fix the input and run the command again."] },
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015)

/** The 31 characters of GB 32100 codes, in value order (no I, O, S, V, Z). */
export const CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** Weights of positions 1..17: 3^(i-1) mod 31. */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * The check character (position 18) of a unified social credit code from its first 17 characters
 * (GB 32100-2015 §5: C18 = 31 − (Σ Ci·Wi mod 31), with 31 written as 0).
 */
export function creditCodeCheckChar(body: string): string {
  if (body.length !== 17) throw new RangeError(`a credit code body has 17 characters, not ${body.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARSET.indexOf(body[i]);
    if (v < 0) throw new RangeError(`"${body[i]}" is not a GB 32100 character`);
    sum += v * CREDIT_CODE_WEIGHTS[i];
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

/** Why a credit code is invalid, or undefined when it is valid. `code` should be upper case already. */
export function creditCodeProblem(code: string): string | undefined {
  if (code.length !== 18) {
    return `credit code "${code}" has ${code.length} character${code.length === 1 ? "" : "s"}; GB 32100 codes have 18`;
  }
  const bad = [...code].find((c) => !CREDIT_CODE_CHARSET.includes(c));
  if (bad !== undefined) {
    return `credit code "${code}" contains "${bad}"; GB 32100 allows 0-9 and A-H J-N P-R T-U W-Y (no I, O, S, V, Z)`;
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected) {
    return `credit code "${code}" ends with "${code[17]}" but its check character is "${expected}" (a typo?)`;
  }
  return undefined;
}

/** Whether a string is a valid unified social credit code (upper case, 18 characters, check character). */
export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === undefined;
}

/** The `bytes18` value of a credit code (its ASCII bytes). */
export function encodeCreditCode(code: string): `0x${string}` {
  return `0x${Buffer.from(code, "ascii").toString("hex").padEnd(36, "0")}`;
}

/** The text of a `bytes18` credit code (printable ASCII), or its hex when it is not text. */
export function decodeCreditCode(hex: string): string {
  const bytes = Buffer.from(hex.replace(/^0x/, ""), "hex");
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const text = bytes.subarray(0, end).toString("latin1");
  return /^[\x21-\x7e]*$/.test(text) ? text : hex.toLowerCase();
}

/** The `bytes2` value of an ISO alpha-2 country code. */
export function encodeCountry(country: string): `0x${string}` {
  return `0x${Buffer.from(country, "ascii").toString("hex")}`;
}

/** The text of a `bytes2` country code. */
export function decodeCountry(hex: string): string {
  return Buffer.from(hex.replace(/^0x/, ""), "hex").toString("latin1");
}

/** A GLN as the contract's `uint64` (0 = none). */
export function glnToUint(gln: string | undefined): bigint {
  return gln ? BigInt(gln) : 0n;
}

/** A `uint64` GLN as 13 digits, or undefined for 0. */
export function glnFromUint(value: bigint | number): string | undefined {
  return BigInt(value) === 0n ? undefined : String(value).padStart(13, "0");
}

// ---------------------------------------------------------------------------------------------------------
// Field parsers: each returns the value or records a problem.

class Problems {
  readonly list: InputProblem[] = [];
  add(path: string, message: string): undefined {
    this.list.push({ path, message });
    return undefined;
  }
}

const ROLE_HINT = `Roles: ${ROLE_NAMES.join(", ")}.`;
const STEP_HINT = `Steps: ${STEP_NAMES.join(", ")}.`;
const describe = (v: unknown) => (typeof v === "string" ? `"${v}"` : (JSON.stringify(v) ?? String(v)));

/** A role name (case-insensitive, `-` or `_`). */
export function roleNameOf(text: string): RoleName | undefined {
  const name = text.trim().toUpperCase().replace(/-/g, "_");
  return (ROLE_NAMES as string[]).includes(name) ? (name as RoleName) : undefined;
}

/** A step name (case-insensitive, `-` or `_`). */
export function stepNameOf(text: string): StepName | undefined {
  const name = text.trim().toUpperCase().replace(/-/g, "_");
  return (STEP_NAMES as string[]).includes(name) ? (name as StepName) : undefined;
}

/** Sorts role names in bit order and drops duplicates. */
export function sortRoles(roles: RoleName[]): RoleName[] {
  return [...new Set(roles)].sort((a, b) => ROLES[a] - ROLES[b]);
}

function parseRoles(value: unknown, path: string, p: Problems, allowEmpty: boolean): RoleName[] | undefined {
  if (!Array.isArray(value))
    return p.add(path, `must be a list of role names, e.g. ["EXPORTER"], not ${describe(value)}`);
  if (value.length === 0 && !allowEmpty) return p.add(path, `is empty; an organization needs at least one role`);
  const roles: RoleName[] = [];
  let ok = true;
  value.forEach((v, i) => {
    const role = typeof v === "string" ? roleNameOf(v) : undefined;
    if (!role) {
      ok = false;
      p.add(path.startsWith("-") || !path ? path : `${path}[${i}]`, `unknown role ${describe(v)}. ${ROLE_HINT}`);
    } else roles.push(role);
  });
  return ok ? sortRoles(roles) : undefined;
}

function parseAddressAt(value: unknown, path: string, p: Problems): Address | undefined {
  if (typeof value !== "string") return p.add(path, `must be an address string "0x…", not ${describe(value)}`);
  const text = value.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    return p.add(path, `"${value}" is not an address (0x followed by 40 hex digits)`);
  }
  if (!isAddress(text, { strict: true })) {
    return p.add(
      path,
      `"${value}" has a wrong mixed-case checksum (a typo?); write it all lower case to skip the check`,
    );
  }
  if (/^0x0{40}$/.test(text)) return p.add(path, "the zero address cannot be an account");
  return getAddress(text);
}

/** An organization name: non-empty, at most `LIMITS.MAX_NAME_BYTES` UTF-8 bytes (as the contract checks). */
function parseName(value: unknown, path: string, p: Problems): string | undefined {
  if (typeof value !== "string" || !value.trim()) return p.add(path, "the name must be a non-empty string");
  const name = value.trim();
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > LIMITS.MAX_NAME_BYTES) {
    return p.add(
      path,
      `the name has ${bytes} bytes in UTF-8; at most ${LIMITS.MAX_NAME_BYTES} are accepted (a Chinese character takes 3)`,
    );
  }
  return name;
}

function parseCreditCodeAt(value: unknown, path: string, p: Problems): string | undefined {
  if (typeof value !== "string") return p.add(path, `must be the 18-character credit code as a string`);
  const code = value.trim().toUpperCase();
  const problem = creditCodeProblem(code);
  return problem ? p.add(path, problem) : code;
}

function parseGlnAt(value: unknown, path: string, p: Problems): string | undefined {
  let text: string;
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) text = String(value).padStart(13, "0");
  else if (typeof value === "string") text = value.trim();
  else return p.add(path, `must be a 13-digit GLN string, not ${describe(value)}`);
  if (!/^[0-9]{13}$/.test(text)) return p.add(path, `GLN "${text}" must be 13 digits`);
  if (!hasValidCheckDigit(text)) return p.add(path, `GLN "${text}" has a wrong GS1 check digit (a typo?)`);
  if (/^0+$/.test(text)) return p.add(path, "GLN 0000000000000 is not a GLN; leave the field out instead");
  return text;
}

function parseCountryAt(value: unknown, path: string, p: Problems): string | undefined {
  if (typeof value !== "string" || !/^[A-Za-z]{2}$/.test(value.trim())) {
    return p.add(path, `country ${describe(value)} must be an ISO 3166-1 alpha-2 code such as "CN" or "DE"`);
  }
  return value.trim().toUpperCase();
}

const isComment = (key: string) => key.startsWith("$") || key.startsWith("_");

function checkKeys(o: Record<string, unknown>, allowed: string[], path: string, p: Problems) {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && !isComment(k)) {
      p.add(path ? `${path}.${k}` : k, `unknown field; expected ${allowed.map((a) => `"${a}"`).join(", ")}`);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function parsePermissionsAt(value: unknown, path: string, p: Problems): PermissionsEntry {
  const out: PermissionsEntry = {};
  if (!isObject(value)) {
    p.add(path, `must be an object { "STEP_NAME": ["ROLE", …] }, not ${describe(value)}`);
    return out;
  }
  for (const [key, roles] of Object.entries(value)) {
    if (isComment(key)) continue;
    const at = path ? `${path}.${key}` : key;
    const step = stepNameOf(key);
    if (!step) {
      p.add(at, `unknown step "${key}". ${STEP_HINT}`);
      continue;
    }
    if (out[step]) {
      p.add(at, `step ${step} is listed twice`);
      continue;
    }
    const parsed = parseRoles(roles, at, p, true);
    if (parsed) out[step] = parsed;
  }
  return out;
}

/** Credit codes, GLNs and accounts seen so far in a file (for duplicates). */
interface Seen {
  codes: Map<string, string>;
  glns: Map<string, string>;
  accounts: Map<string, string>;
  prefixes: Map<string, string>;
}

/**
 * Why `prefix` is not a GS1 Company Prefix the ledger licenses (4 to 12 digits), or undefined when it is one.
 */
export function prefixProblem(prefix: unknown): string | undefined {
  const min = LIMITS.MIN_PREFIX_DIGITS;
  const max = LIMITS.MAX_PREFIX_DIGITS;
  if (typeof prefix !== "string" || !new RegExp(`^[0-9]{${min},${max}}$`).test(prefix)) {
    return `must be a GS1 company prefix: ${min} to ${max} digits as a string (e.g. "6901234")`;
  }
  return undefined;
}

/** The prefixes of an organization entry, each checked, and none within another one of the file. */
function parsePrefixesAt(value: unknown, path: string, p: Problems, seen: Seen): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.add(path, `must be a list of GS1 company prefixes`);
    return [];
  }
  const out: string[] = [];
  value.forEach((prefix, i) => {
    const at = `${path}[${i}]`;
    const problem = prefixProblem(prefix);
    if (problem) return p.add(at, problem);
    // GS1 prefixes never nest: one inside another would give one organization's codes to another.
    const clash = [...seen.prefixes].find(([other]) => other.startsWith(prefix) || prefix.startsWith(other));
    if (clash) {
      p.add(
        at,
        clash[0] === prefix
          ? `prefix ${prefix} is listed twice (also at ${clash[1]})`
          : `prefix ${prefix} overlaps prefix ${clash[0]} at ${clash[1]}`,
      );
    } else {
      seen.prefixes.set(prefix as string, at);
      out.push(prefix as string);
    }
  });
  return out;
}

function parseOrganizationAt(value: unknown, path: string, p: Problems, seen: Seen): OrganizationEntry | undefined {
  if (!isObject(value)) return p.add(path, `must be an object with name, creditCode, country, roles, accounts`);
  checkKeys(value, ["name", "creditCode", "gln", "country", "roles", "accounts", "suspended", "prefixes"], path, p);
  const before = p.list.length;
  const name = parseName(value.name, `${path}.name`, p);
  const creditCode = parseCreditCodeAt(value.creditCode, `${path}.creditCode`, p);
  if (creditCode) {
    const first = seen.codes.get(creditCode);
    if (first) p.add(`${path}.creditCode`, `credit code ${creditCode} is already used by ${first}`);
    else seen.codes.set(creditCode, path);
  }
  const gln = value.gln === undefined || value.gln === null ? undefined : parseGlnAt(value.gln, `${path}.gln`, p);
  if (gln) {
    // A GLN locates one party: two organizations with it would make every location ambiguous.
    const first = seen.glns.get(gln);
    if (first) p.add(`${path}.gln`, `GLN ${gln} is already used by ${first}`);
    else seen.glns.set(gln, path);
  }
  const country = parseCountryAt(value.country, `${path}.country`, p);
  const roles = parseRoles(value.roles, `${path}.roles`, p, false);
  const accounts: Address[] = [];
  if (value.accounts !== undefined) {
    if (!Array.isArray(value.accounts)) p.add(`${path}.accounts`, `must be a list of addresses`);
    else
      value.accounts.forEach((a, i) => {
        const at = `${path}.accounts[${i}]`;
        const address = parseAddressAt(a, at, p);
        if (!address) return;
        const first = seen.accounts.get(address.toLowerCase());
        if (first) {
          p.add(at, `account ${address} is listed twice (also at ${first}); an account belongs to one organization`);
        } else {
          seen.accounts.set(address.toLowerCase(), at);
          accounts.push(address);
        }
      });
  }
  if (value.suspended !== undefined && typeof value.suspended !== "boolean") {
    p.add(`${path}.suspended`, `must be true or false`);
  }
  const prefixes = parsePrefixesAt(value.prefixes, `${path}.prefixes`, p, seen);
  if (p.list.length > before) return undefined;
  return {
    name: name!,
    creditCode: creditCode!,
    ...(gln ? { gln } : {}),
    country: country!,
    roles: roles!,
    accounts,
    suspended: value.suspended === true,
    prefixes,
  };
}

/**
 * Validates a parsed `consortium.json`. Refuses unknown fields, roles and steps, malformed credit codes,
 * GLNs, countries and addresses, empty role lists, a credit code or GLN listed twice and an account listed twice
 * (in one organization or in two). Throws a `ConsortiumFileError` naming every problem's JSON path.
 */
export function parseConsortiumFile(value: unknown, source = "consortium file"): ConsortiumFile {
  const p = new Problems();
  if (!isObject(value)) throw new ConsortiumFileError(source, [{ path: "", message: "is not a JSON object" }]);
  checkKeys(value, ["organizations", "permissions"], "", p);
  const organizations: OrganizationEntry[] = [];
  if (!Array.isArray(value.organizations)) {
    p.add("organizations", `must be a list of organizations`);
  } else {
    const seen: Seen = { codes: new Map(), glns: new Map(), accounts: new Map(), prefixes: new Map() };
    value.organizations.forEach((o, i) => {
      const org = parseOrganizationAt(o, `organizations[${i}]`, p, seen);
      if (org) organizations.push(org);
    });
  }
  const permissions = value.permissions === undefined ? {} : parsePermissionsAt(value.permissions, "permissions", p);
  if (p.list.length) {
    throw new ConsortiumFileError(source, p.list, ["The file format is described in docs/consortium.md."]);
  }
  return { organizations, permissions };
}

/** Reads and validates a consortium file from disk. */
export function readConsortiumFile(path: string): ConsortiumFile {
  return parseConsortiumFile(readJsonFile(path), path);
}

/** Validates a permissions object `{ "STEP": ["ROLE", …] }` (the `permissions` part of a consortium file). */
export function parsePermissions(value: unknown, source = "permissions"): PermissionsEntry {
  const p = new Problems();
  const out = parsePermissionsAt(value, "", p);
  if (p.list.length) throw new ConsortiumFileError(source, p.list);
  if (Object.keys(out).length === 0) {
    throw new ConsortiumFileError(
      source,
      [{ path: "", message: "lists no step" }],
      ['Write { "STEP_NAME": ["ROLE", …] }, e.g. { "SHIPPING": ["CARRIER"] }.'],
    );
  }
  return out;
}

/** Reads a JSON file, with an error that says which file and where when it is not JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ConsortiumFileError(path, [{ path: "", message: `cannot be read (${(cause as Error).message})` }]);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConsortiumFileError(path, [{ path: "", message: `is not valid JSON: ${(cause as Error).message}` }]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Single values (admin commands)

/** Validates an organization given field by field (e.g. from command-line flags). */
export function parseOrganizationInput(
  input: { name?: unknown; creditCode?: unknown; gln?: unknown; country?: unknown; roles?: unknown },
  source = "organization",
): Omit<OrganizationEntry, "accounts" | "suspended" | "prefixes"> {
  const p = new Problems();
  const name = parseName(input.name, "--name", p);
  const creditCode = parseCreditCodeAt(input.creditCode, "--credit-code", p);
  const gln = input.gln === undefined || input.gln === "" ? undefined : parseGlnAt(input.gln, "--gln", p);
  const country = parseCountryAt(input.country, "--country", p);
  const roles = parseRoles(typeof input.roles === "string" ? splitList(input.roles) : input.roles, "--roles", p, false);
  if (p.list.length) throw new ConsortiumFileError(source, p.list);
  return { name: name!, creditCode: creditCode!, ...(gln ? { gln } : {}), country: country!, roles: roles! };
}

/** Splits a comma-separated list ("EXPORTER,MANUFACTURER"), dropping blanks. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Validates a role list given as "EXPORTER,MANUFACTURER" or an array. */
export function parseRoleList(value: string | string[], source = "roles"): RoleName[] {
  const p = new Problems();
  const roles = parseRoles(typeof value === "string" ? splitList(value) : value, "", p, false);
  if (p.list.length) throw new ConsortiumFileError(source, p.list);
  return roles!;
}

/** Validates one account address (checksum when mixed case; not zero). */
export function parseAccountAddress(value: string, source = "address"): Address {
  const p = new Problems();
  const address = parseAddressAt(value, "", p);
  if (p.list.length) throw new ConsortiumFileError(source, p.list);
  return address!;
}
