/**
 * The verdict engine (design.md §6), shared by the verification page and `trace verify`. From a QR payload
 * (GS1 Digital Link URI) or GTIN + lot + serial and a network, it returns a verdict with machine-readable
 * reasons and the journey with every proof, computed only from the chain the caller chose:
 *   fail     — invalid code, unregistered code, wrong chain or contract, history not matching its chain
 *              head, a signature that does not match;
 *   warning  — recalled, held, flagged, journey without export customs release, corrected events,
 *              a signer or registrant no longer in good standing, a served record not matching its hash;
 *   (a code registered by an organization that neither held its GS1 company prefix nor had the holder's
 *   authorization fails; a ledger too old to check that is a warning; a key the consortium admin added
 *   after the public delay is a notice, shown without changing the verdict);
 *   (with a claims registry, issue 17: a claim code in hand that the chain says was spent or is not the
 *   unit's, and a claim before delivery, are warnings; a claim state that cannot be the pinned block's fails)
 *   authentic — none of those.
 * Reading (`collect`) and the rules (`judge`) live in their own files; this one pins the block everything is
 * read at and starts over when the chain reorganizes underneath. Browser-safe: only viem and pure code.
 */
import { BlockNotFoundError, type Hex, type PublicClient } from "viem";
import { parseGs1, toDigitalLink, type Gs1Fields } from "../gs1";
import { checkDeployment } from "../read/checkDeployment";
import { NetworkError, WrongChainError, WrongContractError } from "../errors/base";
import { collect, type Collected, type CollectOptions } from "./collect";
import { readBlockHeaders } from "../read/blocks";
import type { ChainView, Evidence } from "./evidence";
import { judge, notices } from "./judge";
import { ownershipFinding } from "./licence";
import type { VerificationReport } from "./types";
import { authenticityFinding } from "./authenticity";
import { normalizeClaimCode } from "../authenticity/claimCode";

export type { ChainView } from "./evidence";

export interface VerifyOptions extends CollectOptions {
  /**
   * Read the chain as of the newest block with this many blocks on top, counting itself (default 1: the
   * latest block). On chains without instant finality, events newer than that are not shown yet, so a
   * reorganization cannot take back anything a verdict showed.
   */
  confirmations?: number;
  /**
   * Read the chain as of exactly this block instead (the proof bundle's block, `src/bundle`); it must still
   * be on the canonical chain, as any pinned block.
   */
  pinAt?: bigint;
}

/** Verifies a unit given as a QR payload / element string, or as fields. */
export async function verifyUnit(input: string | Gs1Fields, options: VerifyOptions): Promise<VerificationReport> {
  const started = Date.now();
  // A mistyped claim code is the caller's to fix before anything is read (ClaimCodeError says how).
  if (options.claimCode !== undefined) normalizeClaimCode(options.claimCode);
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
  const finish = (evidence: Evidence) => {
    report.reasons = judge(evidence);
    report.notices = notices(evidence);
    if (evidence.kind === "ledger" && evidence.ownership) report.ownership = ownershipFinding(evidence.ownership);
    if (evidence.kind === "ledger" && evidence.authenticity && !evidence.authenticity.inconsistencies.length) {
      report.authenticity = authenticityFinding(evidence.authenticity);
    }
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
    return finish({ kind: "invalidCode", error: (error as Error).message });
  }
  const key = identity.key as Hex;
  report.unit = { identity, key, uri: toDigitalLink(identity, { attributes: false }) };

  const { client, ledger } = options;
  try {
    const deployment = await checkDeployment(client, ledger);
    report.ledger.version = deployment.version;
    report.ledger.chainId = deployment.chainId;
  } catch (error) {
    // The report keeps the chain id the caller expected; the reason names the one the endpoint serves.
    if (error instanceof WrongChainError || error instanceof WrongContractError) {
      return finish({ kind: "wrongDeployment", error: error.shortMessage });
    }
    throw error;
  }
  const where = { ...options, ledger: { ...ledger, chainId: report.ledger.chainId, version: report.ledger.version } };

  // Everything is read as of one pinned block, then checked to still be on the canonical chain: a
  // reorganization while reading starts the reading over, so no verdict mixes two forks or shows an event
  // the chain dropped.
  const confirmations = Math.max(1, Math.floor(options.confirmations ?? 1));
  for (let attempt = 1; ; attempt++) {
    const view = await pinView(client, confirmations, attempt === 1 ? options.pinAt : undefined);
    let found: Collected;
    try {
      found = await collect(key, where, view, identity);
    } catch (error) {
      // A read of a block the chain just dropped fails; anything else is a real failure.
      if (await stillCanonical(client, view, undefined)) throw error;
      if (attempt >= MAX_VIEW_ATTEMPTS) throw reorganized(attempt);
      continue;
    }
    if (await stillCanonical(client, view, found)) {
      const { state, parents, effectiveStage, registrant, entries } = found.evidence;
      Object.assign(report, {
        ...(state ? { state } : {}),
        parents: parents.map((p) => p.unit),
        ...(effectiveStage !== undefined ? { effectiveStage } : {}),
        ...(registrant ? { registrant } : {}),
        entries,
        asOf: view,
      });
      report.stats.logQueries = found.logQueries;
      return finish(found.evidence);
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

/** The newest block with `confirmations` blocks on top (counting itself), or block `at`. */
async function pinView(client: PublicClient, confirmations: number, at: bigint | undefined): Promise<ChainView> {
  let blockNumber = at;
  if (blockNumber === undefined) {
    const head = await client.getBlockNumber({ cacheTime: 0 });
    blockNumber = head - BigInt(confirmations - 1) > 0n ? head - BigInt(confirmations - 1) : 0n;
  }
  const block = await client.getBlock({ blockNumber });
  return { blockNumber, blockHash: block.hash!, confirmations };
}

/**
 * True when the pinned block is still the canonical one at its height, and every block an entry's log came
 * from is the canonical block at its height (headers read after the logs are reused).
 */
async function stillCanonical(client: PublicClient, view: ChainView, found: Collected | undefined): Promise<boolean> {
  const pinned = await client.getBlock({ blockNumber: view.blockNumber }).catch((error: unknown) => {
    if (error instanceof BlockNotFoundError) return undefined;
    throw error;
  });
  if (pinned?.hash !== view.blockHash) return false;
  if (!found) return true;
  if (found.forked) return false;
  const missing = [...found.blocks.keys()].filter((n) => !found.headers.has(n));
  const headers = new Map(found.headers);
  (await readBlockHeaders(client, missing)).forEach((h, n) => headers.set(n, h));
  return [...found.blocks].every(([n, hash]) => headers.get(n)?.hash.toLowerCase() === hash.toLowerCase());
}
