/**
 * `GET /bundle/<Digital Link path>` and `GET /bundle?code=<any GS1 input>`: the unit's proof bundle as JSON
 * (`cache-control: no-cache`: it changes with every block). An invalid code is a 400 naming what is wrong;
 * a node that cannot be read is a 502. Also finds the code of a verification page request (`/verify/01/…`,
 * `/verify?code=`, `/?code=`), whose HTML gets the bundle inlined. Node-only.
 */
import type { ServerResponse } from "node:http";
import type { Hex } from "viem";
import { Gs1Error } from "../gs1/errors";
import type { BundleService } from "./bundles";
import { CONTENT_TYPES, fail, send } from "./http";
import { PAGE_TRUST_PARAMS, SERVED_PAGE_PARAM, VERIFY_PATH, digitalLinkPathOf } from "../resolver/verifyPath";

/** The page's own query parameters: not part of a product's Digital Link. */
const PAGE_PARAMS = [...PAGE_TRUST_PARAMS, SERVED_PAGE_PARAM];

/** A Digital Link path the page verifies (the same primary keys the page recognizes). */
const SCANNED = /^\/(01|00|401|414)\//;

/** The code a `/bundle…` request names, or undefined when it names none. */
export function bundleRequestCode(path: string, query: URLSearchParams): string | undefined {
  if (path === "/bundle" || path === "/bundle/") return query.get("code") ?? undefined;
  const rest = path.slice("/bundle".length);
  if (!SCANNED.test(rest)) return undefined;
  for (const own of PAGE_PARAMS) query.delete(own);
  const attributes = query.toString();
  return rest + (attributes ? `?${attributes}` : "");
}

/**
 * The code a verification page request names: `/verify/<Digital Link path>` (where the resolver sends a
 * scan), `/verify?code=` or `/?code=` (a typed code), or a bare Digital Link path when the server runs
 * without its resolver; undefined otherwise.
 */
export function scannedCode(path: string, query: URLSearchParams): string | undefined {
  if ((path === "/" || path === VERIFY_PATH) && query.get("code")) return query.get("code")!;
  const dl = digitalLinkPathOf(path);
  if (dl === undefined) return undefined;
  const q = new URLSearchParams(query);
  for (const own of PAGE_PARAMS) q.delete(own);
  const attributes = q.toString();
  return dl + (attributes ? `?${attributes}` : "");
}

/** Answers a bundle request; `served` is told the unit of a bundle served (it counts the scan). */
export async function serveBundle(
  res: ServerResponse,
  bundles: BundleService,
  code: string | undefined,
  served?: (unit: Hex) => Promise<void>,
) {
  if (code === undefined || code.trim() === "") {
    return fail(res, 400, "name the unit: /bundle/01/<GTIN>/10/<lot>/21/<serial> or /bundle?code=<GS1 code>");
  }
  try {
    const bundle = await bundles.bundleFor(code);
    await served?.(bundle.unit);
    send(res, 200, CONTENT_TYPES[".json"], JSON.stringify(bundle));
  } catch (error) {
    if (error instanceof Gs1Error) return fail(res, 400, `invalid code: ${error.shortMessage}`);
    fail(res, 502, "the ledger could not be read to build the bundle");
  }
}

/** The bundle for a page, or undefined when it cannot be built within `timeoutMs` (the page walks the logs). */
export async function bundleForPage(bundles: BundleService, code: string, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((done) => (timer = setTimeout(() => done(undefined), timeoutMs)));
  try {
    return await Promise.race([bundles.bundleFor(code).catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
