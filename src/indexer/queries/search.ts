/**
 * One search box: classifies the text (Digital Link URI, element string, GTIN, SSCC, transaction hash or
 * unit key, account, block number, credit code or organization name, consignment number) and returns
 * typed hits from the index. What the text was taken for is returned too, so an empty result can say so.
 */
import type { Address, Hex } from "viem";
import { hasValidCheckDigit, parseGs1, type Gs1Identity } from "../../gs1";
import type { IndexSql } from "../db";
import { blockByNumber, transactionByHash, type IndexedBlock, type IndexedTransaction } from "./chain";
import type { IndexedAccount, IndexedOrganization, IndexedUnit } from "./mappers";
import { accountByAddress, organizationByCreditCode, organizationsByName } from "./organizations";
import { unitByKey, unitByPath, unitsByGinc, unitsByGtin, unitsBySscc } from "./units";

/** What the search text was taken for (several when it is ambiguous, e.g. 18 digits: SSCC or credit code). */
export type SearchAs =
  | "digitalLink"
  | "elementString"
  | "gtin"
  | "sscc"
  | "transaction"
  | "unitKey"
  | "account"
  | "block"
  | "creditCode"
  | "organizationName"
  | "consignment";

/** One thing found. */
export type SearchHit =
  | { kind: "unit"; unit: IndexedUnit }
  | { kind: "transaction"; transaction: IndexedTransaction }
  | { kind: "account"; account: IndexedAccount }
  | { kind: "block"; block: IndexedBlock }
  | { kind: "organization"; organization: IndexedOrganization };

export interface SearchResult {
  query: string;
  as: SearchAs[];
  hits: SearchHit[];
}

/** Hits of one kind a search returns at most (lists have their own paginated queries). */
export const SEARCH_LIMIT = 20;

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/**
 * Searches the index.
 *
 * @param db - The index.
 * @param text - What the user typed or scanned.
 * @returns {@link SearchResult}: the classification and the hits (empty when nothing matches).
 */
export async function search(db: IndexSql, text: string): Promise<SearchResult> {
  const q = text.trim();
  const result: SearchResult = { query: q, as: [], hits: [] };
  const units = (list: IndexedUnit[]) => result.hits.push(...list.map((unit) => ({ kind: "unit" as const, unit })));
  const unit = (u: IndexedUnit | undefined) => u && units([u]);
  const org = (o: IndexedOrganization | undefined) => o && result.hits.push({ kind: "organization", organization: o });
  // PostgreSQL text cannot hold NUL: such input matches nothing rather than failing the query.
  if (q === "" || q.length > 500 || q.includes("\u0000")) return result;

  if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
    result.as.push("transaction", "unitKey");
    const tx = await transactionByHash(db, q as Hex);
    if (tx) result.hits.push({ kind: "transaction", transaction: tx });
    unit(await unitByKey(db, q as Hex));
    return result;
  }
  if (/^0x[0-9a-fA-F]{40}$/.test(q)) {
    result.as.push("account");
    const account = await accountByAddress(db, q as Address);
    if (account) result.hits.push({ kind: "account", account });
    return result;
  }
  if (/^\d+$/.test(q)) {
    if (q.length === 18) {
      result.as.push("sscc", "creditCode");
      units((await unitsBySscc(db, q, { limit: SEARCH_LIMIT })).items);
      org(await organizationByCreditCode(db, q));
      return result;
    }
    if ([8, 12, 13, 14].includes(q.length) && hasValidCheckDigit(q)) {
      result.as.push("gtin");
      units((await unitsByGtin(db, q.padStart(14, "0"), undefined, { limit: SEARCH_LIMIT })).items);
    }
    if (q.length <= 12) {
      result.as.push("block");
      const block = await blockByNumber(db, BigInt(q));
      if (block) result.hits.push({ kind: "block", block });
    }
    if (result.as.length > 0) return result;
  }
  const identity = gs1(q);
  if (identity) {
    result.as.push(/^https?:\/\/|^\//.test(q) ? "digitalLink" : "elementString");
    await unitsOfIdentity(db, identity, units);
    return result;
  }
  if (CREDIT_CODE.test(q)) {
    result.as.push("creditCode");
    org(await organizationByCreditCode(db, q));
  }
  result.as.push("organizationName", "consignment");
  for (const o of (await organizationsByName(db, q, { limit: SEARCH_LIMIT })).items) {
    if (!result.hits.some((h) => h.kind === "organization" && h.organization.id === o.id)) org(o);
  }
  units((await unitsByGinc(db, q, { limit: SEARCH_LIMIT })).items);
  return result;
}

function gs1(q: string): Gs1Identity | undefined {
  try {
    return parseGs1(q);
  } catch {
    return undefined;
  }
}

/** The unit of a code, and for a lot or a trade item class the units under it. */
async function unitsOfIdentity(db: IndexSql, id: Gs1Identity, add: (units: IndexedUnit[]) => void): Promise<void> {
  const own = await unitByPath(db, id.canonicalPath);
  if (own) add([own]);
  if ((id.kind === "lot" || id.kind === "class") && id.gtin) {
    const under = await unitsByGtin(db, id.gtin, id.lot, { limit: SEARCH_LIMIT });
    add(under.items.filter((u) => u.key !== own?.key));
  }
}
