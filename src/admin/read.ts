/**
 * Reads the consortium from the chain: every organization with its identity (from its `OrganizationAdded`
 * log) and its current roles, status and accounts (from the views), the role × step permission matrix,
 * the pause switch and the admin (with a pending two-step transfer). All views are read at one block, so
 * the picture is consistent; log queries span at most `maxBlockRange` blocks from the deployment block.
 */
import type { Address, Hex, PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { STEPS, STEP_NAMES, rolesOf, type RoleName, type StepName } from "../codes";
import { DEFAULT_MAX_BLOCK_RANGE, InconsistentLogsError } from "../read/history";
import type { LedgerLocation } from "../read/types";
import { decodeCountry, decodeCreditCode, glnFromUint } from "./consortiumFile";

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
}

export interface ReadConsortiumOptions {
  client: PublicClient;
  ledger: LedgerLocation;
  /** Widest block range of one `eth_getLogs` call (default 1,000). */
  maxBlockRange?: bigint;
  /** Read at this block (default: the latest). */
  blockNumber?: bigint;
}

const ZERO = "0x0000000000000000000000000000000000000000";
/** Organization ids per log query (one topic list). */
const IDS_PER_QUERY = 200;
/** Organizations read in parallel. */
const ORGS_PER_ROUND = 25;

/** Reads the whole consortium. */
export async function readConsortium(options: ReadConsortiumOptions): Promise<ConsortiumState> {
  const { client, ledger } = options;
  const address = ledger.address;
  const blockNumber = options.blockNumber ?? (await client.getBlockNumber());
  const chainId = ledger.chainId ?? (await client.getChainId());
  const read = <T>(functionName: string, args: readonly unknown[] = []): Promise<T> =>
    client.readContract({
      address,
      abi: traceLedgerAbi,
      functionName: functionName as never,
      args: args as never,
      blockNumber,
    }) as Promise<T>;

  const [count, paused, admin, pending, delay] = await Promise.all([
    read<number>("organizationCount"),
    read<boolean>("paused"),
    read<Address>("defaultAdmin"),
    read<readonly [Address, number]>("pendingDefaultAdmin"),
    read<number>("defaultAdminDelay"),
  ]);
  const { permissions, permissionMasks } = await readPermissions({ client, ledger, blockNumber });

  const ids = Array.from({ length: Number(count) }, (_, i) => i + 1);
  const identities = await readIdentities(client, address, ids, {
    from: ledger.deploymentBlock ?? 0n,
    to: blockNumber,
    range: options.maxBlockRange ?? DEFAULT_MAX_BLOCK_RANGE,
  });
  const readOrganization = async (orgId: number): Promise<ConsortiumOrganization> => {
    const [[roleMask, suspended], accounts] = await Promise.all([
      read<readonly [number, boolean, bigint]>("organization", [orgId]),
      read<readonly Address[]>("organizationAccounts", [orgId]),
    ]);
    const infos = await Promise.all(
      accounts.map((a) => read<readonly [number, number, number, bigint]>("accountInfo", [a])),
    );
    const identity = identities.get(orgId)!;
    return {
      orgId,
      ...identity,
      roles: rolesOf(Number(roleMask)),
      roleMask: Number(roleMask),
      suspended,
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

/**
 * Collects the `OrganizationAdded` logs of the given organizations, filtering by the indexed orgId, from
 * `from` upwards in ranges of at most `range` blocks; stops as soon as every one is found.
 */
async function readIdentities(
  client: PublicClient,
  address: Address,
  ids: number[],
  window: { from: bigint; to: bigint; range: bigint },
): Promise<Map<number, Identity>> {
  const found = new Map<number, Identity>();
  if (ids.length === 0) return found;
  const range = window.range > 0n ? window.range : 1n;
  for (let from = window.from; from <= window.to && found.size < ids.length; from += range) {
    const to = from + range - 1n < window.to ? from + range - 1n : window.to;
    const missing = ids.filter((id) => !found.has(id));
    for (let i = 0; i < missing.length; i += IDS_PER_QUERY) {
      const logs = await client.getContractEvents({
        address,
        abi: traceLedgerAbi,
        eventName: "OrganizationAdded",
        args: { orgId: missing.slice(i, i + IDS_PER_QUERY) },
        fromBlock: from,
        toBlock: to,
        strict: true,
      });
      for (const log of logs) {
        const a = log.args as {
          orgId: number;
          name: string;
          creditCode: Hex;
          gln: bigint;
          country: Hex;
        };
        if (found.has(a.orgId)) continue;
        found.set(a.orgId, {
          name: a.name,
          creditCode: decodeCreditCode(a.creditCode),
          ...(glnFromUint(a.gln) ? { gln: glnFromUint(a.gln) } : {}),
          country: decodeCountry(a.country),
          addedInBlock: log.blockNumber,
        });
      }
    }
  }
  const lost = ids.filter((id) => !found.has(id));
  if (lost.length) {
    throw new InconsistentLogsError(
      `No OrganizationAdded log for organization${lost.length > 1 ? "s" : ""} ${lost.slice(0, 5).join(", ")}${
        lost.length > 5 ? ", …" : ""
      } between blocks ${window.from} and ${window.to}.`,
      {
        hints: [
          "Check the deployment block in the manifest (logs are searched from it upwards).",
          "The RPC endpoint may be pruned or not synced; try another endpoint.",
        ],
      },
    );
  }
  return found;
}
