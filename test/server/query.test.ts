/**
 * The EPCIS 2.0 query interface on the platform server, over the demo journey indexed once (plus two
 * off-chain events): every page of `GET /events` walked with no duplicate or gap and validated against the
 * EPCIS 2.0 schema; every parameter against an oracle filtering the full result in JavaScript, with a value
 * that matches and one that does not, pipes, EPC URN and Digital Link spellings; the standard exceptions;
 * a record altered in the store never served; resource endpoints; named queries; who sees off-chain
 * events; and subscriptions delivered to a local webhook that checks GS1-Signature and answers 500 once.
 */
import { expect } from "chai";
import { createServer, request, type Server, type IncomingMessage } from "node:http";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { createTraceServer, type TraceServer } from "../../src/server/server";
import type { QueryOptions } from "../../src/server/queryRoutes";
import { recordHash, withEventId } from "../../src/epcis/hash";
import { putOffChainEvent } from "../../src/epcis/rest/offchain";
import { ensureEventRepository } from "../../src/epcis/repository";
import { gs1CheckDigit } from "../../src/gs1/checkDigit";
import { DEMO_CODES } from "../../src/demo/journey";
import { CBV_BIZ_STEP_PREFIX } from "../../src/epcis/vocabulary";
import { checkAnchor, type AnchorCheck } from "../../src/epcis/rest/query/checkAnchor";
import { hardhatClient } from "../helpers/sdk";
import { indexedDemo, type IndexedDemo } from "../helpers/eventRepository";
import { querySchemas, type QuerySchemas } from "../helpers/epcisQuerySchemas";
import { WITHHELD_STEPS } from "../../src/records/access";

/** Finance records are withheld from the public query interface (src/records/access.ts). */
const WITHHELD = [...WITHHELD_STEPS];
const PUBLIC_ONLY = "AND NOT EXISTS (SELECT 1 FROM entries w WHERE w.data = e.data AND w.step = ANY($1::int[]))";

type Ev = Record<string, any>;
interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

const reasonOf = (c: AnchorCheck) => (c.ok ? "ok" : c.reason);

const waitFor = async <T>(what: string, probe: () => T | undefined, ms = 8_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("server: the EPCIS 2.0 query interface", function () {
  this.timeout(120_000);
  let t: IndexedDemo;
  let schemas: QuerySchemas;
  const servers: Server[] = [];
  let base = "";
  let authBase = "";
  let all: Ev[] = [];
  let tampered: string;
  const off: Ev[] = [];
  const lgtin = "urn:epc:class:lgtin:4012345.012345.998877";
  const gtinOfLgtin = "0" + "4012345" + "12345";
  const lgtinDl = `https://id.gs1.org/01/${gtinOfLgtin}${gs1CheckDigit(gtinOfLgtin)}/10/998877`;

  const serve = async (options: QueryOptions): Promise<string> => {
    const server: TraceServer = createTraceServer({
      pageDir: mkdtempSync(join(tmpdir(), "cbec-nopage-")),
      recordsDir: t.demo.records,
      manifest: {
        network: "hardhat",
        chainId: 31337,
        ledger: { address: t.demo.address, deploymentBlock: Number(t.ledger.deploymentBlock), version: "2.1.0" },
      },
      index: t.db,
      epcisQuery: options,
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const get = async (path: string, headers: Record<string, string> = {}, at = base): Promise<Answer> => {
    const res = await fetch(`${at}${path}`, { headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const send = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    at = base,
  ) => {
    const res = await fetch(`${at}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined } as Answer;
  };
  const events = (a: Answer): Ev[] => a.body.epcisBody.queryResults.resultsBody.eventList;
  const valid = (a: Answer) => {
    const ok = schemas.queryDocument(a.body);
    expect(ok, JSON.stringify(schemas.queryDocument.errors?.slice(0, 3))).to.equal(true);
    expect(a.headers.get("GS1-EPCIS-Version")).to.equal("2.0.0");
  };
  /** Every event of a query, walking its pages. */
  const walk = async (query: string, perPage = 7, at = base, headers: Record<string, string> = {}): Promise<Ev[]> => {
    const out: Ev[] = [];
    let next: string | undefined = `/events?${query}${query ? "&" : ""}perPage=${perPage}`;
    while (next) {
      const a = await get(next, headers, at);
      expect(a.status, JSON.stringify(a.body)).to.equal(200);
      valid(a);
      expect(events(a).length).to.be.at.most(perPage);
      out.push(...events(a));
      const link = a.headers.get("link");
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : undefined;
      if (next) expect(Date.parse(a.headers.get("GS1-Next-Page-Token-Expires")!)).to.be.greaterThan(Date.now());
    }
    return out;
  };
  const ids = (list: Ev[]) => list.map((e) => e.eventID).sort();
  const expectSame = async (query: string, oracle: (e: Ev) => boolean, nonEmpty = true) => {
    const got = await walk(query, 50);
    const want = all.filter(oracle);
    if (nonEmpty) expect(want.length, `the oracle finds events for ${query}`).to.be.greaterThan(0);
    expect(ids(got), query).to.deep.equal(ids(want));
  };
  const epcsOf = (e: Ev): string[] => [...(e.epcList ?? []), ...(e.childEPCs ?? [])];

  before(async () => {
    t = await indexedDemo();
    schemas = querySchemas();
    // An attacker alters a stored record: the chain still holds the original's hash.
    const [row] = await t.db.query<{ data: string }>(
      `SELECT data FROM entries e WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.key = e.data) ${PUBLIC_ONLY}
       ORDER BY block DESC LIMIT 1`,
      [WITHHELD],
    );
    tampered = row.data;
    const file = join(t.demo.records, `${tampered}.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), action: "DELETE" }));
    await ensureEventRepository(t.db); // what the capture part's own ensureOffChainEvents does
    // Two off-chain events (a capture of identifiers we do not register), of organization 1.
    for (const [i, epcClass] of [lgtin, "urn:epc:class:lgtin:4012345.012345.OTHER"].entries()) {
      const event = withEventId({
        type: "ObjectEvent",
        eventTime: `2026-05-0${i + 1}T08:00:00.000Z`,
        eventTimeZoneOffset: "+02:00",
        action: "OBSERVE",
        epcList: [],
        quantityList: [{ epcClass, quantity: 5 }],
        bizStep: `${CBV_BIZ_STEP_PREFIX}receiving`,
        bizLocation: { id: "urn:epc:id:sgln:4012345.00001.0" },
      });
      const hash = recordHash(event);
      t.store.put(hash, event as never);
      await putOffChainEvent(t.db, {
        recordHash: hash,
        recordTime: 1_790_000_000_000 + i,
        org: 1,
        account: "0x01",
        captureId: "cap-1",
      });
      off.push(event);
    }
    // The webhook receivers of these tests listen on loopback, which the default destination policy refuses.
    const anyDest = () => true;
    base = await serve({ subscriptions: { intervalMs: 50, retryBaseMs: 50 }, allowDest: anyDest });
    authBase = await serve({
      subscriptions: false,
      allowDest: anyDest,
      authenticate: async (req: IncomingMessage) => {
        const m = /^Bearer org(\d)$/.exec(String(req.headers.authorization ?? ""));
        return m ? { org: Number(m[1]), account: "0x0" } : undefined;
      },
    });
  });
  after(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    await t.backend.close();
  });

  it("GET /events: every page valid, no duplicate, no gap, each event anchored where its entry is", async () => {
    const started = performance.now();
    all = await walk("", 7);
    console.log(`      walked ${all.length} events in pages of 7: ${(performance.now() - started).toFixed(0)} ms`);
    const [{ n }] = await t.db.query<{ n: string }>(
      `SELECT count(DISTINCT data) AS n FROM entries e WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.key = e.data)
       ${PUBLIC_ONLY}`,
      [WITHHELD],
    );
    expect(all.length).to.equal(Number(n) - 1 + off.length);
    expect(new Set(ids(all)).size).to.equal(all.length);
    for (const e of all) {
      const anchor = e["cbectrace:anchor"];
      const { "cbectrace:anchor": _, ...record } = e;
      if (anchor === null) continue;
      const [entry] = await t.db.query<{ data: string; tx_hash: string }>(
        "SELECT data, tx_hash FROM entries WHERE unit = $1 AND seq = $2",
        [anchor.unit, anchor.seq],
      );
      expect(entry.data).to.equal(recordHash(record));
      expect(entry.tx_hash).to.equal(anchor.transactionHash);
      expect(Object.keys(anchor).sort()).to.deep.equal([
        "blockNumber",
        "chainId",
        "ledger",
        "seq",
        "transactionHash",
        "unit",
      ]);
    }
    expect(all.filter((e) => e["cbectrace:anchor"] === null).length).to.equal(off.length);
    // Record time order, oldest first, when no orderBy is given.
    const times = all.map((e) => Date.parse(e.recordTime));
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
  });

  it("ATTACK: the event whose stored record was altered is not served, by any route", async () => {
    expect(all.map((e) => recordHash(e))).to.not.include(tampered);
    const id = `ni:///sha-256;${tampered.slice(2)}?ver=cbec-trace-1`;
    expect(events(await get(`/events?EQ_eventID=${encodeURIComponent(id)}`))).to.deep.equal([]);
    const one = await get(`/events/${encodeURIComponent(id)}`);
    expect([one.status, one.body.type]).to.deep.equal([404, "epcisException:NoSuchResourceException"]);
  });

  it("a client checks every anchored event on its own node: the anchor's entry holds the event's hash", async () => {
    const client = hardhatClient();
    const started = performance.now();
    for (const e of all) {
      const check = await checkAnchor(client, e, { ledger: t.demo.address });
      if (e["cbectrace:anchor"] === null) expect(check).to.deep.equal({ ok: false, reason: "OFF_CHAIN" });
      else
        expect(check, e.eventID).to.deep.equal({ ok: true, hash: recordHash({ ...e, "cbectrace:anchor": undefined }) });
    }
    console.log(`      checked ${all.length} anchors on chain: ${(performance.now() - started).toFixed(0)} ms`);
  });

  it("ATTACK: a lying server or index (event or anchor altered) fails the client's on-chain check", async () => {
    const client = hardhatClient();
    const e = all.find((x) => x["cbectrace:anchor"] !== null)!;
    const a = e["cbectrace:anchor"];
    const trusted = { ledger: t.demo.address };
    const lies: Array<[Ev, string]> = [
      [{ ...e, action: e.action === "ADD" ? "OBSERVE" : "ADD" }, "HASH_MISMATCH"],
      [{ ...e, "cbectrace:anchor": { ...a, seq: a.seq + 1 } }, "NO_ENTRY"],
      [{ ...e, "cbectrace:anchor": { ...a, unit: `0x${"ab".repeat(32)}` } }, "NO_ENTRY"],
      // Another contract (one the liar deployed to emit look-alike logs) is not the ledger the client trusts.
      [{ ...e, "cbectrace:anchor": { ...a, ledger: `0x${"11".repeat(20)}` } }, "WRONG_LEDGER"],
      [{ ...e, "cbectrace:anchor": { ...a, blockNumber: a.blockNumber + 1 } }, "WRONG_BLOCK"],
      [{ ...e, "cbectrace:anchor": { ...a, transactionHash: `0x${"cd".repeat(32)}` } }, "NO_TRANSACTION"],
      [{ ...e, "cbectrace:anchor": { ...a, chainId: 1 } }, "WRONG_CHAIN"],
      [{ ...e, "cbectrace:anchor": { ...a, seq: "1" } }, "MALFORMED"],
    ];
    for (const [lie, reason] of lies)
      expect(reasonOf(await checkAnchor(client, lie, trusted)), reason).to.equal(reason);
    // The repository's database rewritten (another disposition for the same anchor): served, and caught.
    const [row] = await t.db.query<{ record_hash: string; event: string }>(
      "SELECT record_hash, event FROM epcis_events WHERE event_id = $1",
      [e.eventID],
    );
    const forged = { ...JSON.parse(row.event), bizStep: "urn:cbec-trace:bizstep:forged" };
    await t.db.query("UPDATE epcis_events SET event = $1 WHERE record_hash = $2", [
      JSON.stringify(forged),
      row.record_hash,
    ]);
    try {
      const [served] = events(await get(`/events?EQ_eventID=${encodeURIComponent(e.eventID)}`));
      expect(served.bizStep).to.equal("urn:cbec-trace:bizstep:forged");
      expect(reasonOf(await checkAnchor(client, served, trusted))).to.equal("HASH_MISMATCH");
    } finally {
      await t.db.query("UPDATE epcis_events SET event = $1 WHERE record_hash = $2", [row.event, row.record_hash]);
    }
  });

  it("each filter parameter: a matching value finds exactly the oracle's events, a non-matching one none", async () => {
    const sample = {
      bizStep: all.find((e) => e.bizStep && !e.bizStep.startsWith(CBV_BIZ_STEP_PREFIX))!.bizStep,
      disposition: all.find((e) => e.disposition)!.disposition,
      readPoint: all.find((e) => e.readPoint)!.readPoint,
      bizLocation: all.find((e) => e.bizLocation)!.bizLocation,
    };
    await expectSame("eventType=ObjectEvent", (e) => e.type === "ObjectEvent");
    await expectSame("eventType=AggregationEvent|TransactionEvent", (e) => e.type !== "ObjectEvent");
    await expectSame("eventType=AssociationEvent", () => false, false);
    await expectSame("EQ_action=ADD", (e) => e.action === "ADD");
    await expectSame("EQ_action=DELETE|OBSERVE", (e) => e.action !== "ADD");
    await expectSame("EQ_bizStep=commissioning", (e) => e.bizStep === `${CBV_BIZ_STEP_PREFIX}commissioning`);
    await expectSame(
      `EQ_bizStep=receiving|${encodeURIComponent(sample.bizStep)}`,
      (e) => e.bizStep === `${CBV_BIZ_STEP_PREFIX}receiving` || e.bizStep === sample.bizStep,
    );
    await expectSame(
      "EQ_bizStep=cbv:BizStep-commissioning",
      (e) => e.bizStep === `${CBV_BIZ_STEP_PREFIX}commissioning`,
    );
    await expectSame("EQ_bizStep=void_shipping", () => false, false);
    await expectSame(
      `EQ_disposition=${encodeURIComponent(sample.disposition)}`,
      (e) => e.disposition === sample.disposition,
    );
    await expectSame("EQ_disposition=stolen", () => false, false);
    await expectSame(
      `EQ_readPoint=${encodeURIComponent(sample.readPoint.id)}`,
      (e) => e.readPoint?.id === sample.readPoint.id,
    );
    await expectSame("EQ_readPoint=urn:epc:id:sgln:0000000.00000.0", () => false, false);
    await expectSame(
      `EQ_bizLocation=${encodeURIComponent(sample.bizLocation.id)}`,
      (e) => e.bizLocation?.id === sample.bizLocation.id,
    );
    await expectSame("EQ_bizLocation=urn:epc:id:sgln:0000000.00000.0", () => false, false);
    // The same GLN as a Digital Link finds the events that name it as an SGLN.
    const gln = `https://id.gs1.org/414/401234500001${gs1CheckDigit("401234500001")}`;
    await expectSame(`EQ_bizLocation=${encodeURIComponent(gln)}`, (e) => e.bizLocation?.id === sample.bizLocation.id);
    const mid = [...all].sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime))[Math.floor(all.length / 2)];
    const at = encodeURIComponent(mid.eventTime);
    await expectSame(`GE_eventTime=${at}`, (e) => Date.parse(e.eventTime) >= Date.parse(mid.eventTime));
    await expectSame(`LT_eventTime=${at}`, (e) => Date.parse(e.eventTime) < Date.parse(mid.eventTime));
    await expectSame(`GE_eventTime=${at}&LT_eventTime=${at}`, () => false, false);
    const recorded = [...new Set(all.map((e) => Date.parse(e.recordTime)))].sort((x, y) => x - y);
    const split = recorded[Math.floor(recorded.length / 2)];
    const rt = encodeURIComponent(new Date(split).toISOString());
    await expectSame(`GE_recordTime=${rt}`, (e) => Date.parse(e.recordTime) >= split);
    await expectSame(`LT_recordTime=${rt}`, (e) => Date.parse(e.recordTime) < split);
    await expectSame(`GE_recordTime=${rt}&LT_recordTime=${rt}`, () => false, false);
    await expectSame(`EQ_eventID=${encodeURIComponent(mid.eventID)}|${encodeURIComponent(all[0].eventID)}`, (e) =>
      [mid.eventID, all[0].eventID].includes(e.eventID),
    );
    await expectSame("EQ_eventID=ni:///sha-256;00?ver=cbec-trace-1", () => false, false);
  });

  it("MATCH_*: Digital Link and EPC URN spellings of a unit find the same events; classes and patterns match", async () => {
    const unit = DEMO_CODES.authentic;
    const names = (e: Ev) => epcsOf(e).includes(unit);
    await expectSame(`MATCH_epc=${encodeURIComponent(unit)}`, names);
    await expectSame("MATCH_epc=urn:epc:id:sgtin:6901234.056789.SN0001", names);
    await expectSame("MATCH_epc=urn:epc:idpat:sgtin:6901234.056789.*", (e) =>
      epcsOf(e).some((x) => x.startsWith("https://id.gs1.org/01/06901234567892/")),
    );
    await expectSame("MATCH_epc=urn:epc:id:sgtin:6901234.056789.NOPE", () => false, false);
    const carton = DEMO_CODES.carton;
    await expectSame(`MATCH_parentID=${encodeURIComponent(carton)}`, (e) => e.parentID === carton);
    await expectSame("MATCH_parentID=urn:epc:id:sscc:6901234.1000000001", (e) => e.parentID === carton);
    await expectSame(`MATCH_parentID=${encodeURIComponent(unit)}`, () => false, false);
    await expectSame(
      `MATCH_anyEPC=${encodeURIComponent(carton)}`,
      (e) => e.parentID === carton || epcsOf(e).includes(carton),
    );
    await expectSame(`MATCH_anyEPC=${encodeURIComponent(unit)}|${encodeURIComponent(DEMO_CODES.consignment)}`, (e) =>
      [unit, DEMO_CODES.consignment].some((u) => e.parentID === u || epcsOf(e).includes(u)),
    );
    await expectSame(`MATCH_anyEPC=${encodeURIComponent(DEMO_CODES.counterfeit)}`, () => false, false);
    await expectSame(`MATCH_epcClass=${lgtin}`, (e) => e.quantityList?.[0]?.epcClass === lgtin);
    await expectSame(`MATCH_epcClass=${encodeURIComponent(lgtinDl)}`, (e) => e.quantityList?.[0]?.epcClass === lgtin);
    await expectSame("MATCH_epcClass=urn:epc:class:lgtin:4012345.012345.NONE", () => false, false);
    await expectSame("MATCH_inputEPC=urn:epc:id:sgtin:6901234.056789.SN0001", () => false, false);
  });

  it("orderBy eventTime / recordTime, ASC and DESC, keep their order over pages", async () => {
    for (const [by, dir] of [
      ["eventTime", "DESC"],
      ["eventTime", "ASC"],
      ["recordTime", "DESC"],
    ] as const) {
      const got = await walk(`orderBy=${by}&orderDirection=${dir}`, 5);
      expect(ids(got)).to.deep.equal(ids(all));
      const times = got.map((e) => Date.parse(e[by]));
      const sorted = [...times].sort((a, b) => (dir === "ASC" ? a - b : b - a));
      expect(times, `${by} ${dir}`).to.deep.equal(sorted);
    }
    const limited = await walk("eventCountLimit=9", 4);
    expect(limited.length).to.equal(9);
  });

  it("ATTACK: hostile parameters, tokens and media types get the standard exceptions, never a 200", async () => {
    const cases: Array<[string, number, string, string?, Record<string, string>?]> = [
      ["/events?foo=1", 400, "QueryParameterException", "foo"],
      ["/events?GE_eventTime=yesterday", 400, "QueryParameterException", "GE_eventTime"],
      ["/events?GE_eventTime=2026-02-30T00:00:00Z", 400, "QueryParameterException", "GE_eventTime"],
      ["/events?eventType=Object", 400, "QueryParameterException", "eventType"],
      ["/events?EQ_action=ADDED", 400, "QueryParameterException", "EQ_action"],
      ["/events?EQ_bizStep=shippping", 400, "QueryParameterException", "EQ_bizStep"],
      ["/events?MATCH_epc=not%20a%20uri", 400, "QueryParameterException", "MATCH_epc"],
      ["/events?EQ_action=ADD&EQ_action=DELETE", 400, "QueryParameterException", "EQ_action"],
      ["/events?EQ_action=", 400, "QueryParameterException", "EQ_action"],
      ["/events?orderDirection=ASC", 400, "QueryParameterException", "orderDirection"],
      ["/events?perPage=0", 400, "QueryParameterException", "perPage"],
      ["/events?perPage=ten", 400, "QueryParameterException", "perPage"],
      ["/events?perPage=100000", 413, "QueryTooLargeException", "perPage"],
      ["/events?maxEventCount=2", 413, "QueryTooLargeException", "maxEventCount"],
      ["/events?nextPageToken=abc.def", 400, "QueryParameterException", "nextPageToken"],
      ["/events?EQ_quantity=5", 501, "ImplementationException", "EQ_quantity"],
      ["/events?orderBy=ex:weight", 501, "ImplementationException", "orderBy"],
      ["/events", 406, "NotAcceptableException", "XML", { accept: "application/xml" }],
      ["/events", 406, "NotAcceptableException", undefined, { accept: "text/html" }],
      ["/events", 406, "NotAcceptableException", undefined, { "GS1-EPCIS-Version": "1.2" }],
      ["/events/urn:uuid:0000", 404, "NoSuchResourceException"],
      ["/queries/nope", 404, "NoSuchNameException"],
      ["/queries/nope/events", 404, "NoSuchNameException"],
      ["/eventTypes/Thing/events", 400, "QueryParameterException", "eventType"],
      ["/epcs", 501, "ImplementationException"],
      [
        "/events?" + "EQ_eventID=" + Array.from({ length: 101 }, (_, i) => `x${i}`).join("|"),
        400,
        "QueryParameterException",
        "EQ_eventID",
      ],
    ];
    for (const [path, status, exception, names, headers] of cases) {
      const a = await get(path, headers);
      expect([a.status, a.body?.type], path).to.deep.equal([status, `epcisException:${exception}`]);
      expect(a.headers.get("content-type"), path).to.match(/^application\/problem\+json/);
      if (names) expect(a.body.detail, path).to.include(names);
    }
    expect((await get("/events?perPage=1", { accept: "application/json" })).status).to.equal(200);
    expect(
      (await get("/events?perPage=1", { accept: "application/xml;q=0.9, application/ld+json;q=0.5" })).status,
    ).to.equal(200);
  });

  it("ATTACK: a page token is bound to its query: reused with other parameters, forged or edited it is refused", async () => {
    const first = await get("/events?EQ_action=ADD&perPage=2");
    const link = first.headers.get("link")!;
    const token = new URL(/^<([^>]+)>/.exec(link)![1], base).searchParams.get("nextPageToken")!;
    const reuse = await get(`/events?EQ_action=OBSERVE&perPage=2&nextPageToken=${encodeURIComponent(token)}`);
    expect([reuse.status, reuse.body.type]).to.deep.equal([400, "epcisException:QueryParameterException"]);
    expect(reuse.body.detail).to.include("nextPageToken");
    const [body, sig] = token.split(".");
    const edited = JSON.parse(Buffer.from(body, "base64url").toString());
    edited[2] = 0; // jump back to the first position
    const forged = `${Buffer.from(JSON.stringify(edited)).toString("base64url")}.${sig}`;
    const again = await get(`/events?EQ_action=ADD&perPage=2&nextPageToken=${encodeURIComponent(forged)}`);
    expect(again.status).to.equal(400);
    // The same parameters in another order are the same query: the token is accepted.
    const same = await get(`/events?perPage=2&EQ_action=ADD&nextPageToken=${encodeURIComponent(token)}`);
    expect(same.status).to.equal(200);
    expect(ids(events(same))).to.not.include.members(ids(events(first)));
  });

  it("resource endpoints: collections of what the repository holds, and {value}/events as the parameter", async () => {
    const types = await get("/eventTypes");
    expect(types.body).to.include({ type: "Collection" });
    expect(types.body.member).to.include.members(["ObjectEvent", "AggregationEvent"]);
    const steps = await get("/bizSteps");
    expect(steps.body.member).to.deep.equal([...new Set(all.map((e) => e.bizStep).filter(Boolean))].sort());
    expect((await get("/bizSteps/commissioning")).body.member).to.deep.equal(["events"]);
    const viaPath = await get("/eventTypes/AggregationEvent/events?perPage=100");
    valid(viaPath);
    expect(ids(events(viaPath))).to.deep.equal(ids(all.filter((e) => e.type === "AggregationEvent")));
    const byEpc = await get(`/epcs/${encodeURIComponent(DEMO_CODES.carton)}/events?perPage=100`);
    expect(ids(events(byEpc))).to.deep.equal(
      ids(all.filter((e) => e.parentID === DEMO_CODES.carton || epcsOf(e).includes(DEMO_CODES.carton))),
    );
    const combined = await get(`/bizSteps/commissioning/events?perPage=100&EQ_action=OBSERVE`);
    expect(events(combined)).to.deep.equal([]);
    const dups = await get(`/bizSteps/commissioning/events?EQ_bizStep=shipping`);
    expect(dups.status).to.equal(400);
    const one = await get(`/events/${encodeURIComponent(all[3].eventID)}`);
    valid(one);
    expect(events(one)).to.deep.equal([all[3]]);
  });

  it("named queries: create (201, Location), 409 on a taken name, list, read, run, delete; bad definitions 400", async () => {
    const query = { eventType: ["ObjectEvent"], EQ_bizStep: ["commissioning", "receiving"] };
    expect(schemas.queryDefinition(query)).to.equal(true);
    const made = await send("POST", "/queries", { name: "commissioned", query });
    expect([made.status, made.headers.get("location")]).to.deep.equal([201, "/queries/commissioned"]);
    const taken = await send("POST", "/queries", { name: "commissioned", query: {} });
    expect([taken.status, taken.body.type]).to.deep.equal([409, "epcisException:ResourceAlreadyExistsException"]);
    expect((await get("/queries/commissioned")).body).to.deep.equal({ name: "commissioned", query });
    expect((await get("/queries")).body.map((q: { name: string }) => q.name)).to.include("commissioned");
    const run = await get("/queries/commissioned/events?perPage=100");
    valid(run);
    expect(run.body.epcisBody.queryResults.queryName).to.equal("commissioned");
    expect(ids(events(run))).to.deep.equal(
      ids(
        all.filter(
          (e) =>
            e.type === "ObjectEvent" &&
            [`${CBV_BIZ_STEP_PREFIX}commissioning`, `${CBV_BIZ_STEP_PREFIX}receiving`].includes(e.bizStep),
        ),
      ),
    );
    for (const [body, detail] of [
      [{ name: "x", query: { EQ_bizStep: ["nope"] } }, "EQ_bizStep"],
      [{ name: "x", query: { bogus: ["1"] } }, "bogus"],
      [{ name: "bad/name", query: {} }, "name"],
      [{ name: "x" }, "query"],
    ] as const) {
      const a = await send("POST", "/queries", body);
      expect([a.status, a.body.type], JSON.stringify(body)).to.deep.equal([
        400,
        "epcisException:QueryValidationException",
      ]);
      expect(a.body.detail).to.include(detail);
    }
    expect(schemas.queryDefinition({ EQ_action: ["ADDED"] })).to.equal(false);
    const xml = await send("POST", "/queries", "<query/>", { "content-type": "application/xml" });
    expect(xml.status).to.equal(415);
    const big = await send("POST", "/queries", { name: "big", query: { EQ_eventID: ["x".repeat(70_000)] } });
    expect([big.status, big.body.type]).to.deep.equal([413, "epcisException:QueryTooLargeException"]);
    expect((await send("DELETE", "/queries/commissioned")).status).to.equal(204);
    expect((await get("/queries/commissioned")).status).to.equal(404);
  });

  it("ATTACK: with authentication, off-chain events are their organization's only, and writes need a caller", async () => {
    const q = `MATCH_epcClass=${lgtin}`;
    expect(await walk(q, 10, authBase)).to.deep.equal([]);
    expect(await walk(q, 10, authBase, { authorization: "Bearer org2" })).to.deep.equal([]);
    expect(ids(await walk(q, 10, authBase, { authorization: "Bearer org1" }))).to.deep.equal([off[0].eventID]);
    // The chain's events stay public to every reader.
    expect((await walk("", 50, authBase)).length).to.equal(all.length - off.length);
    const anonymous = await send("POST", "/queries", { name: "mine", query: {} }, {}, authBase);
    expect([anonymous.status, anonymous.body.type]).to.deep.equal([401, "epcisException:SecurityException"]);
    expect(
      (await send("POST", "/queries", { name: "mine", query: {} }, { authorization: "Bearer org1" }, authBase)).status,
    ).to.equal(201);
    const foreign = await send("DELETE", "/queries/mine", undefined, { authorization: "Bearer org2" }, authBase);
    expect(foreign.status).to.equal(403);
    expect(
      (await send("DELETE", "/queries/mine", undefined, { authorization: "Bearer org1" }, authBase)).status,
    ).to.equal(204);
  });

  describe("subscriptions", () => {
    let receiver: Server;
    let dest = "";
    const got: Array<{ body: string; signature?: string; status: number }> = [];
    let failNext = 1;
    before(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          const status = failNext > 0 ? 500 : 200;
          if (failNext > 0) failNext--;
          got.push({
            body: Buffer.concat(chunks).toString(),
            signature: req.headers["gs1-signature"] as string,
            status,
          });
          res.writeHead(status).end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
      dest = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    });
    after(() => new Promise((r) => receiver.close(r)));
    const hmac = (body: string, token: string) => `sha256=${createHmac("sha256", token).update(body).digest("hex")}`;

    it("stream: signed deliveries, retried after a 500, then only new events (at least once, none skipped)", async () => {
      expect(
        (await send("POST", "/queries", { name: "receiving", query: { EQ_bizStep: ["receiving"] } })).status,
      ).to.equal(201);
      const sub = await send("POST", "/queries/receiving/subscriptions", {
        dest,
        signatureToken: "s3cret-token",
        stream: true,
        initialRecordTime: "2000-01-01T00:00:00Z",
      });
      expect(sub.status).to.equal(201);
      expect(sub.headers.get("location")).to.equal(`/queries/receiving/subscriptions/${sub.body.subscriptionID}`);
      expect(sub.body).to.not.have.property("signatureToken");
      await waitFor("a retry after the 500", () => (got.length >= 2 ? true : undefined));
      const [failed, retried] = got;
      expect([failed.status, retried.status]).to.deep.equal([500, 200]);
      expect(retried.body).to.not.equal(undefined);
      for (const d of [failed, retried]) expect(d.signature).to.equal(hmac(d.body, "s3cret-token"));
      const doc = JSON.parse(retried.body);
      expect(schemas.queryDocument(doc)).to.equal(true);
      expect(doc.epcisBody.queryResults.subscriptionID).to.equal(sub.body.subscriptionID);
      const want = all.filter((e) => e.bizStep === `${CBV_BIZ_STEP_PREFIX}receiving`);
      expect(ids(doc.epcisBody.queryResults.resultsBody.eventList)).to.deep.equal(ids(want));
      const times = doc.epcisBody.queryResults.resultsBody.eventList.map((e: Ev) => Date.parse(e.recordTime));
      expect(times).to.deep.equal([...times].sort((a: number, b: number) => a - b));
      // A new matching event arrives: the next delivery holds it alone.
      const { eventID: _id, ...content } = off[0];
      const fresh = withEventId({ ...content, eventTime: "2026-06-01T00:00:00.000Z" });
      const hash = recordHash(fresh);
      t.store.put(hash, fresh as never);
      await putOffChainEvent(t.db, {
        recordHash: hash,
        recordTime: Date.now(),
        org: 1,
        account: "0x01",
        captureId: "cap-2",
      });
      const third = await waitFor("the new event's delivery", () => got[2]);
      expect(third.signature).to.equal(hmac(third.body, "s3cret-token"));
      expect(ids(JSON.parse(third.body).epcisBody.queryResults.resultsBody.eventList)).to.deep.equal([fresh.eventID]);
      const listed = await get("/queries/receiving/subscriptions");
      expect(listed.body.map((s: { subscriptionID: string }) => s.subscriptionID)).to.deep.equal([
        sub.body.subscriptionID,
      ]);
      expect(listed.body[0].lastNotifiedAt).to.be.a("string");
      const path = `/queries/receiving/subscriptions/${sub.body.subscriptionID}`;
      expect((await send("DELETE", path)).status).to.equal(204);
      expect((await get(path)).status).to.equal(404);
      await new Promise((r) => setTimeout(r, 200));
      expect(got.length).to.equal(3);
    });

    it("schedule: reportIfEmpty delivers an empty result on a query time", async () => {
      await send("POST", "/queries", { name: "none", query: { eventType: ["AssociationEvent"] } });
      const before = got.length;
      const sub = await send("POST", "/queries/none/subscriptions", {
        dest,
        schedule: { second: "[0-59]" },
        reportIfEmpty: true,
      });
      expect(sub.status).to.equal(201);
      const delivery = await waitFor("a scheduled delivery", () => got[before]);
      expect(delivery.signature).to.equal(undefined);
      const doc = JSON.parse(delivery.body);
      expect(schemas.queryDocument(doc)).to.equal(true);
      expect(doc.epcisBody.queryResults.resultsBody.eventList).to.deep.equal([]);
      expect((await send("DELETE", "/queries/none")).status).to.equal(204);
      expect((await get(`/queries/none/subscriptions/${sub.body.subscriptionID}`)).status).to.equal(404);
    });

    it("ATTACK: bad subscription controls are refused with 400 SubscriptionControlsException", async () => {
      await send("POST", "/queries", { name: "ctl", query: {} });
      const bodies: Array<[unknown, string]> = [
        [{ dest: "ftp://example.com/x", stream: true }, "dest"],
        [{ dest: "file:///etc/passwd", stream: true }, "dest"],
        [{ dest: "http://user:pw@example.com/", stream: true }, "dest"],
        [{ dest: "not a url", stream: true }, "dest"],
        [{ dest, stream: true, schedule: { minute: "5" } }, "exactly one"],
        [{ dest }, "exactly one"],
        [{ dest, stream: false }, "exactly one"],
        [{ dest, schedule: { minute: "60" } }, "minute"],
        [{ dest, schedule: { hour: "[5-2]" } }, "hour"],
        [{ dest, schedule: { fortnight: "1" } }, "fortnight"],
        [{ dest, stream: true, initialRecordTime: "soon" }, "initialRecordTime"],
        [{ dest, stream: true, extra: 1 }, "extra"],
      ];
      for (const [body, detail] of bodies) {
        const a = await send("POST", "/queries/ctl/subscriptions", body);
        expect([a.status, a.body.type], JSON.stringify(body)).to.deep.equal([
          400,
          "epcisException:SubscriptionControlsException",
        ]);
        expect(a.body.detail).to.include(detail);
      }
      const ws = await new Promise<number>((resolve, reject) => {
        const req = request(`${base}/queries/ctl/subscriptions`, { method: "POST", headers: { upgrade: "websocket" } });
        req.on("response", (res) => resolve(res.statusCode ?? 0)).on("error", reject);
        req.end();
      });
      expect(ws).to.equal(501);
      expect((await send("POST", "/queries/missing/subscriptions", { dest, stream: true })).status).to.equal(404);
    });

    it("ATTACK: by default a subscription cannot make the server POST to its own or a private network (SSRF)", async () => {
      const guarded = await serve({ subscriptions: false });
      await send("POST", "/queries", { name: "ssrf", query: {} }, {}, guarded);
      for (const target of [
        "http://127.0.0.1:8545/",
        "http://localhost/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/hook",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
      ]) {
        const a = await send("POST", "/queries/ssrf/subscriptions", { dest: target, stream: true }, {}, guarded);
        expect([a.status, a.body.type], target).to.deep.equal([400, "epcisException:SubscriptionControlsException"]);
        expect(a.body.detail).to.include("not an allowed webhook destination");
      }
      const ok = await send(
        "POST",
        "/queries/ssrf/subscriptions",
        { dest: "https://hooks.example.com/epcis", stream: true },
        {},
        guarded,
      );
      expect(ok.status).to.equal(201);
    });

    it("survives a restart: a subscription made where no scheduler runs is delivered by the next server, with its owner's off-chain events", async () => {
      // Stop the first server (and its scheduler); the authenticating one runs none.
      const first = servers.shift()!;
      await new Promise((r) => first.close(r));
      const org1 = { authorization: "Bearer org1" };
      expect(
        (
          await send(
            "POST",
            "/queries",
            { name: "mine-received", query: { EQ_bizStep: ["receiving"] } },
            org1,
            authBase,
          )
        ).status,
      ).to.equal(201);
      const sub = await send(
        "POST",
        "/queries/mine-received/subscriptions",
        { dest, stream: true, initialRecordTime: "2000-01-01T00:00:00Z" },
        org1,
        authBase,
      );
      expect(sub.status).to.equal(201);
      const before = got.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(got.length).to.equal(before);
      await serve({
        subscriptions: { intervalMs: 50, retryBaseMs: 50 },
        allowDest: () => true,
        authenticate: async (req: IncomingMessage) =>
          req.headers.authorization === "Bearer org1" ? { org: 1, account: "0x0" } : undefined,
      });
      const delivery = await waitFor("the restarted server's delivery", () => got[before]);
      const list = JSON.parse(delivery.body).epcisBody.queryResults.resultsBody.eventList as Ev[];
      expect(list.filter((e) => e["cbectrace:anchor"] === null).length).to.be.greaterThan(0);
      expect(list.every((e) => e.bizStep === `${CBV_BIZ_STEP_PREFIX}receiving`)).to.equal(true);
    });
  });
});
