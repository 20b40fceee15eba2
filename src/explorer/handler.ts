/**
 * The explorer's router: block-explorer pages read from the ledger index, for the platform server to mount.
 * `createExplorerHandler(...)` returns `(req, res) => boolean`: true when the request was the explorer's
 * (everything under /explorer) and has been answered. Node-only.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PublicClient } from "viem";
import type { ProofBundle } from "../bundle/types";
import { TraceError } from "../errors/base";
import { Gs1Error, parseGs1 } from "../gs1";
import type { IndexSql } from "../indexer/db";
import { IndexQueryError } from "../indexer/errors";
import { unitByKey } from "../indexer/queries";
import { accountEntriesPage, accountRedirect } from "./account";
import { blockPage } from "./block";
import { customsRoute } from "./customs";
import type { ExplorerContext, ExplorerLedger, PageResult, Redirect } from "./context";
import { errorPage } from "./errorPage";
import { ExplorerInputError, ExplorerNotFoundError } from "./errors";
import { BASE, href } from "./format";
import { homePage } from "./home";
import { html } from "./html";
import { contentSecurityPolicy, layout, sendPage, type Assets } from "./layout";
import { organizationPage } from "./organization";
import { parseAddress, parseBlockNumber, parseHash32, parseOrgId } from "./params";
import { searchPage } from "./search";
import { EXPLORER_CSS } from "./style";
import { transactionPage } from "./transaction";
import { unitPage } from "./unit";

export interface ExplorerOptions {
  /** The ledger index. */
  db: IndexSql;
  /** The unit's proof bundle, made against the server's node (undefined: the page walks the logs itself). */
  bundle: (code: string) => Promise<ProofBundle | undefined>;
  /** The JSON-RPC URL the page's verdict reads the chain from (the platform's same-origin gateway: "/rpc"). */
  rpcUrl: string;
  /** The built client script (`scripts/build-explorer.ts`), served at /explorer/client.js. */
  scriptPath: string;
  /** The ledger the verdicts are checked against (the deployment manifest's). */
  ledger: ExplorerLedger;
  /** Where a record the bundle lacks is fetched from (default "/records/", the platform server's store). */
  recordsUrl?: string;
  /**
   * Search document numbers too: the table `indexRecordDocuments` fills from the record store (default false:
   * the table may not exist).
   */
  documents?: boolean;
  /** Entries per page of the paginated lists (default 25). */
  pageSize?: number;
  /** The chain, to show how far the index lags behind it on the home page. */
  client?: PublicClient;
}

/** Longest request target the explorer reads. */
const MAX_TARGET = 2048;

const DIGITAL_LINK = /^\/(01|00|401|414|8003|8004|8006|8010|8017|8018)\//;

function asset(body: Buffer, type: string) {
  return { body, type, version: createHash("sha256").update(body).digest("hex").slice(0, 16) };
}

/**
 * Creates the explorer's request handler.
 *
 * @param options - {@link ExplorerOptions}.
 * @returns A handler answering every request under /explorer (and returning true), false for the rest.
 */
export function createExplorerHandler(
  options: ExplorerOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const ctx: ExplorerContext = {
    db: options.db,
    bundle: options.bundle,
    rpcUrl: options.rpcUrl,
    ledger: options.ledger,
    recordsUrl: options.recordsUrl ?? "/records/",
    pageSize: options.pageSize ?? 25,
    documents: options.documents ?? false,
    ...(options.client ? { client: options.client } : {}),
  };
  const css = asset(Buffer.from(EXPLORER_CSS, "utf8"), "text/css; charset=utf-8");
  let script: ReturnType<typeof asset> | undefined;
  const scriptAsset = () => {
    // Read once it exists: the page may be built after the server started.
    if (!script && existsSync(options.scriptPath)) {
      script = asset(readFileSync(options.scriptPath), "text/javascript; charset=utf-8");
    }
    return script;
  };
  const assets = (): Assets => ({
    css: `${BASE}/explorer.css?v=${css.version}`,
    script: `${BASE}/client.js?v=${scriptAsset()?.version ?? "missing"}`,
  });
  const csp = contentSecurityPolicy(options.rpcUrl);

  const render = (res: ServerResponse, page: PageResult, head: boolean) => {
    const a = assets();
    const tail = page.script
      ? html`${page.tail}
          <script src="${a.script}" defer></script>`
      : page.tail;
    sendPage(res, page.status, layout({ ...page, tail }, a), csp, head);
  };

  return (req, res) => {
    const target = req.url ?? "/";
    const path = target.split("?")[0];
    if (path !== BASE && !path.startsWith(`${BASE}/`)) return false;
    const head = req.method === "HEAD";
    void route(target, path, req.method ?? "GET")
      .then((out) => {
        if ("redirect" in out) {
          res.writeHead(302, { location: out.redirect, "cache-control": "no-cache", "content-length": 0 });
          res.end();
        } else if ("asset" in out) {
          const cacheable = new URL(target, "http://x").searchParams.get("v") === out.asset.version;
          res.writeHead(200, {
            "content-type": out.asset.type,
            "content-length": out.asset.body.length,
            "cache-control": cacheable ? "public, max-age=31536000, immutable" : "no-cache",
            "x-content-type-options": "nosniff",
          });
          res.end(head ? undefined : out.asset.body);
        } else render(res, out, head);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) render(res, pageOfError(error), head);
        else res.destroy();
      });
    return true;
  };

  async function route(
    target: string,
    path: string,
    method: string,
  ): Promise<PageResult | Redirect | { asset: ReturnType<typeof asset> }> {
    if (method !== "GET" && method !== "HEAD") return errorPage(405, "The explorer answers GET and HEAD only.");
    if (target.length > MAX_TARGET)
      throw new ExplorerInputError(`The address is longer than ${MAX_TARGET} characters.`);
    let url: URL;
    try {
      url = new URL(target, "http://explorer.invalid");
    } catch {
      throw new ExplorerInputError("The address is not a valid URL.");
    }
    const after = url.searchParams.get("after") ?? undefined;
    const rest = path.slice(BASE.length) || "/";
    if (rest === "/") return homePage(ctx, after);
    if (rest === "/explorer.css") return { asset: css };
    if (rest === "/client.js") {
      const s = scriptAsset();
      if (!s) throw new ExplorerNotFoundError("The explorer's script is not built: run npm run build:explorer.");
      return { asset: s };
    }
    if (rest === "/search") return searchPage(ctx, url.searchParams.get("q") ?? "");
    if (DIGITAL_LINK.test(rest)) return digitalLink(rest, url.search);
    if (rest === "/customs" || rest.startsWith("/customs/")) {
      const out = await customsRoute(ctx, rest, url.searchParams);
      return "csv" in out ? { asset: asset(Buffer.from(out.csv, "utf8"), "text/csv; charset=utf-8") } : out;
    }
    const [, kind, id, sub, ...extra] = rest.split("/");
    const seg = decode(id ?? "");
    if (extra.length === 0) {
      if (kind === "unit" && sub === undefined) return unitPage(ctx, parseHash32(seg, "unit key"));
      if (kind === "org" && sub === undefined) return organizationPage(ctx, parseOrgId(seg), after);
      if (kind === "tx" && sub === undefined) return transactionPage(ctx, parseHash32(seg, "transaction hash"));
      if (kind === "block" && sub === undefined) return blockPage(ctx, parseBlockNumber(seg));
      if (kind === "account" && sub === undefined) return accountRedirect(ctx, parseAddress(seg));
      if (kind === "account" && sub === "entries") return accountEntriesPage(ctx, parseAddress(seg), after);
    }
    throw new ExplorerNotFoundError(`The explorer has no page at ${path}.`);
  }

  /** A scanned Digital Link under /explorer: to the unit's page. */
  async function digitalLink(rest: string, search: string): Promise<Redirect> {
    const identity = parseGs1(`https://id.gs1.org${rest}${search}`);
    const unit = await unitByKey(ctx.db, identity.key);
    if (!unit) {
      throw new ExplorerNotFoundError(
        `The index holds no unit ${identity.canonicalPath}: check the code on the verification page (/?code=…).`,
      );
    }
    return { redirect: href.unit(unit.key) };
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ExplorerInputError("The address has a malformed %-escape.");
  }
}

/** The page an error becomes: its own message for input and not-found errors, a generic one otherwise. */
function pageOfError(error: unknown): PageResult {
  if (error instanceof ExplorerNotFoundError) return errorPage(404, error.shortMessage);
  if (error instanceof ExplorerInputError || error instanceof IndexQueryError || error instanceof Gs1Error) {
    return errorPage(400, (error as TraceError).shortMessage);
  }
  // An unexpected failure (the database went away): no internals in the page.
  console.error("explorer:", error);
  return errorPage(500, "The explorer could not read the index. Try again in a moment.");
}
