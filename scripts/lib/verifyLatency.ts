/**
 * The latency part of `npm run bench:verify` (issue 12): with a latency proxy adding 0, 50 and 150 ms per
 * HTTP request in front of the node AND of the platform server, the sequential round trips and the time of
 * (a) the SDK's log walk (`verifyUnit`), (b) the SDK with the proof bundle fetched from the server
 * (`verifyWithBundle`) and (c) the page in Chromium from navigation to verdict (a scanned link, its bundle
 * inlined), for the demo item (in a carton in a consignment, ≥ 1,000 blocks between writes) and a
 * 1,000-entry unit; every verdict must equal the log walk's. The platform server reads its node directly
 * (it sits next to it); the buyer reaches both through the proxies.
 */
import { existsSync } from "node:fs";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import type { AddressInfo } from "node:net";
import { startLatencyProxy, sequentialRoundTrips, type LatencyProxy } from "./latencyProxy";
import { createTraceServer } from "../../src/server/server";
import { storeFetcher } from "../../src/server/records";
import { verifyUnit } from "../../src/verify/verify";
import { verifyWithBundle } from "../../src/bundle/verify";
import type { ProofBundle } from "../../src/bundle/types";
import type { DeploymentManifest } from "../../src/config/manifest";
import { CHROMIUM, launchChromium } from "./chromium";
import { verifyPathOf } from "../../src/resolver/verifyPath";

export const LATENCIES_MS = [0, 50, 150];

/** The targets at 150 ms (issue 12). */
export const TARGETS = { sdkMs: 600, pageMs: 1200, roundTrips: 3 };

export interface LatencyCase {
  name: string;
  code: string;
}

export interface LatencyRow {
  case: string;
  latencyMs: number;
  mode: "sdk log walk" | "sdk + bundle" | "page + bundle" | "page, cached script";
  verdict: string;
  /** Sequential HTTP round trips seen at the proxies (the critical path). */
  roundTrips: number;
  /** HTTP requests sent in all. */
  requests: number;
  /** Median milliseconds. */
  ms: number;
  runs: number;
  /** What `verifyWithBundle` reported (round trips, bundle used or why not). */
  detail?: string;
}

export interface LatencySetup {
  nodeUrl: string;
  manifest: DeploymentManifest;
  pageDir: string;
  recordsDir: string;
}

/** Runs every case at every latency; throws when a verdict differs from the log walk's. */
export async function measureLatency(setup: LatencySetup, cases: LatencyCase[]): Promise<LatencyRow[]> {
  const server = createTraceServer({
    pageDir: setup.pageDir,
    recordsDir: setup.recordsDir,
    manifest: setup.manifest,
    nodeUrl: setup.nodeUrl,
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const nodeProxy = await startLatencyProxy(setup.nodeUrl);
  const serverProxy = await startLatencyProxy(serverUrl);
  const ledger = {
    address: setup.manifest.ledger.address as Address,
    chainId: setup.manifest.chainId,
    deploymentBlock: BigInt(setup.manifest.ledger.deploymentBlock),
  };
  const fetchRecord = storeFetcher(setup.recordsDir);
  const browser = existsSync(CHROMIUM) ? await launchChromium() : undefined;
  if (!browser) console.warn(`(page not measured: ${CHROMIUM} is missing — apt-get install -y chromium)`);
  const rows: LatencyRow[] = [];
  try {
    for (const latency of LATENCIES_MS) {
      nodeProxy.delayMs = latency;
      serverProxy.delayMs = latency;
      for (const c of cases) {
        // The log walk at 150 ms takes long for 1,000 entries: one run there, three elsewhere.
        const walkRuns = latency >= 150 ? 1 : 3;
        const walk = await measure([nodeProxy], walkRuns, async () => {
          const client = createPublicClient({ transport: http(nodeProxy.url, { batch: true }) }) as PublicClient;
          const r = await verifyUnit(c.code, { client, ledger, fetchRecord });
          return { verdict: r.verdict };
        });
        rows.push({ case: c.name, latencyMs: latency, mode: "sdk log walk", ...walk });
        // Warm the server's bundle cache (same head: the bench mines nothing while measuring).
        await fetch(`${serverUrl}/bundle?code=${encodeURIComponent(c.code)}`);
        const sdk = await measure([nodeProxy, serverProxy], 3, async () => {
          const res = await fetch(`${serverProxy.url}/bundle?code=${encodeURIComponent(c.code)}`);
          const bundle = res.ok ? ((await res.json()) as ProofBundle) : undefined;
          const r = await verifyWithBundle(c.code, bundle, {
            rpcUrl: nodeProxy.url,
            ledger,
            // As the page does: a bundle of this unit carries every record the server's store has.
            fetchRecord: bundle
              ? async () => undefined
              : async (hash: Hex) => {
                  const f = await fetch(`${serverProxy.url}/records/${hash}.json`);
                  return f.ok ? await f.json() : undefined;
                },
          });
          const s = r.stats as { roundTrips?: number; source?: string; bundle?: { rejected?: string; misses: number } };
          return {
            verdict: r.verdict,
            detail: `${s.source}, ${s.roundTrips} RPC round trips, ${s.bundle?.misses ?? "-"} misses${s.bundle?.rejected ? `, rejected: ${s.bundle.rejected}` : ""}`,
          };
        });
        rows.push({ case: c.name, latencyMs: latency, mode: "sdk + bundle", ...sdk });
        if (browser) {
          const page = await measure([serverProxy], 3, () =>
            openPage(browser, serverProxy.url + verifyPathOf(new URL(c.code).pathname)),
          );
          rows.push({ case: c.name, latencyMs: latency, mode: "page + bundle", ...page });
          // The verification page itself (a scan reaches it after the resolver's 307; a counterfeit's scan
          // stops at the resolver's 404, so the page is opened directly to time its verdict).
          const url = serverProxy.url + verifyPathOf(new URL(c.code).pathname);
          const cached = await measure([serverProxy], 3, (ready) => openPage(browser, url, true, ready), true);
          rows.push({ case: c.name, latencyMs: latency, mode: "page, cached script", ...cached });
        }
        for (const r of rows.slice(-4).filter((x) => x.case === c.name && x.latencyMs === latency)) {
          process.stderr.write(`  ${latency} ms · ${c.name} · ${r.mode}: ${r.ms} ms, ${r.roundTrips} round trips\n`);
        }
        const expected = walk.verdict;
        for (const r of rows.filter((x) => x.case === c.name && x.latencyMs === latency)) {
          if (r.verdict !== expected) {
            throw new Error(`${c.name} at ${latency} ms: ${r.mode} says ${r.verdict}, the log walk ${expected}`);
          }
        }
      }
    }
  } finally {
    await browser?.close();
    await nodeProxy.close();
    await serverProxy.close();
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
  return rows;
}

async function measure(
  proxies: LatencyProxy[],
  runs: number,
  fn: (ready?: () => void) => Promise<{ verdict: string; detail?: string; ms?: number }>,
  /** `fn` calls `ready()` when what it measures starts (after a warm-up inside it). */
  warmUp = false,
): Promise<Omit<LatencyRow, "case" | "latencyMs" | "mode">> {
  const times: number[] = [];
  let last: { verdict: string; detail?: string } | undefined;
  let roundTrips = 0;
  let requests = 0;
  for (let i = 0; i < runs; i++) {
    for (const p of proxies) p.reset();
    const t = performance.now();
    const out = await fn(warmUp ? () => proxies.forEach((p) => p.reset()) : undefined);
    times.push(out.ms ?? performance.now() - t);
    last = out;
    const seen = proxies.flatMap((p) => p.requests);
    roundTrips = sequentialRoundTrips(seen);
    requests = seen.length;
  }
  times.sort((a, b) => a - b);
  return {
    verdict: last!.verdict,
    roundTrips,
    requests,
    ms: Math.round(times[Math.floor(times.length / 2)]),
    runs,
    ...(last!.detail ? { detail: last!.detail } : {}),
  };
}

type Browser = import("playwright-core").Browser;

/**
 * A first visit (fresh context: nothing cached) from navigation to the verdict on screen: the time is the
 * page's own clock (`performance.now()`, whose origin is the navigation start) when the verdict appeared.
 */
async function openPage(browser: Browser, url: string, cachedScript = false, ready?: () => void) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    if (cachedScript) {
      // A returning buyer: the first visit leaves the immutable script in the cache.
      const first = await context.newPage();
      await first.goto(url);
      await first.waitForSelector("[data-verdict]", { timeout: 120_000 });
      await first.close();
    }
    ready?.();
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const el = document.querySelector("[data-verdict]");
        if (el) {
          (window as unknown as { verdictAt: number }).verdictAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url);
    await page.waitForSelector("[data-verdict]", { timeout: 120_000 });
    const verdict = (await page.getAttribute("[data-verdict]", "data-verdict")) ?? "none";
    const ms = await page.evaluate(() => (window as unknown as { verdictAt: number }).verdictAt);
    const source = (await page.getAttribute("#footer", "data-source")) ?? "";
    const trips = await page.getAttribute("#footer", "data-round-trips");
    // The footer's "· N ms ·" is the verification's own time (from the script's start to the verdict).
    const verifyMs = /· (\d+) ms ·/.exec((await page.textContent("#footer")) ?? "")?.[1];
    return {
      verdict,
      ms,
      detail: `${source}, ${trips} RPC round trips, verification ${verifyMs} ms in the page`,
    };
  } finally {
    await context.close();
  }
}

/** The table against the targets. */
export function printLatencyTable(rows: LatencyRow[]): void {
  console.log(
    "\ncase                           latency  mode                 verdict   round trips  requests      ms  target",
  );
  for (const r of rows) {
    let target = "";
    if (r.latencyMs === 150 && r.mode !== "sdk log walk") {
      const limit = r.mode.startsWith("page") ? TARGETS.pageMs : TARGETS.sdkMs;
      const ok = r.ms <= limit && r.roundTrips <= TARGETS.roundTrips;
      target = `${ok ? "met" : "MISSED"} (≤ ${limit} ms, ≤ ${TARGETS.roundTrips} round trips)`;
    }
    console.log(
      `${r.case.padEnd(30)} ${String(r.latencyMs).padStart(4)} ms  ${r.mode.padEnd(20)} ${r.verdict.padEnd(9)} ${String(r.roundTrips).padStart(11)}  ${String(r.requests).padStart(8)}  ${String(r.ms).padStart(6)}  ${target}`,
    );
  }
}
