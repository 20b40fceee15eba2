/**
 * Reading a unit's claim and tag from `UnitClaims` (browser-safe, viem): what the verifier and the page need
 * to tell a buyer "claimed on <date>", "already claimed — likely a copy", or a tap's standing.
 */
import type { Address, Hex, PublicClient } from "viem";
import { unitClaimsAbi } from "../generated/abi";
import type { ClaimState } from "./claimCode";

/** A unit's authenticity state on chain. */
export interface UnitAuthenticity {
  claim: ClaimState & {
    /** Block of the claim (its `Claimed` log), 0 when unclaimed. */
    claimBlock: number;
  };
  tag: {
    /** `TAG_KINDS`: NONE, SUN or CHIP. */
    kind: number;
    /** The UID left-aligned (SUN) or the chip's address (CHIP), 20 bytes. */
    id: Hex;
    lastCounter: number;
    /** Block time of the last recorded tap, 0 before any. */
    lastTapAt: number;
  };
}

/** Reads `claimOf(unit)` and `tagOf(unit)` of the claims registry at `claims`. */
export async function readUnitAuthenticity(
  client: Pick<PublicClient, "readContract">,
  claims: Address,
  unit: Hex,
): Promise<UnitAuthenticity> {
  const [c, t] = await Promise.all([
    client.readContract({ address: claims, abi: unitClaimsAbi, functionName: "claimOf", args: [unit] }),
    client.readContract({ address: claims, abi: unitClaimsAbi, functionName: "tagOf", args: [unit] }),
  ]);
  const [commitment, claimedAt, claimBlock, stage] = c as readonly [Hex, number, bigint, number];
  const [kind, id, lastCounter, lastTapAt] = t as readonly [number, Hex, number, number];
  return {
    claim: { commitment, claimedAt: Number(claimedAt), claimBlock: Number(claimBlock), stage: Number(stage) },
    tag: { kind: Number(kind), id, lastCounter: Number(lastCounter), lastTapAt: Number(lastTapAt) },
  };
}
