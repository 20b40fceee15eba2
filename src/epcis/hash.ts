/**
 * Record hashes: the 32-byte value the ledger stores as `recordHash` for an off-chain record.
 *
 *   recordHash(event) = sha256(utf8(JCS(event without eventID, recordTime, @context)))
 *
 * JCS is the JSON Canonicalization Scheme of RFC 8785 (object keys sorted by UTF-16 code units, no
 * whitespace, ECMAScript number and string serialization). The hash covers the event exactly as built or
 * received: list order, URI spellings and time zones are significant. It is NOT the GS1 CBV 2.0 event hash
 * (`ni:///sha-256;…?ver=CBV2.0`) and is not interoperable with it; see docs/epcis.md.
 *
 * Documents (PDF declarations, CEB XML messages) are anchored with `hashDocument`: plain SHA-256 of the bytes.
 */
import canonicalize from "canonicalize";
import { sha256, stringToBytes, type Hex } from "viem";
import { EpcisHashError, quote } from "./errors";

/** Version tag of the hash algorithm, carried in `eventID` (`?ver=cbec-trace-1`). */
export const RECORD_HASH_VERSION = "cbec-trace-1";

/** Top-level event fields left out of the hash: identifiers and repository metadata, not event content. */
export const HASH_EXCLUDED_FIELDS = ["eventID", "recordTime", "@context"] as const;

const EVENT_ID = /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=(.+)$/;

/**
 * The RFC 8785 canonical JSON text of a JSON value. Refuses what JSON cannot represent exactly instead of
 * letting `JSON.stringify` change it silently: non-finite numbers, `undefined` in arrays, bigint, functions,
 * symbols, `Date` and other class instances, cyclic structures and lone UTF-16 surrogates (RFC 8785 §3.2.2.2
 * requires well-formed Unicode). Object properties whose value is `undefined` are skipped, as in `JSON.stringify`.
 * `name` is how error messages and `EpcisHashError.path` refer to the value (default `$`).
 */
export function canonicalJson(value: unknown, name = "$"): string {
  checkJson(value, name, new Set());
  const text = canonicalize(value);
  if (text === undefined) throw new EpcisHashError(name, `${name} ${quote(value)} has no JSON representation.`);
  return text;
}

function checkJson(value: unknown, path: string, seen: Set<object>): void {
  switch (typeof value) {
    case "string":
      if (/\p{Cs}/u.test(value)) {
        throw new EpcisHashError(
          path,
          `${path} = ${quote(value)} contains a lone UTF-16 surrogate, which is not valid Unicode: RFC 8785 ` +
            `cannot canonicalize it. Fix the text encoding of the source data.`,
        );
      }
      return;
    case "number":
      if (!Number.isFinite(value)) {
        throw new EpcisHashError(path, `${path} = ${value} is not a finite number: JSON has no NaN or Infinity.`);
      }
      return;
    case "boolean":
      return;
    case "object":
      break;
    case "undefined":
      throw new EpcisHashError(path, `${path} is undefined, which JSON cannot represent: leave it out or use null.`);
    default:
      throw new EpcisHashError(
        path,
        `${path} is a ${typeof value} (${quote(value)}), which JSON cannot represent: use a string or number.`,
      );
  }
  if (value === null) return;
  if (seen.has(value)) throw new EpcisHashError(path, `${path} refers back to itself: a record must be a tree.`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item === undefined) {
        throw new EpcisHashError(`${path}[${i}]`, `${path}[${i}] is undefined: remove it or use null.`);
      }
      checkJson(item, `${path}[${i}]`, seen);
    });
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = value instanceof Date ? "a Date: write it as an ISO 8601 string" : "not a plain object";
      throw new EpcisHashError(path, `${path} is ${kind}; records must be plain JSON.`);
    }
    for (const [key, item] of Object.entries(value)) {
      const child = `${path}.${key}`;
      checkJson(key, `${child} (key)`, seen);
      if (item !== undefined) checkJson(item, child, seen);
    }
  }
  seen.delete(value);
}

/** The event without the fields the hash leaves out (`eventID`, `recordTime`, `@context`). */
export function hashedContent(event: object): Record<string, unknown> {
  if (event === null || typeof event !== "object" || Array.isArray(event)) {
    throw new EpcisHashError("$", `Record ${quote(event)} is not a JSON object: pass an EPCIS event.`);
  }
  const content: Record<string, unknown> = { ...(event as Record<string, unknown>) };
  for (const field of HASH_EXCLUDED_FIELDS) delete content[field];
  return content;
}

/** `recordHash = sha256(utf8(JCS(event)))` without `eventID`, `recordTime`, `@context`: `0x` + 64 hex digits. */
export function recordHash(event: object): Hex {
  return sha256(stringToBytes(canonicalJson(hashedContent(event))));
}

/** The `eventID` for a record hash: `ni:///sha-256;<hex>?ver=cbec-trace-1` (RFC 6920 named information). */
export function eventIdOf(hash: Hex): string {
  if (typeof hash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(hash)) {
    throw new EpcisHashError("$", `Record hash ${quote(hash)} is not 0x followed by 64 hex digits.`);
  }
  return `ni:///sha-256;${hash.slice(2).toLowerCase()}?ver=${RECORD_HASH_VERSION}`;
}

/**
 * A copy of the event with `eventID` set from its record hash (any existing eventID is replaced); pass `hash`
 * when it is already known.
 */
export function withEventId<T extends object>(event: T, hash: Hex = recordHash(event)): T & { eventID: string } {
  return { ...event, eventID: eventIdOf(hash) };
}

/**
 * The record hash an `eventID` carries, or undefined when the ID is not a cbec-trace hash ID (for example a
 * CBV 2.0 event hash ID `?ver=CBV2.0`, which is computed differently).
 */
export function recordHashOfEventId(eventID: string): Hex | undefined {
  const m = typeof eventID === "string" ? EVENT_ID.exec(eventID) : null;
  return m && m[2] === RECORD_HASH_VERSION ? (`0x${m[1]}` as Hex) : undefined;
}

/** Whether the event carries a cbec-trace `eventID` and that ID matches the event's content. */
export function hasValidEventId(event: object): boolean {
  const id = (event as { eventID?: unknown }).eventID;
  return typeof id === "string" && recordHashOfEventId(id) === recordHash(event);
}

/** SHA-256 of a document's bytes (a PDF, a CEB XML message…), `0x`-prefixed, for `recordHash` or a bizTransaction. */
export function hashDocument(bytes: Uint8Array): Hex {
  if (!(bytes instanceof Uint8Array)) {
    throw new EpcisHashError(
      "$",
      `Document ${quote(bytes)} is not a Uint8Array: pass the file's bytes (e.g. new Uint8Array(await file.arrayBuffer())).`,
    );
  }
  return sha256(bytes);
}
