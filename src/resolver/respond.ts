/**
 * How the resolver answers: the headers every answer carries (CORS for scanners' web apps, `Vary: Accept`
 * because the same URI is a redirect or a linkset), RFC 7807 problem answers for what cannot be resolved,
 * and, for a person's browser, the same status with a short bilingual page instead of JSON. Never a 200 for
 * an error. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Gs1Error } from "../gs1/errors";
import { ResolverRequestError } from "./errors";

/** The methods the resolver answers. */
export const ALLOW = "GET, HEAD, OPTIONS";

/** Headers of every resolver answer. */
export function resolverHeaders(): Record<string, string> {
  return {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "Link, Location",
    vary: "Accept",
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
}

/** The CORS preflight / OPTIONS answer. */
export function sendOptions(res: ServerResponse): void {
  res.writeHead(204, {
    ...resolverHeaders(),
    allow: ALLOW,
    "access-control-allow-methods": ALLOW,
    "access-control-allow-headers": "Accept, Accept-Language",
    "access-control-max-age": "86400",
  });
  res.end();
}

/** An RFC 7807 body of the resolver. */
export interface ResolverProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The machine-readable code (`CHECK_DIGIT`, `NOT_REGISTERED` …). */
  code: string;
  /** The AI concerned, for a Digital Link that is not valid. */
  ai?: string;
}

const TITLES: Record<number, string> = {
  400: "The request is not a valid GS1 Digital Link",
  404: "Not found",
  405: "Method not allowed",
  406: "Not acceptable",
  413: "No request body accepted",
  503: "The ledger could not be read",
};

/** The problem body of an error (a `Gs1Error` is a 400 naming what is wrong with the Digital Link). */
export function problemOf(error: unknown): ResolverProblem {
  if (error instanceof Gs1Error) {
    return {
      type: `urn:cbec-trace:gs1:${error.code}`,
      title: TITLES[400],
      status: 400,
      detail: error.shortMessage,
      code: error.code,
      ...(error.ai !== undefined ? { ai: error.ai } : {}),
    };
  }
  if (error instanceof ResolverRequestError) {
    return {
      type: `urn:cbec-trace:resolver:${error.code}`,
      title: error.code === "PATH" || error.code === "LINK_TYPE" ? "The request is not valid" : TITLES[error.status],
      status: error.status,
      detail: error.shortMessage,
      code: error.code,
    };
  }
  return { type: "about:blank", title: "Internal error", status: 500, detail: "internal error", code: "INTERNAL" };
}

/** Whether a person's browser asked (it prefers HTML): it gets a page it can read, with the same status. */
function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  return /(^|,)\s*text\/html/i.test(accept) && !/application\/(linkset\+)?json/i.test(accept);
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * Sends a problem: JSON for programs; for a browser a page saying the same, with a link to check the code on
 * the verification page (`check`), which reads the chain itself rather than trusting this answer.
 */
export function sendProblem(
  req: IncomingMessage,
  res: ServerResponse,
  problem: ResolverProblem,
  extra: Record<string, string> = {},
  check?: string,
): void {
  const head = req.method === "HEAD";
  if (wantsHtml(req)) {
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(problem.title)}</title></head><body><h1>${problem.status === 404 ? "Not registered on the ledger · 未在账本上登记" : "Invalid code · 无效代码"}</h1><p data-code="${escape(problem.code)}">${escape(problem.detail)}</p>${check ? `<p><a id="check" href="${escape(check)}">Check this code on the verification page · 在验证页面检查此代码</a></p>` : ""}</body></html>`;
    res.writeHead(problem.status, {
      ...resolverHeaders(),
      ...extra,
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'",
    });
    res.end(head ? undefined : body);
    return;
  }
  res.writeHead(problem.status, { ...resolverHeaders(), ...extra, "content-type": "application/problem+json" });
  res.end(head ? undefined : JSON.stringify(problem));
}
