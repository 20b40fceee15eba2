/**
 * `npm start`: the whole system on this machine, on its embedded defaults.
 *   1. a local EVM node (anvil, from the npm registry) on 127.0.0.1 whose state is kept in .cbec-trace/
 *      across restarts;
 *   2. the ledger deployed once (skipped when the manifest matches the chain);
 *   3. a demo consortium and demo data seeded once: a complete 9610 export journey, a recalled product and
 *      a counterfeit code; beside the ledger the claims registry (issue 17) with a claimed product, a cloned
 *      code and an NFC-tagged product (added on its own to a data directory from before the registry);
 *   4. the verification page and the off-chain records served on 127.0.0.1, with the demo links printed.
 * Ctrl-C stops everything and saves the chain; the next `npm start` finds the same data and does not reseed.
 * Runs as one process (`HARDHAT_NETWORK=localhost ts-node scripts/start.ts`, not `hardhat run`, which forks)
 * so that Ctrl-C reaches the process that owns the node.
 */
import hre from "hardhat";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Network, Wallet } from "ethers";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { deployTraceLedger } from "../deploy/lib/deployLedger";
import { buildPage } from "./build-page";
import { buildExplorer } from "./build-explorer";
import { indexRecordDocuments } from "../src/explorer/documents";
import { seedDemo, DEMO_CODES, DEMO_MEMBERS, type DemoMember } from "../src/demo/journey";
import { seedShipments } from "../src/demo/shipments/seed";
import { shipmentLines } from "../src/demo/shipments/links";
import { demoLinks } from "../src/demo/links";
import { demoCaptureToken } from "../src/demo/captureToken";
import { seedAuthenticity } from "../src/demo/authenticity/seed";
import { demoTagKeys } from "../src/demo/authenticity/tag";
import { authenticityLines } from "../src/demo/authenticity/links";
import { createSunTapService } from "../src/authenticity/tapService";
import { loadTagKeys } from "../src/authenticity/tagKeys";
import { createTraceServer } from "../src/server/server";
import { scanSettings } from "../src/server/scanRoutes";
import { startIndexer, type RunningIndexer } from "../src/indexer/start";
import { progressPrinter, summaryLine } from "../src/indexer/progress";
import { traceEnv } from "../src/config/env";
import { TraceWriter } from "../src/write/writer";
import { readUnitState } from "../src/read/history";
import { parseGs1 } from "../src/gs1";
import { readConsortium, parseConsortiumFile } from "../src/admin";
import { filePrefixes, planConsortium } from "../src/admin/plan";
import { applyConsortium } from "../src/admin/apply";
import { ConsortiumAdmin } from "../src/admin/admin";
import { portIsFree, startAnvil, type AnvilNode } from "../src/node";
import QRCode from "qrcode";
import { isLoopback, reachableHost, startHost } from "./lib/startHost";

const ROOT = resolve(__dirname, "..");
const DATA_DIR = resolve(process.env.TRACE_DATA_DIR ?? join(ROOT, ".cbec-trace"));
const HOST = "127.0.0.1";
const RPC_PORT = Number(process.env.TRACE_START_RPC_PORT ?? 8545);
const DEFAULT_PAGE_PORT = 8080;
const PAGE_PORT = Number(process.env.TRACE_PAGE_PORT ?? DEFAULT_PAGE_PORT);
/** The platform URL `.env.example` names (TRACE_PLATFORM_URL): this server on its default port. */
const DEFAULT_PLATFORM_URL = `http://${HOST}:${DEFAULT_PAGE_PORT}`;
const MNEMONIC = "test test test test test test test test test test test junk";
const MEMBERS = DEMO_MEMBERS;

const say = (line: string) => console.log(line);

/** The local chain: anvil on RPC_PORT, its state in DATA_DIR (also saved every 2 s, so a hard kill loses little). */
function startNode(): Promise<AnvilNode> {
  mkdirSync(DATA_DIR, { recursive: true });
  return startAnvil({
    host: HOST,
    port: RPC_PORT,
    chainId: 31337,
    mnemonic: MNEMONIC,
    stateFile: join(DATA_DIR, "anvil-state.json"),
    stateInterval: 2,
    logFile: join(DATA_DIR, "anvil.log"),
    exitSignal: "SIGINT", // anvil saves its state on SIGINT
    // A zero-gas dev chain, like the consortium chains it stands for: base fee 0 stays 0 (anvil keeps a zero
    // base fee constant), so TRACE_GAS_PRICE=0 (legacy, gas price 0) and the node's own fees both work.
    args: ["--base-fee", "0", "--gas-price", "0", "--disable-min-priority-fee"],
  });
}

function wallet(index: number, provider?: JsonRpcProvider): Wallet {
  return new Wallet(HDNodeWallet.fromPhrase(MNEMONIC, "", `m/44'/60'/0'/0/${index}`).privateKey, provider);
}

/**
 * How to use the CLI on this chain: a command that works as printed (the RPC URL and, when it is not in
 * deployments/, the manifest are flags: the .env a newcomer copied names the default port), and the demo
 * members' keys, so a newcomer can act as the demo exporter. The keys are the published development keys of
 * the mnemonic above, funded on this local chain only; printing them gives nothing away.
 */
function cliLines(rpcUrl: string, platform: string): string[] {
  const manifestDir = process.env.TRACE_MANIFEST_DIR;
  const global = [
    `--rpc ${rpcUrl}`,
    ...(manifestDir ? [`--manifest ${join(resolve(manifestDir), "localhost.json")}`] : []),
  ].join(" ");
  const lines = [
    `CLI against this chain:  npx trace ${global} verify --platform ${platform} "${DEMO_CODES.authentic}"`,
  ];
  // Writes publish their records to this platform's store (PUT /records/…), as a real member's CLI would.
  if (platform !== DEFAULT_PLATFORM_URL) {
    lines.push(`  and publish records here:  export TRACE_PLATFORM_URL=${platform}`);
  }
  lines.push("");
  lines.push(
    "Demo member accounts. Their keys are the well-known development keys of the test mnemonic: they hold",
    "value on this local chain only; never use them anywhere else. To act as the demo exporter:",
    `  export TRACE_PRIVATE_KEY=${wallet(1).privateKey}`,
  );
  for (const [i, member] of MEMBERS.entries()) {
    const w = wallet(i + 1);
    lines.push(`  org ${String(i + 1).padEnd(2)} ${member.padEnd(9)} ${w.address}  key ${w.privateKey}`);
  }
  lines.push(`  admin          ${wallet(0).address}  key ${wallet(0).privateKey}  (TRACE_DEPLOYER_KEY)`, "");
  return lines;
}

/**
 * Moves the local dev chain's clock to `readyAt` (anvil `evm_increaseTime` + `evm_mine`), so the delayed
 * admin changes of the demo take effect now, and says so. Refuses any chain but the local one (31337): on a
 * real network the delay is the members' time to object and must be waited out.
 */
async function passTimeOnDevChain(provider: JsonRpcProvider, readyAt: number): Promise<void> {
  const chainId = Number(await provider.send("eth_chainId", []));
  if (chainId !== 31337) throw new Error(`Refusing to move the clock of chain ${chainId}: only the local chain's.`);
  // Raw requests: ethers would cache the block it answers here, and the next apply must see the new one.
  const latest = (await provider.send("eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
  const seconds = Math.max(0, readyAt - Number(latest.timestamp)) + 1;
  say(
    `Licensing the demo prefixes waits the ledger's public admin delay: moving this local dev chain's clock ` +
      `forward ${seconds} s (evm_increaseTime; only ever on chain 31337).`,
  );
  await provider.send("evm_increaseTime", [seconds]);
  await provider.send("evm_mine", []);
}

async function main() {
  // The page's address (issue 15): `npm start --host 0.0.0.0` / TRACE_HOST lets a phone on the same network
  // open the demo; the node stays on 127.0.0.1 (browsers read it through the page server's /rpc gateway).
  const pageHost = startHost(process.argv.slice(2), process.env);
  if (pageHost !== HOST && !(await portIsFree(PAGE_PORT, pageHost))) {
    throw new Error(
      `Port ${PAGE_PORT} on ${pageHost} (for the verification page) is in use: stop what runs there, or set TRACE_PAGE_PORT.`,
    );
  }
  const pageUrl = `http://${reachableHost(pageHost)}:${PAGE_PORT}`;
  for (const [port, what, variable] of [
    [RPC_PORT, "local node", "TRACE_START_RPC_PORT"],
    [PAGE_PORT, "verification page", "TRACE_PAGE_PORT"],
  ] as const) {
    if (!(await portIsFree(port, HOST))) {
      throw new Error(`Port ${port} on ${HOST} (for the ${what}) is in use: stop what runs there, or set ${variable}.`);
    }
  }
  const rpcUrl = `http://${HOST}:${RPC_PORT}`;
  say(`Starting the local chain on ${rpcUrl} (state in ${DATA_DIR}; process ${process.pid}) …`);
  let node: AnvilNode | undefined;
  let server: ReturnType<typeof createTraceServer> | undefined;
  let indexer: RunningIndexer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("\nStopping: saving the chain state …");
    server?.close();
    await indexer?.stop().catch(() => undefined);
    await node?.stop("SIGINT"); // anvil writes its state on SIGINT
    say("Stopped. `npm start` again continues with the same data.");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    node = await startNode();
    // The `localhost` network's provider is created on first use: point it at the node started here.
    (hre.network.config as { url?: string }).url = rpcUrl;
    const { manifest, manifestWritten, transactionsSent } = await deployTraceLedger(hre, {
      network: "localhost",
      reset: "if-stale",
      // The claims registry (issue 17): deployed beside the ledger, also beside one deployed before it existed.
      claims: true,
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
    const writers = {} as Record<DemoMember, TraceWriter>;
    for (const [i, member] of MEMBERS.entries()) {
      writers[member] = await TraceWriter.create({ ledger: ledger.address, signer: wallet(i + 1, provider) });
    }
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
      const prefixes = filePrefixes(desired);
      const plan = planConsortium(desired, await readConsortium({ client, ledger, prefixes }));
      const { pending } = await applyConsortium(admin, plan);
      if (pending.length > 0) {
        // Licensing the demo brand's prefixes waits the ledger's public delay: on this dev chain only, the
        // clock is moved past it instead of waiting.
        const readyAt = Math.max(...pending.map((a) => a.readyAt ?? 0));
        await passTimeOnDevChain(provider, readyAt);
        // Read at the block just mined (viem would answer the block number it cached before the first apply).
        const blockNumber = BigInt(await provider.send("eth_blockNumber", []));
        const now = await readConsortium({ client, ledger, prefixes, blockNumber });
        await applyConsortium(admin, planConsortium(desired, now));
      }
      await seedDemo(writers, records);
      await seedShipments(writers, records); // issue 14: the three customs shipments
      say("Demo data seeded.");
    }
    // Issue 17: the claimed, cloned and NFC-tagged products; each step only when the chain lacks it.
    const claims = { chainId: 31337, claims: manifest.claims!.address as Address };
    const seedingStarted = Date.now();
    const authenticity = await seedAuthenticity({
      writers,
      recordsDir: records,
      client,
      claims,
      tagKeys: demoTagKeys(DATA_DIR),
    });
    say(
      authenticity.transactions > 0
        ? `Authenticity demo seeded: ${authenticity.transactions} transactions in ${((Date.now() - seedingStarted) / 1000).toFixed(1)} s.`
        : "Authenticity demo already on chain: not seeding again.",
    );

    // The ledger index follows the chain for the explorer and the proof bundles (PGlite in the data
    // directory, or the PostgreSQL server DATABASE_URL names).
    say(
      `Indexing the ledger (${process.env.DATABASE_URL ? "PostgreSQL at DATABASE_URL" : `PGlite in ${join(DATA_DIR, "index")}`}) …`,
    );
    indexer = await startIndexer({
      client,
      ledger,
      ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: join(DATA_DIR, "index") }),
      onProgress: progressPrinter(),
      onError: (error) => say(`index: ${(error as Error).message.split("\n")[0]} (retrying)`),
    });
    const indexed = await indexer.ready;
    say(summaryLine(indexed));

    // The demo exporter's EPCIS capture key (a development key no member uses) and a bearer token for it.
    const captureKey = wallet(MEMBERS.length + 1, provider);
    const captureToken = await demoCaptureToken({
      db: indexer.db,
      client,
      ledger,
      exporterAdmin: await TraceWriter.create({
        ledger: ledger.address,
        signer: wallet(MEMBERS.indexOf("exporter") + 1, provider),
      }),
      captureKey,
    });

    const pageDir = await buildPage();
    const explorerScript = await buildExplorer();
    // Document numbers (orders, waybills, declarations) found in the records become searchable.
    await indexRecordDocuments(indexer.db, records);
    // The server reads its own node (TRACE_SERVER_RPC_URL, default this one); browsers read the public URL
    // when the operator names one (TRACE_PUBLIC_RPC_URL), else the server's read-only /rpc gateway.
    const settings = traceEnv();
    // The brand's tap service: the operator's keys file and member key (TRACE_TAG_KEYS, TRACE_TAP_KEY), else the
    // demo's keys file in the data directory and the demo exporter's key. A bad keys file stops the start.
    const taps = createSunTapService({
      client,
      claims: claims.claims,
      keys: settings.tagKeys ? loadTagKeys(resolve(settings.tagKeys)) : demoTagKeys(DATA_DIR),
      signer: settings.tapKey
        ? new Wallet(settings.tapKey, provider)
        : wallet(MEMBERS.indexOf("exporter") + 1, provider),
    });
    server = createTraceServer({
      pageDir,
      recordsDir: records,
      manifest,
      nodeUrl: settings.serverRpcUrl ?? rpcUrl,
      index: indexer.db,
      explorer: { scriptPath: explorerScript, documents: true },
      capture: { devKeys: [captureKey.privateKey] },
      // Webhook subscriptions of the local demo may call any address; a deployment names the allowed ones.
      epcisQuery: { subscriptions: {} },
      resolver: { publicUrl: settings.resolverUrl ?? pageUrl },
      taps: { service: taps },
      // Scan counts in the data directory (not the index's); the claim relay pays with the demo platform's key.
      scans: scanSettings({ ...settings, scansDir: settings.scansDir ?? join(DATA_DIR, "scans") })!,
      claimRelay: { relayerKey: settings.relayerKey ?? wallet(MEMBERS.indexOf("platform") + 1).privateKey },
      // A signed record read names the platform it is for: this server under every address it is reached at.
      platformHosts: [...new Set([new URL(pageUrl).host, `127.0.0.1:${PAGE_PORT}`, `localhost:${PAGE_PORT}`])],
      ...(settings.reportUrl ? { reportUrl: settings.reportUrl } : {}),
      ...(settings.publicRpcUrl ? { publicRpcUrl: settings.publicRpcUrl } : {}),
    });
    await new Promise<void>((done) => server!.listen(PAGE_PORT, pageHost, done));
    const page = pageUrl;
    say("");
    say(`Verification page: ${page}`);
    say(`Explorer (units, organizations, transactions, blocks, search): ${page}/explorer`);
    say("Demo codes (open on a phone-sized window, or scan them as QR codes):");
    for (const { label, url } of demoLinks(settings.resolverUrl ?? page)) say(`  ${label}${url}`);
    // Scannable from a phone when the page is reachable from the network (a loopback address is not).
    if (!isLoopback(pageHost) || settings.resolverUrl) {
      for (const { label, url } of demoLinks(settings.resolverUrl ?? page)) {
        say(`  ${label.trim()}:`);
        say(await QRCode.toString(url, { type: "terminal", small: true, errorCorrectionLevel: "L" }));
      }
    } else {
      say("  (To open them on a phone on this network: npm start -- --host 0.0.0.0, or TRACE_HOST=0.0.0.0 in .env;");
      say("   the links are then printed as QR codes too.)");
    }
    say(`Customs shipments (regulator view: ${page}/explorer/customs; match: npx trace customs check --unit <code>):`);
    for (const line of shipmentLines(settings.resolverUrl ?? page)) say(line);
    say("First-scan claims and NFC taps (docs/authenticity.md):");
    for (const line of authenticityLines(settings.resolverUrl ?? page, authenticity.lastCounter)) say(line);
    say("");
    say(`EPCIS 2.0 query:   ${page}/events?MATCH_anyEPC=${encodeURIComponent(DEMO_CODES.authentic)}`);
    say(`EPCIS 2.0 capture: POST ${page}/capture (docs/epcis-capture.md), as the demo exporter with`);
    say(`  Authorization: Bearer ${captureToken}`);
    say(`GS1 resolver: ${page}/.well-known/gs1resolver — docs/resolver.md`);
    say("");
    for (const line of cliLines(rpcUrl, page)) say(line);
    say("Press Ctrl-C to stop.");
  } catch (error) {
    console.error(`\nnpm start failed: ${(error as Error).message}`);
    await stop(1);
  }
}

void main();
