/**
 * HTTP plumbing of the query interface: content negotiation (JSON and JSON-LD only: an Accept that allows
 * neither, e.g. XML, is a 406), JSON answers with the EPCIS version headers, and bounded JSON request bodies
 * (413 above the limit, 415 for another media type, 400 for malformed JSON). Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { EpcisRestError } from "../problem";
import { epcisResponseHeaders } from "../headers";

/** Largest request body accepted (a named query or a subscription is a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

const SERVED = ["application/json", "application/ld+json"];

/** The media type to answer with for the request's Accept header; throws 406 when none can be served. */
export function negotiate(req: IncomingMessage): string {
  const accept = req.headers.accept;
  if (!accept) return "application/ld+json";
  const ranges = accept.split(",").map((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  let best: { type: string; q: number } | undefined;
  for (const r of ranges) {
    if (!(r.q > 0)) continue;
    const match =
      r.type === "*/*" || r.type === "application/*"
        ? "application/ld+json"
        : SERVED.includes(r.type)
          ? r.type
          : undefined;
    if (match && (!best || r.q > best.q)) best = { type: match, q: r.q };
  }
  if (!best) {
    const xml = ranges.some((r) => r.type.includes("xml"));
    if (xml) {
      throw new EpcisRestError(
        "NotAcceptableException",
        `Accept: ${accept} — this server answers in JSON-LD (application/ld+json or application/json) only; the XML binding is not implemented.`,
      );
    }
    throw new EpcisRestError(
      "NotAcceptableException",
      `Accept: ${accept} — use application/ld+json or application/json.`,
    );
  }
  return best.type;
}

/** Sends a JSON answer with the EPCIS headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = "application/json",
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...epcisResponseHeaders(),
    "content-type": `${type}; charset=utf-8`,
    "cache-control": "no-store",
    ...headers,
  });
  res.end(status === 204 ? undefined : JSON.stringify(body));
}

/** Reads a JSON request body (at most {@link MAX_BODY_BYTES}). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && type !== "application/ld+json") {
    throw new EpcisRestError("UnsupportedMediaTypeException", `Content-Type "${type}": send application/json.`);
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new EpcisRestError("QueryTooLargeException", `The body is ${declared} bytes; at most ${MAX_BODY_BYTES}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw new EpcisRestError("QueryTooLargeException", `The body is over ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new EpcisRestError("QueryValidationException", "The body is not valid JSON.");
  }
}
