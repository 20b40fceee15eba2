/**
 * CLI start-time benchmark: wall clock of `node bin/trace.js --help` (process start to exit: loading the
 * compiled CLI from dist/ and its dependencies, printing the help), median of 10 runs after one warm-up
 * run that fills the file cache. Prints the figures and writes bench/cli.json.
 * Run: `npm run bench:cli` (it compiles first, so dist/ is current; BENCH_CLI_RUNS changes the count).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "bin", "trace.js");
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 10);

function runOnce(): number {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, [BIN, "--help"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function main() {
  runOnce();
  const samples = Array.from({ length: RUNS }, runOnce);
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const report = {
    command: "node bin/trace.js --help",
    runs: RUNS,
    medianMs: Math.round(median),
    minMs: Math.round(sorted[0]),
    maxMs: Math.round(sorted[sorted.length - 1]),
    samplesMs: samples.map((ms) => Math.round(ms)),
    machine: {
      node: process.version,
      platform: platform(),
      cpus: cpus().length,
      // The CPU is often shared: the load at the end of the runs says how much the figures can be trusted.
      loadAverage1m: Number(loadavg()[0].toFixed(2)),
    },
  };
  console.log(
    `trace --help: median ${report.medianMs} ms over ${RUNS} runs (min ${report.minMs}, max ${report.maxMs})`,
  );
  mkdirSync(join(ROOT, "bench"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "cli.json"), JSON.stringify(report, null, 2) + "\n");
  console.log("written: bench/cli.json");
}

main();
