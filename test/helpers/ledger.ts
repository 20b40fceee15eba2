/** Shared fixtures for contract tests and the gas benchmark: a deployed ledger with one organization per role. */
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TraceLedger } from "../../typechain-types";
import type { ITraceLedger } from "../../typechain-types/contracts/TraceLedger";
import { LIMITS, roleMask, type RoleName, STEPS, type StepName } from "../../src/codes";
import { itemPath, ssccPath, consignmentPath, unitKeyOfPath, gs1CheckDigit } from "../../src/gs1/key";
import { TRACE_BATCH_TYPES } from "../../src/eip712";

export const ADMIN_DELAY = 3 * 24 * 3600;

/** The organizations every fixture creates, one account each, in this order (org ids 1..n). */
export const MEMBERS = {
  exporter: ["EXPORTER"],
  factory: ["MANUFACTURER"],
  warehouse: ["WAREHOUSE"],
  carrier: ["CARRIER"],
  broker: ["CUSTOMS_BROKER"],
  lab: ["INSPECTION_LAB"],
  platform: ["PLATFORM"],
  customs: ["CUSTOMS"],
  market: ["MARKET_REGULATOR"],
  rival: ["EXPORTER"],
} as const satisfies Record<string, readonly RoleName[]>;

export type MemberName = keyof typeof MEMBERS;
export const MEMBER_NAMES = Object.keys(MEMBERS) as MemberName[];

export interface LedgerFixture {
  ledger: TraceLedger;
  admin: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  accounts: Record<MemberName, HardhatEthersSigner>;
  orgIds: Record<MemberName, number>;
  spare: HardhatEthersSigner[];
}

/** A credit-code-shaped 18-byte value for an organization index. */
export function creditCode(i: number): string {
  return ethers.hexlify(ethers.toUtf8Bytes(`91440300MA5T${String(i).padStart(5, "0")}X`.slice(0, 18)));
}

/** Deploys a ledger and onboards one organization per member with one account each. */
export async function deployLedger(): Promise<LedgerFixture> {
  const signers = await ethers.getSigners();
  const [admin, stranger, ...rest] = signers;
  const ledger = await (await ethers.getContractFactory("TraceLedger")).deploy(admin.address, ADMIN_DELAY);
  const accounts = {} as Record<MemberName, HardhatEthersSigner>;
  const orgIds = {} as Record<MemberName, number>;
  let i = 0;
  for (const name of MEMBER_NAMES) {
    const account = rest[i];
    await (await ledger.addOrganization(`${name} org`, creditCode(i), 0n, "0x434e", roleMask(...MEMBERS[name]))).wait();
    orgIds[name] = i + 1;
    await (await ledger.addAccount(i + 1, account.address)).wait();
    accounts[name] = account;
    i++;
  }
  await licensePrefixes(ledger, admin, { [EXPORTER_PREFIX]: orgIds.exporter, [RIVAL_PREFIX]: orgIds.rival });
  return { ledger, admin, stranger, accounts, orgIds, spare: rest.slice(i) };
}

/** The GS1 Company Prefix every fixture licenses to the exporter: the test GTIN, cartons and consignments. */
export const EXPORTER_PREFIX = "9521234";
/** The prefix licensed to the rival exporter (its own codes: `rivalItemKey`, `rivalCartonKey`). */
export const RIVAL_PREFIX = "9521235";
const KNOWN_PREFIXES = [EXPORTER_PREFIX, RIVAL_PREFIX];

/**
 * Licenses prefixes the way a consortium must: each `licensePrefix` call announced with `schedule`, the public
 * delay waited out on the test chain, then executed.
 */
export async function licensePrefixes(
  ledger: TraceLedger,
  admin: HardhatEthersSigner,
  licences: Record<string, number>,
): Promise<void> {
  const calls = Object.entries(licences).map(([prefix, org]) =>
    ledger.interface.encodeFunctionData("licensePrefix", [prefix, org]),
  );
  for (const data of calls) await (await ledger.connect(admin).schedule(data)).wait();
  await time.increase(Number(await ledger.defaultAdminDelay()));
  for (const data of calls) await (await admin.sendTransaction({ to: await ledger.getAddress(), data })).wait();
}

/** Canonical paths of the keys the helpers below made, so that `registration(key)` can send the code. */
const PATHS = new Map<string, string>();

/** The key of a canonical path, remembered for `registration`. */
export function pathKey(path: string): string {
  const key = unitKeyOfPath(path);
  PATHS.set(key, path);
  return key;
}

/** The canonical path behind a key made by these helpers (or the path itself). */
export function pathOf(unitOrPath: string): string {
  if (unitOrPath.startsWith("/")) return unitOrPath;
  const path = PATHS.get(unitOrPath);
  if (path === undefined) throw new Error(`No test code is known for key ${unitOrPath}: make it with pathKey(path).`);
  return path;
}

/** Digits of the known test prefix a path carries at `LIMITS.PREFIX_OFFSET` (0 when none). */
export function prefixLengthOf(path: string): number {
  const at = Number(LIMITS.PREFIX_OFFSET);
  return KNOWN_PREFIXES.find((p) => path.startsWith(p, at))?.length ?? 0;
}

/** A GTIN-14 with a valid check digit, under `EXPORTER_PREFIX`. */
export const GTIN = "0952123454321" + gs1CheckDigit("0952123454321");
/** A GTIN-14 under `RIVAL_PREFIX`. */
export const RIVAL_GTIN = "0952123554321" + gs1CheckDigit("0952123554321");

/** The key of test item n (GTIN + lot + serial). */
export function itemKey(n: number, lot = "LOT1", gtin = GTIN): string {
  return pathKey(itemPath({ gtin, lot, serial: `S${n}` }));
}

/** The key of test carton n (an SSCC). */
export function cartonKey(n: number, prefix = EXPORTER_PREFIX): string {
  const body = "0" + prefix + String(n).padStart(16 - prefix.length, "0");
  return pathKey(ssccPath(body + gs1CheckDigit(body)));
}

/** The key of test consignment n. */
export function consignmentKey(n: number, prefix = EXPORTER_PREFIX): string {
  return pathKey(consignmentPath(`${prefix}MAWB${n}`));
}

/** The rival exporter's item n (its own GTIN). */
export function rivalItemKey(n: number): string {
  return itemKey(n, "LOT1", RIVAL_GTIN);
}

/** The rival exporter's carton n (its own SSCC). */
export function rivalCartonKey(n: number): string {
  return cartonKey(n, RIVAL_PREFIX);
}

/** The event time the helpers' inputs carry (2026-01-01T00:00:00Z): in the past of every test chain. */
export const EVENT_TIME = 1_767_225_600;

/** A deterministic 32-byte record hash for tests. */
export function recordHash(label: string | number): string {
  return ethers.keccak256(ethers.toUtf8Bytes(`record:${label}`));
}

/** A registration input for a key made by these helpers, or for a canonical path. */
export function registration(unitOrPath: string, label: string | number = unitOrPath): ITraceLedger.RegistrationStruct {
  const path = pathOf(unitOrPath);
  const key = unitKeyOfPath(path);
  return {
    path: ethers.toUtf8Bytes(path),
    prefixLength: prefixLengthOf(path),
    eventTime: EVENT_TIME,
    location: 6901234000004n,
    recordHash: recordHash(label === unitOrPath ? key : label),
  };
}

/** An event input. */
export function traceInput(
  unit: string,
  step: StepName,
  opts: { disposition?: number; eventTime?: number; location?: bigint; label?: string | number } = {},
): ITraceLedger.TraceInputStruct {
  return {
    unit,
    step: STEPS[step],
    disposition: opts.disposition ?? 0,
    eventTime: opts.eventTime ?? EVENT_TIME,
    location: opts.location ?? 6901234000004n,
    recordHash: recordHash(opts.label ?? `${unit}:${step}`),
  };
}

/** An aggregation input. */
export function aggregation(parent: string, label: string | number = parent): ITraceLedger.AggregationStruct {
  return { parent, eventTime: EVENT_TIME, location: 6901234000004n, recordHash: recordHash(label) };
}

/** Signs a batch of events with EIP-712 as `signer`, for the domain the ledger reports. */
export async function signBatch(
  ledger: TraceLedger,
  signer: HardhatEthersSigner,
  events: ITraceLedger.TraceInputStruct[],
  opts: { nonce?: bigint; deadline?: number; signerAddress?: string } = {},
): Promise<ITraceLedger.SignedBatchStruct> {
  const d = await ledger.eip712Domain();
  const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
  const claimed = opts.signerAddress ?? signer.address;
  const nonce = opts.nonce ?? (await ledger.nonces(claimed));
  const deadline = opts.deadline ?? Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600;
  const value = { signer: claimed, nonce, deadline, events };
  const types = { TraceBatch: [...TRACE_BATCH_TYPES.TraceBatch], TraceEvent: [...TRACE_BATCH_TYPES.TraceEvent] };
  const signature = await signer.signTypedData(domain, types, value);
  return { ...value, signature };
}

// ---- GS1 Company Prefix registry (2.1): contract manufacturers in tests ----

/** The exporter's org-admin key authorizes `member` to register codes under `EXPORTER_PREFIX`. */
export async function authorizeUnderExporter(f: LedgerFixture, member: MemberName): Promise<void> {
  const holder = f.ledger.connect(f.accounts.exporter);
  await (await holder.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds[member], true)).wait();
}

/**
 * `deployLedger` where the factory is the exporter's contract manufacturer (it registers the exporter's codes).
 * Built on the `deployLedger` snapshot, so that it starts from the same early chain whatever ran before.
 */
export async function deployLedgerWithManufacturer(): Promise<LedgerFixture> {
  const f = await loadFixture(deployLedger);
  await authorizeUnderExporter(f, "factory");
  return f;
}

/** `keccak256` of a prefix's digits: how the registry finds it, and the `prefixHash` topic of its logs. */
export function prefixHash(prefix: string): string {
  return ethers.keccak256(ethers.toUtf8Bytes(prefix));
}

/** Announces `licensePrefix(prefix, orgId)` as the admin and waits out the delay; returns the operation id. */
export async function scheduleLicence(ledger: TraceLedger, prefix: string, orgId: number): Promise<string> {
  const data = ledger.interface.encodeFunctionData("licensePrefix", [prefix, orgId]);
  await (await ledger.schedule(data)).wait();
  await time.increase(Number(await ledger.defaultAdminDelay()));
  return ethers.keccak256(data);
}

/** The canonical path of item `serial` of a GTIN-14 built under any company prefix (indicator 0). */
export function gtinPathUnder(prefix: string, serial: string, item = "1"): string {
  const body = ("0" + prefix + item.padStart(12 - prefix.length, "0")).slice(0, 13);
  return itemPath({ gtin: body + gs1CheckDigit(body), serial });
}

// ---- Customs documents (2.2): the two roles issue 14 added, in a fixture of their own ----

/** The organizations {deployCustomsLedger} adds after {MEMBERS} (ids `MEMBER_NAMES.length + 1`, + 2). */
export const CUSTOMS_MEMBERS = {
  payment: ["PAYMENT_INSTITUTION"],
  tax: ["TAX_AUTHORITY"],
} as const satisfies Record<string, readonly RoleName[]>;

export type CustomsMemberName = MemberName | keyof typeof CUSTOMS_MEMBERS;

/** {LedgerFixture} with a payment institution and a tax authority as well. */
export interface CustomsLedgerFixture extends LedgerFixture {
  accounts: Record<CustomsMemberName, HardhatEthersSigner>;
  orgIds: Record<CustomsMemberName, number>;
}

/** `deployLedger` plus one payment institution and one tax authority (one account each, from `spare`). */
export async function deployCustomsLedger(): Promise<CustomsLedgerFixture> {
  const f = (await deployLedger()) as CustomsLedgerFixture;
  let id = MEMBER_NAMES.length;
  for (const [name, roles] of Object.entries(CUSTOMS_MEMBERS) as Array<
    [keyof typeof CUSTOMS_MEMBERS, readonly RoleName[]]
  >) {
    const account = f.spare.shift()!;
    await (await f.ledger.addOrganization(`${name} org`, creditCode(id), 0n, "0x434e", roleMask(...roles))).wait();
    await (await f.ledger.addAccount(++id, account.address)).wait();
    f.accounts[name] = account;
    f.orgIds[name] = id;
  }
  return f;
}
