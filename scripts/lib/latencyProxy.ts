/**
 * A latency proxy for benchmarks and tests: an HTTP server on 127.0.0.1 that waits `delayMs` before it
 * forwards each request to `upstream` (any method, path and body), so a local node or platform server
 * answers like one a buyer reaches across the world (a buyer in Hamburg reading a Shenzhen node sees 150 ms
 * or more per round trip; at 0 ms sequential round trips are invisible). The delay models the round trip
 * of one request on a kept-alive connection; TCP and TLS handshakes are not added. It also records what it
 * forwarded (method, path, and the JSON-RPC methods of a JSON body), for tests that assert what reached the
 * upstream. Node-only; loopback upstreams only.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The JSON-RPC methods of the body, in order (empty for other requests). */
  rpcMethods: string[];
  /** The body's length in bytes. */
  bytes: number;
  /** When the request arrived and when its answer was sent (ms, `performance.now()`). */
  startMs: number;
  endMs?: number;
}

export interface LatencyProxy {
  url: string;
  /** The delay added to each request (ms); may be changed between measurements. */
  delayMs: number;
  /** Every request forwarded, in arrival order. */
  readonly requests: ProxiedRequest[];
  /** Forgets the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a proxy in front of `upstream` (an http://127.0.0.1:… or http://localhost:… URL). */
export async function startLatencyProxy(upstream: string, delayMs = 0): Promise<LatencyProxy> {
  const target = new URL(upstream);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    throw new Error(`the latency proxy forwards to loopback only, not ${target.hostname}`);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sockets = new Set<Socket>();
  const requests: ProxiedRequest[] = [];
  const proxy: LatencyProxy = {
    url: "",
    delayMs,
    requests,
    reset: () => void requests.splice(0),
    close: async () => {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const out = request(
      {
        host: target.hostname.replace(/^\[|\]$/g, ""),
        port: target.port,
        method: req.method,
        path: (target.pathname === "/" ? "" : target.pathname) + (req.url ?? "/"),
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("latency proxy: upstream failed");
    });
    out.end(body);
  };

  const server = createServer((req, res) => {
    const startMs = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const seen: ProxiedRequest = {
        method: req.method ?? "",
        path: req.url ?? "/",
        rpcMethods: rpcMethods(body),
        bytes: body.length,
        startMs,
      };
      requests.push(seen);
      res.on("finish", () => (seen.endMs = performance.now()));
      if (proxy.delayMs > 0) setTimeout(() => forward(req, res, body), proxy.delayMs);
      else forward(req, res, body);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function rpcMethods(body: Buffer): string[] {
  if (body.length === 0) return [];
  try {
    const parsed = JSON.parse(body.toString("utf8")) as unknown;
    const items = Array.isArray(parsed) ? parsed : [parsed];
    return items.map((i) => String((i as { method?: unknown })?.method ?? ""));
  } catch {
    return [];
  }
}

/**
 * The sequential round trips among `requests` (of one or more proxies): the longest chain of requests each
 * of which arrived only after the one before it had been answered — what a client's latency multiplies.
 * Requests in flight together (a batch, parallel reads) count once.
 */
export function sequentialRoundTrips(requests: readonly ProxiedRequest[]): number {
  const done = requests.filter((r) => r.endMs !== undefined).sort((a, b) => a.startMs - b.startMs);
  const depth: number[] = [];
  let best = 0;
  done.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) if (done[j].endMs! <= r.startMs && depth[j] + 1 > d) d = depth[j] + 1;
    depth.push(d);
    best = Math.max(best, d);
  });
  return best;
}
