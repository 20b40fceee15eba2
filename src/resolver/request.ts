/**
 * What a resolver request asks for: the unit its Digital Link path names (validated by the GS1 layer), the
 * `linkType`, and the query string to pass on. Only paths that start with an AI and pair up as AI/value
 * segments are Digital Links here: a path prefix before the key (which `parseDigitalLink` accepts) would let
 * `/x/y/01/…` name a unit, so the resolver refuses it instead of guessing.
 */
import { parseDigitalLink } from "../gs1/digitalLink";
import type { Gs1Identity } from "../gs1/identity";
import { parseLinkType, type LinkTypeRequest } from "./linkTypes";
import { ResolverRequestError } from "./errors";
import { PAGE_TRUST_PARAMS } from "./verifyPath";

/** The primary keys this resolver serves (numeric AIs), in the description document's order. */
export const SUPPORTED_PRIMARY_KEYS = ["01", "00", "401", "414"] as const;

/** A path the resolver takes: it starts with a numeric AI segment (`/01/…`, `/8003/…`). */
const DIGITAL_LINK_START = /^\/[0-9]{2,4}(\/|$)/;

/** Whether the resolver answers this path (the server leaves every other path to its other routes). */
export function isResolverPath(path: string): boolean {
  return DIGITAL_LINK_START.test(path);
}

/** A parsed resolver request. */
export interface ResolverRequest {
  identity: Gs1Identity;
  /** The `linkType` asked for, when there is one. */
  linkType?: LinkTypeRequest;
  /** The query string passed on to targets: the request's, without `linkType` and the page's trust parameters. */
  passOn: string;
}

/**
 * Parses a resolver request's path and query. Throws `Gs1Error` for a Digital Link that is not valid (bad
 * check digit, unknown AI, qualifiers out of order …) and {@link ResolverRequestError} for a malformed path
 * shape or `linkType`.
 */
export function parseResolverRequest(path: string, query: string): ResolverRequest {
  const segments = path.split("/").slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === "") segments.pop();
  const pairs =
    segments.length % 2 === 0 && segments.every((s, i) => (i % 2 === 0 ? /^[0-9]{2,4}$/.test(s) : s !== ""));
  if (!pairs) {
    throw new ResolverRequestError(
      "PATH",
      `The path ${JSON.stringify(path.slice(0, 120))} is not a GS1 Digital Link path: it must be numeric AI / value pairs starting with the primary key, e.g. /01/09521234543213/10/ABC123/21/12345 (compressed Digital Links are not supported).`,
    );
  }
  const params = new URLSearchParams(query);
  const types = params.getAll("linkType");
  if (types.length > 1) throw new ResolverRequestError("LINK_TYPE", "linkType is given more than once: give one.");
  const linkType = types.length === 1 ? parseLinkType(types[0]) : undefined;
  // The GS1 layer validates the key and the query's data attributes (a bad ?17= date is a 400 too).
  const identity = parseDigitalLink(path + (query ? `?${query}` : ""));
  params.delete("linkType");
  for (const own of PAGE_TRUST_PARAMS) params.delete(own);
  return { identity, ...(linkType ? { linkType } : {}), passOn: params.toString() };
}
