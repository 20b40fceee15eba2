/**
 * The two hashes `UnitClaims` defines, encoded exactly as the contract encodes them (`abi.encode`), so that a
 * browser, the CLI and the brand's service compute what the contract checks. Tested against the contract's
 * `commitmentOf` and `chipTapDigest`.
 */
import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

/** Domain tag of a claim secret's commitment (`UnitClaims.CLAIM_DOMAIN`). */
export const CLAIM_DOMAIN = "cbec-trace:claim";
/** Domain tag of a chip tap's digest (`UnitClaims.TAP_DOMAIN`). */
export const TAP_DOMAIN = "cbec-trace:tap";

/** Where a claim or tap counts: one chain and one claims contract. */
export interface ClaimsDeployment {
  chainId: number;
  /** The `UnitClaims` contract (`manifest.claims.address`). */
  claims: Address;
}

/** `commitmentOf(unit, secret)`: binds chain, contract and unit, so a secret opens one unit's commitment only. */
export function claimCommitment(at: ClaimsDeployment, unit: Hex, secret: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "uint256" }, { type: "address" }, { type: "bytes32" }, { type: "bytes32" }],
      [CLAIM_DOMAIN, BigInt(at.chainId), at.claims, unit, secret],
    ),
  );
}

/** `chipTapDigest(unit, counter)`: what a unit's chip signs (raw, without an EIP-191 prefix) for one tap. */
export function chipTapDigest(at: ClaimsDeployment, unit: Hex, counter: number): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "uint256" }, { type: "address" }, { type: "bytes32" }, { type: "uint32" }],
      [TAP_DOMAIN, BigInt(at.chainId), at.claims, unit, counter],
    ),
  );
}
