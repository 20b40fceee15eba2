/** The fast-check seed of the test run (FC_SEED), applied by a root hook from hardhat.config.ts. */
import { expect } from "chai";
import fc from "fast-check";
import { configureFastCheckSeed, DEFAULT_FC_SEED } from "../helpers/fastCheckSeed";

describe("test run: fast-check seed", () => {
  it("property tests without their own seed run with FC_SEED (default 20261126)", () => {
    const expected = process.env.FC_SEED?.trim() || String(DEFAULT_FC_SEED);
    if (expected === "random") expect(fc.readConfigureGlobal().seed).to.equal(undefined);
    else expect(fc.readConfigureGlobal().seed).to.equal(Number(expected));
  });

  it("takes another seed or random, and refuses anything else", () => {
    const before = fc.readConfigureGlobal();
    try {
      expect(configureFastCheckSeed({ FC_SEED: "42" })).to.equal(42);
      expect(fc.readConfigureGlobal().seed).to.equal(42);
      expect(configureFastCheckSeed({ FC_SEED: "random" })).to.equal(undefined);
      expect(() => configureFastCheckSeed({ FC_SEED: "1e3x" })).to.throw(
        'FC_SEED "1e3x" must be a whole number or "random".',
      );
    } finally {
      fc.configureGlobal(before);
    }
  });
});
