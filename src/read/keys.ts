/**
 * How signing keys joined their organizations (issue 11 item 7): for each account, its `AccountAdded` or
 * `AccountRotated` log names who acted (`by`). A key put there by one of the organization's own accounts is
 * followed back to how *that* key got there, so a key the consortium admin slipped in higher up the chain
 * is still found; a key the consortium admin added or rotated in (other than the organization's first,
 * onboarding key) is matched to its `OperationExecuted` log in the same transaction and its
 * `OperationScheduled` announcement, by operation id. Browser-safe (viem only).
 */
import { getAbiItem, pad, parseEventLogs, toEventSelector, type Address, type Hex, type PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { positionOf, readLedgerLogs, type DecodedLedgerLog, type LogPosition } from "./logRange";
import type { LedgerLocation } from "./types";

/** How one key came to sign for its organization. */
export interface KeyOrigin {
  account: Address;
  orgId: number;
  /**
   * onboarding: the organization's first key, added by the consortium admin when it joined;
   * organization: added or rotated in by one of the organization's own accounts (see `addedBy`);
   * consortiumAdmin: added or rotated in later by the consortium admin (see `delay`);
   * unknown: no log says how (a pruned node, or an endpoint hiding it).
   */
  how: "onboarding" | "organization" | "consortiumAdmin" | "unknown";
  via?: "added" | "rotated";
  by?: Address;
  /** The key it replaced, when rotated in. */
  from?: Address;
  at?: LogPosition;
  /** For the consortium admin's later keys: the delayed operation that ran it. */
  delay?: { opId?: Hex; announced?: LogPosition; executed?: LogPosition };
  /** For keys an organization account added: how that account's key got there. */
  addedBy?: KeyOrigin;
}

export interface ReadKeyOriginsParameters {
  ledger: LedgerLocation;
  /** The keys to explain, with the organization each signed for. */
  keys: { account: Address; orgId: number }[];
  /** Read as of this block (default: the latest). */
  blockNumber?: bigint;
  maxBlockRange?: bigint;
}

export interface ReadKeyOriginsReturnType {
  /** By lower-case account. */
  origins: Map<string, KeyOrigin>;
  /** Every log used, for the caller's check that their blocks stayed canonical. */
  positions: LogPosition[];
  logQueries: number;
}

/** How far back through organization-added keys the chain is followed. */
const MAX_DEPTH = 6;

type LedgerEventName = "AccountAdded" | "AccountRotated" | "OperationScheduled";
const selector = (name: LedgerEventName) =>
  toEventSelector(getAbiItem({ abi: traceLedgerAbi, name } as never) as never);
const lower = (a: string) => a.toLowerCase();

/**
 * Explains each key: how it joined, and for organization-added keys, recursively how their adder did.
 *
 * Uses `eth_getLogs` (`AccountAdded`, `AccountRotated`, `OperationScheduled`), `eth_call`
 * (`organizationAccounts`) and `eth_getTransactionReceipt` for the consortium admin's later keys.
 */
export async function readKeyOrigins(
  client: PublicClient,
  parameters: ReadKeyOriginsParameters,
): Promise<ReadKeyOriginsReturnType> {
  const { ledger } = parameters;
  const toBlock = parameters.blockNumber ?? (await client.getBlockNumber());
  const range = { fromBlock: ledger.deploymentBlock ?? 0n, toBlock, maxBlockRange: parameters.maxBlockRange };
  const origins = new Map<string, KeyOrigin>();
  const positions: LogPosition[] = [];
  let logQueries = 0;
  const members = new Map<number, Address[]>();
  const accountsOf = async (orgId: number) => {
    if (!members.has(orgId)) {
      const list = await client.readContract({
        address: ledger.address,
        abi: traceLedgerAbi,
        functionName: "organizationAccounts",
        args: [orgId],
        blockNumber: toBlock,
      });
      members.set(orgId, [...list]);
    }
    return members.get(orgId)!;
  };

  let level = dedupe(parameters.keys);
  const pendingLinks: { child: KeyOrigin; by: string }[] = [];
  for (let depth = 0; level.length && depth < MAX_DEPTH; depth++) {
    const topics = level.map((k) => pad(k.account, { size: 32 }));
    const [added, rotated] = await Promise.all([
      readLedgerLogs(client, { address: ledger.address, topics: [selector("AccountAdded"), topics], ...range }),
      readLedgerLogs(client, { address: ledger.address, topics: [selector("AccountRotated"), null, topics], ...range }),
    ]);
    logQueries += added.queries + rotated.queries;
    const next: { account: Address; orgId: number }[] = [];
    const admins: KeyOrigin[] = [];
    for (const key of level) {
      const log = [...added.logs, ...rotated.logs].find(
        (l) =>
          lower(String(l.eventName === "AccountAdded" ? l.args.account : l.args.to)) === lower(key.account) &&
          Number(l.args.orgId) === key.orgId,
      );
      const origin: KeyOrigin = { account: key.account, orgId: key.orgId, how: "unknown" };
      origins.set(lower(key.account), origin);
      if (!log) continue;
      positions.push(positionOf(log));
      const by = String(log.args.by) as Address;
      const own = await accountsOf(key.orgId);
      Object.assign(origin, {
        via: log.eventName === "AccountAdded" ? "added" : "rotated",
        by,
        at: positionOf(log),
        ...(log.eventName === "AccountRotated" ? { from: String(log.args.from) as Address } : {}),
      });
      if (own.some((a) => lower(a) === lower(by)) && lower(by) !== lower(key.account)) {
        origin.how = "organization";
        pendingLinks.push({ child: origin, by: lower(by) });
        if (!origins.has(lower(by))) next.push({ account: by, orgId: key.orgId });
      } else if (origin.via === "added" && own.length > 0 && lower(own[0]) === lower(key.account)) {
        origin.how = "onboarding";
      } else {
        origin.how = "consortiumAdmin";
        admins.push(origin);
      }
    }
    logQueries += await findDelays(client, ledger, admins, range, positions);
    level = dedupe(next).filter((k) => !origins.has(lower(k.account)));
  }
  for (const { child, by } of pendingLinks) {
    const parent = origins.get(by);
    if (parent) child.addedBy = parent;
  }
  return { origins, positions, logQueries };
}

/** Fills `delay` of the consortium admin's keys: `OperationExecuted` of their transaction, its announcement. */
async function findDelays(
  client: PublicClient,
  ledger: LedgerLocation,
  admins: KeyOrigin[],
  range: { fromBlock: bigint; toBlock: bigint; maxBlockRange?: bigint },
  positions: LogPosition[],
): Promise<number> {
  if (!admins.length) return 0;
  const executed = new Map<string, DecodedLedgerLog>();
  await Promise.all(
    admins.map(async (origin) => {
      const receipt = await client.getTransactionReceipt({ hash: origin.at!.transactionHash });
      const own = receipt.logs.filter((l) => lower(l.address) === lower(ledger.address));
      const ran = parseEventLogs({ abi: traceLedgerAbi, logs: own, eventName: "OperationExecuted", strict: true });
      origin.delay = {};
      if (ran.length !== 1) return;
      const log = ran[0] as unknown as DecodedLedgerLog;
      origin.delay = { opId: log.args.opId as Hex, executed: positionOf(log) };
      positions.push(positionOf(log));
      executed.set(lower(String(log.args.opId)), log);
    }),
  );
  if (!executed.size) return 0;
  const opIds = [...executed.keys()] as Hex[];
  const scheduled = await readLedgerLogs(client, {
    address: ledger.address,
    topics: [selector("OperationScheduled"), opIds],
    ...range,
  });
  for (const origin of admins) {
    const opId = origin.delay?.opId;
    if (!opId) continue;
    // The latest announcement before it ran (an operation can be announced again after a cancellation).
    const announced = scheduled.logs
      .filter((l) => lower(String(l.args.opId)) === lower(opId) && l.blockNumber <= origin.delay!.executed!.blockNumber)
      .pop();
    if (announced && origin.delay) {
      origin.delay.announced = positionOf(announced);
      positions.push(positionOf(announced));
    }
  }
  return scheduled.queries;
}

function dedupe(keys: { account: Address; orgId: number }[]): { account: Address; orgId: number }[] {
  const seen = new Set<string>();
  return keys.filter((k) => !seen.has(lower(k.account)) && seen.add(lower(k.account)));
}
