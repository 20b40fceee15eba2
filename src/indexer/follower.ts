/**
 * The follower: reads the ledger's logs from its deployment block on, range by range, and writes each
 * range in ONE database transaction together with the cursor, so a crash never leaves half a range and a
 * restart resumes exactly after the last committed one. It indexes up to `head - finality` only, and before
 * each range it checks that its cursor block is still the chain's: when not, it walks back over the hashes
 * it kept to the fork point and deletes everything above it (every table, one transaction), then goes on.
 *
 * Why our own follower on viem rather than an indexing framework (Ponder 0.16, the last on Node 20): Ponder
 * pulls ~214 packages with its own runtime and HTTP server, assumes a 30-block finality on chains it does not
 * know, and hands log handlers the log, not cheaply the call data — while a unit's GS1 path exists only in
 * the `register` / `registerBatch` input (the `Traced` log has the key alone). The whole follower is this
 * file, `decode.ts` and `write.ts`. Node-only.
 */
import { numberToHex, type Hex, type PublicClient, type RpcBlock, type RpcLog } from "viem";
import { WrongChainError } from "../errors/base";
import type { IndexDb } from "./db";
import { decodeRange, type SourceBlock } from "./decode";
import { knownHashes, loadCursor, moveCursor, type IndexCursor, type IndexTarget } from "./cursor";
import { rollbackAbove, writeBatch } from "./write";
import { IndexSourceError } from "./errors";

/** Default blocks per `eth_getLogs` range. */
export const DEFAULT_INDEX_RANGE = 2_000n;

/** Finality depth when none is configured: 0 on a local development chain, 12 elsewhere. */
export function defaultFinality(chainId: number): number {
  return chainId === 31337 ? 0 : 12;
}

export interface FollowerOptions {
  client: PublicClient;
  db: IndexDb;
  target: IndexTarget;
  /** Blocks per range (default {@link DEFAULT_INDEX_RANGE}). */
  blockRange?: bigint;
  /** Milliseconds between head polls once caught up (default 1,000). */
  pollIntervalMs?: number;
  /** Called after every committed range and rollback. */
  onProgress?: (progress: FollowerProgress) => void;
  /** Called when a step fails while following (`run`); the follower waits one poll interval and goes on. */
  onError?: (error: unknown) => void;
}

/** Where the follower is, after a step. */
export interface FollowerProgress {
  step: StepResult;
  /** The cursor block after the step. */
  cursor: bigint;
  /** The block it is catching up to (head - finality when the step began). */
  target: bigint;
  /** The block it started from in this process. */
  start: bigint;
}

/** What one step did. */
export type StepResult =
  | { kind: "indexed"; from: bigint; to: bigint; logs: number; entries: number; units: number }
  | { kind: "reorg"; from: bigint; forkPoint: bigint; droppedEntries: number }
  | { kind: "idle"; cursor: bigint; head: bigint };

/** Totals of a catch-up. */
export interface CatchUpSummary {
  blocks: bigint;
  logs: number;
  entries: number;
  units: number;
  reorgs: number;
  seconds: number;
  cursor: bigint;
}

export interface Follower {
  /** One step: a reorganization check, then at most one range. */
  step(): Promise<StepResult>;
  /** Steps until the cursor reaches `head - finality` (or `signal` aborts, after the range in hand). */
  catchUp(signal?: AbortSignal): Promise<CatchUpSummary>;
  /** Catches up, then follows the head until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

type RpcTx = { hash: Hex; transactionIndex: Hex; from: Hex; to: Hex | null; input: Hex };

/**
 * Creates a follower for one ledger.
 *
 * @param options - {@link FollowerOptions}.
 * @returns A {@link Follower}; nothing is read before its first call.
 */
export function createFollower(options: FollowerOptions): Follower {
  const { client, db, target } = options;
  const range = options.blockRange ?? DEFAULT_INDEX_RANGE;
  const pollMs = options.pollIntervalMs ?? 1_000;
  let checkedChain = false;
  let start: bigint | undefined;

  const rpc = <T>(method: string, params: unknown[]) => client.request({ method, params } as never) as Promise<T>;
  const hashAt = async (n: bigint): Promise<Hex | undefined> =>
    (await rpc<RpcBlock | null>("eth_getBlockByNumber", [numberToHex(n), false]))?.hash?.toLowerCase() as
      Hex | undefined;

  const ensureChain = async () => {
    if (checkedChain) return;
    const chainId = await client.getChainId();
    if (chainId !== target.chainId) throw new WrongChainError(BigInt(target.chainId), BigInt(chainId));
    checkedChain = true;
  };

  /** The newest block the index and the chain share: the newest kept hash the chain still has. */
  const forkPoint = async (cursor: IndexCursor): Promise<{ number: bigint; hash?: Hex }> => {
    const known = await knownHashes(db, cursor.block);
    for (let at = 0; at < known.length; at += 16) {
      const slice = known.slice(at, at + 16);
      const chain = await Promise.all(slice.map((k) => hashAt(k.number)));
      const i = slice.findIndex((k, j) => chain[j] === k.hash);
      if (i >= 0) return slice[i];
    }
    // Nothing kept survived: index again from the deployment.
    return { number: cursor.deploymentBlock - 1n };
  };

  const step = async (): Promise<StepResult> => {
    await ensureChain();
    let cursor = await loadCursor(db, target);
    if (cursor.deploymentBlock !== target.deploymentBlock) {
      // The same address deployed again at another block (a local chain reset): what is indexed is another
      // ledger's history, so it all goes and indexing starts over from the new deployment.
      await db.transaction(async (tx) => {
        await rollbackAbove(tx, -1n);
        await tx.query("UPDATE sync SET deployment_block = $1 WHERE id = 1", [target.deploymentBlock.toString()]);
        await moveCursor(tx, target.deploymentBlock - 1n, undefined);
      });
      cursor = await loadCursor(db, target);
    }
    start ??= cursor.block;
    if (cursor.hash !== undefined && (await hashAt(cursor.block)) !== cursor.hash) {
      const fork = await forkPoint(cursor);
      const droppedEntries = await db.transaction(async (tx) => {
        const dropped = await rollbackAbove(tx, fork.number);
        await moveCursor(tx, fork.number, fork.hash);
        return dropped;
      });
      return { kind: "reorg", from: cursor.block, forkPoint: fork.number, droppedEntries };
    }
    const head = await client.getBlockNumber({ cacheTime: 0 });
    const last = head - BigInt(cursor.finality);
    if (last <= cursor.block) return { kind: "idle", cursor: cursor.block, head };
    const from = cursor.block + 1n;
    const to = cursor.block + range < last ? cursor.block + range : last;

    const toHash = await hashAt(to);
    const logs = await rpc<RpcLog[]>("eth_getLogs", [
      { address: target.ledger, fromBlock: numberToHex(from), toBlock: numberToHex(to) },
    ]);
    checkLogs(logs, target.ledger, from, to);
    const numbers = [...new Set(logs.map((l) => BigInt(l.blockNumber!)))];
    const blocks = await Promise.all(
      numbers.map((n) => rpc<RpcBlock<"latest", true> | null>("eth_getBlockByNumber", [numberToHex(n), true])),
    );
    // Read again last: if the range's end and the cursor are unchanged, everything read belongs to one chain.
    const [toAgain, cursorAgain] = await Promise.all([hashAt(to), cursor.hash ? hashAt(cursor.block) : undefined]);
    if (!toHash || toAgain !== toHash || cursorAgain !== cursor.hash) {
      throw new IndexSourceError(`The chain changed while blocks ${from}–${to} were read.`, {
        hints: ["Transient during a reorganization: the next step reads the range again."],
      });
    }
    const batch = decodeRange(
      logs,
      blocks.map((b, i) => {
        if (!b) throw new IndexSourceError(`The node has no block ${numbers[i]}, which its logs name.`);
        return sourceBlock(b);
      }),
    );
    await db.transaction(async (tx) => {
      await writeBatch(tx, batch);
      await moveCursor(tx, to, toHash);
    });
    return {
      kind: "indexed",
      from,
      to,
      logs: batch.logs.length,
      entries: batch.entries.length,
      units: batch.units.length,
    };
  };

  const catchUp = async (signal?: AbortSignal): Promise<CatchUpSummary> => {
    const began = Date.now();
    const sum: CatchUpSummary = { blocks: 0n, logs: 0, entries: 0, units: 0, reorgs: 0, seconds: 0, cursor: 0n };
    let goal: bigint | undefined;
    while (!signal?.aborted) {
      const result = await stepWithRetry();
      if (result.kind === "idle") {
        sum.cursor = result.cursor;
        break;
      }
      if (result.kind === "indexed") {
        sum.blocks += result.to - result.from + 1n;
        sum.logs += result.logs;
        sum.entries += result.entries;
        sum.units += result.units;
        sum.cursor = result.to;
      } else {
        sum.reorgs++;
        sum.cursor = result.forkPoint;
      }
      goal ??= await goalBlock();
      if (goal < sum.cursor) goal = sum.cursor;
      options.onProgress?.({ step: result, cursor: sum.cursor, target: goal, start: start ?? 0n });
    }
    sum.seconds = (Date.now() - began) / 1000;
    return sum;
  };

  const goalBlock = async () => (await client.getBlockNumber({ cacheTime: 0 })) - BigInt(target.finality);

  // A range read across a reorganization is simply read again (a few times, then the error stands).
  const stepWithRetry = async (): Promise<StepResult> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        if (!(error instanceof IndexSourceError) || attempt >= 5) throw error;
        await sleep(100 * attempt);
      }
    }
  };

  const run = async (signal: AbortSignal) => {
    while (!signal.aborted) {
      let result: StepResult;
      try {
        result = await stepWithRetry();
      } catch (error) {
        // A node restart or a network hiccup must not end a long-running index.
        options.onError?.(error);
        await sleep(pollMs, signal);
        continue;
      }
      if (result.kind !== "idle") {
        options.onProgress?.({
          step: result,
          cursor: result.kind === "indexed" ? result.to : result.forkPoint,
          target: await goalBlock(),
          start: start ?? 0n,
        });
        continue;
      }
      await sleep(pollMs, signal);
    }
  };

  return { step, catchUp, run };
}

/** Refuses logs the filter cannot have matched: another contract's, outside the range, or pending ones. */
function checkLogs(logs: RpcLog[], ledger: Hex, from: bigint, to: bigint): void {
  for (const log of logs) {
    const block = log.blockNumber === null ? undefined : BigInt(log.blockNumber);
    if (block === undefined || block < from || block > to || log.address.toLowerCase() !== ledger.toLowerCase()) {
      throw new IndexSourceError(
        `The node answered a log query for ${ledger} in blocks ${from}–${to} with a log of ${log.address} in block ${block ?? "(pending)"}.`,
        { hints: ["The node is broken or lying; point the index at another endpoint."] },
      );
    }
  }
}

function sourceBlock(b: RpcBlock<"latest", true>): SourceBlock {
  return {
    number: BigInt(b.number!),
    hash: b.hash!,
    parentHash: b.parentHash,
    timestamp: BigInt(b.timestamp),
    transactions: (b.transactions as unknown as RpcTx[]).map((t) => ({
      hash: t.hash,
      transactionIndex: Number(t.transactionIndex),
      from: t.from,
      to: t.to,
      input: t.input,
    })),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
