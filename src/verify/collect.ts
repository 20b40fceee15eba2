/**
 * Every read of one verification, as of one pinned block: the unit's state, its journey, its parents, the
 * organizations, the signatures, the block headers, the permission matrix, the off-chain records, the prefix
 * registry's history of the code and how the journey's signing keys got there, put together as
 * {@link LedgerEvidence}. No rule is applied here (that is `judge`); reading only stops early
 * when what it found already settles the verdict.
 */
import type { Address, Hex, PublicClient } from "viem";
import { recordHash as hashRecord, unitKeysNamed, type EpcisEvent } from "../epcis";
import { traceLedgerAbi } from "../generated/abi";
import { STEPS } from "../codes";
import { InconsistentLogsError, readHistory, readUnitState } from "../read/history";
import { readBlockHeaders, type BlockHeader } from "../read/blocks";
import { readJourney } from "../read/journey";
import { readOrganizations } from "../read/organizations";
import type { ChainOrganization } from "../read/organizations";
import type { Journey, JourneyEntry, LedgerLocation, UnitHistory } from "../read/types";
import type { TraceDomain } from "../eip712";
import { checkSignatures } from "./signatures";
import type { Gs1Identity } from "../gs1";
import { readPrefixLicences } from "../read/licences";
import { readKeyOrigins } from "../read/keys";
import { positionOf, type LogPosition } from "../read/logRange";
import { OWNERSHIP_CHECKED_FROM, versionAtLeast, type OwnershipEvidence } from "./licence";
import { StatusDeriver, disagreements } from "./derive";
import type { ChainView, LedgerEvidence, ParentEvidence } from "./evidence";
import { isWithheldStep } from "../records/access";
import type { OrganizationInfo, VerifiedEntry } from "./types";
import { readAuthenticityAt } from "./authenticity";

/** What `collect` needs of the verification options. */
export interface CollectOptions {
  client: PublicClient;
  /** The ledger (`verifyUnit` passes on the chain id the endpoint was checked to serve). */
  ledger: LedgerLocation;
  /** Where off-chain records come from (e.g. the platform server); each is checked against its hash. */
  fetchRecord?: (hash: Hex) => Promise<EpcisEvent | undefined>;
  /** Read each event's transaction to check who signed it (default true). */
  checkSignatures?: boolean;
  maxBlockRange?: bigint;
  /**
   * The claims registry beside the ledger (`manifest.claims`, issue 17): the unit's first-scan claim and tag
   * are read from it at the pinned block. Absent: the report has no authenticity section.
   */
  claims?: { address: Address; deploymentBlock?: bigint | number };
  /** A claim code in the buyer's hands: assessed off chain against the unit's commitment, never sent. */
  claimCode?: string;
}

/** The first ledger version whose `AccountAdded` / `AccountRotated` logs name who added the key. */
const KEY_ORIGINS_FROM = "2.0.0";

/** Rounds of reading parents' parents for the status derivation (the packing depth it follows). */
const MAX_DERIVATION_ROUNDS = 8;

/** The evidence, and what the caller needs to check it all came from the canonical chain. */
export interface Collected {
  evidence: LedgerEvidence;
  logQueries: number;
  /** Block number → hash of the block each entry's log came from (as the logs said). */
  blocks: Map<bigint, Hex>;
  /** Headers of the entries' blocks, read after the logs (the hash chain covers their times). */
  headers: Map<bigint, BlockHeader>;
  /** Two logs named different blocks at one height: they came from two forks. */
  forked: boolean;
}

/** Reads everything the verdict on `key` depends on, as of `view`. */
export async function collect(
  key: Hex,
  options: CollectOptions,
  view: ChainView,
  code: Pick<Gs1Identity, "canonicalPath" | "kind">,
): Promise<Collected> {
  const { client, ledger } = options;
  const at = view.blockNumber;
  const evidence: LedgerEvidence = {
    kind: "ledger",
    view,
    brokenHistories: [],
    parents: [],
    entries: [],
    matrix: new Map(),
    stateDisagreements: [],
  };
  const collected: Collected = { evidence, logQueries: 0, blocks: new Map(), headers: new Map(), forked: false };

  // Read at a finality depth, the pinned block may predate the ledger itself.
  if (view.confirmations > 1 && !(await client.getCode({ address: ledger.address, blockNumber: at }))) {
    return collected;
  }
  const state = await readUnitState(client, ledger, key, at);
  evidence.state = state;
  if (!state.registered) return collected;
  // Independent of the journey: it runs while the logs are walked, so it adds no round trip of its own.
  const authenticityRead = options.claims
    ? started(
        readAuthenticityAt(
          client,
          {
            registry: options.claims.address,
            ...(options.claims.deploymentBlock !== undefined
              ? { deploymentBlock: BigInt(options.claims.deploymentBlock) }
              : {}),
            chainId: ledger.chainId!,
            unit: key,
            ...(options.claimCode !== undefined ? { claimCode: options.claimCode } : {}),
          },
          view,
        ),
      )
    : undefined;

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
  const histories = new Map(journey.histories);
  // Every log used (entries, registry, keys) must come from the canonical chain: its block is checked later.
  const noteLogs = (positions: LogPosition[]) => {
    for (const p of positions) {
      const seen = collected.blocks.get(p.blockNumber);
      if (seen !== undefined && seen.toLowerCase() !== p.blockHash.toLowerCase()) collected.forked = true;
      collected.blocks.set(p.blockNumber, p.blockHash);
    }
  };
  const note = (h: UnitHistory) => {
    collected.logQueries += h.logQueries;
    noteLogs(h.entries);
    h.headers.forEach((header, n) => collected.headers.set(n, header));
  };
  journey.histories.forEach(note);
  for (const [unit, h] of journey.histories) if (!h.intact) evidence.brokenHistories.push(unit);
  if (evidence.brokenHistories.length) return collected;

  // Parents the unit is in now, innermost first.
  const parents: ParentEvidence[] = evidence.parents;
  for (let p = state.parent; p;) {
    const parentState = histories.get(p)?.state;
    parents.push({ unit: p, ...(parentState ? { state: parentState } : {}) });
    p = parentState ? parentState.parent : (await readUnitState(client, ledger, p, at)).parent;
  }

  // What the report shows of the unit and its parents (stage, flags, parent, registrant) must follow from
  // the proven entries: only the head and count of a served state are covered by the hash chain.
  for (let round = 0; ; round++) {
    const deriver = new StatusDeriver(histories);
    const shown = [
      { unit: key, state },
      ...parents.flatMap((p) => (p.state ? [{ unit: p.unit, state: p.state }] : [])),
    ];
    const found = shown.flatMap(({ unit, state: served }) => {
      const derived = deriver.current(unit);
      return derived ? disagreements(served, derived) : [];
    });
    if (deriver.missing.size === 0 || round >= MAX_DERIVATION_ROUNDS) {
      evidence.stateDisagreements = found;
      for (const unit of deriver.missing) {
        evidence.stateDisagreements.push({ unit, field: "parent", served: "history", derived: "not read" });
      }
      break;
    }
    // A parent's status at an unpacking depends on the parents it was in then: read those histories too.
    for (const unit of deriver.missing) {
      const h = await readHistory(client, ledger, unit, { maxBlockRange: options.maxBlockRange, blockNumber: at });
      histories.set(unit, h);
      note(h);
      if (!h.intact) evidence.brokenHistories.push(unit);
    }
    if (evidence.brokenHistories.length) return collected;
  }
  if (evidence.stateDisagreements.length) return collected;
  evidence.effectiveStage = Math.max(state.stage, ...parents.map((parent) => parent.state?.stage ?? 0));

  const entries = journey.entries;
  const version =
    ledger.version ??
    (await client.readContract({ address: ledger.address, abi: traceLedgerAbi, functionName: "version" }));
  const registration = histories.get(key)?.entries[0];
  const ownership: OwnershipEvidence = {
    version,
    kind: code.kind,
    ...(registration ? { registration: { ...positionOf(registration), org: registration.org } } : {}),
    organizations: new Map(),
  };
  // The reads below do not depend on each other (organizations only on the licences' holders): they all
  // start now, so the log walk waits for the slowest instead of for each in turn.
  const timelineRead = versionAtLeast(version, OWNERSHIP_CHECKED_FROM)
    ? started(
        readPrefixLicences(client, {
          ledger,
          path: code.canonicalPath,
          blockNumber: at,
          maxBlockRange: options.maxBlockRange,
        }),
      )
    : undefined;
  const keysChecked = versionAtLeast(version, KEY_ORIGINS_FROM);
  const keyOriginsRead = keysChecked
    ? started(
        readKeyOrigins(client, {
          ledger,
          keys: entries.map((e) => ({ account: e.account, orgId: e.org })),
          blockNumber: at,
          maxBlockRange: options.maxBlockRange,
        }),
      )
    : undefined;
  const signaturesRead =
    options.checkSignatures === false
      ? undefined
      : started(domainOf(client, ledger, at).then((domain) => checkSignatures(client, domain, entries)));
  const matrixRead = started(readMatrix(client, ledger, entries, at));
  const recordsRead = started(Promise.all(entries.map((e) => recordCheck(options, e))));
  const journeyOrgIds = [state.registrant, ...entries.map((e) => e.org)];
  const journeyOrgsRead = started(readOrganizations(client, { ledger, orgIds: journeyOrgIds, blockNumber: at }));

  if (timelineRead) {
    ownership.timeline = await timelineRead;
    collected.logQueries += ownership.timeline.logQueries;
    noteLogs(ownership.timeline.positions);
  }
  const licensees = (ownership.timeline?.licences ?? []).flatMap((l) => [
    l.holder,
    ...l.authorizations.map((a) => a.manufacturer),
  ]);
  const orgs = new Map(await journeyOrgsRead);
  const more = [...new Set(licensees)].filter((id) => !journeyOrgIds.includes(id));
  if (more.length) {
    (await readOrganizations(client, { ledger, orgIds: more, blockNumber: at })).forEach((o, id) => orgs.set(id, o));
  }
  const registrant = orgs.get(state.registrant);
  if (registrant) evidence.registrant = organizationInfo(registrant);
  for (const [orgId, org] of orgs) ownership.organizations.set(orgId, organizationInfo(org));
  evidence.ownership = ownership;

  // Who put the journey's signing keys there (ledgers from 2.0.0 name who added each key).
  const keyOrigins = keyOriginsRead ? await keyOriginsRead : undefined;
  if (keyOrigins) {
    collected.logQueries += keyOrigins.logQueries;
    noteLogs(keyOrigins.positions);
  }
  evidence.keys = {
    checked: keysChecked,
    origins: [...(keyOrigins?.origins.values() ?? [])],
    names: new Map([...orgs].flatMap(([id, o]) => (o.identity ? [[id, o.identity.name] as [number, string]] : []))),
  };

  const corrected = new Set<string>();
  for (const h of journey.histories.values()) {
    for (const e of h.entries) if (e.step === STEPS.CORRECTION) corrected.add(`${e.unit}:${e.aux}`);
  }

  const signatures = signaturesRead ? await signaturesRead : undefined;
  evidence.matrix = await matrixRead;
  const recordChecks = await recordsRead;

  entries.forEach((e, i) => {
    const org = orgs.get(e.org);
    const sig = signatures?.get(`${e.transactionHash}:${e.logIndex}`);
    const { recordMatches, recordNamesUnit, recordMissing, recordWithheld } = recordChecks[i];
    const entry: VerifiedEntry = {
      ...e,
      ...(org ? { organization: organizationInfo(org) } : {}),
      ...(sig ? { signatureValid: sig.valid, signedVia: sig.via } : {}),
      recordMatches,
      ...(recordNamesUnit === false ? { recordNamesOtherUnit: true } : {}),
      ...(recordMissing ? { recordMissing: true } : {}),
      ...(recordWithheld ? { recordWithheld: true } : {}),
      corrected: corrected.has(`${e.unit}:${BigInt(e.seq)}`),
    };
    evidence.entries.push(entry);
  });
  const authenticity = await authenticityRead;
  if (authenticity) evidence.authenticity = authenticity;
  return collected;
}

/** Marks a read as handled now (it is awaited later), so a failure elsewhere first is no unhandled rejection. */
function started<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}

/** Fetches an entry's off-chain record and checks it against the entry's hash and unit. */
async function recordCheck(
  options: CollectOptions,
  e: Pick<JourneyEntry, "data" | "unit" | "step" | "aux">,
): Promise<{
  recordMatches: boolean | null;
  recordNamesUnit?: boolean;
  recordMissing?: boolean;
  recordWithheld?: true;
}> {
  // Finance documents are the seller's and the regulators' (src/records/access.ts): a buyer's verification
  // does not ask for them, so a platform withholding them by design is no missing record.
  if (isWithheldStep(e.step) && !isParentLink(e)) return { recordMatches: null, recordWithheld: true };
  if (!options.fetchRecord || !/^0x[0-9a-f]{64}$/.test(e.data) || isParentLink(e) || e.data === ZERO_HASH) {
    return { recordMatches: null };
  }
  const record = await options.fetchRecord(e.data).catch(() => undefined);
  if (!record) return { recordMatches: null, recordMissing: true };
  const recordNamesUnit = namesUnit(record, e.unit);
  return { recordMatches: safeHash(record) === e.data.toLowerCase() && recordNamesUnit, recordNamesUnit };
}

/** An organization as a report shows it. */
function organizationInfo(org: ChainOrganization): OrganizationInfo {
  return { orgId: org.orgId, roles: org.roles, suspended: org.suspended, ...org.identity };
}

/** An entry written without a record (its data is zero) has nothing to fetch. */
const ZERO_HASH = `0x${"0".repeat(64)}`;

/** Child-side (un)packing entries hold the parent key, not a record hash. */
export function isParentLink(e: { step: number; aux: bigint }): boolean {
  return (e.step === STEPS.PACKING || e.step === STEPS.UNPACKING) && e.aux === 0n;
}

/** Whether a record names the unit the entry is on (a valid record of another unit proves nothing here). */
function namesUnit(record: EpcisEvent, unit: Hex): boolean {
  try {
    return unitKeysNamed(record).has(unit.toLowerCase() as Hex);
  } catch {
    return false;
  }
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
