/**
 * Running a capture job in two steps, each leaving the job stored so a stop at any point resumes:
 *  1. `prepareJob`: plan the events, pre-flight every ledger write (nothing sent). With `rollback`, one
 *     refusal ends the job here and nothing of the document is stored or sent. Otherwise the records of
 *     what will be kept go to the record store and the off-chain events to `epcis_offchain_events`, and
 *     the plan is saved.
 *  2. `sendJob`: send the planned writes in document order through the writer (consecutive registrations
 *     and consecutive events in batches), each run first filtered by what the chain already holds
 *     (`unregistered` / `unrecorded`, the writer's exactly-once resume), then anchor each written event
 *     from its unit's history.
 * A refusal during sending (the chain changed since the pre-flight) stops the job there: what was sent
 * stays on chain (the ledger has no undo), the refused event and the ones after it are reported.
 */
import type { Hex } from "viem";
import { STEPS } from "../codes";
import type { EpcisEvent } from "../epcis";
import { BatchItemRejectedError, ContractRefusalError } from "../errors/contract";
import type { IndexSql } from "../indexer/db";
import { putOffChainEvent } from "../epcis/rest/offchain";
import type { TraceReader } from "../read/reader";
import { RecordStore, type RecordSink } from "../records/store";
import { unrecorded, unregistered } from "../write/resume";
import type { TraceInput } from "../write/types";
import type { TraceWriter } from "../write/writer";
import { saveJob, type CaptureJob } from "./jobs";
import { ANCHOR_FIELD, type LedgerAnchor } from "../epcis/rest/anchor";
import { planEvents, type PlannedEvent } from "./plan";
import { preflight, refusalOf } from "./preflight";

/** What a job runs with: the capture key's writer and a reader of the same ledger. */
export interface JobContext {
  db: IndexSql;
  writer: TraceWriter;
  reader: TraceReader;
  store: RecordStore;
  chainId: number;
  ledger: string;
}

/** Holds records until the job knows it keeps them (a rolled-back document leaves no record behind). */
class HeldRecords implements RecordSink {
  readonly held = new Map<Hex, EpcisEvent>();
  put(hash: Hex, record: EpcisEvent): void {
    this.held.set(hash, record);
  }
}

const finish = (job: CaptureJob) => {
  job.running = false;
  job.success = job.outcome.errors.length === 0;
  job.finishedAt = Date.now();
};

/** Step 1: plan and pre-flight (see the module comment). Does nothing when the job has a plan already. */
export async function prepareJob(job: CaptureJob, ctx: JobContext): Promise<void> {
  if (job.plan) return;
  const held = new HeldRecords();
  const plan = await planEvents(job.events, held, async (unit) => (await ctx.reader.unitState(unit)).registered);
  const refusals = await preflight(plan, ctx.writer);
  const refused = new Set(refusals.map((r) => r.eventIndex));
  job.outcome.errors = refusals;
  job.outcome.events = plan.map((p) => ({
    eventIndex: p.eventIndex,
    eventID: p.eventID,
    type: p.type,
    status: refused.has(p.eventIndex) ? "refused" : p.kind === "offchain" ? "offchain" : "pending",
    ...(p.note ? { note: p.note } : {}),
  }));
  job.plan = plan;
  if (refusals.length > 0 && job.behaviour === "rollback") {
    for (const e of job.outcome.events) if (e.status !== "refused") e.status = "rolledBack";
    finish(job);
    await saveJob(ctx.db, job);
    return;
  }
  if (refusals.length > 0) job.success = false;
  const kept = new Set(plan.filter((p) => !refused.has(p.eventIndex)).map((p) => p.recordHash.toLowerCase()));
  for (const [hash, record] of held.held) if (kept.has(hash.toLowerCase())) ctx.store.put(hash, record);
  for (const p of plan) {
    if (p.kind !== "offchain") continue;
    await putOffChainEvent(ctx.db, {
      recordHash: p.recordHash,
      recordTime: job.createdAt,
      org: job.orgId,
      account: job.account,
      captureId: job.id,
    });
    job.outcome.events[p.eventIndex][ANCHOR_FIELD] = null;
  }
  await saveJob(ctx.db, job);
}

/** The runs of consecutive writes sent together: registrations and events in batches, (un)packings alone. */
function runsOf(todo: PlannedEvent[]): PlannedEvent[][] {
  const runs: PlannedEvent[][] = [];
  for (const event of todo) {
    const last = runs[runs.length - 1];
    const batchable = event.kind === "register" || event.kind === "record";
    if (last && batchable && last[0].kind === event.kind) last.push(event);
    else runs.push([event]);
  }
  return runs;
}

/** The ledger entry a (un)packing leaves on its parent, as `unrecorded` looks for it. */
const parentEntry = (e: PlannedEvent): TraceInput => ({
  unit: e.aggregation!.parent,
  step: e.kind === "pack" ? STEPS.PACKING : STEPS.UNPACKING,
  disposition: 0,
  eventTime: e.aggregation!.eventTime,
  location: e.aggregation!.location,
  recordHash: e.aggregation!.recordHash,
});

/** Sends one run, skipping what the chain already holds (a resumed job). */
async function sendRun(run: PlannedEvent[], ctx: JobContext): Promise<void> {
  const { writer, reader } = ctx;
  const kind = run[0].kind;
  if (kind === "register") {
    const todo = await unregistered(
      reader,
      run.flatMap((e) => e.registrations!),
    );
    if (todo.length > 0) await writer.register(todo);
  } else if (kind === "record") {
    const todo = await unrecorded(
      reader,
      run.flatMap((e) => e.records!),
    );
    if (todo.length > 0) await writer.record(todo);
  } else {
    const e = run[0];
    if ((await unrecorded(reader, [parentEntry(e)])).length === 0) return;
    if (kind === "pack") await writer.pack(e.aggregation!, e.children!);
    else await writer.unpack(e.aggregation!, e.children!);
  }
}

/** The event of a run a refusal names (a batch names its item; else the run's first). */
function refusedIn(run: PlannedEvent[], error: ContractRefusalError): PlannedEvent {
  if (!(error instanceof BatchItemRejectedError)) return run[0];
  const items = run.flatMap((e) => (e.registrations ?? e.records ?? []).map(() => e));
  return items[error.index] ?? run[0];
}

/** Where an event is anchored: the last entry of its unit whose data is its record hash. */
async function anchorOf(ctx: JobContext, e: PlannedEvent): Promise<LedgerAnchor | undefined> {
  const history = await ctx.reader.history(e.anchorUnit!);
  const hash = e.recordHash.toLowerCase();
  const entry = history.entries.filter((x) => x.data.toLowerCase() === hash).pop();
  if (!entry) return undefined;
  return {
    chainId: ctx.chainId,
    ledger: ctx.ledger,
    transactionHash: entry.transactionHash,
    blockNumber: Number(entry.blockNumber),
    unit: e.anchorUnit!,
    seq: entry.seq,
  };
}

/** Step 2: send what is planned and not yet on chain, anchor it, finish the job. */
export async function sendJob(job: CaptureJob, ctx: JobContext): Promise<void> {
  if (!job.running || !job.plan) return;
  const refused = new Set(job.outcome.errors.map((r) => r.eventIndex));
  const todo = job.plan.filter((p) => p.kind !== "offchain" && !refused.has(p.eventIndex));
  const report = (e: PlannedEvent) => job.outcome.events[e.eventIndex];
  await ctx.writer.settle();
  let stopped = false;
  for (const run of runsOf(todo)) {
    if (stopped) {
      for (const e of run) report(e).status = "notWritten";
      continue;
    }
    try {
      await sendRun(run, ctx);
      for (const e of run) report(e).status = "written";
    } catch (error) {
      if (!(error instanceof ContractRefusalError)) throw error; // network trouble: the job resumes later
      const bad = refusedIn(run, error);
      job.outcome.errors.push(refusalOf(bad, error));
      for (const e of run) report(e).status = e === bad ? "refused" : "notWritten";
      stopped = true;
    }
    await saveJob(ctx.db, job);
  }
  for (const e of todo) {
    if (report(e).status !== "written") continue;
    const anchor = await anchorOf(ctx, e);
    if (anchor) report(e)[ANCHOR_FIELD] = anchor;
  }
  finish(job);
  await saveJob(ctx.db, job);
}
