/**
 * Reads the consortium from the chain: every organization with its identity (from its `OrganizationAdded`
 * log) and its current roles, status and accounts (from the views), the role × step permission matrix,
 * the pause switch and the admin (with a pending two-step transfer). All views are read at one block, so
 * the picture is consistent; identities come from single-block log queries (`readOrganizations`).
 */
import type { Address, PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { STEPS, STEP_NAMES, rolesOf, type RoleName, type StepName } from "../codes";
import { InconsistentLogsError } from "../read/history";
import { readOrganizations, type ChainOrganization } from "../read/organizations";
import type { LedgerLocation } from "../read/types";
import { licensedPrefixNames, readPrefixHoldings, type PrefixHolding } from "./prefixes";

/** Account status names, in the contract's enum order. */
export const ACCOUNT_STATUSES = ["active", "suspended", "retired"] as const;
export type AccountStatusName = (typeof ACCOUNT_STATUSES)[number];

/** An account of an organization as the chain has it. */
export interface ConsortiumAccount {
  address: Address;
  status: AccountStatusName;
  /** Whether it may write now (active, and its organization too). */
  canAct: boolean;
}

/** An organization as the chain has it. */
export interface ConsortiumOrganization {
  orgId: number;
  name: string;
  /** The credit code as text (or the raw bytes18 hex when it is not printable ASCII). */
  creditCode: string;
  gln?: string;
  country: string;
  roles: RoleName[];
  roleMask: number;
  suspended: boolean;
  /** Every account it has had, in the order they were added (retired ones included). */
  accounts: ConsortiumAccount[];
  /** Block of its `OrganizationAdded` log. */
  addedInBlock: bigint;
  /** The GS1 Company Prefixes it holds, of those read (see `ReadConsortiumOptions.prefixes`). */
  prefixes: string[];
}

/** A two-step admin transfer in progress. */
export interface PendingAdmin {
  address: Address;
  /** Unix seconds: the new admin may accept once the chain's time is past this. */
  acceptableAfter: number;
}

/** The consortium as read from the chain at one block. */
export interface ConsortiumState {
  ledger: Address;
  chainId: number;
  /** The block every view was read at. */
  blockNumber: bigint;
  organizations: ConsortiumOrganization[];
  /** Allowed roles per step (all steps). */
  permissions: Record<StepName, RoleName[]>;
  /** The same as role masks. */
  permissionMasks: Record<StepName, number>;
  paused: boolean;
  admin: Address;
  pendingAdmin?: PendingAdmin;
  /** The admin-transfer delay in seconds. */
  adminDelay: number;
  /** The licensed prefixes read (those asked for, and those found in the logs when asked to look). */
  prefixes: PrefixHolding[];
}

export interface ReadConsortiumOptions {
  client: PublicClient;
  ledger: LedgerLocation;
  /**
   * Widest block range of one `eth_getLogs` call.
   * @deprecated Ignored: identities are read with single-block queries, so no query spans a range.
   */
  maxBlockRange?: bigint;
  /** Read at this block (default: the latest). */
  blockNumber?: bigint;
  /** Prefixes whose licence to read (e.g. every prefix of a consortium file, to plan it). */
  prefixes?: string[];
  /**
   * Also list every prefix licensed since this block (from the `PrefixLicensed` logs, one range query):
   * for `trace consortium show`, which has no file to name them.
   */
  prefixLogsFrom?: bigint;
}

const ZERO = "0x0000000000000000000000000000000000000000";
/** Organizations whose accounts are read in parallel. */
const ORGS_PER_ROUND = 25;

/** Reads the whole consortium. */
export async function readConsortium(options: ReadConsortiumOptions): Promise<ConsortiumState> {
  const { client, ledger } = options;
  const address = ledger.address;
  const blockNumber = options.blockNumber ?? (await client.getBlockNumber());
  const chainId = ledger.chainId ?? (await client.getChainId());
  const at = { address, abi: traceLedgerAbi, blockNumber } as const;

  const [count, paused, admin, pending, delay] = await Promise.all([
    client.readContract({ ...at, functionName: "organizationCount" }),
    client.readContract({ ...at, functionName: "paused" }),
    client.readContract({ ...at, functionName: "defaultAdmin" }),
    client.readContract({ ...at, functionName: "pendingDefaultAdmin" }),
    client.readContract({ ...at, functionName: "defaultAdminDelay" }),
  ]);
  const { permissions, permissionMasks } = await readPermissions({ client, ledger, blockNumber });

  const where = { client, ledger: address, blockNumber };
  const named = options.prefixLogsFrom === undefined ? [] : await licensedPrefixNames(where, options.prefixLogsFrom);
  const prefixes = await readPrefixHoldings(where, [...(options.prefixes ?? []), ...named]);

  const ids = Array.from({ length: Number(count) }, (_, i) => i + 1);
  const chainOrgs = await readOrganizations(client, { ledger, orgIds: ids, blockNumber });
  const identities = identitiesOf(ids, chainOrgs);
  const readOrganization = async (orgId: number): Promise<ConsortiumOrganization> => {
    const { roles: roleMask, suspended } = chainOrgs.get(orgId)!;
    const accounts = await client.readContract({ ...at, functionName: "organizationAccounts", args: [orgId] });
    const infos = await Promise.all(
      accounts.map((a) => client.readContract({ ...at, functionName: "accountInfo", args: [a] })),
    );
    return {
      orgId,
      ...identities.get(orgId)!,
      roles: rolesOf(roleMask),
      roleMask,
      suspended,
      prefixes: prefixes.filter((p) => p.holder === orgId).map((p) => p.prefix),
      accounts: accounts.map((a, i) => ({
        address: a,
        status: ACCOUNT_STATUSES[Number(infos[i][2])] ?? "retired",
        canAct: Number(infos[i][1]) !== 0,
      })),
    };
  };
  // A few organizations at a time: each takes 2 + (accounts) calls.
  const organizations: ConsortiumOrganization[] = [];
  for (let i = 0; i < ids.length; i += ORGS_PER_ROUND) {
    organizations.push(...(await Promise.all(ids.slice(i, i + ORGS_PER_ROUND).map(readOrganization))));
  }
  return {
    ledger: address,
    chainId,
    blockNumber,
    organizations,
    permissions,
    permissionMasks,
    paused,
    admin,
    ...(pending[0] !== ZERO ? { pendingAdmin: { address: pending[0], acceptableAfter: Number(pending[1]) } } : {}),
    adminDelay: Number(delay),
    prefixes,
  };
}

/** The permission matrix: allowed roles of every step. */
export interface PermissionMatrix {
  permissions: Record<StepName, RoleName[]>;
  permissionMasks: Record<StepName, number>;
}

/** Reads the role × step permission matrix only (one view call per step). */
export async function readPermissions(
  options: Pick<ReadConsortiumOptions, "client" | "ledger" | "blockNumber">,
): Promise<PermissionMatrix> {
  const masks = await Promise.all(
    STEP_NAMES.map((s) =>
      options.client.readContract({
        address: options.ledger.address,
        abi: traceLedgerAbi,
        functionName: "allowedRoles",
        args: [STEPS[s]],
        ...(options.blockNumber !== undefined ? { blockNumber: options.blockNumber } : {}),
      }),
    ),
  );
  const permissionMasks = {} as Record<StepName, number>;
  const permissions = {} as Record<StepName, RoleName[]>;
  STEP_NAMES.forEach((s, i) => {
    permissionMasks[s] = Number(masks[i]);
    permissions[s] = rolesOf(Number(masks[i]));
  });
  return { permissions, permissionMasks };
}

type Identity = Pick<ConsortiumOrganization, "name" | "creditCode" | "gln" | "country" | "addedInBlock">;

/** Every organization's identity; one the chain names but whose log the endpoint lacks is an error. */
function identitiesOf(ids: number[], orgs: Map<number, ChainOrganization>): Map<number, Identity> {
  const found = new Map<number, Identity>();
  for (const id of ids) {
    const org = orgs.get(id);
    if (org?.identity) found.set(id, { ...org.identity, addedInBlock: org.addedInBlock });
  }
  const lost = ids.filter((id) => !found.has(id));
  if (lost.length) {
    throw new InconsistentLogsError(
      `No OrganizationAdded log for organization${lost.length > 1 ? "s" : ""} ${lost.slice(0, 5).join(", ")}${
        lost.length > 5 ? ", …" : ""
      } in the block${lost.length > 1 ? "s" : ""} the ledger records ${lost.length > 1 ? "them" : "it"} added in.`,
      { hints: ["The RPC endpoint may be pruned or not synced; try another endpoint."] },
    );
  }
  return found;
}
