/**
 * The EPCIS 2.0 query interface on the platform server (`GET /events`, the resource endpoints, named queries
 * and subscriptions; see docs/epcis-query.md). It reads the event repository, synced from the server's index
 * and record store before each query; subscriptions are delivered by a scheduler that runs while the server
 * does. Needs the index (`RouteContext.index`); without it the interface is off. Node-only.
 */
import type { IncomingMessage } from "node:http";
import type { RouteContext, RouteHandler } from "./routes";
import { RecordStore } from "../records/store";
import { pageTokens } from "../epcis/rest/query/pageToken";
import { handleQueryRequest, isQueryRequest } from "../epcis/rest/query/handler";
import type { Caller, QueryContext } from "../epcis/rest/query/context";
import { startSubscriptionRunner, type SubscriptionRunnerOptions } from "../epcis/rest/subscriptions/runner";

export interface QueryOptions {
  /** Serve the interface (default true when options are given and the server has an index). */
  enabled?: boolean;
  /**
   * Identifies a caller (the capture interface's bearer tokens). When given, off-chain-only events are shown
   * to their own organization only, and creating or deleting named queries and subscriptions needs a caller.
   * When absent, the interface is open: every event to everyone (a demo or a private deployment).
   */
  authenticate?: (req: IncomingMessage) => Promise<Caller | undefined>;
  /** Whether a subscription may deliver to a URL (default any http/https URL; restrict it in production). */
  allowDest?: (url: URL) => boolean;
  /** Sync the repository at most this often (ms, default 0: before every query). */
  syncEveryMs?: number;
  /** The subscription scheduler's interval and retry settings; `false` runs no scheduler. */
  subscriptions?: SubscriptionRunnerOptions | false;
  /** The key page tokens are signed with (random per process when absent). */
  pageTokenSecret?: Buffer;
}

/**
 * The query interface's handler, or undefined when it is off: no options (a server that did not ask for
 * it starts no scheduler), `enabled: false`, or no index.
 */
export function createQueryRoutes(context: RouteContext, options?: QueryOptions): RouteHandler | undefined {
  if (!options || options.enabled === false || !context.index) return undefined;
  const ctx: QueryContext = {
    db: context.index,
    store: new RecordStore(context.recordsDir),
    ledger: { chainId: context.manifest.chainId, address: context.manifest.ledger.address },
    tokens: pageTokens(options.pageTokenSecret),
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    ...(options.allowDest ? { allowDest: options.allowDest } : {}),
    syncEveryMs: options.syncEveryMs ?? 0,
    lastSync: 0,
  };
  const runner = options.subscriptions === false ? undefined : startSubscriptionRunner(ctx, options.subscriptions);
  return {
    handle(req, res) {
      if (!isQueryRequest(req)) return false;
      void handleQueryRequest(ctx, req, res);
      return true;
    },
    close: async () => {
      await runner?.close();
    },
  };
}
