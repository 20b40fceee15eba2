/**
 * The claim code printed out of sight on a unit (under a scratch-off, inside the packaging), and the secret it
 * stands for. Codes are 20 Crockford base32 characters (100 random bits) in four groups of five, easy to type:
 * case, spaces and hyphens do not matter, and O/I/L read as 0/1/1. Browser-safe.
 */
import { keccak256, stringToHex, type Hex } from "viem";
import { ClaimCodeError } from "./errors";
import { claimCommitment, type ClaimsDeployment } from "./domain";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Characters of a claim code, without separators. */
export const CLAIM_CODE_LENGTH = 20;
const GROUP = 5;

/** A new claim code from the platform's cryptographic random source, grouped for printing. */
export function generateClaimCode(): string {
  const bytes = new Uint8Array(CLAIM_CODE_LENGTH);
  globalThis.crypto.getRandomValues(bytes);
  // 256 is a multiple of 32: taking the low 5 bits of each byte is uniform.
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]).join("");
  return chars.match(new RegExp(`.{${GROUP}}`, "g"))!.join("-");
}

/**
 * The canonical form of a code as typed (upper case, no separators, O→0, I/L→1).
 * @throws ClaimCodeError when it is not 20 code characters.
 */
export function normalizeClaimCode(typed: string): string {
  const code = String(typed).toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined || code.length !== CLAIM_CODE_LENGTH) {
    throw new ClaimCodeError(
      bad !== undefined
        ? `The claim code has a character that is not in claim codes: ${JSON.stringify(bad)}.`
        : `A claim code has ${CLAIM_CODE_LENGTH} characters; this one has ${code.length}.`,
      {
        hints: ["Type the code printed under the scratch-off (four groups of five letters and digits)."],
        bare: true,
      },
    );
  }
  return code;
}

/** The 32-byte secret a claim code reveals on chain (`UnitClaims.claim(unit, secret)`). */
export function claimSecret(typed: string): Hex {
  return keccak256(stringToHex(`cbec-trace:claim-code:${normalizeClaimCode(typed)}`));
}

/** A unit's claim as `UnitClaims.claimOf` returns it. */
export interface ClaimState {
  commitment: Hex;
  /** Block time of the claim, 0 when unclaimed. */
  claimedAt: number;
  /** The unit's effective stage when claimed (`STAGES`). */
  stage: number;
}

/**
 * What a code offered for a unit says, checked off chain against its commitment (no transaction):
 * - `no-commitment`: the brand committed no code for this unit;
 * - `claimable`: the code is the unit's and nobody has claimed it yet;
 * - `wrong-code`: not this unit's code (on a claimed unit, too: a copy's code, or a typo);
 * - `already-claimed`: the unit's code, but it was claimed before — by this buyer earlier, or it is a copy.
 */
export function assessClaimCode(
  at: ClaimsDeployment,
  unit: Hex,
  state: ClaimState,
  typed: string,
): "no-commitment" | "claimable" | "wrong-code" | "already-claimed" {
  if (/^0x0{64}$/i.test(state.commitment)) return "no-commitment";
  const opens = claimCommitment(at, unit, claimSecret(typed)).toLowerCase() === state.commitment.toLowerCase();
  if (!opens) return "wrong-code";
  return state.claimedAt > 0 ? "already-claimed" : "claimable";
}
