/**
 * Exactly-once transaction submission. A transaction is signed locally once, with a nonce from the
 * `NonceManager`; after a timeout or a lost response the *same* signed bytes are broadcast again, so the
 * node can include it at most once (one nonce, one hash). Refusals are decoded into named errors before
 * any nonce is taken.
 */
import {
  Transaction,
  type AbstractSigner,
  type Provider,
  type TransactionReceipt,
  type TransactionRequest,
} from "ethers";
import { explainContractError } from "../errors/contract";
import { NetworkError, TransactionError } from "../errors/base";
import { NonceManager } from "./nonceManager";

export interface SendOptions {
  /** Blocks to wait after inclusion (default 1: the inclusion block itself). */
  confirmations?: number;
  /** Fixed gas price in wei: sends legacy (type 0) transactions, e.g. 0 on zero-gas consortium chains. */
  gasPrice?: bigint;
  /** How long to wait for a receipt before broadcasting the same transaction again (ms, default 30 s). */
  receiptTimeoutMs?: number;
  /** Broadcast attempts before giving up (default 5). */
  maxAttempts?: number;
  /** Extra gas over the estimate, in percent (default 20). */
  gasMarginPercent?: number;
  /** How often to poll for a receipt (ms, default 200). */
  pollIntervalMs?: number;
}

/** A confirmed transaction. */
export interface SentTransaction {
  hash: string;
  nonce: number;
  receipt: TransactionReceipt;
  gasUsed: bigint;
  blockNumber: number;
  /** How many times the signed transaction was broadcast (more than 1 after a lost response). */
  broadcasts: number;
}

const ALREADY_SENT =
  /already known|nonce too low|nonce has already been used|known transaction|replacement transaction underpriced|NONCE_EXPIRED|ALREADY_EXISTS/i;

export class TransactionSender {
  readonly nonces: NonceManager;
  private readonly opts: Required<Omit<SendOptions, "gasPrice">> & { gasPrice?: bigint };
  private chainId: bigint | undefined;

  constructor(
    readonly signer: AbstractSigner,
    readonly provider: Provider,
    readonly address: string,
    options: SendOptions = {},
  ) {
    this.nonces = new NonceManager(provider, address);
    this.opts = {
      confirmations: options.confirmations ?? 1,
      gasPrice: options.gasPrice,
      receiptTimeoutMs: options.receiptTimeoutMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 5,
      gasMarginPercent: options.gasMarginPercent ?? 20,
      pollIntervalMs: options.pollIntervalMs ?? 200,
    };
  }

  /** Estimates gas for a call as this sender; a refusal is thrown as a decoded contract error. */
  async estimate(tx: TransactionRequest): Promise<bigint> {
    try {
      return await this.provider.estimateGas({ ...tx, from: this.address });
    } catch (error) {
      throw explainContractError(error);
    }
  }

  /** Sends a call exactly once and waits for its receipt. */
  async send(tx: TransactionRequest, gasEstimate?: bigint): Promise<SentTransaction> {
    const estimate = gasEstimate ?? (await this.estimate(tx));
    const gasLimit = (estimate * BigInt(100 + this.opts.gasMarginPercent)) / 100n;
    const chainId = (this.chainId ??= (await this.provider.getNetwork()).chainId);
    const fees = await this.fees();
    const nonce = await this.nonces.take();
    const signed = await this.signer.signTransaction({ ...tx, from: this.address, nonce, gasLimit, chainId, ...fees });
    const hash = Transaction.from(signed).hash!;
    let broadcasts = 0;
    let lastError: unknown;
    for (let attempt = 0; attempt < this.opts.maxAttempts; attempt++) {
      try {
        broadcasts++;
        await this.broadcastInOrder(signed);
      } catch (error) {
        lastError = error;
        const message = messageOf(error);
        if (!ALREADY_SENT.test(message) && !isTransient(error)) {
          this.nonces.resync();
          throw explainContractError(error);
        }
        if (/nonce too low|nonce has already been used|NONCE_EXPIRED/i.test(message)) {
          // Either an earlier broadcast of this very transaction was mined, or another sender used the nonce.
          const known = await this.provider.getTransaction(hash).catch(() => null);
          if (!known) {
            this.nonces.resync();
            throw new TransactionError(`Nonce ${nonce} of ${this.address} was used by another transaction.`, {
              hints: ["Another process is sending with the same key; give each process its own key, then retry."],
              cause: error,
            });
          }
        }
        // Already in the pool or mined (a previous broadcast went through): wait for it below.
      }
      const receipt = await this.waitReceipt(hash).catch((e) => {
        lastError = e;
        return null;
      });
      if (receipt) {
        if (receipt.status !== 1) throw await this.revertReason(tx, receipt);
        return { hash, nonce, receipt, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, broadcasts };
      }
    }
    this.nonces.resync();
    throw new TransactionError(
      `Transaction ${hash} (nonce ${nonce}) was not confirmed after ${broadcasts} broadcasts.`,
      {
        hints: [
          "The node may be down or the transaction stuck behind another; it is safe to retry the same operation:",
          "the SDK skips what is already on chain.",
        ],
        cause: lastError,
      },
    );
  }

  private async fees(): Promise<Partial<TransactionRequest>> {
    if (this.opts.gasPrice !== undefined) return { type: 0, gasPrice: this.opts.gasPrice };
    const data = await this.provider.getFeeData();
    if (data.maxFeePerGas !== null && data.maxPriorityFeePerGas !== null) {
      return { type: 2, maxFeePerGas: data.maxFeePerGas, maxPriorityFeePerGas: data.maxPriorityFeePerGas };
    }
    return { type: 0, gasPrice: data.gasPrice ?? 0n };
  }

  /**
   * Broadcasts, waiting while the node refuses the transaction because an earlier nonce of this key has
   * not arrived yet (concurrent submissions can reach the node out of order; some nodes, such as Hardhat
   * with automining, do not queue them).
   */
  private async broadcastInOrder(signed: string): Promise<void> {
    const deadline = Date.now() + this.opts.receiptTimeoutMs;
    for (;;) {
      try {
        await this.provider.broadcastTransaction(signed);
        return;
      } catch (error) {
        if (!/nonce too high/i.test(messageOf(error)) || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  /** Polls for the receipt (works with every provider) until it has enough confirmations or time is up. */
  private async waitReceipt(hash: string): Promise<TransactionReceipt | null> {
    const deadline = Date.now() + this.opts.receiptTimeoutMs;
    for (;;) {
      try {
        const receipt = await this.provider.getTransactionReceipt(hash);
        if (receipt) {
          if (this.opts.confirmations <= 1) return receipt;
          const head = await this.provider.getBlockNumber();
          if (head - receipt.blockNumber + 1 >= this.opts.confirmations) return receipt;
        }
      } catch (error) {
        if (!isTransient(error)) throw new NetworkError(`Waiting for transaction ${hash} failed.`, { cause: error });
      }
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, this.opts.pollIntervalMs));
    }
  }

  /** Re-runs a failed transaction as a call at its block to learn the revert reason. */
  private async revertReason(tx: TransactionRequest, receipt: TransactionReceipt): Promise<unknown> {
    try {
      await this.provider.call({ ...tx, from: this.address, blockTag: receipt.blockNumber - 1 });
    } catch (error) {
      return explainContractError(error);
    }
    return new TransactionError(`Transaction ${receipt.hash} failed on chain without a revert reason.`);
  }
}

function messageOf(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    const o = e as { message?: unknown; shortMessage?: unknown; error?: unknown; cause?: unknown; info?: unknown };
    if (typeof o.message === "string") parts.push(o.message);
    if (typeof o.shortMessage === "string") parts.push(o.shortMessage);
    e = o.error ?? o.cause;
  }
  return parts.join(" | ");
}

/** Network-level failures worth retrying (lost connection, timeouts, 5xx). */
export function isTransient(error: unknown): boolean {
  const m = messageOf(error);
  const code = (error as { code?: string })?.code;
  return (
    code === "NETWORK_ERROR" ||
    code === "TIMEOUT" ||
    code === "SERVER_ERROR" ||
    /ECONNRESET|ECONNREFUSED|socket hang up|ETIMEDOUT|network|fetch failed|timeout|502|503|504/i.test(m)
  );
}
