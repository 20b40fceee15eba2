/**
 * Taps of a secp256k1 chip (HaLo-style) bound to a unit: the chip signs `chipTapDigest(unit, counter)` and this
 * checks the signature exactly as `UnitClaims.submitChipTap` does (OpenZeppelin `ECDSA.tryRecover`: 65 bytes,
 * v 27 or 28, s in the lower half of the curve order), so a page can tell a buyer before anything is sent.
 * Browser-safe: no trusted service is involved.
 */
import { recoverAddress, type Address, type Hex } from "viem";
import { chipTapDigest, type ClaimsDeployment } from "./domain";
import { AuthenticityInputError, ReplayedTapError, TagNotGenuineError } from "./errors";

/** The secp256k1 group order n, and n / 2 (the largest s `ECDSA` accepts). */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = N >> 1n;
const MAX_COUNTER = 2 ** 32 - 1;

export interface ChipTapInput extends ClaimsDeployment {
  /** The unit key the tap is for. */
  unit: Hex;
  /** The tap's counter (uint32). */
  counter: number;
  /** The chip's signature, 65 bytes r ‖ s ‖ v, hex. */
  signature: Hex;
  /** The chip bound to the unit (`tagOf(unit).id`). */
  chip: Address;
  /** The unit's last recorded chip counter (`tagOf(unit).lastCounter`). */
  lastCounter?: number;
}

/**
 * Verifies a chip tap; returns the chip and counter.
 * @throws AuthenticityInputError for a malformed counter or signature encoding;
 * @throws TagNotGenuineError when the signature is malleable (high s) or not the bound chip's over this unit;
 * @throws ReplayedTapError when the counter is not above `lastCounter`.
 */
export async function verifyChipTap(input: ChipTapInput): Promise<{ chip: Address; counter: number }> {
  if (!Number.isSafeInteger(input.counter) || input.counter < 0 || input.counter > MAX_COUNTER) {
    throw new AuthenticityInputError(`A chip tap counter is a whole number from 0 to 2^32 − 1; got ${input.counter}.`);
  }
  if (!/^0x[0-9a-fA-F]{130}$/.test(input.signature)) {
    throw new AuthenticityInputError("A chip signature is 65 bytes (r ‖ s ‖ v) in hex, 0x and 130 digits.", {
      hints: ["Pass the signature the chip returned, unchanged."],
    });
  }
  const r = BigInt(input.signature.slice(0, 66));
  const s = BigInt("0x" + input.signature.slice(66, 130));
  const v = parseInt(input.signature.slice(130), 16);
  const notGenuine = (why: string) =>
    new TagNotGenuineError(`The chip tap does not verify: ${why}.`, {
      hints: ["Tap the unit's own chip again; a signature made for another unit or altered proves nothing."],
    });
  if (s > HALF_N) throw notGenuine("its s is in the upper half of the curve order (a malleated signature)");
  if (r === 0n || r >= N || s === 0n || (v !== 27 && v !== 28)) throw notGenuine("it is not a valid signature");
  let signer: Address;
  try {
    signer = await recoverAddress({
      hash: chipTapDigest(input, input.unit, input.counter),
      signature: input.signature,
    });
  } catch (cause) {
    throw new TagNotGenuineError("The chip tap does not verify: no key recovers from its signature.", { cause });
  }
  if (signer.toLowerCase() !== input.chip.toLowerCase()) {
    throw notGenuine(`it was signed by ${signer}, not by the unit's chip ${input.chip} for this unit and counter`);
  }
  if (input.lastCounter !== undefined && input.counter <= input.lastCounter) {
    throw new ReplayedTapError(input.counter, input.lastCounter, "the chip tap's");
  }
  return { chip: input.chip, counter: input.counter };
}
