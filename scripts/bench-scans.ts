/**
 * Scan-count benchmark (issue 17): records `--scans` (default 1,000,000) scans over `--units` (default 100,000)
 * units into a fresh store (journal writes and compactions included), then reports writes/s, the time to
 * reopen the store, the directory's size, the process's memory, and the latency of `GET /scans/<unit>` over
 * HTTP (keep-alive, sequential, random units) and of the store's own read. Writes bench/scans.json.
 *
 * Run: `npm run bench:scans [-- --scans 1000000 --units 100000 --samples 2000]`.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tmpdir, cpus } from "node:os";
import type { AddressInfo } from "node:net";
import { Agent, request } from "node:http";
import type { Hex } from "viem";
import { ScanStore } from "../src/scans/store";
import { createTraceServer } from "../src/server/server";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SCANS = Number(arg("scans", "1000000"));
const UNITS = Number(arg("units", "100000"));
const SAMPLES = Number(arg("samples", "2000"));
const REGIONS = ["DE", "FR", "US", "CN", "GB", "JP", undefined];

const ms = () => Number(process.hrtime.bigint()) / 1e6;
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 1000) / 1000;
};
const unit = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

function get(port: number, path: string, agent: Agent): Promise<void> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? done() : fail(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", fail);
    req.end();
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "cbec-bench-scans-"));
  try {
    // Writes: one scan per call, as the server records them.
    const store = ScanStore.open({ dir });
    const t0 = ms();
    for (let i = 0; i < SCANS; i++) store.record(unit(i % UNITS), REGIONS[i % REGIONS.length]);
    const writeMs = ms() - t0;
    store.close();
    const files = readdirSync(dir);
    const bytes = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);

    // Reopen: the snapshot and the journal since.
    const t1 = ms();
    const reopened = ScanStore.open({ dir });
    const openMs = ms() - t1;
    const rss = process.memoryUsage().rss;
    const direct: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const u = unit(Math.floor(Math.random() * UNITS));
      const s = ms();
      reopened.get(u);
      direct.push(ms() - s);
    }
    reopened.close();

    // Reads over HTTP from the platform server (no node needed for /scans).
    const server = createTraceServer({
      pageDir: dir,
      recordsDir: dir,
      manifest: {
        network: "bench",
        chainId: 31337,
        ledger: { address: "0x0000000000000000000000000000000000000001", deploymentBlock: 0, version: "1.0.0" },
      },
      scans: { dir },
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 50; i++) await get(port, `/scans/${unit(i)}`, agent); // warm-up
    const http: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const u = unit(Math.floor(Math.random() * UNITS));
      const s = ms();
      await get(port, `/scans/${u}`, agent);
      http.push(ms() - s);
    }
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));

    const result = {
      what: "scan counts: ScanStore.record per scan (journal line + aggregate, compactions included), reopen, GET /scans/<unit>",
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      at: new Date().toISOString(),
      scans: SCANS,
      units: UNITS,
      writesPerSecond: Math.round(SCANS / (writeMs / 1000)),
      writeSeconds: Math.round(writeMs) / 1000,
      reopenSeconds: Math.round(openMs) / 1000,
      storeMB: mb(bytes),
      files,
      rssMBAfterReopen: mb(rss),
      storeGetMs: { p50: percentile(direct, 50), p99: percentile(direct, 99) },
      httpGetScansMs: {
        samples: SAMPLES,
        p50: percentile(http, 50),
        p99: percentile(http, 99),
        max: percentile(http, 100),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync("bench", { recursive: true });
    writeFileSync(join("bench", "scans.json"), JSON.stringify(result, null, 2) + "\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
