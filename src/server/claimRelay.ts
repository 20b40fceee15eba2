/**
 * The chain side of the claim relay (issue 17): a buyer's secret is checked against the unit's commitment off
 * chain first (a wrong one costs no gas and sends nothing), and only a secret that opens an unclaimed
 * commitment is sent as `claim(unit, secret)` from the platform's relayer key, through the SDK's exactly-once
 * sender; the answer comes from the receipt's `Claimed` log. Claims of one unit run one at a time, so of two
 * buyers racing with the same code one transaction is sent and the other is told "already claimed". The
 * relayer holds no right: the contract checks the secret, so there is nothing it can send without one.
 * Node-only.
 */
import { JsonRpcProvider, Network, Wallet } from "ethers";
import {
  createPublicClient,
  decodeEventLog,
  encodeFunctionData,
  http,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { unitClaimsAbi } from "../generated/abi";
import { claimCommitment, type ClaimsDeployment } from "../authenticity/domain";
import { readUnitAuthenticity } from "../authenticity/read";
import { claimsRefusalOf } from "../authenticity/claimsRefusal";
import { TransactionSender } from "../write/sender";

export interface ClaimRelayConfig {
  nodeUrl: string;
  deployment: ClaimsDeployment;
  /** The relayer's private key (0x + 64 hex): it pays the gas and carries no right. */
  relayerKey: string;
  /** Fixed gas price in wei (legacy transactions; 0 on zero-gas chains). */
  gasPrice?: bigint;
  /** How long to wait for a receipt before broadcasting the same transaction again (ms, default 30 s). */
  receiptTimeoutMs?: number;
}

/** What a claim attempt came to. */
export type ClaimOutcome =
  | { kind: "claimed"; txHash: Hex; blockNumber: bigint; claimedAt: number; stage: number }
  | { kind: "already-claimed"; claimedAt: number }
  | { kind: "wrong-code"; claimedAt?: number }
  | { kind: "no-commitment" }
  | { kind: "busy"; retryAfter: number }
  /** The ledger is paused: nothing is written, claims included, until the consortium admin unpauses it. */
  | { kind: "paused" };

export interface ClaimRelay {
  readonly relayer: Address;
  /**
   * Claims `unit` with `secret` when it opens the unclaimed commitment; `admitTransaction` is asked just
   * before a transaction would be sent (the overall gas budget) and may refuse it with the seconds to wait.
   */
  claim(unit: Hex, secret: Hex, admitTransaction: () => number | undefined): Promise<ClaimOutcome>;
}

export function createClaimRelay(config: ClaimRelayConfig): ClaimRelay {
  const { deployment } = config;
  const provider = new JsonRpcProvider(config.nodeUrl, Network.from(deployment.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
  });
  const wallet = new Wallet(config.relayerKey, provider);
  const sender = new TransactionSender(wallet, provider, wallet.address, {
    gasPrice: config.gasPrice,
    receiptTimeoutMs: config.receiptTimeoutMs ?? 30_000,
    pollIntervalMs: 100,
  });
  // cacheTime 0: a claim is read again right after the block that recorded the previous one.
  const client = createPublicClient({
    transport: http(config.nodeUrl, { retryCount: 1 }),
    cacheTime: 0,
  }) as PublicClient;
  const queues = new Map<string, Promise<unknown>>();

  const attempt = async (unit: Hex, secret: Hex, admit: () => number | undefined): Promise<ClaimOutcome> => {
    const { claim } = await readUnitAuthenticity(client, deployment.claims, unit);
    if (/^0x0{64}$/i.test(claim.commitment)) return { kind: "no-commitment" };
    const opens = claimCommitment(deployment, unit, secret).toLowerCase() === claim.commitment.toLowerCase();
    if (!opens) return { kind: "wrong-code", ...(claim.claimedAt > 0 ? { claimedAt: claim.claimedAt } : {}) };
    if (claim.claimedAt > 0) return { kind: "already-claimed", claimedAt: claim.claimedAt };
    const wait = admit();
    if (wait !== undefined) return { kind: "busy", retryAfter: wait };
    const data = encodeFunctionData({ abi: unitClaimsAbi, functionName: "claim", args: [unit, secret] });
    try {
      const sent = await sender.send({ to: deployment.claims, data });
      return await fromReceipt(unit, sent.hash as Hex, sent.blockNumber, sent.receipt.logs);
    } catch (error) {
      // Someone else's claim (a front-runner who saw the secret, another relayer) landed first: refused at the
      // estimate with the decoded error, or reverted in the same block (where re-running it one block earlier
      // tells nothing), so the chain is asked again.
      const refusal = claimsRefusalOf(error);
      if (refusal?.name === "UnitClaimsAlreadyClaimed") {
        return { kind: "already-claimed", claimedAt: Number(refusal.args[1]) };
      }
      if (refusal?.name === "UnitClaimsPaused") return { kind: "paused" };
      const now = await readUnitAuthenticity(client, deployment.claims, unit).catch(() => undefined);
      if (now && now.claim.claimedAt > 0) return { kind: "already-claimed", claimedAt: now.claim.claimedAt };
      throw error;
    }
  };

  const fromReceipt = async (
    unit: Hex,
    txHash: Hex,
    blockNumber: number,
    logs: ReadonlyArray<{ address: string; topics: ReadonlyArray<string>; data: string }>,
  ): Promise<ClaimOutcome> => {
    for (const log of logs) {
      if (log.address.toLowerCase() !== deployment.claims.toLowerCase()) continue;
      try {
        const event = decodeEventLog({ abi: unitClaimsAbi, topics: log.topics as [Hex], data: log.data as Hex });
        const args = event.args as { unit?: Hex; stage?: number } | undefined;
        if (event.eventName !== "Claimed" || args?.unit?.toLowerCase() !== unit.toLowerCase()) continue;
        const block = await provider.getBlock(blockNumber);
        return {
          kind: "claimed",
          txHash,
          blockNumber: BigInt(blockNumber),
          claimedAt: Number(block!.timestamp),
          stage: Number(args.stage),
        };
      } catch {
        // Not an event of this ABI.
      }
    }
    throw new Error(`transaction ${txHash} succeeded without a Claimed log of unit ${unit}`);
  };

  return {
    relayer: wallet.address as Address,
    claim(unit, secret, admit) {
      const key = unit.toLowerCase();
      const before = queues.get(key) ?? Promise.resolve();
      const run = before.then(() => attempt(unit, secret, admit));
      const settled = run.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => queues.get(key) === settled && queues.delete(key));
      return run;
    },
  };
}
