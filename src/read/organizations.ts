/**
 * Organizations as the chain records them: status (roles, suspension) from the `organization` view, and
 * identity (name, credit code, GLN, country) from the `OrganizationAdded` log, found with a query of the one
 * block `organizationAddedBlock` names, so no log query ever scans the chain. The one organization reader of
 * the SDK: the verdict engine and the consortium view both use it. Browser-safe (viem only).
 */
import { hexToBytes, type Hex, type PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import type { LedgerLocation } from "./types";

/** Who an organization is, as its `OrganizationAdded` log says. */
export interface OrganizationIdentity {
  name: string;
  /** The credit code as text (or the raw bytes18 hex when it is not printable ASCII). */
  creditCode: string;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
  /** GS1 GLN (13 digits), when it has one. */
  gln?: string;
}

/** An organization as the chain has it at one block. */
export interface ChainOrganization {
  orgId: number;
  /** Role mask. */
  roles: number;
  suspended: boolean;
  /** The block of its `OrganizationAdded` log. */
  addedInBlock: bigint;
  /** Undefined when the endpoint does not return the log of that block (a pruned or unsynced node). */
  identity?: OrganizationIdentity;
}

export interface ReadOrganizationsParameters {
  ledger: LedgerLocation;
  /** The organizations to read; duplicates and ids below 1 are ignored. */
  orgIds: Iterable<number>;
  /** Read as of this block (default: the latest). */
  blockNumber?: bigint;
}

/** By organization id; ids the ledger does not know are absent. */
export type ReadOrganizationsReturnType = Map<number, ChainOrganization>;

/** Organizations whose views are read in parallel (each takes two calls). */
const ORGS_PER_ROUND = 25;
/** Organization ids per log query (one topic list). */
const IDS_PER_QUERY = 200;

/**
 * Reads organizations once each: their status, and their identity from single-block log queries (one per
 * block in which some of them were added). Unknown ids are told by the organization count, so network
 * failures are always thrown, never taken for an unknown organization.
 *
 * Uses `eth_call` (`organizationCount`, `organization`, `organizationAddedBlock`) and `eth_getLogs`
 * (`OrganizationAdded`).
 *
 * @param client - A viem public client.
 * @param parameters - {@link ReadOrganizationsParameters}.
 * @returns {@link ReadOrganizationsReturnType}.
 *
 * @example
 *   const orgs = await readOrganizations(client, { ledger: { address }, orgIds: [1, 2] });
 *   orgs.get(1)?.identity?.name; // "Shenzhen Demo Export Co."
 */
export async function readOrganizations(
  client: PublicClient,
  parameters: ReadOrganizationsParameters,
): Promise<ReadOrganizationsReturnType> {
  const { ledger, blockNumber } = parameters;
  const at = { address: ledger.address, abi: traceLedgerAbi, ...(blockNumber !== undefined ? { blockNumber } : {}) };
  // Ids run from 1 to the count: asking the count spares calls that would revert for unknown ids.
  const count = await client.readContract({ ...at, functionName: "organizationCount" });
  const ids = [...new Set(parameters.orgIds)].filter((id) => id > 0 && id <= count);
  const readOne = async (orgId: number): Promise<ChainOrganization> => {
    const [[roles, suspended], addedInBlock] = await Promise.all([
      client.readContract({ ...at, functionName: "organization", args: [orgId] }),
      client.readContract({ ...at, functionName: "organizationAddedBlock", args: [orgId] }),
    ]);
    return { orgId, roles, suspended, addedInBlock };
  };
  const found = new Map<number, ChainOrganization>();
  for (let i = 0; i < ids.length; i += ORGS_PER_ROUND) {
    for (const org of await Promise.all(ids.slice(i, i + ORGS_PER_ROUND).map(readOne))) found.set(org.orgId, org);
  }

  const byBlock = new Map<bigint, number[]>();
  for (const org of found.values())
    byBlock.set(org.addedInBlock, [...(byBlock.get(org.addedInBlock) ?? []), org.orgId]);
  const queries = [...byBlock].flatMap(([block, list]) =>
    Array.from({ length: Math.ceil(list.length / IDS_PER_QUERY) }, (_, i) => ({
      block,
      orgIds: list.slice(i * IDS_PER_QUERY, (i + 1) * IDS_PER_QUERY),
    })),
  );
  const results = await Promise.all(
    queries.map(({ block, orgIds }) =>
      client.getContractEvents({
        address: ledger.address,
        abi: traceLedgerAbi,
        eventName: "OrganizationAdded",
        // One id is one topic, as nodes and log filters most often expect; several are an OR list.
        args: { orgId: orgIds.length === 1 ? orgIds[0] : orgIds },
        fromBlock: block,
        toBlock: block,
        strict: true,
      }),
    ),
  );
  for (const log of results.flat()) {
    const org = found.get(log.args.orgId);
    if (!org || org.identity) continue;
    const { name, creditCode, gln, country } = log.args;
    org.identity = {
      name,
      creditCode: creditCodeText(creditCode),
      country: countryText(country),
      ...(gln > 0n ? { gln: gln.toString().padStart(13, "0") } : {}),
    };
  }
  return found;
}

/** The `bytes18` credit code as text: trailing zero bytes dropped; the hex itself when not printable ASCII. */
export function creditCodeText(hex: Hex): string {
  const bytes = hexToBytes(hex);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const text = String.fromCharCode(...bytes.subarray(0, end));
  return /^[\x21-\x7e]*$/.test(text) ? text : hex.toLowerCase();
}

/** The `bytes2` country code as text. */
export function countryText(hex: Hex): string {
  return String.fromCharCode(...hexToBytes(hex));
}
