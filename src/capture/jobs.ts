/**
 * Capture jobs as kept in the index database (`epcis_capture_jobs`): the received events (with their
 * eventIDs filled in), the plan once made, and the outcome so far, so a job survives a server restart and
 * is reported the same by any server on the same database. Only the job's own account can read it.
 */
import { randomBytes } from "node:crypto";
import type { IndexSql } from "../indexer/db";
import type { EpcisEvent } from "../epcis";
import { planFromJson, planToJson, type PlannedEvent } from "./plan";
import type { EventRefusal } from "./preflight";
import { ANCHOR_FIELD, type LedgerAnchor } from "../epcis/rest/anchor";

export type CaptureErrorBehaviour = "rollback" | "proceed";

export type { LedgerAnchor } from "../epcis/rest/anchor";

/** What became of one event. */
export interface EventReport {
  eventIndex: number;
  eventID: string;
  type: string;
  /**
   * pending: not decided yet; written: on the ledger (see the anchor); offchain: kept off chain only (see
   * note); refused: the ledger would refuse it (see the job's errors); rolledBack: not written because
   * another event of the document was refused (rollback); notWritten: not sent because an earlier write
   * failed.
   */
  status: "pending" | "written" | "offchain" | "refused" | "rolledBack" | "notWritten";
  note?: string;
  [ANCHOR_FIELD]?: LedgerAnchor | null;
}

export interface JobOutcome {
  errors: EventRefusal[];
  events: EventReport[];
}

export interface CaptureJob {
  id: string;
  account: string;
  orgId: number;
  behaviour: CaptureErrorBehaviour;
  createdAt: number;
  finishedAt?: number;
  running: boolean;
  success: boolean;
  events: EpcisEvent[];
  plan?: PlannedEvent[];
  outcome: JobOutcome;
}

type JobRow = {
  id: string;
  n: string | number;
  account: string;
  org: string | number;
  behaviour: string;
  created_at: string | number;
  finished_at: string | number | null;
  running: boolean;
  success: boolean;
  events: string;
  plan: string | null;
  outcome: string;
};

function fromRow(r: JobRow): CaptureJob {
  return {
    id: r.id,
    account: r.account,
    orgId: Number(r.org),
    behaviour: r.behaviour as CaptureErrorBehaviour,
    createdAt: Number(r.created_at),
    ...(r.finished_at !== null ? { finishedAt: Number(r.finished_at) } : {}),
    running: r.running,
    success: r.success,
    events: JSON.parse(r.events) as EpcisEvent[],
    ...(r.plan !== null ? { plan: planFromJson(r.plan) } : {}),
    outcome: JSON.parse(r.outcome) as JobOutcome,
  };
}

/** Stores a new running job for `events`; returns it. */
export async function createJob(
  db: IndexSql,
  fields: { account: string; orgId: number; behaviour: CaptureErrorBehaviour; events: EpcisEvent[] },
): Promise<CaptureJob> {
  const job: CaptureJob = {
    id: `c${randomBytes(12).toString("hex")}`,
    account: fields.account.toLowerCase(),
    orgId: fields.orgId,
    behaviour: fields.behaviour,
    createdAt: Date.now(),
    running: true,
    success: true,
    events: fields.events,
    outcome: {
      errors: [],
      events: fields.events.map((e, i) => ({
        eventIndex: i,
        eventID: String(e.eventID),
        type: String(e.type),
        status: "pending",
      })),
    },
  };
  await db.query(
    `INSERT INTO epcis_capture_jobs (id, account, org, behaviour, created_at, running, success, events, outcome)
     VALUES ($1, $2, $3, $4, $5, true, true, $6, $7)`,
    [
      job.id,
      job.account,
      job.orgId,
      job.behaviour,
      job.createdAt,
      JSON.stringify(job.events),
      JSON.stringify(job.outcome),
    ],
  );
  return job;
}

/** Writes a job's state (plan, outcome, running, success, finishedAt) back. */
export async function saveJob(db: IndexSql, job: CaptureJob): Promise<void> {
  await db.query(
    `UPDATE epcis_capture_jobs SET plan = $2, outcome = $3, running = $4, success = $5, finished_at = $6 WHERE id = $1`,
    [
      job.id,
      job.plan ? planToJson(job.plan) : null,
      JSON.stringify(job.outcome),
      job.running,
      job.success,
      job.finishedAt ?? null,
    ],
  );
}

const COLUMNS = "id, n, account, org, behaviour, created_at, finished_at, running, success, events, plan, outcome";

/** A job by id, or undefined. */
export async function loadJob(db: IndexSql, id: string): Promise<CaptureJob | undefined> {
  const rows = await db.query<JobRow>(`SELECT ${COLUMNS} FROM epcis_capture_jobs WHERE id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** The jobs still running (interrupted by a stop when the server starts), oldest first. */
export async function runningJobs(db: IndexSql): Promise<CaptureJob[]> {
  const rows = await db.query<JobRow>(`SELECT ${COLUMNS} FROM epcis_capture_jobs WHERE running ORDER BY n`);
  return rows.map(fromRow);
}

/** A page of an account's jobs, oldest first, after the job numbered `after`; `next` continues it. */
export async function listJobs(
  db: IndexSql,
  account: string,
  page: { after?: number; limit: number },
): Promise<{ jobs: CaptureJob[]; next?: number }> {
  const rows = await db.query<JobRow>(
    `SELECT ${COLUMNS} FROM epcis_capture_jobs WHERE account = $1 AND n > $2 ORDER BY n LIMIT $3`,
    [account.toLowerCase(), page.after ?? 0, page.limit + 1],
  );
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  return { jobs: kept.map(fromRow), ...(more ? { next: Number(kept[kept.length - 1].n) } : {}) };
}

/** A job as the bindings' `CaptureJob` document, with the per-event outcome as an extension. */
export function captureJobDocument(job: CaptureJob): Record<string, unknown> {
  return {
    captureID: job.id,
    createdAt: new Date(job.createdAt).toISOString(),
    ...(job.finishedAt !== undefined ? { finishedAt: new Date(job.finishedAt).toISOString() } : {}),
    running: job.running,
    success: job.success,
    captureErrorBehaviour: job.behaviour,
    errors: job.outcome.errors,
    "cbectrace:events": job.outcome.events,
  };
}
