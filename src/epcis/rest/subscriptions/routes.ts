/**
 * `/queries/{name}/subscriptions` and `/queries/{name}/subscriptions/{id}`: creating (webhook `dest`,
 * `signatureToken`, `stream` or `schedule`, `reportIfEmpty`, `initialRecordTime`), listing, reading and
 * deleting subscriptions. The secret is never sent back. WebSocket subscriptions are not implemented (501).
 * Node-only.
 */
import { isPublicDestination } from "./destination";
import type { IncomingMessage, ServerResponse } from "node:http";
import { EpcisRestError } from "../problem";
import { parseDateTime, isoMillis } from "../../time";
import { freshen, requireCaller, type QueryContext } from "../query/context";
import { readJsonBody, sendJson } from "../query/http";
import type { NamedQuery } from "../query/namedQueries";
import { parseSchedule, type QuerySchedule } from "./schedule";
import {
  createSubscription,
  deleteSubscriptions,
  getSubscription,
  listSubscriptions,
  type Subscription,
} from "./store";

const bad = (detail: string) => new EpcisRestError("SubscriptionControlsException", detail);

/** A subscription as the bindings show it (without `signatureToken`). */
export function subscriptionView(s: Subscription): Record<string, unknown> {
  return {
    subscriptionID: s.id,
    dest: s.dest,
    createdAt: isoMillis(s.createdAt),
    ...(s.lastNotifiedAt !== null ? { lastNotifiedAt: isoMillis(s.lastNotifiedAt) } : {}),
    ...(s.initialRecordTime !== null ? { initialRecordTime: isoMillis(s.initialRecordTime) } : {}),
    ...(s.stream ? { stream: true } : { schedule: s.schedule, reportIfEmpty: s.reportIfEmpty }),
  };
}

/** Checks a subscription request body; what to keep. */
function subscriptionRequest(ctx: QueryContext, body: unknown) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw bad("The body must be a JSON object.");
  const { dest, signatureToken, reportIfEmpty, initialRecordTime, stream, schedule, ...rest } = body as Record<
    string,
    unknown
  >;
  const unknown = Object.keys(rest)[0];
  if (unknown) throw bad(`${unknown}: is not a subscription field.`);
  if (typeof dest !== "string") throw bad("dest: the webhook URL (http or https) is required.");
  let url: URL;
  try {
    url = new URL(dest);
  } catch {
    throw bad(`dest: "${dest}" is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw bad(`dest: ${url.protocol} is not supported; webhooks are http or https (WebSocket: not implemented).`);
  }
  if (url.username || url.password) throw bad("dest: must not carry credentials in the URL.");
  if (!(ctx.allowDest ?? isPublicDestination)(url)) {
    throw bad(
      `dest: ${url.origin} is not an allowed webhook destination` +
        (ctx.allowDest ? "." : " (loopback and private addresses need the operator's allowDest)."),
    );
  }
  if (
    signatureToken !== undefined &&
    (typeof signatureToken !== "string" || signatureToken.length < 1 || signatureToken.length > 512)
  ) {
    throw bad("signatureToken: must be a string of 1–512 characters.");
  }
  if (stream !== undefined && typeof stream !== "boolean") throw bad("stream: must be true or false.");
  if (reportIfEmpty !== undefined && typeof reportIfEmpty !== "boolean")
    throw bad("reportIfEmpty: must be true or false.");
  const isStream = stream === true;
  if (isStream === (schedule !== undefined)) {
    throw bad("Give either stream: true or a schedule (exactly one).");
  }
  if (isStream && reportIfEmpty !== undefined) throw bad("reportIfEmpty: applies to scheduled subscriptions only.");
  if (schedule !== undefined) parseSchedule(schedule);
  let initial: number | null = null;
  if (initialRecordTime !== undefined) {
    const parsed = typeof initialRecordTime === "string" ? parseDateTime(initialRecordTime) : undefined;
    if (!parsed || !("ms" in parsed)) throw bad("initialRecordTime: must be a date-time with offset.");
    initial = parsed.ms;
  }
  return {
    dest: url.toString(),
    signatureToken: (signatureToken as string | undefined) ?? null,
    reportIfEmpty: reportIfEmpty === true,
    stream: isStream,
    schedule: (schedule as QuerySchedule | undefined) ?? null,
    initialRecordTime: initial,
  };
}

/** Answers the subscription paths of one named query. */
export async function subscriptionRoutes(
  ctx: QueryContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: NamedQuery,
  id: string | undefined,
  extra: string | undefined,
  search: URLSearchParams,
): Promise<void> {
  const method = req.method ?? "GET";
  if (extra !== undefined) throw new EpcisRestError("NoSuchResourceException", "No such resource.");
  if (String(req.headers.upgrade ?? "").toLowerCase() === "websocket") {
    throw new EpcisRestError(
      "ImplementationException",
      "WebSocket subscriptions are not implemented: use a webhook dest.",
      501,
    );
  }
  const extraParam = [...search.keys()][0];
  if (extraParam) {
    throw new EpcisRestError("QueryParameterException", `${extraParam}: subscription controls go in the JSON body.`);
  }
  const base = `/queries/${encodeURIComponent(query.name)}/subscriptions`;
  if (id === undefined) {
    if (method === "POST") {
      const caller = await requireCaller(ctx, req);
      const request = subscriptionRequest(ctx, await readJsonBody(req));
      // Without initialRecordTime a subscription reports what arrives after it; with it, from that time on.
      await freshen({ ...ctx, syncEveryMs: 0 });
      const [{ max }] = await ctx.db.query<{ max: string | null }>("SELECT max(sync_id) AS max FROM epcis_events");
      const now = Date.now();
      const sub = await createSubscription(ctx.db, {
        ...request,
        queryName: query.name,
        createdAt: now,
        checkedAt: now,
        cursor: request.initialRecordTime !== null ? 0 : Number(max ?? 0),
        owner: caller?.org ?? null,
      });
      return sendJson(res, 201, subscriptionView(sub), "application/json", { location: `${base}/${sub.id}` });
    }
    if (method !== "GET" && method !== "HEAD")
      throw new EpcisRestError("QueryParameterException", `${method} is not allowed here.`, 405);
    const subs = await listSubscriptions(ctx.db, query.name);
    return sendJson(res, 200, subs.map(subscriptionView), "application/json");
  }
  const sub = await getSubscription(ctx.db, query.name, id);
  if (!sub) throw new EpcisRestError("NoSuchResourceException", `No subscription ${id} of query "${query.name}".`);
  if (method === "DELETE") {
    const caller = await requireCaller(ctx, req);
    if (caller && sub.owner !== null && sub.owner !== caller.org) {
      throw new EpcisRestError(
        "SecurityException",
        "Only the organization that subscribed deletes the subscription.",
        403,
      );
    }
    await deleteSubscriptions(ctx.db, query.name, id);
    return sendJson(res, 204, undefined);
  }
  if (method !== "GET" && method !== "HEAD")
    throw new EpcisRestError("QueryParameterException", `${method} is not allowed here.`, 405);
  return sendJson(res, 200, subscriptionView(sub), "application/json");
}
