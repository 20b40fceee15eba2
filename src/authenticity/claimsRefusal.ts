/**
 * A `UnitClaims` custom error found in a failed call or transaction (ethers or viem error), decoded by the
 * generated ABI: the tap service tells a replayed tap that lost a race (`UnitClaimsTapReplayed`) from a real
 * failure, and `trace tag` explains a refused binding. Browser-safe.
 */
import { decodeErrorResult } from "viem";
import { unitClaimsAbi } from "../generated/abi";
import { revertDataOf } from "../errors/contract";

/** A decoded refusal: the error's name (`UnitClaimsTapReplayed` …) and its arguments, in order. */
export interface ClaimsRefusal {
  name: string;
  args: readonly unknown[];
}

/** The `UnitClaims` error inside `error`, or undefined when it holds none (a network failure, another contract). */
export function claimsRefusalOf(error: unknown): ClaimsRefusal | undefined {
  const data = revertDataOf(error);
  if (!data) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: unitClaimsAbi, data });
    return { name: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}
