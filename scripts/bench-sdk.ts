/**
 * SDK throughput benchmark: what one process with one key writes through `TraceWriter` (ethers
 * `JsonRpcProvider`, exactly-once sends, pipelined chunks), against what the chain can hold.
 *
 * - `capacity` (anvil): anvil with `--block-time 2 --gas-limit 30000000` (`@foundry-rs/anvil`), the ledger
 *   deployed with its members (test/helpers/localNode.ts), `BENCH_UNITS` units registered, then
 *   `BENCH_EVENTS` events (default 90,000: more than 30 full blocks) in one `TraceWriter.record` call. From
 *   the receipts and blocks: events/s (wall clock around the call), gas/s, blocks used, the fill of each
 *   block, gas per event, and the chain's capacity for the same block gas limit and block time
 *   (`blockGasLimit / gasPerEvent / blockTime`), and the ratio of the two.
 * - `automine` (anvil, each transaction mined at once): one event per transaction, and a batch of 2,000
 *   events (the figures of earlier runs of this benchmark, on anvil now rather than Hardhat's node).
 * - `consortium` (`BENCH_CONSORTIUM=1`): the capacity run on the local consortium network
 *   (`npm run consortium:up -- --fresh`, EthereumJS Clique, paris build, zero gas price), through the
 *   exporter's node; the network is stopped afterwards. A failure there is reported in the figures, not
 *   hidden: the anvil figures are still written. `BENCH_CONSORTIUM_DIR=DIR` measures a network already
 *   running in DIR instead (left running); `BENCH_ONLY=consortium` skips the anvil runs and keeps their
 *   figures from the bench/sdk.json already there, each section with the date and load it was measured at.
 * - `network` (`BENCH_NETWORK=env`): the capacity run on the operator's own network — a Besu QBFT
 *   consortium, say — named by the CLI's settings (TRACE_RPC_URL, TRACE_MANIFEST, TRACE_PRIVATE_KEY, …; see
 *   scripts/lib/benchNetwork.ts), `BENCH_NETWORK_UNITS` / `BENCH_NETWORK_EVENTS` (default 1,000 / 20,000),
 *   `BENCH_GTIN` for units under a prefix licensed to the writer; `BENCH_ONLY=network` keeps the rest.
 *
 * Every figure is measured and the chain is checked afterwards (each unit holds exactly its events). Prints
 * a table and writes bench/sdk.json with the machine, its load and the date. Run: `npm run bench:sdk`
 * (BENCH_WINDOW sets the transactions in flight, default the SDK's).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Network, Wallet, keccak256, toUtf8Bytes } from "ethers";
import type { Address, Hex } from "viem";
import { deployOnNode, PROJECT_ROOT } from "../test/helpers/localNode";
import { itemKey, pathOf } from "../test/helpers/ledger";
import { TraceWriter, type WriteResult } from "../src/write/writer";
import { DEFAULT_WINDOW } from "../src/write/pipeline";
import type { RegistrationInput, TraceInput } from "../src/write/types";
import { createTraceReader } from "../src/read/reader";
import { mapLimit } from "../src/write/mapLimit";
import { STEPS } from "../src/codes";
import { freePort, startAnvil } from "../src/node";
import { evmTarget } from "./lib/evmTarget";
import { networkTarget, type CapacityTarget } from "./lib/benchNetwork";

const count = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${name} must be a positive whole number, not ${v}`);
  return v;
};

const BLOCK_TIME = 2;
const BLOCK_GAS_LIMIT = 30_000_000n;
const LOCATION = 6901234000004n;

const hashOf = (label: string) => keccak256(toUtf8Bytes(`bench-sdk:${label}`)) as Hex;
const registrationOf = (unit: string, label: string): RegistrationInput => ({
  path: pathOf(unit),
  eventTime: 1_767_225_600,
  location: LOCATION,
  recordHash: hashOf(label),
});
const eventOf = (unit: string, step: number, label: string): TraceInput => ({
  unit: unit as Hex,
  step,
  disposition: 0,
  eventTime: 1_767_312_000,
  location: LOCATION,
  recordHash: hashOf(label),
});

function providerFor(rpcUrl: string, chainId: number): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, Network.from(chainId), {
    staticNetwork: true,
    pollingInterval: 250,
    batchMaxCount: 1,
    cacheTimeout: -1,
  });
}

interface Phase {
  items: number;
  transactions: number;
  seconds: number;
  perSecond: number;
  gasPerItem: number;
}

async function timed(items: number, body: () => Promise<WriteResult[]>): Promise<Phase & { results: WriteResult[] }> {
  const started = process.hrtime.bigint();
  const results = await body();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const done = results.reduce((s, r) => s + r.items, 0);
  if (done !== items) throw new Error(`expected ${items} items written, the SDK reports ${done}`);
  const gas = results.reduce((s, r) => s + r.gasUsed, 0n);
  return {
    results,
    items,
    transactions: results.reduce((s, r) => s + r.transactions.length, 0),
    seconds: Number(seconds.toFixed(3)),
    perSecond: Number((items / seconds).toFixed(1)),
    gasPerItem: Math.round(Number(gas) / items),
  };
}

const strip = ({ results: _r, ...phase }: Phase & { results: WriteResult[] }): Phase => phase;

/** Writes `units` units then `events` events from one key and measures them against the chain's capacity. */
async function capacityRun(target: CapacityTarget, units: number, events: number) {
  const provider = providerFor(target.rpcUrl, target.chainId);
  try {
    const window = process.env.BENCH_WINDOW === undefined ? DEFAULT_WINDOW : count("BENCH_WINDOW", DEFAULT_WINDOW);
    const writer = await TraceWriter.create({
      ledger: target.ledger,
      signer: new Wallet(target.writerKey, provider),
      gasPrice: target.gasPrice,
      confirmations: target.confirmations,
      window,
      receiptTimeoutMs: 60_000,
    });
    const keys = Array.from({ length: units }, (_, i) => itemKey(i + 1, target.lot, target.gtin));
    const rounds = Math.ceil(events / units);
    // Round r records one event on every unit: consecutive events (one chunk) touch distinct units.
    const steps = [STEPS.STORING, STEPS.INSPECTING];
    const inputs = Array.from({ length: events }, (_, i) =>
      eventOf(keys[i % units], steps[Math.floor(i / units) % 2], `${target.lot}:${i}`),
    );
    console.log(`  registering ${units} units…`);
    const registered = await timed(units, async () => [
      await writer.register(keys.map((k) => registrationOf(k, `${target.lot}:reg:${k}`))),
    ]);
    console.log(`  recording ${events} events (${rounds} per unit) in one call, window ${window}…`);
    const cpuBefore = process.cpuUsage();
    const recorded = await timed(events, async () => [await writer.record(inputs)]);
    // This process's own CPU (user + system) for the write: what one event costs the client, whatever the load.
    const cpu = process.cpuUsage(cpuBefore);
    const clientCpuSeconds = (cpu.user + cpu.system) / 1e6;

    const transactions = recorded.results.flatMap((r) => r.transactions);
    const first = Math.min(...transactions.map((t) => t.blockNumber));
    const last = Math.max(...transactions.map((t) => t.blockNumber));
    const blocks = await mapLimit(
      Array.from({ length: last - first + 1 }, (_, i) => first + i),
      8,
      async (n) => (await provider.getBlock(n))!,
    );
    const fills = blocks.map((b) => Number(b.gasUsed) / Number(b.gasLimit));
    const gasLimit = blocks[0].gasLimit;
    const ourGas = transactions.reduce((s, t) => s + t.gasUsed, 0n);
    const gasPerEvent = Number(ourGas) / events;
    const blockTime =
      blocks.length > 1
        ? (blocks[blocks.length - 1].timestamp - blocks[0].timestamp) / (blocks.length - 1)
        : BLOCK_TIME;
    const nominalBlockTime = target.blockTime;
    const capacity = Number(gasLimit) / gasPerEvent / nominalBlockTime;

    // The chain holds what was measured: every unit has its registration and exactly its events.
    const reader = createTraceReader({
      rpcUrl: target.rpcUrl,
      ledger: { address: target.ledger as Address, chainId: target.chainId },
    });
    const states = await mapLimit(keys, 32, (k) => reader.unitState(k as Hex));
    states.forEach((s, i) => {
      const expected = 1 + Math.floor(events / units) + (i < events % units ? 1 : 0);
      if (s.seq !== expected) throw new Error(`unit ${i + 1} has ${s.seq} entries, expected ${expected}`);
    });

    const eventsPerSecond = events / recorded.seconds;
    return {
      events,
      units,
      window,
      seconds: recorded.seconds,
      eventsPerSecond: Number(eventsPerSecond.toFixed(1)),
      gasPerSecond: Math.round(Number(ourGas) / recorded.seconds),
      transactions: transactions.length,
      eventsPerTransaction: Math.round(events / transactions.length),
      gasPerEvent: Math.round(gasPerEvent),
      blocksUsed: blocks.length,
      blockGasLimit: Number(gasLimit),
      blockTimeSeconds: nominalBlockTime,
      measuredBlockTimeSeconds: Number(blockTime.toFixed(2)),
      meanFill: Number((fills.reduce((a, b) => a + b, 0) / fills.length).toFixed(3)),
      fillPerBlock: fills.map((f) => Number(f.toFixed(3))),
      capacityEventsPerSecond: Number(capacity.toFixed(1)),
      ratioToCapacity: Number((eventsPerSecond / capacity).toFixed(3)),
      rebroadcasts: transactions.reduce((n, t) => n + t.broadcasts - 1, 0),
      clientCpuSeconds: Number(clientCpuSeconds.toFixed(2)),
      clientCpuMsPerEvent: Number(((clientCpuSeconds * 1000) / events).toFixed(3)),
      /** Events/s one free core could feed at that cost (the client's ceiling, apart from the node). */
      clientCeilingEventsPerSecond: Math.round(events / clientCpuSeconds),
      registrations: strip(registered),
    };
  } finally {
    provider.destroy();
  }
}

/** The earlier phases, on a node that mines each transaction at once. */
async function automineRun(rpcUrl: string, chainId: number, ledger: string, key: string) {
  const provider = providerFor(rpcUrl, chainId);
  try {
    const writer = await TraceWriter.create({ ledger, signer: new Wallet(key, provider), pollIntervalMs: 20 });
    const singleEvents = count("BENCH_SINGLE_EVENTS", 200);
    const batchEvents = count("BENCH_BATCH_EVENTS", 2000);
    const keys = Array.from({ length: batchEvents }, (_, i) => itemKey(i + 1, "AUTO"));
    await writer.register(keys.map((k) => registrationOf(k, `auto:${k}`)));
    const single = await timed(singleEvents, async () => {
      const results: WriteResult[] = [];
      for (const k of keys.slice(0, singleEvents))
        results.push(await writer.record([eventOf(k, STEPS.INSPECTING, `s:${k}`)]));
      return results;
    });
    const batched = await timed(batchEvents, async () => [
      await writer.record(keys.map((k) => eventOf(k, STEPS.STORING, `b:${k}`))),
    ]);
    return {
      singleEvents: {
        ...strip(single),
        msPerTransaction: Number(((single.seconds * 1000) / single.transactions).toFixed(1)),
      },
      batchedEvents: strip(batched),
    };
  } finally {
    provider.destroy();
  }
}

/** Runs the capacity measurement on the operator's network (`BENCH_NETWORK=env`, scripts/lib/benchNetwork.ts). */
async function networkRun(units: number, events: number) {
  const { described, ...target } = await networkTarget();
  console.log(
    `  ${described.endpoint} (${described.client}), chain ${described.chainId}, ${described.blockTimeSeconds} s blocks`,
  );
  return { network: described, ...(await capacityRun(target, units, events)) };
}

/** Runs the capacity measurement on the local consortium network (`npm run consortium:up`). */
async function consortiumRun(units: number, events: number) {
  const dir = mkdtempSync(join(tmpdir(), "cbec-bench-consortium-"));
  const npm = (script: string, args: string[]) =>
    spawnSync("npm", ["run", "--silent", script, "--", ...args], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 600_000,
    });
  const running = process.env.BENCH_CONSORTIUM_DIR;
  try {
    if (!running) {
      const up = npm("consortium:up", ["--fresh", "--dir", dir]);
      if (up.status !== 0)
        throw new Error(`consortium:up exited ${up.status}:\n${(up.stdout + up.stderr).slice(-2_000)}`);
    }
    const description = JSON.parse(readFileSync(join(running ?? dir, "network.json"), "utf8")) as {
      chainId: number;
      periodSeconds: number;
      nodes: Array<{ rpcUrl: string }>;
      ledger?: { address: string };
      members: Array<{ name: string; address: string; rpcUrl: string }>;
    };
    const exporter = description.members.find((m) => /exporter/i.test(m.name));
    if (!description.ledger || !exporter) throw new Error("consortium:up wrote no ledger or no exporter member");
    // The demo members are the development accounts 1 … of the test mnemonic (scripts/consortium/up.ts).
    const { devWallet } = await import("./consortium/lib/onboard");
    const index = description.members.indexOf(exporter);
    const key = devWallet(index + 1);
    if (key.address.toLowerCase() !== exporter.address.toLowerCase()) {
      throw new Error(`the exporter's account ${exporter.address} is not development account ${index + 1}`);
    }
    return await capacityRun(
      {
        rpcUrl: exporter.rpcUrl,
        chainId: description.chainId,
        ledger: description.ledger.address,
        writerKey: key.privateKey,
        gasPrice: 0n,
        confirmations: 3,
        lot: `CONS${Date.now() % 100_000}`,
        blockTime: description.periodSeconds,
      },
      units,
      events,
    );
  } finally {
    if (!running) npm("consortium:down", ["--dir", dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The anvil runs: automine, then the capacity run with 2 s blocks. */
async function anvilRuns(units: number, events: number) {
  const port = await freePort();
  const node = await startAnvil({
    port,
    silent: true,
    args: ["--gas-limit", String(BLOCK_GAS_LIMIT), "--accounts", "20"],
  });
  try {
    console.log(`anvil ${node.url}; deploying…`);
    const t0 = Date.now();
    const dep = await deployOnNode(node.url);
    rmSync(dep.dir, { recursive: true, force: true });
    console.log(
      `deployed in ${((Date.now() - t0) / 1000).toFixed(1)} s; automine: one event per transaction, then one batch…`,
    );
    const automine = await automineRun(node.url, dep.chainId, dep.ledger, dep.members.exporter.privateKey);
    // The same chain from here on mines a block every 2 s, like the consortium's.
    const provider = providerFor(node.url, dep.chainId);
    await provider.send("evm_setAutomine", [false]);
    await provider.send("evm_setIntervalMining", [BLOCK_TIME]);
    provider.destroy();
    console.log(`capacity: anvil, ${BLOCK_TIME} s blocks, ${BLOCK_GAS_LIMIT} gas…`);
    const anvil = await capacityRun(
      {
        rpcUrl: node.url,
        chainId: dep.chainId,
        ledger: dep.ledger,
        writerKey: dep.members.exporter.privateKey,
        lot: "CAP",
        blockTime: BLOCK_TIME,
      },
      units,
      events,
    );
    return { anvil, automine, chainId: dep.chainId };
  } finally {
    await node.stop("SIGKILL");
  }
}

type AnvilFigures = Awaited<ReturnType<typeof anvilRuns>>;

async function main() {
  const units = count("BENCH_UNITS", 3000);
  const events = count("BENCH_EVENTS", 90_000);
  const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
  const out = join(PROJECT_ROOT, "bench");

  const only = process.env.BENCH_ONLY;
  if (only !== undefined && only !== "consortium" && only !== "network") {
    throw new Error(`BENCH_ONLY must be "consortium" or "network", not ${only}`);
  }
  if (process.env.BENCH_NETWORK !== undefined && process.env.BENCH_NETWORK !== "env") {
    throw new Error(`BENCH_NETWORK must be "env" (the network of TRACE_RPC_URL), not ${process.env.BENCH_NETWORK}`);
  }
  type Previous = {
    anvil: AnvilFigures["anvil"];
    automine: AnvilFigures["automine"];
    consortium?: unknown;
    network?: unknown;
    setup: { chainId: number };
  };
  // BENCH_ONLY=consortium|network: the other sections as the last run measured them (its setup says when).
  const previous = only ? (JSON.parse(readFileSync(join(out, "sdk.json"), "utf8")) as Previous) : undefined;
  const { anvil, automine, chainId } = previous
    ? { ...previous, chainId: previous.setup.chainId }
    : await anvilRuns(units, events);
  const loadAfterAnvil = loadavg().map((l) => Number(l.toFixed(2)));

  /**
   * A section measured only when asked (`wanted`): under BENCH_ONLY=<another section> it is kept from the
   * last run; a run that fails is reported as failed (and the exit code says so), the other figures written.
   */
  const optionalSection = async (
    name: "consortium" | "network",
    wanted: boolean,
    skipped: string,
    run: () => Promise<unknown>,
  ) => {
    if (only !== undefined && only !== name) return previous?.[name] ?? { skipped };
    if (!wanted) return { skipped };
    console.log(`capacity: ${name === "consortium" ? "local consortium network" : "the network of TRACE_RPC_URL"}…`);
    try {
      return await run();
    } catch (error) {
      console.error(`the ${name} run failed: ${(error as Error).message}`);
      process.exitCode = 1;
      return { failed: (error as Error).message.slice(0, 2_000) };
    }
  };
  const consortium = await optionalSection(
    "consortium",
    process.env.BENCH_CONSORTIUM === "1",
    "set BENCH_CONSORTIUM=1 to run it (npm run consortium:up, EthereumJS Clique)",
    () => consortiumRun(count("BENCH_CONSORTIUM_UNITS", 1000), count("BENCH_CONSORTIUM_EVENTS", 20_000)),
  );
  const network = await optionalSection(
    "network",
    process.env.BENCH_NETWORK === "env",
    "set BENCH_NETWORK=env to measure the network of TRACE_RPC_URL (docs/consortium.md, on Besu)",
    () => networkRun(count("BENCH_NETWORK_UNITS", 1000), count("BENCH_NETWORK_EVENTS", 20_000)),
  );

  const report = {
    anvilEventsPerSecond: anvil.eventsPerSecond,
    anvilCapacityEventsPerSecond: anvil.capacityEventsPerSecond,
    anvilRatioToCapacity: anvil.ratioToCapacity,
    anvil,
    consortium,
    network,
    singleEventsPerSecond: automine.singleEvents.perSecond,
    batchedEventsPerSecond: automine.batchedEvents.perSecond,
    automine,
    setup: previous
      ? {
          ...previous.setup,
          [`${only}MeasuredAt`]: new Date().toISOString(),
          [`loadAverageBefore${only === "network" ? "Network" : "Consortium"}`]: loadBefore,
        }
      : {
          node: `anvil (@foundry-rs/anvil), ${BLOCK_TIME} s interval mining, block gas limit ${BLOCK_GAS_LIMIT}; automine for the automine figures`,
          chainId,
          evmTarget: evmTarget(process.env.EVM_TARGET).evmVersion,
          client: "TraceWriter, one process, one key (ethers JsonRpcProvider over HTTP, pipelined exactly-once sends)",
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model,
          platform: `${platform()} ${process.arch}`,
          nodeVersion: process.version,
          loadAverageBefore: loadBefore,
          loadAverageAfterAnvil: loadAfterAnvil,
          measuredAt: new Date().toISOString(),
        },
  };

  console.log("");
  console.log(
    `anvil, ${BLOCK_TIME} s blocks: ${anvil.events} events in ${anvil.seconds} s = ${anvil.eventsPerSecond} events/s`,
  );
  console.log(
    `  ${anvil.transactions} transactions, ${anvil.blocksUsed} blocks, mean fill ${(anvil.meanFill * 100).toFixed(1)} %, ` +
      `${anvil.gasPerEvent} gas/event, ${(anvil.gasPerSecond / 1e6).toFixed(2)} Mgas/s`,
  );
  console.log(
    `  capacity ${anvil.capacityEventsPerSecond} events/s: ${(anvil.ratioToCapacity * 100).toFixed(1)} % of it (load ${(previous?.setup as { loadAverageBefore?: number[] } | undefined)?.loadAverageBefore?.join(" ") ?? loadBefore.join(" ")})`,
  );
  console.log(
    `  client CPU ${anvil.clientCpuMsPerEvent} ms/event: one free core feeds ${anvil.clientCeilingEventsPerSecond} events/s`,
  );
  console.log(
    `automine: ${automine.singleEvents.perSecond} events/s one per transaction, ${automine.batchedEvents.perSecond} batched`,
  );
  console.log(`consortium: ${JSON.stringify(consortium).slice(0, 400)}`);
  console.log(`network: ${JSON.stringify(network).slice(0, 400)}`);

  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "sdk.json"), JSON.stringify(report, null, 2) + "\n");
  console.log("written: bench/sdk.json");
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
