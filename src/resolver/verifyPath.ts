/**
 * Where the verification page of a code lives: `/verify` followed by the code's Digital Link path
 * (`/verify/01/09521234543213/10/ABC123/21/12345?17=261231`). The resolver redirects scans there; the server
 * serves the page (with the unit's bundle inlined) there; the page reads its code from it. One definition.
 *
 * Browser-safe: no imports.
 */

/** The verification page's path prefix. */
export const VERIFY_PATH = "/verify";

/**
 * The page's own query parameters — a buyer's own endpoint, ledger and chain id —, never part of a product's
 * Digital Link: a label must not choose the ledger or node a buyer checks against.
 */
export const PAGE_TRUST_PARAMS = ["rpc", "ledger", "chain"] as const;

/**
 * What the page adds to its `/bundle` request (`page=1`): the platform served the page it runs in and
 * counted that visit as the scan, so the bundle it asks for afterwards is not a second one.
 */
export const SERVED_PAGE_PARAM = "page";

/** A Digital Link path of the primary keys the page verifies. */
const DIGITAL_LINK_PATH = /^\/(01|00|401|414)\//;

/** The verification page of a canonical Digital Link path. */
export function verifyPathOf(digitalLinkPath: string): string {
  return VERIFY_PATH + digitalLinkPath;
}

/**
 * The Digital Link path a page path names: `/verify/01/…` → `/01/…`; a bare `/01/…` (a server without its
 * resolver) is its own; undefined for any other path.
 */
export function digitalLinkPathOf(pathname: string): string | undefined {
  const rest = pathname.startsWith(`${VERIFY_PATH}/`) ? pathname.slice(VERIFY_PATH.length) : pathname;
  return DIGITAL_LINK_PATH.test(rest) ? rest : undefined;
}
