/**
 * The proof bundle (issue 12): what the platform server hands a buyer's verifier so that a verdict takes one
 * JSON-RPC round trip instead of dozens of sequential ones. It is a *manifest*, not evidence: the exact list
 * of JSON-RPC requests that a full, trust-nothing verification of the unit made at one block, plus the
 * off-chain records it asked for. The verifier sends every request to its own node in one batch, then runs
 * the unchanged verdict engine with those answers. Nothing the bundle says is believed: a bundle that lies
 * (drops, reorders, alters or fabricates) only makes the engine ask the node for what is missing, so the
 * verdict is always the log walk's. Browser-safe (types only).
 */
import type { Address, Hex } from "viem";
import type { Verdict } from "../verify/reasons";

/** The bundle format this SDK writes and reads. */
export const BUNDLE_FORMAT = "cbec-trace/proof-bundle@1" as const;

/** One JSON-RPC request as the verifier's client sends it. */
export interface RpcRequest {
  method: string;
  params: unknown[];
}

export interface ProofBundle {
  format: typeof BUNDLE_FORMAT;
  /** The code the bundle is for (canonical Digital Link URI). */
  code: string;
  /** The unit key. */
  unit: Hex;
  ledger: { address: Address; chainId: number; version: string; deploymentBlock: string };
  /** The block the server's verification was pinned at (decimal string, and its hash). */
  at: { blockNumber: string; blockHash: Hex };
  /** Every JSON-RPC request that verification made, in order (duplicates removed). */
  requests: RpcRequest[];
  /** The off-chain records it asked for, by their hash (each is checked against its hash again). */
  records: Record<string, unknown>;
  /** The server's own verdict: its say-so, shown while the buyer's check runs, never used for the result. */
  preview: { verdict: Verdict };
  /** When the server made it (ISO 8601). */
  createdAt: string;
}

/** How a verification used its bundle (`VerificationReport.stats.bundle`). */
export interface BundleUse {
  /** Requests sent to the node in the one prefetch batch. */
  prefetched: number;
  /** Requests the engine made that the prefetch had answered. */
  hits: number;
  /** Requests the engine made that the bundle had not foreseen (each went to the node). */
  misses: number;
  /**
   * Why the bundle's block was not the one read at: "format" (not a bundle of this format, or more requests
   * than a verification makes), "ledger" (another ledger or chain), "unit" (another unit), "stale" (the
   * chain changed after the bundle's block), "missing" (the node has no such block), "unconfirmed" (the
   * block is above the finality depth asked for). The verification then reads the latest block as usual.
   */
  rejected?: "format" | "ledger" | "unit" | "stale" | "missing" | "unconfirmed";
  /** Requests the bundle named that are not read-only JSON-RPC methods: never sent. */
  refused?: number;
}
