/**
 * One page of an event query as the bindings answer it: an EPCISQueryDocument, `Link: <…>; rel="next"` and
 * `GS1-Next-Page-Token-Expires` while more events follow, keyset-paged with a token bound to the query.
 * Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { searchEvents, sortValue } from "../../repository";
import { EpcisRestError } from "../problem";
import { callerOf, freshen, visibility, type QueryContext } from "./context";
import { queryDocument } from "./document";
import { sendJson } from "./http";
import { boundOf } from "./pageToken";
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, parseQueryParams, type ParsedQuery } from "./params";

/** The paging parameters of a request. */
export function pagingOf(search: URLSearchParams): { perPage: number; token?: string } {
  const raw = search.get("perPage");
  let perPage = DEFAULT_PER_PAGE;
  if (raw !== null) {
    if (!/^[1-9]\d{0,8}$/.test(raw)) {
      throw new EpcisRestError("QueryParameterException", `perPage: "${raw}" is not a positive integer.`);
    }
    perPage = Number(raw);
    if (perPage > MAX_PER_PAGE) {
      throw new EpcisRestError(
        "QueryTooLargeException",
        `perPage: ${perPage} is above this server's limit of ${MAX_PER_PAGE}.`,
      );
    }
  }
  const token = search.get("nextPageToken") ?? undefined;
  if (token === "") throw new EpcisRestError("QueryParameterException", "nextPageToken: is empty.");
  return { perPage, ...(token ? { token } : {}) };
}

/**
 * Answers an event query.
 *
 * @param queryName - The name in the document (`SimpleEventQuery` for ad-hoc queries).
 * @param params - The query's parameters (what the page token is bound to).
 * @param selfPath - The path and base query the `Link` to the next page repeats.
 */
export async function answerEvents(
  ctx: QueryContext,
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  queryName: string,
  params: Map<string, string[]>,
  search: URLSearchParams,
  selfPath: string,
  parsed: ParsedQuery = parseQueryParams(params),
): Promise<void> {
  const { perPage, token } = pagingOf(search);
  const bound = boundOf(queryName, params);
  const position = token ? ctx.tokens.open(token, bound) : undefined;
  await freshen(ctx);
  const caller = await callerOf(ctx, req);
  const filter = { ...parsed.filter, ...visibility(ctx, caller) };
  const sent = position?.sent ?? 0;
  let limit = perPage;
  if (parsed.eventCountLimit !== undefined) limit = Math.min(limit, parsed.eventCountLimit - sent);
  if (parsed.maxEventCount !== undefined && !position) {
    const probe = await searchEvents(ctx.db, filter, parsed.order, parsed.maxEventCount + 1);
    if (probe.length > parsed.maxEventCount) {
      throw new EpcisRestError(
        "QueryTooLargeException",
        `maxEventCount: the result has more than ${parsed.maxEventCount} events.`,
      );
    }
  }
  const rows =
    limit > 0
      ? await searchEvents(
          ctx.db,
          filter,
          parsed.order,
          limit + 1,
          position ? { value: position.value, syncId: position.syncId } : undefined,
        )
      : [];
  const page = rows.slice(0, limit);
  const headers: Record<string, string> = {};
  if (rows.length > limit && page.length > 0) {
    const last = page[page.length - 1];
    const next = ctx.tokens.issue(bound, {
      value: sortValue(last, parsed.order.by),
      syncId: last.syncId,
      sent: sent + page.length,
    });
    const q = new URLSearchParams(search);
    q.set("nextPageToken", next.token);
    q.set("perPage", String(perPage));
    headers.link = `<${selfPath}?${q.toString()}>; rel="next"`;
    headers["GS1-Next-Page-Token-Expires"] = new Date(next.expires).toISOString();
  }
  sendJson(res, 200, queryDocument(queryName, page), type, headers);
}
