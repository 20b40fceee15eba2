/**
 * Scan counts (issue 17, interface 2): the server counts one verification of a unit each time it serves the
 * unit's proof bundle or a scanned link's page (never when a page asks `/scans`), and answers
 * `GET /scans/<unit key>` with the count, first and last time, regions and the suspicious-scanning warning.
 * Only registered units are counted, so made-up codes cannot grow the store. A region is taken only from the
 * header a trusted proxy sets, when the operator names it (`TRACE_SCAN_REGION_HEADER`), and only as two
 * letters. The store is `src/scans/store.ts`; what it keeps is the time and that region, nothing else.
 * Node-only.
 */
import type { IncomingMessage } from "node:http";
import type { Hex } from "viem";
import { registrationLookup } from "../resolver/registry";
import { ScanStore } from "../scans/store";
import { DEFAULT_SCAN_RULES, type ScanRules } from "../scans/rules";
import { traceEnv, type TraceEnv } from "../config/env";
import { resolve } from "node:path";
import { regionOf, scanView } from "../scans/view";
import { sendApiError, sendJson } from "./apiErrors";
import { hasBody } from "./http";
import type { RouteContext, RouteHandler } from "./routes";

export interface ScanOptions {
  /** The store's own directory (`TRACE_SCANS_DIR`): not the index's, which a rebuild drops. */
  dir: string;
  /** The request header a trusted proxy puts the country in (`TRACE_SCAN_REGION_HEADER`, e.g. cf-ipcountry). */
  regionHeader?: string;
  rules?: ScanRules;
  /** Current time in Unix seconds (tests). */
  now?: () => number;
}

/** The scan routes and the counter the bundle and page routes call. */
export interface ScanCounting extends RouteHandler {
  /** Counts one verification of `unit` (a registered unit only); never throws. */
  count(unit: Hex, req: IncomingMessage): Promise<void>;
  store?: ScanStore;
}

/** The scan options of the settings (`TRACE_SCANS_DIR`, …), or undefined when no directory is set. */
export function scanSettings(env: TraceEnv = traceEnv()): ScanOptions | undefined {
  if (!env.scansDir) return undefined;
  return {
    dir: resolve(env.scansDir),
    ...(env.scanRegionHeader ? { regionHeader: env.scanRegionHeader } : {}),
    rules: {
      burst: env.scanBurst ?? DEFAULT_SCAN_RULES.burst,
      farApart: env.scanFarApart ?? DEFAULT_SCAN_RULES.farApart,
    },
  };
}

const SCANS = /^\/scans\/([^/?#]*)$/;

/** Creates the routes; without options, `/scans` answers 503 and nothing is counted. */
export function createScanRoutes(context: RouteContext, options?: ScanOptions): ScanCounting {
  const store = options ? ScanStore.open({ dir: options.dir, rules: options.rules, now: options.now }) : undefined;
  const header = options?.regionHeader?.toLowerCase();
  const isRegistered = registrationLookup(context);

  return {
    store,
    async count(unit, req) {
      if (!store) return;
      try {
        // A unit once scanned is registered (registrations are never undone): only its first scan asks.
        if (!store.has(unit) && !(await isRegistered(unit))) return;
        store.record(unit, header ? regionOf(req.headers[header]) : undefined);
      } catch {
        // Counting is the platform's say-so: a failure to count never fails the buyer's verification.
      }
    },
    handle(req, res) {
      const m = SCANS.exec((req.url ?? "/").split(/[?#]/)[0]);
      if (!m) return false;
      if (req.method !== "GET" && req.method !== "HEAD") {
        sendApiError(res, 405, "bad-request", "Ask with GET /scans/<unit key>.", "请使用 GET /scans/<单元键> 查询。");
      } else if (hasBody(req)) {
        sendApiError(res, 400, "bad-request", "Send GET /scans/<unit key> without a body.", "GET 请求不应带请求体。");
      } else if (!/^0x[0-9a-fA-F]{64}$/.test(m[1])) {
        sendApiError(
          res,
          400,
          "bad-request",
          `"${m[1].slice(0, 80)}" is not a unit key: ask for GET /scans/0x<64 hex digits>, the key of the unit's code.`,
          "这不是单元键：请使用 GET /scans/0x<64位十六进制>，即该商品码的单元键。",
        );
      } else if (!store) {
        sendApiError(
          res,
          503,
          "scans-unavailable",
          "This platform does not count scans (its operator has not set TRACE_SCANS_DIR).",
          "此平台未统计扫码次数（运营方未设置 TRACE_SCANS_DIR）。",
        );
      } else {
        const unit = m[1].toLowerCase() as Hex;
        sendJson(res, 200, scanView(unit, store.get(unit)));
      }
      return true;
    },
    async close() {
      store?.close();
    },
  };
}
