/**
 * Every read of one verification, as of one pinned block: the unit's state, its journey, its parents, the
 * organizations, the signatures, the block headers, the permission matrix and the off-chain records, put
 * together as {@link LedgerEvidence}. No rule is applied here (that is `judge`); reading only stops early
 * when what it found already settles the verdict.
 */
import type { Hex, PublicClient } from "viem";
import { recordHash as hashRecord, type EpcisEvent } from "../epcis";
import { traceLedgerAbi } from "../generated/abi";
import { STEPS } from "../codes";
import { InconsistentLogsError, readUnitState } from "../read/history";
import { readJourney } from "../read/journey";
import { readOrganizations } from "../read/organizations";
import type { ChainOrganization } from "../read/organizations";
import type { Journey, LedgerLocation } from "../read/types";
import type { TraceDomain } from "../eip712";
import { checkSignatures } from "./signatures";
import type { ChainView, LedgerEvidence, ParentEvidence } from "./evidence";
import type { OrganizationInfo, VerifiedEntry } from "./types";

/** What `collect` needs of the verification options. */
export interface CollectOptions {
  client: PublicClient;
  /** The ledger (`verifyUnit` passes on the chain id the endpoint was checked to serve). */
  ledger: LedgerLocation;
  /** Where off-chain records come from (e.g. the platform server); each is checked against its hash. */
  fetchRecord?: (hash: Hex) => Promise<EpcisEvent | undefined>;
  /** Read each event's transaction to check who signed it (default true). */
  checkSignatures?: boolean;
  /** Read block timestamps (default true). */
  blockTimes?: boolean;
  maxBlockRange?: bigint;
}

export interface BlockHeader {
  hash: Hex;
  timestamp: number;
}

/** The evidence, and what the caller needs to check it all came from the canonical chain. */
export interface Collected {
  evidence: LedgerEvidence;
  logQueries: number;
  /** Block number → hash of the block each entry's log came from (as the logs said). */
  blocks: Map<bigint, Hex>;
  /** Headers of the entries' blocks, read after the logs (for block times). */
  headers: Map<bigint, BlockHeader>;
  /** Two logs named different blocks at one height: they came from two forks. */
  forked: boolean;
}

/** Reads everything the verdict on `key` depends on, as of `view`. */
export async function collect(key: Hex, options: CollectOptions, view: ChainView): Promise<Collected> {
  const { client, ledger } = options;
  const at = view.blockNumber;
  const evidence: LedgerEvidence = {
    kind: "ledger",
    view,
    brokenHistories: [],
    parents: [],
    entries: [],
    matrix: new Map(),
  };
  const collected: Collected = { evidence, logQueries: 0, blocks: new Map(), headers: new Map(), forked: false };

  // Read at a finality depth, the pinned block may predate the ledger itself.
  if (view.confirmations > 1 && !(await client.getCode({ address: ledger.address, blockNumber: at }))) {
    return collected;
  }
  const state = await readUnitState(client, ledger, key, at);
  evidence.state = state;
  if (!state.registered) return collected;

  let journey: Journey;
  try {
    journey = await readJourney(client, ledger, key, { maxBlockRange: options.maxBlockRange, blockNumber: at, state });
  } catch (error) {
    if (error instanceof InconsistentLogsError) {
      evidence.inconsistentLogs = error.shortMessage;
      return collected;
    }
    throw error;
  }
  collected.logQueries = [...journey.histories.values()].reduce((n, h) => n + h.logQueries, 0);
  for (const h of journey.histories.values()) {
    for (const e of h.entries) {
      const seen = collected.blocks.get(e.blockNumber);
      if (seen !== undefined && seen.toLowerCase() !== e.blockHash.toLowerCase()) collected.forked = true;
      collected.blocks.set(e.blockNumber, e.blockHash);
    }
  }
  for (const [unit, h] of journey.histories) if (!h.intact) evidence.brokenHistories.push(unit);
  if (evidence.brokenHistories.length) return collected;

  // Parents the unit is in now, innermost first.
  const parents: ParentEvidence[] = evidence.parents;
  for (let p = state.parent; p;) {
    const parentState = journey.histories.get(p)?.state;
    parents.push({ unit: p, ...(parentState ? { state: parentState } : {}) });
    p = parentState ? parentState.parent : (await readUnitState(client, ledger, p, at)).parent;
  }
  evidence.effectiveStage = Math.max(state.stage, ...parents.map((parent) => parent.state?.stage ?? 0));

  const entries = journey.entries;
  const orgs = await readOrganizations(client, {
    ledger,
    orgIds: [state.registrant, ...entries.map((e) => e.org)],
    blockNumber: at,
  });
  const registrant = orgs.get(state.registrant);
  if (registrant) evidence.registrant = organizationInfo(registrant);

  const corrected = new Set<string>();
  for (const h of journey.histories.values()) {
    for (const e of h.entries) if (e.step === STEPS.CORRECTION) corrected.add(`${e.unit}:${e.aux}`);
  }

  const signatures =
    options.checkSignatures === false
      ? undefined
      : await checkSignatures(client, await domainOf(client, ledger, at), entries);
  if (options.blockTimes !== false) collected.headers = await readHeaders(client, [...collected.blocks.keys()]);
  const headers = collected.headers;
  evidence.matrix = await readMatrix(client, ledger, entries, at);

  for (const e of entries) {
    const org = orgs.get(e.org);
    const sig = signatures?.get(`${e.transactionHash}:${e.logIndex}`);
    let recordMatches: boolean | null = null;
    if (options.fetchRecord && /^0x[0-9a-f]{64}$/.test(e.data) && !isParentLink(e)) {
      const record = await options.fetchRecord(e.data).catch(() => undefined);
      if (record) recordMatches = safeHash(record) === e.data.toLowerCase();
    }
    const entry: VerifiedEntry = {
      ...e,
      ...(org ? { organization: organizationInfo(org) } : {}),
      ...(headers.has(e.blockNumber) ? { blockTime: headers.get(e.blockNumber)!.timestamp } : {}),
      ...(sig ? { signatureValid: sig.valid, signedVia: sig.via } : {}),
      recordMatches,
      corrected: corrected.has(`${e.unit}:${BigInt(e.seq)}`),
    };
    evidence.entries.push(entry);
  }
  return collected;
}

/** An organization as a report shows it. */
function organizationInfo(org: ChainOrganization): OrganizationInfo {
  return { orgId: org.orgId, roles: org.roles, suspended: org.suspended, ...org.identity };
}

/** Child-side (un)packing entries hold the parent key, not a record hash. */
function isParentLink(e: { step: number; aux: bigint }): boolean {
  return (e.step === STEPS.PACKING || e.step === STEPS.UNPACKING) && e.aux === 0n;
}

function safeHash(record: EpcisEvent): string | undefined {
  try {
    return hashRecord(record).toLowerCase();
  } catch {
    return undefined;
  }
}

/** The ledger's EIP-712 domain (EIP-5267), which relayed batches were signed for. */
async function domainOf(client: PublicClient, ledger: LedgerLocation, blockNumber: bigint): Promise<TraceDomain> {
  const [, name, version, chainId, verifyingContract] = await client.readContract({
    address: ledger.address,
    abi: traceLedgerAbi,
    functionName: "eip712Domain",
    blockNumber,
  });
  return { name, version, chainId, verifyingContract };
}

/** The headers of the given blocks. */
export async function readHeaders(client: PublicClient, numbers: bigint[]): Promise<Map<bigint, BlockHeader>> {
  const blocks = await Promise.all(numbers.map((n) => client.getBlock({ blockNumber: n })));
  return new Map(numbers.map((n, i) => [n, { hash: blocks[i].hash!, timestamp: Number(blocks[i].timestamp) }]));
}

/** The current role mask of every step present. */
async function readMatrix(
  client: PublicClient,
  ledger: LedgerLocation,
  entries: { step: number }[],
  blockNumber: bigint,
): Promise<Map<number, number>> {
  const steps = [...new Set(entries.map((e) => e.step))].filter((s) => s > 0);
  const masks = await Promise.all(
    steps.map((step) =>
      client.readContract({
        address: ledger.address,
        abi: traceLedgerAbi,
        functionName: "allowedRoles",
        args: [step],
        blockNumber,
      }),
    ),
  );
  return new Map(steps.map((s, i) => [s, masks[i]]));
}
