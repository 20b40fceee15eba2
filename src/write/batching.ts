/**
 * Splits a batch into chunks that fit one transaction: at most `MAX_BATCH` items and at most the gas
 * budget (a share of the block gas limit, and never above the 16,777,216 per-transaction cap of EIP-7825).
 * Each chunk is estimated just before it is sent, so a chunk that depends on the previous one (e.g. a
 * release after a declaration) is estimated on the state that includes it.
 */
import { BatchItemRejectedError } from "../errors/contract";

/** The per-transaction gas cap of EIP-7825 (Osaka), respected on every chain for safety. */
export const TX_GAS_CAP = 16_777_216n;

/** A first guess of gas per item, to pick the initial chunk size. */
export const GAS_PER_ITEM_GUESS = {
  register: 30_000n,
  record: 14_000n,
  pack: 12_000n,
  relay: 16_000n,
  /** A customs document stores about seven words beside its history entry. */
  document: 190_000n,
} as const;

export interface ChunkPlan<T> {
  items: T[];
  /** Index of the chunk's first item in the whole batch. */
  offset: number;
}

/**
 * Runs `send` over chunks of `items`, halving a chunk whose estimate exceeds `gasBudget`. Errors naming an
 * item of a chunk are re-thrown with the item's index in the whole batch.
 */
export async function sendInChunks<T, R>(
  items: T[],
  opts: {
    maxItems: number;
    gasBudget: bigint;
    gasPerItemGuess: bigint;
    estimate: (chunk: T[]) => Promise<bigint>;
    send: (chunk: T[], estimate: bigint, offset: number) => Promise<R>;
    /** How a chunk offset shifts an item index in errors (default: added as is). */
    indexShift?: (offset: number) => number;
  },
): Promise<R[]> {
  const results: R[] = [];
  const guess = Number(opts.gasBudget / (opts.gasPerItemGuess > 0n ? opts.gasPerItemGuess : 1n));
  let size = Math.max(1, Math.min(opts.maxItems, guess, items.length));
  let offset = 0;
  while (offset < items.length) {
    const chunk = items.slice(offset, offset + size);
    let estimate: bigint;
    try {
      estimate = await opts.estimate(chunk);
    } catch (error) {
      throw reindex(error, (opts.indexShift ?? ((o) => o))(offset));
    }
    if (estimate > opts.gasBudget && chunk.length > 1) {
      size = Math.max(1, Math.floor(chunk.length / 2));
      continue;
    }
    try {
      results.push(await opts.send(chunk, estimate, offset));
    } catch (error) {
      throw reindex(error, (opts.indexShift ?? ((o) => o))(offset));
    }
    offset += chunk.length;
  }
  return results;
}

/** Shifts a batch item index from chunk-relative to batch-relative. */
export function reindex(error: unknown, offset: number): unknown {
  if (error instanceof BatchItemRejectedError && offset > 0) {
    return new BatchItemRejectedError(error.index + offset, error.reason, error.args, error.data);
  }
  return error;
}
