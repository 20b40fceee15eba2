/**
 * GS1 Digital Link URIs: parsing (any domain, any path prefix, numeric AIs or short names, query attributes)
 * and building (canonical path with percent-encoded values, optional query attributes).
 *
 *   `https://{domain}[/{prefix}]/{primary AI}/{value}[/{qualifier AI}/{value}…][?{AI}={value}&…]`
 *
 * Browser-safe: no Node-only APIs (no `URL` either: it would normalise `.`/`..` segments and hide `#`).
 */
import { encodeDlValue } from "./encode";

export { encodeDlValue };
import { aiFromName, describeAi, primaryKeyList } from "./ai";
import { Gs1StructureError, Gs1SyntaxError, Gs1ValueError, type Gs1Error } from "./errors";
import { checkIdentity, identityFromParts, type Gs1Identity } from "./identity";

/** Where GS1 resolves Digital Links when a brand has no resolver of its own. */
export const DEFAULT_DL_DOMAIN = "https://id.gs1.org";

/** Options of {@link toDigitalLink}. */
export interface DigitalLinkOptions {
  /** Scheme and host (optionally a port), e.g. `https://trace.example.cn`. Default {@link DEFAULT_DL_DOMAIN}. */
  domain?: string;
  /** Path segments between the domain and the primary key, e.g. `products` or `p/cn`. */
  pathPrefix?: string;
  /** Whether to add the data attributes as a query string (default `true`). */
  attributes?: boolean;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function decode(segment: string, uri: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new Gs1SyntaxError(
      "PERCENT_ENCODING",
      `Digital Link ${quote(uri)} has a broken percent-encoding in ${quote(segment)}: "%" must be followed by two hex digits (write a literal "%" as %25).`,
      { input: uri },
    );
  }
}

/** Splits a Digital Link into its path and query; refuses what is not an http(s) URI or a bare `/…` path. */
function splitUri(uri: string): { path: string; query: string } {
  const hash = uri.indexOf("#");
  if (hash >= 0) {
    throw new Gs1ValueError(
      "CHARSET",
      `Digital Link ${quote(uri)} contains "#" at position ${hash + 1}: a GS1 Digital Link has no fragment, and "#" is not in GS1 character set 82, so no lot or serial may contain it. Check the value; a literal "#" would have to be percent-encoded as %23.`,
      { input: uri },
    );
  }
  let rest: string;
  const scheme = /^https?:\/\//i.exec(uri);
  if (scheme !== null) {
    const afterScheme = uri.slice(scheme[0].length);
    const end = afterScheme.search(/[/?]/);
    const host = end < 0 ? afterScheme : afterScheme.slice(0, end);
    if (host.length === 0 || /[\s@\\]/.test(host)) {
      throw new Gs1SyntaxError("NOT_A_DIGITAL_LINK", `Digital Link ${quote(uri)} has no valid host after the scheme.`, {
        input: uri,
      });
    }
    rest = end < 0 ? "" : afterScheme.slice(end);
  } else if (uri.startsWith("/")) {
    rest = uri;
  } else {
    throw new Gs1SyntaxError(
      "NOT_A_DIGITAL_LINK",
      `${quote(uri)} is not a GS1 Digital Link: expected an http(s) URI such as "https://id.gs1.org/01/09521234543213/21/12345" or a path starting with "/01/", "/00/", "/401/" or "/414/".`,
      { input: uri },
    );
  }
  const q = rest.indexOf("?");
  return q < 0 ? { path: rest, query: "" } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/** Index of the primary-key AI segment: the first one followed by an even number of segments (AI/value pairs). */
function findPrimary(segments: readonly string[]): number {
  for (let i = 0; i < segments.length; i++) {
    const def = aiFromName(segments[i]);
    if (def?.role === "primary" && (segments.length - i) % 2 === 0) return i;
  }
  return -1;
}

/**
 * Parses a GS1 Digital Link URI (or a bare Digital Link path) into a validated {@link Gs1Identity}.
 *
 * Accepts any domain and path prefix, numeric AIs or short names (`gtin`, `cpv`, `lot`, `ser`, `sscc`, `gln`,
 * `ginc`, `glnx`), GTIN-8/12/13/14 and percent-encoded values; query-string AIs (`?17=261231`, `exp=`) become
 * data attributes, other query parameters (`linkType`, …) are ignored. Qualifiers must follow the order the
 * standard fixes (GTIN: 22 → 10 → 21).
 *
 * @example parseDigitalLink("https://id.gs1.org/01/9521234543213/10/ABC123?17=261231").canonicalPath
 *   // "/01/09521234543213/10/ABC123"
 */
export function parseDigitalLink(uri: string): Gs1Identity {
  if (typeof uri !== "string") {
    throw new Gs1SyntaxError("NOT_A_DIGITAL_LINK", `Expected a Digital Link URI string, got ${typeof uri}.`);
  }
  const text = uri.trim();
  const { path, query } = splitUri(text);
  const segments = path.split("/").slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === "") segments.pop(); // one trailing slash

  const start = findPrimary(segments);
  if (start < 0) throw missingPrimary(text, segments);
  const primaryDef = aiFromName(segments[start])!;
  const primary = { ai: primaryDef.ai, value: decode(segments[start + 1], text) };

  const order = primaryDef.qualifiers ?? [];
  const qualifiers: Record<string, string> = {};
  let lastRank = -1;
  for (let j = start + 2; j < segments.length; j += 2) {
    const name = segments[j];
    const def = aiFromName(name);
    if (def === undefined) {
      throw new Gs1StructureError(
        "UNKNOWN_AI",
        `Digital Link ${quote(text)} has ${quote(name)} where an AI is expected after the ${primaryDef.label}: it is not an AI cbec-trace knows. The path may only hold ${describeAi(primaryDef.ai)}${order.length > 0 ? ` and its qualifiers ${order.map(describeAi).join(", ")}` : ""}; data attributes go in the query string.`,
        { ai: name, input: text },
      );
    }
    if (def.role === "attribute") {
      throw new Gs1StructureError(
        "NOT_A_QUALIFIER",
        `Digital Link ${quote(text)} has ${describeAi(def.ai)} in its path, but it is a data attribute, not part of the key: put it in the query string instead (?${def.ai}=${segments[j + 1]}).`,
        { ai: def.ai, input: text },
      );
    }
    if (Object.prototype.hasOwnProperty.call(qualifiers, def.ai)) {
      throw new Gs1StructureError(
        "DUPLICATE_AI",
        `Digital Link ${quote(text)} gives ${describeAi(def.ai)} twice. Keep one.`,
        { ai: def.ai, input: text },
      );
    }
    const rank = order.indexOf(def.ai);
    if (rank >= 0 && rank < lastRank) {
      throw new Gs1StructureError(
        "QUALIFIER_ORDER",
        `Digital Link ${quote(text)} has its qualifiers out of order: ${describeAi(def.ai)} comes after ${describeAi(order[lastRank])}. The GS1 Digital Link standard requires the order ${order.join(" → ")} (${order.map((ai) => aiFromName(ai)!.label).join(" → ")}), e.g. /01/09521234543213/22/<cpv>/10/<lot>/21/<serial>.`,
        { ai: def.ai, input: text },
      );
    }
    if (rank >= 0) lastRank = rank;
    qualifiers[def.ai] = decode(segments[j + 1], text);
  }

  const attributes = parseQuery(query, text);
  return identityFromParts({ primary, qualifiers, attributes });
}

function missingPrimary(uri: string, segments: readonly string[]): Gs1Error {
  if (segments.some((s) => aiFromName(s)?.role === "primary")) {
    // A primary key is there, but the segments after it do not pair up: the last AI has lost its value.
    const last = segments[segments.length - 1];
    const def = aiFromName(last);
    return new Gs1ValueError(
      "EMPTY_VALUE",
      `Digital Link ${quote(uri)} ends with ${def !== undefined ? describeAi(def.ai) : quote(last)} and no value after it: the path after the primary key must be AI/value pairs, e.g. /01/09521234543213/10/ABC123. Fill in the missing value or remove the AI.`,
      { ai: def?.ai, input: uri },
    );
  }
  const qualifier = segments.map((s) => aiFromName(s)).find((d) => d !== undefined && d.role === "qualifier");
  return new Gs1StructureError(
    "MISSING_PRIMARY_KEY",
    `Digital Link ${quote(uri)} has no primary key${qualifier !== undefined ? ` (it has ${describeAi(qualifier.ai)}, which needs ${describeAi(qualifier.qualifierOf!)} before it)` : ""}: its path must contain one of ${primaryKeyList()}, e.g. /01/09521234543213.`,
    { input: uri },
  );
}

/** Numeric-AI (or short-name) query parameters as data attributes; other parameters are ignored. */
function parseQuery(query: string, uri: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (query === "") return attributes;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1), uri);
    const def = aiFromName(name);
    const ai = def?.ai ?? (/^[0-9]{2,4}$/.test(name) ? name : undefined);
    if (ai === undefined) continue; // linkType, context, utm_… : not GS1 data
    if (def !== undefined && def.role !== "attribute" && def.unsupported === undefined) {
      throw new Gs1StructureError(
        "NOT_A_QUALIFIER",
        `Digital Link ${quote(uri)} has ${describeAi(ai)} in its query string, but it is part of the unit's key: put it in the path${def.role === "qualifier" ? `, after the ${aiFromName(def.qualifierOf!)!.label}` : ""} (e.g. /01/09521234543213/10/ABC123/21/12345).`,
        { ai, input: uri },
      );
    }
    if (Object.prototype.hasOwnProperty.call(attributes, ai)) {
      throw new Gs1StructureError(
        "DUPLICATE_AI",
        `Digital Link ${quote(uri)} gives ${describeAi(ai)} twice in its query string. Keep one.`,
        {
          ai,
          input: uri,
        },
      );
    }
    attributes[ai] = value;
  }
  return attributes;
}

/** Percent-encodes everything but RFC 3986 unreserved characters, so values never split or end a path. */
function normaliseDomain(domain: string): string {
  const m = /^(https?):\/\/([^/?#\s@\\]+)\/?$/i.exec(domain);
  if (m === null) {
    throw new Gs1SyntaxError(
      "INVALID_OPTION",
      `Domain ${quote(domain)} must be a scheme and host only, e.g. "https://trace.example.cn"; put any path in the pathPrefix option.`,
      { input: domain },
    );
  }
  return `${m[1].toLowerCase()}://${m[2]}`;
}

function normalisePrefix(prefix: string): string {
  const segments = prefix.split("/").filter((s) => s !== "");
  for (const s of segments) {
    if (!/^[A-Za-z0-9._~-]+$/.test(s) || aiFromName(s) !== undefined || s === "." || s === "..") {
      throw new Gs1SyntaxError(
        "INVALID_OPTION",
        `Path prefix ${quote(prefix)} has the segment ${quote(s)}: prefix segments must be letters, digits, ".", "_", "~" or "-", must not be "." or "..", and must not be a GS1 AI or short name (a parser would take it for the key).`,
        { input: prefix },
      );
    }
  }
  return segments.map((s) => `/${s}`).join("");
}

/** The Digital Link path of an identity: its canonical path with each value percent-encoded. */
function encodedPath(identity: Gs1Identity): string {
  const pairs: [string, string | undefined][] = [
    ["01", identity.gtin],
    ["22", identity.cpv],
    ["10", identity.lot],
    ["21", identity.serial],
    ["00", identity.sscc],
    ["401", identity.ginc],
    ["414", identity.gln],
    ["254", identity.glnExtension],
  ];
  return pairs
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([ai, value]) => `/${ai}/${encodeDlValue(value)}`)
    .join("");
}

/**
 * Builds the GS1 Digital Link URI of a unit: domain, optional path prefix, the canonical path with values
 * percent-encoded, and the data attributes as a query string in AI order.
 *
 * @example toDigitalLink(parseGs1("(01)09521234543213(10)ABC123(17)261231"))
 *   // "https://id.gs1.org/01/09521234543213/10/ABC123?17=261231"
 */
export function toDigitalLink(identity: Gs1Identity, options: DigitalLinkOptions = {}): string {
  const checked = checkIdentity(identity);
  const domain = normaliseDomain(options.domain ?? DEFAULT_DL_DOMAIN);
  const prefix = options.pathPrefix === undefined ? "" : normalisePrefix(options.pathPrefix);
  const query =
    options.attributes === false
      ? ""
      : Object.keys(checked.attributes)
          .sort()
          .map((ai) => `${ai}=${encodeDlValue(checked.attributes[ai])}`)
          .join("&");
  return `${domain}${prefix}${encodedPath(checked)}${query === "" ? "" : `?${query}`}`;
}
