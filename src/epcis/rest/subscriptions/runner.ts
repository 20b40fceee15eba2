/**
 * The subscription scheduler: every `intervalMs` it syncs the repository and runs each subscription that
 * is due (`deliver.ts`). One tick at a time; `close()` stops it and waits for the tick in flight. The state
 * is in the database, so a restarted server goes on from each subscription's cursor. Node-only.
 */
import { syncEvents } from "../../repository";
import { visibility, type QueryContext } from "../query/context";
import { definitionParams, parseQueryParams } from "../query/params";
import { getNamedQuery } from "../query/namedQueries";
import { runSubscription, type DeliveryOptions } from "./deliver";
import { deleteSubscriptions, ensureSubscriptions, listSubscriptions } from "./store";

export interface SubscriptionRunnerOptions extends DeliveryOptions {
  /** How often subscriptions are looked at (ms, default 1,000). */
  intervalMs?: number;
  /** Called with a tick's failure (default: ignored; the next tick tries again). */
  onError?: (error: unknown) => void;
}

export interface SubscriptionRunner {
  /** Runs one tick now (tests); resolves when it is done. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the scheduler. */
export function startSubscriptionRunner(
  ctx: QueryContext,
  options: SubscriptionRunnerOptions = {},
): SubscriptionRunner {
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const once = async () => {
    await ensureSubscriptions(ctx.db);
    const subs = await listSubscriptions(ctx.db);
    if (subs.length === 0) return;
    await syncEvents(ctx.db, ctx.store, ctx.ledger);
    for (const sub of subs) {
      if (closed) return;
      const named = await getNamedQuery(ctx.db, sub.queryName);
      if (!named) {
        await deleteSubscriptions(ctx.db, sub.queryName);
        continue;
      }
      const parsed = parseQueryParams(definitionParams(named.query));
      const owner = sub.owner === null ? undefined : { org: sub.owner, account: "" };
      const filter = { ...parsed.filter, ...visibility(ctx, owner) };
      await runSubscription(ctx.db, sub, filter, Date.now(), options);
    }
  };
  const tick = () => {
    running = running.then(once).catch((error) => options.onError?.(error));
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 1_000);
  timer.unref();
  return {
    tick,
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
