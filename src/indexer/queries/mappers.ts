/** Row → typed object, for the query modules (one mapping per kind of row). */
import type { Address, Hex } from "viem";
import { decodeInfo, stepName, rolesOf, type RoleName } from "../../codes";
import type { TraceEntry } from "../../read/types";
import { big, int, opt } from "../rows";
import type { Row } from "../db";

/** A chain position. */
export interface ChainPosition {
  block: bigint;
  logIndex: number;
}

/** The entry columns, with the header fields the chain covers (block hash and time). */
export const ENTRY_COLUMNS = `e.unit, e.account, e.data, e.info, e.block, e.log_index, e.tx_hash,
  b.hash AS block_hash, b.timestamp AS block_time`;
export const ENTRY_FROM = "entries e JOIN blocks b ON b.number = e.block";

/** An indexed entry, shaped exactly like the read path's {@link TraceEntry} (so it replays the same way). */
export function toEntry(r: Row): TraceEntry {
  const info = BigInt(r.info as string);
  const f = decodeInfo(info);
  return {
    unit: r.unit as Hex,
    account: r.account as Address,
    data: r.data as Hex,
    info,
    ...f,
    stepName: stepName(f.step),
    blockNumber: big(r.block),
    blockTime: int(r.block_time),
    logIndex: int(r.log_index),
    transactionHash: r.tx_hash as Hex,
    blockHash: r.block_hash as Hex,
  };
}

/** A unit as the index knows it. */
export interface IndexedUnit {
  key: Hex;
  /** The canonical Digital Link path, from the registering call (undefined when it could not be decoded). */
  path?: string;
  kind?: string;
  gtin?: string;
  cpv?: string;
  lot?: string;
  serial?: string;
  sscc?: string;
  ginc?: string;
  gln?: string;
  /** The organization that registered it. */
  registrant: number;
  registered: ChainPosition;
  /** Entries indexed so far, and the block of the newest. */
  seq: number;
  lastBlock: bigint;
}

export const UNIT_COLUMNS = "u.*";

export function toUnit(r: Row): IndexedUnit {
  const s = (v: unknown) => String(v);
  const u: IndexedUnit = {
    key: r.key as Hex,
    registrant: int(r.registrant),
    registered: { block: big(r.registered_block), logIndex: int(r.registered_log_index) },
    seq: int(r.seq),
    lastBlock: big(r.last_block),
  };
  for (const k of ["path", "kind", "gtin", "cpv", "lot", "serial", "sscc", "ginc", "gln"] as const) {
    const v = opt(r[k], s);
    if (v !== undefined) u[k] = v;
  }
  return u;
}

/** A stay of a child in a parent. */
export interface Stay {
  child: Hex;
  parent: Hex;
  packed: ChainPosition;
  /** Undefined while the child is still inside. */
  unpacked?: ChainPosition;
}

export function toStay(r: Row): Stay {
  const stay: Stay = {
    child: r.child as Hex,
    parent: r.parent as Hex,
    packed: { block: big(r.packed_block), logIndex: int(r.packed_log_index) },
  };
  if (r.unpacked_block !== null && r.unpacked_block !== undefined) {
    stay.unpacked = { block: big(r.unpacked_block), logIndex: int(r.unpacked_log_index) };
  }
  return stay;
}

/** An organization as its logs describe it. */
export interface IndexedOrganization {
  id: number;
  name: string;
  creditCode: string;
  gln?: string;
  country: string;
  roles: number;
  roleNames: RoleName[];
  suspended: boolean;
  added: ChainPosition;
}

export function toOrganization(r: Row): IndexedOrganization {
  const roles = int(r.roles);
  return {
    id: int(r.id),
    name: r.name as string,
    creditCode: r.credit_code as string,
    ...(r.gln ? { gln: r.gln as string } : {}),
    country: r.country as string,
    roles,
    roleNames: rolesOf(roles),
    suspended: Boolean(r.suspended),
    added: { block: big(r.added_block), logIndex: int(r.added_log_index) },
  };
}

/** An account (signing key) of an organization. */
export interface IndexedAccount {
  address: Address;
  org: number;
  active: boolean;
  orgAdmin: boolean;
  addedBy?: Address;
  /** The key it replaced (rotation). */
  rotatedFrom?: Address;
  /** The key that replaced it (it is retired). */
  rotatedTo?: Address;
  added: ChainPosition;
}

export function toAccount(r: Row): IndexedAccount {
  return {
    address: r.address as Address,
    org: int(r.org),
    active: Boolean(r.active),
    orgAdmin: Boolean(r.org_admin),
    ...(r.added_by ? { addedBy: r.added_by as Address } : {}),
    ...(r.rotated_from ? { rotatedFrom: r.rotated_from as Address } : {}),
    ...(r.rotated_to ? { rotatedTo: r.rotated_to as Address } : {}),
    added: { block: big(r.added_block), logIndex: int(r.added_log_index) },
  };
}
