/**
 * A read-only JSON-RPC gateway on the page's own origin (`POST /rpc`): the buyer's browser reads the chain
 * through the platform without a CORS preflight (a cross-origin POST of JSON always costs one), and the
 * operator need not expose its node. Only methods that read are forwarded; everything else is answered
 * with a JSON-RPC error per item and never reaches the node, so no one can send transactions, unlock
 * accounts or drive the node's test and debug namespaces through it. No CORS headers: same origin only.
 * The gateway is no more trusted than any endpoint: the verifier checks what it answers against the chain's
 * hash heads. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { CONTENT_TYPES, fail, send } from "./http";
import { READ_METHODS } from "../bundle/rpc";

/** The methods the gateway forwards: the verifier's reads (the ones a bundle may ask for), nothing that writes. */
export const GATEWAY_METHODS: ReadonlySet<string> = READ_METHODS;

export interface GatewayOptions {
  /** The node requests are forwarded to (the server's internal node). */
  nodeUrl: string;
  /** Largest request body accepted (bytes, default 4 MB). */
  maxBodyBytes?: number;
  /** Most requests in one batch (default 2,000). */
  maxBatch?: number;
  /** How long the node may take to answer (ms, default 30 s). */
  timeoutMs?: number;
}

export const GATEWAY_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const GATEWAY_MAX_BATCH = 2_000;

type Id = string | number | null;
interface RpcError {
  code: number;
  message: string;
}
interface RpcReply {
  jsonrpc: "2.0";
  id: Id;
  result?: unknown;
  error?: RpcError;
}

const reply = (id: Id, error: RpcError): RpcReply => ({ jsonrpc: "2.0", id, error });

// JSON-RPC 2.0 error codes.
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INTERNAL_ERROR = -32603;

/** A handler for `POST /rpc`. */
export function createGateway(options: GatewayOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBody = options.maxBodyBytes ?? GATEWAY_MAX_BODY_BYTES;
  const maxBatch = options.maxBatch ?? GATEWAY_MAX_BATCH;
  const json = (res: ServerResponse, status: number, body: unknown) =>
    send(res, status, CONTENT_TYPES[".json"], JSON.stringify(body));

  return (req, res) => {
    const type = String(req.headers["content-type"] ?? "");
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      req.resume();
      return fail(res, 415, "POST /rpc takes JSON-RPC with content-type: application/json");
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBody) {
      res.setHeader("connection", "close");
      req.resume();
      return fail(res, 413, `request body over ${maxBody} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBody) {
        refused = true;
        res.setHeader("connection", "close");
        fail(res, 413, `request body over ${maxBody} bytes`);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return json(res, 400, reply(null, { code: PARSE_ERROR, message: "the body is not JSON" }));
      }
      const batch = Array.isArray(body);
      const items = batch ? (body as unknown[]) : [body];
      if (items.length === 0) return json(res, 400, reply(null, { code: INVALID_REQUEST, message: "empty batch" }));
      if (items.length > maxBatch) {
        return json(
          res,
          413,
          reply(null, { code: INVALID_REQUEST, message: `batch of ${items.length} requests; at most ${maxBatch}` }),
        );
      }
      void answer(items, options).then(
        (replies) => json(res, 200, batch ? replies : replies[0]),
        () => json(res, 502, reply(null, { code: INTERNAL_ERROR, message: "gateway failure" })),
      );
    });
  };
}

/** One reply per item, in order: refusals made here, the rest from one batch to the node. */
async function answer(items: unknown[], options: GatewayOptions): Promise<RpcReply[]> {
  const replies: RpcReply[] = new Array(items.length);
  const forward: Array<{ at: number; method: string; params: unknown[] }> = [];
  items.forEach((item, at) => {
    const o = item as Record<string, unknown> | null;
    const id: Id = o && ["string", "number"].includes(typeof o.id) ? (o.id as string | number) : null;
    if (!o || typeof o !== "object" || Array.isArray(o) || o.jsonrpc !== "2.0" || typeof o.method !== "string") {
      replies[at] = reply(id, { code: INVALID_REQUEST, message: "not a JSON-RPC 2.0 request" });
    } else if (id === null) {
      // Notifications get no answer in JSON-RPC; a read-only gateway has no use for them.
      replies[at] = reply(null, { code: INVALID_REQUEST, message: "a request needs an id" });
    } else if (!GATEWAY_METHODS.has(o.method)) {
      replies[at] = reply(id, {
        code: METHOD_NOT_FOUND,
        message: `${o.method.slice(0, 64)} is not served by this read-only gateway`,
      });
    } else if (o.params !== undefined && !Array.isArray(o.params)) {
      replies[at] = reply(id, { code: INVALID_REQUEST, message: "params must be an array" });
    } else {
      forward.push({ at, method: o.method, params: (o.params as unknown[] | undefined) ?? [] });
    }
  });
  if (forward.length === 0) return replies;
  // The node sees fresh ids (the positions here), so a client's duplicate or odd ids cannot confuse the
  // matching of answers; each answer gets its request's own id back.
  const idOf = (at: number) => (items[at] as { id: string | number }).id;
  let answers: Map<number, { result?: unknown; error?: RpcError }>;
  try {
    const response = await fetch(options.nodeUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(forward.map((f) => ({ jsonrpc: "2.0", id: f.at, method: f.method, params: f.params }))),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const out = (await response.json()) as unknown;
    const list = Array.isArray(out) ? out : [out];
    answers = new Map(
      list
        .filter((a): a is { id: number; result?: unknown; error?: RpcError } => typeof a?.id === "number")
        .map((a) => [a.id, a]),
    );
  } catch {
    answers = new Map();
  }
  for (const f of forward) {
    const a = answers.get(f.at);
    replies[f.at] = !a
      ? reply(idOf(f.at), { code: INTERNAL_ERROR, message: "the node did not answer" })
      : a.error
        ? reply(idOf(f.at), a.error)
        : { jsonrpc: "2.0", id: idOf(f.at), result: a.result ?? null };
  }
  return replies;
}
