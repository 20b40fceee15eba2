/** `trace verify` end to end against a node with the demo journey: verdicts, journey output, exit codes 0/10/11. */
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { startLocalNode, deployOnNode, runTrace, type LocalNode, type NodeDeployment } from "../helpers/localNode";
import { DEMO_CODES } from "../../src/demo/journey";
import { seedDemoOnNode } from "../helpers/nodeDemo";
import { EXIT } from "../../src/cli/exitCodes";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTraceServer } from "../../src/server/server";

describe("trace verify", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let d: NodeDeployment;
  let records: string;

  before(async function () {
    if (process.env.SOLIDITY_COVERAGE) this.skip(); // coverage instruments the in-process network only
    node = await startLocalNode();
    d = await deployOnNode(node.rpcUrl);
    records = mkdtempSync(join(tmpdir(), "cbec-verify-records-"));
    await seedDemoOnNode(node.rpcUrl, d, records);
  });

  after(async () => node?.stop());

  const verify = (code: string, ...extra: string[]) =>
    runTrace(["--manifest", d.manifestPath, "--rpc", node.rpcUrl, "--records-dir", records, "verify", code, ...extra]);

  it("authentic: exit 0 and the whole journey, every record matching its hash", async () => {
    const run = await verify(DEMO_CODES.authentic);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^AUTHENTIC 正品/);
    for (const step of ["COMMISSIONING", "CUSTOMS_RELEASED", "DEPARTING", "DELIVERED"])
      expect(run.stdout).to.include(step);
    expect(run.stdout).to.not.match(/BAD SIGNATURE|RECORD MISMATCH/);
    const json = JSON.parse((await verify(DEMO_CODES.authentic, "--json")).stdout);
    expect(json.verdict).to.equal("authentic");
    expect(json.entries.every((e: { signatureValid: boolean }) => e.signatureValid)).to.equal(true);
  });

  it("--confirmations reads as of a block that deep and names it; a depth beyond the chain fails clearly; 0 is refused", async () => {
    const deep = await verify(DEMO_CODES.authentic, "--confirmations", "2");
    expect(deep.stdout).to.match(/as of block \d+ \(0x[0-9a-f]{8}…, 2 confirmations\)/);
    const beforeAll = await verify(DEMO_CODES.authentic, "--confirmations", "1000000");
    expect(beforeAll.code).to.equal(EXIT.VERDICT_FAIL);
    expect(beforeAll.stdout).to.match(/^FAIL/);
    expect(beforeAll.stdout).to.include("the ledger did not exist yet as of block 0, 1000000 confirmations");
    const zero = await verify(DEMO_CODES.authentic, "--confirmations", "0");
    expect(zero.code).to.equal(2);
    expect(zero.stderr).to.include('The confirmations "0" must be at least 1.');
  });

  it("recalled: exit 10 with the reason in English and Chinese", async () => {
    const run = await verify(DEMO_CODES.recalled);
    expect(run.code).to.equal(EXIT.VERDICT_WARNING);
    expect(run.stdout).to.match(/^WARNING/);
    expect(run.stdout).to.include("The product is recalled.");
    expect(run.stdout).to.include("该产品已被召回");
  });

  it("counterfeit: exit 11 (fail verdict); invalid codes: exit 2 (invalid input)", async () => {
    const fake = await verify(DEMO_CODES.counterfeit);
    expect(fake.code).to.equal(EXIT.VERDICT_FAIL);
    expect(fake.stdout).to.include("never registered");
    const invalid = await verify("(01)06901234567893(21)X");
    expect(invalid.code).to.equal(2);
    expect(invalid.stdout).to.match(/not a valid GS1 code/);
  });

  it("another contract address: exit 11 (wrong chain or contract), not a crash", async () => {
    const run = await runTrace([
      "--rpc",
      node.rpcUrl,
      "--ledger",
      d.members.exporter.address,
      "verify",
      DEMO_CODES.authentic,
    ]);
    expect(run.code, run.stderr).to.equal(EXIT.VERDICT_FAIL);
    expect(run.stdout).to.include("not the expected cbec-trace ledger");
  });
  it("a pinned chain id is kept on a wrong chain: fail verdict naming the actual chain, the options intact", async () => {
    const run = await verify(DEMO_CODES.authentic, "--chain-id", "1", "--confirmations", "2", "--json");
    expect(run.code, run.stderr).to.equal(EXIT.VERDICT_FAIL);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).to.equal("fail");
    expect(report.reasons.map((r: { code: string }) => r.code)).to.deep.equal(["WRONG_CHAIN"]);
    expect(report.ledger.chainId).to.equal(1);
    expect(report.ledger.address.toLowerCase()).to.equal(d.ledger.toLowerCase());
    expect(report.reasons[0].detail).to.equal(
      `The RPC endpoint ${node.rpcUrl} serves chain ${d.chainId}, but chain 1 is configured.`,
    );
    const env = await runTrace(
      ["--manifest", d.manifestPath, "--rpc", node.rpcUrl, "verify", DEMO_CODES.authentic, "--json"],
      { env: { TRACE_CHAIN_ID: "1" } },
    );
    expect(env.code, env.stderr).to.equal(EXIT.VERDICT_FAIL);
    expect(JSON.parse(env.stdout).ledger.chainId).to.equal(1);
  });

  it("a bad check digit is invalid input (exit 2) before any setting or node: no manifest, nothing listening", async () => {
    const run = await runTrace([
      "--manifest",
      "/nonexistent/manifest.json",
      "--rpc",
      "http://127.0.0.1:9",
      "verify",
      "(01)06901234567894(21)X",
    ]);
    expect(run.code, run.stderr).to.equal(EXIT.INVALID_INPUT);
    expect(run.stdout).to.include("check digit");
    expect(run.stdout).to.match(/^FAIL/);
    expect(run.stderr).to.not.include("manifest");
    const bare = await runTrace(["verify", "(01)06901234567894(21)X", "--json"]);
    expect(bare.code, bare.stderr).to.equal(EXIT.INVALID_INPUT);
    const json = JSON.parse(bare.stdout);
    expect(json.verdict).to.equal("fail");
    expect(json.reasons[0].code).to.equal("INVALID_CODE");
    expect(json.reasons[0].detail).to.include("check digit");
  });

  /** A platform server on this node and records, or one answering every bundle request with `bundle`. */
  async function platform(bundle?: (code: string) => Promise<unknown>): Promise<{ base: string; close(): void }> {
    const real = createTraceServer({
      pageDir: mkdtempSync(join(tmpdir(), "cbec-nopage-")),
      recordsDir: records,
      manifest: d.manifest,
      nodeUrl: node.rpcUrl,
    });
    const server: Server = bundle
      ? createServer((req, res) => {
          const code = new URL(req.url ?? "/", "http://x").searchParams.get("code") ?? "";
          if (!req.url?.startsWith("/bundle")) return real.emit("request", req, res);
          void bundle(code).then((b) =>
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(b)),
          );
        })
      : real;
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    return {
      base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => {
        server.closeAllConnections();
        server.close();
      },
    };
  }

  it("--platform: the platform's bundle and records, checked against --rpc in one round trip", async () => {
    const p = await platform();
    try {
      const run = await verify(DEMO_CODES.authentic, "--platform", p.base);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.include("checked in 1 JSON-RPC round trip (proof bundle, 0 requests it did not foresee)");
      expect(run.stdout).to.not.match(/RECORD MISMATCH/);
      const json = JSON.parse((await verify(DEMO_CODES.recalled, "--platform", p.base, "--json")).stdout);
      expect(json.verdict).to.equal("warning");
      expect(json.stats).to.include({ source: "bundle", roundTrips: 1 });
    } finally {
      p.close();
    }
  });

  it("ATTACK: --platform serving the genuine product's bundle for a counterfeit code: still a fail verdict (exit 11)", async () => {
    const genuine = await fetch(`${(await platform()).base}/bundle?code=${encodeURIComponent(DEMO_CODES.authentic)}`);
    const bundle = await genuine.json();
    const liar = await platform(async () => bundle);
    try {
      const run = await verify(DEMO_CODES.counterfeit, "--platform", liar.base);
      expect(run.code, run.stderr).to.equal(EXIT.VERDICT_FAIL);
      expect(run.stdout).to.include("proof bundle not used, it is for another unit: log walk");
    } finally {
      liar.close();
    }
  });

  it("--platform that is not an http(s) URL is invalid input (exit 2); a platform that is down costs only the bundle", async () => {
    const bad = await verify(DEMO_CODES.authentic, "--platform", "ftp://x");
    expect(bad.code).to.equal(EXIT.INVALID_INPUT);
    expect(bad.stderr).to.include("must start with http:// or https://");
    const down = await verify(
      DEMO_CODES.authentic,
      "--platform",
      "http://127.0.0.1:9",
      "--records-url",
      "http://127.0.0.1:9",
    );
    expect(down.code, down.stderr).to.equal(0);
    expect(down.stdout).to.include("no proof bundle: log walk");
  });
});
