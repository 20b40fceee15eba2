/**
 * Verification benchmark (issue 5, design.md §7): time from a scanned code to a verdict, against a local
 * node — for units with 10, 100 and 1,000 events, and for an item inside a carton inside a consignment (the
 * demo journey). Each is measured with the full checks (signatures read from every transaction, block times)
 * and with chain checks only (history + hash chain + state). Every write is preceded by 1,001 mined blocks
 * (`hardhat_mine`, O(1) on a Hardhat node; anvil's `anvil_mine` manages ~100 blocks/s), so histories spread
 * like those of a 2-second-block chain over days. Then (issue 12) the same cases through a latency proxy at
 * 0, 50 and 150 ms: the SDK's log walk, the SDK with the proof bundle, and the page in Chromium
 * (scripts/lib/verifyLatency.ts). Prints the tables and writes bench/verify.json.
 * Run: `npm run bench:verify`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Wallet } from "ethers";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { startLocalNode, deployOnNode, nodeProvider, PROJECT_ROOT, type LocalNode } from "../test/helpers/localNode";
import { GTIN, registration, traceInput } from "../test/helpers/ledger";
import { TraceWriter } from "../src/write/writer";
import type { RegistrationInput, TraceInput } from "../src/write/types";
import { itemPath, unitKeyOfPath } from "../src/gs1/key";
import { verifyUnit } from "../src/verify/verify";
import { seedDemo, DEMO_CODES, DEMO_MEMBERS, type DemoMember } from "../src/demo/journey";
import { rpcCall } from "../src/node";
import { buildPageFiles } from "./build-page";
import { measureLatency, printLatencyTable, LATENCIES_MS, TARGETS } from "./lib/verifyLatency";

/** Blocks mined before each write: ≥ 1,000 between writes, as on a 2-second-block chain over half an hour. */
const BLOCKS_BETWEEN_WRITES = 1001;
const WRITES = new Set([
  "register",
  "record",
  "pack",
  "handover",
  "acceptHandover",
  "assign",
  "authorizeManufacturer",
  "correct",
  "relay",
]);

/** The writer, but every write first mines BLOCKS_BETWEEN_WRITES empty blocks on the (Hardhat) node. */
function spreadOut(writer: TraceWriter, rpcUrl: string): TraceWriter {
  return new Proxy(writer, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function" || !WRITES.has(String(name))) return value;
      return async (...args: unknown[]) => {
        await rpcCall(rpcUrl, "hardhat_mine", [`0x${BLOCKS_BETWEEN_WRITES.toString(16)}`]);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const MEMBERS = DEMO_MEMBERS;
const SIZES = [10, 100, 1000];

async function time(fn: () => Promise<{ verdict: string; entries: unknown[] }>, runs = 3) {
  const ms: number[] = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    last = await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: Math.round(ms[Math.floor(ms.length / 2)]), verdict: last!.verdict, events: last!.entries.length };
}

async function main(node: LocalNode) {
  const d = await deployOnNode(node.rpcUrl);
  const provider = await nodeProvider(node.rpcUrl);
  const writers = {} as Record<DemoMember, TraceWriter>;
  for (const m of MEMBERS) {
    const writer = await TraceWriter.create({
      ledger: d.ledger,
      signer: new Wallet(d.members[m].privateKey, provider),
    });
    writers[m] = spreadOut(writer, node.rpcUrl);
  }
  const recordsDir = mkdtempSync(join(tmpdir(), "cbec-bench-records-"));
  await seedDemo(writers, recordsDir);
  const client = createPublicClient({ transport: http(node.rpcUrl, { batch: true }) }) as PublicClient;
  const ledger = { address: d.ledger as Address, chainId: d.chainId, deploymentBlock: BigInt(d.deploymentBlock) };

  const rows: Array<Record<string, string | number>> = [];
  for (const n of SIZES) {
    const code = `https://id.gs1.org${itemPath({ gtin: GTIN, lot: "BENCH", serial: `N${n}` })}`;
    const path = itemPath({ gtin: GTIN, lot: "BENCH", serial: `N${n}` });
    const unit = unitKeyOfPath(path);
    const r = registration(path);
    const input: RegistrationInput = {
      path,
      eventTime: Number(r.eventTime),
      location: BigInt(r.location),
      recordHash: r.recordHash as `0x${string}`,
    };
    await writers.exporter.register([input]);
    // n − 1 events in batches of 50, so the history spans many transactions and blocks.
    const events = Array.from(
      { length: n - 1 },
      (_, i) => traceInput(unit, "STORING", { label: `${n}:${i}` }) as unknown as TraceInput,
    );
    for (let i = 0; i < events.length; i += 50) await writers.exporter.record(events.slice(i, i + 50));
    const full = await time(() => verifyUnit(code, { client, ledger }));
    const chainOnly = await time(() => verifyUnit(code, { client, ledger, checkSignatures: false }));
    rows.push({
      case: `${n} events`,
      events: full.events,
      verdict: full.verdict,
      fullMs: full.medianMs,
      chainOnlyMs: chainOnly.medianMs,
    });
  }
  const nestedFull = await time(() => verifyUnit(DEMO_CODES.authentic, { client, ledger }));
  const nestedChain = await time(() => verifyUnit(DEMO_CODES.authentic, { client, ledger, checkSignatures: false }));
  rows.push({
    case: "item in carton in consignment",
    events: nestedFull.events,
    verdict: nestedFull.verdict,
    fullMs: nestedFull.medianMs,
    chainOnlyMs: nestedChain.medianMs,
  });

  console.log("case                           events  verdict     full checks (ms)  chain only (ms)");
  for (const r of rows) {
    console.log(
      `${String(r.case).padEnd(30)} ${String(r.events).padStart(6)}  ${String(r.verdict).padEnd(10)} ${String(r.fullMs).padStart(17)}  ${String(r.chainOnlyMs).padStart(15)}`,
    );
  }
  const page = await buildPageFiles(mkdtempSync(join(tmpdir(), "cbec-bench-page-")));
  console.log(`\npage script ${page.script}: ${page.scriptBytes} bytes, ${page.scriptGzipBytes} gzipped`);
  const latency = await measureLatency({ nodeUrl: node.rpcUrl, manifest: d.manifest, pageDir: page.dir, recordsDir }, [
    { name: "item in carton in consignment", code: DEMO_CODES.authentic },
    { name: "1000 events", code: `https://id.gs1.org${itemPath({ gtin: GTIN, lot: "BENCH", serial: "N1000" })}` },
  ]);
  printLatencyTable(latency);
  const head = Number(await rpcCall<string>(node.rpcUrl, "eth_blockNumber"));

  const out = join(PROJECT_ROOT, "bench");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, "verify.json"),
    JSON.stringify(
      {
        node: "hardhat node (local, automine)",
        blocksBetweenWrites: BLOCKS_BETWEEN_WRITES,
        chainHead: head,
        medianOf: 3,
        rows,
        latency: {
          latenciesMs: LATENCIES_MS,
          targetsAt150Ms: TARGETS,
          pageScript: { bytes: page.scriptBytes, gzipBytes: page.scriptGzipBytes },
          rows: latency,
        },
      },
      null,
      2,
    ) + "\n",
  );
  console.log("\nwritten: bench/verify.json (median of 3 runs each; the log walk at 150 ms: 1 run)");
}

startLocalNode().then(async (node) => {
  try {
    await main(node);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await node.stop();
  }
});
