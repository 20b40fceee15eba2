/**
 * Keyset pagination: a page holds at most `limit` rows and, when more follow, an opaque `next` cursor
 * naming the last row's key; the next page starts strictly after it (stable under concurrent inserts,
 * no OFFSET scans).
 */
import { IndexQueryError } from "../errors";

/** One page of a list. */
export interface Page<T> {
  items: T[];
  /** Pass as `after` to get the next page; absent on the last page. */
  next?: string;
}

/** Paging options of every list query. */
export interface PageOptions {
  /** Rows per page (default 50, at most 1,000). */
  limit?: number;
  /** The `next` of the previous page. */
  after?: string;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1_000;

/** The page size asked for, checked. */
export function limitOf(options: PageOptions = {}): number {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new IndexQueryError(`A page holds 1 to ${MAX_LIMIT} rows, not ${limit}.`);
  }
  return limit;
}

/** Decodes an `after` cursor into its key values (strings), checking their count. */
export function keyOf(after: string | undefined, parts: number): string[] | undefined {
  if (after === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(after, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== parts || !key.every((k) => typeof k === "string" && k.length <= 200)) {
    throw new IndexQueryError("The page cursor is not one this index gave out.");
  }
  return key as string[];
}

/** Builds a page from `limit + 1` fetched rows. */
export function pageOf<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => string[]): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const page: Page<T> = { items: kept.map(map) };
  if (more) page.next = Buffer.from(JSON.stringify(key(kept[kept.length - 1]))).toString("base64url");
  return page;
}
