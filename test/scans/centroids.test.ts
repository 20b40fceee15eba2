/**
 * The country-centroid table behind the far-apart rule: a few distances checked against known figures
 * (capital-to-capital distances are close to centroid distances for compact countries), symmetry, and every
 * entry a plausible coordinate under an ISO 3166-1 alpha-2 code.
 */
import { expect } from "chai";
import { COUNTRY_CENTROIDS, countryDistanceKm } from "../../src/scans/centroids";

describe("scans: country centroids", () => {
  it("spot-checks distances: neighbours are near, continents apart are far", () => {
    const near = (a: string, b: string, km: number, within: number) =>
      expect(countryDistanceKm(a, b), `${a}-${b}`).to.be.within(km - within, km + within);
    near("DE", "FR", 700, 150); // centre of Germany to centre of France
    near("DE", "AT", 450, 150);
    near("NL", "BE", 180, 80);
    near("CN", "US", 11_000, 800);
    near("GB", "AU", 15_500, 900);
    near("JP", "KR", 950, 200);
    expect(countryDistanceKm("DE", "DE")).to.equal(0);
    expect(countryDistanceKm("DE", "CN")).to.equal(countryDistanceKm("CN", "DE"));
    // The threshold in use: DE–AT is below 1,000 km, DE–ES above it.
    expect(countryDistanceKm("DE", "AT")!).to.be.below(1_000);
    expect(countryDistanceKm("DE", "ES")!).to.be.above(1_000);
  });

  it("answers undefined for a code it does not list; every entry is a coordinate under two letters", () => {
    expect(countryDistanceKm("DE", "QQ")).to.equal(undefined);
    expect(Object.keys(COUNTRY_CENTROIDS).length).to.be.greaterThan(150);
    for (const [code, [lat, lon]] of Object.entries(COUNTRY_CENTROIDS)) {
      expect(code).to.match(/^[A-Z]{2}$/);
      expect(lat, code).to.be.within(-90, 90);
      expect(lon, code).to.be.within(-180, 180);
    }
  });
});
