/** Shared fixtures for contract tests and the gas benchmark: a deployed ledger with one organization per role. */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TraceLedger } from "../../typechain-types";
import type { ITraceLedger } from "../../typechain-types/contracts/TraceLedger";
import { roleMask, type RoleName, STEPS, type StepName } from "../../src/codes";
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
  return { ledger, admin, stranger, accounts, orgIds, spare: rest.slice(i) };
}

/** A GTIN-14 with a valid check digit. */
export const GTIN = "0952123454321" + gs1CheckDigit("0952123454321");

/** The key of test item n (GTIN + lot + serial). */
export function itemKey(n: number, lot = "LOT1"): string {
  return unitKeyOfPath(itemPath({ gtin: GTIN, lot, serial: `S${n}` }));
}

/** The key of test carton n (an SSCC). */
export function cartonKey(n: number): string {
  const body = "0" + "9521234" + String(n).padStart(9, "0");
  return unitKeyOfPath(ssccPath(body + gs1CheckDigit(body)));
}

/** The key of test consignment n. */
export function consignmentKey(n: number): string {
  return unitKeyOfPath(consignmentPath(`9521234MAWB${n}`));
}

/** A deterministic 32-byte record hash for tests. */
export function recordHash(label: string | number): string {
  return ethers.keccak256(ethers.toUtf8Bytes(`record:${label}`));
}

/** A registration input. */
export function registration(unit: string, label: string | number = unit): ITraceLedger.RegistrationStruct {
  return { unit, eventTime: 1_767_225_600, location: 6901234000004n, recordHash: recordHash(label) };
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
    eventTime: opts.eventTime ?? 1_767_225_600,
    location: opts.location ?? 6901234000004n,
    recordHash: recordHash(opts.label ?? `${unit}:${step}`),
  };
}

/** An aggregation input. */
export function aggregation(parent: string, label: string | number = parent): ITraceLedger.AggregationStruct {
  return { parent, eventTime: 1_767_225_600, location: 6901234000004n, recordHash: recordHash(label) };
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
