/**
 * The capture service behind the HTTP routes: takes validated documents as jobs, runs them one at a time in
 * the background (one queue, so two jobs of one key never race for its nonces), and on start resumes the
 * jobs a stop interrupted. Node-only.
 */
import { JsonRpcProvider, Network } from "ethers";
import type { Address } from "viem";
import type { DeploymentManifest } from "../config/manifest";
import type { EpcisEvent } from "../epcis";
import type { IndexSql } from "../indexer/db";
import { createTraceReader, type TraceReader } from "../read/reader";
import { RecordStore } from "../records/store";
import { TraceWriter } from "../write/writer";
import { TraceError } from "../errors/base";
import { captureSigner, type CaptureIdentity, type CaptureKeySource } from "./credentials";
import { createJob, loadJob, runningJobs, saveJob, type CaptureErrorBehaviour, type CaptureJob } from "./jobs";
import { prepareJob, sendJob } from "./run";
import { ensureCaptureTables } from "./schema";

export interface CaptureServiceOptions {
  db: IndexSql;
  nodeUrl: string;
  manifest: DeploymentManifest;
  recordsDir: string;
  /** Unlocks the stored keystores of the capture keys. */
  keyPassphrase?: string;
  /** Raw capture keys (local chains only). */
  devKeys?: string[];
  /** How often the writer polls for receipts (ms; the writer's default when absent). */
  pollIntervalMs?: number;
}

export interface CaptureService {
  /** Resolves when the tables exist and interrupted jobs are queued. */
  ready: Promise<void>;
  reader: TraceReader;
  /** Stores a job for `events` and queues it; returns it as stored (running). */
  submit(identity: CaptureIdentity, behaviour: CaptureErrorBehaviour, events: EpcisEvent[]): Promise<CaptureJob>;
  /** Resolves when every queued job has run. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the service: creates its tables and resumes the jobs still running in the database. */
export function createCaptureService(options: CaptureServiceOptions): CaptureService {
  const { db, manifest } = options;
  const provider = new JsonRpcProvider(options.nodeUrl, Network.from(manifest.chainId), {
    staticNetwork: true,
    pollingInterval: options.pollIntervalMs ?? 1000,
  });
  const ledger = {
    address: manifest.ledger.address as Address,
    chainId: manifest.chainId,
    deploymentBlock: BigInt(manifest.ledger.deploymentBlock),
  };
  const reader = createTraceReader({ rpcUrl: options.nodeUrl, ledger });
  const store = new RecordStore(options.recordsDir);
  const keys: CaptureKeySource = {
    db,
    chainId: manifest.chainId,
    passphrase: options.keyPassphrase,
    devKeys: options.devKeys,
  };
  const writers = new Map<string, Promise<TraceWriter>>();
  const writerFor = (account: string) => {
    let w = writers.get(account);
    if (!w) {
      w = captureSigner(keys, account, provider).then((signer) =>
        TraceWriter.create({ ledger: manifest.ledger.address, signer, pollIntervalMs: options.pollIntervalMs }),
      );
      w.catch(() => writers.delete(account));
      writers.set(account, w);
    }
    return w;
  };
  let closed = false;

  const run = async (id: string) => {
    if (closed) return;
    const job = await loadJob(db, id); // as stored: a job resumed after a stop continues from its last save
    if (!job?.running) return;
    let writer: TraceWriter;
    try {
      writer = await writerFor(job.account);
      // A database row that was tampered with must not make another key sign for this token's account.
      if (writer.address.toLowerCase() !== job.account) {
        throw new TraceError(`The key held for ${job.account} is another account's (${writer.address}).`);
      }
      const orgId = await writer.organization();
      if (orgId !== job.orgId) {
        throw new TraceError(`The capture key ${job.account} no longer belongs to organization ${job.orgId}.`);
      }
    } catch (error) {
      return failBeforeSending(job, error);
    }
    const ctx = { db, writer, reader, store, chainId: manifest.chainId, ledger: manifest.ledger.address };
    try {
      await prepareJob(job, ctx);
    } catch (error) {
      // Nothing was sent: the job is refused as a whole (a missing key, a node that cannot pre-flight …).
      if (!job.plan) return failBeforeSending(job, error);
      throw error;
    }
    await sendJob(job, ctx);
  };

  const failBeforeSending = async (job: CaptureJob, error: unknown) => {
    const e = error as { name?: string; shortMessage?: string; message?: string };
    job.outcome.errors = [
      {
        eventIndex: -1,
        eventID: "",
        type: "epcisException:ImplementationException",
        title: e.name ?? "Error",
        detail: e.shortMessage ?? e.message ?? String(error),
      },
    ];
    for (const ev of job.outcome.events) ev.status = "notWritten";
    delete job.plan;
    job.running = false;
    job.success = false;
    job.finishedAt = Date.now();
    await saveJob(db, job);
  };

  let queue: Promise<void> = Promise.resolve();
  const enqueue = (id: string) => {
    // A job that fails on the network stays running in the database and is resumed at the next start.
    queue = queue.then(() => run(id)).catch(() => undefined);
  };

  const ready = (async () => {
    await ensureCaptureTables(db);
    for (const job of await runningJobs(db)) enqueue(job.id);
  })();

  return {
    ready,
    reader,
    async submit(identity, behaviour, events) {
      await ready;
      const job = await createJob(db, { account: identity.account, orgId: identity.orgId, behaviour, events });
      enqueue(job.id);
      return job;
    },
    async idle() {
      await ready;
      let seen: Promise<void> | undefined;
      while (seen !== queue) {
        seen = queue;
        await queue;
      }
    },
    async close() {
      closed = true;
      await queue.catch(() => undefined);
      provider.destroy();
    },
  };
}
