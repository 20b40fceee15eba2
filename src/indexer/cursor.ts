/**
 * The index's cursor (`sync` table): the chain and ledger it follows and the last block it indexed, with
 * that block's hash, plus the hashes of the last cursor blocks (`checkpoints`), where a reorganization's
 * fork point is looked for.
 */
import type { Address, Hex } from "viem";
import type { IndexSql } from "./db";
import { IndexDatabaseError } from "./errors";
import { big, int } from "./rows";

/** What the index follows. */
export interface IndexTarget {
  chainId: number;
  ledger: Address;
  deploymentBlock: bigint;
  finality: number;
}

/** Where the index stands. */
export interface IndexCursor extends IndexTarget {
  /** Every block up to this one is indexed (deploymentBlock - 1 before the first range). */
  block: bigint;
  /** Its hash; undefined before the first range. */
  hash?: Hex;
}

/** How many cursor hashes are kept for finding a fork point. */
export const CHECKPOINTS_KEPT = 256;

/**
 * Reads the cursor, creating it for `target` in a new index; refuses an index of another chain or ledger.
 *
 * @throws IndexDatabaseError when the database indexes another chain or ledger.
 */
export async function loadCursor(sql: IndexSql, target: IndexTarget): Promise<IndexCursor> {
  const [row] = await sql.query<Record<string, unknown>>("SELECT * FROM sync WHERE id = 1");
  if (!row) {
    const start = target.deploymentBlock - 1n;
    await sql.query(
      `INSERT INTO sync (id, chain_id, ledger, deployment_block, finality, block, hash)
       VALUES (1, $1, $2, $3, $4, $5, NULL) ON CONFLICT (id) DO NOTHING`,
      [
        target.chainId,
        target.ledger.toLowerCase(),
        target.deploymentBlock.toString(),
        target.finality,
        start.toString(),
      ],
    );
    return loadCursor(sql, target);
  }
  const cursor = toCursor(row);
  if (cursor.chainId !== target.chainId || cursor.ledger !== target.ledger.toLowerCase()) {
    throw new IndexDatabaseError(
      `This index follows ledger ${cursor.ledger} on chain ${cursor.chainId}, not ${target.ledger.toLowerCase()} on chain ${target.chainId}.`,
      { hints: ["Use another --data-dir (or database / schema) for each ledger."] },
    );
  }
  if (cursor.finality !== target.finality) {
    await sql.query("UPDATE sync SET finality = $1 WHERE id = 1", [target.finality]);
    cursor.finality = target.finality;
  }
  return cursor;
}

/** The stored cursor, or undefined for an index that has not started. */
export async function readCursor(sql: IndexSql): Promise<IndexCursor | undefined> {
  const [row] = await sql.query<Record<string, unknown>>("SELECT * FROM sync WHERE id = 1");
  return row ? toCursor(row) : undefined;
}

function toCursor(row: Record<string, unknown>): IndexCursor {
  return {
    chainId: int(row.chain_id),
    ledger: row.ledger as Address,
    deploymentBlock: big(row.deployment_block),
    finality: int(row.finality),
    block: big(row.block),
    ...(row.hash ? { hash: row.hash as Hex } : {}),
  };
}

/** Moves the cursor (inside the transaction that wrote or removed the rows up to it). */
export async function moveCursor(sql: IndexSql, block: bigint, hash: Hex | undefined): Promise<void> {
  await sql.query("UPDATE sync SET block = $1, hash = $2, updated_at = now() WHERE id = 1", [
    block.toString(),
    hash ?? null,
  ]);
  if (hash === undefined) return;
  await sql.query(
    "INSERT INTO checkpoints (number, hash) VALUES ($1, $2) ON CONFLICT (number) DO UPDATE SET hash = $2",
    [block.toString(), hash],
  );
  await sql.query(
    `DELETE FROM checkpoints WHERE number < (SELECT min(number) FROM
       (SELECT number FROM checkpoints ORDER BY number DESC LIMIT ${CHECKPOINTS_KEPT}) AS kept)`,
  );
}

/** Known (number, hash) pairs at or below `block`, newest first: cursor checkpoints and indexed blocks. */
export async function knownHashes(sql: IndexSql, block: bigint): Promise<Array<{ number: bigint; hash: Hex }>> {
  const rows = await sql.query<{ number: unknown; hash: Hex }>(
    `SELECT number, hash FROM checkpoints WHERE number <= $1
     UNION SELECT number, hash FROM (SELECT number, hash FROM blocks WHERE number <= $1 ORDER BY number DESC LIMIT ${CHECKPOINTS_KEPT}) b
     ORDER BY number DESC`,
    [block.toString()],
  );
  return rows.map((r) => ({ number: big(r.number), hash: r.hash }));
}
