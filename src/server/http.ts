/**
 * The platform server's response helpers: one place for the content types, the security headers every
 * answer carries and the JSON error shape `{ error }`. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".map": "application/json; charset=utf-8",
};

/** For answers that change (pages, manifests, bundles): the browser revalidates every time. */
export const NO_CACHE = "no-cache";
/** For answers named by their content (records by hash, hashed assets): never refetched. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** Sends one complete answer with the security headers. */
export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, cache = NO_CACHE) {
  res.writeHead(status, { "content-type": type, "cache-control": cache, ...SECURITY_HEADERS });
  res.end(body);
}

/** Sends `{ "error": message }`. */
export function fail(res: ServerResponse, status: number, message: string) {
  send(res, status, CONTENT_TYPES[".json"], JSON.stringify({ error: message }));
}

/** True when the request announces a body (a length above 0, or any transfer encoding). */
export function hasBody(req: IncomingMessage): boolean {
  return (
    (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0") ||
    req.headers["transfer-encoding"] !== undefined
  );
}

/** Thrown by {@link readBodyLimited} when a body passes its limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Reads a request body of at most `limit` bytes (a longer one is refused as soon as it passes the limit). */
export function readBodyLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > limit) return reject(new BodyTooLargeError(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
