/**
 * The suspicious-scanning rules (design.md §6): a **burst** (at least `burst.count` verifications of one unit
 * within `burst.windowSeconds`) and **far-apart** regions (two verifications from countries whose centroids are
 * at least `farApart.km` apart within `farApart.windowSeconds`). Both are checked when a scan is added, against
 * what the unit's aggregate keeps: the times of its last `burst.count` scans and, per region, its last scan.
 * That is exact: the later scan of any qualifying pair finds the earlier one still kept. A finding stays on
 * the unit (the latest one is shown): a copied code that was scanned in two continents is worth saying later.
 */
import { countryDistanceKm } from "./centroids";

export interface ScanRules {
  burst: { count: number; windowSeconds: number };
  farApart: { km: number; windowSeconds: number };
}

/** ≥ 20 verifications within 1 h; two countries ≥ 1,000 km apart within 6 h. */
export const DEFAULT_SCAN_RULES: ScanRules = {
  burst: { count: 20, windowSeconds: 3_600 },
  farApart: { km: 1_000, windowSeconds: 6 * 3_600 },
};

/** The most scans kept for the burst rule (its count can be set up to this). */
export const MAX_BURST_COUNT = 1_000;

/** A rule's finding, kept on the unit. Times are Unix seconds. */
export type ScanFinding =
  | { kind: "burst"; count: number; windowSeconds: number; from: number; to: number }
  | { kind: "far-apart"; regions: [string, string]; km: number; windowSeconds: number; from: number; to: number };

/** What the store keeps per unit: aggregates and a bounded recent window (no IP, no user agent). */
export interface UnitScans {
  count: number;
  /** First and last scan (Unix seconds). */
  first: number;
  last: number;
  /** Per region: its scans and the time of its last one. */
  regions: Record<string, { count: number; last: number }>;
  /** Times of the last scans, oldest first, at most `burst.count` of them. */
  recent: number[];
  finding: ScanFinding | null;
}

/** Adds one scan at `t` (Unix seconds, not before the unit's last) from `region` (or none) to `unit`. */
export function addScan(
  unit: UnitScans | undefined,
  t: number,
  region: string | undefined,
  rules: ScanRules,
): UnitScans {
  const u: UnitScans = unit ?? { count: 0, first: t, last: t, regions: {}, recent: [], finding: null };
  u.count++;
  u.last = Math.max(u.last, t);
  u.recent.push(t);
  if (u.recent.length > rules.burst.count) u.recent.splice(0, u.recent.length - rules.burst.count);
  if (u.recent.length >= rules.burst.count && t - u.recent[0] <= rules.burst.windowSeconds) {
    u.finding = {
      kind: "burst",
      count: u.recent.length,
      windowSeconds: rules.burst.windowSeconds,
      from: u.recent[0],
      to: t,
    };
  }
  if (region !== undefined) {
    const far = farthestRecent(u, t, region, rules);
    if (far) u.finding = far;
    const r = (u.regions[region] ??= { count: 0, last: t });
    r.count++;
    r.last = Math.max(r.last, t);
  }
  return u;
}

/** The farthest region scanned within the window before `t` that is far enough from `region`, as a finding. */
function farthestRecent(u: UnitScans, t: number, region: string, rules: ScanRules): ScanFinding | undefined {
  let best: ScanFinding | undefined;
  for (const [other, seen] of Object.entries(u.regions)) {
    if (other === region || t - seen.last > rules.farApart.windowSeconds) continue;
    const km = countryDistanceKm(other, region);
    if (km === undefined || km < rules.farApart.km) continue;
    if (best === undefined || (best.kind === "far-apart" && km > best.km)) {
      best = {
        kind: "far-apart",
        regions: [other, region],
        km: Math.round(km),
        windowSeconds: rules.farApart.windowSeconds,
        from: seen.last,
        to: t,
      };
    }
  }
  return best;
}
