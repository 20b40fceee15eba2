/**
 * `PUT /records/<hash>.json`: how a member's records reach the platform's store, so a buyer's page can show
 * them. The store stays content-addressed and honest: a record is kept only when its hash is the one in the
 * path and a ledger entry holds that hash (found in the index, or in the recent history of the units the
 * record names). Nobody can put a record under another hash, or fill the store with records never written
 * on chain; a record already there is left as it is. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { recordHash, recordHashOfEventId, unitKeysNamed, type EpcisEvent } from "../epcis";
import { RecordStore } from "../records/store";
import { BodyTooLargeError, CONTENT_TYPES, fail, hasBody, readBodyLimited, send } from "./http";
import { RECORD_NAME, recordFile } from "./records";
import { indexedAnchor, recentChainAnchor } from "./recordAnchor";
import type { RouteContext, RouteHandler } from "./routes";
import { createRecordAccess, type RecordAccessOptions } from "./recordAccess";

/** Largest record accepted (an EPCIS event or a customs document is a few kilobytes). */
export const MAX_RECORD_BYTES = 256 * 1024;
/** Most `?unit=` hints one upload may name. */
const MAX_UNIT_HINTS = 8;

export interface RecordUploadOptions {
  /** Called after a record was stored (the server drops its cached bundles). */
  onStored?: (hash: Hex) => void;
  /** Who reads withheld (finance) records: `GET /records/<hash>.json` is answered here too (recordAccess.ts). */
  access?: RecordAccessOptions;
}

/** The upload route; always on (it needs the server's node or index to check anchors, else it answers 503). */
export function createRecordRoutes(context: RouteContext, options: RecordUploadOptions = {}): RouteHandler {
  const store = new RecordStore(context.recordsDir);
  const client: PublicClient | undefined = context.nodeUrl
    ? // cacheTime 0: a record is uploaded right after its block; a cached head would not reach it yet.
      (createPublicClient({ transport: http(context.nodeUrl, { retryCount: 1 }), cacheTime: 0 }) as PublicClient)
    : undefined;
  const ledger = {
    address: context.manifest.ledger.address,
    chainId: context.manifest.chainId,
    deploymentBlock: BigInt(context.manifest.ledger.deploymentBlock),
    version: context.manifest.ledger.version,
  };

  const access = createRecordAccess(
    {
      recordsDir: context.recordsDir,
      ledger,
      ...(client ? { client } : {}),
      ...(context.index ? { index: context.index } : {}),
    },
    options.access,
  );

  const anchored = async (hash: Hex, record: unknown, hints: Hex[]): Promise<boolean> => {
    if (context.index && (await indexedAnchor(context.index, hash))) return true;
    if (!client) return false;
    const units = new Set<Hex>(hints);
    try {
      for (const key of unitKeysNamed(record as EpcisEvent)) units.add(key);
    } catch {
      // Not an EPCIS event naming GS1 units (a customs document, say): only the hints and the index apply.
    }
    return recentChainAnchor(client, ledger, units, hash);
  };

  const upload = async (req: IncomingMessage, res: ServerResponse, hash: Hex, query: URLSearchParams) => {
    if (!context.index && !client) {
      return fail(res, 503, "this server has neither an index nor a node to check records against the chain");
    }
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json" && type !== "application/ld+json") {
      return fail(res, 415, `send the record as application/json, not "${type || "(no content type)"}"`);
    }
    const hints = query.getAll("unit").flatMap((u) => u.split(","));
    if (hints.length > MAX_UNIT_HINTS || hints.some((u) => !/^0x[0-9a-f]{64}$/.test(u))) {
      return fail(res, 400, `unit= names at most ${MAX_UNIT_HINTS} unit keys, each 0x and 64 lower-case hex digits`);
    }
    let body: Buffer;
    try {
      body = await readBodyLimited(req, MAX_RECORD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return fail(res, 413, `a record is at most ${MAX_RECORD_BYTES} bytes`);
      throw error;
    }
    let record: unknown;
    try {
      record = JSON.parse(body.toString("utf8"));
    } catch (error) {
      return fail(res, 400, `the body is not JSON: ${(error as Error).message}`);
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      return fail(res, 400, "a record is a JSON object");
    }
    let actual: Hex;
    try {
      actual = recordHash(record);
    } catch (error) {
      return fail(res, 400, `the record cannot be hashed: ${(error as Error).message}`);
    }
    if (actual !== hash) {
      return fail(res, 422, `this record's hash is ${actual}, not ${hash}: upload it under its own hash`);
    }
    // The hash leaves eventID out, so the first uploader would fix it: a cbec-trace hash ID must be this record's.
    const eventId = (record as { eventID?: unknown }).eventID;
    const named = typeof eventId === "string" ? recordHashOfEventId(eventId) : undefined;
    if (named !== undefined && named.toLowerCase() !== hash) {
      return fail(res, 422, `this record's eventID names record ${named}, not ${hash}: upload the record as written`);
    }
    if (recordFile(context.recordsDir, hash)) return sendJson(res, 200, { hash, stored: false, present: true });
    if (!(await anchored(hash, record, hints as Hex[]))) {
      // The write may not have reached this server's node or index yet: the CLI retries for a while.
      return fail(
        res,
        409,
        "no ledger entry holds this hash (yet): upload a record after its write is confirmed; if it was, retry in a few seconds",
      );
    }
    store.put(hash, record as EpcisEvent);
    options.onStored?.(hash);
    sendJson(res, 201, { hash, stored: true, present: true });
  };

  return {
    handle(req, res) {
      if (req.method === "GET" || req.method === "HEAD") {
        // Reading: public records to anyone, finance documents to those entitled (recordAccess.ts).
        const read = /^\/records\/(0x[0-9a-f]{64})\.json$/.exec((req.url ?? "/").split(/[?#]/)[0]);
        if (!read) return false;
        if (hasBody(req)) {
          fail(res, 413, "no request body accepted");
          return true;
        }
        access.serve(req, res, read[1] as Hex).catch((error) => {
          if (!res.headersSent) fail(res, 502, `could not check who may read the record: ${(error as Error).message}`);
        });
        return true;
      }
      if (req.method !== "PUT") return false;
      const [path, query = ""] = (req.url ?? "/").split("#")[0].split(/\?(.*)/s);
      const m = /^\/records\/([^/]*)\.json$/.exec(path);
      if (!m) return false;
      if (!RECORD_NAME.test(m[1])) {
        fail(res, 404, "records are uploaded under their 0x-prefixed lower-case SHA-256: PUT /records/0x….json");
        return true;
      }
      upload(req, res, m[1] as Hex, new URLSearchParams(query)).catch((error) => {
        if (!res.headersSent)
          fail(res, 502, `could not check the record against the chain: ${(error as Error).message}`);
      });
      return true;
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  send(res, status, CONTENT_TYPES[".json"], JSON.stringify(body));
}
