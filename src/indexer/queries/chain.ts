/** Transactions, blocks, raw logs (eth_getLogs-style) and the index's own status. */
import { numberToHex, type Address, type Hex, type PublicClient, type RpcLog } from "viem";
import type { TraceEntry } from "../../read/types";
import type { IndexSql } from "../db";
import { readCursor, type IndexCursor } from "../cursor";
import { IndexBehindError, IndexQueryError } from "../errors";
import { big, int } from "../rows";
import { keyOf, pageOf, type Page, type PageOptions } from "./page";
import { ENTRY_COLUMNS, ENTRY_FROM, toEntry } from "./mappers";

/** A transaction that wrote ledger entries. */
export interface IndexedTransaction {
  hash: Hex;
  blockNumber: bigint;
  index: number;
  /** Who sent it: for a relayed batch the relayer, while each entry's `account` is its signer. */
  from: Address;
  to: Address | null;
  selector: Hex | null;
  relayed: boolean;
  /** Its entries, in log order (a transaction holds at most a few hundred). */
  entries: TraceEntry[];
}

/** A transaction by hash, with its entries; undefined when it wrote no ledger log the index holds. */
export async function transactionByHash(db: IndexSql, hash: Hex): Promise<IndexedTransaction | undefined> {
  const [tx] = await db.query("SELECT * FROM transactions WHERE hash = $1", [hash.toLowerCase()]);
  if (!tx) return undefined;
  const rows = await db.query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.tx_hash = $1 ORDER BY e.log_index`, [
    hash.toLowerCase(),
  ]);
  return {
    hash: tx.hash as Hex,
    blockNumber: big(tx.block),
    index: int(tx.index),
    from: tx.from as Address,
    to: (tx.to as Address | null) ?? null,
    selector: (tx.selector as Hex | null) ?? null,
    relayed: Boolean(tx.relayed),
    entries: rows.map(toEntry),
  };
}

/** A block that holds ledger logs, with its entries. */
export interface IndexedBlock {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: number;
  entries: TraceEntry[];
}

/**
 * A block by number with its entries; undefined when the block holds no ledger log or is above the cursor
 * (the index keeps headers only of blocks with ledger logs).
 */
export async function blockByNumber(db: IndexSql, number: bigint): Promise<IndexedBlock | undefined> {
  const [b] = await db.query("SELECT * FROM blocks WHERE number = $1", [number.toString()]);
  if (!b) return undefined;
  const rows = await db.query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.block = $1 ORDER BY e.log_index`, [
    number.toString(),
  ]);
  return {
    number: big(b.number),
    hash: b.hash as Hex,
    parentHash: b.parent_hash as Hex,
    timestamp: int(b.timestamp),
    entries: rows.map(toEntry),
  };
}

/** A block tag or number, as eth_getLogs takes it. */
export type BlockRef = bigint | Hex | "latest" | "earliest" | "safe" | "finalized";

/** An eth_getLogs filter (address, block range, topics with OR-lists and null wildcards). */
export interface LogFilter {
  address?: Address | Address[];
  fromBlock?: BlockRef;
  toBlock?: BlockRef;
  /** Position i matches topic i: null matches anything, a list matches any of its values. */
  topics?: Array<Hex | Hex[] | null>;
  /** One block by hash (then no fromBlock / toBlock). */
  blockHash?: Hex;
}

/** Most logs one page holds. */
export const MAX_LOGS_PAGE = 10_000;

/**
 * Answers an eth_getLogs filter from the index, in the node's order (block, log index), as `RpcLog`
 * objects. "latest" is the cursor: the index never claims to know blocks above it.
 *
 * @throws IndexBehindError when `toBlock` is above the cursor (the answer would miss logs).
 * @throws IndexQueryError for a malformed filter.
 */
export async function logs(db: IndexSql, filter: LogFilter, page: PageOptions = {}): Promise<Page<RpcLog>> {
  const limit = page.limit ?? MAX_LOGS_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LOGS_PAGE) {
    throw new IndexQueryError(`A page holds 1 to ${MAX_LOGS_PAGE} logs, not ${limit}.`);
  }
  const cursor = await readCursor(db);
  const indexedTo = cursor?.block ?? -1n;
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.blockHash !== undefined) {
    if (filter.fromBlock !== undefined || filter.toBlock !== undefined) {
      throw new IndexQueryError("A log filter takes blockHash or fromBlock/toBlock, not both.");
    }
    where.push(`block_hash = ${param(filter.blockHash.toLowerCase())}`);
  } else {
    const from = blockOf(filter.fromBlock ?? "latest", cursor);
    const to = blockOf(filter.toBlock ?? "latest", cursor);
    if (to > indexedTo) throw new IndexBehindError(to, indexedTo);
    where.push(`block >= ${param(from.toString())}`, `block <= ${param(to.toString())}`);
  }
  if (filter.address !== undefined) {
    const list = (Array.isArray(filter.address) ? filter.address : [filter.address]).map((a) => a.toLowerCase());
    where.push(`address = ANY(${param(list)}::text[])`);
  }
  const topics = filter.topics ?? [];
  if (topics.length > 4) throw new IndexQueryError("A log filter has at most 4 topic positions.");
  topics.forEach((t, i) => {
    if (t === null) return;
    const list = (Array.isArray(t) ? t : [t]).map((x) => x.toLowerCase());
    // An empty OR-list matches anything, as nodes treat it.
    if (list.length > 0) where.push(`topic${i} = ANY(${param(list)}::text[])`);
  });
  const [block, logIndex] = keyOf(page.after, 2) ?? ["-1", "-1"];
  where.push(`(block, log_index) > (${param(block)}, ${param(logIndex)})`);
  const rows = await db.query(
    `SELECT * FROM logs WHERE ${where.join(" AND ")} ORDER BY block, log_index LIMIT ${param(limit + 1)}`,
    params,
  );
  return pageOf(
    rows,
    limit,
    (r): RpcLog => ({
      address: r.address as Address,
      blockHash: r.block_hash as Hex,
      blockNumber: numberToHex(big(r.block)),
      data: r.data as Hex,
      logIndex: numberToHex(int(r.log_index)),
      removed: false,
      topics: [r.topic0, r.topic1, r.topic2, r.topic3].filter(
        (t): t is Hex => typeof t === "string",
      ) as RpcLog["topics"],
      transactionHash: r.tx_hash as Hex,
      transactionIndex: numberToHex(int(r.tx_index)),
    }),
    (r) => [String(r.block), String(r.log_index)],
  );
}

function blockOf(ref: BlockRef, cursor: IndexCursor | undefined): bigint {
  if (typeof ref === "bigint") return ref;
  if (ref === "earliest") return 0n;
  if (ref === "latest" || ref === "safe" || ref === "finalized") return cursor?.block ?? -1n;
  if (/^0x[0-9a-fA-F]+$/.test(ref)) return BigInt(ref);
  throw new IndexQueryError(`${JSON.stringify(ref)} is not a block number or tag.`);
}

/** Where the index stands. */
export interface IndexStatus {
  /** Undefined before the follower first ran. */
  cursor?: IndexCursor;
  /** The chain's head, when a client was given. */
  head?: bigint;
  /** Blocks between the head and the cursor. */
  lag?: bigint;
}

/** The cursor and, with a client, how far behind the head it is. */
export async function status(db: IndexSql, client?: PublicClient): Promise<IndexStatus> {
  const cursor = await readCursor(db);
  if (!client) return { cursor };
  const head = await client.getBlockNumber({ cacheTime: 0 });
  return { cursor, head, lag: cursor ? head - cursor.block : head };
}
