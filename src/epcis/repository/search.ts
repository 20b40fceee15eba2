/**
 * Reads events from the repository by filter, in a stable order, one page at a time (keyset: the page
 * after (sort value, sync_id) of the last event sent). Every filter value is a bound parameter. Node-only.
 */
import type { IndexSql } from "../../indexer/db";
import type { EpcField } from "./eventRow";
import type { KeyMatch } from "./epcKeys";
import type { LedgerAnchor } from "../rest/anchor";

/** What a query asks for; every list means "any of". */
export interface EventFilter {
  eventTypes?: string[];
  actions?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  readPoints?: string[];
  bizLocations?: string[];
  eventIds?: string[];
  geEventTime?: number;
  ltEventTime?: number;
  geRecordTime?: number;
  ltRecordTime?: number;
  /** Each entry: the event names one of `values` in one of `fields` (entries are ANDed). */
  epcs?: { fields: EpcField[]; values: KeyMatch[] }[];
  /** Only events with sync_id above this (a subscription's cursor). */
  afterSyncId?: number;
  /**
   * Who may see off-chain-only events: undefined = everyone, a number = only those of that organization,
   * null = nobody (anchored events are public to every reader of the chain).
   */
  offChainOrg?: number | null;
}

export type OrderField = "eventTime" | "recordTime" | "syncId";

export interface EventOrder {
  by: OrderField;
  direction: "ASC" | "DESC";
}

/** A row as served: the event JSON and where it is anchored. */
export interface StoredEvent {
  recordHash: string;
  syncId: number;
  eventTime: number;
  recordTime: number;
  event: Record<string, unknown>;
  anchor: LedgerAnchor | null;
}

const COLUMN: Record<OrderField, string> = { eventTime: "event_time", recordTime: "record_time", syncId: "sync_id" };

/** The WHERE clause of a filter and its parameters (shared by the page reader and the counters). */
function where(filter: EventFilter, params: unknown[]): string {
  const clauses: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const anyOf = (column: string, values: string[] | undefined) => {
    if (values) clauses.push(`${column} = ANY(${p(values)}::text[])`);
  };
  anyOf("event_type", filter.eventTypes);
  anyOf("action", filter.actions);
  anyOf("biz_step", filter.bizSteps);
  anyOf("disposition", filter.dispositions);
  anyOf("read_point", filter.readPoints);
  anyOf("biz_location", filter.bizLocations);
  anyOf("event_id", filter.eventIds);
  if (filter.geEventTime !== undefined) clauses.push(`event_time >= ${p(String(filter.geEventTime))}::bigint`);
  if (filter.ltEventTime !== undefined) clauses.push(`event_time < ${p(String(filter.ltEventTime))}::bigint`);
  if (filter.geRecordTime !== undefined) clauses.push(`record_time >= ${p(String(filter.geRecordTime))}::bigint`);
  if (filter.ltRecordTime !== undefined) clauses.push(`record_time < ${p(String(filter.ltRecordTime))}::bigint`);
  if (filter.afterSyncId !== undefined) clauses.push(`sync_id > ${p(String(filter.afterSyncId))}::bigint`);
  if (filter.offChainOrg === null) clauses.push("unit IS NOT NULL");
  else if (filter.offChainOrg !== undefined)
    clauses.push(`(unit IS NOT NULL OR org = ${p(String(filter.offChainOrg))}::bigint)`);
  for (const match of filter.epcs ?? []) {
    const keys = match.values.flatMap((v) => ("key" in v ? [v.key] : []));
    const prefixes = match.values.flatMap((v) => ("prefix" in v ? [v.prefix.replace(/[\\%_]/g, "\\$&") + "%"] : []));
    const alternatives = [
      ...(keys.length ? [`k.key = ANY(${p(keys)}::text[])`] : []),
      ...(prefixes.length ? [`k.key LIKE ANY(${p(prefixes)}::text[])`] : []),
    ];
    clauses.push(
      `EXISTS (SELECT 1 FROM epcis_event_epcs k WHERE k.record_hash = epcis_events.record_hash
         AND k.field = ANY(${p(match.fields)}::text[]) AND (${alternatives.join(" OR ")}))`,
    );
  }
  return clauses.length ? `WHERE ${clauses.join(" AND ")}` : "";
}

/**
 * One page of events matching `filter`, in `order` (ties by sync_id), after the keyset position `after`.
 *
 * @param limit - Events at most on the page.
 */
export async function searchEvents(
  db: IndexSql,
  filter: EventFilter,
  order: EventOrder,
  limit: number,
  after?: { value: number; syncId: number },
): Promise<StoredEvent[]> {
  const params: unknown[] = [];
  let clause = where(filter, params);
  const column = COLUMN[order.by];
  const cmp = order.direction === "ASC" ? ">" : "<";
  if (after) {
    params.push(String(after.value), String(after.syncId));
    const position = `(${column}, sync_id) ${cmp} ($${params.length - 1}::bigint, $${params.length}::bigint)`;
    clause = clause ? `${clause} AND ${position}` : `WHERE ${position}`;
  }
  params.push(limit);
  const rows = await db.query<Record<string, string | number | null>>(
    `SELECT record_hash, sync_id, event_time, record_time, event, chain_id, ledger, tx_hash, block, unit, seq
     FROM epcis_events ${clause}
     ORDER BY ${column} ${order.direction}, sync_id ${order.direction} LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    recordHash: String(r.record_hash),
    syncId: Number(r.sync_id),
    eventTime: Number(r.event_time),
    recordTime: Number(r.record_time),
    event: JSON.parse(String(r.event)) as Record<string, unknown>,
    anchor:
      r.unit === null
        ? null
        : {
            chainId: Number(r.chain_id),
            ledger: String(r.ledger),
            transactionHash: String(r.tx_hash),
            blockNumber: Number(r.block),
            unit: String(r.unit),
            seq: Number(r.seq),
          },
  }));
}

/** The distinct values of a column among the events a reader may see (for the resource collections). */
export async function distinctValues(
  db: IndexSql,
  column: "event_type" | "biz_step" | "disposition" | "read_point" | "biz_location",
  filter: EventFilter,
): Promise<string[]> {
  const params: unknown[] = [];
  const clause = where(filter, params);
  const rows = await db.query<{ v: string }>(
    `SELECT DISTINCT ${column} AS v FROM epcis_events ${clause ? `${clause} AND` : "WHERE"} ${column} IS NOT NULL ORDER BY v`,
    params,
  );
  return rows.map((r) => r.v);
}

/** The sort value of a stored event for an order field. */
export function sortValue(event: StoredEvent, by: OrderField): number {
  return by === "eventTime" ? event.eventTime : by === "recordTime" ? event.recordTime : event.syncId;
}
