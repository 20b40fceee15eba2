/**
 * Hands out account nonces to concurrent submissions from one key: each call gets the next nonce, in the
 * order the calls were made, without asking the node each time. `resync` forgets the local counter after
 * a transaction was given up, so the next submission re-reads the node's pending count and fills the gap.
 */
import type { Provider } from "ethers";
import { retryTransient } from "./retry";

export class NonceManager {
  private next: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly provider: Provider,
    private readonly address: string,
  ) {}

  /** The next nonce to use. Calls are served strictly in order. */
  take(): Promise<number> {
    const result = this.queue.then(async () => {
      if (this.next === undefined)
        this.next = await retryTransient(() => this.provider.getTransactionCount(this.address, "pending"));
      return this.next++;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Forgets the local counter; the next `take` asks the node again. */
  resync(): void {
    this.queue = this.queue.then(() => {
      this.next = undefined;
    });
  }
}
