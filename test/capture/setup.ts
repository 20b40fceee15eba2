/**
 * The capture tests' world: anvil (it serves `eth_simulateV1`, the pre-flight) with the ledger deployed and
 * the test members, one index database (PGlite), and for the exporter and the rival one *capture key* each,
 * added by the organization's own admin account (`addAccountAsOrg`) — the only kind of key a capture token
 * may be bound to. EPCIS events are written as a warehouse system sends them: plain JSON, bare CBV terms.
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { Wallet, type JsonRpcProvider } from "ethers";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { freePort, startAnvil, type AnvilNode } from "../../src/node";
import { deployOnNode, nodeProvider, nodeReader, type NodeAccount, type NodeDeployment } from "../helpers/localNode";
import { EXPORTER_PREFIX, GTIN, RIVAL_GTIN, RIVAL_PREFIX } from "../helpers/ledger";
import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { openIndexDb, type IndexDb } from "../../src/indexer/db";
import { ensureSchema } from "../../src/indexer/schema";
import { TraceWriter } from "../../src/write/writer";
import { OrganizationAccounts } from "../../src/admin/ownAccounts";
import { gs1CheckDigit } from "../../src/gs1";
import { createTraceServer, type TraceServer } from "../../src/server/server";
import type { CaptureOptions } from "../../src/server/captureRoutes";
import type { TraceReader } from "../../src/read/reader";
import type { LedgerLocation } from "../../src/read/types";

export const CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"];

export interface CaptureWorld {
  anvil: AnvilNode;
  dep: NodeDeployment;
  provider: JsonRpcProvider;
  client: PublicClient;
  reader: TraceReader;
  ledger: LedgerLocation;
  db: IndexDb;
  records: string;
  /** Capture keys added by their organization's admin. */
  keys: { exporter: NodeAccount; rival: NodeAccount };
  /** Starts a platform server with capture on (closed by `stop`). */
  serve(capture?: Partial<CaptureOptions>): Promise<{ server: TraceServer; base: string; close(): Promise<void> }>;
  stop(): Promise<void>;
}

let pglite: Promise<PGlite> | undefined;

/**
 * One PGlite for every capture test file of the run (its WASM start costs seconds, tens on a loaded
 * machine); each world gets a fresh schema in it. It holds no handle, so the process exits without closing it.
 */
function sharedPglite(): Promise<PGlite> {
  pglite ??= import("@electric-sql/pglite").then(({ PGlite }) => new PGlite());
  return pglite;
}

/** Starts the world (anvil, deployment, capture keys: about 6 s). */
export async function startCaptureWorld(): Promise<CaptureWorld> {
  const anvil = await startAnvil({ port: await freePort(), silent: true, args: ["--accounts", "20"] });
  const dep = await deployOnNode(anvil.url);
  const provider = await nodeProvider(anvil.url);
  const keys = { exporter: dep.spare[0], rival: dep.spare[1] };
  for (const [member, key] of [
    ["exporter", keys.exporter],
    ["rival", keys.rival],
  ] as const) {
    const admin = await TraceWriter.create({
      ledger: dep.ledger,
      signer: new Wallet(dep.members[member].privateKey, provider),
      pollIntervalMs: 20,
    });
    await OrganizationAccounts.fromWriter(admin).addAccount(key.address as Address);
  }
  const db = await openIndexDb({ pglite: await sharedPglite(), schema: `t_${randomBytes(6).toString("hex")}` });
  await ensureSchema(db);
  const records = mkdtempSync(join(tmpdir(), "cbec-capture-records-"));
  const pageDir = mkdtempSync(join(tmpdir(), "cbec-capture-nopage-"));
  const ledger = { address: dep.ledger as Address, chainId: dep.chainId, deploymentBlock: BigInt(dep.deploymentBlock) };
  const servers: Array<() => Promise<void>> = [];
  return {
    anvil,
    dep,
    provider,
    client: createPublicClient({ transport: http(anvil.url, { batch: true }) }) as PublicClient,
    reader: nodeReader(anvil.url, dep),
    ledger,
    db,
    records,
    keys,
    async serve(capture = {}) {
      const server = createTraceServer({
        pageDir,
        recordsDir: records,
        manifest: dep.manifest,
        nodeUrl: anvil.url,
        index: db,
        capture: {
          devKeys: [keys.exporter.privateKey, keys.rival.privateKey],
          captureLimit: 20,
          fileSizeLimit: 64 * 1024,
          pollIntervalMs: 20,
          ...capture,
        },
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
      };
      servers.push(close);
      return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
    },
    async stop() {
      for (const close of servers) await close().catch(() => undefined);
      provider.destroy();
      await db.close().catch(() => undefined);
      await anvil.stop();
    },
  };
}

/** A serialized item under the exporter's (or the rival's) prefix, as a Digital Link URI. */
export function itemUri(serial: string, rival = false): string {
  return `https://id.gs1.org/01/${rival ? RIVAL_GTIN : GTIN}/21/${serial}`;
}

/** An SSCC under the exporter's prefix, as a Digital Link URI. */
export function cartonUri(n: number, prefix = EXPORTER_PREFIX): string {
  const body = "0" + prefix + String(n).padStart(16 - prefix.length, "0");
  return `https://id.gs1.org/00/${body}${gs1CheckDigit(body)}`;
}

export { RIVAL_PREFIX };

/** The exporter's warehouse, as an SGLN. */
export const WAREHOUSE = { id: `urn:epc:id:sgln:${EXPORTER_PREFIX}.00001.0` };

/** An ObjectEvent as a warehouse system writes it. */
export function objectEvent(epcList: string[], fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: "ObjectEvent",
    eventTime: "2026-11-20T09:00:00+08:00",
    eventTimeZoneOffset: "+08:00",
    epcList,
    action: "OBSERVE",
    readPoint: WAREHOUSE,
    ...fields,
  };
}

/** An AggregationEvent. */
export function aggregationEvent(parentID: string, childEPCs: string[], action: "ADD" | "DELETE", time: string) {
  return {
    type: "AggregationEvent",
    eventTime: time,
    eventTimeZoneOffset: "+08:00",
    parentID,
    childEPCs,
    action,
    bizStep: action === "ADD" ? "packing" : "unpacking",
    readPoint: WAREHOUSE,
  };
}

/** An EPCIS 2.0 document of events. */
export function epcisDocument(events: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "@context": CONTEXT,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-11-20T12:00:00+08:00",
    ...extra,
    epcisBody: { eventList: events },
  };
}

/** A capture job as `GET /capture/{id}` reports it (the fields the tests read). */
export interface CaptureJobBody {
  captureID: string;
  running: boolean;
  success: boolean;
  errors: unknown[];
  "cbectrace:events": Array<{ eventID: string; status: string }>;
}

/** Posts a document (an object or the file's bytes) to `base`/capture as `token`'s member; waits for the job. */
export async function captureAndWait(base: string, doc: unknown, token: string): Promise<CaptureJobBody> {
  const auth = { authorization: `Bearer ${token}` };
  const res = await fetch(`${base}/capture`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/ld+json" },
    body: Buffer.isBuffer(doc) ? doc.toString("utf8") : JSON.stringify(doc),
  });
  if (res.status !== 202) throw new Error(`POST /capture: ${res.status} ${await res.text()}`);
  const location = res.headers.get("location")!;
  for (let i = 0; i < 600; i++) {
    const job = (await (await fetch(base + location, { headers: auth })).json()) as CaptureJobBody;
    if (!job.running) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`capture job ${location} did not finish in 30 s`);
}
