/** Organization identity and status as the chain records them (browser-safe). */
import { BaseError, ContractFunctionRevertedError, hexToString, type PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import type { LedgerLocation } from "../read/types";
import type { OrganizationInfo } from "./types";

/**
 * Reads an organization (as of `blockNumber`, default the latest block): status from storage, identity from
 * its `OrganizationAdded` log (one block). Undefined when the ledger does not know it; network failures are
 * thrown, never taken for an unknown organization.
 */
export async function readOrganization(
  client: PublicClient,
  ledger: LedgerLocation,
  orgId: number,
  blockNumber?: bigint,
): Promise<OrganizationInfo | undefined> {
  const base = { address: ledger.address, abi: traceLedgerAbi, ...(blockNumber !== undefined ? { blockNumber } : {}) };
  try {
    const [[roles, suspended], block] = await Promise.all([
      client.readContract({ ...base, functionName: "organization", args: [orgId] }),
      client.readContract({ ...base, functionName: "organizationAddedBlock", args: [orgId] }),
    ]);
    const info: OrganizationInfo = { orgId, roles, suspended };
    const logs = await client.getContractEvents({
      address: ledger.address,
      abi: traceLedgerAbi,
      eventName: "OrganizationAdded",
      args: { orgId },
      fromBlock: block,
      toBlock: block,
      strict: true,
    });
    const added = logs[0]?.args;
    if (added) {
      info.name = added.name;
      info.creditCode = hexToString(added.creditCode).replace(/\0+$/, "");
      info.country = hexToString(added.country);
      if (added.gln > 0n) info.gln = added.gln.toString().padStart(13, "0");
    }
    return info;
  } catch (error) {
    if (error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError)) return undefined;
    throw error;
  }
}

/** Reads several organizations once each. */
export async function readOrganizations(
  client: PublicClient,
  ledger: LedgerLocation,
  ids: Iterable<number>,
  blockNumber?: bigint,
): Promise<Map<number, OrganizationInfo>> {
  const unique = [...new Set(ids)].filter((id) => id > 0);
  const infos = await Promise.all(unique.map((id) => readOrganization(client, ledger, id, blockNumber)));
  const map = new Map<number, OrganizationInfo>();
  unique.forEach((id, i) => infos[i] && map.set(id, infos[i]!));
  return map;
}
