/**
 * The index's database: one tiny interface over two backends that speak the same SQL. PGlite (PostgreSQL
 * compiled to WASM, no server, no native build) is the default, in a data directory or in memory; a real
 * PostgreSQL (the `pg` package) is used when a `postgres://` URL is given, for scale. Everything above this
 * file sees only {@link IndexDb}. Node-only.
 */
import { mkdirSync } from "node:fs";
import { IndexDatabaseError } from "./errors";

/** A row as the driver returns it (numbers may come back as number, bigint or string: see `rows.ts`). */
export type Row = Record<string, unknown>;

/** What can run SQL: the database itself or an open transaction. */
export interface IndexSql {
  /** Runs one parameterized statement (`$1`, `$2`, …) and returns its rows. */
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** The index database. */
export interface IndexDb extends IndexSql {
  readonly backend: "pglite" | "postgres";
  /** The PostgreSQL schema the index's tables live in. */
  readonly schema: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: IndexSql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenIndexDbOptions {
  /** `postgres://…`: use that server. Otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite's data directory (created when missing); in memory when absent. Ignored with `databaseUrl`. */
  dataDir?: string;
  /** The schema to keep the tables in (default `cbec_trace`); tests use a fresh one each. */
  schema?: string;
  /** Use this PGlite instance (left open by `close()`) instead of starting one. */
  pglite?: import("@electric-sql/pglite").PGlite;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the index database (it does not create the tables: see `ensureSchema`).
 *
 * @param options - {@link OpenIndexDbOptions}.
 * @returns An {@link IndexDb} whose statements run in `options.schema`.
 */
export async function openIndexDb(options: OpenIndexDbOptions = {}): Promise<IndexDb> {
  const schema = options.schema ?? "cbec_trace";
  if (!SCHEMA_NAME.test(schema)) {
    throw new IndexDatabaseError(`The schema name ${JSON.stringify(schema)} is not a plain lower-case identifier.`);
  }
  const url = options.databaseUrl;
  if (url !== undefined && url !== "") {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new IndexDatabaseError(
        `The database URL must start with postgres://, not ${JSON.stringify(url.slice(0, 12))}.`,
      );
    }
    return openPostgres(url, schema);
  }
  return openPglite(options.dataDir, schema, options.pglite);
}

/** A PGlite instance several {@link IndexDb}s may share (tests: one WASM start, a fresh schema each). */
type Pglite = import("@electric-sql/pglite").PGlite;

/** Per PGlite instance: the search path in force and the queue that keeps "set path, then run" together. */
const pgliteState = new WeakMap<Pglite, { path?: string; queue: Promise<unknown> }>();

async function openPglite(dataDir: string | undefined, schema: string, shared?: Pglite): Promise<IndexDb> {
  let pg: Pglite;
  try {
    if (shared) pg = shared;
    else {
      const { PGlite } = await import("@electric-sql/pglite");
      if (dataDir) mkdirSync(dataDir, { recursive: true });
      pg = dataDir ? new PGlite(dataDir) : new PGlite();
    }
    await pg.waitReady;
    await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    throw new IndexDatabaseError(`Could not open the embedded database${dataDir ? ` in ${dataDir}` : ""}.`, {
      hints: ["Another `trace index` may hold the data directory; stop it or pass another --data-dir."],
      details: (error as Error).message,
      cause: error,
    });
  }
  if (!pgliteState.has(pg)) pgliteState.set(pg, { queue: Promise.resolve() });
  const state = pgliteState.get(pg)!;
  // PGlite is one connection: statements run one at a time anyway, so queueing them costs nothing.
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = state.queue.then(async () => {
      if (state.path !== schema) {
        await pg.exec(`SET search_path TO ${schema}`);
        state.path = schema;
      }
      return fn();
    });
    state.queue = run.catch(() => undefined);
    return run;
  };
  const rows = async <T>(q: Pick<Pglite, "query">, sql: string, params?: unknown[]) =>
    (await q.query<T>(sql, params as never[])).rows;
  return {
    backend: "pglite",
    schema,
    query: (sql, params) => exclusive(() => rows(pg, sql, params)),
    transaction: (fn) => exclusive(() => pg.transaction((tx) => fn({ query: (sql, params) => rows(tx, sql, params) }))),
    close: async () => {
      await exclusive(async () => undefined);
      if (!shared) await pg.close();
    },
  };
}

async function openPostgres(url: string, schema: string): Promise<IndexDb> {
  const { Pool } = await import("pg");
  // Every pooled connection starts in the index's schema.
  const pool = new Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new IndexDatabaseError(`Could not connect to PostgreSQL at ${redact(url)}.`, {
      hints: ["Check DATABASE_URL / --database-url, and that the server is running and reachable."],
      details: (error as Error).message,
      cause: error,
    });
  }
  return {
    backend: "postgres",
    schema,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: async (sql, params) => (await client.query(sql, params)).rows });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
