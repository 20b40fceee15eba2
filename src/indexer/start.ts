/**
 * Running the index in a process: open the database, create the tables, catch up, then follow the head
 * until stopped. `trace index` and `npm start` both use {@link startIndexer}. Node-only.
 */
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { openIndexDb, type IndexDb } from "./db";
import { ensureSchema } from "./schema";
import { createFollower, defaultFinality, type CatchUpSummary, type FollowerProgress } from "./follower";

export interface StartIndexerOptions {
  /** JSON-RPC URL of the node (ignored when `client` is given). */
  rpcUrl?: string;
  client?: PublicClient;
  ledger: { address: Address; chainId: number; deploymentBlock: bigint };
  /** `postgres://…` for a PostgreSQL server; else PGlite in `dataDir` (in memory when absent). */
  databaseUrl?: string;
  dataDir?: string;
  schema?: string;
  /** Blocks behind the head the index stays (default: 0 on chain 31337, else 12). */
  finality?: number;
  blockRange?: bigint;
  pollIntervalMs?: number;
  /** Catch up, then stop (no following). */
  once?: boolean;
  onProgress?: (progress: FollowerProgress) => void;
  onError?: (error: unknown) => void;
}

export interface RunningIndexer {
  db: IndexDb;
  /** Resolves with the catch-up's totals once the index has reached `head - finality`. */
  ready: Promise<CatchUpSummary>;
  /** Resolves when the follower has stopped (after `stop()`, or after the catch-up with `once`). */
  done: Promise<void>;
  /** Stops following (the range being written commits or rolls back whole) and closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts the index: catches up from the cursor (or the deployment block), then follows the head.
 *
 * @param options - {@link StartIndexerOptions}.
 * @returns A {@link RunningIndexer}; `ready` rejects if the catch-up fails (e.g. the node is unreachable).
 */
export async function startIndexer(options: StartIndexerOptions): Promise<RunningIndexer> {
  const client =
    options.client ??
    (createPublicClient({
      transport: http(options.rpcUrl, { batch: { batchSize: 100 }, retryCount: 3 }),
    }) as PublicClient);
  const db = await openIndexDb({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, schema: options.schema });
  try {
    await ensureSchema(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const follower = createFollower({
    client,
    db,
    target: {
      chainId: options.ledger.chainId,
      ledger: options.ledger.address,
      deploymentBlock: options.ledger.deploymentBlock,
      finality: options.finality ?? defaultFinality(options.ledger.chainId),
    },
    blockRange: options.blockRange,
    pollIntervalMs: options.pollIntervalMs,
    onProgress: options.onProgress,
    onError: options.onError,
  });
  const abort = new AbortController();
  const ready = follower.catchUp(abort.signal);
  const done = (async () => {
    await ready;
    if (!options.once) await follower.run(abort.signal);
  })();
  // `ready` carries a catch-up failure to the caller; `done` must not also raise it as unhandled.
  done.catch(() => undefined);
  let closed: Promise<void> | undefined;
  return {
    db,
    ready,
    done,
    stop() {
      closed ??= (async () => {
        abort.abort();
        await done.catch(() => undefined);
        await db.close();
      })();
      return closed;
    },
  };
}
