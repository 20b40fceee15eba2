/**
 * The page's files: the script under a content-hashed name with immutable caching, the HTML never cached
 * and with the CSS and the settings inlined; the inlined JSON escaped so that no code in a scanned link can
 * end its script element; a page that still loads when its bundle cannot be built.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { buildPageFiles, type BuiltPage } from "../../scripts/build-page";
import { createTraceServer, type TraceServer } from "../../src/server/server";
import { inlineJson } from "../../src/server/inlineJson";
import type { DeploymentManifest } from "../../src/config/manifest";
import { inlinedJson } from "../helpers/platform";

const MANIFEST: DeploymentManifest = {
  network: "test",
  chainId: 31337,
  ledger: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", deploymentBlock: 1, version: "2.1.0" },
};

describe("server: the page's files and inlined JSON", function () {
  this.timeout(120_000);
  let built: BuiltPage;
  const servers: TraceServer[] = [];

  async function serve(extra: Partial<Parameters<typeof createTraceServer>[0]> = {}) {
    const server = createTraceServer({
      pageDir: built.dir,
      recordsDir: mkdtempSync(join(tmpdir(), "cbec-assets-records-")),
      manifest: MANIFEST,
      ...extra,
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  before(async () => {
    built = await buildPageFiles(mkdtempSync(join(tmpdir(), "cbec-assets-page-")));
  });
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((done) => s.close(done));
    }
  });

  it("serves the script under its content hash with immutable caching; the HTML is never cached", async () => {
    const base = await serve();
    expect(built.script).to.match(/^app\.[0-9a-f]{16}\.js$/);
    const html = await fetch(`${base}/`);
    expect(html.status).to.equal(200);
    expect(html.headers.get("cache-control")).to.equal("no-cache");
    const text = await html.text();
    expect(text).to.include(`<script src="/${built.script}"></script>`);
    // The CSS is inlined: no stylesheet request.
    expect(text).to.match(/<style>[^]*\.banner[^]*<\/style>/);
    expect(text).not.to.include('href="/app.css"');
    const js = await fetch(`${base}/${built.script}`);
    expect(js.status).to.equal(200);
    expect(js.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
    expect(js.headers.get("content-type")).to.match(/^text\/javascript/);
    const body = Buffer.from(await js.arrayBuffer());
    // The name is the content's hash (the file ends with its source-map comment).
    const code = body.subarray(0, body.lastIndexOf("\n//# sourceMappingURL="));
    expect(built.script).to.equal(`app.${createHash("sha256").update(code).digest("hex").slice(0, 16)}.js`);
    expect((await fetch(`${base}/${built.script}.map`)).headers.get("cache-control")).to.include("immutable");
    // No unhashed script left behind to be served stale.
    expect(await (await fetch(`${base}/app.js`)).text()).to.include("<!doctype html>");
    console.log(`      (page script: ${built.scriptBytes} bytes, ${built.scriptGzipBytes} gzipped)`);
    expect(built.scriptGzipBytes).to.be.below(140_000);
  });

  it("inlines the settings: the gateway by default, the operator's public RPC URL when set", async () => {
    const html = await (await fetch(`${await serve()}/`)).text();
    expect(inlinedJson(html, "trace-config")).to.deep.equal({ ...MANIFEST, rpcUrl: "/rpc" });
    expect(await (await fetch(`${await serve()}/manifest.json`)).json()).to.deep.equal({ ...MANIFEST, rpcUrl: "/rpc" });
    const pub = "https://rpc.example.org/consortium";
    const withPublic = await (await fetch(`${await serve({ publicRpcUrl: pub })}/`)).text();
    expect((inlinedJson(withPublic, "trace-config") as { rpcUrl: string }).rpcUrl).to.equal(pub);
  });

  it("inlineJson escapes <, >, &, U+2028 and U+2029 and reads back unchanged", () => {
    const hostile = {
      lot: "</script><script>alert(1)</script>",
      comment: "<!-- <script>",
      amp: "&amp; &lt;",
      separators: "a\u2028b\u2029c",
      nested: ["</SCRIPT >", "</scr\u0000ipt>"],
    };
    const text = inlineJson(hostile);
    expect(text).not.to.match(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).to.deep.equal(hostile);
  });

  it("ATTACK: a scanned link whose node is down still loads the page, with its settings and no bundle", async () => {
    const base = await serve({ nodeUrl: "http://127.0.0.1:9" });
    const res = await fetch(`${base}/verify/01/06901234567892/10/2026A01/21/SN0001`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(inlinedJson(html, "trace-config")).to.deep.equal({ ...MANIFEST, rpcUrl: "/rpc" });
    expect(html).not.to.include('id="trace-bundle"');
    // And the bundle route says the node could not be read.
    const b = await fetch(`${base}/bundle/01/06901234567892/10/2026A01/21/SN0001`);
    expect(b.status).to.equal(502);
    expect(((await b.json()) as { error: string }).error).to.match(/could not be read/);
  });

  it("ATTACK: a node that hangs delays the page by the bundle timeout only", async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((done) => hanging.listen(0, "127.0.0.1", done));
    try {
      const base = await serve({
        nodeUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`,
        bundleTimeoutMs: 300,
      });
      const t = Date.now();
      const html = await (await fetch(`${base}/verify/01/06901234567892/10/2026A01/21/SN0001`)).text();
      expect(Date.now() - t).to.be.below(2_000);
      expect(html).to.include('id="trace-config"');
      expect(html).not.to.include('id="trace-bundle"');
    } finally {
      hanging.closeAllConnections();
      await new Promise((done) => hanging.close(done));
    }
  });

  it("the built HTML keeps exactly the page's script elements (nothing injected but the JSON)", () => {
    const html = readFileSync(join(built.dir, "index.html"), "utf8");
    expect(html).to.include("<!--trace-inline-->");
    expect(html.match(/<script\b/g)).to.have.length(1);
  });
});
