/**
 * The index's backends for tests: PGlite always (one in-memory instance per test file, a fresh schema per
 * test: a PGlite start costs seconds of WASM), and the PostgreSQL server at TEST_DATABASE_URL when set
 * (a fresh schema per test, dropped when the test's database is closed). `scripts/ci-postgres.sh` starts one.
 */
import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { openIndexDb, type IndexDb } from "../../src/indexer/db";
import { ensureSchema } from "../../src/indexer/schema";

export interface IndexBackend {
  name: "pglite" | "postgres";
  /** Opens the index in schema `name` (a fresh random one when absent), tables created. */
  open(name?: string): Promise<IndexDb>;
  /** A fresh schema name. */
  freshName(): string;
  /** Closes what the backend holds (the shared PGlite; the schemas it created on PostgreSQL). */
  close(): Promise<void>;
}

const fresh = () => `t_${randomBytes(6).toString("hex")}`;

/** The backends to run the index tests against. */
export function indexBackends(): IndexBackend[] {
  const backends: IndexBackend[] = [pgliteBackend()];
  const url = process.env.TEST_DATABASE_URL;
  if (url) backends.push(postgresBackend(url));
  return backends;
}

function pgliteBackend(): IndexBackend {
  let instance: Promise<PGlite> | undefined;
  return {
    name: "pglite",
    freshName: fresh,
    async open(name = fresh()) {
      instance ??= import("@electric-sql/pglite").then(({ PGlite }) => new PGlite());
      const db = await openIndexDb({ pglite: await instance, schema: name });
      await ensureSchema(db);
      return db;
    },
    async close() {
      if (instance) await (await instance).close();
      instance = undefined;
    },
  };
}

function postgresBackend(url: string): IndexBackend {
  const created = new Set<string>();
  return {
    name: "postgres",
    freshName: fresh,
    async open(name = fresh()) {
      created.add(name);
      const db = await openIndexDb({ databaseUrl: url, schema: name });
      await ensureSchema(db);
      return db;
    },
    async close() {
      if (created.size === 0) return;
      const admin = await openIndexDb({ databaseUrl: url, schema: "public" });
      for (const name of created) await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.close();
      created.clear();
    },
  };
}
