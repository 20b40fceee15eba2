/**
 * SDK throughput benchmark: starts `hardhat node` on a free port (test/helpers/localNode.ts), deploys the
 * ledger with its members, and measures the write path the CLI uses (`TraceWriter` over an ethers
 * `JsonRpcProvider`) against it:
 *
 * - batched registrations: N units in one `TraceWriter.register` call (split into transactions by the SDK);
 * - single events: M events, one `TraceWriter.record([event])` call — one transaction — at a time;
 * - batched events: N events in one `TraceWriter.record` call.
 *
 * Every figure is measured (wall clock around the SDK calls, gas from the receipts) and the chain is checked
 * afterwards. Prints a table and writes bench/sdk.json. The node is stopped at the end, also on error.
 * Run: `npm run bench:sdk` (BENCH_SINGLE_EVENTS / BENCH_BATCH_EVENTS change the counts, default 200 / 2,000).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, platform } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import type { Address, Hex } from "viem";
import { startLocalNode, deployOnNode, nodeProvider, PROJECT_ROOT, type LocalNode } from "../test/helpers/localNode";
import { itemKey, pathOf, registration, traceInput } from "../test/helpers/ledger";
import { TraceWriter, type WriteResult } from "../src/write/writer";
import type { RegistrationInput, TraceInput } from "../src/write/types";
import { createTraceReader } from "../src/read/reader";
import { evmTarget } from "./lib/evmTarget";

const count = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${name} must be a positive whole number`);
  return v;
};

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
/** The SDK's registration of a test key (the writer sends its code; the helper's struct is the contract's). */
const asReg = (key: string, label?: string): RegistrationInput => {
  const r = registration(key, label);
  return {
    path: pathOf(key),
    eventTime: Number(r.eventTime),
    location: BigInt(r.location),
    recordHash: r.recordHash as Hex,
  };
};
const asEvent = (e: ReturnType<typeof traceInput>) => e as unknown as TraceInput;

interface Phase {
  items: number;
  transactions: number;
  seconds: number;
  perSecond: number;
  gasPerItem: number;
}

async function timed(items: number, body: () => Promise<WriteResult[]>): Promise<Phase> {
  const started = process.hrtime.bigint();
  const results = await body();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const done = results.reduce((s, r) => s + r.items, 0);
  if (done !== items) throw new Error(`expected ${items} items written, the SDK reports ${done}`);
  const gas = results.reduce((s, r) => s + r.gasUsed, 0n);
  return {
    items,
    transactions: results.reduce((s, r) => s + r.transactions.length, 0),
    seconds: Number(seconds.toFixed(3)),
    perSecond: Number((items / seconds).toFixed(1)),
    gasPerItem: Math.round(Number(gas) / items),
  };
}

async function main(node: LocalNode) {
  const singleEvents = count("BENCH_SINGLE_EVENTS", 200);
  const batchEvents = count("BENCH_BATCH_EVENTS", 2000);
  const units = Math.max(singleEvents, batchEvents);

  console.log(`node ${node.rpcUrl} (pid ${node.pid}); deploying…`);
  const dep = await deployOnNode(node.rpcUrl);
  // The provider the CLI builds (src/cli/context.ts): static network, one request per HTTP call.
  const provider = await nodeProvider(node.rpcUrl);
  try {
    const writer = await TraceWriter.create({
      ledger: dep.ledger,
      signer: new Wallet(dep.members.exporter.privateKey, provider),
    });
    const keys = range(1, units).map((n) => itemKey(n, "BENCH"));

    // Warm-up (not timed): the writer's first call reads the batch limits; the node compiles hot paths.
    const warm = itemKey(0, "BENCH");
    await writer.register([asReg(warm)]);
    await writer.record([asEvent(traceInput(warm, "STORING"))]);

    console.log(`registering ${units} units in one batched call…`);
    const registrations = await timed(units, async () => [
      await writer.register(keys.map((k) => asReg(k, `bench-reg-${k}`))),
    ]);

    console.log(`recording ${singleEvents} events one transaction at a time…`);
    const single = await timed(singleEvents, async () => {
      const results: WriteResult[] = [];
      for (const k of keys.slice(0, singleEvents)) {
        results.push(await writer.record([asEvent(traceInput(k, "INSPECTING", { label: `bench-single-${k}` }))]));
      }
      return results;
    });

    console.log(`recording ${batchEvents} events in one batched call…`);
    const batched = await timed(batchEvents, async () => [
      await writer.record(
        keys.slice(0, batchEvents).map((k) => asEvent(traceInput(k, "STORING", { label: `bench-batch-${k}` }))),
      ),
    ]);

    // Check the chain holds what was measured.
    const reader = createTraceReader({
      rpcUrl: node.rpcUrl,
      ledger: { address: dep.ledger as Address, chainId: dep.chainId },
    });
    const states = await Promise.all(keys.map((k) => reader.unitState(k as Hex)));
    states.forEach((s, i) => {
      const expected = 1 + (i < singleEvents ? 1 : 0) + (i < batchEvents ? 1 : 0);
      if (s.seq !== expected) throw new Error(`unit ${i + 1} has ${s.seq} entries, expected ${expected}`);
    });

    const target = evmTarget(process.env.EVM_TARGET);
    const report = {
      singleEventsPerSecond: single.perSecond,
      batchedEventsPerSecond: batched.perSecond,
      batchedRegistrationsPerSecond: registrations.perSecond,
      batchSpeedup: Number((batched.perSecond / single.perSecond).toFixed(1)),
      singleEvents: { ...single, msPerTransaction: Number(((single.seconds * 1000) / single.transactions).toFixed(1)) },
      batchedEvents: batched,
      batchedRegistrations: registrations,
      setup: {
        node: "hardhat node (automine), JSON-RPC over HTTP on 127.0.0.1",
        chainId: dep.chainId,
        evmTarget: target.evmVersion,
        client: "TraceWriter (ethers JsonRpcProvider, exactly-once sends, 1 confirmation)",
        cpus: cpus().length,
        platform: `${platform()} ${process.arch}`,
        nodeVersion: process.version,
        measuredAt: new Date().toISOString(),
      },
    };

    const rows: Array<[string, Phase]> = [
      ["register, batched", registrations],
      ["record, one event per tx", single],
      ["record, batched", batched],
    ];
    console.log("");
    console.log("operation                  items   txs   seconds    items/s   gas/item");
    console.log("------------------------  ------  ----  --------  ---------  ---------");
    for (const [name, p] of rows) {
      console.log(
        `${name.padEnd(24)}  ${String(p.items).padStart(6)}  ${String(p.transactions).padStart(4)}  ` +
          `${p.seconds.toFixed(2).padStart(8)}  ${p.perSecond.toFixed(1).padStart(9)}  ${String(p.gasPerItem).padStart(9)}`,
      );
    }
    console.log(`\nbatched events are ${report.batchSpeedup}× faster than one event per transaction`);

    const out = join(PROJECT_ROOT, "bench");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "sdk.json"), JSON.stringify(report, null, 2) + "\n");
    console.log("written: bench/sdk.json");
  } finally {
    provider.destroy();
    rmSync(dep.dir, { recursive: true, force: true });
  }
}

async function run() {
  const node = await startLocalNode();
  try {
    await main(node);
  } catch (error) {
    console.error(error);
    console.error(`\nlast node output:\n${node.logTail(15)}`);
    process.exitCode = 1;
  } finally {
    await node.stop();
  }
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
