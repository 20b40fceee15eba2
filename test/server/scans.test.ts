/**
 * Scan counts (issue 17, interface 2) on the platform server over the in-process network: a verification is
 * counted when the server serves a unit's bundle or a scanned link's page, never when a page asks /scans; only
 * registered units are counted; the region comes from the operator's proxy header only, as two letters; the
 * burst and far-apart warnings; counts survive a restart of the server.
 */
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { unitsFixture } from "../helpers/fixtures";
import { itemKey, pathOf } from "../helpers/ledger";
import { startInProcessRpc, type InProcessRpc } from "../helpers/inProcessRpc";
import type { DeploymentManifest } from "../../src/config/manifest";
import type { ScanView } from "../../src/scans/view";
import { fixtureManifest, serveOnFixture, type RunningServer } from "./platformOnFixture";

const [U1, U2, U3, U4, U5] = [201, 202, 203, 204, 205].map((n) => itemKey(n));
/** A valid code nobody registered. */
const UNREGISTERED = itemKey(299);
const fixture = unitsFixture({ batch: [U1, U2, U3, U4, U5] });

describe("server: scan counts", function () {
  this.timeout(60_000);
  let rpc: InProcessRpc;
  let manifest: DeploymentManifest;
  let server: RunningServer;
  let dir: string;
  const servers: RunningServer[] = [];
  /** A server on the shared store, or with other settings on a store of its own (one process per store). */
  const serve = async (scans: Record<string, unknown> = {}) => {
    const own = Object.keys(scans).length > 0 ? mkdtempSync(join(tmpdir(), "cbec-scans-")) : dir;
    const s = await serveOnFixture(rpc, manifest, { scans: { dir: own, ...scans } });
    servers.push(s);
    return s;
  };
  const scansOf = async (unit: string, base = server.base) => {
    const res = await fetch(`${base}/scans/${unit}`);
    expect(res.status).to.equal(200);
    return (await res.json()) as ScanView;
  };

  before(async () => {
    const f = await loadFixture(fixture);
    rpc = await startInProcessRpc();
    manifest = await fixtureManifest(await f.ledger.getAddress());
    dir = mkdtempSync(join(tmpdir(), "cbec-scans-"));
    server = await serve();
  });
  after(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    await rpc?.close();
  });

  it("counts a served bundle and a scanned link's page once; /scans, HEAD, the page's own bundle and unregistered or invalid codes are not", async () => {
    expect(await scansOf(U1)).to.deep.include({ unit: U1, count: 0, first: null, last: null, suspicious: null });
    expect((await fetch(`${server.base}/bundle?code=${encodeURIComponent(pathOf(U1))}`)).status).to.equal(200);
    expect((await fetch(`${server.base}/bundle${pathOf(U1)}`)).status).to.equal(200);
    const page = await fetch(`${server.base}/verify${pathOf(U1)}`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include('id="trace-bundle"');
    expect((await fetch(`${server.base}/?code=${encodeURIComponent(pathOf(U1))}`)).status).to.equal(200);
    const after = await scansOf(U1);
    expect(after.count).to.equal(4);
    expect(after.source).to.equal("platform");
    expect(Date.parse(after.first!)).to.be.at.most(Date.parse(after.last!));
    // Reading the counts is not a verification; neither is a HEAD request.
    await scansOf(U1);
    await fetch(`${server.base}/verify${pathOf(U1)}`, { method: "HEAD" });
    expect((await scansOf(U1)).count).to.equal(4);
    // The page's own bundle request, after the server counted the page it served, is not a second scan.
    const fromPage = await fetch(`${server.base}/bundle?code=${encodeURIComponent(pathOf(U1))}&page=1`);
    expect(fromPage.status).to.equal(200);
    expect((await scansOf(U1)).count).to.equal(4);
    // ATTACK: a label printed with `page=1` on its link cannot hide its scans: the page it opens is counted,
    // whether the buyer comes through the resolver's Digital Link path or straight to /verify.
    const viaResolver = await fetch(`${server.base}${pathOf(U1)}?page=1`, { redirect: "follow" });
    expect(viaResolver.status).to.equal(200);
    expect((await fetch(`${server.base}/verify${pathOf(U1)}?page=1`)).status).to.equal(200);
    expect((await scansOf(U1)).count).to.equal(6);
    // ATTACK: made-up codes would grow the store without end; they are served, never counted.
    expect((await fetch(`${server.base}/bundle${pathOf(UNREGISTERED)}`)).status).to.equal(200);
    expect((await fetch(`${server.base}/verify${pathOf(UNREGISTERED)}`)).status).to.equal(200);
    expect((await scansOf(UNREGISTERED)).count).to.equal(0);
    expect((await fetch(`${server.base}/verify/01/09521234543211/21/X`)).status).to.equal(400);
  });

  it("takes regions only from the operator's header, as two letters; without the setting the header is ignored", async () => {
    const headers = { "cf-ipcountry": "DE" };
    await fetch(`${server.base}/bundle${pathOf(U2)}`, { headers });
    expect((await scansOf(U2)).regions).to.deep.equal([]);
    const withRegions = await serve({ regionHeader: "CF-IPCountry" });
    for (const value of ["DE", "de", "Germany", "XX", "<b>", "D1"]) {
      await fetch(`${withRegions.base}/bundle${pathOf(U2)}`, { headers: { "cf-ipcountry": value } });
    }
    // Another header a client could set is not the operator's.
    await fetch(`${withRegions.base}/bundle${pathOf(U2)}`, { headers: { "x-country": "FR" } });
    const view = await scansOf(U2, withRegions.base);
    expect(view.count).to.equal(7);
    expect(view.regions).to.deep.equal([{ region: "DE", count: 2 }]);
    await withRegions.close();
  });

  it("ATTACK: a burst of verifications and far-apart regions are warned about, in English and Chinese", async () => {
    const s = await serve({
      regionHeader: "cf-ipcountry",
      rules: { burst: { count: 5, windowSeconds: 3_600 }, farApart: { km: 1_000, windowSeconds: 6 * 3_600 } },
    });
    for (let i = 0; i < 4; i++) await fetch(`${s.base}/bundle${pathOf(U3)}`);
    expect((await scansOf(U3, s.base)).suspicious).to.equal(null);
    await fetch(`${s.base}/bundle${pathOf(U3)}`);
    const burst = (await scansOf(U3, s.base)).suspicious!;
    expect(burst.kind).to.equal("burst");
    expect(burst.en).to.match(/verified 5 times within 60 minutes/);
    expect(burst.zh).to.match(/60分钟内被验证了5次/);
    // LEGIT: a parcel opened in Germany and checked again in Austria is not suspicious…
    await fetch(`${s.base}/verify${pathOf(U4)}`, { headers: { "cf-ipcountry": "DE" } });
    await fetch(`${s.base}/verify${pathOf(U4)}`, { headers: { "cf-ipcountry": "AT" } });
    expect((await scansOf(U4, s.base)).suspicious).to.equal(null);
    // … the same code verified in Brazil hours later is.
    await fetch(`${s.base}/verify${pathOf(U4)}`, { headers: { "cf-ipcountry": "BR" } });
    const far = (await scansOf(U4, s.base)).suspicious!;
    expect(far.kind).to.equal("far-apart");
    expect((far.detail as { regions: string[] }).regions[1]).to.equal("BR");
    expect(far.en).to.match(/and in BR, about \d+ km apart, within 6 hours/);
    await s.close();
  });

  it("keeps the counts when the server restarts on the same directory", async () => {
    await fetch(`${server.base}/bundle${pathOf(U5)}`);
    const before = await scansOf(U1);
    await server.close();
    server = await serve();
    expect(await scansOf(U1)).to.deep.equal(before);
    expect((await scansOf(U5)).count).to.equal(1);
  });

  it("refuses what is not a unit key with what to send; without a store the route says so", async () => {
    for (const bad of ["0x12", "hello", `${U1}00`, pathOf(U1).slice(1).replace(/\//g, "%2F")]) {
      const res = await fetch(`${server.base}/scans/${bad}`);
      const body = (await res.json()) as { error: string; message: string; zh: string };
      expect(res.status, bad).to.equal(400);
      expect(body.error).to.equal("bad-request");
      expect(body.message).to.match(/GET \/scans\/0x<64 hex digits>/);
      expect(body.zh).to.be.a("string").and.not.equal("");
    }
    expect((await fetch(`${server.base}/scans/${U1}`, { method: "POST" })).status).to.equal(405);
    const none = await serveOnFixture(rpc, manifest);
    servers.push(none);
    const res = await fetch(`${none.base}/scans/${U1 as Hex}`);
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { error: string }).error).to.equal("scans-unavailable");
  });
});
