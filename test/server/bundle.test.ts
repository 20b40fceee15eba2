/**
 * The proof bundle routes (`/bundle/<Digital Link path>`, `/bundle?code=`) and a scanned link's HTML with
 * the bundle inlined, against a node with the demo journey: the bundle a verifier gets gives the log walk's
 * verdict in one round trip; invalid and hostile codes are refused with what is wrong; bundles are cached
 * by (unit, head block) with a size cap, and a new block makes a new one.
 */
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { inlinedJson, startPlatform, type Platform } from "../helpers/platform";
import { buildPage } from "../../scripts/build-page";
import { DEMO_CODES } from "../../src/demo/journey";
import { parseGs1 } from "../../src/gs1";
import { rpcCall } from "../../src/node";
import { verifyUnit } from "../../src/verify/verify";
import { verifyWithBundle } from "../../src/bundle/verify";
import { BUNDLE_FORMAT, type ProofBundle } from "../../src/bundle/types";
import { storeFetcher } from "../../src/server/records";

const path = (uri: string) => new URL(uri).pathname;

describe("server: proof bundles", function () {
  this.timeout(180_000);
  let platform: Platform;
  let base = "";

  before(async () => {
    platform = await startPlatform({ demo: true, pageDir: await buildPage(mkdtempSync(join(tmpdir(), "cbec-bp-"))) });
    base = (await platform.serve()).base;
  });
  after(async () => platform?.close());

  const ledger = () => ({
    address: platform.deployment.ledger as Address,
    chainId: 31337,
    deploymentBlock: BigInt(platform.deployment.deploymentBlock),
  });
  const logWalk = (code: string) =>
    verifyUnit(code, {
      client: createPublicClient({ transport: http(platform.node.rpcUrl, { batch: true }) }) as PublicClient,
      ledger: ledger(),
      fetchRecord: storeFetcher(platform.records),
    });
  const getBundle = async (route: string) => {
    const res = await fetch(base + route);
    expect(res.status, route).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    expect(res.headers.get("cache-control")).to.equal("no-cache");
    return (await res.json()) as ProofBundle;
  };

  it("GET /bundle/<Digital Link path> and /bundle?code=<element string> give the unit's bundle", async () => {
    const byPath = await getBundle(`/bundle${path(DEMO_CODES.authentic)}`);
    expect(byPath.format).to.equal(BUNDLE_FORMAT);
    expect(byPath.unit).to.equal(parseGs1(DEMO_CODES.authentic).key);
    expect(byPath.ledger.address.toLowerCase()).to.equal(platform.deployment.ledger.toLowerCase());
    expect(byPath.preview.verdict).to.equal("authentic");
    expect(byPath.requests.length).to.be.greaterThan(10);
    expect(Object.keys(byPath.records).length).to.be.greaterThan(3);
    const byCode = await getBundle(`/bundle?code=${encodeURIComponent("(01)06901234567892(10)2026A01(21)SN0001")}`);
    expect(byCode.unit).to.equal(byPath.unit);
    expect(byCode.at).to.deep.equal(byPath.at);
    const carton = await getBundle(`/bundle${path(DEMO_CODES.carton)}`);
    expect(carton.unit).to.equal(parseGs1(DEMO_CODES.carton).key);
    const consignment = await getBundle(`/bundle${path(DEMO_CODES.consignment)}`);
    expect(consignment.unit).to.equal(parseGs1(DEMO_CODES.consignment).key);
  });

  it("the buyer's verifier, through the gateway, gives the log walk's verdict with the served bundle", async () => {
    for (const code of [DEMO_CODES.authentic, DEMO_CODES.recalled, DEMO_CODES.counterfeit, DEMO_CODES.carton]) {
      const bundle = await getBundle(`/bundle?code=${encodeURIComponent(code)}`);
      const walked = await logWalk(code);
      const checked = await verifyWithBundle(code, bundle, {
        rpcUrl: `${base}/rpc`,
        ledger: ledger(),
        fetchRecord: storeFetcher(platform.records),
      });
      expect(checked.verdict, code).to.equal(walked.verdict);
      expect(
        checked.reasons.map((r) => r.code),
        code,
      ).to.deep.equal(walked.reasons.map((r) => r.code));
      expect(
        checked.entries.map((e) => [e.seq, e.data]),
        code,
      ).to.deep.equal(walked.entries.map((e) => [e.seq, e.data]));
      const stats = checked.stats as { source?: string; roundTrips?: number };
      expect(stats.source, code).to.equal("bundle");
      expect(stats.roundTrips, code).to.be.at.most(2);
    }
  });

  it("ATTACK: invalid and hostile codes are refused with 400 naming what is wrong", async () => {
    const cases: Array<[string, RegExp]> = [
      ["/bundle/01/06901234567893/10/2026A01/21/SN0001", /check digit/i],
      [`/bundle?code=${encodeURIComponent("(01)06901234567892(10)</script><b>(21)1")}`, /./],
      [`/bundle?code=${encodeURIComponent("<script>alert(1)</script>")}`, /./],
      [`/bundle?code=${encodeURIComponent("https://id.gs1.org/99/123")}`, /./],
      ["/bundle?code=", /name the unit/],
      ["/bundle", /name the unit/],
      ["/bundle/", /name the unit/],
      ["/bundle/etc/passwd", /name the unit/],
    ];
    for (const [route, message] of cases) {
      const res = await fetch(base + route);
      const body = (await res.json()) as { error: string };
      // The lot charset of GS1 allows "<", ">" and "/": such a lot is a valid code, not an error.
      if (route.includes("%3C%2Fscript%3E%3Cb%3E")) {
        expect(res.status, route).to.equal(200);
        continue;
      }
      expect(res.status, route).to.equal(400);
      expect(body.error, route).to.match(message);
      expect(body.error, route).to.match(/^(invalid code: |name the unit)/);
    }
  });

  it("a scanned link's HTML carries the settings and the unit's bundle", async () => {
    for (const code of [DEMO_CODES.authentic, DEMO_CODES.carton, DEMO_CODES.consignment]) {
      const res = await fetch(base + path(code));
      expect(res.status).to.equal(200);
      expect(res.headers.get("cache-control")).to.equal("no-cache");
      const html = await res.text();
      expect((inlinedJson(html, "trace-config") as { rpcUrl: string }).rpcUrl).to.equal("/rpc");
      const bundle = inlinedJson(html, "trace-bundle") as ProofBundle;
      expect(bundle.unit, code).to.equal(parseGs1(code).key);
    }
    const typed = await (await fetch(`${base}/?code=${encodeURIComponent("(00)169012340000000013")}`)).text();
    expect((inlinedJson(typed, "trace-bundle") as ProofBundle).unit).to.equal(parseGs1(DEMO_CODES.carton).key);
    // The page's own paths: /verify/<Digital Link path> (where the resolver sends a scan) and /verify?code=.
    const direct = await fetch(`${base}/verify${path(DEMO_CODES.authentic)}`, { redirect: "manual" });
    expect(direct.status).to.equal(200);
    expect((inlinedJson(await direct.text(), "trace-bundle") as ProofBundle).unit).to.equal(
      parseGs1(DEMO_CODES.authentic).key,
    );
    const typedVerify = await (
      await fetch(`${base}/verify?code=${encodeURIComponent("(00)169012340000000013")}`)
    ).text();
    expect((inlinedJson(typedVerify, "trace-bundle") as ProofBundle).unit).to.equal(parseGs1(DEMO_CODES.carton).key);
    // The scanned link itself is the resolver's: a 307 to that page.
    const scanned = await fetch(base + path(DEMO_CODES.authentic), { redirect: "manual" });
    expect(scanned.status).to.equal(307);
    expect(scanned.headers.get("location")).to.equal(`/verify${path(DEMO_CODES.authentic)}`);
    // An invalid code's page is served with an honest 400 (the page explains it), without a bundle.
    const invalid = await fetch(`${base}/verify/01/06901234567893/21/SN0001`);
    expect(invalid.status).to.equal(400);
    expect(await invalid.text()).not.to.include('id="trace-bundle"');
    // The page's own parameters are not part of the code.
    const own = await (await fetch(`${base}${path(DEMO_CODES.authentic)}?rpc=http://x.example&chain=1`)).text();
    expect((inlinedJson(own, "trace-bundle") as ProofBundle).unit).to.equal(parseGs1(DEMO_CODES.authentic).key);
    // The search page itself has no bundle.
    expect(await (await fetch(`${base}/`)).text()).not.to.include('id="trace-bundle"');
  });

  it("ATTACK: a code with </script> in its lot cannot end the inlined script element", async () => {
    const hostile = "(01)06901234567892(10)</script><b>x(21)1";
    const res = await fetch(`${base}/?code=${encodeURIComponent(hostile)}`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    // Exactly the page's script elements: the two JSON ones and the app; each closed once.
    expect(html.match(/<script\b/g)).to.have.length(3);
    expect(html.match(/<\/script>/g)).to.have.length(3);
    expect(html).not.to.include("<b>x");
    const bundle = inlinedJson(html, "trace-bundle") as ProofBundle;
    expect(bundle.unit).to.equal(parseGs1(hostile).key);
    expect(bundle.preview.verdict).to.equal("fail");
    // An invalid hostile code: the page loads without a bundle (its verifier reports the invalid code).
    const invalid = await (await fetch(`${base}/?code=${encodeURIComponent("</script><script>alert(1)//")}`)).text();
    expect(invalid).not.to.include("alert(1)");
    expect(invalid).not.to.include('id="trace-bundle"');
    expect(invalid.match(/<\/script>/g)).to.have.length(2);
  });

  it("caches by (unit, head block): the same head reuses the bundle, a new block builds a new one", async () => {
    const { base: fresh, server } = await platform.serve();
    const stats = server.bundles!.stats;
    const route = `${fresh}/bundle${path(DEMO_CODES.recalled)}`;
    platform.nodeProxy.reset();
    const first = await (await fetch(route)).json();
    const afterFirst = platform.nodeProxy.requests.length;
    const second = await (await fetch(route)).json();
    expect(second).to.deep.equal(first);
    expect(stats).to.deep.include({ builds: 1, hits: 1 });
    // The cached answer cost the node one eth_blockNumber, nothing else.
    expect(platform.nodeProxy.requests.slice(afterFirst).flatMap((r) => r.rpcMethods)).to.deep.equal([
      "eth_blockNumber",
    ]);
    // Concurrent requests share one build.
    const [a, b] = await Promise.all([
      fetch(`${fresh}/bundle${path(DEMO_CODES.carton)}`),
      fetch(`${fresh}/bundle?code=${encodeURIComponent(DEMO_CODES.carton)}`),
    ]);
    expect(await a.json()).to.deep.equal(await b.json());
    expect(stats.builds).to.equal(2);
    await rpcCall(platform.node.rpcUrl, "hardhat_mine", ["0x1"]);
    const third = (await (await fetch(route)).json()) as ProofBundle;
    expect(stats.builds).to.equal(3);
    expect(BigInt(third.at.blockNumber)).to.equal(BigInt((first as ProofBundle).at.blockNumber) + 1n);
  });

  it("the cache holds at most its size, least recently used out first", async () => {
    const { base: small, server } = await platform.serve({ bundleCacheSize: 2 });
    const stats = server.bundles!.stats;
    const get = (code: string) => fetch(`${small}/bundle?code=${encodeURIComponent(code)}`).then((r) => r.json());
    await get(DEMO_CODES.authentic);
    await get(DEMO_CODES.recalled);
    await get(DEMO_CODES.authentic); // hit: recalled is now the oldest
    await get(DEMO_CODES.counterfeit); // evicts recalled
    expect(stats).to.deep.include({ builds: 3, hits: 1, cached: 2 });
    await get(DEMO_CODES.authentic); // still cached
    expect(stats.hits).to.equal(2);
    await get(DEMO_CODES.recalled); // rebuilt
    expect(stats.builds).to.equal(4);
  });
});
