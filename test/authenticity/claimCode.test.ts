/** Claim codes: printed form, what a buyer may type, and refusals that say what is wrong. */
import { expect } from "chai";
import { claimSecret, ClaimCodeError, generateClaimCode, normalizeClaimCode } from "../../src/authenticity";

describe("authenticity: claim codes", () => {
  it("generates four groups of five code characters, different each time", () => {
    const codes = new Set(Array.from({ length: 20 }, () => generateClaimCode()));
    expect(codes.size).to.equal(20);
    for (const c of codes) expect(c).to.match(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
  });

  it("reads a code as typed: case, spaces and hyphens do not matter; O, I, L read as 0, 1, 1", () => {
    const code = "7QK2M-0P1XZ-4RT9H-ABCDE";
    expect(normalizeClaimCode(" 7qk2m op1xz 4rt9h abcde ")).to.equal(code.replace(/-/g, ""));
    expect(normalizeClaimCode("7QK2M-0PLXZ-4RT9H-ABCDE")).to.equal(normalizeClaimCode("7QK2M0PIXZ4RT9HABCDE"));
    expect(claimSecret(code)).to.equal(claimSecret(code.toLowerCase()));
    expect(claimSecret(code)).to.not.equal(claimSecret("7QK2M-0P1XZ-4RT9H-ABCDF"));
  });

  it("refuses a code of the wrong length or with a character no code has", () => {
    const short = (() => {
      try {
        return normalizeClaimCode("7QK2M-0P1XZ");
      } catch (e) {
        return e;
      }
    })() as ClaimCodeError;
    expect(short).to.be.instanceOf(ClaimCodeError);
    expect(short.message).to.equal("A claim code has 20 characters; this one has 10.");
    expect(() => normalizeClaimCode("7QK2M-0P1XZ-4RT9H-ABCDU")).to.throw(ClaimCodeError, '"U"');
  });
});
