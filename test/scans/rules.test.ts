/**
 * The suspicious-scanning rules, each with its attack (a copied code scanned by many, or in two continents)
 * and the legitimate flow that must stay quiet (a buyer checking a few times, a parcel crossing a border).
 */
import { expect } from "chai";
import { addScan, DEFAULT_SCAN_RULES, type ScanRules, type UnitScans } from "../../src/scans/rules";
import { regionOf, scanView } from "../../src/scans/view";

const H = 3_600;
const T0 = 1_780_000_000;

/** Scans at the given offsets (seconds from T0) and regions. */
function scans(list: Array<[number, string?]>, rules: ScanRules = DEFAULT_SCAN_RULES): UnitScans {
  let u: UnitScans | undefined;
  for (const [dt, region] of list) u = addScan(u, T0 + dt, region, rules);
  return u!;
}

describe("scans: suspicious-scanning rules", () => {
  it("ATTACK burst: 20 verifications within an hour are flagged, with the window it happened in", () => {
    const u = scans(Array.from({ length: 20 }, (_, i) => [i * 60] as [number]));
    expect(u.finding).to.deep.equal({ kind: "burst", count: 20, windowSeconds: H, from: T0, to: T0 + 19 * 60 });
    expect(u.count).to.equal(20);
    expect(u.recent).to.have.length(20);
  });

  it("LEGIT: 19 in an hour, or 20 spread over more than an hour, are not a burst", () => {
    expect(scans(Array.from({ length: 19 }, (_, i) => [i] as [number])).finding).to.equal(null);
    // One scan every 190 s: any 20 consecutive span 3,610 s.
    const spread = scans(Array.from({ length: 60 }, (_, i) => [i * 190] as [number]));
    expect(spread.finding).to.equal(null);
    expect(spread.recent).to.have.length(20); // the window stays bounded
  });

  it("ATTACK far-apart: Germany then China within 6 h is flagged, naming both and the distance", () => {
    const u = scans([
      [0, "DE"],
      [2 * H, "CN"],
    ]);
    expect(u.finding).to.include({ kind: "far-apart", windowSeconds: 6 * H, from: T0, to: T0 + 2 * H });
    expect((u.finding as { regions: string[] }).regions).to.deep.equal(["DE", "CN"]);
    expect((u.finding as { km: number }).km).to.be.within(7_000, 8_500);
    // The earlier region's last scan counts, even after scans without a region.
    const later = scans([[0, "US"], [H], [2 * H], [5 * H, "JP"]]);
    expect(later.finding?.kind).to.equal("far-apart");
  });

  it("LEGIT: neighbouring countries within hours, or far ones days apart, are not flagged", () => {
    expect(
      scans([
        [0, "DE"],
        [H, "AT"],
        [2 * H, "CH"],
        [3 * H, "DE"],
      ]).finding,
    ).to.equal(null);
    expect(
      scans([
        [0, "CN"],
        [7 * H, "DE"],
      ]).finding,
    ).to.equal(null); // shipped: days in real life, 7 h here
    expect(
      scans([
        [0, "DE"],
        [H, "QQ"],
      ]).finding,
    ).to.equal(null); // a region the table does not know
    const u = scans([
      [0, "DE"],
      [H, "DE"],
      [2 * H, "FR"],
    ]);
    expect(u.regions).to.deep.equal({ DE: { count: 2, last: T0 + H }, FR: { count: 1, last: T0 + 2 * H } });
  });

  it("settings change the thresholds", () => {
    const rules: ScanRules = { burst: { count: 3, windowSeconds: 60 }, farApart: { km: 300, windowSeconds: H } };
    expect(scans([[0], [10], [20]], rules).finding?.kind).to.equal("burst");
    expect(
      scans(
        [
          [0, "DE"],
          [30 * 60, "AT"],
        ],
        rules,
      ).finding?.kind,
    ).to.equal("far-apart");
  });

  it("the view gives ISO times, regions most scanned first, and the warning in English and Chinese", () => {
    const u = scans([
      [0, "DE"],
      [60, "FR"],
      [120, "FR"],
      [H, "CN"],
    ]);
    const view = scanView(`0x${"ab".repeat(32)}`, u);
    expect(view).to.deep.include({
      count: 4,
      first: new Date(T0 * 1000).toISOString(),
      last: new Date((T0 + H) * 1000).toISOString(),
      source: "platform",
    });
    expect(view.regions).to.deep.equal([
      { region: "FR", count: 2 },
      { region: "CN", count: 1 },
      { region: "DE", count: 1 },
    ]);
    expect(view.suspicious!.kind).to.equal("far-apart");
    expect(view.suspicious!.en).to.match(/verified in FR and in CN, about \d+ km apart, within 6 hours/);
    expect(view.suspicious!.zh).to.match(/可疑扫码/);
    const none = scanView(`0x${"cd".repeat(32)}`, undefined);
    expect(none).to.deep.include({ count: 0, first: null, last: null, suspicious: null, regions: [] });
  });

  it("a region is two letters from the proxy's header; anything else is no region", () => {
    expect(regionOf("de")).to.equal("DE");
    expect(regionOf([" CN "])).to.equal("CN");
    for (const garbage of [undefined, "", "DEU", "D1", "XX", "T1", "<script>", "DE,FR"]) {
      expect(regionOf(garbage), String(garbage)).to.equal(undefined);
    }
  });
});
