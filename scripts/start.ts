/**
 * `npm start`: the whole system on this machine, on its embedded defaults.
 *   1. a local EVM node (anvil, from the npm registry) on 127.0.0.1 whose state is kept in .cbec-trace/
 *      across restarts;
 *   2. the ledger deployed once (skipped when the manifest matches the chain);
 *   3. a demo consortium and demo data seeded once: a complete 9610 export journey, a recalled product and
 *      a counterfeit code;
 *   4. the verification page and the off-chain records served on 127.0.0.1, with the demo links printed.
 * Ctrl-C stops everything and saves the chain; the next `npm start` finds the same data and does not reseed.
 * Runs as one process (`HARDHAT_NETWORK=localhost ts-node scripts/start.ts`, not `hardhat run`, which forks)
 * so that Ctrl-C reaches the process that owns the node.
 */
import hre from "hardhat";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { join, resolve } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Network, Wallet } from "ethers";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { deployTraceLedger } from "../deploy/lib/deployLedger";
import { buildPage } from "./build-page";
import { seedDemo, DEMO_CODES, DEMO_MEMBERS, type DemoMember } from "./lib/demoJourney";
import { createTraceServer } from "../src/server/server";
import { TraceWriter } from "../src/write/writer";
import { readUnitState } from "../src/read/history";
import { parseGs1 } from "../src/gs1";
import { readConsortium, parseConsortiumFile } from "../src/admin";
import { planConsortium } from "../src/admin/plan";
import { applyConsortium } from "../src/admin/apply";
import { ConsortiumAdmin } from "../src/admin/admin";

const ROOT = resolve(__dirname, "..");
const DATA_DIR = resolve(process.env.TRACE_DATA_DIR ?? join(ROOT, ".cbec-trace"));
const HOST = "127.0.0.1";
const RPC_PORT = Number(process.env.TRACE_START_RPC_PORT ?? 8545);
const PAGE_PORT = Number(process.env.TRACE_PAGE_PORT ?? 8080);
const MNEMONIC = "test test test test test test test test test test test junk";
const MEMBERS = DEMO_MEMBERS;

const say = (line: string) => console.log(line);

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createNetServer()
      .once("error", () => done(false))
      .once("listening", () => probe.close(() => done(true)))
      .listen(port, HOST);
  });
}

async function waitForRpc(url: string, node: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (node.exitCode !== null)
      throw new Error(`the local node exited (code ${node.exitCode}); see ${join(DATA_DIR, "anvil.log")}`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the local node did not answer on ${url} within ${timeoutMs / 1000} s`);
}

function startNode(): ChildProcess {
  mkdirSync(DATA_DIR, { recursive: true });
  const log = openSync(join(DATA_DIR, "anvil.log"), "a");
  const bin = anvilBinary();
  return spawn(
    bin,
    [
      "--host",
      HOST,
      "--port",
      String(RPC_PORT),
      "--chain-id",
      "31337",
      "--mnemonic",
      MNEMONIC,
      "--state",
      join(DATA_DIR, "anvil-state.json"),
      "--state-interval",
      "2", // also saved every 2 s, so even a hard kill loses almost nothing
    ],
    { stdio: ["ignore", log, log] },
  );
}

/**
 * The anvil executable of this platform from its npm package; started directly (not through the npm
 * wrapper script) so that our SIGINT reaches it and it saves the chain state.
 */
function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  try {
    return require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/anvil`);
  } catch {
    return join(ROOT, "node_modules", ".bin", "anvil");
  }
}

function wallet(index: number, provider: JsonRpcProvider): Wallet {
  return new Wallet(HDNodeWallet.fromPhrase(MNEMONIC, "", `m/44'/60'/0'/0/${index}`).privateKey, provider);
}

async function main() {
  for (const [port, what, variable] of [
    [RPC_PORT, "local node", "TRACE_START_RPC_PORT"],
    [PAGE_PORT, "verification page", "TRACE_PAGE_PORT"],
  ] as const) {
    if (!(await portFree(port))) {
      throw new Error(`Port ${port} on ${HOST} (for the ${what}) is in use: stop what runs there, or set ${variable}.`);
    }
  }
  const rpcUrl = `http://${HOST}:${RPC_PORT}`;
  say(`Starting the local chain on ${rpcUrl} (state in ${DATA_DIR}; process ${process.pid}) …`);
  const node = startNode();
  let server: ReturnType<typeof createTraceServer> | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("\nStopping: saving the chain state …");
    server?.close();
    if (node.exitCode === null) {
      node.kill("SIGINT"); // anvil writes its state on SIGINT
      await new Promise((r) => node.once("exit", r));
    }
    say("Stopped. `npm start` again continues with the same data.");
    process.exit(code);
  };
  process.on("exit", () => {
    if (node.exitCode === null) node.kill("SIGINT");
  });
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    await waitForRpc(rpcUrl, node);
    // The `localhost` network's provider is created on first use: point it at the node started here.
    (hre.network.config as { url?: string }).url = rpcUrl;
    const { manifest, manifestWritten, transactionsSent } = await deployTraceLedger(hre, {
      network: "localhost",
      reset: "if-stale",
      ...(process.env.TRACE_MANIFEST_DIR ? { manifestDir: resolve(process.env.TRACE_MANIFEST_DIR) } : {}),
      ...(process.env.TRACE_JOURNAL_DIR ? { journalDir: resolve(process.env.TRACE_JOURNAL_DIR) } : {}),
      log: (line) => say(line),
    });
    say(
      transactionsSent.length
        ? `Deployed the ledger at ${manifest.ledger.address}.`
        : `Ledger already deployed at ${manifest.ledger.address}${manifestWritten ? " (manifest rewritten)" : ""}.`,
    );

    const provider = new JsonRpcProvider(rpcUrl, Network.from(31337), { staticNetwork: true });
    const client = createPublicClient({ transport: http(rpcUrl, { batch: true }) }) as PublicClient;
    const ledger = {
      address: manifest.ledger.address as Address,
      chainId: 31337,
      deploymentBlock: BigInt(manifest.ledger.deploymentBlock),
    };
    const records = join(DATA_DIR, "records");
    const seeded = (await readUnitState(client, ledger, parseGs1(DEMO_CODES.recalled).key)).registered;
    if (seeded) {
      say("Demo data already on chain: not seeding again.");
    } else {
      say("Onboarding the demo consortium and seeding the demo journey …");
      const admin = ConsortiumAdmin.fromWriter(
        await TraceWriter.create({ ledger: ledger.address, signer: wallet(0, provider) }),
      );
      const desired = parseConsortiumFile(
        JSON.parse(readFileSync(join(ROOT, "demo", "consortium.json"), "utf8")),
        "demo/consortium.json",
      );
      const plan = planConsortium(desired, await readConsortium({ client, ledger }));
      await applyConsortium(admin, plan);
      const writers = {} as Record<DemoMember, TraceWriter>;
      for (const [i, member] of MEMBERS.entries()) {
        writers[member] = await TraceWriter.create({ ledger: ledger.address, signer: wallet(i + 1, provider) });
      }
      await seedDemo(writers, records);
      say("Demo data seeded.");
    }

    const pageDir = await buildPage();
    server = createTraceServer({ pageDir, recordsDir: records, manifest, rpcUrl });
    await new Promise<void>((done) => server!.listen(PAGE_PORT, HOST, done));
    const page = `http://${HOST}:${PAGE_PORT}`;
    const link = (uri: string) => page + new URL(uri).pathname;
    say("");
    say(`Verification page: ${page}`);
    say("Demo codes (open on a phone-sized window, or scan them as QR codes):");
    say(`  authentic 正品          ${link(DEMO_CODES.authentic)}`);
    say(`  recalled 已召回          ${link(DEMO_CODES.recalled)}`);
    say(`  counterfeit 假冒(未登记)  ${link(DEMO_CODES.counterfeit)}`);
    say(`  the consignment 运单     ${link(DEMO_CODES.consignment)}`);
    say("");
    say(`CLI against this chain:  npx trace --records-dir ${records} verify "${DEMO_CODES.authentic}"`);
    say("Press Ctrl-C to stop.");
  } catch (error) {
    console.error(`\nnpm start failed: ${(error as Error).message}`);
    await stop(1);
  }
}

void main();
