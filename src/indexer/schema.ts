/**
 * The index's one SQL schema, the same for PGlite and PostgreSQL. Hashes, addresses and keys are lower-case
 * 0x-hex text; block numbers are bigint; a chain position is (block, log_index). Every table but `meta`,
 * `sync` and `checkpoints` holds rows tied to a block, so a reorganization deletes exactly the rows above
 * the fork point (`write.ts`, `rollbackAbove`). Bump {@link SCHEMA_VERSION} on any change to a table: an
 * index of another version is refused (rebuild it: it is a cache of the chain), never migrated in place. An
 * added secondary index needs no bump: `CREATE INDEX IF NOT EXISTS` builds it on the next open.
 */
import type { IndexDb } from "./db";
import { IndexDatabaseError } from "./errors";

/** The version of the tables below. */
export const SCHEMA_VERSION = 2;

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);

-- The cursor: every block up to (block, hash) is indexed, nothing above it.
CREATE TABLE IF NOT EXISTS sync (
  id int PRIMARY KEY CHECK (id = 1),
  chain_id bigint NOT NULL,
  ledger text NOT NULL,
  deployment_block bigint NOT NULL,
  finality int NOT NULL,
  block bigint NOT NULL,
  hash text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Hashes of the last cursor blocks: where to look for the fork point of a reorganization.
CREATE TABLE IF NOT EXISTS checkpoints (number bigint PRIMARY KEY, hash text NOT NULL);

-- Headers of the blocks that hold ledger logs.
CREATE TABLE IF NOT EXISTS blocks (
  number bigint PRIMARY KEY,
  hash text NOT NULL,
  parent_hash text NOT NULL,
  timestamp bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS transactions (
  hash text PRIMARY KEY,
  block bigint NOT NULL,
  index int NOT NULL,
  "from" text NOT NULL,
  "to" text,
  selector text,
  relayed boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS transactions_block ON transactions (block, index);
CREATE INDEX IF NOT EXISTS transactions_from ON transactions ("from", block);

-- Every ledger log, raw: the index answers eth_getLogs-style filters from it.
CREATE TABLE IF NOT EXISTS logs (
  block bigint NOT NULL,
  log_index int NOT NULL,
  tx_hash text NOT NULL,
  tx_index int NOT NULL,
  block_hash text NOT NULL,
  address text NOT NULL,
  topic0 text,
  topic1 text,
  topic2 text,
  topic3 text,
  data text NOT NULL,
  PRIMARY KEY (block, log_index)
);
CREATE INDEX IF NOT EXISTS logs_topic0 ON logs (topic0, block, log_index);
CREATE INDEX IF NOT EXISTS logs_topic1 ON logs (topic1, block, log_index);
CREATE INDEX IF NOT EXISTS logs_topic2 ON logs (topic2, block, log_index);

-- Traced logs, decoded.
CREATE TABLE IF NOT EXISTS entries (
  unit text NOT NULL,
  seq bigint NOT NULL,
  step smallint NOT NULL,
  disposition smallint NOT NULL,
  event_time bigint NOT NULL,
  location numeric(20) NOT NULL,
  prev_block bigint NOT NULL,
  org bigint NOT NULL,
  aux bigint NOT NULL,
  account text NOT NULL,
  data text NOT NULL,
  info text NOT NULL,
  block bigint NOT NULL,
  log_index int NOT NULL,
  tx_hash text NOT NULL,
  PRIMARY KEY (unit, seq)
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_position ON entries (block, log_index);
CREATE INDEX IF NOT EXISTS entries_org ON entries (org, block, log_index);
CREATE INDEX IF NOT EXISTS entries_tx ON entries (tx_hash);
CREATE INDEX IF NOT EXISTS entries_account ON entries (account, block, log_index);
-- Which entries hold a record hash: the platform accepts an uploaded record only when the chain anchors it.
CREATE INDEX IF NOT EXISTS entries_data ON entries (data);

CREATE TABLE IF NOT EXISTS units (
  key text PRIMARY KEY,
  path text UNIQUE,
  kind text,
  gtin text,
  cpv text,
  lot text,
  serial text,
  sscc text,
  ginc text,
  gln text,
  registrant bigint NOT NULL,
  registered_block bigint NOT NULL,
  registered_log_index int NOT NULL,
  seq bigint NOT NULL,
  last_block bigint NOT NULL
);
-- A GTIN's units in path order, and a lot's: each list query reads its page straight off one index.
CREATE INDEX IF NOT EXISTS units_gtin ON units (gtin, path);
CREATE INDEX IF NOT EXISTS units_gtin_lot ON units (gtin, lot, path);
CREATE INDEX IF NOT EXISTS units_sscc ON units (sscc);
CREATE INDEX IF NOT EXISTS units_ginc ON units (ginc);
CREATE INDEX IF NOT EXISTS units_registered ON units (registered_block);

-- A child's stays in parents, from its own PACKING / UNPACKING entries (as src/read/journey.ts reads them).
CREATE TABLE IF NOT EXISTS stays (
  child text NOT NULL,
  parent text NOT NULL,
  packed_block bigint NOT NULL,
  packed_log_index int NOT NULL,
  unpacked_block bigint,
  unpacked_log_index int,
  PRIMARY KEY (child, packed_block, packed_log_index)
);
CREATE INDEX IF NOT EXISTS stays_parent ON stays (parent, packed_block, packed_log_index);
CREATE INDEX IF NOT EXISTS stays_packed ON stays (packed_block);
CREATE INDEX IF NOT EXISTS stays_unpacked ON stays (unpacked_block);

-- The consortium's state: rebuilt from its logs in the logs table after a reorganization.
CREATE TABLE IF NOT EXISTS organizations (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  credit_code text NOT NULL,
  gln text,
  country text NOT NULL,
  roles int NOT NULL,
  suspended boolean NOT NULL,
  added_block bigint NOT NULL,
  added_log_index int NOT NULL
);
CREATE INDEX IF NOT EXISTS organizations_credit_code ON organizations (credit_code);

CREATE TABLE IF NOT EXISTS accounts (
  address text PRIMARY KEY,
  org bigint NOT NULL,
  active boolean NOT NULL,
  org_admin boolean NOT NULL,
  added_by text,
  rotated_from text,
  rotated_to text,
  added_block bigint NOT NULL,
  added_log_index int NOT NULL
);
CREATE INDEX IF NOT EXISTS accounts_org ON accounts (org, address);

CREATE TABLE IF NOT EXISTS prefixes (
  prefix_hash text NOT NULL,
  licence numeric(20) NOT NULL,
  prefix text NOT NULL,
  holder bigint NOT NULL,
  licensed_block bigint NOT NULL,
  licensed_log_index int NOT NULL,
  revoked_block bigint,
  revoked_log_index int,
  PRIMARY KEY (prefix_hash, licence)
);
CREATE INDEX IF NOT EXISTS prefixes_holder ON prefixes (holder, prefix);

CREATE TABLE IF NOT EXISTS prefix_authorizations (
  prefix_hash text NOT NULL,
  licence numeric(20) NOT NULL,
  holder bigint NOT NULL,
  manufacturer bigint NOT NULL,
  authorized boolean NOT NULL,
  block bigint NOT NULL,
  log_index int NOT NULL,
  PRIMARY KEY (block, log_index)
);
CREATE INDEX IF NOT EXISTS prefix_authorizations_licence ON prefix_authorizations (prefix_hash, licence);

-- Customs documents (issue 14), one row per CustomsDocumentFiled log: terms and cites come from the
-- fileDocument(s) call data (NULL terms when the call could not be decoded, e.g. made through a wallet contract).
CREATE TABLE IF NOT EXISTS customs_documents (
  doc_id text PRIMARY KEY,
  unit text NOT NULL,
  kind smallint NOT NULL,
  org bigint NOT NULL,
  number_hash text NOT NULL,
  order_ref text NOT NULL,
  terms0 text,
  terms1 text,
  mode int NOT NULL,
  record_hash text NOT NULL,
  block bigint NOT NULL,
  log_index int NOT NULL,
  tx_hash text NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS customs_documents_position ON customs_documents (block, log_index);
CREATE INDEX IF NOT EXISTS customs_documents_unit ON customs_documents (unit, kind, block, log_index);
CREATE INDEX IF NOT EXISTS customs_documents_number ON customs_documents (number_hash);
CREATE INDEX IF NOT EXISTS customs_documents_kind ON customs_documents (kind, block, log_index);

-- What each declaration (or summary) cites, from its call data: the document it backs is 'cited'.
CREATE TABLE IF NOT EXISTS customs_cites (
  doc_id text NOT NULL,
  cited text NOT NULL,
  block bigint NOT NULL,
  PRIMARY KEY (doc_id, cited)
);
CREATE INDEX IF NOT EXISTS customs_cites_cited ON customs_cites (cited);
CREATE INDEX IF NOT EXISTS customs_cites_block ON customs_cites (block);

-- CustomsRefundToRepay logs: a refunded unit was returned.
CREATE TABLE IF NOT EXISTS customs_refunds_to_repay (
  unit text NOT NULL,
  block bigint NOT NULL,
  log_index int NOT NULL,
  tx_hash text NOT NULL,
  PRIMARY KEY (block, log_index)
);
CREATE INDEX IF NOT EXISTS customs_refunds_to_repay_unit ON customs_refunds_to_repay (unit);
`;

/**
 * Creates the tables when missing and checks the schema version of an existing index.
 *
 * @param db - The database.
 * @throws IndexDatabaseError when the database holds an index of another schema version.
 */
export async function ensureSchema(db: IndexDb): Promise<void> {
  await db.transaction(async (tx) => {
    // One statement per call: the pg driver refuses several statements with parameters.
    for (const statement of TABLES.split(";").map((s) => s.replace(/--.*$/gm, "").trim())) {
      if (statement) await tx.query(statement);
    }
    const [row] = await tx.query<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'");
    if (!row) {
      await tx.query("INSERT INTO meta (key, value) VALUES ('schema_version', $1)", [String(SCHEMA_VERSION)]);
    } else if (row.value !== String(SCHEMA_VERSION)) {
      throw new IndexDatabaseError(
        `The index in schema ${db.schema} has schema version ${row.value}; this version of cbec-trace writes ${SCHEMA_VERSION}.`,
        { hints: ["The index is a cache of the chain: delete its data directory (or schema) and index again."] },
      );
    }
  });
}

/** Every table holding chain data, in the order a rollback deletes from them. */
export const CHAIN_TABLES = [
  "prefix_authorizations",
  "prefixes",
  "accounts",
  "organizations",
  "stays",
  "entries",
  "units",
  "logs",
  "transactions",
  "blocks",
  "checkpoints",
  // Customs (issue 14): after the tables above, whose positions in this list `write.ts` relies on.
  "customs_documents",
  "customs_cites",
  "customs_refunds_to_repay",
] as const;
