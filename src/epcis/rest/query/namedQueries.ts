/**
 * Named queries (`POST /queries`): a name and a query definition, kept in the index database so they
 * survive a restart. The definition is stored as given (after it parsed), and parsed again when run.
 * Node-only.
 */
import type { IndexSql } from "../../../indexer/db";
import { EpcisRestError } from "../problem";

/** A query name: letters, digits, `_`, `-`, `.`; at most 64 characters (it is a path segment). */
export const QUERY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface NamedQuery {
  name: string;
  query: Record<string, unknown>;
  createdAt: number;
  /** The organization that created it, when callers authenticate. */
  owner: number | null;
}

const DDL = `CREATE TABLE IF NOT EXISTS epcis_named_queries (
  name text PRIMARY KEY,
  definition text NOT NULL,
  created_at bigint NOT NULL,
  owner bigint
)`;

const ready = new WeakMap<IndexSql, Promise<unknown>>();
const ensure = (db: IndexSql) => {
  let p = ready.get(db);
  if (!p) ready.set(db, (p = db.query(DDL)));
  return p;
};

const rowOf = (r: { name: string; definition: string; created_at: string; owner: string | null }): NamedQuery => ({
  name: r.name,
  query: JSON.parse(r.definition),
  createdAt: Number(r.created_at),
  owner: r.owner === null ? null : Number(r.owner),
});

/** Keeps a named query; a taken name is a 409 ResourceAlreadyExistsException. */
export async function createNamedQuery(db: IndexSql, query: NamedQuery): Promise<void> {
  await ensure(db);
  const rows = await db.query(
    `INSERT INTO epcis_named_queries (name, definition, created_at, owner) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO NOTHING RETURNING name`,
    [
      query.name,
      JSON.stringify(query.query),
      String(query.createdAt),
      query.owner === null ? null : String(query.owner),
    ],
  );
  if (rows.length === 0) {
    throw new EpcisRestError("ResourceAlreadyExistsException", `A query named "${query.name}" exists already.`);
  }
}

/** The named query, or undefined. */
export async function getNamedQuery(db: IndexSql, name: string): Promise<NamedQuery | undefined> {
  await ensure(db);
  const [row] = await db.query<Parameters<typeof rowOf>[0]>("SELECT * FROM epcis_named_queries WHERE name = $1", [
    name,
  ]);
  return row ? rowOf(row) : undefined;
}

/** Named queries in name order, after `after` (keyset), at most `limit`. */
export async function listNamedQueries(db: IndexSql, limit: number, after?: string): Promise<NamedQuery[]> {
  await ensure(db);
  const rows = await db.query<Parameters<typeof rowOf>[0]>(
    "SELECT * FROM epcis_named_queries WHERE name > $1 ORDER BY name LIMIT $2",
    [after ?? "", limit],
  );
  return rows.map(rowOf);
}

/** Deletes a named query; whether it existed. */
export async function deleteNamedQuery(db: IndexSql, name: string): Promise<boolean> {
  await ensure(db);
  return (await db.query("DELETE FROM epcis_named_queries WHERE name = $1 RETURNING name", [name])).length > 0;
}
