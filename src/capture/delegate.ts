/**
 * Creating a capture key the way the capture interface requires: a fresh account that the organization's
 * own admin account adds to its organization (`addAccountAsOrg`, not an admin itself), optionally funded for
 * gas from the admin's balance. `npm start` does this for the demo exporter; `trace capture key new` for a
 * member.
 */
import { Wallet } from "ethers";
import type { Address } from "viem";
import { OrganizationAccounts } from "../admin/ownAccounts";
import type { TraceWriter } from "../write/writer";

/**
 * Adds a new capture key to the organization of `orgAdmin` (an admin account of it) and, with `fund`, sends
 * it that many wei for gas. Returns the new key: keep its private key safe (it is shown nowhere else).
 */
export async function delegateCaptureKey(orgAdmin: TraceWriter, options: { fund?: bigint } = {}): Promise<Wallet> {
  const key = Wallet.createRandom();
  await OrganizationAccounts.fromWriter(orgAdmin).addAccount(key.address as Address);
  if (options.fund && options.fund > 0n) await orgAdmin.sender.send({ to: key.address, value: options.fund });
  return new Wallet(key.privateKey);
}
