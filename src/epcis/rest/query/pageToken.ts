/**
 * `nextPageToken`: opaque to the client, a keyset position to the server. It carries the sort value and
 * sync_id of the last event sent, the events sent so far (for `eventCountLimit`), an expiry, and a digest of
 * the query's parameters, all under an HMAC with a key of this server process — so a client can neither
 * forge a position nor reuse a token with other parameters (400 naming `nextPageToken`). Keyset paging
 * needs no server state: new events never shift a page, and none is sent twice. Node-only.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { EpcisRestError } from "../problem";

/** How long a token is valid (sent as `GS1-Next-Page-Token-Expires`). */
export const PAGE_TOKEN_TTL_MS = 60 * 60 * 1000;

export interface PagePosition {
  /** Sort value (ms) and sync_id of the last event sent. */
  value: number;
  syncId: number;
  /** Events sent on the pages before. */
  sent: number;
  /** A text position instead (the named-query list pages by name). */
  key?: string;
}

/** Makes and checks page tokens with one secret (per server unless given). */
export interface PageTokens {
  issue(bound: string, position: PagePosition, now?: number): { token: string; expires: number };
  /** The position of a token issued for the same `bound`; throws a 400 otherwise. */
  open(token: string, bound: string, now?: number): PagePosition;
}

/** The digest a token is bound to: the query's parameters (sorted, without perPage and the token). */
export function boundOf(kind: string, params: Map<string, string[]>): string {
  const canonical = JSON.stringify([kind, [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 22);
}

/** A token maker with `secret` (random when absent: tokens do not survive a restart, and need not). */
export function pageTokens(secret: Buffer = randomBytes(32)): PageTokens {
  const mac = (body: string) => createHmac("sha256", secret).update(body).digest("base64url");
  const invalid = (why: string) =>
    new EpcisRestError("QueryParameterException", `nextPageToken: ${why}; repeat the query without it to start over.`);
  return {
    issue(bound, position, now = Date.now()) {
      const expires = now + PAGE_TOKEN_TTL_MS;
      const body = Buffer.from(
        JSON.stringify([bound, position.value, position.syncId, position.sent, expires, position.key ?? null]),
      ).toString("base64url");
      return { token: `${body}.${mac(body)}`, expires };
    },
    open(token, bound, now = Date.now()) {
      const [body, sig, extra] = token.split(".");
      if (!body || !sig || extra !== undefined || token.length > 512) throw invalid("it is not a token of this server");
      const want = Buffer.from(mac(body));
      const got = Buffer.from(sig);
      if (want.length !== got.length || !timingSafeEqual(want, got)) throw invalid("it is not a token of this server");
      const [b, value, syncId, sent, expires, key] = JSON.parse(Buffer.from(body, "base64url").toString()) as [
        string,
        number,
        number,
        number,
        number,
        string | null,
      ];
      if (b !== bound) throw invalid("it was issued for other query parameters");
      if (expires < now) throw invalid("it has expired");
      return { value, syncId, sent, ...(key === null ? {} : { key }) };
    },
  };
}
