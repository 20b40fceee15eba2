/**
 * The platform's HTTP server for the verification page: it serves the static page, the deployment manifest
 * (with the public JSON-RPC URL the page reads the chain from) and the off-chain records by hash — nothing
 * else. The page checks everything it shows against the chain itself; this server is not trusted for the
 * verdict. Node-only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DeploymentManifest } from "../config/manifest";

export interface TraceServerOptions {
  /** Directory of the built page (index.html, app.js, app.css …). */
  pageDir: string;
  /** Directory of the off-chain record store (`<0x…hash>.json`). */
  recordsDir: string;
  /** The deployment manifest served at /manifest.json. */
  manifest: DeploymentManifest;
  /** The JSON-RPC URL browsers should read the chain from. */
  rpcUrl: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".map": "application/json; charset=utf-8",
};

/** Longest request target accepted (a Digital Link with attributes is far shorter). */
export const MAX_URL_LENGTH = 2048;

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** Creates the server (not listening yet). */
export function createTraceServer(options: TraceServerOptions): Server {
  const pageDir = resolve(options.pageDir);
  const recordsDir = resolve(options.recordsDir);
  const assets = new Set(existsSync(pageDir) ? listFiles(pageDir) : []);
  const config = JSON.stringify({ ...options.manifest, rpcUrl: options.rpcUrl });

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, cache = "no-cache") => {
    res.writeHead(status, { "content-type": type, "cache-control": cache, ...SECURITY_HEADERS });
    res.end(body);
  };
  const fail = (res: ServerResponse, status: number, message: string) =>
    send(res, status, TYPES[".json"], JSON.stringify({ error: message }));

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? "/";
    if (raw.length > MAX_URL_LENGTH) return fail(res, 414, "request target too long");
    if (req.method !== "GET" && req.method !== "HEAD") return fail(res, 405, "only GET and HEAD");
    const hasBody =
      (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0") ||
      req.headers["transfer-encoding"] !== undefined;
    if (hasBody) return fail(res, 413, "no request body accepted");
    const path = raw.split("?")[0].split("#")[0];
    if (path === "/manifest.json") return send(res, 200, TYPES[".json"], config);
    const record = /^\/records\/(0x[0-9a-f]{64})\.json$/.exec(path);
    if (record) {
      const file = join(recordsDir, `${record[1]}.json`);
      if (!existsSync(file)) return fail(res, 404, "no record with that hash");
      return send(res, 200, TYPES[".json"], readFileSync(file), "public, max-age=31536000, immutable");
    }
    if (path.startsWith("/records/")) return fail(res, 404, "records are served by their 0x-prefixed SHA-256 only");
    const asset = path.slice(1);
    if (assets.has(asset)) {
      const ext = asset.slice(asset.lastIndexOf("."));
      return send(res, 200, TYPES[ext] ?? "application/octet-stream", readFileSync(join(pageDir, asset)));
    }
    // Every other path (/, /01/…/21/… QR links, /verify?…) is the single-page app; anything with dots,
    // backslashes or encoded separators that is not a known asset is refused rather than guessed at.
    if (/\.\.|\\|%2e|%2f|%5c/i.test(path)) return fail(res, 400, "invalid path");
    const index = join(pageDir, "index.html");
    if (!existsSync(index)) return fail(res, 503, "the page is not built: run npm run build:page");
    return send(res, 200, TYPES[".html"], readFileSync(index));
  });
}

function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}
