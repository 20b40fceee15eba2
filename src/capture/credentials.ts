/**
 * Who may capture, and with which key. A bearer token is bound to exactly one ledger account, a *capture
 * key*: an account of the member's organization that the organization's own admin account added on chain
 * (`addAccountAsOrg`), so neither the platform nor the consortium admin can mint capture rights for an
 * organization. The platform holds that key (an encrypted JSON keystore in the index database, or for the
 * local demo chain only a raw key from its settings) and writes with it: every capture of a token is signed
 * by that organization's key and nobody else's.
 *
 * Tokens are 256-bit random values shown once; only their SHA-256 is stored (`epcis_capture_tokens`).
 * Node-only.
 */
import type { IncomingMessage } from "node:http";
import { createHash, randomBytes } from "node:crypto";
import { Wallet, type Provider } from "ethers";
import type { Address, PublicClient } from "viem";
import type { IndexSql } from "../indexer/db";
import { traceLedgerAbi } from "../generated/abi";
import { readKeyOrigins } from "../read/keys";
import type { LedgerLocation } from "../read/types";
import { CaptureKeyMissingError, CaptureKeyRefusedError } from "./errors";
import { ensureCaptureTables } from "./schema";

/** What a token gives: the account it captures as and that account's organization. */
export interface CaptureIdentity {
  tokenId: string;
  account: Address;
  orgId: number;
}

/** A token as listed (never the token itself). */
export interface CaptureTokenInfo extends CaptureIdentity {
  label: string;
  createdAt: number;
  revokedAt?: number;
}

/** Chain ids of local development chains, the only ones on which raw keys from settings are used. */
export const LOCAL_CHAIN_IDS: readonly number[] = [31337, 1337];

/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
}

/**
 * The caller a request's capture token names, for the other EPCIS routes (query, named queries,
 * subscriptions): its organization and account, or undefined without a valid token.
 */
export function captureCaller(db: IndexSql) {
  return async (req: IncomingMessage): Promise<{ org: number; account: string } | undefined> => {
    const token = bearerTokenOf(req.headers.authorization);
    const identity = token === undefined ? undefined : await authenticateCaptureToken(db, token);
    return identity && { org: identity.orgId, account: identity.account };
  };
}

/** SHA-256 (hex) of a token: what is stored and looked up. */
export function hashCaptureToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Checks that `account` may be a capture key: an active account of an active organization, added by one of
 * that organization's own accounts (not its onboarding key, not a key the consortium admin put there).
 * Returns its organization.
 */
export async function checkCaptureKey(
  client: PublicClient,
  ledger: LedgerLocation,
  account: Address,
): Promise<{ orgId: number }> {
  const [orgId, , status] = (await client.readContract({
    address: ledger.address,
    abi: traceLedgerAbi,
    functionName: "accountInfo",
    args: [account],
  })) as readonly [number, number, number, bigint];
  if (Number(orgId) === 0) {
    throw new CaptureKeyRefusedError(`${account} is not an account of any organization on the ledger.`, {
      hints: ["Have your organization's admin add it: trace … addAccountAsOrg (OrganizationAccounts.addAccount)."],
    });
  }
  if (Number(status) !== 0) {
    throw new CaptureKeyRefusedError(`${account} is not an active account (suspended or retired).`);
  }
  // The head as of now, not viem's cached block number: a key added a moment ago must be found.
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const { origins } = await readKeyOrigins(client, { ledger, blockNumber, keys: [{ account, orgId: Number(orgId) }] });
  const origin = origins.get(account.toLowerCase());
  if (origin?.how !== "organization") {
    const how =
      origin?.how === "onboarding" ? "the organization's onboarding key" : `added by ${origin?.how ?? "nobody known"}`;
    throw new CaptureKeyRefusedError(
      `${account} is ${how}: a capture key must be one your organization's own admin added (addAccountAsOrg).`,
      { hints: ["Create a separate capture key and add it from your organization's admin account."] },
    );
  }
  return { orgId: Number(orgId) };
}

/** Options of {@link issueCaptureToken}. */
export interface IssueCaptureTokenOptions {
  db: IndexSql;
  client: PublicClient;
  ledger: LedgerLocation;
  /** The capture key's private key: its account is what the token captures as. */
  privateKey: string;
  /**
   * Passphrase to keep the key as an encrypted JSON keystore in the index database. Leave it out only on a
   * local chain whose server gets the raw key in its settings (`CaptureOptions.devKeys`).
   */
  passphrase?: string;
  /** Who the token is for (listed, never secret). */
  label: string;
}

/**
 * Issues a bearer token for a capture key after checking it ({@link checkCaptureKey}); stores its hash
 * (and the key's encrypted keystore when `passphrase` is given). The token is returned once: print it.
 */
export async function issueCaptureToken(
  options: IssueCaptureTokenOptions,
): Promise<{ token: string; id: string; account: Address; orgId: number }> {
  const wallet = new Wallet(options.privateKey);
  const account = wallet.address as Address;
  const { orgId } = await checkCaptureKey(options.client, options.ledger, account);
  await ensureCaptureTables(options.db);
  if (options.passphrase !== undefined) {
    const keystore = await wallet.encrypt(options.passphrase);
    await options.db.query(
      `INSERT INTO epcis_capture_keys (account, org, keystore, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account) DO UPDATE SET keystore = EXCLUDED.keystore, org = EXCLUDED.org`,
      [account.toLowerCase(), orgId, keystore, Date.now()],
    );
  }
  const token = `cbt_${randomBytes(32).toString("base64url")}`;
  const id = randomBytes(8).toString("hex");
  await options.db.query(
    `INSERT INTO epcis_capture_tokens (id, token_hash, account, org, label, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, hashCaptureToken(token), account.toLowerCase(), orgId, options.label, Date.now()],
  );
  return { token, id, account, orgId };
}

type TokenRow = {
  id: string;
  account: string;
  org: string | number;
  label: string;
  created_at: string | number;
  revoked_at: string | number | null;
};

const info = (r: TokenRow): CaptureTokenInfo => ({
  tokenId: r.id,
  account: r.account as Address,
  orgId: Number(r.org),
  label: r.label,
  createdAt: Number(r.created_at),
  ...(r.revoked_at !== null ? { revokedAt: Number(r.revoked_at) } : {}),
});

/** The identity of a bearer token, or undefined when it is unknown or revoked. */
export async function authenticateCaptureToken(db: IndexSql, token: string): Promise<CaptureIdentity | undefined> {
  if (!/^cbt_[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const rows = await db.query<TokenRow>(
    "SELECT id, account, org, label, created_at, revoked_at FROM epcis_capture_tokens WHERE token_hash = $1",
    [hashCaptureToken(token)],
  );
  const row = rows[0];
  if (!row || row.revoked_at !== null) return undefined;
  return { tokenId: row.id, account: row.account as Address, orgId: Number(row.org) };
}

/** The tokens of an account (all accounts when absent), newest first. */
export async function listCaptureTokens(db: IndexSql, account?: string): Promise<CaptureTokenInfo[]> {
  await ensureCaptureTables(db);
  const rows = await db.query<TokenRow>(
    `SELECT id, account, org, label, created_at, revoked_at FROM epcis_capture_tokens
     ${account ? "WHERE account = $1" : ""} ORDER BY created_at DESC, id`,
    account ? [account.toLowerCase()] : [],
  );
  return rows.map(info);
}

/** Revokes a token by id (of `account`, when given); false when there was no such live token. */
export async function revokeCaptureToken(db: IndexSql, id: string, account?: string): Promise<boolean> {
  await ensureCaptureTables(db);
  const rows = await db.query<{ id: string }>(
    `UPDATE epcis_capture_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL
     ${account ? "AND account = $3" : ""} RETURNING id`,
    account ? [id, Date.now(), account.toLowerCase()] : [id, Date.now()],
  );
  return rows.length === 1;
}

/** Where the server finds the capture keys' private keys. */
export interface CaptureKeySource {
  db: IndexSql;
  chainId: number;
  /** Unlocks the keystores of `epcis_capture_keys`. */
  passphrase?: string;
  /** Raw private keys (local chains only, see {@link LOCAL_CHAIN_IDS}). */
  devKeys?: string[];
}

/** The signer of a capture key, connected to `provider`. */
export async function captureSigner(source: CaptureKeySource, account: string, provider: Provider): Promise<Wallet> {
  const wanted = account.toLowerCase();
  if (source.devKeys && LOCAL_CHAIN_IDS.includes(source.chainId)) {
    for (const key of source.devKeys) {
      const wallet = new Wallet(key, provider);
      if (wallet.address.toLowerCase() === wanted) return wallet;
    }
  }
  const rows = await source.db.query<{ keystore: string }>(
    "SELECT keystore FROM epcis_capture_keys WHERE account = $1",
    [wanted],
  );
  if (!rows[0] || source.passphrase === undefined) {
    throw new CaptureKeyMissingError(`The platform holds no usable key for capture account ${account}.`, {
      hints: ["Issue the token with the key's passphrase (trace capture token create) and start the server with it."],
    });
  }
  const wallet = await Wallet.fromEncryptedJson(rows[0].keystore, source.passphrase);
  return wallet.connect(provider) as Wallet;
}
