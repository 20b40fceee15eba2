/**
 * Members' records reaching the platform (`PUT /records/<hash>.json`): a record whose hash a ledger entry
 * holds is stored and then served, and a buyer's verification shows it; without it the verdict warns that
 * the record is unavailable. Next to it the attacks: a record never written on chain, a record under another
 * hash, oversize, non-JSON and mistyped bodies, bad paths and hints — none stored.
 */
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Wallet } from "ethers";
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { startPlatform, type Platform } from "../helpers/platform";
import { nodeProvider } from "../helpers/localNode";
import { GTIN } from "../helpers/ledger";
import { TraceWriter } from "../../src/write/writer";
import { RecordStore } from "../../src/records/store";
import { recordObjectEvent, recordRegistration, type UnitRef } from "../../src/records";
import { parseGs1, toDigitalLink } from "../../src/gs1";
import { recordHash } from "../../src/epcis";
import { verifyUnit } from "../../src/verify/verify";
import { storeFetcher } from "../../src/server/records";
import { MAX_RECORD_BYTES } from "../../src/server/recordRoutes";
import { startIndexer } from "../../src/indexer/start";

const unitOf = (code: string): UnitRef => {
  const identity = parseGs1(code);
  return {
    key: identity.key as Hex,
    uri: toDigitalLink(identity, { attributes: false }),
    path: identity.canonicalPath,
  };
};

describe("server: members publish records to the platform's store", function () {
  this.timeout(180_000);
  let platform: Platform;
  let base = "";
  let client: PublicClient;
  /** The member's own store: what its CLI would keep locally. */
  const local = new RecordStore(mkdtempSync(join(tmpdir(), "cbec-member-records-")));
  const item = unitOf(`(01)${GTIN}(10)PUB(21)1`);
  let registration: { hash: Hex; record: object };
  let inspection: { hash: Hex; record: object };

  before(async () => {
    platform = await startPlatform();
    base = (await platform.serve()).base;
    client = createPublicClient({ transport: http(platform.node.rpcUrl) }) as PublicClient;
    const exporter = await TraceWriter.create({
      ledger: platform.deployment.ledger,
      signer: new Wallet(platform.deployment.members.exporter.privateKey, await nodeProvider(platform.node.rpcUrl)),
    });
    const reg = recordRegistration(local, item, { eventTime: "2026-11-02T09:00:00+08:00" });
    await exporter.register([reg.input]);
    registration = { hash: reg.recordHash, record: reg.record };
    const ins = recordObjectEvent(local, item, {
      step: "INSPECTING",
      disposition: "CONFORMANT",
      eventTime: "2026-11-03T09:00:00+08:00",
    });
    await exporter.record([ins.input]);
    inspection = { hash: ins.recordHash, record: ins.record };
  });
  after(async () => platform?.close());

  const put = (hash: string, body: string | object, type = "application/json", query = "") =>
    fetch(`${base}/records/${hash}.json${query}`, {
      method: "PUT",
      headers: { "content-type": type },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const served = async (hash: string) => (await fetch(`${base}/records/${hash}.json`)).status;
  const verify = () =>
    verifyUnit(item.uri, {
      client,
      ledger: {
        address: platform.deployment.ledger as Hex,
        chainId: platform.deployment.chainId,
        deploymentBlock: BigInt(platform.deployment.deploymentBlock),
      },
      fetchRecord: storeFetcher(platform.records),
    });

  it("before publishing, the buyer's verdict says the records are unavailable, naming the entries", async () => {
    const report = await verify();
    const missing = report.reasons.find((r) => r.code === "RECORD_UNAVAILABLE");
    expect(missing?.detail).to.equal("entry 1 (COMMISSIONING), entry 2 (INSPECTING)");
    expect(report.verdict).to.equal("warning");
  });

  it("a record whose hash is on chain is stored (201), served, and not stored twice (200)", async () => {
    const res = await put(registration.hash, registration.record);
    expect(res.status, await res.clone().text()).to.equal(201);
    expect(await res.json()).to.deep.equal({ hash: registration.hash, stored: true, present: true });
    const back = await fetch(`${base}/records/${registration.hash}.json`);
    expect(back.status).to.equal(200);
    expect(recordHash((await back.json()) as object)).to.equal(registration.hash);
    const again = await put(registration.hash, registration.record);
    expect(again.status).to.equal(200);
    expect(((await again.json()) as { stored: boolean }).stored).to.equal(false);
  });

  it("once every record is published, the verdict no longer warns about them", async () => {
    expect((await put(inspection.hash, inspection.record)).status).to.equal(201);
    const report = await verify();
    expect(report.reasons.map((r) => r.code)).to.not.include("RECORD_UNAVAILABLE");
    expect(report.entries.every((e) => e.recordMatches === true)).to.equal(true);
  });

  it("a custody offer's record (a HandoverOffered log, not an entry of the unit) is taken", async () => {
    const exporter = await TraceWriter.create({
      ledger: platform.deployment.ledger,
      signer: new Wallet(platform.deployment.members.exporter.privateKey, await nodeProvider(platform.node.rpcUrl)),
    });
    const offer = recordObjectEvent(local, item, {
      step: "CUSTODY_TRANSFERRED",
      eventTime: "2026-11-05T09:00:00+08:00",
    });
    await exporter.handover(item.key, platform.deployment.members.carrier.orgId, offer.input);
    expect((await put(offer.recordHash, offer.record)).status).to.equal(201);
  });

  it("ATTACK: a well-formed record that no ledger entry holds is refused (409) and not stored", async () => {
    const forged = recordObjectEvent(new RecordStore(mkdtempSync(join(tmpdir(), "cbec-forged-"))), item, {
      step: "INSPECTING",
      disposition: "CONFORMANT",
      eventTime: "2026-11-04T09:00:00+08:00",
    });
    const res = await put(forged.recordHash, forged.record);
    expect(res.status).to.equal(409);
    expect(((await res.json()) as { error: string }).error).to.match(/no ledger entry holds this hash/);
    expect(await served(forged.recordHash)).to.equal(404);
    // Naming the real unit as a hint does not help a hash the unit's history does not hold.
    expect((await put(forged.recordHash, forged.record, "application/json", `?unit=${item.key}`)).status).to.equal(409);
  });

  it("ATTACK: a record uploaded under another record's hash is refused (422): the store stays content-addressed", async () => {
    const other = { ...(registration.record as Record<string, unknown>), eventTime: "2026-11-02T10:00:00+08:00" };
    const fresh = `0x${"ab".repeat(32)}`;
    const res = await put(fresh, other);
    expect(res.status).to.equal(422);
    expect(((await res.json()) as { error: string }).error).to.include(recordHash(other));
    expect(await served(fresh)).to.equal(404);
  });

  it("a record that names no unit is found through the ?unit= hint, or through the index at any depth", async () => {
    const exporter = await TraceWriter.create({
      ledger: platform.deployment.ledger,
      signer: new Wallet(platform.deployment.members.exporter.privateKey, await nodeProvider(platform.node.rpcUrl)),
    });
    // A document digest record (not an EPCIS event naming the unit), written with its hash on the item.
    const doc = (n: number) => ({
      type: "cbectrace:DocumentDigest",
      title: `certificate ${n}`,
      sha256: `0x${"0e".repeat(32)}`,
    });
    const send = async (n: number) => {
      const hash = recordHash(doc(n));
      await exporter.record([
        { unit: item.key, step: 2, disposition: 0, eventTime: 1_770_000_000 + n, location: 0n, recordHash: hash },
      ]);
      return hash;
    };
    const hinted = await send(1);
    expect((await put(hinted, doc(1))).status).to.equal(409);
    expect((await put(hinted, doc(1), "application/json", `?unit=${item.key}`)).status).to.equal(201);
    const indexedHash = await send(2);
    const indexer = await startIndexer({
      rpcUrl: platform.node.rpcUrl,
      ledger: {
        address: platform.deployment.ledger as Hex,
        chainId: platform.deployment.chainId,
        deploymentBlock: BigInt(platform.deployment.deploymentBlock),
      },
    });
    try {
      await indexer.ready;
      const withIndex = (await platform.serve({ index: indexer.db })).base;
      const res = await fetch(`${withIndex}/records/${indexedHash}.json`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(doc(2)),
      });
      expect(res.status).to.equal(201);
    } finally {
      await indexer.stop();
    }
  });

  it("ATTACK: a genuine record re-labelled with another record's eventID (outside the hash) is refused (422)", async () => {
    const exporter = await TraceWriter.create({
      ledger: platform.deployment.ledger,
      signer: new Wallet(platform.deployment.members.exporter.privateKey, await nodeProvider(platform.node.rpcUrl)),
    });
    const ins = recordObjectEvent(local, item, { step: "STORING", eventTime: "2026-11-06T09:00:00+08:00" });
    await exporter.record([ins.input]);
    const relabelled = { ...ins.record, eventID: (registration.record as { eventID: string }).eventID };
    const res = await put(ins.recordHash, relabelled);
    expect(res.status).to.equal(422);
    expect(await served(ins.recordHash)).to.equal(404);
    // The record as written is taken.
    expect((await put(ins.recordHash, ins.record)).status).to.equal(201);
  });

  it("ATTACK: hostile bodies and paths get clear refusals and store nothing", async () => {
    const h = `0x${"cd".repeat(32)}`;
    expect((await put(h, "{not json")).status).to.equal(400);
    expect((await put(h, "[1,2]")).status).to.equal(400);
    expect((await put(h, registration.record, "text/plain")).status).to.equal(415);
    expect((await put(h, "x".repeat(MAX_RECORD_BYTES + 1))).status).to.equal(413);
    expect((await put(h, registration.record, "application/json", "?unit=0x12")).status).to.equal(400);
    expect((await put("0xABCD", registration.record)).status).to.equal(404);
    expect((await put("..%2F..%2Fpackage", registration.record)).status).to.equal(404);
    expect(await served(h)).to.equal(404);
    // The read routes stay read-only for every other method.
    expect((await fetch(`${base}/records/${registration.hash}.json`, { method: "DELETE" })).status).to.equal(405);
  });
});
