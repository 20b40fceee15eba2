/**
 * The verdict engine (design.md §6), shared by the verification page and `trace verify`. From a QR payload
 * (GS1 Digital Link URI) or GTIN + lot + serial and a network, it returns a verdict with machine-readable
 * reasons and the journey with every proof, computed only from the chain the caller chose:
 *   fail     — invalid code, unregistered code, wrong chain or contract, history not matching its chain
 *              head, a signature that does not match;
 *   warning  — recalled, held, flagged, journey without export customs release, corrected events,
 *              a signer or registrant no longer in good standing, a served record not matching its hash;
 *   authentic — none of those.
 * Browser-safe: only viem and pure code.
 */
import { BlockNotFoundError, type Hex, type PublicClient } from "viem";
import { parseGs1, toDigitalLink, type Gs1Fields } from "../gs1";
import { recordHash as hashRecord, type EpcisEvent } from "../epcis";
import { traceLedgerAbi } from "../generated/abi";
import { STEPS } from "../codes";
import { readUnitState } from "../read/history";
import { readJourney } from "../read/journey";
import type { LedgerLocation, Journey } from "../read/types";
import { createTraceReader } from "../read/reader";
import { NetworkError } from "../errors/base";
import { traceDomain } from "../eip712";
import { REASONS, type ReasonCode } from "./reasons";
import { readOrganizations } from "./organizations";
import { checkSignatures } from "./signatures";
import type { ReasonFound, VerificationReport, VerifiedEntry } from "./types";

export interface VerifyOptions {
  client: PublicClient;
  ledger: LedgerLocation;
  /** Where off-chain records come from (e.g. the platform server); each is checked against its hash. */
  fetchRecord?: (hash: Hex) => Promise<EpcisEvent | undefined>;
  /** Read each event's transaction to check who signed it (default true). */
  checkSignatures?: boolean;
  /** Read block timestamps (default true). */
  blockTimes?: boolean;
  maxBlockRange?: bigint;
  /**
   * Read the chain as of the newest block with this many blocks on top, counting itself (default 1: the
   * latest block). On chains without instant finality, events newer than that are not shown yet, so a
   * reorganization cannot take back anything a verdict showed.
   */
  confirmations?: number;
}

const reason = (code: ReasonCode, detail?: string): ReasonFound => ({
  code,
  ...REASONS[code],
  ...(detail ? { detail } : {}),
});

/** Verifies a unit given as a QR payload / element string, or as fields. */
export async function verifyUnit(input: string | Gs1Fields, options: VerifyOptions): Promise<VerificationReport> {
  const started = Date.now();
  const label = typeof input === "string" ? input : JSON.stringify(input);
  const report: VerificationReport = {
    verdict: "authentic",
    reasons: [],
    input: label,
    parents: [],
    entries: [],
    ledger: { address: options.ledger.address, chainId: options.ledger.chainId },
    stats: { milliseconds: 0, logQueries: 0 },
  };
  const finish = () => {
    report.verdict = report.reasons.some((r) => r.severity === "fail")
      ? "fail"
      : report.reasons.length
        ? "warning"
        : "authentic";
    report.stats.milliseconds = Date.now() - started;
    return report;
  };

  let identity;
  try {
    identity = parseGs1(input);
  } catch (error) {
    report.reasons.push(reason("INVALID_CODE", (error as Error).message));
    return finish();
  }
  const key = identity.key as Hex;
  report.unit = { identity, key, uri: toDigitalLink(identity, { attributes: false }) };

  const { client, ledger } = options;
  try {
    const deployment = await createTraceReader({ client, ledger }).checkDeployment();
    report.ledger.version = deployment.version;
    report.ledger.chainId = deployment.chainId;
  } catch (error) {
    const name = (error as Error).name;
    if (name === "WrongChainError" || name === "WrongContractError") {
      report.reasons.push(reason("WRONG_CHAIN", (error as Error).message.split("\n")[0]));
      return finish();
    }
    throw error;
  }
  const where: LedgerLocation = { ...ledger, chainId: report.ledger.chainId };

  // Everything is read as of one pinned block, then checked to still be on the canonical chain: a
  // reorganization while reading starts the reading over, so no verdict mixes two forks or shows an event
  // the chain dropped.
  const confirmations = Math.max(1, Math.floor(options.confirmations ?? 1));
  for (let attempt = 1; ; attempt++) {
    const view = await pinView(client, confirmations);
    let found: ViewResult;
    try {
      found = await verifyAt(key, options, where, view);
    } catch (error) {
      // A read of a block the chain just dropped fails; anything else is a real failure.
      if (await stillCanonical(client, view, undefined)) throw error;
      if (attempt >= MAX_VIEW_ATTEMPTS) throw reorganized(attempt);
      continue;
    }
    if (await stillCanonical(client, view, found)) {
      Object.assign(report, found.part, { asOf: view });
      report.reasons.push(...found.reasons);
      report.stats.logQueries = found.logQueries;
      return finish();
    }
    if (attempt >= MAX_VIEW_ATTEMPTS) throw reorganized(attempt);
  }
}

const reorganized = (times: number) =>
  new NetworkError(`The chain reorganized ${times} times while the unit was being verified.`, {
    hints: ["Verify again in a moment; if it keeps happening, the node may be switching between forks."],
  });

/** Reorganizations tolerated during one verification before giving up. */
const MAX_VIEW_ATTEMPTS = 3;

/** The block every read of one verification is pinned to, and the depth it was chosen at. */
export interface ChainView {
  blockNumber: bigint;
  blockHash: Hex;
  confirmations: number;
}

/** The newest block with `confirmations` blocks on top (counting itself). */
async function pinView(client: PublicClient, confirmations: number): Promise<ChainView> {
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const blockNumber = head - BigInt(confirmations - 1) > 0n ? head - BigInt(confirmations - 1) : 0n;
  const block = await client.getBlock({ blockNumber });
  return { blockNumber, blockHash: block.hash!, confirmations };
}

/**
 * True when the pinned block is still the canonical one at its height, and every block an entry's log came
 * from is the canonical block at its height (headers read after the logs are reused).
 */
async function stillCanonical(client: PublicClient, view: ChainView, found: ViewResult | undefined): Promise<boolean> {
  const pinned = await client.getBlock({ blockNumber: view.blockNumber }).catch((error: unknown) => {
    if (error instanceof BlockNotFoundError) return undefined;
    throw error;
  });
  if (pinned?.hash !== view.blockHash) return false;
  if (!found) return true;
  if (found.forked) return false;
  const missing = [...found.blocks.keys()].filter((n) => !found.headers.has(n));
  const headers = new Map(found.headers);
  (await readHeaders(client, missing)).forEach((h, n) => headers.set(n, h));
  return [...found.blocks].every(([n, hash]) => headers.get(n)?.hash.toLowerCase() === hash.toLowerCase());
}

/** The parts of a report read from the chain as of one block. */
interface ViewResult {
  part: Partial<VerificationReport>;
  reasons: ReasonFound[];
  logQueries: number;
  /** Block number → hash of the block each entry's log came from (as the logs said). */
  blocks: Map<bigint, Hex>;
  /** Headers of the entries' blocks, read after the logs (for block times). */
  headers: Map<bigint, BlockHeader>;
  /** Two logs named different blocks at one height: they came from two forks. */
  forked: boolean;
}

interface BlockHeader {
  hash: Hex;
  timestamp: number;
}

async function verifyAt(key: Hex, options: VerifyOptions, where: LedgerLocation, view: ChainView): Promise<ViewResult> {
  const { client } = options;
  const at = view.blockNumber;
  const reasons: ReasonFound[] = [];
  const part: Partial<VerificationReport> = { parents: [], entries: [] };
  const result: ViewResult = { part, reasons, logQueries: 0, blocks: new Map(), headers: new Map(), forked: false };

  // Read at a finality depth, the pinned block may predate the ledger itself.
  const depth = `as of block ${at}, ${view.confirmations} confirmations`;
  const deep = view.confirmations > 1;
  if (deep && !(await client.getCode({ address: where.address, blockNumber: at }))) {
    reasons.push(reason("NOT_REGISTERED", `the ledger did not exist yet ${depth}`));
    return result;
  }
  const state = await readUnitState(client, where, key, at);
  part.state = state;
  if (!state.registered) {
    reasons.push(reason("NOT_REGISTERED", deep ? depth : undefined));
    return result;
  }

  let journey: Journey;
  try {
    journey = await readJourney(client, where, key, { maxBlockRange: options.maxBlockRange, blockNumber: at });
  } catch (error) {
    if ((error as Error).name === "InconsistentLogs") {
      reasons.push(reason("HISTORY_MISMATCH", (error as Error).message.split("\n")[0]));
      return result;
    }
    throw error;
  }
  result.logQueries = [...journey.histories.values()].reduce((n, h) => n + h.logQueries, 0);
  for (const h of journey.histories.values()) {
    for (const e of h.entries) {
      const seen = result.blocks.get(e.blockNumber);
      if (seen !== undefined && seen.toLowerCase() !== e.blockHash.toLowerCase()) result.forked = true;
      result.blocks.set(e.blockNumber, e.blockHash);
    }
  }
  for (const [unit, h] of journey.histories) {
    if (!h.intact) reasons.push(reason("HISTORY_MISMATCH", `unit ${unit}`));
  }
  if (reasons.length) return result;

  // Parents the unit is in now, innermost first.
  const parents = part.parents!;
  let p = state.parent;
  while (p) {
    parents.push(p);
    p = journey.histories.get(p)?.state.parent ?? (await readUnitState(client, where, p, at)).parent;
  }

  part.effectiveStage = Math.max(
    state.stage,
    ...parents.map((parent) => journey.histories.get(parent)?.state.stage ?? 0),
  );

  const entries = journey.entries;
  const orgs = await readOrganizations(client, where, [state.registrant, ...entries.map((e) => e.org)], at);
  part.registrant = orgs.get(state.registrant);
  if (!part.registrant || part.registrant.suspended || !part.registrant.name) {
    reasons.push(reason("REGISTRANT_UNIDENTIFIED", `organization ${state.registrant}`));
  }

  const corrected = new Map<string, boolean>();
  for (const h of journey.histories.values()) {
    for (const e of h.entries) if (e.step === STEPS.CORRECTION) corrected.set(`${e.unit}:${e.aux}`, true);
  }

  const signatures =
    options.checkSignatures === false
      ? undefined
      : await checkSignatures(client, traceDomain(await domainOf(client, where, at)), entries);
  if (options.blockTimes !== false) result.headers = await readHeaders(client, [...result.blocks.keys()]);
  const headers = result.headers;
  const matrix = await readMatrix(client, where, entries, at);

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
      ...(org ? { organization: org } : {}),
      ...(headers.has(e.blockNumber) ? { blockTime: headers.get(e.blockNumber)!.timestamp } : {}),
      ...(sig ? { signatureValid: sig.valid, signedVia: sig.via } : {}),
      recordMatches,
      corrected: corrected.has(`${e.unit}:${BigInt(e.seq)}`),
    };
    part.entries!.push(entry);
    if (sig && !sig.valid) reasons.push(reason("SIGNATURE_INVALID", `entry ${e.seq} in ${e.transactionHash}`));
    if (recordMatches === false) reasons.push(reason("RECORD_MISMATCH", `entry ${e.seq} (${e.stepName})`));
    const allowedNow = matrix.get(e.step);
    if (!org || org.suspended || (allowedNow !== undefined && (allowedNow & org.roles) === 0)) {
      reasons.push(reason("SIGNER_NOT_ALLOWED", `entry ${e.seq} (${e.stepName}) by organization ${e.org}`));
    }
  }

  const effective = (flag: "recalled" | "held" | "flagged") =>
    state[flag] || parents.some((parent) => journey.histories.get(parent)?.state[flag]);
  if (effective("recalled")) reasons.push(reason("RECALLED"));
  if (effective("held")) reasons.push(reason("HELD"));
  if (effective("flagged")) reasons.push(reason("FLAGGED"));
  const released = entries.some((e) => e.step === STEPS.CUSTOMS_RELEASED);
  const delivered = entries.some((e) => e.step === STEPS.DELIVERED);
  if (!released) reasons.push(reason(delivered ? "DELIVERED_WITHOUT_RELEASE" : "NO_CUSTOMS_RELEASE"));
  if (part.entries!.some((e) => e.corrected)) reasons.push(reason("CORRECTED"));
  return result;
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

async function domainOf(client: PublicClient, ledger: LedgerLocation, blockNumber: bigint) {
  const [, name, version, chainId, verifyingContract] = await client.readContract({
    address: ledger.address,
    abi: traceLedgerAbi,
    functionName: "eip712Domain",
    blockNumber,
  });
  return { name, version, chainId, verifyingContract };
}

async function readHeaders(client: PublicClient, numbers: bigint[]): Promise<Map<bigint, BlockHeader>> {
  const blocks = await Promise.all(numbers.map((n) => client.getBlock({ blockNumber: n })));
  return new Map(numbers.map((n, i) => [n, { hash: blocks[i].hash!, timestamp: Number(blocks[i].timestamp) }]));
}

/** The current role mask of every step present. */
async function readMatrix(
  client: PublicClient,
  ledger: LedgerLocation,
  entries: { step: number }[],
  blockNumber: bigint,
) {
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
