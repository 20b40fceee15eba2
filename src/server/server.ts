/**
 * The platform's HTTP server for the verification page: it serves the page (its HTML with the settings and,
 * for a scanned link, the unit's proof bundle inlined; its script and CSS under content-hashed names), the
 * deployment manifest, the off-chain records by hash (and members' uploads of them, each checked against the
 * chain: `recordRoutes.ts`), the proof bundles (`/bundle/…`), a read-only JSON-RPC gateway to its node
 * (`POST /rpc`), and for issue 17 the claim relay (`POST /claims`) and scan counts (`GET /scans/<unit>`) —
 * nothing else. The page checks everything it shows against the
 * chain itself; this server is not trusted for the verdict. Routes live here; each job in its own file.
 * Node-only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { resolve } from "node:path";
import type { DeploymentManifest } from "../config/manifest";
import { CONTENT_TYPES, fail, hasBody, send } from "./http";
import { pageAssets } from "./pageAssets";
import { storeFetcher } from "./records";
import { createRecordRoutes } from "./recordRoutes";
import { createBundleService, type BundleService } from "./bundles";
import { bundleForPage, bundleRequestCode, scannedCode, serveBundle } from "./bundleRoute";
import { createGateway } from "./gateway";
import { parseGs1 } from "../gs1";
import type { IndexSql } from "../indexer/db";
import { createExplorerHandler } from "../explorer/handler";
import { BASE as EXPLORER_BASE } from "../explorer/format";
import type { RouteContext, RouteHandler } from "./routes";
import { createCaptureRoutes, type CaptureOptions } from "./captureRoutes";
import { captureCaller } from "../capture/credentials";
import { createQueryRoutes, type QueryOptions } from "./queryRoutes";
import { createResolverRoutes, type ResolverOptions } from "./resolverRoutes";
import { createTapRoutes, type TapRouteOptions } from "./tapRoutes";
import { createScanRoutes, type ScanOptions } from "./scanRoutes";
import { createClaimRoutes, type ClaimRelayOptions } from "./claimRoutes";
import { SERVED_PAGE_PARAM } from "../resolver/verifyPath";

export interface TraceServerOptions {
  /** Directory of the built page (index.html, app.<hash>.js …). */
  pageDir: string;
  /** Directory of the off-chain record store (`<0x…hash>.json`). */
  recordsDir: string;
  /** The deployment manifest served at /manifest.json. */
  manifest: DeploymentManifest;
  /** The server's own JSON-RPC node (usually internal): bundles are built and `/rpc` forwards to it. */
  nodeUrl?: string;
  /**
   * The JSON-RPC URL browsers read the chain from (`TRACE_PUBLIC_RPC_URL`, a public node). Default: this
   * server's own gateway, `/rpc` — same origin, so no CORS preflight.
   */
  publicRpcUrl?: string;
  /** @deprecated The node's URL, as `nodeUrl` (before issue 12 it was also the page's). */
  rpcUrl?: string;
  /** The ledger index (`startIndexer(…).db`): bundles read their logs from it, the explorer its pages. */
  index?: IndexSql;
  /**
   * Serve the explorer at /explorer (needs `index`): the built client script (`buildExplorer()`), and whether
   * document numbers are searchable (the table `indexRecordDocuments` fills from the record store).
   */
  explorer?: { scriptPath: string; documents?: boolean };
  /** The EPCIS 2.0 capture interface (`POST /capture`, `POST /events`); needs `nodeUrl` and `index`. */
  capture?: CaptureOptions;
  /** The EPCIS 2.0 query interface (`GET /events`, `/queries`, subscriptions); needs `index`. */
  epcisQuery?: QueryOptions;
  /** The GS1-conformant resolver (`/.well-known/gs1resolver`, Digital Link paths). */
  resolver?: ResolverOptions;
  /** Where the page's "report this product" link goes (`TRACE_REPORT_URL`: mailto: or http(s)). */
  reportUrl?: string;
  /**
   * The names (`host[:port]`) clients reach this platform by: a signed read of a withheld (finance) record
   * must name one of them (`src/server/recordAccess.ts`). Default: each request's own Host header.
   */
  platformHosts?: string[];
  /** The brand's NTAG 424 DNA tap check (`POST /taps/sun`); without a service it answers 503. */
  taps?: TapRouteOptions;
  /** Bundles kept in memory (default 512). */
  bundleCacheSize?: number;
  /** How long a scanned link's HTML waits for its bundle before it is sent without (ms, default 3 s). */
  bundleTimeoutMs?: number;
  /** Scan counts (`GET /scans/<unit>`, issue 17): counted when a bundle or a scanned link's page is served. */
  scans?: ScanOptions;
  /** The claim relay (`POST /claims`, issue 17): its relayer key (default TRACE_RELAYER_KEY) and limits. */
  claimRelay?: ClaimRelayOptions;
}

/** Longest request target accepted (a Digital Link with attributes is far shorter). */
export const MAX_URL_LENGTH = 2048;

/** The page's default JSON-RPC endpoint: the gateway on its own origin. */
export const GATEWAY_PATH = "/rpc";

/** The server with its bundle service (for tests and benchmarks that look at the cache). */
export type TraceServer = Server & { bundles?: BundleService };

/** Whether a page's code is a valid GS1 code (an invalid one still gets the page, which explains). */
function isValidCode(code: string): boolean {
  try {
    parseGs1(code);
    return true;
  } catch {
    return false;
  }
}

/**
 * The query interface's options: with the capture interface on, a capture token also names its caller to the
 * query routes (its organization's off-chain events, named queries and subscriptions), unless the caller
 * gives its own `authenticate`.
 */
function queryOptions(options: TraceServerOptions): QueryOptions | undefined {
  const query = options.epcisQuery;
  if (!query || query.authenticate || !options.capture || !options.index) return query;
  return { ...query, authenticate: captureCaller(options.index) };
}

/** Creates the server (not listening yet). */
export function createTraceServer(options: TraceServerOptions): TraceServer {
  const recordsDir = resolve(options.recordsDir);
  const assets = pageAssets(options.pageDir);
  const config = { ...options.manifest, rpcUrl: options.publicRpcUrl ?? GATEWAY_PATH };
  const nodeUrl = options.nodeUrl ?? options.rpcUrl;
  const bundles = nodeUrl
    ? createBundleService({
        nodeUrl,
        manifest: options.manifest,
        fetchRecord: storeFetcher(recordsDir),
        cacheSize: options.bundleCacheSize,
        ...(options.index ? { index: options.index } : {}),
      })
    : undefined;
  const gateway = nodeUrl ? createGateway({ nodeUrl }) : undefined;
  const explorer =
    options.index && options.explorer
      ? createExplorerHandler({
          db: options.index,
          // A unit page's verdict is checked in the browser with the bundle; without one it walks the logs.
          bundle: (code) => (bundles ? bundles.bundleFor(code).catch(() => undefined) : Promise.resolve(undefined)),
          rpcUrl: config.rpcUrl,
          scriptPath: options.explorer.scriptPath,
          ledger: {
            address: options.manifest.ledger.address,
            chainId: options.manifest.chainId,
            deploymentBlock: options.manifest.ledger.deploymentBlock,
            version: options.manifest.ledger.version,
          },
          recordsUrl: "/records/",
          documents: options.explorer.documents ?? false,
        })
      : undefined;
  // The page's own settings (issue 15): whether the explorer's pages can be linked to, and where a buyer
  // reports a product the ledger never registered.
  if (explorer) Object.assign(config, { explorerUrl: EXPLORER_BASE });
  if (options.reportUrl) Object.assign(config, { reportUrl: options.reportUrl });
  const manifestJson = JSON.stringify(config);
  const bundleTimeoutMs = options.bundleTimeoutMs ?? 3_000;
  const context: RouteContext = {
    manifest: options.manifest,
    recordsDir,
    ...(nodeUrl ? { nodeUrl } : {}),
    ...(options.index ? { index: options.index } : {}),
  };
  const scans = createScanRoutes(context, options.scans);
  const interfaces: RouteHandler[] = [
    scans,
    createClaimRoutes(context, options.claimRelay),
    createCaptureRoutes(context, options.capture),
    createQueryRoutes(context, queryOptions(options)),
    createResolverRoutes(context, { explorer: explorer !== undefined, ...options.resolver }),
    createTapRoutes(options.taps),
    // Members' records reach the store here (PUT /records/<hash>.json), each checked against the chain.
    // … and are read there (GET): finance documents only by a signed request of an entitled member.
    createRecordRoutes(context, {
      onStored: () => bundles?.forget(),
      ...(options.platformHosts ? { access: { hosts: options.platformHosts } } : {}),
    }),
  ].filter((h): h is RouteHandler => h !== undefined);

  const page = async (req: IncomingMessage, res: ServerResponse, code: string | undefined) => {
    // An invalid code's page says so (the verifier in it reports INVALID_CODE), with an honest 400 status.
    const valid = code === undefined || isValidCode(code);
    const bundle = code && valid && bundles ? await bundleForPage(bundles, code, bundleTimeoutMs) : undefined;
    const html = assets.html(config, bundle);
    if (html === undefined) return fail(res, 503, "the page is not built: run npm run build:page");
    if (code && valid && req.method === "GET") await scans.count(parseGs1(code).key as `0x${string}`, req);
    send(res, valid ? 200 : 400, CONTENT_TYPES[".html"], html);
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? "/";
    if (raw.length > MAX_URL_LENGTH) return fail(res, 414, "request target too long");
    if (explorer?.(req, res)) return;
    for (const handler of interfaces) if (handler.handle(req, res)) return;
    const [path, query = ""] = raw.split("#")[0].split(/\?(.*)/s);
    if (path === GATEWAY_PATH && req.method === "POST") {
      if (!gateway) return fail(res, 503, "this server has no node to forward JSON-RPC to");
      return gateway(req, res);
    }
    if (req.method !== "GET" && req.method !== "HEAD") return fail(res, 405, "only GET and HEAD");
    if (hasBody(req)) return fail(res, 413, "no request body accepted");
    if (path === GATEWAY_PATH) return fail(res, 405, "POST JSON-RPC requests to /rpc");
    if (path === "/manifest.json") return send(res, 200, CONTENT_TYPES[".json"], manifestJson);
    const params = new URLSearchParams(query);
    if (path === "/bundle" || path.startsWith("/bundle/")) {
      if (!bundles) return fail(res, 503, "this server has no node to build bundles from");
      // The page's own request after its visit was counted (SERVED_PAGE_PARAM) is not a second scan.
      const counted = req.method === "GET" && params.get(SERVED_PAGE_PARAM) !== "1";
      return serveBundle(res, bundles, bundleRequestCode(path, params), (unit) =>
        counted ? scans.count(unit, req) : Promise.resolve(),
      );
    }
    if (path.startsWith("/records/")) return fail(res, 404, "records are served by their 0x-prefixed SHA-256 only");
    const asset = path.slice(1);
    if (assets.has(asset)) return assets.serve(res, asset);
    // The verification page of a code (/verify/01/…/21/…, where the resolver sends scans; /verify?code=,
    // /?code=): the code is parsed, never used as a file path, so an encoded "/" in a serial is fine.
    const code = scannedCode(path, params);
    if (code !== undefined) return page(req, res, code);
    // Every other path is the single-page app; anything with dots, backslashes or encoded separators that is
    // not a known asset is refused rather than guessed at.
    if (/\.\.|\\|%2e|%2f|%5c/i.test(path)) return fail(res, 400, "invalid path");
    return page(req, res, undefined);
  };

  const server: TraceServer = createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) fail(res, 500, "internal error");
      else res.end();
    });
  });
  server.bundles = bundles;
  server.on("close", () => {
    for (const handler of interfaces) void handler.close?.();
  });
  return server;
}
