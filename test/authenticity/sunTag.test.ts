/**
 * The simulated NTAG 424 DNA tag: it reproduces AN12196's own example message byte for byte from the note's
 * keys, UID, counter and padding, and every message it writes passes `verifySunMessage` with its keys and no
 * other; its counter rises on every read, so a kept message is a replay once a later read was accepted.
 */
import { expect } from "chai";
import { AuthenticityInputError, ReplayedTapError, TagNotGenuineError, verifySunMessage } from "../../src/authenticity";
import { SimulatedSunTag, sunMessage, sunTapUrl, MAX_SUN_COUNTER } from "../../src/authenticity/sunTag";

const ZERO_KEYS = { sdmMetaReadKey: "00".repeat(16), sdmFileReadKey: "00".repeat(16) };
const KEYS = { sdmMetaReadKey: "11".repeat(16), sdmFileReadKey: "22".repeat(16) };
const UID = "04a1b2c3d4e580";

describe("authenticity: simulated SUN tag", () => {
  it("writes AN12196's example 1 (UID 04DE5F1EACC040, counter 61, zero keys) exactly", () => {
    // The padding is the note's PICCData decrypted with the zero key: bytes 12..16 of c704de5f1eacc0403d0000da5cf60941.
    const m = sunMessage({
      uid: "04DE5F1EACC040",
      counter: 61,
      keys: ZERO_KEYS,
      padding: Buffer.from("da5cf60941", "hex"),
    });
    expect(m).to.deep.equal({ e: "EF963FF7828658A599F3041510671E88", c: "94EED9EE65337086", counter: 61 });
  });

  it("writes AN12196's example 2 MAC over the file text (`<enc>&cmac=`)", () => {
    const m = sunMessage({
      uid: "04958CAA5C5E80",
      counter: 8,
      keys: ZERO_KEYS,
      padding: Buffer.from("a243c86dfc", "hex"),
      macInput: Buffer.from("CEE9A53E3E463EF1F459635736738962&cmac=", "latin1"),
    });
    expect([m.e, m.c]).to.deep.equal(["FD91EC264309878BE6345CBE53BADF40", "ECC1E7F6C6C73BF6"]);
  });

  it("each read raises the counter and verifies with the tag's keys; the earlier message is then a replay", () => {
    const tag = new SimulatedSunTag(UID, KEYS);
    const first = tag.read();
    const second = tag.read();
    expect([first.counter, second.counter, tag.readCounter]).to.deep.equal([1, 2, 2]);
    // Fresh random padding: two reads never repeat a PICCData.
    expect(first.e).to.not.equal(second.e);
    const check = (m: typeof first, lastCounter: number) =>
      verifySunMessage({ piccDataHex: m.e, cmacHex: m.c, ...KEYS, lastCounter, expectedUid: UID });
    expect(check(first, 0)).to.deep.equal({ uid: UID, counter: 1 });
    expect(check(second, 1)).to.deep.equal({ uid: UID, counter: 2 });
    expect(() => check(first, 2)).to.throw(ReplayedTapError, "counter 1 is not above the last accepted counter 2");
  });

  it("ATTACK: a message verified with another tag's keys is not genuine", () => {
    const m = new SimulatedSunTag(UID, KEYS).read();
    expect(() => verifySunMessage({ piccDataHex: m.e, cmacHex: m.c, ...ZERO_KEYS })).to.throw(TagNotGenuineError);
    const fileKeyOnly = { ...KEYS, sdmFileReadKey: "33".repeat(16) };
    expect(() => verifySunMessage({ piccDataHex: m.e, cmacHex: m.c, ...fileKeyOnly })).to.throw(
      TagNotGenuineError,
      "MAC does not match",
    );
  });

  it("puts the message on the unit's link as ?e=&c=, keeping what the link had", () => {
    const url = sunTapUrl("https://id.gs1.org/01/06901234567892/21/SN1?linkType=gs1:pip", { e: "AB", c: "CD" });
    expect(url).to.equal("https://id.gs1.org/01/06901234567892/21/SN1?linkType=gs1%3Apip&e=AB&c=CD");
  });

  it("refuses a malformed UID, key, counter or padding, saying which", () => {
    expect(() => new SimulatedSunTag("04a1", KEYS)).to.throw(AuthenticityInputError, "uid must be 14 hex digits");
    expect(() => sunMessage({ uid: UID, counter: 1, keys: { ...KEYS, sdmMetaReadKey: "zz" } })).to.throw(
      AuthenticityInputError,
      "sdmMetaReadKey",
    );
    expect(() => sunMessage({ uid: UID, counter: MAX_SUN_COUNTER + 1, keys: KEYS })).to.throw(
      AuthenticityInputError,
      "counter is 0 to 16777215",
    );
    expect(() => sunMessage({ uid: UID, counter: 1, keys: KEYS, padding: Buffer.alloc(4) })).to.throw(
      AuthenticityInputError,
      "padding is 5 bytes",
    );
    expect(() => new SimulatedSunTag(UID, KEYS, MAX_SUN_COUNTER).read()).to.throw(AuthenticityInputError, "at its end");
  });
});
