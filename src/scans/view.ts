/**
 * What `GET /scans/<unit key>` answers (interface 2 of issue 17): a unit's count, first and last scan, regions
 * and the suspicious-scanning warning in English and Chinese. Always labelled `source: "platform"`: these are
 * the platform's say-so, never part of the chain-checked verdict.
 */
import type { Hex } from "viem";
import type { ScanFinding, UnitScans } from "./rules";

export interface ScanWarning {
  kind: ScanFinding["kind"];
  en: string;
  zh: string;
  detail: ScanFinding;
}

export interface ScanView {
  unit: Hex;
  count: number;
  first: string | null;
  last: string | null;
  /** Most scanned first. */
  regions: Array<{ region: string; count: number }>;
  suspicious: ScanWarning | null;
  source: "platform";
}

const iso = (t: number) => new Date(t * 1000).toISOString();
const day = (t: number) => iso(t).slice(0, 10);

/** The words of a finding, for a buyer. */
export function scanWarning(finding: ScanFinding): ScanWarning {
  if (finding.kind === "burst") {
    const minutes = Math.round(finding.windowSeconds / 60);
    return {
      kind: "burst",
      en:
        `Suspicious scanning: this code was verified ${finding.count} times within ${minutes} minutes (on ${day(finding.to)}). ` +
        "Many products may carry copies of it. If the seller cannot explain this, report the product.",
      zh:
        `可疑扫码：此码在${minutes}分钟内被验证了${finding.count}次（${day(finding.to)}）。` +
        "可能有许多商品印有此码的副本。如卖家无法解释，请举报此商品。",
      detail: finding,
    };
  }
  const hours = Math.round(finding.windowSeconds / 3_600);
  const [a, b] = finding.regions;
  return {
    kind: "far-apart",
    en:
      `Suspicious scanning: this code was verified in ${a} and in ${b}, about ${finding.km} km apart, within ${hours} hours ` +
      `(on ${day(finding.to)}). One product cannot travel that fast: copies of this code are likely in circulation.`,
    zh:
      `可疑扫码：此码在${hours}小时内先后于${a}和${b}被验证，两地相距约${finding.km}公里（${day(finding.to)}）。` +
      "一件商品不可能移动得这么快：很可能有此码的副本在流通。",
    detail: finding,
  };
}

/** The answer for `unit`, scanned or not. */
export function scanView(unit: Hex, scans: Readonly<UnitScans> | undefined): ScanView {
  if (!scans) return { unit, count: 0, first: null, last: null, regions: [], suspicious: null, source: "platform" };
  return {
    unit,
    count: scans.count,
    first: iso(scans.first),
    last: iso(scans.last),
    regions: Object.entries(scans.regions)
      .map(([region, r]) => ({ region, count: r.count }))
      .sort((x, y) => y.count - x.count || x.region.localeCompare(y.region)),
    suspicious: scans.finding ? scanWarning(scans.finding) : null,
    source: "platform",
  };
}

/** The region a trusted proxy named in its header: two letters (upper-cased), else none. */
export function regionOf(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim().toUpperCase();
  // XX (unknown) and T1 (Tor) are Cloudflare's non-countries; neither is two letters of a place.
  if (text === undefined || !/^[A-Z]{2}$/.test(text) || text === "XX" || text === "ZZ") return undefined;
  return text;
}
