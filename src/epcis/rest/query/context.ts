/** What the query interface's handlers share: the repository, the page tokens and who the caller is. */
import type { IncomingMessage } from "node:http";
import type { IndexSql } from "../../../indexer/db";
import type { RecordStore } from "../../../records/store";
import { syncEvents, type EventFilter, type RepositoryLedger } from "../../repository";
import { EpcisRestError } from "../problem";
import type { PageTokens } from "./pageToken";

/** A caller the capture part's bearer tokens identify. */
export interface Caller {
  org: number;
  account: string;
}

export interface QueryContext {
  db: IndexSql;
  store: RecordStore;
  ledger: RepositoryLedger;
  tokens: PageTokens;
  /** Identifies the caller; when absent, everything (off-chain events too) is open to everyone. */
  authenticate?: (req: IncomingMessage) => Promise<Caller | undefined>;
  /** Whether a subscription may deliver to this URL (default: any http/https URL). */
  allowDest?: (url: URL) => boolean;
  /** The repository is synced at most this often (ms, default 0: before every query). */
  syncEveryMs: number;
  lastSync: number;
}

/** Syncs the repository (before a query reads it). */
export async function freshen(ctx: QueryContext): Promise<void> {
  const now = Date.now();
  if (ctx.syncEveryMs > 0 && now - ctx.lastSync < ctx.syncEveryMs) return;
  await syncEvents(ctx.db, ctx.store, ctx.ledger);
  ctx.lastSync = now;
}

/** The caller (undefined when anonymous or when the interface does not authenticate). */
export async function callerOf(ctx: QueryContext, req: IncomingMessage): Promise<Caller | undefined> {
  return ctx.authenticate ? await ctx.authenticate(req) : undefined;
}

/** The caller, required when the interface authenticates (401 SecurityException otherwise). */
export async function requireCaller(ctx: QueryContext, req: IncomingMessage): Promise<Caller | undefined> {
  if (!ctx.authenticate) return undefined;
  const caller = await ctx.authenticate(req);
  if (!caller) {
    throw new EpcisRestError(
      "SecurityException",
      "Send Authorization: Bearer <token> (a capture token of your organization).",
    );
  }
  return caller;
}

/**
 * What of the off-chain-only events a caller may see: with authentication, only its own organization's
 * (anonymous callers none); without, all. Anchored events are public to every reader of the chain.
 */
export function visibility(ctx: QueryContext, caller: Caller | undefined): Pick<EventFilter, "offChainOrg"> {
  if (!ctx.authenticate) return {};
  return { offChainOrg: caller ? caller.org : null };
}
