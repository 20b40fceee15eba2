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
import type { Hex, PublicClient } from "viem";
import { parseGs1, toDigitalLink, type Gs1Fields } from "../gs1";
import { recordHash as hashRecord, type EpcisEvent } from "../epcis";
import { traceLedgerAbi } from "../generated/abi";
import { STEPS } from "../codes";
import { readUnitState } from "../read/history";
import { readJourney } from "../read/journey";
import type { LedgerLocation, Journey } from "../read/types";
import { createTraceReader } from "../read/reader";
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

  const state = await readUnitState(client, where, key);
  report.state = state;
  if (!state.registered) {
    report.reasons.push(reason("NOT_REGISTERED"));
    return finish();
  }

  let journey: Journey;
  try {
    journey = await readJourney(client, where, key, { maxBlockRange: options.maxBlockRange });
  } catch (error) {
    if ((error as Error).name === "InconsistentLogs") {
      report.reasons.push(reason("HISTORY_MISMATCH", (error as Error).message.split("\n")[0]));
      return finish();
    }
    throw error;
  }
  report.stats.logQueries = [...journey.histories.values()].reduce((n, h) => n + h.logQueries, 0);
  for (const [unit, h] of journey.histories) {
    if (!h.intact) report.reasons.push(reason("HISTORY_MISMATCH", `unit ${unit}`));
  }
  if (report.reasons.length) return finish();

  // Parents the unit is in now, innermost first.
  let p = state.parent;
  while (p) {
    report.parents.push(p);
    p = journey.histories.get(p)?.state.parent ?? (await readUnitState(client, where, p)).parent;
  }

  report.effectiveStage = Math.max(
    state.stage,
    ...report.parents.map((parent) => journey.histories.get(parent)?.state.stage ?? 0),
  );

  const entries = journey.entries;
  const orgs = await readOrganizations(client, where, [state.registrant, ...entries.map((e) => e.org)]);
  report.registrant = orgs.get(state.registrant);
  if (!report.registrant || report.registrant.suspended || !report.registrant.name) {
    report.reasons.push(reason("REGISTRANT_UNIDENTIFIED", `organization ${state.registrant}`));
  }

  const corrected = new Map<string, boolean>();
  for (const h of journey.histories.values()) {
    for (const e of h.entries) if (e.step === STEPS.CORRECTION) corrected.set(`${e.unit}:${e.aux}`, true);
  }

  const signatures =
    options.checkSignatures === false
      ? undefined
      : await checkSignatures(client, traceDomain(await domainOf(client, where)), entries);
  const blockTimes = options.blockTimes === false ? new Map<bigint, number>() : await readBlockTimes(client, entries);
  const matrix = await readMatrix(client, where, entries);

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
      ...(blockTimes.has(e.blockNumber) ? { blockTime: blockTimes.get(e.blockNumber) } : {}),
      ...(sig ? { signatureValid: sig.valid, signedVia: sig.via } : {}),
      recordMatches,
      corrected: corrected.has(`${e.unit}:${BigInt(e.seq)}`),
    };
    report.entries.push(entry);
    if (sig && !sig.valid) report.reasons.push(reason("SIGNATURE_INVALID", `entry ${e.seq} in ${e.transactionHash}`));
    if (recordMatches === false) report.reasons.push(reason("RECORD_MISMATCH", `entry ${e.seq} (${e.stepName})`));
    const allowedNow = matrix.get(e.step);
    if (!org || org.suspended || (allowedNow !== undefined && (allowedNow & org.roles) === 0)) {
      report.reasons.push(reason("SIGNER_NOT_ALLOWED", `entry ${e.seq} (${e.stepName}) by organization ${e.org}`));
    }
  }

  const effective = (flag: "recalled" | "held" | "flagged") =>
    state[flag] || report.parents.some((parent) => journey.histories.get(parent)?.state[flag]);
  if (effective("recalled")) report.reasons.push(reason("RECALLED"));
  if (effective("held")) report.reasons.push(reason("HELD"));
  if (effective("flagged")) report.reasons.push(reason("FLAGGED"));
  const released = entries.some((e) => e.step === STEPS.CUSTOMS_RELEASED);
  const delivered = entries.some((e) => e.step === STEPS.DELIVERED);
  if (!released) report.reasons.push(reason(delivered ? "DELIVERED_WITHOUT_RELEASE" : "NO_CUSTOMS_RELEASE"));
  if (report.entries.some((e) => e.corrected)) report.reasons.push(reason("CORRECTED"));
  return finish();
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

async function domainOf(client: PublicClient, ledger: LedgerLocation) {
  const [, name, version, chainId, verifyingContract] = await client.readContract({
    address: ledger.address,
    abi: traceLedgerAbi,
    functionName: "eip712Domain",
  });
  return { name, version, chainId, verifyingContract };
}

async function readBlockTimes(client: PublicClient, entries: { blockNumber: bigint }[]): Promise<Map<bigint, number>> {
  const blocks = [...new Set(entries.map((e) => e.blockNumber))];
  const times = await Promise.all(blocks.map((n) => client.getBlock({ blockNumber: n })));
  return new Map(blocks.map((n, i) => [n, Number(times[i].timestamp)]));
}

/** The current role mask of every step present. */
async function readMatrix(client: PublicClient, ledger: LedgerLocation, entries: { step: number }[]) {
  const steps = [...new Set(entries.map((e) => e.step))].filter((s) => s > 0);
  const masks = await Promise.all(
    steps.map((step) =>
      client.readContract({ address: ledger.address, abi: traceLedgerAbi, functionName: "allowedRoles", args: [step] }),
    ),
  );
  return new Map(steps.map((s, i) => [s, masks[i]]));
}
