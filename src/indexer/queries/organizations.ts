/** Organizations, their accounts, prefix licences and activity, from the index. */
import type { Address, Hex } from "viem";
import type { TraceEntry } from "../../read/types";
import type { IndexSql } from "../db";
import { big, int } from "../rows";
import { keyOf, limitOf, pageOf, type Page, type PageOptions } from "./page";
import {
  ENTRY_COLUMNS,
  ENTRY_FROM,
  toAccount,
  toEntry,
  toOrganization,
  type ChainPosition,
  type IndexedAccount,
  type IndexedOrganization,
} from "./mappers";

/** An organization by id. */
export async function organizationById(db: IndexSql, id: number): Promise<IndexedOrganization | undefined> {
  const [row] = await db.query("SELECT * FROM organizations WHERE id = $1", [id]);
  return row ? toOrganization(row) : undefined;
}

/** Organizations whose name contains `text` (case-insensitive), by id. */
export async function organizationsByName(
  db: IndexSql,
  text: string,
  page: PageOptions = {},
): Promise<Page<IndexedOrganization>> {
  const limit = limitOf(page);
  const [after] = keyOf(page.after, 1) ?? ["0"];
  if (text.includes("\u0000")) return { items: [] };
  // The user's text is a literal: LIKE's wildcards in it are escaped.
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db.query("SELECT * FROM organizations WHERE name ILIKE $1 AND id > $2 ORDER BY id LIMIT $3", [
    pattern,
    after,
    limit + 1,
  ]);
  return pageOf(rows, limit, toOrganization, (r) => [String(r.id)]);
}

/** The organization with a unified social credit code. */
export async function organizationByCreditCode(
  db: IndexSql,
  creditCode: string,
): Promise<IndexedOrganization | undefined> {
  const [row] = await db.query("SELECT * FROM organizations WHERE credit_code = $1 ORDER BY id LIMIT 1", [creditCode]);
  return row ? toOrganization(row) : undefined;
}

/** The entries an organization's accounts wrote, newest first (keyset: chain position). */
export async function organizationActivity(
  db: IndexSql,
  id: number,
  page: PageOptions = {},
): Promise<Page<TraceEntry>> {
  const limit = limitOf(page);
  const [block, logIndex] = keyOf(page.after, 2) ?? ["9223372036854775807", "2147483647"];
  const rows = await db.query(
    `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.org = $1 AND (e.block, e.log_index) < ($2, $3)
     ORDER BY e.block DESC, e.log_index DESC LIMIT $4`,
    [id, block, logIndex, limit + 1],
  );
  return pageOf(rows, limit, toEntry, (r) => [String(r.block), String(r.log_index)]);
}

/** An organization's accounts, by address. */
export async function organizationAccounts(
  db: IndexSql,
  id: number,
  page: PageOptions = {},
): Promise<Page<IndexedAccount>> {
  const limit = limitOf(page);
  const [after] = keyOf(page.after, 1) ?? [""];
  const rows = await db.query("SELECT * FROM accounts WHERE org = $1 AND address > $2 ORDER BY address LIMIT $3", [
    id,
    after,
    limit + 1,
  ]);
  return pageOf(rows, limit, toAccount, (r) => [String(r.address)]);
}

/** An account by address. */
export async function accountByAddress(db: IndexSql, address: Address): Promise<IndexedAccount | undefined> {
  const [row] = await db.query("SELECT * FROM accounts WHERE address = $1", [address.toLowerCase()]);
  return row ? toAccount(row) : undefined;
}

/** One licence of a prefix, with the contract-manufacturer decisions under it in chain order. */
export interface IndexedPrefixLicence {
  prefix: string;
  prefixHash: Hex;
  holder: number;
  licence: bigint;
  licensed: ChainPosition;
  revoked?: ChainPosition;
  authorizations: Array<{ manufacturer: number; authorized: boolean; at: ChainPosition }>;
}

/** The prefix licences an organization holds or held, by prefix then licence. */
export async function organizationPrefixes(
  db: IndexSql,
  id: number,
  page: PageOptions = {},
): Promise<Page<IndexedPrefixLicence>> {
  const limit = limitOf(page);
  const [prefix, licence] = keyOf(page.after, 2) ?? ["", "-1"];
  const rows = await db.query(
    `SELECT * FROM prefixes WHERE holder = $1 AND (prefix, licence) > ($2, $3::numeric) ORDER BY prefix, licence LIMIT $4`,
    [id, prefix, licence, limit + 1],
  );
  const result = pageOf(
    rows,
    limit,
    (r): IndexedPrefixLicence => ({
      prefix: r.prefix as string,
      prefixHash: r.prefix_hash as Hex,
      holder: int(r.holder),
      licence: big(r.licence),
      licensed: { block: big(r.licensed_block), logIndex: int(r.licensed_log_index) },
      ...(r.revoked_block !== null && r.revoked_block !== undefined
        ? { revoked: { block: big(r.revoked_block), logIndex: int(r.revoked_log_index) } }
        : {}),
      authorizations: [],
    }),
    (r) => [String(r.prefix), String(r.licence)],
  );
  if (result.items.length === 0) return result;
  const auths = await db.query(
    `SELECT * FROM prefix_authorizations WHERE prefix_hash = ANY($1::text[]) ORDER BY block, log_index`,
    [result.items.map((p) => p.prefixHash)],
  );
  for (const a of auths) {
    const licence = result.items.find((p) => p.prefixHash === a.prefix_hash && p.licence === big(a.licence));
    licence?.authorizations.push({
      manufacturer: int(a.manufacturer),
      authorized: Boolean(a.authorized),
      at: { block: big(a.block), logIndex: int(a.log_index) },
    });
  }
  return result;
}
