/**
 * The GS1-conformant resolver on the platform server, against a node with the demo journey: the description
 * document, the linkset of every level (serial → lot → GTIN), each link type's redirect, query passthrough,
 * content negotiation, HEAD / OPTIONS / CORS, 400 for Digital Links that are not valid and 404 for valid
 * ones the ledger does not hold — with the attacks next to them (a made-up serial under a genuine lot, path
 * traversal, encoded separators, forged Host, a label choosing the ledger, a lying or stale index, a dead
 * node). One node, one set of servers for the file.
 */
import { expect } from "chai";
import { request } from "node:http";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { startPlatform, type Platform } from "../helpers/platform";
import { indexBackends } from "../helpers/indexDb";
import type { IndexDb } from "../../src/indexer/db";
import { DEMO_CODES } from "../../src/demo/journey";
import { parseGs1, toDigitalLink } from "../../src/gs1";
import { verifyUnit } from "../../src/verify/verify";
import { storeFetcher } from "../../src/server/records";
import { MAX_URL_LENGTH } from "../../src/server/server";

const PUBLIC = "https://trace.example.cn";
const VOC = "https://gs1.org/voc/";
const path = (uri: string) => new URL(uri).pathname;
const AUTHENTIC = path(DEMO_CODES.authentic); // /01/06901234567892/10/2026A01/21/SN0001
const COUNTERFEIT = path(DEMO_CODES.counterfeit); // same GTIN and lot, serial never registered

type Linkset = { linkset: Array<Record<string, unknown> & { anchor: string }> };
type Target = {
  href: string;
  title: string;
  "title*": { value: string; language: string }[];
  type: string;
  hreflang: string[];
};

describe("server: GS1-conformant resolver", function () {
  this.timeout(180_000);
  let platform: Platform;
  let base = "";
  let indexed = "";
  let index: IndexDb;
  const backend = indexBackends()[0];

  before(async () => {
    platform = await startPlatform({ demo: true });
    base = (await platform.serve({ resolver: { publicUrl: PUBLIC, explorer: true } })).base;
    // An index that is stale (it holds none of the demo's units) and lies (it holds the counterfeit serial).
    index = await backend.open();
    const fake = parseGs1(DEMO_CODES.counterfeit);
    await index.query(
      `INSERT INTO units (key, path, kind, gtin, lot, serial, registrant, registered_block, registered_log_index, seq, last_block)
       VALUES ($1, $2, 'item', $3, $4, $5, 1, 1, 0, 1, 1)`,
      [fake.key.toLowerCase(), fake.canonicalPath, fake.gtin, fake.lot, fake.serial],
    );
    indexed = (await platform.serve({ index })).base;
  });
  after(async () => {
    await platform?.close();
    await backend.close();
  });

  const get = (route: string, headers: Record<string, string> = {}, method = "GET", at = base) =>
    fetch(at + route, { method, headers, redirect: "manual" });
  /** A request with the path exactly as written (fetch would resolve "..", as a browser does). */
  const raw = (route: string) =>
    new Promise<{ status: number; body: string }>((done, fail) => {
      const url = new URL(base);
      const req = request({ host: url.hostname, port: url.port, path: route }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => done({ status: res.statusCode!, body }));
      });
      req.on("error", fail);
      req.end();
    });
  const linkset = async (route: string, headers: Record<string, string> = {}) => {
    const res = await get(route, headers);
    expect(res.status, route).to.equal(200);
    return { res, body: (await res.json()) as Linkset };
  };
  const problem = async (route: string, status: number, headers: Record<string, string> = {}) => {
    const res = await get(route, headers);
    expect(res.status, route).to.equal(status);
    expect(res.headers.get("content-type"), route).to.equal("application/problem+json");
    expect(res.headers.get("access-control-allow-origin")).to.equal("*");
    const body = (await res.json()) as { type: string; status: number; code: string; detail: string; ai?: string };
    expect(body.status).to.equal(status);
    return body;
  };

  it("GET /.well-known/gs1resolver describes the resolver: root, primary keys, link types, linkset media type", async () => {
    const res = await get("/.well-known/gs1resolver");
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    expect(res.headers.get("access-control-allow-origin")).to.equal("*");
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.resolverRoot).to.equal(PUBLIC);
    expect(doc.name).to.include(platform.deployment.ledger);
    expect(doc.supportedPrimaryKeys).to.deep.equal(["01", "00", "401", "414"]);
    expect(doc.supportedLinkType).to.deep.equal([{ namespace: VOC, prefix: "gs1:", profile: `${VOC}?show=linktypes` }]);
    expect(doc.linksetMediaType).to.equal("application/linkset+json");
    expect(doc.resolverStandardVersion).to.match(/^1\.\d+\.\d+$/);
    const types = (doc["cbectrace:linkTypes"] as { linkType: string }[]).map((t) => t.linkType);
    expect(types).to.have.members([
      "gs1:defaultLink",
      "gs1:verificationService",
      "gs1:traceability",
      "gs1:epcis",
      "gs1:pip",
    ]);
  });

  it("linkType=linkset: an RFC 9264 linkset with every level, serial → lot → GTIN, titles in English and Chinese", async () => {
    const { res, body } = await linkset(`${AUTHENTIC}?linkType=linkset`);
    expect(res.headers.get("content-type")).to.equal("application/linkset+json");
    expect(res.headers.get("vary")).to.equal("Accept");
    expect(body.linkset.map((c) => c.anchor)).to.deep.equal([
      `${PUBLIC}/01/06901234567892/10/2026A01/21/SN0001`,
      `${PUBLIC}/01/06901234567892/10/2026A01`,
      `${PUBLIC}/01/06901234567892`,
    ]);
    const [serial, lot, gtin] = body.linkset;
    const key = parseGs1(DEMO_CODES.authentic).key.toLowerCase();
    const only = (context: Record<string, unknown>, type: string) => {
      const targets = context[VOC + type] as Target[];
      expect(targets, type).to.have.length(1);
      return targets[0];
    };
    expect(only(serial, "defaultLink").href).to.equal(`${PUBLIC}/verify${AUTHENTIC}`);
    expect(only(serial, "verificationService").href).to.equal(`${PUBLIC}/verify${AUTHENTIC}`);
    expect(only(serial, "traceability").href).to.equal(
      `${PUBLIC}/events?MATCH_anyEPC=${encodeURIComponent(DEMO_CODES.authentic)}`,
    );
    expect(only(serial, "pip").href).to.equal(`${PUBLIC}/explorer/unit/${key}`);
    expect(only(serial, "epcis").href).to.equal(`${PUBLIC}/`);
    const verify = only(serial, "verificationService");
    expect(verify.title).to.equal("Verify this product on the ledger");
    expect(verify["title*"]).to.deep.equal([{ value: "在账本上验证此商品", language: "zh" }]);
    expect(verify.hreflang).to.deep.equal(["en", "zh"]);
    expect(verify.type).to.equal("text/html");
    expect(only(serial, "traceability").type).to.equal("application/ld+json");
    // The lot and the GTIN are not units of their own here: their class's events and the repository, no
    // verification link (only a registered unit is ever offered one).
    for (const [level, uri] of [
      [lot, "https://id.gs1.org/01/06901234567892/10/2026A01"],
      [gtin, "https://id.gs1.org/01/06901234567892"],
    ] as const) {
      expect(Object.keys(level).sort()).to.deep.equal(["anchor", `${VOC}epcis`, `${VOC}traceability`]);
      expect(only(level, "traceability").href).to.equal(`${PUBLIC}/events?MATCH_epcClass=${encodeURIComponent(uri)}`);
    }
    // The Link header names the linkset and the default link.
    const link = res.headers.get("link")!;
    expect(link).to.include(`<${PUBLIC}${AUTHENTIC}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`);
    expect(link).to.include(`<${PUBLIC}/verify${AUTHENTIC}>; rel="${VOC}defaultLink"`);
  });

  it("an SSCC and a GINC resolve on their one level; a non-canonical GTIN-13 path resolves to the canonical anchor", async () => {
    for (const code of [DEMO_CODES.carton, DEMO_CODES.consignment]) {
      const { body } = await linkset(`${path(code)}?linkType=linkset`);
      expect(body.linkset.map((c) => c.anchor)).to.deep.equal([PUBLIC + path(code)]);
      expect((body.linkset[0][`${VOC}verificationService`] as Target[])[0].href).to.equal(
        `${PUBLIC}/verify${path(code)}`,
      );
    }
    const { body } = await linkset("/01/6901234567892/10/2026A01/21/SN0001/?linkType=linkset");
    expect(body.linkset[0].anchor).to.equal(PUBLIC + AUTHENTIC);
  });

  it("Accept negotiation: application/linkset+json gets the linkset; application/json when asked for a linkset; HTML gets the redirect", async () => {
    const viaAccept = await linkset(AUTHENTIC, { accept: "application/linkset+json" });
    expect(viaAccept.res.headers.get("content-type")).to.equal("application/linkset+json");
    expect(viaAccept.body.linkset).to.have.length(3);
    const asJson = await linkset(`${AUTHENTIC}?linkType=linkset`, { accept: "application/json" });
    expect(asJson.res.headers.get("content-type")).to.equal("application/json");
    expect(asJson.body).to.deep.equal(viaAccept.body);
    for (const accept of ["text/html,application/xhtml+xml,*/*;q=0.8", "application/json", "*/*"]) {
      const res = await get(AUTHENTIC, { accept });
      expect(res.status, accept).to.equal(307);
      expect(res.headers.get("location")).to.equal(`${PUBLIC}/verify${AUTHENTIC}`);
    }
    const refused = await problem(`${AUTHENTIC}?linkType=linkset`, 406, { accept: "image/png" });
    expect(refused.code).to.equal("NOT_ACCEPTABLE");
  });

  it("without linkType: 307 to the verification page, with the Link header, CORS and Vary", async () => {
    const res = await get(AUTHENTIC);
    expect(res.status).to.equal(307);
    expect(res.headers.get("location")).to.equal(`${PUBLIC}/verify${AUTHENTIC}`);
    expect(res.headers.get("link")).to.include('rel="linkset"');
    expect(res.headers.get("vary")).to.equal("Accept");
    expect(res.headers.get("access-control-allow-origin")).to.equal("*");
    expect(res.headers.get("access-control-expose-headers")).to.equal("Link, Location");
    expect(await res.text()).to.equal("");
  });

  it("linkType=<each of our types> redirects to its target; CURIE and URI forms; a type we lack is a 404 naming what there is", async () => {
    const key = parseGs1(DEMO_CODES.authentic).key.toLowerCase();
    const expected: Record<string, string> = {
      "gs1:defaultLink": `${PUBLIC}/verify${AUTHENTIC}`,
      "gs1:verificationService": `${PUBLIC}/verify${AUTHENTIC}`,
      "gs1:traceability": `${PUBLIC}/events?MATCH_anyEPC=${encodeURIComponent(DEMO_CODES.authentic)}`,
      "gs1:epcis": `${PUBLIC}/`,
      "gs1:pip": `${PUBLIC}/explorer/unit/${key}`,
      [`${VOC}traceability`]: `${PUBLIC}/events?MATCH_anyEPC=${encodeURIComponent(DEMO_CODES.authentic)}`,
      "https://ref.gs1.org/voc/pip": `${PUBLIC}/explorer/unit/${key}`,
    };
    for (const [type, target] of Object.entries(expected)) {
      const res = await get(`${AUTHENTIC}?linkType=${encodeURIComponent(type)}`);
      expect(res.status, type).to.equal(307);
      expect(res.headers.get("location"), type).to.equal(target);
    }
    const missing = await problem(`${AUTHENTIC}?linkType=gs1:recipeInfo`, 404);
    expect(missing.code).to.equal("NO_SUCH_LINK_TYPE");
    expect(missing.detail).to.include("gs1:recipeInfo").and.include("gs1:traceability");
    // A server without the explorer has no gs1:pip.
    const plain = (await platform.serve({ resolver: { publicUrl: PUBLIC } })).base;
    expect((await get(`${AUTHENTIC}?linkType=gs1:pip`, {}, "GET", plain)).status).to.equal(404);
    expect((await problem(`${AUTHENTIC}?linkType=pip`, 400)).code).to.equal("LINK_TYPE");
    expect((await problem(`${AUTHENTIC}?linkType=gs1:pip&linkType=gs1:epcis`, 400)).code).to.equal("LINK_TYPE");
  });

  it("the query string is passed on to the verification page and the product page, not to the EPCIS query", async () => {
    const res = await get(`${AUTHENTIC}?17=261231&utm_source=label&linkType=gs1:verificationService`);
    expect(res.headers.get("location")).to.equal(`${PUBLIC}/verify${AUTHENTIC}?17=261231&utm_source=label`);
    const byDefault = await get(`${AUTHENTIC}?17=261231`);
    expect(byDefault.headers.get("location")).to.equal(`${PUBLIC}/verify${AUTHENTIC}?17=261231`);
    const events = await get(`${AUTHENTIC}?17=261231&linkType=gs1:traceability`);
    expect(events.headers.get("location")).to.equal(
      `${PUBLIC}/events?MATCH_anyEPC=${encodeURIComponent(DEMO_CODES.authentic)}`,
    );
  });

  it("ATTACK: a label's ?rpc= / ?ledger= / ?chain= are not passed on: a printed code cannot choose what the buyer checks against", async () => {
    const res = await get(
      `${AUTHENTIC}?rpc=http://evil.example&ledger=0x000000000000000000000000000000000000dEaD&chain=1&17=261231`,
    );
    expect(res.status).to.equal(307);
    expect(res.headers.get("location")).to.equal(`${PUBLIC}/verify${AUTHENTIC}?17=261231`);
  });

  it("400 with a problem body naming what is wrong, for Digital Links that are not valid", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["/01/06901234567893/10/2026A01/21/SN0001", "CHECK_DIGIT", /check digit/i],
      ["/01/06901234567892/99/x", "UNKNOWN_AI", /"99"/],
      ["/01/06901234567892/21/SN0001/10/2026A01", "QUALIFIER_ORDER", /out of order/],
      ["/01/06901234567892/17/261231", "NOT_A_QUALIFIER", /data attribute/],
      ["/01/06901234567892/10/2026A01?21=SN0001", "NOT_A_QUALIFIER", /part of the unit's key/],
      ["/01/06901234567892/21/SN0001?17=261399", "INVALID_DATE", /./],
      ["/00/169012340000000014", "CHECK_DIGIT", /check digit/i],
      ["/01/06901234567892/21/%ZZ", "PERCENT_ENCODING", /percent-encoding/],
      ["/01/06901234567892/21", "PATH", /AI \/ value pairs/],
      ["/01/x/y/01/06901234567892", "PATH", /AI \/ value pairs/],
      ["/8003/06901234567892AB", "MISSING_PRIMARY_KEY", /primary key/],
    ];
    for (const [route, code, detail] of cases) {
      const body = await problem(route, 400);
      expect(body.code, route).to.equal(code);
      expect(body.detail, route).to.match(detail);
      expect(body.type, route).to.match(/^urn:cbec-trace:(gs1|resolver):/);
    }
    // A person's browser gets a readable page, still with the 400.
    const page = await get("/01/06901234567893/21/SN0001", { accept: "text/html" });
    expect(page.status).to.equal(400);
    expect(page.headers.get("content-type")).to.match(/^text\/html/);
    expect(await page.text()).to.include("check digit");
  });

  it("404 for valid codes the ledger does not hold (GTIN + serial, SSCC, GLN)", async () => {
    for (const route of [
      "/01/09521234543213/21/12345",
      "/00/106141411234567897",
      "/414/9521234543213",
      "/401/6901234MAWB999999",
    ]) {
      const body = await problem(route, 404);
      expect(body.code, route).to.equal("NOT_REGISTERED");
      expect(body.detail, route).to.include(parseGs1(route).canonicalPath);
      expect((await get(`${route}?linkType=linkset`)).status, route).to.equal(404);
    }
  });

  it("ATTACK: a made-up serial under a genuine GTIN and lot gets no link at all — no verification link of the lot's real units", async () => {
    for (const query of ["", "?linkType=linkset", "?linkType=gs1:verificationService", "?linkType=gs1:traceability"]) {
      const res = await get(COUNTERFEIT + query, query === "" ? {} : { accept: "application/linkset+json" });
      expect(res.status, query).to.equal(404);
      expect(res.headers.get("location"), query).to.equal(null);
      const text = await res.text();
      expect(text, query).not.to.include("/verify/");
      expect(text, query).not.to.include("SN0001");
    }
    // The buyer who scanned it with a phone is offered to check it on the page, which reads the chain itself.
    const page = await get(COUNTERFEIT, { accept: "text/html,application/xhtml+xml" });
    expect(page.status).to.equal(404);
    const html = await page.text();
    expect(html).to.include("Not registered on the ledger");
    expect(html).to.include(`href="${PUBLIC}/verify${COUNTERFEIT}"`);
  });

  it("HEAD answers like GET without a body; OPTIONS advertises the methods and CORS; other methods are 405", async () => {
    const head = await get(AUTHENTIC, {}, "HEAD");
    expect(head.status).to.equal(307);
    expect(head.headers.get("location")).to.equal(`${PUBLIC}/verify${AUTHENTIC}`);
    const headSet = await get(`${AUTHENTIC}?linkType=linkset`, {}, "HEAD");
    expect(headSet.status).to.equal(200);
    expect(headSet.headers.get("content-type")).to.equal("application/linkset+json");
    expect(await headSet.text()).to.equal("");
    const head404 = await get(COUNTERFEIT, {}, "HEAD");
    expect(head404.status).to.equal(404);
    expect(await head404.text()).to.equal("");
    for (const route of [AUTHENTIC, "/.well-known/gs1resolver"]) {
      const options = await get(
        route,
        { origin: "https://scanner.example", "access-control-request-method": "GET" },
        "OPTIONS",
      );
      expect(options.status, route).to.equal(204);
      expect(options.headers.get("allow")).to.equal("GET, HEAD, OPTIONS");
      expect(options.headers.get("access-control-allow-origin")).to.equal("*");
      expect(options.headers.get("access-control-allow-methods")).to.equal("GET, HEAD, OPTIONS");
      expect(options.headers.get("access-control-expose-headers")).to.equal("Link, Location");
    }
    const post = await get(AUTHENTIC, {}, "POST");
    expect(post.status).to.equal(405);
    expect(post.headers.get("allow")).to.equal("GET, HEAD, OPTIONS");
  });

  it("ATTACK: path traversal and encoded separators are codes to validate, never paths to files", async () => {
    // "/" and "." are in the serial character set: an encoded traversal is a serial nobody registered.
    const encoded = await problem("/01/06901234567892/21/..%2F..%2Fmanifest.json", 404);
    expect(encoded.detail).to.include("/21/..%2F..%2Fmanifest.json");
    for (const route of [
      "/01/06901234567892/../../manifest.json",
      "/01/06901234567892/21/SN0001/../../records",
      "/01/0690123456789%2F2/21/SN0001",
      "/01/06901234567892%2F21%2FSN0001",
      "/01/06901234567892/21/SN%00",
    ]) {
      const res = await raw(route);
      expect(res.status, route).to.equal(400);
      expect(res.body, route).not.to.include('"ledger"');
    }
  });

  it("ATTACK: an over-long path is a 414 and a forged Host header never reaches a Location or a link", async () => {
    const long = await get(`/01/06901234567892/21/${"A".repeat(MAX_URL_LENGTH)}`);
    expect(long.status).to.equal(414);
    const forged = await get(`${AUTHENTIC}?linkType=linkset`, { host: "evil.example" });
    expect(forged.status).to.equal(200);
    const text = await forged.text();
    expect(text).not.to.include("evil.example");
    expect(forged.headers.get("link")).not.to.include("evil.example");
    const redirect = await get(AUTHENTIC, { host: "evil.example" });
    expect(redirect.headers.get("location")).to.equal(`${PUBLIC}/verify${AUTHENTIC}`);
  });

  it("ATTACK: a stale index without the unit still resolves (the chain is asked); a lying index only misroutes to the page, whose verdict is fail", async () => {
    const res = await get(AUTHENTIC, {}, "GET", indexed);
    expect(res.status).to.equal(307);
    // Without a public URL, targets are root-relative and anchors on id.gs1.org.
    expect(res.headers.get("location")).to.equal(`/verify${AUTHENTIC}`);
    const { body } = await (async () => {
      const r = await get(`${AUTHENTIC}?linkType=linkset`, {}, "GET", indexed);
      return { body: (await r.json()) as Linkset };
    })();
    expect(body.linkset[0].anchor).to.equal(toDigitalLink(parseGs1(DEMO_CODES.authentic), { attributes: false }));
    const lie = await get(COUNTERFEIT, {}, "GET", indexed);
    expect(lie.status).to.equal(307);
    expect(lie.headers.get("location")).to.equal(`/verify${COUNTERFEIT}`);
    // The page it is sent to judges from the chain, not from the index: fail, not registered.
    const report = await verifyUnit(DEMO_CODES.counterfeit, {
      client: createPublicClient({ transport: http(platform.node.rpcUrl) }) as PublicClient,
      ledger: { address: platform.deployment.ledger as Address, chainId: 31337 },
      fetchRecord: storeFetcher(platform.records),
    });
    expect(report.verdict).to.equal("fail");
    expect(report.reasons.map((r) => r.code)).to.deep.equal(["NOT_REGISTERED"]);
  });

  it("a server without its resolver (enabled: false) leaves the Digital Link paths to the page, as before", async () => {
    const without = (await platform.serve({ resolver: { enabled: false } })).base;
    const res = await get(AUTHENTIC, {}, "GET", without);
    // This platform has no built page: the page route answers, not the resolver.
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { error: string }).error).to.match(/page is not built/);
    expect((await get("/.well-known/gs1resolver", {}, "GET", without)).status).to.equal(503);
  });

  it("ATTACK: a node that cannot be read is a 503, never a 404 telling a buyer a genuine code is unknown", async () => {
    const dead = (await platform.serve({ nodeUrl: "http://127.0.0.1:9", resolver: { publicUrl: PUBLIC } })).base;
    const res = await get(AUTHENTIC, {}, "GET", dead);
    expect(res.status).to.equal(503);
    expect(res.headers.get("content-type")).to.equal("application/problem+json");
    const body = (await res.json()) as { code: string };
    expect(body.code).to.equal("UNAVAILABLE");
  });
});
