/**
 * Retrying on transient network failures. Only idempotent calls go through `retryTransient` (reads, and the
 * broadcast of an already signed transaction, which the node includes at most once), so a retry can never
 * write twice. Contract refusals and other definite answers are never retried.
 */

/** All messages of an error and the errors it wraps (ethers nests them in `error` / `cause`). */
export function messageOf(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    const o = e as {
      message?: unknown;
      shortMessage?: unknown;
      error?: unknown;
      cause?: unknown;
      info?: { error?: { message?: unknown } };
    };
    if (typeof o.message === "string") parts.push(o.message);
    if (typeof o.shortMessage === "string") parts.push(o.shortMessage);
    // ethers keeps the node's JSON-RPC error of a failed call or estimate in `info.error`.
    if (typeof o.info?.error?.message === "string") parts.push(o.info.error.message);
    e = o.error ?? o.cause;
  }
  return parts.join(" | ");
}

/** Network-level failures worth retrying (lost connection, timeouts, 5xx, a node's internal error). */
export function isTransient(error: unknown): boolean {
  const m = messageOf(error);
  const code = (error as { code?: string })?.code;
  return (
    code === "NETWORK_ERROR" ||
    code === "TIMEOUT" ||
    code === "SERVER_ERROR" ||
    // Status codes as whole numbers: a refusal quoting a signed transaction's hex must not look like a 5xx.
    /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|ETIMEDOUT|network|fetch failed|timeout|\b50[234]\b/i.test(m)
  );
}

export interface RetryOptions {
  /** Calls in total, the first included (default 6). */
  attempts?: number;
  /** Delay before the first retry; doubled each time, at most 3 s (default 100 ms). */
  baseDelayMs?: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `fn` until it succeeds, fails with a non-transient error, or the attempts are used up. */
export async function retryTransient<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 6);
  const base = options.baseDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await sleep(Math.min(base * 2 ** (attempt - 1), 3_000));
    }
  }
}
