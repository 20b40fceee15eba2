/**
 * The capture interface's tables in the index database (created when missing, beside the index's own):
 * bearer tokens (SHA-256 hashes only), the members' delegated capture keys (encrypted JSON keystores) and
 * the capture jobs, which survive a server restart. One definition of each.
 */
import type { IndexSql } from "../indexer/db";
import { ensureOffChainEvents } from "../epcis/rest/offchain";

const DDL = [
  `CREATE TABLE IF NOT EXISTS epcis_capture_tokens (
    id text PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    account text NOT NULL,
    org bigint NOT NULL,
    label text NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint
  )`,
  `CREATE TABLE IF NOT EXISTS epcis_capture_keys (
    account text PRIMARY KEY,
    org bigint NOT NULL,
    keystore text NOT NULL,
    created_at bigint NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS epcis_capture_jobs (
    id text PRIMARY KEY,
    n bigserial,
    account text NOT NULL,
    org bigint NOT NULL,
    behaviour text NOT NULL,
    created_at bigint NOT NULL,
    finished_at bigint,
    running boolean NOT NULL,
    success boolean NOT NULL,
    events text NOT NULL,
    plan text,
    outcome text NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS epcis_capture_jobs_account ON epcis_capture_jobs (account, n)",
  "CREATE INDEX IF NOT EXISTS epcis_capture_jobs_running ON epcis_capture_jobs (running) WHERE running",
];

/** Creates the capture tables (and the off-chain events table) when missing. */
export async function ensureCaptureTables(db: IndexSql): Promise<void> {
  for (const statement of DDL) await db.query(statement);
  await ensureOffChainEvents(db);
}
