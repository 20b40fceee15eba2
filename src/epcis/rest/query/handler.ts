/**
 * The EPCIS 2.0 query interface's routes: `/events` (and `/events/{eventID}`), the resource endpoints of the
 * types the repository holds (`/eventTypes`, `/epcs/{epc}`, `/bizSteps`, `/bizLocations`, `/readPoints`,
 * `/dispositions`, each with `…/{value}/events`), named queries (`/queries…`) and their subscriptions. Every
 * error is an RFC 7807 problem with the bindings' exception; nothing else is answered with 200. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { distinctValues, searchEvents } from "../../repository";
import { EpcisRestError, sendProblem } from "../problem";
import { checkRequestedVersions } from "../headers";
import { EPCIS_DOCUMENT_CONTEXT } from "../../document";
import { callerOf, freshen, requireCaller, visibility, type QueryContext } from "./context";
import { queryDocument } from "./document";
import { answerEvents, pagingOf } from "./events";
import { negotiate, readJsonBody, sendJson } from "./http";
import { definitionParams, EVENT_TYPES, parseQueryParams, urlParams } from "./params";
import { createNamedQuery, deleteNamedQuery, getNamedQuery, listNamedQueries, QUERY_NAME } from "./namedQueries";
import { deleteSubscriptions } from "../subscriptions/store";
import { subscriptionRoutes } from "../subscriptions/routes";

/** The paths this interface answers (everything else goes to the next handler). */
const PATHS = /^\/(events|eventTypes|epcs|bizSteps|bizLocations|readPoints|dispositions|queries|nextPageToken)(\/.*)?$/;

/** The resource endpoints: path segment → the query parameter its `{value}/events` means. */
const RESOURCES = {
  eventTypes: { param: "eventType", column: "event_type" },
  bizSteps: { param: "EQ_bizStep", column: "biz_step" },
  bizLocations: { param: "EQ_bizLocation", column: "biz_location" },
  readPoints: { param: "EQ_readPoint", column: "read_point" },
  dispositions: { param: "EQ_disposition", column: "disposition" },
  epcs: { param: "MATCH_anyEPC", column: undefined },
} as const;

const PAGING = ["perPage", "nextPageToken"];

const collection = (member: string[]) => ({ "@context": EPCIS_DOCUMENT_CONTEXT, type: "Collection", member });

/** Whether a request is the query interface's (GET /events is; POST /events is the capture part's). */
export function isQueryRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? "/").split("?")[0];
  const m = PATHS.exec(path);
  if (!m) return false;
  if (m[1] === "events" && m[2] === undefined && req.method === "POST") return false;
  return true;
}

const decodeSegment = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new EpcisRestError("QueryParameterException", `The path segment "${s}" is not valid percent-encoding.`);
  }
};

/** Answers one request of the interface (a problem answer on any error). */
export async function handleQueryRequest(ctx: QueryContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await route(ctx, req, res);
  } catch (error) {
    if (res.headersSent) return void res.end();
    if (error instanceof EpcisRestError) return sendProblem(res, error);
    sendProblem(res, { exception: "ImplementationException", detail: "The query failed on the server; try again." });
  }
}

async function route(ctx: QueryContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [rawPath, rawQuery = ""] = (req.url ?? "/").split(/\?(.*)/s);
  const segments = rawPath.split("/").slice(1).map(decodeSegment);
  const search = new URLSearchParams(rawQuery);
  const method = req.method ?? "GET";
  checkRequestedVersions(req);
  if (method === "OPTIONS") {
    return sendJson(res, 204, undefined, "application/json", { allow: "GET, HEAD, POST, DELETE, OPTIONS" });
  }
  const type = negotiate(req);
  const [top, second, third, fourth, fifth] = segments;
  const only = (...methods: string[]) => {
    if (!methods.includes(method) && !(method === "HEAD" && methods.includes("GET"))) {
      throw new EpcisRestError("QueryParameterException", `${method} is not allowed on ${rawPath}.`, 405);
    }
  };
  const noQuery = () => {
    const extra = [...search.keys()].find((k) => !PAGING.includes(k));
    if (extra) throw new EpcisRestError("QueryParameterException", `${extra}: is not a parameter of ${rawPath}.`);
  };

  if (top === "nextPageToken") {
    throw new EpcisRestError(
      "ImplementationException",
      "Releasing a nextPageToken is not needed: tokens hold no server state.",
      501,
    );
  }

  if (top === "events") {
    only("GET");
    if (second === undefined) {
      const params = urlParams(search, PAGING);
      return answerEvents(ctx, req, res, type, "SimpleEventQuery", params, search, "/events");
    }
    if (third !== undefined) throw new EpcisRestError("NoSuchResourceException", `No resource ${rawPath}.`);
    noQuery();
    await freshen(ctx);
    const caller = await callerOf(ctx, req);
    const [event] = await searchEvents(
      ctx.db,
      { eventIds: [second], ...visibility(ctx, caller) },
      { by: "syncId", direction: "ASC" },
      1,
    );
    if (!event) throw new EpcisRestError("NoSuchResourceException", `No event with eventID ${second}.`);
    return sendJson(res, 200, queryDocument("SimpleEventQuery", [event]), type);
  }

  if (top in RESOURCES) {
    only("GET");
    const resource = RESOURCES[top as keyof typeof RESOURCES];
    if (second === undefined) {
      noQuery();
      if (!resource.column) {
        throw new EpcisRestError(
          "ImplementationException",
          "Listing every EPC is not implemented: use /epcs/{epc}/events.",
          501,
        );
      }
      await freshen(ctx);
      const caller = await callerOf(ctx, req);
      const values =
        top === "eventTypes"
          ? [...EVENT_TYPES]
          : await distinctValues(ctx.db, resource.column, visibility(ctx, caller));
      return sendJson(res, 200, collection(values), type);
    }
    // A value is checked as a query parameter would be (an unknown event type or bizStep is a 400).
    const params = new Map<string, string[]>([[resource.param, [second]]]);
    const parsed = parseQueryParams(params);
    if (third === undefined) {
      noQuery();
      return sendJson(res, 200, { "@context": EPCIS_DOCUMENT_CONTEXT, type: "Collection", member: ["events"] }, type);
    }
    if (third !== "events" || fourth !== undefined)
      throw new EpcisRestError("NoSuchResourceException", `No resource ${rawPath}.`);
    const extra = urlParams(search, PAGING);
    for (const [k, v] of extra) {
      if (k === resource.param)
        throw new EpcisRestError("QueryParameterException", `${k}: is given by the path already.`);
      params.set(k, v);
    }
    return answerEvents(ctx, req, res, type, "SimpleEventQuery", params, search, rawPath, parseQueryParams(params));
  }

  // /queries…
  if (second === undefined) {
    if (method === "POST") {
      const caller = await requireCaller(ctx, req);
      const body = await readJsonBody(req);
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new EpcisRestError("QueryValidationException", 'The body must be { "name": …, "query": { … } }.');
      }
      const { name, query, ...rest } = body as Record<string, unknown>;
      const unknown = Object.keys(rest)[0];
      if (unknown) throw new EpcisRestError("QueryValidationException", `${unknown}: is not a field of a named query.`);
      if (typeof name !== "string" || !QUERY_NAME.test(name)) {
        throw new EpcisRestError("QueryValidationException", "name: 1–64 letters, digits, _, - or . are required.");
      }
      try {
        parseQueryParams(definitionParams(query));
      } catch (error) {
        if (error instanceof EpcisRestError && error.exception === "QueryParameterException") {
          throw new EpcisRestError("QueryValidationException", `query.${error.detail}`);
        }
        throw error;
      }
      await createNamedQuery(ctx.db, {
        name,
        query: query as Record<string, unknown>,
        createdAt: Date.now(),
        owner: caller?.org ?? null,
      });
      return sendJson(res, 201, { name, query }, "application/json", {
        location: `/queries/${encodeURIComponent(name)}`,
      });
    }
    only("GET");
    const { perPage, token } = pagingOf(search);
    noQuery();
    const after = token ? ctx.tokens.open(token, "queries").key : undefined;
    const page = await listNamedQueries(ctx.db, perPage + 1, after);
    const headers: Record<string, string> = {};
    if (page.length > perPage) {
      const last = page[perPage - 1];
      const next = ctx.tokens.issue("queries", { value: 0, syncId: 0, sent: 0, key: last.name });
      headers.link = `</queries?perPage=${perPage}&nextPageToken=${encodeURIComponent(next.token)}>; rel="next"`;
      headers["GS1-Next-Page-Token-Expires"] = new Date(next.expires).toISOString();
    }
    return sendJson(
      res,
      200,
      page.slice(0, perPage).map((q) => ({ name: q.name, query: q.query })),
      "application/json",
      headers,
    );
  }

  const named = await getNamedQuery(ctx.db, second);
  if (!named) throw new EpcisRestError("NoSuchNameException", `No query named "${second}".`);
  if (third === undefined) {
    if (method === "DELETE") {
      const caller = await requireCaller(ctx, req);
      if (caller && named.owner !== null && named.owner !== caller.org) {
        throw new EpcisRestError("SecurityException", "Only the organization that created a query deletes it.", 403);
      }
      await deleteSubscriptions(ctx.db, named.name);
      await deleteNamedQuery(ctx.db, named.name);
      return sendJson(res, 204, undefined);
    }
    only("GET");
    noQuery();
    return sendJson(res, 200, { name: named.name, query: named.query }, "application/json");
  }
  if (third === "events" && fourth === undefined) {
    only("GET");
    noQuery();
    const params = definitionParams(named.query);
    return answerEvents(ctx, req, res, type, named.name, params, search, rawPath, parseQueryParams(params));
  }
  if (third === "subscriptions") {
    return subscriptionRoutes(ctx, req, res, named, fourth, fifth, search);
  }
  throw new EpcisRestError("NoSuchResourceException", `No resource ${rawPath}.`);
}
