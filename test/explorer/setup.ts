/**
 * The explorer tests' world: anvil with the demo journey (records kept), plus hostile names and codes put on
 * chain the legitimate way (an organization named with markup, a lot and serial made of markup characters
 * GS1 allows), indexed into PGlite, and the explorer mounted on a plain node:http server.
 */
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Wallet, hexlify, toUtf8Bytes } from "ethers";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import { freePort, startAnvil, type AnvilNode } from "../../src/node";
import { deployOnNode, nodeProvider, type NodeDeployment } from "../helpers/localNode";
import { seedDemoOnNode } from "../helpers/nodeDemo";
import { RecordStore, recordObjectEvent, recordRegistration } from "../../src/records";
import { parseGs1, toDigitalLink } from "../../src/gs1";
import { roleMask } from "../../src/codes";
import { TraceLedger__factory } from "../../typechain-types";
import { buildProofBundle } from "../../src/bundle/build";
import type { ProofBundle } from "../../src/bundle/types";
import type { EpcisEvent } from "../../src/epcis";
import type { IndexDb } from "../../src/indexer/db";
import { createExplorerHandler } from "../../src/explorer/handler";
import { buildExplorer } from "../../scripts/build-explorer";
import { followerOf } from "../indexer/setup";

/** Markup an attacker can put on chain: an organization name, and a lot and serial within GS1's charset 82. */
export const HOSTILE = {
  orgName: `<img src=x onerror=alert(1)> & "Co" 'Ltd'`,
  lot: "<svg/onload=alert()>",
  serial: `"'><b>bold</b>`,
};

export interface ExplorerWorld {
  anvil: AnvilNode;
  dep: NodeDeployment;
  client: PublicClient;
  records: string;
  keys: Record<string, Hex>;
  hostile: { orgId: number; code: string; key: Hex };
  /** A transaction the platform relayed for the factory's key. */
  relayedTx: Hex;
  fetchRecord(hash: Hex): Promise<EpcisEvent | undefined>;
  ledger: { address: Address; chainId: number; version: string; deploymentBlock: bigint };
}

/** Starts anvil, deploys, seeds the demo journey and the hostile organization and unit. */
export async function startExplorerChain(): Promise<ExplorerWorld> {
  const anvil = await startAnvil({ port: await freePort(), silent: true, args: ["--accounts", "20"] });
  const dep = await deployOnNode(anvil.url);
  const provider = await nodeProvider(anvil.url);
  const records = mkdtempSync(join(tmpdir(), "cbec-explorer-records-"));
  const { writers, seeded: keys } = await seedDemoOnNode(anvil.url, dep, records, { pollIntervalMs: 20 });

  const admin = TraceLedger__factory.connect(dep.ledger, new Wallet(dep.admin.privateKey, provider));
  const credit = hexlify(toUtf8Bytes("91440300MA5TXSS01X"));
  await (await admin.addOrganization(HOSTILE.orgName, credit, 0n, "0x434e", roleMask("MANUFACTURER"))).wait();
  const orgId = Number(await admin.organizationCount());

  const identity = parseGs1({ gtin: "06901234567892", lot: HOSTILE.lot, serial: HOSTILE.serial });
  const store = new RecordStore(records);
  const unit = {
    key: identity.key as Hex,
    uri: toDigitalLink(identity, { attributes: false }),
    path: identity.canonicalPath,
  };
  await writers.factory.register([
    recordRegistration(store, unit, { eventTime: "2026-11-20T09:00:00+08:00", location: "6901234000016" }).input,
  ]);
  // A relayed batch: the factory signs offline, the platform sends it (the transaction's from is the relayer).
  const deadline = (await provider.getBlock("latest"))!.timestamp + 3600;
  const storing = recordObjectEvent(store, unit, {
    step: "STORING",
    eventTime: "2026-11-20T10:00:00+08:00",
    location: "6901234000016",
  }).input;
  const relayed = await writers.platform.relay([await writers.factory.sign([storing], { deadline })]);
  provider.destroy();

  const client = createPublicClient({ transport: http(anvil.url, { batch: true }) }) as PublicClient;
  const fetchRecord = async (hash: Hex) => {
    const file = join(records, `${hash}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as EpcisEvent) : undefined;
  };
  return {
    anvil,
    dep,
    client,
    records,
    keys,
    hostile: { orgId, code: unit.uri, key: unit.key },
    relayedTx: relayed.transactions[0].hash as Hex,
    fetchRecord,
    ledger: {
      address: dep.ledger as Address,
      chainId: dep.chainId,
      version: dep.version,
      deploymentBlock: BigInt(dep.deploymentBlock),
    },
  };
}

/** Indexes the world's chain into `db` up to its head. */
export async function indexWorld(world: ExplorerWorld, db: IndexDb): Promise<void> {
  await followerOf(world.client, world.ledger, db).catchUp();
}

export interface ExplorerServer {
  base: string;
  server: Server;
  /** How many bundles the handler asked for. */
  bundles: string[];
  close(): Promise<void>;
}

/**
 * Serves the explorer for `db` on a plain node:http server, with the records at /records/ as the platform
 * serves them (the page fetches a record its bundle lacks there).
 */
export async function serveExplorer(
  world: ExplorerWorld,
  db: IndexDb,
  extra: {
    rpcUrl?: string;
    pageSize?: number;
    documents?: boolean;
    bundle?: (code: string) => Promise<ProofBundle | undefined>;
  } = {},
): Promise<ExplorerServer> {
  const scriptPath = await buildExplorer(mkdtempSync(join(tmpdir(), "cbec-explorer-js-")));
  const bundles: string[] = [];
  const handler = createExplorerHandler({
    db,
    rpcUrl: extra.rpcUrl ?? world.anvil.url,
    scriptPath,
    ...(extra.pageSize ? { pageSize: extra.pageSize } : {}),
    ...(extra.documents ? { documents: true } : {}),
    ledger: world.ledger,
    client: world.client,
    bundle: async (code) => {
      bundles.push(code);
      if (extra.bundle) return extra.bundle(code);
      return buildProofBundle(code, { rpcUrl: world.anvil.url, ledger: world.ledger, fetchRecord: world.fetchRecord });
    },
  });
  const server = createServer((req, res) => {
    if (handler(req, res)) return;
    const record = /^\/records\/(0x[0-9a-f]{64})\.json$/.exec(req.url ?? "");
    const file = record && join(world.records, `${record[1]}.json`);
    if (file && existsSync(file)) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not the explorer's");
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return {
    base: `http://127.0.0.1:${port}`,
    server,
    bundles,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/**
 * A request without following redirects: status, headers and the body with its layout whitespace collapsed
 * (one space, none around tags), so tests match markup, not indentation.
 */
export async function get(base: string, path: string, init: RequestInit = {}) {
  const res = await fetch(base + path, { redirect: "manual", ...init });
  const body = (await res.text())
    .replace(/\s+/g, " ")
    .replace(/\s+(\/?>)/g, "$1")
    .replace(/>\s+</g, "><");
  return { status: res.status, headers: res.headers, body };
}

/** The href values of the page's links, decoded of HTML entities. */
export function links(body: string): string[] {
  return [...body.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => unescape(m[1]));
}

/** The text of the page (tags removed, entities decoded), for asserting what a reader sees. */
export function text(body: string): string {
  return unescape(body.replace(/<script\b[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");
}

function unescape(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
