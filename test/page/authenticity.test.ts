/**
 * The verification page's authenticity parts in Chromium (issue 17), against a node with the demo journey and
 * a claims registry, served by the platform server with the claim relay, tap check and scan counts answered
 * by a test double of their interfaces (test/page/authenticityDouble.ts) acting on the real chain. Each attack
 * beside the flow it must not break: a code typed for the wrong product, a copy's code, a relay that lies, a
 * replayed tap link, a platform whose counts are down. Screenshots (phone width) in test-results/page/.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Wallet, type Contract } from "ethers";
import type { Hex } from "viem";
import { startLocalNode, deployOnNode, nodeProvider, freePort, type LocalNode } from "../helpers/localNode";
import { DEMO_CODES } from "../../src/demo/journey";
import { seedDemoOnNode } from "../helpers/nodeDemo";
import { requireChromium } from "../helpers/browser";
import { buildPage } from "../../scripts/build-page";
import { createTraceServer } from "../../src/server/server";
import { launchChromium } from "../../scripts/lib/chromium";
import { parseGs1 } from "../../src/gs1";
import { UnitClaims__factory } from "../../typechain-types";
import { claimCommitment } from "../../src/authenticity/domain";
import { claimSecret } from "../../src/authenticity/claimCode";
import { authenticityDouble, type DoubleState } from "./authenticityDouble";

const SHOTS = join(__dirname, "..", "..", "test-results", "page");
const PHONE = { width: 390, height: 844 };
const CODES = {
  authentic: "AB12C-DE34F-GH56J-KM78N",
  sibling: "PQ9RS-TV0WX-YZ123-45678",
  copy: "ZZZZZ-YYYYY-XXXXX-WWWWW",
};
const UID = "0x04de5f1eacc040" as Hex;
/** Two SUN messages the sibling's tag wrote (read counters 10 and 12), and one no tag wrote. */
const TAP_10 = { e: "EF963FF7828658A599F3041510671E88", c: "94EED9EE65337086" };
const TAP_FORGED = { e: "00000000000000000000000000000000", c: "0000000000000000" };
const key = (code: string) => parseGs1(code).key.toLowerCase() as Hex;
const path = (uri: string) => new URL(uri).pathname;

describe("verification page: claims, taps and scans (browser)", function () {
  this.timeout(240_000);
  let node: LocalNode | undefined;
  let server: Server | undefined;
  let trace: Server | undefined;
  let base = "";
  let browser: import("playwright-core").Browser | undefined;
  let double: DoubleState;
  let registry: Contract;

  before(async function () {
    requireChromium(this);
    node = await startLocalNode();
    const d = await deployOnNode(node.rpcUrl);
    const provider = await nodeProvider(node.rpcUrl);
    const records = mkdtempSync(join(tmpdir(), "cbec-page-claims-"));
    await seedDemoOnNode(node.rpcUrl, d, records);
    const brandWallet = new Wallet(d.members.factory.privateKey, provider);
    const claims = await new UnitClaims__factory(new Wallet(d.admin.privateKey, provider)).deploy(d.ledger);
    const deployed = await (await claims.waitForDeployment()).deploymentTransaction()!.wait();
    const address = (await claims.getAddress()) as Hex;
    const at = { chainId: d.chainId, claims: address };
    const brand = claims.connect(brandWallet);
    const units = [DEMO_CODES.authentic, DEMO_CODES.authenticSibling].map(key);
    await (
      await brand.commitClaims(units, [
        claimCommitment(at, units[0], claimSecret(CODES.authentic)),
        claimCommitment(at, units[1], claimSecret(CODES.sibling)),
      ])
    ).wait();
    const relayer = claims.connect(new Wallet(d.stranger.privateKey, provider));
    await (await relayer.claim(units[1], claimSecret(CODES.sibling))).wait();
    await (await brand.bindSunTag(units[1], UID)).wait();
    await (await brand.recordSunTap(units[1], UID, 7)).wait();
    registry = relayer as unknown as Contract;

    const now = Date.now();
    const iso = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
    const fake = authenticityDouble({
      relayer: relayer as unknown as Contract,
      brand: brand as unknown as Contract,
      at,
      sunMessages: { [TAP_10.e]: { uid: UID, counter: 10, c: TAP_10.c } },
      scans: {
        [units[0]]: {
          unit: units[0],
          count: 14,
          first: iso(30),
          last: iso(0.5),
          regions: [
            { region: "DE", count: 9 },
            { region: "BR", count: 5 },
          ],
          suspicious: {
            kind: "far-apart",
            en: "scanned in Germany and Brazil within 3 hours — copies of this code may be in circulation.",
            zh: "3小时内先后在德国和巴西被扫码 — 此码可能已被复制流通。",
            detail: "DE → BR in 2 h 40 min",
          },
          source: "platform",
        },
        [units[1]]: {
          unit: units[1],
          count: 2,
          first: iso(48),
          last: iso(24),
          regions: [{ region: "DE", count: 2 }],
          suspicious: null,
          source: "platform",
        },
      },
    });
    double = fake.state;
    const pageDir = await buildPage(mkdtempSync(join(tmpdir(), "cbec-page-")));
    trace = createTraceServer({
      pageDir,
      recordsDir: records,
      manifest: { ...d.manifest, claims: { address, deploymentBlock: deployed!.blockNumber, version: "1.0.0" } },
      nodeUrl: node.rpcUrl,
    });
    server = createServer((req, res) => {
      if (!fake.handle(req, res)) trace!.emit("request", req, res);
    });
    const port = await freePort();
    await new Promise<void>((done) => server!.listen(port, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    await node?.stop();
  });

  async function open(at: string) {
    const page = await browser!.newPage({ viewport: PHONE });
    await page.goto(base + at);
    await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    return page;
  }
  /** What a buyer sees on the phone's screen with `focus` in view (the journey below is page.test.ts's). */
  const shot = async (page: import("playwright-core").Page, name: string, focus = "[data-verdict]") => {
    await page.locator(focus).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  const reasons = (page: import("playwright-core").Page) =>
    page.locator("[data-reason]").evaluateAll((els) => els.map((e) => e.getAttribute("data-reason")));
  const enter = async (page: import("playwright-core").Page, code: string) => {
    await page.fill("#claim-code", code);
    await page.click(".claim-form button");
  };

  it("unclaimed: the claim form; the platform's count with its suspicious-scanning warning, labelled as the platform's", async () => {
    const page = await open(path(DEMO_CODES.authentic));
    expect(await page.getAttribute("[data-claim]", "data-claim")).to.equal("unclaimed");
    expect(await page.textContent(".claim")).to.include("Enter the code inside the packaging");
    expect(await page.textContent(".claim")).to.include("首次扫码认领");
    await page.waitForSelector("[data-scans]");
    const scans = (await page.textContent(".scans")) ?? "";
    expect(scans).to.match(/Verified 14 times, first on \d+ \w{3} \d{4}/);
    expect(scans).to.match(/已验证14次，首次于\d{4}年\d+月\d+日/);
    expect(scans).to.include("Counted by the platform, not recorded on the chain.");
    expect(await page.getAttribute("[data-suspicious]", "data-suspicious")).to.equal("far-apart");
    expect(await page.textContent("[data-suspicious]")).to.include("扫码异常");
    // The platform's count never changes the chain's verdict.
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("authentic");
    await shot(page, "claim-unclaimed");
    await shot(page, "scans-suspicious", ".scans");
    await page.close();
  });

  it("ATTACK: a wrong code is told in the browser, without any request to the relay; a malformed one says what a code looks like", async () => {
    const page = await open(path(DEMO_CODES.authentic));
    const before = double.claimRequests;
    await enter(page, "AB12C");
    await page.waitForSelector("[data-claim-note=malformed]");
    await enter(page, CODES.copy);
    await page.waitForFunction(() => document.querySelector("[data-reason=CLAIM_CODE_WRONG]"));
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("warning");
    expect(double.claimRequests).to.equal(before);
    await page.close();
  });

  it("ATTACK: a relay that answers 200 without claiming is not believed: the chain is read and says unclaimed", async () => {
    const page = await open(path(DEMO_CODES.authentic));
    double.lieAboutClaims = true;
    try {
      await enter(page, CODES.authentic);
      await page.waitForSelector("[data-claim-note=not-on-chain]", { timeout: 60_000 });
    } finally {
      double.lieAboutClaims = false;
    }
    expect(await page.getAttribute("[data-claim]", "data-claim")).to.equal("unclaimed");
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("authentic");
    await page.close();
  });

  it("the right code claims the product through the relay; the page shows the chain's claim: 'Claimed by its buyer on …'", async () => {
    const page = await open(path(DEMO_CODES.authentic));
    const before = double.claimRequests;
    await enter(page, CODES.authentic.toLowerCase());
    await page.waitForSelector("[data-claim-note=claimed]", { timeout: 60_000 });
    expect(double.claimRequests).to.equal(before + 1);
    expect(await page.getAttribute("[data-claim]", "data-claim")).to.equal("claimed");
    const status = (await page.textContent(".claim-status")) ?? "";
    expect(status).to.match(/^Claimed by its buyer on \d+ \w{3} \d{4}已由买家于\d{4}年\d+月\d+日认领$/);
    const [, claimedAt] = (await registry.claimOf(key(DEMO_CODES.authentic))) as [string, bigint];
    expect(await page.getAttribute(".claim-status", "data-claimed-at")).to.equal(String(claimedAt));
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("authentic");
    await shot(page, "claim-claimed");
    await page.close();
  });

  it("ATTACK: a copy's code entered for a claimed product: the banner says 'Likely a copy' with the claim's date, EN and ZH", async () => {
    const page = await open(path(DEMO_CODES.authenticSibling));
    expect(await page.getAttribute("[data-claim]", "data-claim")).to.equal("claimed");
    expect(await page.textContent(".claim")).to.include("Check the code in your hands");
    const before = double.claimRequests;
    await enter(page, CODES.copy);
    await page.waitForSelector("[data-standing=copied]", { timeout: 60_000 });
    const banner = (await page.textContent("[data-verdict]")) ?? "";
    expect(banner).to.include("Likely a copy");
    expect(banner).to.include("可能是仿冒品");
    expect(banner).to.match(/This code was already claimed on \d+ \w{3} \d{4}/);
    expect(await reasons(page)).to.include("CLAIM_CODE_COPIED");
    expect(double.claimRequests).to.equal(before);
    await shot(page, "claim-cloned");
    await page.close();
  });

  it("a tapped NFC link: the e/c parameters are not part of the code, the tap is verified, the chain's last read is shown", async () => {
    const page = await open(`${path(DEMO_CODES.authenticSibling)}?e=${TAP_10.e}&c=${TAP_10.c}`);
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("authentic");
    await page.waitForSelector("[data-tap=verified]", { timeout: 60_000 });
    expect(await page.textContent(".tap-result")).to.include("NFC tag verified — read #10");
    expect(await page.getAttribute(".tap-chain", "data-last-counter")).to.equal("10");
    expect(await page.textContent(".tap-chain")).to.include("last verified read #10");
    expect(await page.locator("[data-caution]").count()).to.equal(0);
    await shot(page, "tap-verified", ".tap");
    await page.close();
  });

  it("ATTACK: the same tap link opened again is a replay ('already used — likely copied'); a forged message is 'Not a genuine tag'", async () => {
    const page = await open(`${path(DEMO_CODES.authenticSibling)}?e=${TAP_10.e}&c=${TAP_10.c}`);
    await page.waitForSelector("[data-tap=replayed]", { timeout: 60_000 });
    expect(await page.textContent(".tap-result")).to.include("This tap link was already used — likely copied");
    expect(await page.getAttribute(".tap-chain", "data-last-counter")).to.equal("10");
    // The verdict stays the chain's, but the banner itself says the tap failed: a buyer stopping at it knows.
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("authentic");
    expect(await page.textContent("[data-verdict] [data-caution]")).to.include("the NFC tap failed the brand's check");
    await shot(page, "tap-replayed");
    await page.close();
    const forged = await open(`${path(DEMO_CODES.authenticSibling)}?e=${TAP_FORGED.e}&c=${TAP_FORGED.c}`);
    await forged.waitForSelector("[data-tap=not-genuine]", { timeout: 60_000 });
    expect(await forged.textContent(".tap-result")).to.include("Not a genuine tag");
    expect(await forged.locator("[data-verdict] [data-caution]").count()).to.equal(1);
    await forged.close();
  });

  it("the platform's counts down (503): a quiet line, the verdict and the rest of the page unchanged", async () => {
    const page = await open(path(DEMO_CODES.recalled));
    await page.waitForSelector("[data-scans=unavailable]");
    expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("warning");
    expect(await page.locator("[data-claim]").count()).to.equal(0);
    await page.close();
  });
});
