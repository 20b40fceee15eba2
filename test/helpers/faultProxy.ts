/**
 * A JSON-RPC fault proxy for tests: an HTTP server on 127.0.0.1 (free port) in front of a node URL that, for
 * a chosen share of requests (seeded PRNG, so a run can be replayed), injects one fault:
 *
 * - `drop`          closes the socket without an answer (the node never sees the request);
 * - `delay`         forwards after 200–800 ms;
 * - `duplicate`     forwards the request twice, answers with the first answer;
 * - `rpcError`      answers a JSON-RPC error (-32603 "fault proxy: upstream timeout"), node never sees it;
 * - `http500`       answers HTTP 500, node never sees it;
 * - `dropResponse`  forwards, the node executes it, then closes the socket: the client never hears back.
 *
 * Faults are counted by kind. Only loopback upstreams are accepted; `close()` stops the server and destroys
 * open sockets (call it from `after`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { UnitHistory } from "../../src/read/types";

export const FAULT_KINDS = ["drop", "delay", "duplicate", "rpcError", "http500", "dropResponse"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyOptions {
  /** Share of requests that get a fault (0…1). */
  rate: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Kinds to draw from (default: all), uniformly. */
  kinds?: readonly FaultKind[];
  /** Delay range for `delay` (ms, default [200, 800]). */
  delayMs?: [number, number];
}

export interface FaultProxy {
  url: string;
  /** Requests seen. */
  readonly requests: number;
  /** Faults injected, by kind. */
  readonly faults: Record<FaultKind, number>;
  /** Total faults injected. */
  injected(): number;
  /** "drop 3, delay 5, …". */
  summary(): string;
  /** Switches faults on/off (e.g. off while the test reads the chain through the proxy). */
  setRate(rate: number): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Starts a fault proxy in front of `upstream` (an http://127.0.0.1 or http://localhost URL). */
export async function startFaultProxy(upstream: string, options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(upstream);
  if (target.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    throw new Error(`fault proxy: only loopback http upstreams are allowed, not ${upstream}`);
  }
  const random = prng(options.seed ?? 1);
  const kinds = options.kinds ?? FAULT_KINDS;
  const [minDelay, maxDelay] = options.delayMs ?? [200, 800];
  let rate = options.rate;
  let requests = 0;
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const sockets = new Set<Socket>();

  const forward = async (body: Buffer): Promise<{ status: number; text: string }> => {
    const response = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body.toString("utf8"),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, text: await response.text() };
  };

  const reply = (res: ServerResponse, status: number, text: string) => {
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(text);
  };

  const rpcErrorFor = (body: Buffer): string => {
    const error = { code: -32603, message: "fault proxy: upstream timeout" };
    try {
      const parsed = JSON.parse(body.toString("utf8")) as unknown;
      if (Array.isArray(parsed)) {
        return JSON.stringify(parsed.map((p: { id?: unknown }) => ({ jsonrpc: "2.0", id: p?.id ?? null, error })));
      }
      return JSON.stringify({ jsonrpc: "2.0", id: (parsed as { id?: unknown })?.id ?? null, error });
    } catch {
      return JSON.stringify({ jsonrpc: "2.0", id: null, error });
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      requests++;
      const kind: FaultKind | undefined = random() < rate ? kinds[Math.floor(random() * kinds.length)] : undefined;
      if (kind) faults[kind]++;
      try {
        switch (kind) {
          case "drop":
            req.socket.destroy();
            return;
          case "rpcError":
            return reply(res, 200, rpcErrorFor(body));
          case "http500":
            return reply(res, 500, JSON.stringify({ error: "fault proxy: internal server error" }));
          case "delay":
            await new Promise((r) => setTimeout(r, minDelay + random() * (maxDelay - minDelay)));
            break;
          case "duplicate": {
            const first = await forward(body);
            await forward(body).catch(() => undefined);
            return reply(res, first.status, first.text);
          }
          case "dropResponse":
            await forward(body);
            req.socket.destroy();
            return;
          default:
            break;
        }
        const answer = await forward(body);
        reply(res, answer.status, answer.text);
      } catch (error) {
        // The upstream is down or timed out: a gateway answer, as a real proxy would give.
        reply(res, 502, JSON.stringify({ error: `fault proxy: upstream failed: ${(error as Error).message}` }));
      }
    })().catch(() => req.socket.destroy());
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("fault proxy: no port");
  server.unref();

  let closed = false;
  return {
    url: `http://127.0.0.1:${address.port}`,
    get requests() {
      return requests;
    },
    faults,
    injected: () => Object.values(faults).reduce((a, b) => a + b, 0),
    summary: () => FAULT_KINDS.map((k) => `${k} ${faults[k]}`).join(", "),
    setRate(r: number) {
      rate = r;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Lost and duplicated events over unit histories: a duplicate is a (step, record hash) seen twice in a unit;
 * a loss is an expected step name missing from a unit.
 */
export function lostAndDuplicated(
  histories: UnitHistory[],
  expected: Array<UnitHistory["entries"][number]["stepName"]>,
): { lost: number; duplicated: number } {
  let lost = 0;
  let duplicated = 0;
  for (const h of histories) {
    const ids = h.entries.map((e) => `${e.step}:${e.data}`);
    duplicated += ids.length - new Set(ids).size;
    const names = new Set(h.entries.map((e) => e.stepName));
    lost += expected.filter((s) => !names.has(s)).length;
  }
  return { lost, duplicated };
}
