/**
 * The verification page in a real browser: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), against a node started by the test with the demo journey seeded, served by the platform server.
 * Screenshots (phone-sized) are saved to test-results/page/. Without Chromium the test is skipped with a
 * message — except under CI (CI=true), where .ci/run installs it and a missing browser is a failure.
 */
import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Wallet } from "ethers";
import {
  startLocalNode,
  deployOnNode,
  nodeProvider,
  freePort,
  type LocalNode,
  type NodeDeployment,
} from "../helpers/localNode";
import { seedDemo, DEMO_CODES, type DemoMember, DEMO_MEMBERS } from "../../src/demo/journey";
import { buildPage } from "../../scripts/build-page";
import { createTraceServer } from "../../src/server/server";
import { TraceWriter } from "../../src/write/writer";
import { startLatencyProxy, type LatencyProxy } from "../../scripts/lib/latencyProxy";
import { inlineJson } from "../../src/server/inlineJson";
import { storeFetcher } from "../../src/server/records";
import { verifyUnit } from "../../src/verify/verify";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import type { ProofBundle } from "../../src/bundle/types";
import { CHROMIUM, launchChromium } from "../../scripts/lib/chromium";

const SHOTS = join(__dirname, "..", "..", "test-results", "page");
const MEMBERS = DEMO_MEMBERS;

describe("verification page (browser)", function () {
  this.timeout(240_000);
  let node: LocalNode | undefined;
  let server: Server | undefined;
  let base = "";
  let browser: import("playwright-core").Browser | undefined;
  /** Between the platform server and the node: what reached the node. */
  let nodeProxy: LatencyProxy | undefined;
  let deployment: NodeDeployment;
  let records = "";

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === "true") throw new Error(`${CHROMIUM} is missing: .ci/run must apt-get install chromium.`);
      console.warn(`    (skipped: ${CHROMIUM} not installed — apt-get install -y chromium)`);
      this.skip();
    }
    node = await startLocalNode();
    const d: NodeDeployment = await deployOnNode(node.rpcUrl);
    deployment = d;
    const provider = await nodeProvider(node.rpcUrl);
    records = mkdtempSync(join(tmpdir(), "cbec-page-records-"));
    const writers = {} as Record<DemoMember, TraceWriter>;
    for (const m of MEMBERS) {
      writers[m] = await TraceWriter.create({
        ledger: d.ledger,
        signer: new Wallet(d.members[m].privateKey, provider),
      });
    }
    await seedDemo(writers, records);
    const pageDir = await buildPage(mkdtempSync(join(tmpdir(), "cbec-page-")));
    nodeProxy = await startLatencyProxy(node.rpcUrl);
    server = createTraceServer({ pageDir, recordsDir: records, manifest: d.manifest, nodeUrl: nodeProxy.url });
    const port = await freePort();
    await new Promise<void>((done) => server!.listen(port, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    await nodeProxy?.close();
    await node?.stop();
  });

  async function open(path: string, shot: string) {
    const page = await browser!.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(base + path);
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    const verdict = await page.getAttribute("[data-verdict]", "data-verdict");
    const steps = await page.locator(".event").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));
    const reasons = await page
      .locator("[data-reason]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-reason")));
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    return { page, verdict, steps, reasons };
  }

  /** The QR link's path (the resolver answers it with a 307 to the verification page). */
  const path = (uri: string) => new URL(uri).pathname;
  /** The verification page's own path for a code. */
  const verifyPath = (uri: string) => `/verify${path(uri)}`;

  it("opening the QR link of the authentic item: the resolver's 307 lands on the verification page, 'authentic', the whole journey", async () => {
    const { page, verdict, steps } = await open(path(DEMO_CODES.authentic), "authentic");
    expect(page.url()).to.equal(base + verifyPath(DEMO_CODES.authentic));
    expect(verdict).to.equal("authentic");
    for (const s of [
      "COMMISSIONING",
      "INSPECTING",
      "STORING",
      "CUSTOMS_DECLARED",
      "CUSTOMS_RELEASED",
      "DEPARTING",
      "ARRIVING",
      "DELIVERED",
    ]) {
      expect(steps).to.include(s);
    }
    expect(steps.indexOf("CUSTOMS_DECLARED")).to.be.lessThan(steps.indexOf("CUSTOMS_RELEASED"));
    expect(steps.indexOf("CUSTOMS_RELEASED")).to.be.lessThan(steps.indexOf("DEPARTING"));
    // Proofs expand and say the record matches its on-chain hash.
    await page.locator(".event[data-step=CUSTOMS_RELEASED] summary").click();
    expect(await page.locator(".event[data-step=CUSTOMS_RELEASED] details").textContent()).to.match(
      /matches on-chain hash/,
    );
    expect(await page.textContent(".product")).to.match(/Registered by.*factory/is);
    // Issue 11 item 2: who owns the code, checked from the prefix registry's history, in both languages.
    expect(await page.getAttribute("[data-ownership]", "data-ownership")).to.equal("held");
    const owner = await page.locator("[data-ownership] li").allTextContents();
    expect(owner[0]).to.match(/^GTIN licensed to exporter org \(company prefix 6901234, since block \d+\)/);
    expect(owner[0]).to.include("商品条码（GTIN）授权给exporter org");
    expect(owner[1]).to.match(/^Registered by factory org under exporter org's authorization/);
    expect(owner[1]).to.include("由factory org经exporter org授权登记");
    expect(await page.locator("[data-notice]").count()).to.equal(0);
    await page.screenshot({ path: join(SHOTS, "authentic-ownership.png"), fullPage: true });
    await page.close();
  });

  it("the recalled product shows a warning with the recall", async () => {
    const { page, verdict, reasons, steps } = await open(path(DEMO_CODES.recalled), "recalled");
    expect(verdict).to.equal("warning");
    expect(reasons).to.include("RECALLED");
    expect(steps).to.deep.equal(["COMMISSIONING", "RECALL"]);
    await page.close();
  });

  it("an unknown (counterfeit) code: the resolver's 404 page offers the check, which shows a clear fail", async () => {
    const scan = await browser!.newPage({ viewport: { width: 390, height: 844 } });
    const answer = await scan.goto(base + path(DEMO_CODES.counterfeit));
    expect(answer!.status()).to.equal(404);
    expect(await scan.textContent("h1")).to.include("Not registered on the ledger");
    await scan.screenshot({ path: join(SHOTS, "counterfeit-resolver.png"), fullPage: true });
    await scan.click("#check");
    await scan.waitForSelector("[data-verdict]", { timeout: 60_000 });
    expect(scan.url()).to.equal(base + verifyPath(DEMO_CODES.counterfeit));
    expect(await scan.getAttribute("[data-verdict]", "data-verdict")).to.equal("fail");
    await scan.close();
    const { page, verdict, reasons, steps } = await open(verifyPath(DEMO_CODES.counterfeit), "counterfeit");
    expect(verdict).to.equal("fail");
    expect(reasons).to.deep.equal(["NOT_REGISTERED"]);
    expect(steps).to.deep.equal([]);
    await page.close();
  });

  it("a buyer can name the ledger to check against: another address fails as the wrong contract", async () => {
    const other = "0x000000000000000000000000000000000000dEaD";
    const { page, verdict, reasons } = await open(
      `${verifyPath(DEMO_CODES.authentic)}?ledger=${other}`,
      "wrong-ledger",
    );
    expect(verdict).to.equal("fail");
    expect(reasons).to.deep.equal(["WRONG_CHAIN"]);
    expect(await page.textContent("#footer")).to.include(other);
    await page.close();
  });

  it("the search box takes a pasted element string; an invalid code fails clearly", async () => {
    const page = await browser!.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(base + "/");
    await page.fill("#code", "(01)06901234567892(10)2026A01(21)SN0001");
    await page.click("#search button");
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("authentic");
    // Scanned, the resolver refuses it (400); the page itself explains it to the buyer.
    expect((await page.goto(base + "/01/06901234567893/10/2026A01/21/SN0001"))!.status()).to.equal(400);
    expect((await page.goto(base + "/verify/01/06901234567893/10/2026A01/21/SN0001"))!.status()).to.equal(400);
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("fail");
    expect(await page.locator("[data-reason]").first().getAttribute("data-reason")).to.equal("INVALID_CODE");
    await page.screenshot({ path: join(SHOTS, "invalid.png"), fullPage: true });
    await page.close();
  });

  // Issue 12: a scanned link carries its proof bundle; the page checks it against the chain in one batch.
  const logWalk = (code: string) =>
    verifyUnit(code, {
      client: createPublicClient({ transport: http(node!.rpcUrl, { batch: true }) }) as PublicClient,
      ledger: { address: deployment.ledger as Address, chainId: 31337 },
      fetchRecord: storeFetcher(records),
    });

  /** Opens `path` counting the JSON-RPC HTTP requests the page sends to the gateway after its HTML. */
  async function openCounting(path: string, shot: string, rewrite?: (html: string) => string) {
    const page = await browser!.newPage({ viewport: { width: 390, height: 844 } });
    const rpc: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/rpc") rpc.push(r.method());
    });
    if (rewrite) {
      await page.route(base + path, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: rewrite(await response.text()) });
      });
    }
    await page.goto(base + path);
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    const verdict = await page.getAttribute("[data-verdict]", "data-verdict");
    const steps = await page.locator(".event").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));
    const reasons = await page
      .locator("[data-reason]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-reason")));
    const footer = await page.locator("#footer").evaluate((el) => ({
      text: el.textContent ?? "",
      source: el.getAttribute("data-source"),
      roundTrips: Number(el.getAttribute("data-round-trips")),
      rejected: el.getAttribute("data-bundle-rejected"),
    }));
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    return { page, verdict, steps, reasons, footer, rpc };
  }

  const bundleOf = (html: string) =>
    JSON.parse(/<script type="application\/json" id="trace-bundle">([^<]*)<\/script>/.exec(html)![1]) as ProofBundle;
  const withBundle = (html: string, bundle: ProofBundle) =>
    html.replace(
      /(<script type="application\/json" id="trace-bundle">)[^<]*(<\/script>)/,
      (_, open: string, close: string) => open + inlineJson(bundle) + close,
    );

  it("a scanned link verifies with its inlined bundle: the log walk's verdict in at most 2 gateway requests", async () => {
    for (const [code, shot] of [
      [DEMO_CODES.authentic, "bundle-authentic"],
      [DEMO_CODES.recalled, "bundle-recalled"],
      [DEMO_CODES.consignment, "bundle-consignment"],
    ] as const) {
      const walked = await logWalk(code);
      const r = await openCounting(path(code), shot);
      expect(r.verdict, code).to.equal(walked.verdict);
      expect(r.reasons, code).to.deep.equal(walked.reasons.map((x) => x.code));
      expect(r.steps, code).to.deep.equal(
        walked.entries.filter((e) => e.stepName !== "ASSIGNED").map((e) => e.stepName),
      );
      expect(r.rpc.length, `${code}: JSON-RPC HTTP requests after the HTML`).to.be.at.most(2);
      expect(r.rpc.every((m) => m === "POST")).to.equal(true);
      expect(r.footer.source, code).to.equal("bundle");
      expect(r.footer.roundTrips, code).to.be.within(1, 2);
      expect(r.footer.text).to.match(/at block \d+ in [12] round trips? · bundle used/);
      expect(r.footer.text).to.include(`${base}/rpc`);
      await r.page.close();
    }
  });

  it("ATTACK: a tampered inlined bundle still gives the honest verdict", async () => {
    const recalled = verifyPath(DEMO_CODES.recalled);
    const honest = await logWalk(DEMO_CODES.recalled);
    expect(honest.verdict).to.equal("warning");
    const authenticHtml = await (await fetch(base + path(DEMO_CODES.authentic))).text();
    // 1. Another unit's (authentic) bundle in the recalled product's page.
    const swapped = await openCounting(recalled, "bundle-swapped", (html) => withBundle(html, bundleOf(authenticHtml)));
    expect(swapped.verdict).to.equal("warning");
    expect(swapped.reasons).to.include("RECALLED");
    expect(swapped.footer.source).to.equal("logWalk");
    expect(swapped.footer.rejected).to.equal("unit");
    expect(swapped.footer.text).to.include("bundle not used because it is for another unit");
    await swapped.page.close();
    // 2. Its own bundle, lying: says authentic, drops and reorders requests, and fabricates one.
    const lying = await openCounting(recalled, "bundle-lying", (html) => {
      const b = bundleOf(html);
      b.preview = { verdict: "authentic" };
      b.requests = [
        { method: "eth_getLogs", params: [{ address: deployment.ledger, fromBlock: "0x0", toBlock: "0x1" }] },
        ...b.requests.filter((_, i) => i % 2 === 1).reverse(),
      ];
      b.records = {};
      return withBundle(html, b);
    });
    expect(lying.verdict).to.equal("warning");
    expect(lying.reasons).to.deep.equal(honest.reasons.map((x) => x.code));
    expect(lying.steps).to.deep.equal(["COMMISSIONING", "RECALL"]);
    await lying.page.close();
    // 3. Not JSON at all: the page walks the logs.
    const broken = await openCounting(recalled, "bundle-broken", (html) =>
      html.replace(/(id="trace-bundle">)[^<]*/, (_, open: string) => `${open}{not json`),
    );
    expect(broken.verdict).to.equal("warning");
    expect(broken.reasons).to.include("RECALLED");
    await broken.page.close();
  });

  it("a buyer's own endpoint (?rpc=) is used with the bundle, not the gateway", async () => {
    const r = await openCounting(
      `${verifyPath(DEMO_CODES.authentic)}?rpc=${encodeURIComponent(node!.rpcUrl)}`,
      "bundle-own-rpc",
    );
    expect(r.verdict).to.equal("authentic");
    expect(r.rpc).to.deep.equal([]);
    expect(r.footer.source).to.equal("bundle");
    expect(r.footer.text).to.include(node!.rpcUrl);
    await r.page.close();
  });
});
