/**
 * Webhook deliveries of subscriptions: each runs its named query over the events synced since its cursor
 * and POSTs them as an EPCISQueryDocument to `dest`, signed in `GS1-Signature`. The bindings leave the
 * signature scheme to the implementation; ours is `GS1-Signature: sha256=<hex>`, the lower-case hex
 * HMAC-SHA256 of the exact body bytes keyed with the UTF-8 `signatureToken` (absent without a token). Only a
 * 2xx answer counts; anything else (and a timeout, a redirect) is a failure, retried after 1 s, 2 s, 4 s …
 * capped at `retryMaxMs` (5 min by default), without end: the cursor stays until a delivery succeeds, so
 * events are delivered at least once and none is skipped. Node-only.
 */
import { createHmac } from "node:crypto";
import type { IndexSql } from "../../../indexer/db";
import { searchEvents, type EventFilter } from "../../repository";
import { queryDocument } from "../query/document";
import { markChecked, markDelivered, markFailed, type Subscription } from "./store";
import { parseSchedule, scheduleDue } from "./schedule";

/** Events in one delivery. */
export const DELIVERY_BATCH = 100;

/** The `GS1-Signature` value of a body. */
export function gs1Signature(body: string | Buffer, signatureToken: string): string {
  return `sha256=${createHmac("sha256", Buffer.from(signatureToken, "utf8")).update(body).digest("hex")}`;
}

export interface DeliveryOptions {
  /** First retry delay (ms, default 1,000); doubled per failure. */
  retryBaseMs?: number;
  /** Longest retry delay (ms, default 300,000). */
  retryMaxMs?: number;
  /** Per-request timeout (ms, default 10,000). */
  timeoutMs?: number;
}

/** Sends one document; whether the receiver took it (2xx). */
async function post(dest: string, body: string, token: string | null, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(dest, {
      method: "POST",
      headers: {
        "content-type": "application/ld+json",
        "GS1-EPCIS-Version": "2.0.0",
        ...(token === null ? {} : { "GS1-Signature": gs1Signature(body, token) }),
      },
      body,
      redirect: "manual", // a redirect must not turn a webhook into a request elsewhere
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}

/**
 * Runs one subscription if it is due (stream: new events; schedule: a query time passed; either: a retry
 * whose time came) and delivers; returns the events delivered.
 *
 * @param filter - The named query's filter with the subscriber's visibility.
 */
export async function runSubscription(
  db: IndexSql,
  sub: Subscription,
  filter: EventFilter,
  now: number,
  options: DeliveryOptions = {},
): Promise<number> {
  const retrying = sub.failures > 0;
  if (retrying && now < sub.retryAt) return 0;
  if (!retrying && !sub.stream && sub.schedule) {
    if (!scheduleDue(parseSchedule(sub.schedule), sub.checkedAt, now)) {
      await markChecked(db, sub.id, now);
      return 0;
    }
  }
  const scoped: EventFilter = {
    ...filter,
    afterSyncId: sub.cursor,
    ...(sub.initialRecordTime !== null
      ? { geRecordTime: Math.max(sub.initialRecordTime, filter.geRecordTime ?? 0) }
      : {}),
  };
  let cursor = sub.cursor;
  let delivered = 0;
  for (let first = true; ; first = false) {
    const events = await searchEvents(
      db,
      { ...scoped, afterSyncId: cursor },
      { by: "syncId", direction: "ASC" },
      DELIVERY_BATCH,
    );
    if (events.length === 0 && !(first && !sub.stream && sub.reportIfEmpty)) break;
    const last = events.length ? events[events.length - 1].syncId : cursor;
    const ordered = [...events].sort((a, b) => a.recordTime - b.recordTime || a.syncId - b.syncId);
    const body = JSON.stringify(queryDocument(sub.queryName, ordered, sub.id, now));
    if (!(await post(sub.dest, body, sub.signatureToken, options.timeoutMs ?? 10_000))) {
      const failures = sub.failures + 1;
      const delay = Math.min(
        (options.retryBaseMs ?? 1_000) * 2 ** Math.min(failures - 1, 30),
        options.retryMaxMs ?? 300_000,
      );
      await markFailed(db, sub.id, failures, now + delay);
      return delivered;
    }
    cursor = last;
    delivered += events.length;
    await markDelivered(db, sub.id, cursor, now);
    sub = { ...sub, failures: 0 };
    if (events.length < DELIVERY_BATCH) break;
  }
  await markChecked(db, sub.id, now);
  return delivered;
}
