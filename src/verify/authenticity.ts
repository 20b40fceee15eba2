/**
 * The unit's first-scan claim and tag, read from the claims registry (`UnitClaims`, issue 17) at the block the
 * whole verdict is pinned to, and checked for answers that cannot belong to that block. The registry's state
 * has no hash chain: an endpoint could answer `claimOf` from a later block (a claim the pinned history cannot
 * know of) or invent one. What can be checked is checked here: the claim's block is not above the pinned
 * block, the claim's time is its block's time, an unclaimed unit has no claim block, a counter has a time and
 * no tap is newer than the pinned block. Browser-safe.
 */
import type { Address, Hex, PublicClient } from "viem";
import { readUnitAuthenticity, type UnitAuthenticity } from "../authenticity/read";
import { assessClaimCode } from "../authenticity/claimCode";
import { readBlockHeaders, type BlockHeader } from "../read/blocks";
import { STAGES } from "../codes";
import type { ChainView } from "./evidence";

/** What the verdict learned of the unit's claim and tag. */
export interface AuthenticityEvidence {
  /** The registry read. */
  registry: Address;
  /** `claimOf` and `tagOf` as served at the pinned block. */
  read: UnitAuthenticity;
  /** Answers that cannot be the registry's state at the pinned block (each says why). */
  inconsistencies: string[];
  /** The claim's block header, when claimed (its time is checked against the claim's). */
  claimHeader?: BlockHeader;
  /** What the code offered with the verification says (`assessClaimCode`), when one was offered. */
  offered?: ClaimAssessment;
}

/** `assessClaimCode`'s answer. */
export type ClaimAssessment = ReturnType<typeof assessClaimCode>;

/** A claim recorded at an effective stage below this was made before the unit was delivered. */
export const DELIVERED_STAGE = STAGES.DELIVERED;

const ZERO_COMMITMENT = /^0x0{64}$/i;

/** A registry's state that could not be read: no commitment, no claim, no tag. */
const NOTHING_READ: UnitAuthenticity = {
  claim: { commitment: `0x${"0".repeat(64)}`, claimedAt: 0, claimBlock: 0, stage: 0 },
  tag: { kind: 0, id: `0x${"0".repeat(40)}`, lastCounter: 0, lastTapAt: 0 },
};

/** Where the registry is, and the code a buyer offers, if any. */
export interface AuthenticityQuery {
  registry: Address;
  /** The registry's deployment block, when known: no code at or after it is an endpoint's lie. */
  deploymentBlock?: bigint;
  chainId: number;
  unit: Hex;
  /** A claim code in the buyer's hands, assessed off chain (never sent anywhere). */
  claimCode?: string;
}

/**
 * Reads `claimOf(unit)`, `tagOf(unit)` and the pinned block's header at `view`, then the claim's block header.
 * Returns undefined when the registry has no code at the pinned block because it was deployed later.
 */
export async function readAuthenticityAt(
  client: PublicClient,
  query: AuthenticityQuery,
  view: ChainView,
): Promise<AuthenticityEvidence | undefined> {
  const { registry, unit } = query;
  const at = view.blockNumber;
  // Every read carries the pinned block: the registry's answer must describe the same chain state as the rest.
  const pinned = {
    readContract: (args: Record<string, unknown>) => client.readContract({ ...args, blockNumber: at } as never),
  } as Pick<PublicClient, "readContract">;
  const [code, read, headers] = await Promise.all([
    client.getCode({ address: registry, blockNumber: at }),
    readUnitAuthenticity(pinned, registry, unit).catch((error: unknown) => error as Error),
    readBlockHeaders(client, [at]),
  ]);
  if (!code || code === "0x") {
    if (query.deploymentBlock === undefined || query.deploymentBlock > at) return undefined;
    // The registry existed by the pinned block: an endpoint serving no code there hides what it says.
    return {
      registry,
      read: NOTHING_READ,
      inconsistencies: [
        `the registry has no code at block ${at}, though it was deployed at block ${query.deploymentBlock}`,
      ],
    };
  }
  if (read instanceof Error) throw read;
  const evidence: AuthenticityEvidence = { registry, read, inconsistencies: [] };
  if (query.claimCode !== undefined) {
    evidence.offered = assessClaimCode({ chainId: query.chainId, claims: registry }, unit, read.claim, query.claimCode);
  }
  const { claim, tag } = read;
  const pinnedTime = headers.get(at)!.timestamp;
  const problem = (why: string) => evidence.inconsistencies.push(why);
  const committed = !ZERO_COMMITMENT.test(claim.commitment);
  if (claim.claimedAt > 0 || claim.claimBlock > 0) {
    if (!committed) problem("a claim is served for a unit without a commitment");
    if (claim.claimedAt === 0 || claim.claimBlock === 0) problem("a claim is served with no time or no block");
    if (BigInt(claim.claimBlock) > at) {
      problem(`the claim is served from block ${claim.claimBlock}, after the pinned block ${at}`);
    } else if (claim.claimBlock > 0) {
      evidence.claimHeader = (await readBlockHeaders(client, [BigInt(claim.claimBlock)])).get(BigInt(claim.claimBlock));
      if (evidence.claimHeader && evidence.claimHeader.timestamp !== claim.claimedAt) {
        problem(
          `the claim's time ${claim.claimedAt} is not the time ${evidence.claimHeader.timestamp} of its block ${claim.claimBlock}`,
        );
      }
    }
    if (claim.stage > STAGES.DESTROYED) problem(`the claim's stage ${claim.stage} is not a stage`);
  }
  if ((tag.lastCounter > 0 || tag.lastTapAt > 0) && tag.kind === 0) problem("taps are served for a unit with no tag");
  if (tag.lastTapAt > pinnedTime)
    problem(`the last tap's time ${tag.lastTapAt} is after the pinned block's ${pinnedTime}`);
  return evidence;
}

/** The report's view of a claim and tag (`VerificationReport.authenticity`). */
export interface AuthenticityFinding {
  registry: Address;
  claim: {
    /** The brand committed a claim code for the unit. */
    committed: boolean;
    /** The commitment (to check a code in hand off chain, `assessClaimCode`). */
    commitment: Hex;
    claimed: boolean;
    /** Block time of the claim (Unix seconds), 0 when unclaimed. */
    claimedAt: number;
    claimBlock: number;
    /** The unit's effective stage when claimed (`STAGES`). */
    stage: number;
    /** Claimed at a stage below DELIVERED: the code was revealed before the unit reached its buyer. */
    beforeDelivery: boolean;
  };
  tag: { kind: number; id: Hex; lastCounter: number; lastTapAt: number };
  /** What the code offered with the verification says (`assessClaimCode`), when one was offered. */
  offered?: ClaimAssessment;
}

/** The report's view of the evidence. */
export function authenticityFinding(e: AuthenticityEvidence): AuthenticityFinding {
  const offered = e.offered;
  const { claim, tag } = e.read;
  const claimed = claim.claimedAt > 0;
  return {
    registry: e.registry,
    claim: {
      committed: !ZERO_COMMITMENT.test(claim.commitment),
      commitment: claim.commitment,
      claimed,
      claimedAt: claim.claimedAt,
      claimBlock: claim.claimBlock,
      stage: claim.stage,
      beforeDelivery: claimed && claim.stage < DELIVERED_STAGE,
    },
    tag: { ...tag },
    ...(offered ? { offered } : {}),
  };
}
