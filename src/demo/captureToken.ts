/**
 * The demo exporter's EPCIS capture credentials for `npm start`: a capture key of its own (a development key
 * no member uses), added to the exporter's organization by the exporter's admin account as a member would,
 * and a bearer token for it. The previous start's demo token is revoked, so only the printed one works.
 */
import type { Address, PublicClient } from "viem";
import type { Wallet } from "ethers";
import type { IndexSql } from "../indexer/db";
import type { TraceWriter } from "../write/writer";
import { OrganizationAccounts } from "../admin/ownAccounts";
import { issueCaptureToken, listCaptureTokens, revokeCaptureToken } from "../capture/credentials";

/** The label the demo token is listed under (`trace capture token list`). */
export const DEMO_CAPTURE_LABEL = "demo exporter (npm start)";

export interface DemoCaptureOptions {
  db: IndexSql;
  client: PublicClient;
  ledger: { address: Address; chainId: number; deploymentBlock: bigint };
  /** A writer with the demo exporter's admin account. */
  exporterAdmin: TraceWriter;
  /** The capture key (its raw key goes to the server's `capture.devKeys`: a local chain only). */
  captureKey: Wallet;
}

/** Adds the capture key when the exporter's organization lacks it, and returns a fresh token for it. */
export async function demoCaptureToken(options: DemoCaptureOptions): Promise<string> {
  const key = options.captureKey.address as Address;
  const [orgId] = (await options.exporterAdmin.ledger.accountInfo(key)) as unknown as [bigint];
  if (Number(orgId) === 0) {
    await OrganizationAccounts.fromWriter(options.exporterAdmin).addAccount(key); // returns once mined
  }
  for (const old of await listCaptureTokens(options.db, key)) {
    if (old.label === DEMO_CAPTURE_LABEL && old.revokedAt === undefined) {
      await revokeCaptureToken(options.db, old.tokenId, key);
    }
  }
  const { token } = await issueCaptureToken({
    db: options.db,
    client: options.client,
    ledger: options.ledger,
    privateKey: options.captureKey.privateKey,
    label: DEMO_CAPTURE_LABEL,
  });
  return token;
}
