/**
 * NTAG 424 DNA SUN verification against NXP AN12196's own examples (each value below was reproduced by this
 * code, not copied on trust), AES-CMAC against RFC 4493's vectors, and the refusals: a bad MAC, the wrong key,
 * another tag, a replayed counter, malformed input.
 */
import { expect } from "chai";
import {
  aesCmac,
  AuthenticityInputError,
  ReplayedTapError,
  sunMacSessionKey,
  TagNotGenuineError,
  truncateMac,
  verifySunMessage,
} from "../../src/authenticity";

const ZERO_KEY = "00".repeat(16);
const hex = (s: string) => Buffer.from(s, "hex");

/** AN12196 §3 (SUN with PICCData and MAC, no file data): `…?e=EF96…1E88&c=94EE…7086`, all keys zero. */
const EXAMPLE_1 = {
  piccDataHex: "EF963FF7828658A599F3041510671E88",
  cmacHex: "94EED9EE65337086",
  sdmMetaReadKey: ZERO_KEY,
  sdmFileReadKey: ZERO_KEY,
};
/** AN12196 (SUN with encrypted file data): `picc_data=FD91…DF40&enc=CEE9…8962&cmac=ECC1…3BF6`, MAC over "<enc>&cmac=". */
const EXAMPLE_2 = {
  piccDataHex: "FD91EC264309878BE6345CBE53BADF40",
  cmacHex: "ECC1E7F6C6C73BF6",
  sdmMetaReadKey: ZERO_KEY,
  sdmFileReadKey: ZERO_KEY,
  macInput: "CEE9A53E3E463EF1F459635736738962&cmac=",
  encFileDataHex: "CEE9A53E3E463EF1F459635736738962",
};

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("authenticity: AES-CMAC (RFC 4493)", () => {
  const key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  const m = hex(
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
  );
  const vectors: Array<[number, string]> = [
    [0, "bb1d6929e95937287fa37d129b756746"],
    [16, "070a16b46b4d4144f79bdd9dd04a287c"],
    [40, "dfa66747de9ae63030ca32611497c827"],
    [64, "51f0bebf7e3b9d92fc49741779363cfe"],
  ];
  for (const [len, mac] of vectors) {
    it(`the ${len}-byte example gives ${mac}`, () => {
      expect(aesCmac(key, m.subarray(0, len)).toString("hex")).to.equal(mac);
    });
  }
  it("refuses a key that is not 16 bytes", () => {
    expect(thrown(() => aesCmac(Buffer.alloc(15), m))).to.be.instanceOf(AuthenticityInputError);
  });
});

describe("authenticity: NTAG 424 DNA SUN messages (AN12196)", () => {
  it("example 1: UID 04DE5F1EACC040, read counter 61; session MAC key and truncated MAC as the note gives", () => {
    expect(verifySunMessage(EXAMPLE_1)).to.deep.equal({ uid: "04de5f1eacc040", counter: 61 });
    const session = sunMacSessionKey(hex(ZERO_KEY), hex("04DE5F1EACC040"), hex("3D0000"));
    expect(session.toString("hex")).to.equal("3fb5f6e3a807a03d5e3570ace393776f");
    expect(truncateMac(aesCmac(session, Buffer.alloc(0))).toString("hex")).to.equal("94eed9ee65337086");
  });

  it("example 2: MAC over the ASCII file text, file data decrypted to the note's plain text", () => {
    const tap = verifySunMessage(EXAMPLE_2);
    expect(tap.uid).to.equal("04958caa5c5e80");
    expect(tap.counter).to.equal(8);
    expect(tap.fileData!.toString("latin1")).to.equal("x".repeat(16));
    const session = sunMacSessionKey(hex(ZERO_KEY), hex(tap.uid), hex("080000"));
    expect(session.toString("hex")).to.equal("3ed0920e5e6a0320d823d5987feafbb1");
  });

  it("a good tap with a rising counter passes; the tag it must be is checked", () => {
    expect(verifySunMessage({ ...EXAMPLE_1, lastCounter: 60, expectedUid: "04DE5F1EACC040" }).counter).to.equal(61);
  });

  it("ATTACK: a bad CMAC (one bit flipped, or the MAC of another message) is not genuine", () => {
    for (const cmacHex of ["94EED9EE65337087", EXAMPLE_2.cmacHex]) {
      const err = thrown(() => verifySunMessage({ ...EXAMPLE_1, cmacHex }));
      expect(err).to.be.instanceOf(TagNotGenuineError);
      expect((err as TagNotGenuineError).shortMessage).to.contain("MAC does not match");
    }
    // The URL's MACed text altered (a cloner editing the enc= part) breaks the MAC too.
    const altered = { ...EXAMPLE_2, macInput: EXAMPLE_2.macInput.replace("CEE9", "CEE8") };
    expect(thrown(() => verifySunMessage(altered))).to.be.instanceOf(TagNotGenuineError);
  });

  it("ATTACK: the wrong keys — meta read key (no PICCData) or file read key (no MAC match) — refuse the tap", () => {
    const other = "01".repeat(16);
    const meta = thrown(() => verifySunMessage({ ...EXAMPLE_1, sdmMetaReadKey: other }));
    expect(meta).to.be.instanceOf(TagNotGenuineError);
    expect((meta as TagNotGenuineError).shortMessage).to.contain("does not decrypt");
    const file = thrown(() => verifySunMessage({ ...EXAMPLE_1, sdmFileReadKey: other }));
    expect((file as TagNotGenuineError).shortMessage).to.contain("MAC does not match");
  });

  it("ATTACK: a replayed tap — counter equal to or below the last accepted one — is refused as replayed", () => {
    for (const lastCounter of [61, 100]) {
      const err = thrown(() => verifySunMessage({ ...EXAMPLE_1, lastCounter }));
      expect(err).to.be.instanceOf(ReplayedTapError);
      expect(err.message).to.contain(`counter 61 is not above the last accepted counter ${lastCounter}`);
    }
  });

  it("ATTACK: a genuine message of another tag is not this unit's tag", () => {
    const err = thrown(() => verifySunMessage({ ...EXAMPLE_2, expectedUid: "04DE5F1EACC040" }));
    expect((err as TagNotGenuineError).shortMessage).to.contain("not the unit's tag 04de5f1eacc040");
  });

  it("malformed input says which field and what it must be", () => {
    const cases: Array<[object, string]> = [
      [{ piccDataHex: "EF96" }, "piccDataHex must be 32 hex digits"],
      [{ cmacHex: "zz".repeat(8) }, "cmacHex must be 16 hex digits"],
      [{ sdmFileReadKey: "00" }, "sdmFileReadKey must be 32 hex digits"],
      [{ lastCounter: -1 }, "lastCounter must be a whole number"],
    ];
    for (const [patch, text] of cases) {
      const err = thrown(() => verifySunMessage({ ...EXAMPLE_1, ...patch }));
      expect(err, text).to.be.instanceOf(AuthenticityInputError);
      expect(err.message).to.contain(text);
    }
    const enc = thrown(() => verifySunMessage({ ...EXAMPLE_2, encFileDataHex: "CEE9" }));
    expect(enc.message).to.contain("multiple of 16 bytes");
  });
});
