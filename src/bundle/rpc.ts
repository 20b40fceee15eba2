/**
 * JSON-RPC in round trips: the one place the bundle path sends requests to a node. A round trip is one
 * HTTP request carrying a JSON-RPC batch (split into parallel chunks a node accepts, which costs no more
 * latency); requests issued together (same macrotask) travel in one round trip, and every round trip is
 * counted, so a verification reports how many sequential trips it took. Also the read-only method list a
 * bundle may ask for, and the key two requests are the same request by. Browser-safe.
 */
import { NetworkError } from "../errors/base";
import type { RpcRequest } from "./types";

/** JSON-RPC methods that only read: the only ones a bundle may make a verifier send (or a gateway forward). */
export const READ_METHODS: ReadonlySet<string> = new Set([
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_call",
  "eth_getLogs",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getCode",
]);

/** Requests per HTTP body: below the batch caps of common nodes (geth 1,000, Besu 1,024). */
export const MAX_BATCH_CHUNK = 500;

/** HTTP bodies of one batch sent at the same time (4,000 requests: more than a 1,000-entry journey needs). */
export const MAX_CHUNKS_IN_FLIGHT = 8;

/** One answer: the node's `result`, or its JSON-RPC `error`. */
export type RpcAnswer = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

/** Sends requests in one round trip and returns their answers in the same order. */
export type RpcSend = (requests: RpcRequest[]) => Promise<RpcAnswer[]>;

/** Anything with an EIP-1193 `request` (a Hardhat provider, a wallet): requests go out together, one wave. */
export interface Eip1193Like {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** The identity of a request: method and parameters, hex case ignored. */
export function requestKey(method: string, params: unknown): string {
  return JSON.stringify([method, params ?? []]).toLowerCase();
}

/** An `RpcSend` over HTTP: batches of at most {@link MAX_BATCH_CHUNK} in parallel, network failures retried. */
export function httpSender(url: string, options: { retries?: number; fetchFn?: typeof fetch } = {}): RpcSend {
  const doFetch = options.fetchFn ?? fetch;
  const retries = options.retries ?? 3;
  const post = async (chunk: RpcRequest[], first: number): Promise<RpcAnswer[]> => {
    const body = JSON.stringify(chunk.map((r, i) => ({ jsonrpc: "2.0", id: first + i, ...r })));
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await doFetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
        if (response.status >= 500 && attempt < retries) throw new Error(`HTTP ${response.status}`);
        const json = (await response.json()) as unknown;
        const list = Array.isArray(json) ? json : [json];
        const byId = new Map(list.map((a) => [(a as { id: number }).id, a as Partial<RpcAnswer>]));
        return chunk.map((_, i) => {
          const a = byId.get(first + i);
          if (a && "error" in a && a.error) return { error: a.error };
          if (a && "result" in a) return { result: a.result };
          return { error: { code: -32603, message: `no answer from ${url} to this request` } };
        });
      } catch (error) {
        if (attempt >= retries) {
          throw new NetworkError(`The JSON-RPC endpoint ${url} did not answer: ${(error as Error).message}`, {
            hints: ["Check the endpoint URL and that the node is running, or choose another endpoint."],
          });
        }
        await new Promise((done) => setTimeout(done, 100 * 2 ** attempt));
      }
    }
  };
  return async (requests) => {
    // At most MAX_CHUNKS_IN_FLIGHT bodies at a time: one round trip for any real verification, while a
    // bundle naming tens of thousands of requests cannot make a buyer flood its own endpoint.
    const answers: RpcAnswer[][] = [];
    const starts: number[] = [];
    for (let i = 0; i < requests.length; i += MAX_BATCH_CHUNK) starts.push(i);
    let next = 0;
    const lane = async () => {
      while (next < starts.length) {
        const k = next++;
        answers[k] = await post(requests.slice(starts[k], starts[k] + MAX_BATCH_CHUNK), starts[k]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_CHUNKS_IN_FLIGHT, starts.length) }, lane));
    return answers.flat();
  };
}

/** An `RpcSend` over an EIP-1193 provider: every request at once (one wave). */
export function providerSender(provider: Eip1193Like): RpcSend {
  return (requests) =>
    Promise.all(
      requests.map((r) =>
        // A copy: some providers (Hardhat's) fill in defaults such as `from` in the objects they are given.
        provider.request({ method: r.method, params: JSON.parse(JSON.stringify(r.params)) }).then(
          (result) => ({ result: result ?? null }) as RpcAnswer,
          (error: { code?: number; message?: string; data?: unknown }) =>
            ({
              error: { code: error?.code ?? -32603, message: error?.message ?? String(error), data: error?.data },
            }) as RpcAnswer,
        ),
      ),
    );
}

/**
 * Requests made in the same macrotask leave together as one round trip; `roundTrips` counts them.
 * `request` throws the node's JSON-RPC error as an `Error` with its `code` and `data` (what viem expects).
 */
export class RoundTrips {
  roundTrips = 0;
  requests = 0;
  private queue: { request: RpcRequest; done: (a: RpcAnswer) => void; fail: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly send: RpcSend) {}

  /** Sends `requests` now, as one round trip. */
  async sendNow(requests: RpcRequest[]): Promise<RpcAnswer[]> {
    if (!requests.length) return [];
    this.roundTrips++;
    this.requests += requests.length;
    return this.send(requests);
  }

  /** One request, sent with the others made in the same macrotask. */
  request(request: RpcRequest): Promise<unknown> {
    return new Promise<RpcAnswer>((done, fail) => {
      this.queue.push({ request, done, fail });
      if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => void this.flush(), 0);
      }
    }).then(unwrap);
  }

  private async flush() {
    const wave = this.queue;
    this.queue = [];
    this.scheduled = false;
    try {
      const answers = await this.sendNow(wave.map((w) => w.request));
      wave.forEach((w, i) => w.done(answers[i]));
    } catch (error) {
      wave.forEach((w) => w.fail(error));
    }
  }
}

/** The result of an answer, or its error thrown the way viem reads node errors. */
export function unwrap(answer: RpcAnswer): unknown {
  if ("error" in answer) {
    throw Object.assign(new Error(answer.error.message), { code: answer.error.code, data: answer.error.data });
  }
  return answer.result;
}
