/**
 * Percent-encoding of AI values in Digital Link paths, shared by the canonical path (the unit key) and the
 * URIs the SDK builds, so both are the same string. Everything but RFC 3986 unreserved characters is
 * encoded with upper-case hex; in particular "/" becomes "%2F", so a value can never be mistaken for more
 * path segments (lot "A/21/B" and lot "A" + serial "B" give different keys).
 */
export function encodeDlValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
