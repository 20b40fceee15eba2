/** Plain JSON-RPC over HTTP for starting and probing nodes, before any client library is set up. */
import { NodeExitedError, NodeTimeoutError } from "./errors";

/** One JSON-RPC call; throws the node's error, a network error or a timeout. */
export async function rpcCall<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
  timeoutMs = 10_000,
): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: T; error?: { message?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
  return body.result as T;
}

export interface WaitForRpcOptions {
  /** Give up after this long (ms, default 30 s). */
  timeoutMs?: number;
  /** Pause between attempts (ms, default 100). */
  intervalMs?: number;
  /** How the node process ended, or undefined while it runs: stops the wait early. */
  exited?: () => string | undefined;
  /** The node's recent output, for the error. */
  output?: () => string;
}

/**
 * Polls `eth_chainId` until the endpoint answers. Throws {@link NodeExitedError} when `exited` reports the
 * node gone, {@link NodeTimeoutError} after `timeoutMs`.
 */
export async function waitForRpc(url: string, options: WaitForRpcOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const output = () => options.output?.() ?? "";
  for (;;) {
    const exit = options.exited?.();
    if (exit !== undefined) throw new NodeExitedError(url, exit, output());
    try {
      // A short per-attempt limit: a half-started node can accept the connection and never answer.
      await rpcCall(url, "eth_chainId", [], Math.max(1, Math.min(2_000, deadline - Date.now())));
      return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() >= deadline) throw new NodeTimeoutError(url, timeoutMs, output());
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
