/**
 * Index benchmark (issue 12): ingests synthetic entries (scripts/lib/syntheticIndex.ts: items in cartons in
 * consignments, 20 entries a unit, 100 a block) through the follower's own `writeBatch`, one transaction per
 * group, into each backend, and at each checkpoint reports ingest entries/s, the database size, and p50/p99
 * of the bundle query (`unitJourney`: a unit's entries, its stays, the parents' entries during them, the
 * organizations) and of `search` (Digital Link, GTIN, SSCC, transaction hash, organization name). Also the
 * decoder's rate (`decodeRange` on the same rows as RPC logs). Writes bench/index.json.
 *
 * First, the follower end to end: `--node-entries` (default 5,000) written to anvil, then caught up over HTTP.
 *
 * Run: `npm run bench:index [-- --entries 1000000 --backends pglite,postgres --samples 200]`; PostgreSQL is
 * used when DATABASE_URL (or TEST_DATABASE_URL) is set (scripts/ci-postgres.sh starts one).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { numberToHex, type Hex, type RpcLog } from "viem";
import { openIndexDb, type IndexDb } from "../src/indexer/db";
import { ensureSchema } from "../src/indexer/schema";
import { writeBatch } from "../src/indexer/write";
import { decodeRange, type IndexBatch, type SourceBlock } from "../src/indexer/decode";
import { search, unitJourney } from "../src/indexer/queries";
import { SyntheticChain } from "./lib/syntheticIndex";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const TOTAL = Number(arg("entries", "1000000"));
const CHECKPOINTS = [10_000, 100_000, 1_000_000].filter((c) => c < TOTAL).concat(TOTAL);
const SAMPLES = Number(arg("samples", "200"));
const DATABASE_URL = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
const BACKENDS = arg("backends", DATABASE_URL ? "pglite,postgres" : "pglite").split(",");

const percentile = (ms: number[], p: number) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 100) / 100;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function timed(samples: Array<() => Promise<unknown>>) {
  const ms: number[] = [];
  for (const run of samples) {
    const t = now();
    await run();
    ms.push(now() - t);
  }
  return { p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) };
}

async function sizeBytes(db: IndexDb): Promise<number> {
  const [row] = await db.query<{ bytes: unknown }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
    [db.schema],
  );
  return Number(row.bytes);
}

/** A pseudo-random but repeatable pick. */
function picker(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

async function benchBackend(name: string) {
  const schema = `bench_${Date.now().toString(36)}`;
  const dataDir = name === "pglite" ? mkdtempSync(join(tmpdir(), "cbec-bench-index-")) : undefined;
  const db = await openIndexDb(name === "postgres" ? { databaseUrl: DATABASE_URL, schema } : { dataDir, schema });
  await ensureSchema(db);
  const chain = new SyntheticChain();
  const results = [];
  let writeMs = 0;
  try {
    for (const checkpoint of CHECKPOINTS) {
      while (chain.entries < checkpoint) {
        const batch = chain.nextGroup();
        const t = now();
        await db.transaction((tx) => writeBatch(tx, batch));
        writeMs += now() - t;
      }
      await db.query("ANALYZE");
      const pick = picker(checkpoint);
      const items = () => {
        const g = chain.groups[pick(chain.groups.length)];
        return g.items[pick(g.items.length)];
      };
      const bundle = await timed(
        Array.from({ length: SAMPLES }, () => {
          const item = items();
          return () => unitJourney(db, item.key);
        }),
      );
      const queries = Array.from({ length: SAMPLES }, (_, i) => {
        const item = items();
        const text = [
          `https://id.gs1.org${item.path}`,
          "06901234567892",
          chain.groups[pick(chain.groups.length)].cartons[0].path.slice(4),
          numberToHex(BigInt(pick(Number(chain.head)) * 7919 + 9), { size: 32 }),
          "Trading Co 7",
        ][i % 5];
        return () => search(db, text);
      });
      const searchTimes = await timed(queries);
      const row = {
        entries: chain.entries,
        units: chain.groups.length * 111,
        blocks: Number(chain.head),
        ingestEntriesPerSecond: Math.round(chain.entries / (writeMs / 1000)),
        databaseBytes: await sizeBytes(db),
        bundle,
        search: searchTimes,
      };
      results.push(row);
      console.log(
        `${name.padEnd(8)} ${String(row.entries).padStart(9)} entries: ingest ${row.ingestEntriesPerSecond} entries/s, ` +
          `${(row.databaseBytes / 2 ** 20).toFixed(1)} MiB, bundle p50 ${bundle.p50Ms} / p99 ${bundle.p99Ms} ms, ` +
          `search p50 ${searchTimes.p50Ms} / p99 ${searchTimes.p99Ms} ms`,
      );
    }
  } finally {
    if (name === "postgres") await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

/** The decoder's rate: the same rows as eth_getLogs / eth_getBlockByNumber would serve them. */
function decodeRate(): { entriesPerSecond: number; entries: number } {
  const chain = new SyntheticChain();
  const batches: IndexBatch[] = Array.from({ length: 10 }, () => chain.nextGroup());
  const logs: RpcLog[] = [];
  const blocks = new Map<bigint, SourceBlock>();
  for (const b of batches) {
    for (const block of b.blocks) blocks.set(block.number, { ...block, transactions: [] });
    for (const t of b.transactions) {
      blocks
        .get(t.block)!
        .transactions.push({ hash: t.hash, transactionIndex: t.index, from: t.from, to: t.to, input: "0x12345678" });
    }
    for (const l of b.logs) {
      logs.push({
        address: l.address,
        blockHash: l.blockHash,
        blockNumber: numberToHex(l.block),
        data: l.data,
        logIndex: numberToHex(l.logIndex),
        removed: false,
        topics: l.topics as [Hex, ...Hex[]],
        transactionHash: l.txHash,
        transactionIndex: numberToHex(l.txIndex),
      });
    }
  }
  const t = now();
  const decoded = decodeRange(logs, [...blocks.values()]);
  return {
    entries: decoded.entries.length,
    entriesPerSecond: Math.round(decoded.entries.length / ((now() - t) / 1000)),
  };
}

/**
 * The follower end to end from a local node (anvil over HTTP): `entries` written by the demo exporter (units
 * of 20 entries, batched as the writer batches them), then one catch-up into each backend.
 */
async function nodeIngest(
  entries: number,
): Promise<Record<string, { entries: number; seconds: number; entriesPerSecond: number }>> {
  const { Wallet } = await import("ethers");
  const { createPublicClient, http } = await import("viem");
  const { freePort, startAnvil } = await import("../src/node");
  const { deployOnNode, nodeProvider } = await import("../test/helpers/localNode");
  const { TraceWriter } = await import("../src/write/writer");
  const { itemPath, unitKeyOfPath } = await import("../src/gs1/key");
  const { GTIN } = await import("../test/helpers/ledger");
  const { createFollower } = await import("../src/indexer/follower");
  const { STEPS } = await import("../src/codes");
  const anvil = await startAnvil({ port: await freePort(), silent: true, args: ["--accounts", "20"] });
  try {
    const dep = await deployOnNode(anvil.url);
    const writer = await TraceWriter.create({
      ledger: dep.ledger,
      signer: new Wallet(dep.members.exporter.privateKey, await nodeProvider(anvil.url)),
      pollIntervalMs: 5,
    });
    const units = Math.ceil(entries / 20);
    const paths = Array.from({ length: units }, (_, i) => itemPath({ gtin: GTIN, lot: "BENCH", serial: `S${i}` }));
    await writer.register(
      paths.map((path, i) => ({
        path,
        eventTime: 1_767_225_600,
        location: 0n,
        recordHash: numberToHex(i + 1, { size: 32 }),
      })),
    );
    for (let s = 1; s < 20; s++) {
      await writer.record(
        paths.map((path, i) => ({
          unit: unitKeyOfPath(path),
          step: STEPS.STORING,
          disposition: 0,
          eventTime: 1_767_225_600 + s,
          location: 0n,
          recordHash: numberToHex(s * 1_000_000 + i + 1, { size: 32 }),
        })),
      );
    }
    const client = createPublicClient({ transport: http(anvil.url, { batch: { batchSize: 100 } }) });
    const result: Record<string, { entries: number; seconds: number; entriesPerSecond: number }> = {};
    for (const name of BACKENDS) {
      const schema = `bench_node_${Date.now().toString(36)}`;
      const db = await openIndexDb(name === "postgres" ? { databaseUrl: DATABASE_URL, schema } : { schema });
      await ensureSchema(db);
      const t = now();
      const summary = await createFollower({
        client: client as never,
        db,
        target: {
          chainId: dep.chainId,
          ledger: dep.ledger as Hex,
          deploymentBlock: BigInt(dep.deploymentBlock),
          finality: 0,
        },
      }).catchUp();
      const seconds = (now() - t) / 1000;
      result[name] = {
        entries: summary.entries,
        seconds: Math.round(seconds * 100) / 100,
        entriesPerSecond: Math.round(summary.entries / seconds),
      };
      console.log(
        `${name.padEnd(8)} from anvil: ${summary.entries} entries in ${seconds.toFixed(2)} s = ${result[name].entriesPerSecond} entries/s`,
      );
      if (name === "postgres") await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    }
    return result;
  } finally {
    await anvil.stop("SIGKILL");
  }
}

async function main() {
  const nodeEntries = Number(arg("node-entries", "5000"));
  const fromNode = nodeEntries > 0 ? await nodeIngest(nodeEntries) : undefined;
  const decoder = decodeRate();
  console.log(`decodeRange: ${decoder.entriesPerSecond} entries/s (${decoder.entries} entries)`);
  // A run of one backend keeps the other's figures from an earlier run (each is measured on its own).
  const file = join("bench", "index.json");
  const before = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const backends: Record<string, unknown> = { ...before.backends };
  const nodeFigures = fromNode ? { ...before.fromLocalNode, ...fromNode } : before.fromLocalNode;
  for (const name of BACKENDS) backends[name] = await benchBackend(name);
  const out = {
    when: new Date().toISOString(),
    machine: "2 shared CPU cores, Node " + process.version,
    targets: { ingestEntriesPerSecond: 5_000, bundleP99MsAt1MOnPostgres: 20 },
    samplesPerFigure: SAMPLES,
    decoder,
    ...(nodeFigures ? { fromLocalNode: nodeFigures } : {}),
    backends,
  };
  mkdirSync("bench", { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.log("wrote bench/index.json");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
