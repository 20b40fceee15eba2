/**
 * Pipelined writes from one key: the chunks of a batch go out with up to `window` transactions in flight
 * at once, nonces taken locally in chunk order, so one key fills several transactions per block instead of
 * one. Each chunk is ABI-encoded once; its gas limit comes from the gas model where the ledger's cost is
 * known (`gasModel.ts`), else from the node's estimate.
 *
 * Before a chunk takes a nonce it is run as an `eth_call` with the execution gas its transaction will have
 * (its gas limit; less the intrinsic gas on a node whose `eth_call` does not charge it, `callGas.ts`): a
 * refused chunk in a pipeline would cost the chunks sent after it (they land around a hole, or wait behind
 * an unused nonce), so a refusal is decoded while nothing of that chunk is signed, and a modelled limit that is too small for the
 * state at hand is replaced by an estimate. The call runs on the latest block, which does not hold the
 * chunks still in flight; a refusal seen while some are in flight is therefore checked again once they are
 * confirmed, and only a refusal on a state holding every earlier chunk stops the write.
 *
 * Exactly-once: each transaction is signed once and the same bytes are broadcast again after a timeout, a
 * lost answer, a reorganization or a node restart (`TransactionSender.confirm`). When the node refuses a
 * broadcast outright, that nonce is unused and every later transaction of the key would wait behind it: a
 * fee refusal is re-signed at the same nonce with today's fees (one of the two can be included, never
 * both), any other refusal has its nonce filled with an empty transfer, so the later chunks land. After the
 * first failure no new chunk is sent, the chunks in flight are waited for, and the caller learns which
 * chunks landed (`PartialWriteError`), or gets the refusal itself when nothing landed.
 */
import type { TransactionRequest } from "ethers";
import { FeeTooLowError, TraceError, TransactionError } from "../errors/base";
import { ContractRefusalError } from "../errors/contract";
import { reindex } from "./batching";
import { nonceLeftUnused } from "./refusals";
import type { SentTransaction, SignedTransaction, TransactionSender } from "./sender";

/**
 * Transactions of one key in flight at once by default. `npm run bench:sdk` on anvil with 30 M gas, 2 s
 * blocks and 500-event chunks of about 5 M gas: 1 gives one transaction per block; 8 keeps the next
 * block's worth (6) queued while a block is built, which fills the blocks.
 */
export const DEFAULT_WINDOW = 8;

/**
 * Most calldata bytes of one transaction by default. geth's pool refuses a transaction over 128 KiB (four
 * 32 KiB slots, signature and envelope included) and the EthereumJS client's one whose data is over 128 KiB
 * ("Tx is too large"); 120 KiB leaves room for the envelope. Seen on the consortium network: a chunk of
 * 495 registrations, 142,628 bytes of calldata, refused with -32602 "Tx is too large".
 */
export const DEFAULT_MAX_TX_BYTES = 120 * 1024;

export interface PipelineOptions<T> {
  /** Most items in one chunk (the ledger's `MAX_BATCH`). */
  maxItems: number;
  /** Most gas one transaction may have. */
  gasBudget: bigint;
  /** A first guess of gas per item, to size the first chunk when there is no model. */
  gasPerItemGuess: bigint;
  /** The block gas limit: modelled chunks are sized so that a whole number of them fills a block. */
  blockGasLimit?: bigint;
  /** The call of a chunk (encoded once, here). */
  build: (chunk: T[]) => TransactionRequest | Promise<TransactionRequest>;
  /** The modelled gas limit of a chunk with its calldata; without it the node estimates each chunk. */
  gasLimit?: (chunk: T[], data: string) => bigint;
  /** Transactions in flight at most (default `DEFAULT_WINDOW`; 1 sends one after the other). */
  window?: number;
  /** Most calldata bytes of one transaction (default `DEFAULT_MAX_TX_BYTES`): larger chunks are split. */
  maxTxBytes?: number;
  /** How a chunk offset shifts an item index in errors (default: added as is). */
  indexShift?: (offset: number) => number;
}

/** One chunk of a pipelined write. */
export interface ChunkOutcome {
  /** Position of the chunk among the chunks of the write. */
  chunk: number;
  /** Index of its first item in the whole batch. */
  offset: number;
  items: number;
  /** Its confirmed transaction, when it landed. */
  transaction?: SentTransaction;
}

/**
 * Part of a write is on chain, part is not: `landed` lists the chunks confirmed (in order), `notLanded`
 * the chunks refused, unconfirmed or never sent, `failedChunk` the first that failed and `cause` why.
 */
export class PartialWriteError extends TraceError {
  override name = "PartialWriteError" as const;
  constructor(
    readonly failedChunk: ChunkOutcome,
    readonly landed: ChunkOutcome[],
    readonly notLanded: ChunkOutcome[],
    cause: unknown,
  ) {
    const items = (c: ChunkOutcome) => `${c.offset}–${c.offset + c.items - 1}`;
    const list = (cs: ChunkOutcome[]) => cs.map((c) => `${c.chunk} (items ${items(c)})`).join(", ") || "none";
    const reason = (cause as { shortMessage?: string })?.shortMessage ?? String((cause as Error)?.message ?? cause);
    super(
      `Chunk ${failedChunk.chunk} (items ${items(failedChunk)}) failed: ${reason} ` +
        `Landed: ${list(landed)}. Not landed: ${list(notLanded)}.`,
      {
        hints: [
          "Fix what the failed chunk's error names, then run the same write again: the resume helpers",
          "(`unregistered`, `unrecorded`, `unfiled`) drop what already landed.",
        ],
        cause,
      },
    );
  }
}

type Outcome = { ok: true; tx: SentTransaction } | { ok: false; error: unknown; nonceOpen: boolean };

interface Flight {
  outcome: ChunkOutcome;
  result: Promise<Outcome>;
}

/** Runs `build` over chunks of `items`, with up to `window` transactions in flight; results in chunk order. */
export async function sendPipelined<T>(
  sender: TransactionSender,
  items: T[],
  opts: PipelineOptions<T>,
): Promise<SentTransaction[]> {
  const window = Math.max(1, Math.floor(opts.window ?? DEFAULT_WINDOW));
  const shift = opts.indexShift ?? ((o: number) => o);
  const maxBytes = opts.maxTxBytes ?? DEFAULT_MAX_TX_BYTES;
  const chunks: ChunkOutcome[] = [];
  const flights: Flight[] = [];
  let failure: { outcome: ChunkOutcome; error: unknown } | undefined;
  let nonceOpen = false;
  const lossesBefore = sender.losses;

  const guess = Number(opts.gasBudget / (opts.gasPerItemGuess > 0n ? opts.gasPerItemGuess : 1n));
  let size = Math.max(1, Math.min(opts.maxItems, opts.gasLimit ? opts.maxItems : guess, items.length));
  /** The gas limit a modelled chunk aims at: a whole number of chunks per block, within the budget. */
  let target: bigint | undefined;

  const land = async () => {
    const flight = flights.shift()!;
    const result = await flight.result;
    if (result.ok) flight.outcome.transaction = result.tx;
    else {
      nonceOpen ||= result.nonceOpen;
      failure ??= { outcome: flight.outcome, error: reindex(result.error, shift(flight.outcome.offset)) };
    }
  };
  const drain = async () => {
    while (flights.length > 0) await land();
  };

  let offset = 0;
  while (offset < items.length && !failure) {
    while (flights.length >= window) await land();
    if (failure) break;
    const chunk = items.slice(offset, offset + size);
    const tx = await opts.build(chunk);
    const data = String(tx.data ?? "0x");
    const bytes = (data.length - 2) / 2;
    if (bytes > maxBytes && chunk.length > 1) {
      // Nodes refuse transactions this large before any gas is counted: fewer items per chunk.
      size = Math.max(1, Math.min(chunk.length - 1, Math.floor((chunk.length * maxBytes) / bytes)));
      continue;
    }
    let gasLimit: bigint;
    try {
      let planned = await plan(chunk, tx, data);
      if (planned.kind === "refused" && flights.length > 0) {
        // The latest block lacks the chunks in flight; judge again on a state that holds them.
        await drain();
        if (failure) break;
        planned = await plan(chunk, tx, data);
      }
      if (planned.kind === "refused" && (await sender.confirmHeld()) > 0) {
        // The node had lost transactions confirmed before (it came back from an older state): judge again
        // once they are back on chain, as this chunk was written to follow them.
        planned = await plan(chunk, tx, data);
      }
      if (planned.kind === "refused") throw planned.error;
      if (planned.kind === "shrink") {
        size = planned.size;
        continue;
      }
      gasLimit = planned.gasLimit;
    } catch (error) {
      failure = { outcome: outcomeOf(chunks.length, offset, chunk.length), error: reindex(error, shift(offset)) };
      break;
    }
    const outcome = outcomeOf(chunks.length, offset, chunk.length);
    let signed: SignedTransaction;
    try {
      signed = await sender.sign(tx, gasLimit);
    } catch (error) {
      failure = { outcome, error };
      break;
    }
    chunks.push(outcome);
    flights.push({ outcome, result: track(sender, signed, gasLimit) });
    offset += chunk.length;
  }
  await drain();
  if (nonceOpen) sender.nonces.resync();

  if (!failure) {
    // A node that came back from an older state after some receipts were seen no longer holds those
    // chunks: the same bytes are confirmed again, so each lands exactly once and its receipt is current.
    return sender.reconfirm(
      chunks.map((c) => c.transaction!),
      lossesBefore,
    );
  }
  const landed = chunks.filter((c) => c.transaction !== undefined);
  if (landed.length === 0) throw failure.error;
  const failed = failure.outcome;
  const notLanded = chunks.filter((c) => c.transaction === undefined);
  if (!chunks.includes(failed)) {
    // Refused before it was signed: it and everything after it were never sent.
    notLanded.push(failed);
    const rest = failed.offset + failed.items;
    if (rest < items.length) notLanded.push(outcomeOf(failed.chunk + 1, rest, items.length - rest));
  } else if (offset < items.length) {
    notLanded.push(outcomeOf(chunks.length, offset, items.length - offset));
  }
  throw new PartialWriteError(failed, landed, notLanded, failure.error);

  /** The gas limit of a chunk, a smaller chunk size to try, or the refusal the pre-flight decoded. */
  async function plan(
    chunk: T[],
    tx: TransactionRequest,
    data: string,
  ): Promise<
    { kind: "send"; gasLimit: bigint } | { kind: "shrink"; size: number } | { kind: "refused"; error: unknown }
  > {
    try {
      if (opts.gasLimit) {
        const modelled = opts.gasLimit(chunk, data);
        // Aimed from a full chunk; a write smaller than one chunk only has to fit the budget.
        if (chunk.length === opts.maxItems) target ??= packingTarget(opts.gasBudget, opts.blockGasLimit, modelled);
        const aim = target ?? opts.gasBudget;
        if (modelled > aim && chunk.length > 1) {
          return { kind: "shrink", size: Math.max(1, Math.floor((chunk.length * Number(aim)) / Number(modelled))) };
        }
        if ((await sender.preflight(tx, modelled)) === "ok") return { kind: "send", gasLimit: modelled };
      }
      const estimate = await sender.estimate(tx);
      if (estimate > opts.gasBudget && chunk.length > 1) {
        return { kind: "shrink", size: Math.max(1, Math.floor(chunk.length / 2)) };
      }
      return { kind: "send", gasLimit: sender.gasLimitFor(estimate) };
    } catch (error) {
      return { kind: "refused", error };
    }
  }
}

/** Confirms one signed chunk; a broadcast the node refused has its nonce re-signed or filled. */
async function track(sender: TransactionSender, signed: SignedTransaction, gasLimit: bigint): Promise<Outcome> {
  try {
    return { ok: true, tx: await sender.confirm(signed, { resync: false }) };
  } catch (error) {
    if (!nonceLeftUnused(error)) return { ok: false, error, nonceOpen: !isExecuted(error) };
    if (error instanceof FeeTooLowError) {
      // Same nonce, today's fees: the refused version was never taken, so at most one of them lands.
      try {
        const again = await sender.sign(signed.request, gasLimit, signed.nonce);
        return { ok: true, tx: await sender.confirm(again, { resync: false }) };
      } catch {
        // Fill the nonce below.
      }
    }
    try {
      await sender.fillNonce(signed.nonce);
      return { ok: false, error, nonceOpen: false };
    } catch {
      return { ok: false, error, nonceOpen: true };
    }
  }
}

/** Whether a failure came from a receipt (the transaction was included and used its nonce). */
function isExecuted(error: unknown): boolean {
  return (
    error instanceof ContractRefusalError ||
    (error instanceof TransactionError && /failed on chain/.test(error.shortMessage))
  );
}

/**
 * The gas limit to aim a chunk at: the budget, lowered so that a whole number of chunks fills a block (the
 * block builder fits transactions by their gas limit: two chunks of 15.1 M leave a 30 M block half empty).
 */
export function packingTarget(budget: bigint, blockGasLimit: bigint | undefined, fullChunk: bigint): bigint {
  const cap = fullChunk < budget ? fullChunk : budget;
  if (!blockGasLimit || cap <= 0n) return budget;
  const perBlock = (blockGasLimit + cap - 1n) / cap;
  const target = blockGasLimit / perBlock;
  return target < budget ? target : budget;
}

function outcomeOf(chunk: number, offset: number, items: number): ChunkOutcome {
  return { chunk, offset, items };
}
