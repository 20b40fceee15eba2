/**
 * Subscriptions, kept in the index database (they survive a restart, with their delivery cursor): a named
 * query, a webhook `dest`, the client's `signatureToken`, and either `stream` or a `schedule`. The cursor is
 * the repository's `sync_id` of the last event delivered: an event is delivered when its sync_id is above
 * it, so nothing synced between two deliveries is skipped. Node-only.
 */
import { randomUUID } from "node:crypto";
import type { IndexSql } from "../../../indexer/db";
import type { QuerySchedule } from "./schedule";

export interface Subscription {
  id: string;
  queryName: string;
  dest: string;
  signatureToken: string | null;
  reportIfEmpty: boolean;
  stream: boolean;
  schedule: QuerySchedule | null;
  /** Events recorded before this (ms) are never delivered. */
  initialRecordTime: number | null;
  createdAt: number;
  lastNotifiedAt: number | null;
  /** sync_id of the last event delivered. */
  cursor: number;
  /** When the schedule was last looked at (ms): query times after it are due. */
  checkedAt: number;
  /** Failed deliveries in a row, and when the next attempt may run (ms). */
  failures: number;
  retryAt: number;
  owner: number | null;
}

const DDL = `CREATE TABLE IF NOT EXISTS epcis_subscriptions (
  id text PRIMARY KEY,
  query_name text NOT NULL,
  dest text NOT NULL,
  signature_token text,
  report_if_empty boolean NOT NULL,
  stream boolean NOT NULL,
  schedule text,
  initial_record_time bigint,
  created_at bigint NOT NULL,
  last_notified_at bigint,
  cursor bigint NOT NULL,
  checked_at bigint NOT NULL,
  failures int NOT NULL DEFAULT 0,
  retry_at bigint NOT NULL DEFAULT 0,
  owner bigint
)`;

const ready = new WeakMap<IndexSql, Promise<unknown>>();
/** Creates the table when missing (once per database). */
export function ensureSubscriptions(db: IndexSql): Promise<unknown> {
  let p = ready.get(db);
  if (!p) ready.set(db, (p = db.query(DDL)));
  return p;
}

type Row = Record<string, string | number | boolean | null>;
const num = (v: unknown) => (v === null ? null : Number(v));
const rowOf = (r: Row): Subscription => ({
  id: String(r.id),
  queryName: String(r.query_name),
  dest: String(r.dest),
  signatureToken: r.signature_token === null ? null : String(r.signature_token),
  reportIfEmpty: Boolean(r.report_if_empty),
  stream: Boolean(r.stream),
  schedule: r.schedule === null ? null : (JSON.parse(String(r.schedule)) as QuerySchedule),
  initialRecordTime: num(r.initial_record_time),
  createdAt: Number(r.created_at),
  lastNotifiedAt: num(r.last_notified_at),
  cursor: Number(r.cursor),
  checkedAt: Number(r.checked_at),
  failures: Number(r.failures),
  retryAt: Number(r.retry_at),
  owner: num(r.owner),
});

/** Keeps a new subscription and returns it with its id. */
export async function createSubscription(
  db: IndexSql,
  s: Omit<Subscription, "id" | "lastNotifiedAt" | "failures" | "retryAt">,
): Promise<Subscription> {
  await ensureSubscriptions(db);
  const id = randomUUID();
  await db.query(
    `INSERT INTO epcis_subscriptions (id, query_name, dest, signature_token, report_if_empty, stream, schedule,
       initial_record_time, created_at, cursor, checked_at, owner)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      id,
      s.queryName,
      s.dest,
      s.signatureToken,
      s.reportIfEmpty,
      s.stream,
      s.schedule === null ? null : JSON.stringify(s.schedule),
      s.initialRecordTime === null ? null : String(s.initialRecordTime),
      String(s.createdAt),
      String(s.cursor),
      String(s.checkedAt),
      s.owner === null ? null : String(s.owner),
    ],
  );
  return { ...s, id, lastNotifiedAt: null, failures: 0, retryAt: 0 };
}

/** The subscriptions of a query (all when `queryName` is absent), oldest first. */
export async function listSubscriptions(db: IndexSql, queryName?: string): Promise<Subscription[]> {
  await ensureSubscriptions(db);
  const rows = await db.query<Row>(
    `SELECT * FROM epcis_subscriptions ${queryName === undefined ? "" : "WHERE query_name = $1"} ORDER BY created_at, id`,
    queryName === undefined ? [] : [queryName],
  );
  return rows.map(rowOf);
}

/** One subscription of a query, or undefined. */
export async function getSubscription(db: IndexSql, queryName: string, id: string): Promise<Subscription | undefined> {
  await ensureSubscriptions(db);
  const [row] = await db.query<Row>("SELECT * FROM epcis_subscriptions WHERE query_name = $1 AND id = $2", [
    queryName,
    id,
  ]);
  return row ? rowOf(row) : undefined;
}

/** Deletes one subscription (or every one of a query when `id` is absent); how many went. */
export async function deleteSubscriptions(db: IndexSql, queryName: string, id?: string): Promise<number> {
  await ensureSubscriptions(db);
  const rows = await db.query(
    `DELETE FROM epcis_subscriptions WHERE query_name = $1 ${id === undefined ? "" : "AND id = $2"} RETURNING id`,
    id === undefined ? [queryName] : [queryName, id],
  );
  return rows.length;
}

/** Records a delivery: the cursor moves to the last event sent, failures reset. */
export async function markDelivered(db: IndexSql, id: string, cursor: number, at: number): Promise<void> {
  await db.query(
    "UPDATE epcis_subscriptions SET cursor = $2, last_notified_at = $3, failures = 0, retry_at = 0 WHERE id = $1",
    [id, String(cursor), String(at)],
  );
}

/** Records a failed delivery and when to try again; the cursor stays. */
export async function markFailed(db: IndexSql, id: string, failures: number, retryAt: number): Promise<void> {
  await db.query("UPDATE epcis_subscriptions SET failures = $2, retry_at = $3 WHERE id = $1", [
    id,
    failures,
    String(retryAt),
  ]);
}

/** Records that the schedule was looked at up to `at`. */
export async function markChecked(db: IndexSql, id: string, at: number): Promise<void> {
  await db.query("UPDATE epcis_subscriptions SET checked_at = $2 WHERE id = $1", [id, String(at)]);
}
