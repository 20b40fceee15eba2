/**
 * The explorer in real Chromium (Debian's, driven by playwright-core): the unit page's verdict box is filled
 * by the client script from the inlined proof bundle checked against the chain — authentic for the demo's
 * authentic item, warning for the recalled one — and edits of the index's rows change what the page lists
 * but not the verdict. Screenshots at 390×844 and 1280×800 in test-results/screenshots/explorer-*.png.
 * Without Chromium the test is skipped (a failure under CI=true).
 */
import { expect } from "chai";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { DEMO_CODES, DEMO_ORG_IDS } from "../../src/demo/journey";
import { STEPS, decodeInfo, encodeInfo } from "../../src/codes";
import { hex } from "../../src/indexer/rows";
import { parseGs1 } from "../../src/gs1";
import type { IndexDb } from "../../src/indexer/db";
import { indexBackends } from "../helpers/indexDb";
import { buildProofBundle } from "../../src/bundle/build";
import { indexWorld, serveExplorer, startExplorerChain, type ExplorerServer, type ExplorerWorld } from "./setup";
import { launchChromium } from "../../scripts/lib/chromium";
import { requireChromium } from "../helpers/browser";

const SHOTS = join(__dirname, "..", "..", "test-results", "screenshots");
const key = (code: string) => parseGs1(code).key.toLowerCase() as Hex;
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

describe("explorer: in the browser", function () {
  this.timeout(300_000);
  let world: ExplorerWorld;
  let db: IndexDb;
  let http: ExplorerServer;
  let browser: import("playwright-core").Browser | undefined;
  const backend = indexBackends()[0];

  before(async function () {
    if (process.env.SOLIDITY_COVERAGE) this.skip();
    requireChromium(this);
    world = await startExplorerChain();
    db = await backend.open();
    await indexWorld(world, db);
    http = await serveExplorer(world, db);
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await http?.close();
    await backend.close();
    await world?.anvil.stop("SIGKILL");
  });

  /** Opens a page; on a unit page waits for the verdict box to leave "checking…". */
  async function open(path: string, viewport: keyof typeof VIEWPORTS = "phone") {
    const page = await browser!.newPage({ viewport: VIEWPORTS[viewport] });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(http.base + path);
    const unitPage = (await page.$("#verdict")) !== null;
    if (unitPage) await page.waitForSelector("#verdict:not([data-verdict=pending])", { timeout: 60_000 });
    return { page, errors, verdict: unitPage ? await page.getAttribute("#verdict", "data-verdict") : null };
  }

  async function shoot(path: string, name: string) {
    for (const v of Object.keys(VIEWPORTS) as Array<keyof typeof VIEWPORTS>) {
      const { page } = await open(path, v);
      await page.screenshot({ path: join(SHOTS, `explorer-${name}-${v}.png`), fullPage: true });
      // Readable at phone width: nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} at ${v} is wider than the screen`).to.be.at.most(0);
      await page.close();
    }
  }

  it("the authentic item's unit page shows the verdict the client script computed: authentic, checked at a block", async () => {
    const { page, verdict, errors } = await open(`/explorer/unit/${key(DEMO_CODES.authentic)}`);
    expect(verdict).to.equal("authentic");
    const box = (await page.textContent("#verdict"))!;
    expect(box).to.include("Authentic · 正品 · 验证通过");
    expect(box).to.match(/Checked against the chain at block \d+ via .* with the proof bundle \(1 round trips/);
    expect(await page.getAttribute("#verdict .at", "data-block")).to.match(/^\d+$/);
    expect(errors).to.deep.equal([]);
    await page.close();
  });

  it("the recalled item's unit page shows warning with the recall as the reason", async () => {
    const { page, verdict } = await open(`/explorer/unit/${key(DEMO_CODES.recalled)}`);
    expect(verdict).to.equal("warning");
    const reasons = await page
      .locator("#verdict [data-reason]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-reason")));
    expect(reasons.length).to.be.greaterThan(0);
    expect((await page.textContent("#verdict"))!)
      .to.match(/recall/i)
      .and.match(/召回/);
    await page.close();
  });

  it("screenshots of the unit, organization and transaction pages at phone and desktop width", async () => {
    await shoot(`/explorer/unit/${key(DEMO_CODES.authentic)}`, "unit");
    await shoot(`/explorer/org/${DEMO_ORG_IDS.exporter}`, "org");
    await shoot(`/explorer/tx/${world.relayedTx}`, "tx");
    await shoot(`/explorer/unit/${world.hostile.key}`, "hostile-unit");
    for (const name of ["unit", "org", "tx"]) {
      for (const v of ["phone", "desktop"]) expect(existsSync(join(SHOTS, `explorer-${name}-${v}.png`))).to.equal(true);
    }
  });

  it("ATTACK: a tampered index (recall erased, a recall invented, a member suspended) changes the listed journey, never the verdict box", async () => {
    const recalled = key(DEMO_CODES.recalled);
    const authentic = key(DEMO_CODES.authentic);
    type Row = { seq: unknown; info: string };
    const entries = async (unit: Hex) =>
      db.query<Row>("SELECT seq, info FROM entries WHERE unit = $1 ORDER BY seq", [unit]);
    const recall = (await entries(recalled)).find((r) => decodeInfo(BigInt(r.info)).step === STEPS.RECALL)!;
    const last = (await entries(authentic)).at(-1)!;
    // The index's decoded entry is its info word: rewrite the step in it, as a lying database would.
    const withStep = (info: string, step: number) => hex(encodeInfo({ ...decodeInfo(BigInt(info)), step }));
    const setInfo = (unit: Hex, seq: unknown, info: string) =>
      db.query("UPDATE entries SET info = $1 WHERE unit = $2 AND seq = $3", [info, unit, seq]);
    await setInfo(recalled, recall.seq, withStep(recall.info, STEPS.INSPECTING));
    await setInfo(authentic, last.seq, withStep(last.info, STEPS.RECALL));
    await db.query("UPDATE organizations SET suspended = true WHERE id = $1", [DEMO_ORG_IDS.factory]);
    try {
      const r = await open(`/explorer/unit/${recalled}`);
      expect(await r.page.locator(`li#seq-${recall.seq}`).getAttribute("data-step")).to.equal("INSPECTING");
      expect(r.verdict).to.equal("warning");
      await r.page.close();
      const a = await open(`/explorer/unit/${authentic}`);
      expect(await a.page.locator(`li#seq-${last.seq}`).getAttribute("data-step")).to.equal("RECALL");
      expect(a.verdict).to.equal("authentic");
      await a.page.close();
    } finally {
      await setInfo(recalled, recall.seq, recall.info);
      await setInfo(authentic, last.seq, last.info);
      await db.query("UPDATE organizations SET suspended = false WHERE id = $1", [DEMO_ORG_IDS.factory]);
    }
  });

  it("ATTACK: a platform serving the authentic item's bundle (preview: authentic) on the recalled item's page still gets warning", async () => {
    const liar = await serveExplorer(world, db, {
      bundle: async () => {
        const genuine = await buildProofBundle(DEMO_CODES.authentic, {
          rpcUrl: world.anvil.url,
          ledger: world.ledger,
          fetchRecord: world.fetchRecord,
        });
        return { ...genuine, preview: { verdict: "authentic" } };
      },
    });
    try {
      const page = await browser!.newPage({ viewport: VIEWPORTS.phone });
      await page.goto(`${liar.base}/explorer/unit/${key(DEMO_CODES.recalled)}`);
      await page.waitForSelector("#verdict:not([data-verdict=pending])", { timeout: 60_000 });
      expect(await page.getAttribute("#verdict", "data-verdict")).to.equal("warning");
      // The bundle was for another unit: refused, the chain's logs walked instead.
      expect(await page.textContent("#verdict")).to.include("by walking the logs");
      await page.close();
    } finally {
      await liar.close();
    }
  });
});
