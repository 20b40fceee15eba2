/**
 * The EPCIS 2.0 capture interface (REST bindings): `POST /capture` (an EPCISDocument), `POST /events` (one
 * event), `GET /capture` (the caller's jobs, paginated), `GET /capture/{captureID}`, and `OPTIONS` on
 * `/capture` and `/events` (allowed methods, the capture limits, the versions). Every request but OPTIONS
 * needs `Authorization: Bearer <token>` (see src/capture/credentials.ts); a document is validated before
 * anything is stored (400 ValidationException) and then captured in the background by the capture service
 * (202 with `Location: /capture/{id}`). `GET /events` is the query interface's. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PublicClient } from "viem";
import { createPublicClient, http, type Address } from "viem";
import type { RouteContext, RouteHandler } from "./routes";
import { EpcisRestError, sendProblem } from "../epcis/rest/problem";
import { checkRequestedVersions, epcisResponseHeaders } from "../epcis/rest/headers";
import { checkEpcisCapture } from "../epcis/rest/validate";
import { EpcisHashError, recordHash, withEventId, type EpcisEvent } from "../epcis";
import { authenticateCaptureToken, bearerTokenOf, type CaptureIdentity } from "../capture/credentials";
import { createCaptureService, type CaptureService } from "../capture/service";
import { captureJobDocument, listJobs, loadJob, type CaptureErrorBehaviour } from "../capture/jobs";
import { createSenderCheck } from "../capture/sender";

export interface CaptureOptions {
  /** Off when false (default on when options are given). */
  enabled?: boolean;
  /** Most events per request (`GS1-EPCIS-Capture-Limit`, default 500). */
  captureLimit?: number;
  /** Largest request body in bytes (`GS1-EPCIS-Capture-File-Size-Limit`, default 4 MiB). */
  fileSizeLimit?: number;
  /** Unlocks the capture keys' keystores kept in the index database (`TRACE_CAPTURE_KEY_PASSPHRASE`). */
  keyPassphrase?: string;
  /** Raw capture keys, used on local chains only (the demo). */
  devKeys?: string[];
  /** Receipt polling of the capture writers (ms). */
  pollIntervalMs?: number;
}

/** Jobs per page of `GET /capture` by default, and at most. */
const PER_PAGE = { default: 30, max: 100 };
const EVENT_TYPES = new Set([
  "ObjectEvent",
  "AggregationEvent",
  "TransactionEvent",
  "TransformationEvent",
  "AssociationEvent",
]);
const JSON_TYPES = new Set(["application/json", "application/ld+json"]);

/** The routes, or undefined when capture is not configured; needs the server's node and index. */
export function createCaptureRoutes(context: RouteContext, options?: CaptureOptions): RouteHandler | undefined {
  if (!options || options.enabled === false) return undefined;
  if (!context.index || !context.nodeUrl) {
    throw new TypeError("The EPCIS capture interface needs the server's node (nodeUrl) and index.");
  }
  const db = context.index;
  const captureLimit = options.captureLimit ?? 500;
  const fileSizeLimit = options.fileSizeLimit ?? 4 * 1024 * 1024;
  const service: CaptureService = createCaptureService({
    db,
    nodeUrl: context.nodeUrl,
    manifest: context.manifest,
    recordsDir: context.recordsDir,
    keyPassphrase: options.keyPassphrase,
    devKeys: options.devKeys,
    pollIntervalMs: options.pollIntervalMs,
  });
  const client = createPublicClient({ transport: http(context.nodeUrl, { batch: true }) }) as PublicClient;
  const checkSender = createSenderCheck(client, {
    address: context.manifest.ledger.address as Address,
    chainId: context.manifest.chainId,
    deploymentBlock: BigInt(context.manifest.ledger.deploymentBlock),
  });

  const limitHeaders = {
    "GS1-EPCIS-Capture-Limit": String(captureLimit),
    "GS1-EPCIS-Capture-File-Size-Limit": String(fileSizeLimit),
    "GS1-Capture-Error-Behaviour": "all",
  };

  const authenticate = async (req: IncomingMessage): Promise<CaptureIdentity> => {
    const token = bearerTokenOf(req.headers.authorization);
    const identity = token === undefined ? undefined : await authenticateCaptureToken(db, token);
    if (!identity) {
      throw new EpcisRestError(
        "SecurityException",
        token !== undefined ? "The bearer token is unknown or revoked." : "Send Authorization: Bearer <capture token>.",
      );
    }
    return identity;
  };

  const behaviourOf = (req: IncomingMessage): CaptureErrorBehaviour => {
    const value = String(req.headers["gs1-capture-error-behaviour"] ?? "rollback")
      .trim()
      .toLowerCase();
    if (value === "rollback" || value === "proceed") return value;
    throw new EpcisRestError(
      "ValidationException",
      `GS1-Capture-Error-Behaviour "${value}" is not one of rollback, proceed.`,
    );
  };

  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    const type = String(req.headers["content-type"] ?? "")
      .split(";")[0]
      .trim()
      .toLowerCase();
    if (!JSON_TYPES.has(type)) {
      throw new EpcisRestError(
        "UnsupportedMediaTypeException",
        `Content-Type "${type || "(none)"}" is not supported: send EPCIS 2.0 JSON-LD as application/json or application/ld+json.`,
      );
    }
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > fileSizeLimit) throw tooLarge(declared);
    const text = await readLimited(req, fileSizeLimit);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new EpcisRestError("ValidationException", `The body is not JSON: ${(error as Error).message}.`);
    }
  };

  const tooLarge = (size?: number) =>
    new EpcisRestError(
      "CaptureLimitExceededException",
      `The body${size ? ` (${size} bytes)` : ""} exceeds GS1-EPCIS-Capture-File-Size-Limit, ${fileSizeLimit} bytes: split the document.`,
    );

  const readLimited = (req: IncomingMessage, limit: number) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.removeAllListeners("data");
          req.pause();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });

  /** The events with a missing eventID filled in (the record hash ID); an unhashable event is a 400. */
  const fillEventIds = (events: EpcisEvent[], at: (i: number) => string) =>
    events.map((e, i) => {
      try {
        recordHash(e); // refuses what RFC 8785 cannot canonicalize (lone surrogates …) even when an eventID is given
        return e.eventID ? e : withEventId(e);
      } catch (error) {
        if (!(error instanceof EpcisHashError)) throw error;
        throw new EpcisRestError("ValidationException", `${at(i)}: ${error.shortMessage}`);
      }
    });

  const accepted = (res: ServerResponse, id: string) => {
    res.writeHead(202, { ...epcisResponseHeaders(), location: `/capture/${id}`, "cache-control": "no-store" });
    res.end();
  };

  const postCapture = async (req: IncomingMessage, res: ServerResponse) => {
    const identity = await authenticate(req);
    const behaviour = behaviourOf(req);
    const doc = (await readJson(req)) as { type?: unknown; sender?: unknown; epcisBody?: { eventList?: unknown } };
    if (doc === null || typeof doc !== "object" || doc.type !== "EPCISDocument") {
      throw new EpcisRestError(
        "ValidationException",
        'POST /capture takes an EPCISDocument ("type": "EPCISDocument").',
      );
    }
    const list = doc.epcisBody?.eventList;
    if (Array.isArray(list) && list.length > captureLimit) {
      throw new EpcisRestError(
        "CaptureLimitExceededException",
        `The document has ${list.length} events; GS1-EPCIS-Capture-Limit is ${captureLimit}: split it.`,
      );
    }
    checkEpcisCapture(doc);
    await checkSender(doc.sender, identity.orgId);
    const job = await service.submit(
      identity,
      behaviour,
      fillEventIds(list as EpcisEvent[], (i) => `$.epcisBody.eventList[${i}]`),
    );
    accepted(res, job.id);
  };

  const postEvent = async (req: IncomingMessage, res: ServerResponse) => {
    const identity = await authenticate(req);
    const event = (await readJson(req)) as { type?: unknown };
    if (event === null || typeof event !== "object" || !EVENT_TYPES.has(String(event.type))) {
      throw new EpcisRestError(
        "ValidationException",
        `POST /events takes one EPCIS event (type one of ${[...EVENT_TYPES].join(", ")}); send documents to /capture.`,
      );
    }
    checkEpcisCapture(event, "The event");
    const { ["@context"]: _context, ...bare } = event as EpcisEvent & { "@context"?: unknown };
    const job = await service.submit(
      identity,
      "rollback",
      fillEventIds([bare as EpcisEvent], () => "$"),
    );
    accepted(res, job.id);
  };

  const getJobs = async (req: IncomingMessage, res: ServerResponse, params: URLSearchParams) => {
    const identity = await authenticate(req);
    for (const key of params.keys()) {
      if (key !== "perPage" && key !== "nextPageToken") {
        throw new EpcisRestError(
          "QueryParameterException",
          `Unknown parameter "${key}": use perPage and nextPageToken.`,
        );
      }
    }
    const perPageText = params.get("perPage");
    const perPage = perPageText === null ? PER_PAGE.default : Number(perPageText);
    if (!Number.isSafeInteger(perPage) || perPage < 1 || perPage > PER_PAGE.max) {
      throw new EpcisRestError("QueryParameterException", `perPage must be an integer from 1 to ${PER_PAGE.max}.`);
    }
    const token = params.get("nextPageToken");
    const after = token === null ? 0 : Number(Buffer.from(token, "base64url").toString("utf8"));
    if (!Number.isSafeInteger(after) || after < 0) {
      throw new EpcisRestError("QueryParameterException", "nextPageToken is not one this server gave.");
    }
    const page = await listJobs(db, identity.account, { after, limit: perPage });
    const headers: Record<string, string> = {
      ...epcisResponseHeaders(),
      "content-type": "application/json",
      "cache-control": "no-store",
    };
    if (page.next !== undefined) {
      const next = Buffer.from(String(page.next)).toString("base64url");
      headers.link = `</capture?perPage=${perPage}&nextPageToken=${next}>; rel="next"`;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify(page.jobs.map(captureJobDocument)));
  };

  const getJob = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const identity = await authenticate(req);
    const job = /^c[0-9a-f]{24}$/.test(id) ? await loadJob(db, id) : undefined;
    // Another account's job is answered as unknown: a token learns nothing of other members' captures.
    if (!job || job.account !== identity.account.toLowerCase()) {
      throw new EpcisRestError("NoSuchResourceException", `No capture job ${id} of this account.`);
    }
    res.writeHead(200, { ...epcisResponseHeaders(), "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(captureJobDocument(job)));
  };

  const options204 = (res: ServerResponse, allow: string) => {
    res.writeHead(204, { ...epcisResponseHeaders(), ...limitHeaders, allow });
    res.end();
  };

  const route = async (req: IncomingMessage, res: ServerResponse, path: string, params: URLSearchParams) => {
    const method = req.method ?? "GET";
    checkRequestedVersions(req);
    if (path === "/events") {
      if (method === "OPTIONS") return options204(res, "GET, POST, OPTIONS");
      return postEvent(req, res);
    }
    if (path === "/capture") {
      if (method === "OPTIONS") return options204(res, "GET, POST, OPTIONS");
      if (method === "POST") return postCapture(req, res);
      if (method === "GET" || method === "HEAD") return getJobs(req, res, params);
      throw new EpcisRestError("NoSuchResourceException", `${method} is not allowed on /capture.`, 405);
    }
    const id = decodeURIComponent(path.slice("/capture/".length));
    if (method === "OPTIONS") return options204(res, "GET, OPTIONS");
    if (method === "GET" || method === "HEAD") return getJob(req, res, id);
    throw new EpcisRestError("NoSuchResourceException", `${method} is not allowed on /capture/{captureID}.`, 405);
  };

  return {
    handle(req, res) {
      const [path, query = ""] = (req.url ?? "/").split("#")[0].split(/\?(.*)/s);
      const method = req.method ?? "GET";
      const ours =
        path === "/capture" ||
        /^\/capture\/[^/]+$/.test(path) ||
        (path === "/events" && (method === "POST" || method === "OPTIONS"));
      if (!ours) return false;
      route(req, res, path, new URLSearchParams(query)).catch((error) => {
        if (res.headersSent) return void res.end();
        const extra: Record<string, string> = { connection: "close" };
        if (error instanceof EpcisRestError) {
          if (error.exception === "SecurityException" && error.status === 401) {
            extra["www-authenticate"] = 'Bearer realm="epcis-capture"';
          }
          if (error.status === 405) extra.allow = path === "/capture" ? "GET, POST, OPTIONS" : "GET, OPTIONS";
          if (error.status !== 413 && error.status !== 415) delete extra.connection;
          sendProblem(res, error, extra);
        } else {
          sendProblem(res, { exception: "ImplementationException", detail: "The capture interface failed." });
        }
        // A body refused before it was read is not read at all: close the connection after the answer.
        if (extra.connection === "close") res.on("finish", () => req.destroy());
      });
      return true;
    },
    close: () => service.close(),
  };
}
