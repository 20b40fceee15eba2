/**
 * Chip taps checked in TypeScript as the contract checks them (the on-chain side, and the two encoders against
 * each other, are in test/contracts/UnitClaims.test.ts): a good tap, and each refusal with its reason.
 */
import { expect } from "chai";
import { Wallet } from "ethers";
import type { Hex } from "viem";
import {
  AuthenticityInputError,
  chipTapDigest,
  ReplayedTapError,
  TagNotGenuineError,
  verifyChipTap,
} from "../../src/authenticity";

const AT = { chainId: 31337, claims: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Hex };
const UNIT = ("0x" + "ab".repeat(32)) as Hex;
const OTHER = ("0x" + "cd".repeat(32)) as Hex;
const chip = Wallet.createRandom();
const sign = (unit: Hex, counter: number, at = AT) =>
  chip.signingKey.sign(chipTapDigest(at, unit, counter)).serialized as Hex;
const base = { ...AT, unit: UNIT, counter: 5, chip: chip.address as Hex };
const failure = (input: Parameters<typeof verifyChipTap>[0]) =>
  verifyChipTap(input).then(
    () => undefined,
    (e: Error) => e,
  );

describe("authenticity: chip taps (secp256k1)", () => {
  it("accepts the bound chip's signature with a rising counter", async () => {
    expect(await verifyChipTap({ ...base, signature: sign(UNIT, 5), lastCounter: 4 })).to.deep.equal({
      chip: chip.address,
      counter: 5,
    });
  });

  it("ATTACK: a signature for another unit, another chain or another contract is not this unit's tap", async () => {
    for (const signature of [sign(OTHER, 5), sign(UNIT, 5, { ...AT, chainId: 1 }), sign(UNIT, 6)]) {
      const err = await failure({ ...base, signature });
      expect(err).to.be.instanceOf(TagNotGenuineError);
      expect(err!.message).to.contain(`not by the unit's chip ${chip.address}`);
    }
  });

  it("ATTACK: a replayed tap (counter not above the last) is refused", async () => {
    const err = await failure({ ...base, signature: sign(UNIT, 5), lastCounter: 5 });
    expect(err).to.be.instanceOf(ReplayedTapError);
    expect(err!.message).to.contain("counter 5 is not above the last accepted counter 5");
  });

  it("ATTACK: a malleated (high-s) or malformed signature is refused before recovery", async () => {
    const good = sign(UNIT, 5);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = (n - BigInt("0x" + good.slice(66, 130))).toString(16).padStart(64, "0");
    const v = good.slice(130) === "1b" ? "1c" : "1b";
    const high = (good.slice(0, 66) + s + v) as Hex;
    expect((await failure({ ...base, signature: high }))!.message).to.contain("upper half of the curve order");
    const badV = (good.slice(0, 130) + "01") as Hex;
    expect((await failure({ ...base, signature: badV }))!.message).to.contain("not a valid signature");
    expect(await failure({ ...base, signature: "0x1234" })).to.be.instanceOf(AuthenticityInputError);
    expect(await failure({ ...base, counter: 2 ** 32, signature: good })).to.be.instanceOf(AuthenticityInputError);
  });
});
