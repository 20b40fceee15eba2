/**
 * Noticing that a node lost transactions it had been given, and giving them back. A node that came back
 * from an older state, or dropped its pool, answers neither a receipt nor "nonce too low": the sender would
 * only wait for its timeout. Its pending count says it: not past a nonce means it holds neither that
 * transaction nor an earlier one. The kept signed bytes are then broadcast again, in nonce order, so each
 * is included at most once.
 */
import type { Provider } from "ethers";
import type { HeldTransactions } from "./heldTransactions";

/** The least time between two reads of the pending count, and between two refills (ms). */
export const LOST_CHECK_MS = 1_000;

export class LossWatch {
  /** How many times a check found the node without a transaction it had been given. */
  losses = 0;
  private refilling: Promise<void> | undefined;
  private lastRefill = 0;
  private pendingSeen: { at: number; count: Promise<number | undefined> } | undefined;

  constructor(
    private readonly provider: Provider,
    private readonly address: string,
    private readonly held: HeldTransactions,
    private readonly sendRaw: (signed: string, hash: string) => Promise<void>,
  ) {}

  /**
   * Whether the node has lost `nonce` of this key: its pending count (chain and pool) is not past it. The
   * count is read at most once per `LOST_CHECK_MS` for all transactions waiting; an unanswered read says no.
   */
  async lost(nonce: number): Promise<boolean> {
    if (!this.pendingSeen || Date.now() - this.pendingSeen.at >= LOST_CHECK_MS) {
      const count = this.provider.getTransactionCount(this.address, "pending").catch(() => undefined);
      this.pendingSeen = { at: Date.now(), count };
    }
    const pending = await this.pendingSeen.count;
    const lost = pending !== undefined && pending <= nonce;
    if (lost) this.losses++;
    return lost;
  }

  /**
   * Broadcasts again, in nonce order, every kept transaction from the chain's nonce on: the same bytes, so
   * each is included at most once. One refill at a time, at most one per `LOST_CHECK_MS`; a refused one is
   * left to the wait of its own transaction, which hears the refusal when it broadcasts.
   */
  refill(): Promise<void> {
    if (this.refilling) return this.refilling;
    if (Date.now() - this.lastRefill < LOST_CHECK_MS) return Promise.resolve();
    this.refilling = (async () => {
      const mined = await this.provider.getTransactionCount(this.address, "latest");
      for (const tx of this.held.from(mined)) {
        tx.refilled = (tx.refilled ?? 0) + 1;
        await this.sendRaw(tx.signed, tx.hash).catch(() => undefined);
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        this.refilling = undefined;
        this.lastRefill = Date.now();
      });
    return this.refilling;
  }
}
