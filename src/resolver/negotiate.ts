/**
 * Content negotiation of the resolver: whether a request without `linkType` asks for the linkset
 * (`Accept: application/linkset+json`), and which JSON media type a linkset is sent as.
 */

/** The linkset media type (RFC 9264). */
export const LINKSET_MEDIA_TYPE = "application/linkset+json";

interface Range {
  type: string;
  q: number;
}

/** The media ranges of an Accept header with their weights (q=0 ranges are refusals and dropped). */
function ranges(accept: string | undefined): Range[] {
  if (!accept) return [];
  return accept
    .split(",")
    .map((part) => {
      const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith("q="));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { type, q: Number.isFinite(weight) ? weight : 0 };
    })
    .filter((r) => r.type !== "" && r.q > 0);
}

/** Whether the Accept header names the linkset media type itself (a scanner asking for the links). */
export function acceptsLinksetExplicitly(accept: string | undefined): boolean {
  return ranges(accept).some((r) => r.type === LINKSET_MEDIA_TYPE);
}

/**
 * The media type to send a linkset as: `application/linkset+json` unless the client prefers (or only
 * takes) `application/json`; undefined when the Accept header excludes both (a 406).
 */
export function linksetMediaType(accept: string | undefined): string | undefined {
  const list = ranges(accept);
  if (list.length === 0) return LINKSET_MEDIA_TYPE;
  const weight = (type: string) =>
    Math.max(
      0,
      ...list.filter((r) => r.type === type || r.type === "*/*" || r.type === "application/*").map((r) => r.q),
    );
  const linkset = weight(LINKSET_MEDIA_TYPE);
  const json = weight("application/json");
  if (linkset === 0 && json === 0) return undefined;
  return json > linkset ? "application/json" : LINKSET_MEDIA_TYPE;
}
