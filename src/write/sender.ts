/**
 * Exactly-once transaction submission. A transaction is signed locally once, with a nonce from the
 * `NonceManager`; after a timeout or a lost response the *same* signed bytes are broadcast again, so the
 * node can include it at most once (one nonce, one hash). Refusals are decoded into named errors before
 * any nonce is taken.
 */
import {
  keccak256,
  type AbstractSigner,
  type Provider,
  type TransactionReceipt,
  type TransactionRequest,
} from "ethers";
import { explainContractError } from "../errors/contract";
import { FeeTooLowError, NetworkError, TransactionError } from "../errors/base";
import { NonceManager } from "./nonceManager";
import { HeldTransactions } from "./heldTransactions";
import { isTransient, messageOf, retryTransient, sleep } from "./retry";
import { callChargesIntrinsicGas, preflightGas } from "./callGas";
import { LOST_CHECK_MS, LossWatch } from "./lossWatch";
import { ALREADY_SENT, OUT_OF_GAS, feeRefusalOf, refusalOf, refusedBefore } from "./refusals";

export interface SendOptions {
  /**
   * Blocks to wait after inclusion, counting the inclusion block (default 1). A transaction whose block is
   * reorganized away before that depth is broadcast again.
   */
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

/** A transaction signed once: its bytes and hash are kept for every (re)broadcast. */
export interface SignedTransaction {
  /** The call (`to`, `data`), for decoding a revert. */
  request: TransactionRequest;
  /** The signed serialized transaction. */
  signed: string;
  hash: string;
  nonce: number;
  gasLimit: bigint;
  /** Times a refill broadcast these bytes again for a node that had lost them (see `LossWatch`). */
  refilled?: number;
}

/** What a pre-flight call at a given gas limit says. */
export type PreflightOutcome = "ok" | "outOfGas";

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

/** One key's transactions through one node, each included at most once (see the file's header). */
export class TransactionSender {
  readonly nonces: NonceManager;
  /** What this sender signed lately, to give a node that lost it the same bytes again. */
  readonly held = new HeldTransactions();
  /** Notices a node that lost what it was given, and gives it back (`LossWatch`). */
  private readonly watch: LossWatch;
  private readonly opts: Required<Omit<SendOptions, "gasPrice">> & { gasPrice?: bigint };
  private chainId: bigint | undefined;
  /** Whether the node's `eth_call` charges intrinsic gas (`callChargesIntrinsicGas`), once known. */
  private callCharges: Promise<boolean> | undefined;

  constructor(
    readonly signer: AbstractSigner,
    readonly provider: Provider,
    readonly address: string,
    options: SendOptions = {},
  ) {
    this.nonces = new NonceManager(provider, address);
    this.watch = new LossWatch(provider, address, this.held, (signed, hash) => this.sendRaw(signed, hash));
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
      return await retryTransient(() => this.provider.estimateGas({ ...tx, from: this.address }));
    } catch (error) {
      throw explainContractError(error);
    }
  }

  /** Sends a call exactly once and waits for its receipt (and, with `confirmations` > 1, its finality depth). */
  async send(tx: TransactionRequest, gasEstimate?: bigint): Promise<SentTransaction> {
    const estimate = gasEstimate ?? (await this.estimate(tx));
    return this.confirm(await this.sign(tx, this.gasLimitFor(estimate)));
  }

  /** The gas limit for a node's estimate: the estimate plus `gasMarginPercent`. */
  gasLimitFor(estimate: bigint): bigint {
    return (estimate * BigInt(100 + this.opts.gasMarginPercent)) / 100n;
  }

  /**
   * Runs a call as this sender with `gasLimit` on the latest block: "ok", "outOfGas" when that limit is too
   * small, or the refusal thrown decoded. Nothing is signed and no nonce is taken.
   */
  async preflight(tx: TransactionRequest, gasLimit: bigint): Promise<PreflightOutcome> {
    try {
      // Probed once per sender: a node whose call gets no intrinsic gas charged is given the execution gas only.
      const charges = await (this.callCharges ??= callChargesIntrinsicGas(this.provider, this.address).catch(
        (error: unknown) => {
          this.callCharges = undefined;
          throw error;
        },
      ));
      const callGas = preflightGas(gasLimit, String(tx.data ?? "0x"), charges);
      if (callGas <= 0n) return "outOfGas";
      await retryTransient(() => this.provider.call({ ...tx, from: this.address, gasLimit: callGas }));
      return "ok";
    } catch (error) {
      if (OUT_OF_GAS.test(messageOf(error))) return "outOfGas";
      throw explainContractError(error);
    }
  }

  /**
   * Signs a call once with the next nonce (or the given one, to re-sign a transaction the node refused at
   * the same nonce) and today's fees. The hash is computed once from the signed bytes.
   */
  async sign(tx: TransactionRequest, gasLimit: bigint, nonce?: number): Promise<SignedTransaction> {
    const chainId = (this.chainId ??= (await retryTransient(() => this.provider.getNetwork())).chainId);
    const fees = await this.fees();
    const n = nonce ?? (await this.nonces.take());
    const signed = await this.signer.signTransaction({
      ...tx,
      from: this.address,
      nonce: n,
      gasLimit,
      chainId,
      ...fees,
    });
    const result = { request: tx, signed, hash: keccak256(signed), nonce: n, gasLimit };
    this.held.hold(result);
    return result;
  }

  /**
   * Broadcasts a signed transaction and waits for its receipt, broadcasting the same bytes again after a
   * timeout, a lost answer or a reorganization. A revert at execution throws the decoded reason (the nonce
   * is used); a refusal of the broadcast throws with `nonceLeftUnused(error)` true. With `resync` (the
   * default) the nonce counter is re-read from the node after a failure; a pipeline that has later nonces
   * out passes false and fills the gap itself.
   */
  async confirm(tx: SignedTransaction, options: { resync?: boolean } = {}): Promise<SentTransaction> {
    const resync = options.resync ?? true;
    const { signed, hash, nonce } = tx;
    const refilledBefore = tx.refilled ?? 0;
    let broadcasts = 0;
    let lastError: unknown;
    for (let round = 0; round < this.opts.maxAttempts; round++) {
      let sent: { broadcasts: number; error?: unknown };
      try {
        sent = await this.broadcast(signed, hash, nonce);
      } catch (error) {
        this.held.forget(nonce, hash);
        if (resync) this.nonces.resync();
        throw error;
      }
      broadcasts += sent.broadcasts;
      lastError = sent.error ?? lastError;
      const waited = await this.waitReceipt(hash, nonce);
      if (waited.receipt) {
        const receipt = waited.receipt;
        if (receipt.status !== 1) throw await this.revertReason(tx, receipt);
        broadcasts += (tx.refilled ?? 0) - refilledBefore;
        return { hash, nonce, receipt, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, broadcasts };
      }
      // Timed out, or the block holding it was reorganized away: broadcast the same bytes again.
      lastError = waited.error ?? lastError;
    }
    this.held.forget(nonce, hash);
    if (resync) this.nonces.resync();
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

  /**
   * Uses `nonce` for a transfer of nothing to this sender itself (21,000 gas): fills a nonce a refused
   * transaction left unused, so the transactions signed after it are not stuck behind the gap.
   */
  async fillNonce(nonce: number): Promise<SentTransaction> {
    return this.confirm(await this.sign({ to: this.address, value: 0n, data: "0x" }, 21_000n, nonce), {
      resync: false,
    });
  }

  /**
   * Broadcasts the signed transaction until the node has it: a transient failure (lost request or answer)
   * is retried at once with the same bytes, which the node includes at most once. "Already known" and
   * "nonce too low" for this very transaction count as sent. Definite refusals are thrown, decoded.
   */
  private async broadcast(
    signed: string,
    hash: string,
    nonce: number,
  ): Promise<{ broadcasts: number; error?: unknown }> {
    let broadcasts = 0;
    let lastError: unknown;
    for (let attempt = 0; attempt < this.opts.maxAttempts; attempt++) {
      try {
        broadcasts++;
        await this.broadcastInOrder(signed, hash, nonce);
        return { broadcasts };
      } catch (error) {
        lastError = error;
        const message = messageOf(error);
        if (ALREADY_SENT.test(message)) {
          if (/nonce too low|nonce has already been used|NONCE_EXPIRED/i.test(message)) {
            // Either an earlier broadcast of this very transaction was mined, or another sender used the nonce.
            const known = await retryTransient(() => this.provider.getTransaction(hash)).catch(() => undefined);
            if (known === null) {
              throw new TransactionError(`Nonce ${nonce} of ${this.address} was used by another transaction.`, {
                hints: ["Another process is sending with the same key; give each process its own key, then retry."],
                cause: error,
              });
            }
          }
          return { broadcasts };
        }
        // Before the transient check: a node's refusal quoting the raw transaction can look like a 5xx.
        const feeRefusal = feeRefusalOf(error);
        if (feeRefusal !== undefined) throw refusedBefore(new FeeTooLowError(feeRefusal, this.opts.gasPrice, error));
        if (!isTransient(error)) throw refusedBefore(refusalOf(error, hash, nonce));
        await sleep(Math.min(50 * 2 ** attempt, 2_000));
      }
    }
    // The node could not be told; it may still have it (a lost answer): the caller looks for a receipt.
    return { broadcasts, error: lastError };
  }

  /**
   * `eth_sendRawTransaction` with the bytes as they are: ethers' `broadcastTransaction` parses and hashes
   * the signed transaction again (about as long as signing, for a 100 KB batch) and asks for the block
   * number, so a JSON-RPC provider is sent the raw call. The node's answer must be our hash.
   */
  private async sendRaw(signed: string, hash: string): Promise<void> {
    const rpc = this.provider as Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> };
    if (typeof rpc.send !== "function") {
      await this.provider.broadcastTransaction(signed);
      return;
    }
    const answered = await rpc.send("eth_sendRawTransaction", [signed]);
    if (typeof answered === "string" && answered.toLowerCase() !== hash.toLowerCase()) {
      throw new TransactionError(`The node answered hash ${answered} for transaction ${hash}.`, {
        hints: ["The RPC endpoint is not a faithful Ethereum node; use another one."],
      });
    }
  }

  private async fees(): Promise<Partial<TransactionRequest>> {
    if (this.opts.gasPrice !== undefined) return { type: 0, gasPrice: this.opts.gasPrice };
    const data = await retryTransient(() => this.provider.getFeeData());
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
  private async broadcastInOrder(signed: string, hash: string, nonce: number): Promise<void> {
    const started = Date.now();
    const deadline = started + this.opts.receiptTimeoutMs;
    for (;;) {
      try {
        await this.sendRaw(signed, hash);
        return;
      } catch (error) {
        if (!/nonce too high/i.test(messageOf(error)) || Date.now() >= deadline) throw error;
        // Still missing after a while: the earlier nonce may be one the node lost, not one on its way.
        if (Date.now() - started >= LOST_CHECK_MS && (await this.watch.lost(nonce - 1))) await this.watch.refill();
        await sleep(20);
      }
    }
  }

  /**
   * Confirms again, in nonce order, the kept transactions the chain does not hold yet: after the node came
   * back from an older state, transactions confirmed before may be in blocks it no longer has. Returns how
   * many were confirmed again (0, after one call, when the chain holds everything this sender signed).
   */
  async confirmHeld(): Promise<number> {
    const mined = await retryTransient(() => this.provider.getTransactionCount(this.address, "latest"));
    const missing = this.held.from(mined);
    await Promise.all(missing.map((tx) => this.confirm(tx, { resync: false })));
    return missing.length;
  }

  /** How many times a wait found the node without a transaction it had been given (see `LossWatch`). */
  get losses(): number {
    return this.watch.losses;
  }

  /**
   * The confirmations of `sent` as the node sees them now. Without a loss seen since they were sent, one read
   * of the chain's nonce checks that it holds them all; after one, each receipt is read again, and one gone
   * is confirmed again with the same bytes (its block was lost after its receipt was seen).
   */
  async reconfirm(sent: SentTransaction[], lossesBefore: number): Promise<SentTransaction[]> {
    if (sent.length === 0) return sent;
    if (this.losses === lossesBefore) {
      const mined = await retryTransient(() => this.provider.getTransactionCount(this.address, "latest"));
      if (mined > sent[sent.length - 1].nonce) return sent;
    }
    return Promise.all(
      sent.map(async (t) => {
        const receipt = await retryTransient(() => this.provider.getTransactionReceipt(t.hash));
        if (receipt?.blockHash === t.receipt.blockHash) return t;
        const held = this.held.get(t.nonce);
        if (receipt || !held || held.hash !== t.hash) {
          return receipt ? { ...t, receipt, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber } : t;
        }
        const again = await this.confirm(held, { resync: false });
        return { ...again, broadcasts: t.broadcasts + again.broadcasts };
      }),
    );
  }

  /**
   * Polls for the receipt (works with every provider). With `confirmations` > 1 it returns once the
   * receipt's block is that deep and still the canonical block at its height; a receipt that disappears
   * after it was seen (its block was reorganized away) ends the wait at once so the caller broadcasts the
   * same transaction again. Time runs out after `receiptTimeoutMs` without a receipt, or `confirmations`
   * times that once the receipt is in sight.
   */
  private async waitReceipt(hash: string, nonce: number): Promise<{ receipt?: TransactionReceipt; error?: unknown }> {
    const patience = this.opts.receiptTimeoutMs;
    let deadline = Date.now() + patience;
    let seen = false;
    let lastError: unknown;
    let checkAt = Date.now() + LOST_CHECK_MS;
    let outage = false;
    for (;;) {
      try {
        const receipt = await this.provider.getTransactionReceipt(hash);
        if (receipt) {
          if (this.opts.confirmations <= 1) return { receipt };
          if (!seen) deadline = Date.now() + patience * this.opts.confirmations;
          seen = true;
          const head = await this.provider.getBlockNumber();
          if (head - receipt.blockNumber + 1 >= this.opts.confirmations) {
            const block = await this.provider.getBlock(receipt.blockNumber);
            if (block?.hash === receipt.blockHash) return { receipt };
          }
        } else if (seen) {
          return { error: new TransactionError(`Transaction ${hash} was dropped by a chain reorganization.`) };
        } else if (outage || Date.now() >= checkAt) {
          // Right after the node answers again, and every LOST_CHECK_MS: has it lost this nonce?
          outage = false;
          checkAt = Date.now() + LOST_CHECK_MS;
          if (await this.watch.lost(nonce)) await this.watch.refill();
        }
      } catch (error) {
        if (!isTransient(error)) throw new NetworkError(`Waiting for transaction ${hash} failed.`, { cause: error });
        lastError = error;
        outage = true;
      }
      if (Date.now() >= deadline) return { error: lastError };
      await sleep(this.opts.pollIntervalMs);
    }
  }

  /**
   * Why a transaction failed on chain: re-run as a call on the state before its block, the revert reason;
   * a transaction that used all its gas ran out of it (the call then passes with the node's default gas, so
   * it would otherwise read as "no revert reason").
   */
  private async revertReason(tx: SignedTransaction, receipt: TransactionReceipt): Promise<unknown> {
    if (receipt.gasUsed >= tx.gasLimit) {
      return new TransactionError(
        `Transaction ${receipt.hash} failed on chain: it ran out of gas, using all ${tx.gasLimit} of its gas limit.`,
        {
          hints: [
            "Its nonce is used and nothing of it was recorded. Rerun the write: the resume helpers skip what",
            "landed, and a smaller chunk (`maxTxGas`) leaves the gas model more room.",
          ],
        },
      );
    }
    try {
      await retryTransient(() =>
        this.provider.call({ ...tx.request, from: this.address, blockTag: receipt.blockNumber - 1 }),
      );
    } catch (error) {
      return explainContractError(error);
    }
    return new TransactionError(`Transaction ${receipt.hash} failed on chain without a revert reason.`);
  }
}
