/**
 * The transactions a sender signed lately, by nonce, kept until they are safely behind it. A node that
 * comes back from an older state (restarted from a state file saved before its last blocks, a deep
 * reorganization, an emptied pool) no longer holds some of them, and every later transaction of the key
 * waits behind the first nonce it lost. Broadcasting the *same* bytes again, in nonce order, closes that gap
 * without ever writing twice: one nonce, one hash, included at most once. Signing new transactions from the
 * chain's nonce instead could land the same chunk twice if the old one was still known somewhere.
 */
import type { SignedTransaction } from "./sender";

/** Most transactions kept (about 100 KB each at most: a few tens of MB for full windows of large batches). */
const KEEP = 256;

export class HeldTransactions {
  private readonly byNonce = new Map<number, SignedTransaction>();

  /** Keeps `tx` as the transaction of its nonce (a re-signed one replaces the version the node refused). */
  hold(tx: SignedTransaction): void {
    this.byNonce.delete(tx.nonce);
    this.byNonce.set(tx.nonce, tx);
    while (this.byNonce.size > KEEP) this.byNonce.delete(this.lowest()!);
  }

  /**
   * Forgets the transaction of `nonce` when it is still `hash`: the caller was told it failed, so it must
   * never be broadcast again behind the caller's back (a retry of the same operation could then land twice).
   */
  forget(nonce: number, hash: string): void {
    if (this.byNonce.get(nonce)?.hash === hash) this.byNonce.delete(nonce);
  }

  /** The kept transaction of `nonce`. */
  get(nonce: number): SignedTransaction | undefined {
    return this.byNonce.get(nonce);
  }

  /** The kept transactions with a nonce of at least `from`, in nonce order. */
  from(from: number): SignedTransaction[] {
    return [...this.byNonce.values()].filter((t) => t.nonce >= from).sort((a, b) => a.nonce - b.nonce);
  }

  private lowest(): number | undefined {
    let low: number | undefined;
    for (const n of this.byNonce.keys()) if (low === undefined || n < low) low = n;
    return low;
  }
}
