/**
 * The verification page in a real browser: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), against a node started by the test with the demo journey seeded, served by the platform server.
 * Screenshots (phone 390 px and desktop 1280 px) are saved to test-results/page/. Without Chromium the test is
 * skipped with a message — except under CI (CI=true), where .ci/run installs it and a missing browser is a
 * failure. Issue 15: what a buyer reads — the summary line with names, the journey by stage, recall / hold /
 * counterfeit / typo / consignment pages, explorer links, the camera scanner (a fake camera showing a QR code).
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startLocalNode, deployOnNode, freePort, type LocalNode, type NodeDeployment } from "../helpers/localNode";
import { DEMO_CODES } from "../../src/demo/journey";
import { seedDemoOnNode } from "../helpers/nodeDemo";
import { requireChromium } from "../helpers/browser";
import { buildPage } from "../../scripts/build-page";
import { createTraceServer } from "../../src/server/server";
import { startLatencyProxy, type LatencyProxy } from "../../scripts/lib/latencyProxy";
import { inlineJson } from "../../src/server/inlineJson";
import { storeFetcher } from "../../src/server/records";
import { verifyUnit } from "../../src/verify/verify";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import type { ProofBundle } from "../../src/bundle/types";
import { launchChromium } from "../../scripts/lib/chromium";
import { RecordStore, recordObjectEvent, recordRegistration, type UnitRef } from "../../src/records";
import { parseGs1, toDigitalLink } from "../../src/gs1";
import { shownToBuyers } from "../../src/verify/buyerSteps";
import { fakeCameraShowing } from "./fakeCamera";

const SHOTS = join(__dirname, "..", "..", "test-results", "page");
/** Units of this test's own (the demo has no held unit and its recall gives no reason). */
const HELD = "https://id.gs1.org/01/06901234567892/10/2026C03/21/SN0301";
const RECALLED_WITH_REASON = "https://id.gs1.org/01/06901234567892/10/2026C03/21/SN0302";
const RECALL_REASON = "Battery may overheat while charging";
const HOLD_REASON = "Lab test of the charging case pending";
const REPORT_URL = "mailto:fakes@platform.example";
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

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
    requireChromium(this);
    node = await startLocalNode();
    const d: NodeDeployment = await deployOnNode(node.rpcUrl);
    deployment = d;
    records = mkdtempSync(join(tmpdir(), "cbec-page-records-"));
    const { writers } = await seedDemoOnNode(node.rpcUrl, d, records);
    // A regulator hold and a recall with its reason, on units registered here through the SDK.
    const store = new RecordStore(records);
    const unit = (code: string): UnitRef => {
      const id = parseGs1(code);
      return { key: id.key as Hex, uri: toDigitalLink(id, { attributes: false }), path: id.canonicalPath };
    };
    await writers.factory.register(
      [HELD, RECALLED_WITH_REASON].map(
        (c) =>
          recordRegistration(store, unit(c), { eventTime: "2026-11-10T09:00:00+08:00", location: "6901234000016" })
            .input,
      ),
    );
    const regulatorStep = (code: string, step: "HOLD" | "RECALL", time: string, reason: string) =>
      recordObjectEvent(store, unit(code), { step, eventTime: time, extensions: { "cbectrace:reason": reason } }).input;
    await writers.market.record([
      regulatorStep(HELD, "HOLD", "2026-11-21T11:30:00+08:00", HOLD_REASON),
      regulatorStep(RECALLED_WITH_REASON, "RECALL", "2026-11-22T10:00:00+08:00", RECALL_REASON),
    ]);
    const pageDir = await buildPage(mkdtempSync(join(tmpdir(), "cbec-page-")));
    nodeProxy = await startLatencyProxy(node.rpcUrl);
    server = createTraceServer({
      pageDir,
      recordsDir: records,
      manifest: d.manifest,
      nodeUrl: nodeProxy.url,
      reportUrl: REPORT_URL,
    });
    const port = await freePort();
    await new Promise<void>((done) => server!.listen(port, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mkdirSync(SHOTS, { recursive: true });
    // The scanner test's camera shows the authentic item's QR code.
    browser = await launchChromium(fakeCameraShowing(DEMO_CODES.authentic, join(records, "camera.y4m")));
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    await nodeProxy?.close();
    await node?.stop();
  });

  async function open(path: string, shot: string, viewport = PHONE) {
    const page = await browser!.newPage({ viewport });
    await page.goto(base + path);
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    const verdict = await page.getAttribute("[data-verdict]", "data-verdict");
    const steps = await page.locator(".proof").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));
    const reasons = await page
      .locator("[data-reason]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-reason")));
    const standing = await page.getAttribute("[data-standing]", "data-standing");
    const banner = (await page.textContent("[data-verdict]")) ?? "";
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    return { page, verdict, steps, reasons, standing, banner };
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
    await page.locator(".proof[data-step=CUSTOMS_RELEASED] summary").click();
    expect(await page.locator(".proof[data-step=CUSTOMS_RELEASED] details").textContent()).to.match(
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

  // Issue 14: the platform withholds the finance records (order, payment, FX, refund) from buyers; the page
  // does not ask for them and shows no "record unavailable" warning for them.
  it("withheld finance records: 401 to an unsigned buyer, and the authentic item's page shows no warning", async () => {
    const client = createPublicClient({ transport: http(node!.rpcUrl) }) as PublicClient;
    const report = await verifyUnit(DEMO_CODES.authentic, {
      client,
      ledger: { address: deployment.ledger as Address },
      fetchRecord: storeFetcher(records),
    });
    const finance = report.entries.filter((e) => e.recordWithheld);
    expect(finance.length).to.equal(4);
    for (const e of finance) expect((await fetch(`${base}/records/${e.data}.json`)).status).to.equal(401);
    const { page, verdict, reasons } = await open(path(DEMO_CODES.authentic), "authentic-withheld");
    expect(verdict).to.equal("authentic");
    expect(reasons).to.not.include("RECORD_UNAVAILABLE");
    expect(await page.locator("[data-notice]").count()).to.equal(0);
    await page.close();
  });

  /** The texts a buyer reads on a page. */
  const texts = async (page: import("playwright-core").Page) => ({
    summaryEn: ((await page.textContent(".summary .line:not(.zh)")) ?? "").trim(),
    summaryZh: ((await page.textContent(".summary .line.zh")) ?? "").trim(),
    journey: (await page.textContent(".journey")) ?? "",
    stages: await page.locator(".stage").evaluateAll((els) => els.map((e) => e.getAttribute("data-stage"))),
    via: await page.locator("[data-via]").allTextContents(),
  });

  it("authentic, phone and desktop: the summary line names maker, customs, port, destination and days, in EN and ZH; the journey is by stage", async () => {
    for (const [viewport, shot] of [
      [PHONE, "authentic-summary"],
      [DESKTOP, "authentic-desktop"],
    ] as const) {
      const { page, standing, banner } = await open(verifyPath(DEMO_CODES.authentic), shot, viewport);
      expect(standing).to.equal("authentic");
      expect(banner).to.include("Authentic");
      const t = await texts(page);
      expect(t.summaryEn).to.equal(
        "Made by factory org at a site of exporter org on 2 Nov 2026 · released by customs org (customs district 5316) on 7 Nov 2026 · " +
          "shipped from Yantian, Shenzhen, China on 8 Nov 2026 · delivered to Hamburg, Germany on 26 Nov 2026 · 18 days in transit",
      );
      expect(t.summaryZh).to.equal(
        "2026年11月2日由factory org在exporter org的场所生产 · 2026年11月7日经customs org（海关关区 5316）放行 · " +
          "2026年11月8日自中国深圳盐田发运 · 2026年11月26日交付至德国汉堡 · 运输 18 天",
      );
      // The carrier's waybill opens "Packed / shipment created" (issue 15); booking and summary stay hidden.
      expect(t.stages).to.deep.equal([
        "production",
        "inspection",
        "shipment",
        "warehousing",
        "customs",
        "transport",
        "delivery",
      ]);
      expect(await page.textContent(".stage[data-stage=shipment]")).to.include("Waybill issued");
      // Handovers at their own times (issue 15), in order: the carton collected after its inspection, the
      // consignment taken by the carrier after release and before loading, never "today" after the delivery.
      const steps = await page.locator(".event").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));
      const handovers = await page.locator(".event[data-step=CUSTODY_TRANSFERRED]").allTextContents();
      expect(handovers).to.have.length(2);
      expect(handovers[0]).to.include("5 Nov 2026, 09:30 (UTC+08:00)");
      expect(handovers[1]).to.include("8 Nov 2026, 08:30 (UTC+08:00)");
      const at = (step: string) => steps.indexOf(step);
      expect(at("CUSTODY_TRANSFERRED")).to.be.within(at("INSPECTING"), at("WAYBILL_ISSUED"));
      expect(steps.lastIndexOf("CUSTODY_TRANSFERRED")).to.be.within(at("CUSTOMS_RELEASED"), at("LOADING"));
      // Local times with their offsets, from the records' eventTimeZoneOffset.
      const delivered = (await page.textContent(".event[data-step=DELIVERED]")) ?? "";
      // Delivered in Hamburg at 15:00 local time: the record carries the offset written in its time (+01:00).
      expect(delivered).to.include("26 Nov 2026, 15:00 (UTC+01:00)");
      expect(delivered).to.include("Hamburg, Germany");
      expect(delivered).to.include("checked complete");
      expect(delivered).to.include("2026年11月26日 15:00（UTC+01:00）");
      expect(await page.textContent(".event[data-step=INSPECTING]")).to.include("passed");
      expect(await page.textContent(".event[data-step=COMMISSIONING]")).to.include("2 Nov 2026, 09:00 (UTC+08:00)");
      // "Via" once per stay: the carton in inspection, the consignment in each later stage; own events first.
      expect(t.via).to.deep.equal([
        "Via carton SSCC 169012340000000013随箱 SSCC 169012340000000013",
        ...["shipment", "warehousing", "customs", "transport", "delivery"].map(
          () => "Via consignment 6901234MAWB784001随运单 6901234MAWB784001",
        ),
      ]);
      expect(await page.locator(".stage[data-stage=production] .stay").count()).to.equal(1);
      // Finance steps are not the buyer's; no keys or hashes outside the proofs.
      const shown = await page.locator(".event").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));
      for (const hidden of ["ORDER_PLACED", "PAYMENT_RECEIVED", "TAX_REFUNDED", "FX_SETTLED", "ASSIGNED"]) {
        expect(shown).not.to.include(hidden);
      }
      expect(t.journey).not.to.match(/0x[0-9a-f]{8}/i);
      expect(await page.textContent(".summary")).not.to.match(/0x[0-9a-f]{8}/i);
      // Desktop uses the width: the proofs beside the journey; on a phone they follow it.
      const journey = (await page.locator(".journey").boundingBox())!;
      const proofs = (await page.locator(".proofs").boundingBox())!;
      if (viewport === DESKTOP) {
        expect(proofs.x).to.be.greaterThan(journey.x + journey.width - 1);
        expect(proofs.y).to.be.lessThan(journey.y + journey.height);
      } else {
        expect(proofs.y).to.be.greaterThan(journey.y + journey.height - 1);
      }
      await page.close();
    }
  });

  it("proofs link to the explorer's transaction, block and organization pages when the platform serves it", async () => {
    const walked = await logWalk(DEMO_CODES.authentic);
    const released = walked.entries.find((e) => e.stepName === "CUSTOMS_RELEASED")!;
    const page = await browser!.newPage({ viewport: DESKTOP });
    // This test's server has no index, so no explorer: its settings are given as a server with one gives them.
    await page.route(base + verifyPath(DEMO_CODES.authentic), async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        /(<script type="application\/json" id="trace-config">)([^<]*)(<\/script>)/,
        (_, open: string, json: string, close: string) =>
          open + inlineJson({ ...JSON.parse(json), explorerUrl: "/explorer" }) + close,
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto(base + verifyPath(DEMO_CODES.authentic));
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    const proof = page.locator(".proof[data-step=CUSTOMS_RELEASED]");
    expect(await proof.locator("a[data-explorer=tx]").getAttribute("href")).to.equal(
      `/explorer/tx/${released.transactionHash.toLowerCase()}`,
    );
    expect(await proof.locator("a[data-explorer=block]").getAttribute("href")).to.equal(
      `/explorer/block/${released.blockNumber}`,
    );
    expect(await proof.locator("a[data-explorer=org]").getAttribute("href")).to.equal(`/explorer/org/${released.org}`);
    expect(await page.locator(".proofs a[data-explorer=unit]").getAttribute("href")).to.equal(
      `/explorer/unit/${walked.unit!.key.toLowerCase()}`,
    );
    await page.locator(".proof[data-step=CUSTOMS_RELEASED] summary").click();
    await page.screenshot({ path: join(SHOTS, "authentic-desktop-proofs.png"), fullPage: true });
    await page.close();
    // Without the explorer the same proofs are text, not links to pages that do not exist.
    const plain = await open(verifyPath(DEMO_CODES.authentic), "authentic-no-explorer");
    expect(await plain.page.locator("a[data-explorer]").count()).to.equal(0);
    await plain.page.close();
  });

  it("the recalled product is red: recalled by whom, when, why (from its record) and what to do, EN and ZH", async () => {
    const { page, verdict, reasons, steps, standing, banner } = await open(path(DEMO_CODES.recalled), "recalled");
    expect(verdict).to.equal("warning");
    expect(standing).to.equal("recalled");
    expect(reasons).to.include("RECALLED");
    expect(steps).to.deep.equal(["COMMISSIONING", "RECALL"]);
    expect(await page.getAttribute("[data-standing]", "class")).to.include("tone-bad");
    expect(banner).to.include("Recalled — do not use");
    expect(banner).to.include("Recalled by market org on 20 Nov 2026.");
    expect(banner).to.include("market org于2026年11月20日发布召回。");
    // The demo's recall record gives no reason: the page says so rather than invent one.
    expect(banner).to.include("The recall's record gives no reason.");
    expect(banner).to.include("What to do: Stop using it and contact the seller for a refund or replacement.");
    expect(banner).to.include("请停止使用，并联系卖家退款或更换。");
    await page.close();
    for (const [viewport, shot] of [
      [PHONE, "recalled-reason"],
      [DESKTOP, "recalled-desktop"],
    ] as const) {
      const r = await open(verifyPath(RECALLED_WITH_REASON), shot, viewport);
      expect(r.standing).to.equal("recalled");
      expect(await r.page.textContent("[data-recall=reason]")).to.equal(
        `Reason: ${RECALL_REASON}原因：${RECALL_REASON}`,
      );
      expect(r.banner).to.include("Recalled by market org on 22 Nov 2026.");
      expect((await texts(r.page)).summaryEn).to.equal("Made by factory org at a site of exporter org on 10 Nov 2026");
      await r.page.close();
    }
  });

  it("a held unit (a regulator's hold, registered in this test) is amber with who holds it, since when and why", async () => {
    for (const [viewport, shot] of [
      [PHONE, "held"],
      [DESKTOP, "held-desktop"],
    ] as const) {
      const { page, verdict, standing, banner, reasons } = await open(verifyPath(HELD), shot, viewport);
      expect(verdict).to.equal("warning");
      expect(standing).to.equal("held");
      expect(reasons).to.include("HELD");
      expect(await page.getAttribute("[data-standing]", "class")).to.include("tone-warn");
      expect(banner).to.include("On hold");
      expect(banner).to.include("扣留中");
      expect(await page.textContent("[data-hold=by]")).to.equal(
        "Held by market org since 21 Nov 2026.自2026年11月21日起由market org扣留。",
      );
      expect(await page.textContent("[data-hold=reason]")).to.include(HOLD_REASON);
      expect(banner).not.to.include("Recalled");
      const hold = (await page.textContent(".event[data-step=HOLD]")) ?? "";
      expect(hold).to.include("21 Nov 2026, 11:30 (UTC+08:00)");
      await page.close();
    }
  });

  it("consignments and cartons have their own page: contents by code (links to their pages) and their own route", async () => {
    for (const [viewport, shot] of [
      [PHONE, "consignment"],
      [DESKTOP, "consignment-desktop"],
    ] as const) {
      const { page, standing } = await open(verifyPath(DEMO_CODES.consignment), shot, viewport);
      expect(standing).to.equal("authentic");
      expect(await page.getAttribute("[data-unit-kind]", "data-unit-kind")).to.equal("container");
      expect(await page.textContent(".product h3")).to.equal("Consignment运单");
      const contents = await page
        .locator(".contents li a")
        .evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute("href")]));
      expect(contents).to.deep.equal([["carton SSCC 169012340000000013", "/verify/00/169012340000000013"]]);
      expect(await page.locator(".contents .warnline").count()).to.equal(0);
      const body = (await page.textContent("main")) ?? "";
      expect(body).not.to.include("Produced & registered");
      expect(body).not.to.match(/\bProduct\b/);
      // Its own route: its own events, none "via" anything.
      expect(await page.locator("[data-via]").count()).to.equal(0);
      expect(await page.textContent(".event[data-step=COMMISSIONING] .title")).to.equal("Registered登记");
      const t = await texts(page);
      expect(t.summaryEn).to.match(
        /^Registered by exporter org at one of its sites on 5 Nov 2026 · released by customs org/,
      );
      expect(t.summaryEn).to.include("delivered to Hamburg, Germany on 26 Nov 2026 · 18 days in transit");
      if (viewport === PHONE) {
        // The carton's page, opened from the list, holds the two items.
        await page.click(".contents li a");
        await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
        expect(await page.textContent(".product h3")).to.equal("Carton箱");
        expect(await page.locator(".contents li a").allTextContents()).to.deep.equal([
          "GTIN 06901234567892 · lot 2026A01 · serial SN0001",
          "GTIN 06901234567892 · lot 2026A01 · serial SN0002",
        ]);
        // Every packing record was there: no "may be incomplete" warning on an honest carton.
        expect(await page.locator(".contents .warnline").count()).to.equal(0);
        await page.screenshot({ path: join(SHOTS, "carton.png"), fullPage: true });
      }
      await page.close();
    }
  });

  /** Rewrites every record the page can get (inlined bundle and /records/) with `tamper`. */
  async function openTampered(path: string, shot: string, tamper: (r: Record<string, unknown>) => void) {
    const page = await browser!.newPage({ viewport: PHONE });
    await page.route(base + path, async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      const b = bundleOf(html);
      for (const r of Object.values(b.records)) tamper(r as Record<string, unknown>);
      await route.fulfill({ response, body: withBundle(html, b) });
    });
    await page.route(`${base}/records/**`, async (route) => {
      const response = await route.fetch();
      const r = (await response.json()) as Record<string, unknown>;
      tamper(r);
      await route.fulfill({ response, body: JSON.stringify(r) });
    });
    await page.goto(base + path);
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    return page;
  }

  it("ATTACK: a platform serving altered records cannot soften a recall's reason or shift its local times", async () => {
    const page = await openTampered(verifyPath(RECALLED_WITH_REASON), "attack-recall-reason", (r) => {
      if (r["cbectrace:reason"] !== undefined) r["cbectrace:reason"] = "Recall withdrawn: safe to use";
      r.eventTimeZoneOffset = "-10:00";
    });
    expect(await page.getAttribute("[data-standing]", "data-standing")).to.equal("recalled");
    const banner = (await page.textContent("[data-standing]")) ?? "";
    expect(banner).not.to.include("safe to use");
    expect(banner).to.include("The recall's record gives no reason.");
    // The altered record is not taken for the recall's: its proof does not say it matches.
    expect(await page.textContent(".proof[data-step=RECALL]")).not.to.include("matches on-chain hash");
    // Times fall back to the chain's and the place's, never the altered offset.
    expect(await page.textContent(".journey")).not.to.include("UTC-10:00");
    await page.close();
  });

  it("ATTACK: altered packing records cannot add contents to a consignment", async () => {
    const extra = "https://id.gs1.org/00/169012340000000020";
    const page = await openTampered(verifyPath(DEMO_CODES.consignment), "attack-contents", (r) => {
      if (Array.isArray(r.childEPCs)) r.childEPCs = [...(r.childEPCs as string[]), extra];
    });
    const listed = await page.locator(".contents li a").allTextContents();
    expect(listed).to.deep.equal([]);
    expect(await page.textContent(".contents")).to.include("packing record(s) were not available");
    expect(await page.textContent("main")).not.to.include("169012340000000020");
    await page.close();
  });

  it("the camera scanner reads a QR code (BarcodeDetector, else jsQR loaded only then) and opens its page like a typed code", async () => {
    const page = await browser!.newPage({ viewport: PHONE });
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(base + "/");
    expect(scripts.some((s) => s.startsWith("/scan."))).to.equal(false);
    const native = await page.evaluate(() => "BarcodeDetector" in window);
    await Promise.all([page.waitForURL(/\?code=/, { timeout: 30_000 }), page.click("#scan")]);
    expect(new URL(page.url()).searchParams.get("code")).to.equal(DEMO_CODES.authentic);
    await page.waitForSelector("[data-standing]", { timeout: 60_000 });
    expect(await page.getAttribute("[data-standing]", "data-standing")).to.equal("authentic");
    expect(scripts.some((s) => s.startsWith("/scan."))).to.equal(!native);
    await page.screenshot({ path: join(SHOTS, "scanned.png"), fullPage: true });
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
    for (const [viewport, shot] of [
      [PHONE, "counterfeit"],
      [DESKTOP, "counterfeit-desktop"],
    ] as const) {
      const { page, verdict, reasons, steps, standing, banner } = await open(
        verifyPath(DEMO_CODES.counterfeit),
        shot,
        viewport,
      );
      expect(verdict).to.equal("fail");
      expect(standing).to.equal("counterfeit");
      expect(reasons).to.deep.equal(["NOT_REGISTERED"]);
      expect(steps).to.deep.equal([]);
      expect(banner).to.include("Not registered — possibly counterfeit");
      expect(banner).to.include("未登记 — 可能是假冒商品");
      // The platform's report address (TRACE_REPORT_URL) with the code filled in, and China's regulator.
      const links = await page.locator("a[data-report]").evaluateAll((els) => els.map((e) => e.getAttribute("href")!));
      expect(links).to.have.length(2);
      const mail = new URL(links[0]);
      expect(mail.protocol).to.equal("mailto:");
      expect(mail.pathname).to.equal("fakes@platform.example");
      expect(mail.searchParams.get("subject")).to.equal("Possible counterfeit: unregistered code");
      expect(mail.searchParams.get("body")).to.include(base + path(DEMO_CODES.counterfeit));
      expect(links[1]).to.equal("https://www.12315.cn/");
      // The buyer sees which code was checked, in words; no proofs of a unit that does not exist.
      expect(await page.textContent("[data-code-checked]")).to.include(
        "GTIN 06901234567892 · lot 2026A01 · serial SN9999",
      );
      expect(await page.locator(".proofs").count()).to.equal(0);
      await page.close();
    }
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

  it("a typo in the search box reads 'check the code' with the expected check digit, not a counterfeit; its fix verifies", async () => {
    for (const [viewport, shot] of [
      [PHONE, "typo"],
      [DESKTOP, "typo-desktop"],
    ] as const) {
      const page = await browser!.newPage({ viewport });
      await page.goto(base + "/");
      await page.fill("#code", "(01)06901234567893(10)2026A01(21)SN0001");
      await page.click("#search button[type=submit]");
      await page.waitForSelector("[data-standing]", { timeout: 60_000 });
      expect(await page.getAttribute("[data-standing]", "data-standing")).to.equal("typo");
      const banner = (await page.textContent("[data-standing]")) ?? "";
      expect(banner).to.include("Check the code");
      expect(banner).to.include("请核对编码");
      expect(banner).to.include("the last digit of GTIN 06901234567893 should be 2 (06901234567892)");
      expect(banner).to.include("校验位）应为 2");
      expect(banner).not.to.match(/counterfeit|Verification failed|假冒|验证失败/);
      // Amber/red are for the product; a typo is the blue "check" tone.
      expect(await page.getAttribute("[data-standing]", "class")).to.include("tone-check");
      await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
      if (viewport === PHONE) {
        await page.click("a[data-corrected]");
        await page.waitForSelector("[data-standing]", { timeout: 60_000 });
        expect(await page.getAttribute("[data-standing]", "data-standing")).to.equal("authentic");
      }
      await page.close();
    }
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
    const steps = await page.locator(".proof").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));
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
      expect(r.steps, code).to.deep.equal(walked.entries.filter((e) => shownToBuyers(e.step)).map((e) => e.stepName));
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
