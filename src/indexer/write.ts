/**
 * Writing the index: one range's rows ({@link writeBatch}), and the rollback of everything above a fork
 * point ({@link rollbackAbove}). Both run inside the caller's transaction, so the follower commits a range
 * together with its cursor, and a rollback together with the cursor it moves back. Rows go in with one
 * `INSERT … SELECT FROM unnest(…)` per table and chunk: one parameter per column, whatever the row count.
 */
import { encodeEventTopics, type Hex } from "viem";
import { STEPS } from "../codes";
import { traceLedgerAbi } from "../generated/abi";
import type { IndexSql } from "./db";
import { decodeLogInto, type ConsortiumChange, type EntryRow, type IndexBatch, type LogRow } from "./decode";
import { CHAIN_TABLES } from "./schema";
import { hex } from "./rows";
import { rollbackCustomsAbove, writeCustoms } from "./customs";

/** Rows per INSERT statement. */
const CHUNK = 5_000;

type Column = [name: string, type: string];

async function insertRows(tx: IndexSql, table: string, columns: Column[], rows: unknown[][]): Promise<void> {
  for (let at = 0; at < rows.length; at += CHUNK) {
    const chunk = rows.slice(at, at + CHUNK);
    const params = columns.map((_, c) => chunk.map((r) => sqlValue(r[c])));
    const names = columns.map(([n]) => (n === "from" || n === "to" ? `"${n}"` : n)).join(", ");
    const arrays = columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ");
    await tx.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`, params);
  }
}

/** Drivers differ on bigint parameters: both take decimal strings. */
function sqlValue(v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v === undefined ? null : v;
}

/**
 * Writes one decoded range.
 *
 * @param tx - An open transaction.
 * @param batch - The rows of the range ({@link decodeRange}), in chain order.
 */
export async function writeBatch(tx: IndexSql, batch: IndexBatch): Promise<void> {
  await insertRows(
    tx,
    "blocks",
    [
      ["number", "bigint"],
      ["hash", "text"],
      ["parent_hash", "text"],
      ["timestamp", "bigint"],
    ],
    batch.blocks.map((b) => [b.number, b.hash, b.parentHash, b.timestamp]),
  );
  await insertRows(
    tx,
    "transactions",
    [
      ["hash", "text"],
      ["block", "bigint"],
      ["index", "int"],
      ["from", "text"],
      ["to", "text"],
      ["selector", "text"],
      ["relayed", "boolean"],
    ],
    batch.transactions.map((t) => [t.hash, t.block, t.index, t.from, t.to, t.selector, t.relayed]),
  );
  await insertLogs(tx, batch.logs);
  await insertEntries(tx, batch.entries);
  await insertRows(
    tx,
    "units",
    [
      ["key", "text"],
      ["path", "text"],
      ["kind", "text"],
      ["gtin", "text"],
      ["cpv", "text"],
      ["lot", "text"],
      ["serial", "text"],
      ["sscc", "text"],
      ["ginc", "text"],
      ["gln", "text"],
      ["registrant", "bigint"],
      ["registered_block", "bigint"],
      ["registered_log_index", "int"],
      ["seq", "bigint"],
      ["last_block", "bigint"],
    ],
    batch.units.map((u) => [
      u.key,
      u.path,
      u.kind,
      u.gtin,
      u.cpv,
      u.lot,
      u.serial,
      u.sscc,
      u.ginc,
      u.gln,
      u.registrant,
      u.block,
      u.logIndex,
      1,
      u.block,
    ]),
  );
  await advanceUnits(tx, batch.entries);
  await writeStays(tx, batch.entries);
  for (const change of batch.consortium) await applyConsortium(tx, change);
  if (batch.customs) await writeCustoms(tx, batch.customs);
}

async function insertLogs(tx: IndexSql, logs: LogRow[]): Promise<void> {
  await insertRows(
    tx,
    "logs",
    [
      ["block", "bigint"],
      ["log_index", "int"],
      ["tx_hash", "text"],
      ["tx_index", "int"],
      ["block_hash", "text"],
      ["address", "text"],
      ["topic0", "text"],
      ["topic1", "text"],
      ["topic2", "text"],
      ["topic3", "text"],
      ["data", "text"],
    ],
    logs.map((l) => [
      l.block,
      l.logIndex,
      l.txHash,
      l.txIndex,
      l.blockHash,
      l.address,
      l.topics[0],
      l.topics[1],
      l.topics[2],
      l.topics[3],
      l.data,
    ]),
  );
}

async function insertEntries(tx: IndexSql, entries: EntryRow[]): Promise<void> {
  await insertRows(
    tx,
    "entries",
    [
      ["unit", "text"],
      ["seq", "bigint"],
      ["step", "smallint"],
      ["disposition", "smallint"],
      ["event_time", "bigint"],
      ["location", "numeric"],
      ["prev_block", "bigint"],
      ["org", "bigint"],
      ["aux", "bigint"],
      ["account", "text"],
      ["data", "text"],
      ["info", "text"],
      ["block", "bigint"],
      ["log_index", "int"],
      ["tx_hash", "text"],
    ],
    entries.map((e) => [
      e.unit,
      e.seq,
      e.step,
      e.disposition,
      e.eventTime,
      e.location,
      e.prevBlock,
      e.org,
      e.aux,
      e.account,
      e.data,
      hex(e.info),
      e.block,
      e.logIndex,
      e.txHash,
    ]),
  );
}

/** Moves each unit's count and last block to its newest entry of the batch. */
async function advanceUnits(tx: IndexSql, entries: EntryRow[]): Promise<void> {
  const newest = new Map<Hex, EntryRow>();
  for (const e of entries) newest.set(e.unit, e);
  if (newest.size === 0) return;
  const rows = [...newest.values()];
  for (let at = 0; at < rows.length; at += CHUNK) {
    const chunk = rows.slice(at, at + CHUNK);
    await tx.query(
      `UPDATE units u SET seq = v.seq, last_block = v.block
       FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS v(key, seq, block) WHERE u.key = v.key`,
      [chunk.map((e) => e.unit), chunk.map((e) => String(e.seq)), chunk.map((e) => e.block.toString())],
    );
  }
}

/**
 * Stays from the children's own entries: a child-side PACKING (aux 0; the parent side carries the child
 * count) opens a stay in the parent its data names, the next child-side UNPACKING of that parent closes it.
 */
async function writeStays(tx: IndexSql, entries: EntryRow[]): Promise<void> {
  type Stay = { child: Hex; parent: Hex; block: bigint; logIndex: number; outBlock?: bigint; outLogIndex?: number };
  const open = new Map<string, Stay>();
  const opened: Stay[] = [];
  const closedEarlier: Array<{ child: Hex; parent: Hex; block: bigint; logIndex: number }> = [];
  for (const e of entries) {
    if (e.aux !== 0n || (e.step !== STEPS.PACKING && e.step !== STEPS.UNPACKING)) continue;
    const key = `${e.unit}|${e.data}`;
    if (e.step === STEPS.PACKING) {
      const stay: Stay = { child: e.unit, parent: e.data, block: e.block, logIndex: e.logIndex };
      opened.push(stay);
      open.set(key, stay);
    } else {
      const stay = open.get(key);
      if (stay) {
        stay.outBlock = e.block;
        stay.outLogIndex = e.logIndex;
        open.delete(key);
      } else closedEarlier.push({ child: e.unit, parent: e.data, block: e.block, logIndex: e.logIndex });
    }
  }
  // Closes of stays opened in earlier ranges first: a stay of the same pair opened in this range stays open.
  for (let at = 0; at < closedEarlier.length; at += CHUNK) {
    const chunk = closedEarlier.slice(at, at + CHUNK);
    await tx.query(
      `UPDATE stays s SET unpacked_block = v.block, unpacked_log_index = v.log_index
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[]) AS v(child, parent, block, log_index)
       WHERE s.child = v.child AND s.parent = v.parent AND s.unpacked_block IS NULL`,
      [
        chunk.map((c) => c.child),
        chunk.map((c) => c.parent),
        chunk.map((c) => c.block.toString()),
        chunk.map((c) => c.logIndex),
      ],
    );
  }
  await insertRows(
    tx,
    "stays",
    [
      ["child", "text"],
      ["parent", "text"],
      ["packed_block", "bigint"],
      ["packed_log_index", "int"],
      ["unpacked_block", "bigint"],
      ["unpacked_log_index", "int"],
    ],
    opened.map((s) => [s.child, s.parent, s.block, s.logIndex, s.outBlock, s.outLogIndex]),
  );
}

/** Applies one consortium log to the organizations, accounts and prefixes tables. */
async function applyConsortium(tx: IndexSql, c: ConsortiumChange): Promise<void> {
  const at = [c.block.toString(), c.logIndex];
  switch (c.event) {
    case "OrganizationAdded":
      await tx.query(
        `INSERT INTO organizations (id, name, credit_code, gln, country, roles, suspended, added_block, added_log_index)
         VALUES ($1, $2, $3, $4, $5, $6, false, $7, $8)`,
        [c.orgId, c.name, c.creditCode, c.gln ?? null, c.country, c.roles, ...at],
      );
      return;
    case "OrganizationRolesChanged":
      await tx.query("UPDATE organizations SET roles = $2 WHERE id = $1", [c.orgId, c.roles]);
      return;
    case "OrganizationSuspended":
    case "OrganizationReactivated":
      await tx.query("UPDATE organizations SET suspended = $2 WHERE id = $1", [
        c.orgId,
        c.event === "OrganizationSuspended",
      ]);
      return;
    case "AccountAdded":
      await tx.query(
        `INSERT INTO accounts (address, org, active, org_admin, added_by, added_block, added_log_index)
         VALUES ($1, $2, true, $3, $4, $5, $6)`,
        [c.account, c.orgId, c.orgAdmin, c.by, ...at],
      );
      return;
    case "AccountSuspended":
    case "AccountReactivated":
      await tx.query("UPDATE accounts SET active = $2 WHERE address = $1", [
        c.account,
        c.event === "AccountReactivated",
      ]);
      return;
    case "AccountRotated":
      // The new key inherits the old one's organization-admin flag (ConsortiumAdmin.rotateAccount).
      await tx.query(
        `INSERT INTO accounts (address, org, active, org_admin, added_by, rotated_from, added_block, added_log_index)
         SELECT $2, $3, true, COALESCE((SELECT org_admin FROM accounts WHERE address = $1), false), $4, $1, $5, $6`,
        [c.from, c.to, c.orgId, c.by, ...at],
      );
      await tx.query("UPDATE accounts SET active = false, rotated_to = $2 WHERE address = $1", [c.from, c.to]);
      return;
    case "PrefixLicensed":
      await tx.query(
        `INSERT INTO prefixes (prefix_hash, licence, prefix, holder, licensed_block, licensed_log_index)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.prefixHash, c.licence.toString(), c.prefix, c.orgId, ...at],
      );
      return;
    case "PrefixRevoked":
      await tx.query(
        "UPDATE prefixes SET revoked_block = $3, revoked_log_index = $4 WHERE prefix_hash = $1 AND licence = $2",
        [c.prefixHash, c.licence.toString(), ...at],
      );
      return;
    case "ManufacturerAuthorized":
      await tx.query(
        `INSERT INTO prefix_authorizations (prefix_hash, licence, holder, manufacturer, authorized, block, log_index)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [c.prefixHash, c.licence.toString(), c.holder, c.manufacturer, c.authorized, ...at],
      );
      return;
  }
}

const TRACED_TOPIC = encodeEventTopics({ abi: traceLedgerAbi, eventName: "Traced" })[0].toLowerCase();

/**
 * Deletes every row above block `fork` and rebuilds the rows that later logs had changed: units' counts
 * from their remaining entries, stays closed above the fork reopened, and the consortium tables replayed
 * from the remaining consortium logs (a few hundred rows, so a replay is simpler than undo records).
 *
 * @param tx - An open transaction (the caller moves the cursor in the same one).
 * @param fork - The last block both chains share.
 * @returns How many entries were dropped.
 */
export async function rollbackAbove(tx: IndexSql, fork: bigint): Promise<number> {
  const f = fork.toString();
  const touched = await tx.query<{ unit: string }>("SELECT DISTINCT unit FROM entries WHERE block > $1", [f]);
  const [{ count }] = await tx.query<{ count: string | number }>(
    "SELECT count(*) AS count FROM entries WHERE block > $1",
    [f],
  );
  await tx.query("DELETE FROM entries WHERE block > $1", [f]);
  await tx.query("DELETE FROM units WHERE registered_block > $1", [f]);
  await tx.query(
    `UPDATE units u SET seq = e.seq, last_block = e.block
     FROM (SELECT DISTINCT ON (unit) unit, seq, block FROM entries WHERE unit = ANY($1::text[]) ORDER BY unit, seq DESC) e
     WHERE u.key = e.unit`,
    [touched.map((t) => t.unit)],
  );
  await tx.query("DELETE FROM stays WHERE packed_block > $1", [f]);
  await tx.query("UPDATE stays SET unpacked_block = NULL, unpacked_log_index = NULL WHERE unpacked_block > $1", [f]);
  for (const table of ["logs", "transactions", "blocks", "checkpoints"] as const) {
    const column = table === "logs" || table === "transactions" ? "block" : "number";
    await tx.query(`DELETE FROM ${table} WHERE ${column} > $1`, [f]);
  }
  await replayConsortium(tx);
  await rollbackCustomsAbove(tx, fork);
  return Number(count);
}

/** Rebuilds organizations, accounts and prefixes from the consortium logs in the logs table. */
async function replayConsortium(tx: IndexSql): Promise<void> {
  for (const table of CHAIN_TABLES.slice(0, 4)) await tx.query(`DELETE FROM ${table}`);
  const rows = await tx.query<Record<string, unknown>>(
    "SELECT * FROM logs WHERE topic0 IS DISTINCT FROM $1 ORDER BY block, log_index",
    [TRACED_TOPIC],
  );
  const batch: IndexBatch = { blocks: [], transactions: [], logs: [], entries: [], units: [], consortium: [] };
  for (const r of rows) {
    const log: LogRow = {
      block: BigInt(String(r.block)),
      logIndex: Number(r.log_index),
      txHash: r.tx_hash as Hex,
      txIndex: Number(r.tx_index),
      blockHash: r.block_hash as Hex,
      address: r.address as Hex,
      topics: [r.topic0, r.topic1, r.topic2, r.topic3].filter((t): t is Hex => typeof t === "string"),
      data: r.data as Hex,
    };
    decodeLogInto(log, batch);
  }
  for (const change of batch.consortium) await applyConsortium(tx, change);
}
