/**
 * The prefix-registry history that covers one code: every `PrefixLicensed`, `PrefixRevoked` and
 * `ManufacturerAuthorized` log of the GS1 Company Prefixes the code's canonical path could start with, read
 * with one topic filter (topic0 any of the three events, topic1 any candidate prefix hash) from the
 * deployment block up to the block asked for, and rebuilt into licences with their authorizations. The
 * registry's views only say who holds a prefix now; a verdict needs who held it when the code was
 * registered, so the timeline is rebuilt from the logs; the views at the same block are only compared with the
 * timeline's end, to catch edited logs. Browser-safe (viem only).
 */
import { prefixCandidates } from "../gs1/prefix";
import { keccak256, stringToBytes, toEventSelector, getAbiItem, type Hex, type PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { LIMITS } from "../codes";
import { comparePositions, positionOf, readLedgerLogs, type DecodedLedgerLog, type LogPosition } from "./logRange";
import type { LedgerLocation } from "./types";

/** A holder's decision about one contract manufacturer, under one licence. */
export interface ManufacturerAuthorization {
  manufacturer: number;
  authorized: boolean;
  at: LogPosition;
}

/** One licence of a prefix, from its `PrefixLicensed` log to its `PrefixRevoked` log if any. */
export interface PrefixLicenceRecord {
  prefix: string;
  prefixHash: Hex;
  holder: number;
  /** The registry's licence number (authorizations belong to one licence and die with it). */
  licence: bigint;
  licensed: LogPosition;
  revoked?: LogPosition;
  /** Authorization changes under this licence, in chain order. */
  authorizations: ManufacturerAuthorization[];
}

/** The registry history of the prefixes that could cover one code. */
export interface PrefixLicenceTimeline {
  /** The candidate prefixes (shortest first): the path's digits after `LIMITS.PREFIX_OFFSET`. */
  candidates: string[];
  /** Every licence of a candidate, in the order they were granted. */
  licences: PrefixLicenceRecord[];
  /** Logs that cannot come from the registry (a revocation or authorization of an unknown licence…). */
  anomalies: string[];
  /** Positions of every log used: the caller checks their blocks stayed canonical. */
  positions: LogPosition[];
  logQueries: number;
}

export interface ReadPrefixLicencesParameters {
  ledger: LedgerLocation;
  /** The code's canonical Digital Link path (`Gs1Identity.canonicalPath`); its candidate prefixes are read. */
  path?: string;
  /** Or the prefixes to read, given as digits (one is enough: `trace prefix 6901234`). */
  prefixes?: string[];
  /** Read up to this block (default: the latest). */
  blockNumber?: bigint;
  maxBlockRange?: bigint;
}

const topicOf = (name: "PrefixLicensed" | "PrefixRevoked" | "ManufacturerAuthorized") =>
  toEventSelector(getAbiItem({ abi: traceLedgerAbi, name } as never) as never);

/** The hash the registry files a prefix under (the ledger hashes the code's bytes the same way). */
export function prefixHashOf(prefix: string): Hex {
  return keccak256(stringToBytes(prefix));
}

/**
 * Reads the registry logs of a code's candidate prefixes and rebuilds their licences.
 *
 * Uses `eth_getLogs` (`PrefixLicensed`, `PrefixRevoked`, `ManufacturerAuthorized`), one query per
 * `maxBlockRange` blocks from `ledger.deploymentBlock`, and `eth_call` (`prefixLicence` of each candidate,
 * `mayRegisterUnder` of each manufacturer under a standing licence) to compare the present with the logs.
 *
 * @example
 *   const t = await readPrefixLicences(client, { ledger, path: "/01/09521234543213/10/L1/21/S1" });
 *   t.licences[0]?.holder; // the organization that holds "9521234"
 */
export async function readPrefixLicences(
  client: PublicClient,
  parameters: ReadPrefixLicencesParameters,
): Promise<PrefixLicenceTimeline> {
  const { ledger } = parameters;
  const candidates = parameters.prefixes ?? prefixCandidates(parameters.path ?? "");
  if (candidates.length === 0) return { candidates, licences: [], anomalies: [], positions: [], logQueries: 0 };
  const toBlock = parameters.blockNumber ?? (await client.getBlockNumber());
  const { logs, queries } = await readLedgerLogs(client, {
    address: ledger.address,
    topics: [
      [topicOf("PrefixLicensed"), topicOf("PrefixRevoked"), topicOf("ManufacturerAuthorized")],
      candidates.map(prefixHashOf),
    ],
    fromBlock: ledger.deploymentBlock ?? 0n,
    toBlock,
    maxBlockRange: parameters.maxBlockRange,
  });
  const timeline = { ...buildLicenceTimeline(candidates, logs), logQueries: queries };
  timeline.anomalies.push(...(await presentDisagreements(client, ledger, timeline, toBlock)));
  return timeline;
}

/**
 * Where the registry's views at `blockNumber` contradict the end of the rebuilt timeline. The views only
 * show the present, so they cannot replace the logs; but an endpoint that edits the logs (another holder,
 * a hidden authorization) without editing the views too is caught here.
 */
async function presentDisagreements(
  client: PublicClient,
  ledger: LedgerLocation,
  timeline: Omit<PrefixLicenceTimeline, "logQueries">,
  blockNumber: bigint,
): Promise<string[]> {
  const at = { address: ledger.address, abi: traceLedgerAbi, blockNumber } as const;
  const found: string[] = [];
  const standing = (prefix: string) => timeline.licences.find((l) => l.prefix === prefix && !l.revoked);
  const views = await Promise.all(
    timeline.candidates.map((prefix) => client.readContract({ ...at, functionName: "prefixLicence", args: [prefix] })),
  );
  timeline.candidates.forEach((prefix, i) => {
    const [holder, licence] = views[i];
    const logs = standing(prefix);
    if ((logs?.holder ?? 0) !== holder || (logs?.licence ?? 0n) !== licence) {
      const said = logs ? `organization ${logs.holder} (licence ${logs.licence})` : "nobody";
      found.push(
        `the registry says prefix ${prefix} is held by ${holder ? `organization ${holder} (licence ${licence})` : "nobody"} at block ${blockNumber}, its logs say ${said}`,
      );
    }
  });
  for (const l of timeline.licences.filter((x) => !x.revoked)) {
    const last = new Map(l.authorizations.map((a) => [a.manufacturer, a.authorized]));
    const asked = [...last.keys()];
    const may = await Promise.all(
      asked.map((m) => client.readContract({ ...at, functionName: "mayRegisterUnder", args: [l.prefix, m] })),
    );
    asked.forEach((m, i) => {
      if (may[i] !== last.get(m)) {
        found.push(
          `the registry says organization ${m} ${may[i] ? "may" : "may not"} register under ${l.prefix} at block ${blockNumber}, its logs say otherwise`,
        );
      }
    });
  }
  return found;
}

/** A prefix's standing licence with the manufacturers authorized under it now. */
export interface StandingLicence {
  prefix: string;
  holder: number;
  licence: bigint;
  /** Organizations whose last decision under this licence authorized them, by id. */
  manufacturers: number[];
}

/** The licence of a timeline that stands at its end (licences never overlap: at most one), if any. */
export function standingLicence(timeline: Pick<PrefixLicenceTimeline, "licences">): StandingLicence | undefined {
  const l = timeline.licences.find((x) => !x.revoked);
  if (!l) return undefined;
  const last = new Map(l.authorizations.map((a) => [a.manufacturer, a.authorized]));
  const manufacturers = [...last].filter(([, authorized]) => authorized).map(([id]) => id);
  return { prefix: l.prefix, holder: l.holder, licence: l.licence, manufacturers: manufacturers.sort((a, b) => a - b) };
}

/** Rebuilds licences from registry logs (chain order). Pure: exported for tests. */
export function buildLicenceTimeline(
  candidates: string[],
  logs: DecodedLedgerLog[],
): Omit<PrefixLicenceTimeline, "logQueries"> {
  const byHash = new Map(candidates.map((p) => [prefixHashOf(p).toLowerCase(), p]));
  const licences: PrefixLicenceRecord[] = [];
  const anomalies: string[] = [];
  const positions: LogPosition[] = [];
  const at = (log: DecodedLedgerLog) => `block ${log.blockNumber} log ${log.logIndex}`;
  for (const log of [...logs].sort(comparePositions)) {
    const hash = String(log.args.prefixHash).toLowerCase();
    const prefix = byHash.get(hash);
    if (prefix === undefined) continue; // not a candidate: the filter was not honoured, nothing to learn
    positions.push(positionOf(log));
    const licence = BigInt(log.args.licence as bigint);
    const record = licences.find((l) => l.prefixHash.toLowerCase() === hash && l.licence === licence);
    if (log.eventName === "PrefixLicensed" || log.eventName === "PrefixRevoked") {
      if (log.args.prefix !== prefix) {
        anomalies.push(`${log.eventName} at ${at(log)} names "${String(log.args.prefix)}" under the hash of ${prefix}`);
        continue;
      }
    }
    if (log.eventName === "PrefixLicensed") {
      const active = licences.find((l) => l.prefix === prefix && !l.revoked);
      if (record || active) {
        anomalies.push(`${prefix} licensed again at ${at(log)} while licence ${active?.licence ?? licence} stands`);
        continue;
      }
      licences.push({
        prefix,
        prefixHash: prefixHashOf(prefix),
        holder: Number(log.args.orgId),
        licence,
        licensed: positionOf(log),
        authorizations: [],
      });
    } else if (log.eventName === "PrefixRevoked") {
      if (!record || record.revoked || record.holder !== Number(log.args.orgId)) {
        anomalies.push(`${prefix} licence ${licence} revoked at ${at(log)}, but no such licence stands`);
        continue;
      }
      record.revoked = positionOf(log);
    } else if (log.eventName === "ManufacturerAuthorized") {
      if (!record || record.revoked || record.holder !== Number(log.args.holder)) {
        anomalies.push(`authorization under ${prefix} licence ${licence} at ${at(log)}, but no such licence stands`);
        continue;
      }
      record.authorizations.push({
        manufacturer: Number(log.args.manufacturer),
        authorized: log.args.authorized === true,
        at: positionOf(log),
      });
    }
  }
  return { candidates, licences, anomalies, positions };
}
