/**
 * Capture credentials and jobs on one anvil chain: only a key the organization's own admin added can get a
 * token (the onboarding key and strangers are refused), tokens are stored as hashes, a key kept as an
 * encrypted keystore captures (and a wrong passphrase fails the job with nothing written), EPC URNs name the
 * same units as Digital Link URIs, a job survives a server restart, and an interrupted job resumes on start
 * without writing anything twice.
 */
import { expect } from "chai";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Wallet } from "ethers";
import type { Hex } from "viem";
import { cartonUri, epcisDocument, itemUri, objectEvent, startCaptureWorld, type CaptureWorld } from "./setup";
import { checkCaptureKey, hashCaptureToken, issueCaptureToken, listCaptureTokens } from "../../src/capture/credentials";
import { CaptureKeyRefusedError } from "../../src/capture/errors";
import { createJob, loadJob } from "../../src/capture/jobs";
import { prepareJob } from "../../src/capture/run";
import { createCaptureService } from "../../src/capture/service";
import { digitalLinkOfEpcUrn, unitOfIdentifier } from "../../src/capture/units";
import { ensureCaptureTables } from "../../src/capture/schema";
import { RecordStore } from "../../src/records/store";
import { TraceWriter } from "../../src/write/writer";
import { parseGs1 } from "../../src/gs1";
import { withEventId, type EpcisEvent } from "../../src/epcis";
import { GTIN } from "../helpers/ledger";

describe("capture: credentials and jobs", function () {
  this.timeout(120_000);
  let world: CaptureWorld;
  let token = "";

  before(async () => {
    world = await startCaptureWorld();
    token = (
      await issueCaptureToken({
        db: world.db,
        client: world.client,
        ledger: world.ledger,
        privateKey: world.keys.exporter.privateKey,
        label: "exporter WMS",
      })
    ).token;
  });
  after(async () => world?.stop());

  const key = (uri: string) => parseGs1(uri).key as Hex;
  const captured = async (base: string, doc: unknown, bearer = token) => {
    const res = await fetch(`${base}/capture`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
      body: JSON.stringify(doc),
    });
    expect(res.status, await res.clone().text()).to.equal(202);
    const location = res.headers.get("location")!;
    for (let i = 0; i < 600; i++) {
      const job = await (await fetch(base + location, { headers: { authorization: `Bearer ${bearer}` } })).json();
      if (!job.running) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the job did not finish");
  };

  it("ATTACK: the onboarding key, a stranger and an unknown key cannot get a capture token; a delegated key can", async () => {
    for (const account of [
      world.dep.members.exporter,
      world.dep.stranger,
      { privateKey: Wallet.createRandom().privateKey },
    ]) {
      let thrown: unknown;
      try {
        await issueCaptureToken({
          db: world.db,
          client: world.client,
          ledger: world.ledger,
          privateKey: account.privateKey,
          label: "x",
        });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.be.instanceOf(CaptureKeyRefusedError);
    }
    expect((await checkCaptureKey(world.client, world.ledger, world.keys.exporter.address as Hex)).orgId).to.equal(
      world.dep.members.exporter.orgId,
    );
    const onboarding = await checkCaptureKey(
      world.client,
      world.ledger,
      world.dep.members.exporter.address as Hex,
    ).catch((e) => e);
    expect((onboarding as Error).message).to.contain("onboarding key");
  });

  it("only the token's SHA-256 is stored", async () => {
    const rows = await world.db.query<{ token_hash: string }>("SELECT token_hash FROM epcis_capture_tokens");
    expect(rows.map((r) => r.token_hash)).to.include(hashCaptureToken(token));
    expect(JSON.stringify(rows)).to.not.contain(token);
    const listed = await listCaptureTokens(world.db, world.keys.exporter.address);
    expect(listed[0]).to.include({ label: "exporter WMS", orgId: world.dep.members.exporter.orgId });
    expect(JSON.stringify(listed)).to.not.contain(token);
  });

  it("EPC URNs name the same units as their Digital Link URIs (and events on them are ledger writes)", async () => {
    const sgtin = `urn:epc:id:sgtin:9521234.0${GTIN.slice(8, 13)}.U%2F1`;
    expect(digitalLinkOfEpcUrn(sgtin)).to.equal(`https://id.gs1.org/01/${GTIN}/21/U%2F1`);
    expect(unitOfIdentifier(sgtin)!.key).to.equal(key(itemUri("U%2F1")));
    expect(unitOfIdentifier(sgtin)!.uri).to.equal(sgtin);
    const sscc = cartonUri(77);
    const urn = `urn:epc:id:sscc:9521234.${sscc.slice(-18, -17)}${sscc.slice(-10, -1)}`;
    expect(unitOfIdentifier(urn)!.key).to.equal(key(sscc));
    for (const other of [
      "urn:uuid:1",
      `https://id.gs1.org/01/${GTIN}`,
      "urn:epc:id:sgln:9521234.00001.0",
      "urn:epc:id:sgtin:1.2",
    ]) {
      expect(unitOfIdentifier(other), other).to.equal(undefined);
    }
  });

  it("a job survives a server restart: a new server on the same database reports the same job", async () => {
    const first = await world.serve();
    const doc = epcisDocument([
      objectEvent([`urn:epc:id:sgtin:9521234.0${GTIN.slice(8, 13)}.R1`], { action: "ADD", bizStep: "commissioning" }),
      objectEvent([itemUri("R1")], { bizStep: "storing", eventTime: "2026-11-20T10:00:00+08:00" }),
    ]);
    const job = await captured(first.base, doc);
    expect(job.success, JSON.stringify(job.errors)).to.equal(true);
    expect((await world.reader.history(key(itemUri("R1")))).entries.map((e) => e.stepName)).to.deep.equal([
      "COMMISSIONING",
      "STORING",
    ]);
    await first.close();
    const second = await world.serve();
    const again = await (
      await fetch(`${second.base}/capture/${job.captureID}`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    expect(again).to.deep.equal(job);
    await second.close();
  });

  it("an interrupted job resumes on start and completes without writing anything twice", async () => {
    await ensureCaptureTables(world.db);
    const events = [
      objectEvent([itemUri("I1"), itemUri("I2")], { action: "ADD", bizStep: "commissioning" }),
      objectEvent([itemUri("I1"), itemUri("I2")], { bizStep: "storing", eventTime: "2026-11-20T10:00:00+08:00" }),
      objectEvent([itemUri("I1")], { bizStep: "inspecting", eventTime: "2026-11-20T11:00:00+08:00" }),
    ].map((e) => withEventId(e as unknown as EpcisEvent));
    const account = world.keys.exporter.address;
    const job = await createJob(world.db, {
      account,
      orgId: world.dep.members.exporter.orgId,
      behaviour: "rollback",
      events,
    });
    const writer = await TraceWriter.create({
      ledger: world.dep.ledger,
      signer: new Wallet(world.keys.exporter.privateKey, world.provider),
      pollIntervalMs: 20,
    });
    const ctx = {
      db: world.db,
      writer,
      reader: world.reader,
      store: new RecordStore(world.records),
      chainId: world.dep.chainId,
      ledger: world.dep.ledger,
    };
    await prepareJob(job, ctx);
    // The stop came after the registrations and the first events were sent, before the job was saved again.
    await writer.register(job.plan![0].registrations!);
    await writer.record(job.plan![1].records!);
    const stored = await loadJob(world.db, job.id);
    expect(stored!.running).to.equal(true);
    expect(stored!.outcome.events.map((e) => e.status)).to.deep.equal(["pending", "pending", "pending"]);

    const service = createCaptureService({
      db: world.db,
      nodeUrl: world.anvil.url,
      manifest: world.dep.manifest,
      recordsDir: world.records,
      devKeys: [world.keys.exporter.privateKey],
      pollIntervalMs: 20,
    });
    await service.ready;
    await service.idle();
    await service.close();
    const done = (await loadJob(world.db, job.id))!;
    expect(done.running).to.equal(false);
    expect(done.success, JSON.stringify(done.outcome.errors)).to.equal(true);
    expect(done.outcome.events.map((e) => e.status)).to.deep.equal(["written", "written", "written"]);
    const i1 = await world.reader.history(key(itemUri("I1")));
    expect(i1.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING", "INSPECTING"]);
    const i2 = await world.reader.history(key(itemUri("I2")));
    expect(i2.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING"]);
    for (const [i, e] of done.outcome.events.entries()) {
      const anchor = e["cbectrace:anchor"]!;
      expect(anchor.unit).to.equal(key(itemUri("I1")));
      expect(anchor.seq).to.equal(i + 1);
      expect(anchor.transactionHash).to.equal(i1.entries[i].transactionHash);
    }
  });

  it("a key kept as an encrypted keystore captures; with a wrong passphrase the job fails and nothing is written", async () => {
    const issued = await issueCaptureToken({
      db: world.db,
      client: world.client,
      ledger: world.ledger,
      privateKey: world.keys.rival.privateKey,
      passphrase: "correct horse battery staple",
      label: "rival ERP",
    });
    const rows = await world.db.query<{ keystore: string }>(
      "SELECT keystore FROM epcis_capture_keys WHERE account = $1",
      [issued.account.toLowerCase()],
    );
    expect(rows[0].keystore).to.not.contain(world.keys.rival.privateKey.slice(2));
    const wrong = await world.serve({ devKeys: undefined, keyPassphrase: "wrong" });
    const doc = (serial: string) =>
      epcisDocument([objectEvent([itemUri(serial, true)], { action: "ADD", bizStep: "commissioning" })]);
    const failed = await captured(wrong.base, doc("K0"), issued.token);
    expect(failed.success).to.equal(false);
    expect(failed.errors[0].type).to.equal("epcisException:ImplementationException");
    expect((await world.reader.unitState(key(itemUri("K0", true)))).registered).to.equal(false);
    await wrong.close();
    const right = await world.serve({ devKeys: undefined, keyPassphrase: "correct horse battery staple" });
    const ok = await captured(right.base, doc("K1"), issued.token);
    expect(ok.success, JSON.stringify(ok.errors)).to.equal(true);
    const [entry] = (await world.reader.history(key(itemUri("K1", true)))).entries;
    expect(entry.account.toLowerCase()).to.equal(world.keys.rival.address.toLowerCase());
    await right.close();
  });

  it("ATTACK: a node that lies in the pre-flight cannot make a refused write look written (the send is refused, reported, the rest not sent)", async () => {
    // Forwards JSON-RPC to anvil, but answers every eth_simulateV1 call as a success.
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const upstream = await fetch(world.anvil.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const answer = await upstream.json();
      const sent = JSON.parse(body);
      const lie = (
        request: { method?: string },
        reply: { result?: Array<{ calls: Array<Record<string, unknown>> }> },
      ) => {
        if (request.method !== "eth_simulateV1" || !reply.result) return reply;
        for (const block of reply.result)
          for (const call of block.calls) Object.assign(call, { status: "0x1", returnData: "0x" });
        return reply;
      };
      const lied = Array.isArray(sent) ? answer.map((r: never, i: number) => lie(sent[i], r)) : lie(sent, answer);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(lied));
    });
    await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const events = [
        objectEvent([itemUri("L1")], { action: "ADD", bizStep: "commissioning" }),
        objectEvent([itemUri("L-NEVER")], { bizStep: "storing", eventTime: "2026-11-20T10:00:00+08:00" }),
        objectEvent([itemUri("L1")], { bizStep: "storing", eventTime: "2026-11-20T10:00:00+08:00" }),
      ].map((e) => withEventId(e as unknown as EpcisEvent));
      const identity = {
        tokenId: "t",
        account: world.keys.exporter.address as Hex,
        orgId: world.dep.members.exporter.orgId,
      };
      const service = createCaptureService({
        db: world.db,
        nodeUrl: proxyUrl,
        manifest: world.dep.manifest,
        recordsDir: world.records,
        devKeys: [world.keys.exporter.privateKey],
        pollIntervalMs: 20,
      });
      const job = await service.submit(identity, "rollback", events);
      await service.idle();
      await service.close();
      const done = (await loadJob(world.db, job.id))!;
      expect(done.running).to.equal(false);
      expect(done.success).to.equal(false);
      expect(done.outcome.events.map((e) => e.status)).to.deep.equal(["written", "refused", "notWritten"]);
      expect(done.outcome.errors.map((e) => [e.eventIndex, e.title])).to.deep.equal([[1, "UnitNotRegisteredError"]]);
      // What the chain holds is what the job says: the registration (sent before the refusal), nothing more.
      expect((await world.reader.history(key(itemUri("L1")))).entries.map((e) => e.stepName)).to.deep.equal([
        "COMMISSIONING",
      ]);
      expect(done.outcome.events[0]["cbectrace:anchor"]!.seq).to.equal(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((done) => proxy.close(() => done()));
    }
  });
});
