/**
 * The EPCIS 2.0 capture interface over HTTP, on one anvil chain and one index: discovery, every refusal
 * with its status and problem body (401, 403, 404, 405, 413 both limits, 415, 400), the conformance
 * documents accepted, a whole export journey captured as one document and read back from the chain (signed
 * by the exporter's capture key), rollback against proceed, and the attacks: another organization's unit,
 * an unlicensed prefix, another member's GLN as sender, a revoked token replayed.
 */
import { expect } from "chai";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { request } from "node:http";
import { hexlify, toUtf8Bytes, Wallet } from "ethers";
import type { Hex } from "viem";
import {
  aggregationEvent,
  cartonUri,
  epcisDocument,
  itemUri,
  objectEvent,
  startCaptureWorld,
  CONTEXT,
  type CaptureWorld,
} from "../capture/setup";
import { issueCaptureToken, revokeCaptureToken } from "../../src/capture/credentials";
import { parseGs1, gs1CheckDigit } from "../../src/gs1";
import { recordHashOfEventId, recordHash } from "../../src/epcis";
import { roleMask } from "../../src/codes";
import { TraceLedger__factory } from "../../typechain-types";
import { verifyUnit } from "../../src/verify/verify";
import { storeFetcher } from "../../src/server/records";

const VALID = resolve(__dirname, "../../../shared/standards/epcis/capture/valid");
const INVALID = resolve(__dirname, "../../../shared/standards/epcis/capture/invalid");

describe("server: EPCIS capture interface", function () {
  this.timeout(120_000);
  let world: CaptureWorld;
  let base = "";
  let exporter = "";
  let rival = "";

  before(async () => {
    world = await startCaptureWorld();
    const issue = async (key: { privateKey: string }, label: string) =>
      (
        await issueCaptureToken({
          db: world.db,
          client: world.client,
          ledger: world.ledger,
          privateKey: key.privateKey,
          label,
        })
      ).token;
    exporter = await issue(world.keys.exporter, "exporter WMS");
    rival = await issue(world.keys.rival, "rival ERP");
    base = (await world.serve({ captureLimit: 20 })).base;
  });
  after(async () => world?.stop());

  const post = (path: string, body: unknown, token: string | undefined, headers: Record<string, string> = {}) =>
    fetch(base + path, {
      method: "POST",
      headers: {
        "content-type": "application/ld+json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const get = (path: string, token?: string) =>
    fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const problem = async (res: Response, status: number, exception: string) => {
    expect(res.status).to.equal(status);
    expect(res.headers.get("content-type")).to.match(/^application\/problem\+json/);
    expect(res.headers.get("gs1-epcis-version")).to.equal("2.0.0");
    const body = (await res.json()) as { type: string; status: number; detail: string };
    expect(body.type).to.equal(`epcisException:${exception}`);
    expect(body.status).to.equal(status);
    return body;
  };
  /** Posts, expects 202, and waits for the job to finish. */
  const capture = async (doc: unknown, token = exporter, headers: Record<string, string> = {}, path = "/capture") => {
    const res = await post(path, doc, token, headers);
    if (res.status !== 202) throw new Error(`${res.status} ${await res.text()}`);
    const location = res.headers.get("location")!;
    expect(location).to.match(/^\/capture\/c[0-9a-f]{24}$/);
    return finished(location, token);
  };
  const finished = async (location: string, token = exporter) => {
    for (let i = 0; i < 600; i++) {
      const job = (await (await get(location, token)).json()) as Job;
      if (!job.running) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${location} did not finish`);
  };
  type Job = {
    captureID: string;
    running: boolean;
    success: boolean;
    captureErrorBehaviour: string;
    errors: Array<{ eventIndex: number; eventID: string; type: string; title: string; detail: string }>;
    "cbectrace:events": Array<{
      eventIndex: number;
      eventID: string;
      status: string;
      note?: string;
      "cbectrace:anchor"?: {
        transactionHash: string;
        blockNumber: number;
        unit: string;
        seq: number;
        chainId: number;
        ledger: string;
      } | null;
    }>;
  };
  const key = (uri: string) => parseGs1(uri).key as Hex;
  const jobCount = async (token: string) => ((await (await get("/capture?perPage=100", token)).json()) as Job[]).length;

  it("OPTIONS /capture and /events advertise the methods, both capture limits and the versions", async () => {
    for (const path of ["/capture", "/events"]) {
      const res = await fetch(base + path, { method: "OPTIONS" });
      expect(res.status, path).to.equal(204);
      expect(res.headers.get("allow")).to.equal("GET, POST, OPTIONS");
      expect(res.headers.get("gs1-epcis-capture-limit")).to.equal("20");
      expect(res.headers.get("gs1-epcis-capture-file-size-limit")).to.equal(String(64 * 1024));
      expect(res.headers.get("gs1-capture-error-behaviour")).to.equal("all");
      expect(res.headers.get("gs1-epcis-version")).to.equal("2.0.0");
      expect(res.headers.get("gs1-cbv-version")).to.equal("2.0.0");
    }
  });

  it("401 SecurityException with WWW-Authenticate: Bearer without a token, with an unknown one, on every route", async () => {
    const doc = epcisDocument([objectEvent([itemUri("A401")], { bizStep: "storing" })]);
    const none = await post("/capture", doc, undefined);
    expect(none.headers.get("www-authenticate")).to.match(/^Bearer/);
    await problem(none, 401, "SecurityException");
    await problem(await post("/capture", doc, `cbt_${"x".repeat(43)}`), 401, "SecurityException");
    await problem(await post("/events", doc.epcisBody, "not-a-token"), 401, "SecurityException");
    await problem(await get("/capture"), 401, "SecurityException");
    await problem(await get("/capture/c000000000000000000000000", "cbt_nope"), 401, "SecurityException");
  });

  it("415 for another media type, 406 for another EPCIS version, 405 for other methods", async () => {
    const doc = epcisDocument([]);
    const xml = await post("/capture", "<epcis/>", exporter, { "content-type": "application/xml" });
    expect((await problem(xml, 415, "UnsupportedMediaTypeException")).detail).to.contain("application/xml");
    await problem(
      await post("/capture", doc, exporter, { "content-type": "text/plain" }),
      415,
      "UnsupportedMediaTypeException",
    );
    await problem(await post("/capture", doc, exporter, { "GS1-EPCIS-Version": "1.2" }), 406, "NotAcceptableException");
    const del = await fetch(base + "/capture", { method: "DELETE", headers: { authorization: `Bearer ${exporter}` } });
    expect(del.headers.get("allow")).to.equal("GET, POST, OPTIONS");
    await problem(del, 405, "NoSuchResourceException");
    const put = await fetch(base + "/capture/c000000000000000000000000", { method: "PUT" });
    await problem(put, 405, "NoSuchResourceException");
  });

  it("413 CaptureLimitExceededException: a declared body over the size limit before it is read, a streamed one, too many events", async () => {
    // Declared too large: the answer comes before the body is sent.
    const declared = await new Promise<{ status: number; body: string }>((done, fail) => {
      const req = request(base + "/capture", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(10_000_000),
          authorization: `Bearer ${exporter}`,
        },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => done({ status: res.statusCode!, body }));
      });
      req.on("error", fail);
      req.flushHeaders();
    });
    expect(declared.status).to.equal(413);
    expect(JSON.parse(declared.body).type).to.equal("epcisException:CaptureLimitExceededException");
    // Streamed (chunked, no length): refused once it passes the limit.
    const big = JSON.stringify(
      epcisDocument([objectEvent([itemUri("BIG")], { bizStep: "storing", "ex:pad": "x".repeat(70_000) })]),
    );
    const streamed = await new Promise<number>((done, fail) => {
      const req = request(base + "/capture", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${exporter}` },
      });
      req.on("response", (res) => {
        res.resume();
        done(res.statusCode!);
      });
      req.on("error", (e) => ((e as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : fail(e)));
      req.write(big.slice(0, 40_000));
      req.write(big.slice(40_000));
      req.end();
    });
    expect(streamed).to.equal(413);
    const many = epcisDocument(
      Array.from({ length: 21 }, (_, i) => objectEvent([itemUri(`M${i}`)], { bizStep: "storing" })),
    );
    const body = await problem(await post("/capture", many, exporter), 413, "CaptureLimitExceededException");
    expect(body.detail).to.contain("21 events").and.contain("20");
  });

  it("400 ValidationException for an invalid document, naming the path; nothing is stored", async () => {
    const before = await jobCount(exporter);
    const doc = JSON.parse(
      readFileSync(join(INVALID, "ObjectEvent_with_non_standard_bizStep_in_second_event.json"), "utf8"),
    );
    const body = await problem(await post("/capture", doc, exporter), 400, "ValidationException");
    expect(body.detail).to.contain("$.epcisBody.eventList[1].bizStep").and.contain("transforming");
    await problem(await post("/capture", "{not json", exporter), 400, "ValidationException");
    // ATTACK: a lone surrogate passes JSON and the schema but has no canonical form (no hash): 400, not 500.
    const surrogate = JSON.stringify(
      epcisDocument([objectEvent([itemUri("X")], { bizStep: "storing", "ex:note": "@" })]),
    );
    const unhashable = await post("/capture", surrogate.replace('"@"', '"\\ud800"'), exporter);
    expect((await problem(unhashable, 400, "ValidationException")).detail).to.contain("$.epcisBody.eventList[0]");
    await problem(await post("/capture", objectEvent([itemUri("X")], {}), exporter), 400, "ValidationException");
    const noContext = await post("/events", objectEvent([itemUri("X")], { bizStep: "storing" }), exporter);
    expect((await problem(noContext, 400, "ValidationException")).detail).to.contain("$.@context");
    await problem(
      await post("/capture", epcisDocument([]), exporter, { "GS1-Capture-Error-Behaviour": "all" }),
      400,
      "ValidationException",
    );
    expect(await jobCount(exporter)).to.equal(before);
  });

  it("every conformance document of capture/valid/ is accepted: 202 with Location /capture/{id}", async () => {
    for (const file of readdirSync(VALID).filter((f) => f.endsWith(".json"))) {
      const res = await post("/capture", readFileSync(join(VALID, file), "utf8"), rival);
      expect(res.status, `${file}: ${res.status === 202 ? "" : await res.text()}`).to.equal(202);
      expect(res.headers.get("location")).to.match(/^\/capture\/c[0-9a-f]{24}$/);
      expect(res.headers.get("gs1-epcis-version")).to.equal("2.0.0");
    }
  });

  it("a whole export journey captured as one document is on the ledger, signed by the exporter's capture key", async () => {
    const [item1, item2, carton] = [itemUri("J1"), itemUri("J2"), cartonUri(501)];
    const doc = epcisDocument(
      [
        objectEvent([item1, item2], {
          action: "ADD",
          bizStep: "commissioning",
          disposition: "active",
          eventTime: "2026-11-20T08:00:00+08:00",
        }),
        objectEvent([carton], { action: "ADD", bizStep: "commissioning", eventTime: "2026-11-20T08:05:00+08:00" }),
        objectEvent([item1, item2], { bizStep: "storing", eventTime: "2026-11-20T08:30:00+08:00" }),
        aggregationEvent(carton, [item1, item2], "ADD", "2026-11-20T09:00:00+08:00"),
        objectEvent([carton], {
          bizStep: "shipping",
          disposition: "in_transit",
          eventTime: "2026-11-20T10:00:00+08:00",
          eventID: "urn:uuid:7a3c1f58-0000-4000-8000-000000000001",
        }),
        objectEvent(["urn:uuid:0d6f2a10-1111-4000-8000-000000000002"], {
          bizStep: "inspecting",
          eventTime: "2026-11-20T10:30:00+08:00",
        }),
        {
          type: "TransformationEvent",
          eventTime: "2026-11-20T11:00:00+08:00",
          eventTimeZoneOffset: "+08:00",
          inputEPCList: [item1],
          outputEPCList: [itemUri("J9")],
        },
      ],
      { sender: `https://id.gs1.org/417/${"0614141" + "00000"}${gs1CheckDigit("061414100000")}` },
    );
    const job = await capture(doc);
    expect(job.errors, JSON.stringify(job.errors)).to.deep.equal([]);
    expect(job.success).to.equal(true);
    expect(job.captureErrorBehaviour).to.equal("rollback");
    const events = job["cbectrace:events"];
    expect(events.map((e) => e.status)).to.deep.equal([
      "written",
      "written",
      "written",
      "written",
      "written",
      "offchain",
      "offchain",
    ]);
    expect(events[5].note).to.contain("urn:uuid");
    expect(events[6].note).to.contain("TransformationEvent");
    expect(events[5]["cbectrace:anchor"]).to.equal(null);
    // eventIDs: a missing one is the record's hash ID, a given one is kept.
    expect(events[4].eventID).to.equal("urn:uuid:7a3c1f58-0000-4000-8000-000000000001");
    const hash0 = recordHashOfEventId(events[0].eventID)!;
    expect(hash0).to.match(/^0x[0-9a-f]{64}$/);
    const stored = JSON.parse(readFileSync(join(world.records, `${hash0}.json`), "utf8"));
    expect(recordHash(stored)).to.equal(hash0);
    expect(stored.eventID).to.equal(events[0].eventID);
    // Read back from the chain: every entry signed by the capture key, anchored where the job says.
    const capturer = world.keys.exporter.address.toLowerCase();
    for (const [uri, steps] of [
      [item1, ["COMMISSIONING", "STORING", "PACKING"]],
      [carton, ["COMMISSIONING", "PACKING", "SHIPPING"]],
    ] as const) {
      const history = await world.reader.history(key(uri));
      expect(
        history.entries.map((e) => e.stepName),
        uri,
      ).to.deep.equal(steps);
      for (const e of history.entries) expect(e.account.toLowerCase()).to.equal(capturer);
    }
    const shipAnchor = events[4]["cbectrace:anchor"]!;
    const carHistory = await world.reader.history(key(carton));
    const ship = carHistory.entries.find((e) => e.seq === shipAnchor.seq)!;
    expect(shipAnchor.unit).to.equal(key(carton));
    expect(ship.transactionHash).to.equal(shipAnchor.transactionHash);
    expect(Number(ship.blockNumber)).to.equal(shipAnchor.blockNumber);
    expect(shipAnchor.chainId).to.equal(world.dep.chainId);
    expect(shipAnchor.ledger.toLowerCase()).to.equal(world.dep.ledger.toLowerCase());
    expect(ship.data).to.equal(recordHash((doc.epcisBody as { eventList: object[] }).eventList[4]));
    // The buyer's verifier, reading the chain itself, checks the captured journey (a journey without customs).
    const verdict = await verifyUnit(item1, {
      client: world.client,
      ledger: world.ledger as never,
      fetchRecord: storeFetcher(world.records),
    });
    // Records found and matching, the capture key not flagged: only the missing customs release is said.
    const reasons = (verdict as unknown as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code);
    expect([verdict.verdict, reasons]).to.deep.equal(["warning", ["NO_CUSTOMS_RELEASE"]]);
    // The off-chain events are listed for the query interface.
    const rows = await world.db.query<{ capture_id: string }>(
      "SELECT capture_id FROM epcis_offchain_events WHERE capture_id = $1",
      [job.captureID],
    );
    expect(rows).to.have.length(2);
  });

  it("rollback: one refused event and nothing of the document is written; proceed: the others are", async () => {
    const doc = (serial: string) =>
      epcisDocument([
        objectEvent([itemUri(serial)], { action: "ADD", bizStep: "commissioning" }),
        objectEvent([itemUri(`${serial}-NEVER-REGISTERED`)], { bizStep: "storing" }),
      ]);
    const rolled = await capture(doc("RB1"));
    expect(rolled.success).to.equal(false);
    expect(rolled.errors).to.have.length(1);
    expect(rolled.errors[0]).to.include({
      eventIndex: 1,
      type: "cbectrace:ledger:TraceLedgerUnknownUnit",
      title: "UnitNotRegisteredError",
    });
    expect(rolled.errors[0].detail).to.match(/\w+/);
    expect(rolled["cbectrace:events"].map((e) => e.status)).to.deep.equal(["rolledBack", "refused"]);
    expect((await world.reader.unitState(key(itemUri("RB1")))).registered).to.equal(false);
    expect(
      existsSync(join(world.records, `${recordHashOfEventId(rolled["cbectrace:events"][0].eventID)}.json`)),
    ).to.equal(false);

    const proceeded = await capture(doc("PR1"), exporter, { "GS1-Capture-Error-Behaviour": "proceed" });
    expect(proceeded.captureErrorBehaviour).to.equal("proceed");
    expect(proceeded.success).to.equal(false);
    expect(proceeded.errors.map((e) => e.eventIndex)).to.deep.equal([1]);
    expect(proceeded["cbectrace:events"].map((e) => e.status)).to.deep.equal(["written", "refused"]);
    expect((await world.reader.unitState(key(itemUri("PR1")))).registered).to.equal(true);
    expect(proceeded["cbectrace:events"][0]["cbectrace:anchor"]!.seq).to.equal(1);
  });

  it("ATTACK: exporter's token on the rival's unit (out of scope) and an unlicensed prefix: refused per event with the ledger's reason, nothing written", async () => {
    const rivalItem = itemUri("RV1", true);
    const own = await capture(
      epcisDocument([objectEvent([rivalItem], { action: "ADD", bizStep: "commissioning" })]),
      rival,
    );
    expect(own.success, JSON.stringify(own.errors)).to.equal(true);
    const rivalEntries = (await world.reader.history(key(rivalItem))).entries.length;

    const attack = await capture(
      epcisDocument([
        objectEvent([itemUri("OK-BEFORE")], { action: "ADD", bizStep: "commissioning" }),
        // One event on two units (a batch): the rival's one is the refused item.
        objectEvent([itemUri("OK-BEFORE"), rivalItem], { bizStep: "storing" }),
        objectEvent([itemUri("RV2", true)], { action: "ADD", bizStep: "commissioning" }),
      ]),
    );
    expect(attack.success).to.equal(false);
    expect(attack.errors.map((e) => [e.eventIndex, e.type, e.title])).to.deep.equal([
      [1, "cbectrace:ledger:TraceLedgerOutOfScope", "OutOfScopeError"],
      [2, "cbectrace:ledger:CodeNotLicensed", "CodeNotLicensedError"],
    ]);
    for (const e of attack.errors) expect(e.detail.length).to.be.greaterThan(10);
    expect((await world.reader.history(key(rivalItem))).entries.length).to.equal(rivalEntries);
    expect((await world.reader.unitState(key(itemUri("RV2", true)))).registered).to.equal(false);
    expect((await world.reader.unitState(key(itemUri("OK-BEFORE")))).registered).to.equal(false);
    // Whatever the rival's token wrote is signed by the rival's capture key, never the exporter's.
    for (const e of (await world.reader.history(key(rivalItem))).entries) {
      expect(e.account.toLowerCase()).to.equal(world.keys.rival.address.toLowerCase());
    }
  });

  it("ATTACK: a document whose sender is another member's GLN is refused 403; an outside party's GLN passes", async () => {
    const provider = world.provider;
    const admin = TraceLedger__factory.connect(world.dep.ledger, new Wallet(world.dep.admin.privateKey, provider));
    const gln = "952123500001" + gs1CheckDigit("952123500001");
    await (
      await admin.addOrganization(
        "GLN holder",
        hexlify(toUtf8Bytes("91440300MA5GLN001X")),
        BigInt(gln),
        "0x434e",
        roleMask("EXPORTER"),
      )
    ).wait();
    const events = [objectEvent([itemUri("S403")], { action: "ADD", bizStep: "commissioning" })];
    for (const sender of [`https://id.gs1.org/417/${gln}`, "urn:epc:id:pgln:9521235.00001"]) {
      const res = await post("/capture", epcisDocument(events, { sender }), exporter);
      expect((await problem(res, 403, "SecurityException")).detail, sender).to.contain(gln);
    }
    expect((await world.reader.unitState(key(itemUri("S403")))).registered).to.equal(false);
    const outside = await post(
      "/capture",
      epcisDocument(events, { sender: "https://id.gs1.org/417/0614141000005" }),
      exporter,
    );
    expect(outside.status).to.equal(202);
  });

  it("ATTACK: a token replayed after it is revoked gets 401", async () => {
    const { token, id } = await issueCaptureToken({
      db: world.db,
      client: world.client,
      ledger: world.ledger,
      privateKey: world.keys.exporter.privateKey,
      label: "short-lived",
    });
    const doc = epcisDocument([objectEvent([itemUri("RVK")], { action: "ADD", bizStep: "commissioning" })]);
    expect((await post("/capture", doc, token)).status).to.equal(202);
    expect(await revokeCaptureToken(world.db, id)).to.equal(true);
    await problem(await post("/capture", doc, token), 401, "SecurityException");
    await problem(await get("/capture", token), 401, "SecurityException");
  });

  it("POST /events captures one event; GET /capture pages the caller's jobs only; 404 for unknown and others' jobs", async () => {
    const event = {
      "@context": CONTEXT,
      ...objectEvent([itemUri("EV1")], { action: "ADD", bizStep: "commissioning" }),
    };
    const job = await capture(event, exporter, {}, "/events");
    expect(job.success, JSON.stringify(job.errors)).to.equal(true);
    expect((await world.reader.unitState(key(itemUri("EV1")))).registered).to.equal(true);

    const first = await get("/capture?perPage=2", exporter);
    expect(first.status).to.equal(200);
    const link = first.headers.get("link")!;
    expect(link).to.match(/^<\/capture\?perPage=2&nextPageToken=[\w-]+>; rel="next"$/);
    const page1 = (await first.json()) as Job[];
    const page2 = (await (await get(link.slice(1, link.indexOf(">")), exporter)).json()) as Job[];
    expect(page1).to.have.length(2);
    expect(page2.length).to.be.greaterThan(0);
    expect(page2.map((j) => j.captureID)).to.not.include.members(page1.map((j) => j.captureID));
    const all = ((await (await get("/capture?perPage=100", exporter)).json()) as Job[]).map((j) => j.captureID);
    expect(all).to.include(job.captureID);
    const rivals = ((await (await get("/capture?perPage=100", rival)).json()) as Job[]).map((j) => j.captureID);
    expect(rivals).to.not.include(job.captureID);
    await problem(await get(`/capture/${job.captureID}`, rival), 404, "NoSuchResourceException");
    await problem(await get("/capture/c0123456789abcdef01234567", exporter), 404, "NoSuchResourceException");
    await problem(await get("/capture?perPage=0", exporter), 400, "QueryParameterException");
    await problem(await get("/capture?color=red", exporter), 400, "QueryParameterException");
  });
});
