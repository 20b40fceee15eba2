/**
 * The brand's tag-keys file (`TRACE_TAG_KEYS`): the two SDM keys of every NTAG 424 DNA tag it personalized,
 * by UID. Only the brand's verification service and its operator's `trace tag tap` read it; the chain never
 * sees a key. Whoever reads this file can forge taps of every tag in it, so it is refused when anyone but its
 * owner may read or write it (as ssh refuses a private key), and refused whole when any entry is malformed:
 * a service that started with half its keys would call genuine tags fakes. Node-only.
 *
 * ```json
 * { "format": "cbec-trace/tag-keys@1",
 *   "tags": { "04a1b2c3d4e580": { "sdmMetaReadKey": "<32 hex>", "sdmFileReadKey": "<32 hex>" } } }
 * ```
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { TraceError } from "../errors/base";
import type { SunTagKeys } from "./sunTag";

/** The `format` of the file this code reads and writes. */
export const TAG_KEYS_FORMAT = "cbec-trace/tag-keys@1";

/** The tag-keys file is missing, readable by others, or malformed; the message says which and how to fix it. */
export class TagKeysError extends TraceError {
  override name = "TagKeysError" as const;
}

/** The keys of the tags in one file, by lower-case UID. */
export interface TagKeyStore {
  /** The file they came from. */
  path: string;
  /** A tag's keys, or undefined when the file does not hold that UID (any case, with or without 0x). */
  keysFor(uid: string): SunTagKeys | undefined;
  /** The UIDs in the file, lower-case. */
  uids: string[];
}

const UID = /^[0-9a-f]{14}$/;
const KEY = /^[0-9a-fA-F]{32}$/;

const canonicalUid = (uid: string) => uid.trim().toLowerCase().replace(/^0x/, "");

/**
 * Parses the file's JSON text; `path` names it in errors.
 * @throws TagKeysError naming the first thing that is wrong.
 */
export function parseTagKeys(text: string, path: string): TagKeyStore {
  const refuse = (what: string): never => {
    throw new TagKeysError(`The tag-keys file ${path} ${what}.`, {
      hints: [
        `It is JSON: {"format": "${TAG_KEYS_FORMAT}", "tags": {"<UID, 14 hex digits>": {"sdmMetaReadKey": "<32 hex digits>", "sdmFileReadKey": "<32 hex digits>"}}}.`,
        "Fix the file (or TRACE_TAG_KEYS) and start again: no tag is checked until every entry is right.",
      ],
    });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return refuse(`is not JSON (${(error as Error).message})`);
  }
  const file = doc as { format?: unknown; tags?: unknown };
  if (file === null || typeof file !== "object" || Array.isArray(file)) return refuse("is not a JSON object");
  if (file.format !== TAG_KEYS_FORMAT) {
    return refuse(`has "format" ${JSON.stringify(file.format)}, not "${TAG_KEYS_FORMAT}"`);
  }
  if (file.tags === null || typeof file.tags !== "object" || Array.isArray(file.tags)) {
    return refuse('has no "tags" object');
  }
  const keys = new Map<string, SunTagKeys>();
  for (const [rawUid, entry] of Object.entries(file.tags as Record<string, unknown>)) {
    const uid = canonicalUid(rawUid);
    if (!UID.test(uid)) refuse(`has the UID ${JSON.stringify(rawUid)}, which is not 14 hex digits (7 bytes)`);
    if (keys.has(uid)) refuse(`lists the UID ${uid} twice`);
    const e = entry as Partial<Record<keyof SunTagKeys, unknown>> | null;
    for (const field of ["sdmMetaReadKey", "sdmFileReadKey"] as const) {
      const value = e?.[field];
      if (typeof value !== "string" || !KEY.test(value)) refuse(`has no 32-hex-digit ${field} for tag ${uid}`);
    }
    keys.set(uid, { sdmMetaReadKey: String(e!.sdmMetaReadKey), sdmFileReadKey: String(e!.sdmFileReadKey) });
  }
  return { path, keysFor: (uid) => keys.get(canonicalUid(uid)), uids: [...keys.keys()] };
}

/**
 * Reads the tag-keys file at `path`.
 * @throws TagKeysError when it cannot be read, when its group or others may access it (POSIX), or when it is
 * malformed.
 */
export function loadTagKeys(path: string): TagKeyStore {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    throw new TagKeysError(`The tag-keys file ${path} cannot be read (${(error as NodeJS.ErrnoException).code}).`, {
      hints: ["Set TRACE_TAG_KEYS to the path of the brand's tag-keys file."],
    });
  }
  // Windows has no such mode bits; there the directory's ACL protects the file.
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new TagKeysError(
      `The tag-keys file ${path} may be accessed by others (mode ${(mode & 0o777).toString(8)}): its keys forge taps.`,
      { hints: [`Run: chmod 600 ${path}`, "Then start again; the file must be readable by its owner only."] },
    );
  }
  return parseTagKeys(readFileSync(path, "utf8"), path);
}

/**
 * Writes a new tag-keys file readable by its owner only; never replaces one (the keys of tags already on
 * products would be lost).
 * @throws TagKeysError when the file exists.
 */
export function writeTagKeys(path: string, tags: Record<string, SunTagKeys>): void {
  const doc = {
    format: TAG_KEYS_FORMAT,
    tags: Object.fromEntries(Object.entries(tags).map(([uid, k]) => [canonicalUid(uid), k])),
  };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  parseTagKeys(text, path); // what is written is what the loader accepts
  try {
    writeFileSync(path, text, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    throw new TagKeysError(`The tag-keys file ${path} exists already: it is not replaced.`, {
      hints: ["Choose another path, or add the tags to the existing file by hand."],
    });
  }
}
