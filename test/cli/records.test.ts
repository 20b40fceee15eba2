/**
 * A seller's records reach the buyer: after a write the CLI publishes its records to the platform
 * (TRACE_PLATFORM_URL), whose store keeps them because their hashes are on chain, and the buyer's verdict
 * checks them. With the platform down the write still stands, the CLI says so (exit 5) and keeps the
 * records, and `trace records publish` sends them later; records of writes that never happened are refused.
 */
import { expect } from "chai";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { isCoverageRun } from "../helpers/coverage";
import { GTIN } from "../helpers/ledger";
import { startDeployedNode, runTrace, freePort, type DeployedNode, type TraceRun } from "../helpers/localNode";
import { createTraceServer, type TraceServer } from "../../src/server/server";
import { storeFetcher } from "../../src/server/records";
import { verifyUnit } from "../../src/verify/verify";
import { readManifestFile } from "../../src/config/files";
import { EXIT } from "../../src/cli/exitCodes";

const item = (n: number) => `(01)${GTIN}(10)PUBL(21)${n}`;

describe("trace: records published to the platform after each write", function () {
  this.timeout(240_000);
  let setup: DeployedNode | undefined;
  let server: TraceServer;
  let platform = "";
  let platformRecords = "";

  before(async function () {
    if (isCoverageRun()) this.skip();
    setup = await startDeployedNode("cbec-trace-publish-");
    platformRecords = join(setup.work, "platform-records");
    server = createTraceServer({
      pageDir: setup.work,
      recordsDir: platformRecords,
      manifest: readManifestFile(setup.dep.manifestPath),
      nodeUrl: setup.node.rpcUrl,
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    platform = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await setup?.stop();
  });

  const trace = (args: string[], platformUrl?: string): Promise<TraceRun> =>
    runTrace(["--manifest", setup!.dep.manifestPath, "--records-dir", setup!.recordsDir, ...args], {
      privateKey: setup!.dep.members.exporter.privateKey,
      env: { TRACE_RPC_URL: setup!.node.rpcUrl, ...(platformUrl ? { TRACE_PLATFORM_URL: platformUrl } : {}) },
    });
  const expectExit = (run: TraceRun, code: number) =>
    expect(run.code, `expected exit ${code}:\n${run.stderr}\n${run.stdout}`).to.equal(code);
  const stored = () =>
    existsSync(platformRecords) ? readdirSync(platformRecords).filter((f) => f.endsWith(".json")) : [];
  const verdictOf = async (code: string) => {
    const client = createPublicClient({ transport: http(setup!.node.rpcUrl) }) as PublicClient;
    return verifyUnit(code, {
      client,
      ledger: {
        address: setup!.dep.ledger as Hex,
        chainId: setup!.dep.chainId,
        deploymentBlock: BigInt(setup!.dep.deploymentBlock),
      },
      fetchRecord: storeFetcher(platformRecords),
    });
  };

  it("register and record publish their records; the buyer's verdict finds every one", async () => {
    const reg = await trace(["register", item(1)], platform);
    expectExit(reg, EXIT.OK);
    expect(reg.stderr).to.include(`published 1 of 1 record(s) to ${platform}/records/`);
    const rec = await trace(["record", item(1), "--step", "inspecting", "--disposition", "conformant"], platform);
    expectExit(rec, EXIT.OK);
    expect(stored()).to.have.length(2);
    const report = await verdictOf(item(1));
    expect(report.entries.map((e) => e.recordMatches)).to.deep.equal([true, true]);
    expect(report.reasons.map((r) => r.code)).to.not.include("RECORD_UNAVAILABLE");
  });

  it("without TRACE_PLATFORM_URL the records stay local and the CLI says how to publish them", async () => {
    const run = await trace(["register", item(2)]);
    expectExit(run, EXIT.OK);
    expect(run.stderr).to.include("1 record(s) kept in");
    expect(run.stderr).to.include("set TRACE_PLATFORM_URL");
    expect((await verdictOf(item(2))).reasons.map((r) => r.code)).to.include("RECORD_UNAVAILABLE");
  });

  it("a platform that is down: the write stands, exit 5 with a warning; `trace records publish` sends them later", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const run = await trace(["register", item(3)], down);
    expectExit(run, EXIT.PARTIAL);
    expect(run.stderr).to.include("the write is on chain, but its records were not published");
    expect(run.stderr).to.include("trace records publish");
    const history = await trace(["history", item(3), "--json"]);
    expectExit(history, EXIT.OK);
    const before = stored().length;
    const publish = await trace(["records", "publish", "--json"], platform);
    expectExit(publish, EXIT.OK);
    const report = JSON.parse(publish.stdout) as { stored: string[]; present: string[]; refused: unknown[] };
    // item 2's and item 3's registrations are new; item 1's two records were there already.
    expect(report.stored).to.have.length(2);
    expect(report.present).to.have.length(2);
    expect(stored()).to.have.length(before + 2);
    expect((await verdictOf(item(3))).reasons.map((r) => r.code)).to.not.include("RECORD_UNAVAILABLE");
  });

  it("ATTACK: a record in the local store that was never written on chain is refused by the platform (exit 5)", async () => {
    const forged = {
      type: "ObjectEvent",
      action: "OBSERVE",
      bizStep: "inspecting",
      eventTime: "2026-11-04T09:00:00+08:00",
      eventTimeZoneOffset: "+08:00",
      epcList: [`https://id.gs1.org/01/${GTIN}/10/PUBL/21/1`],
    };
    const { recordHash } = await import("../../src/epcis");
    const hash = recordHash(forged);
    writeFileSync(join(setup!.recordsDir, `${hash}.json`), JSON.stringify(forged));
    const run = await trace(["records", "publish", hash], platform);
    expectExit(run, EXIT.PARTIAL);
    expect(run.stdout).to.include(`refused ${hash}: HTTP 409`);
    expect(stored()).to.not.include(`${hash}.json`);
  });

  it("bad input: no platform set, a malformed hash", async () => {
    expectExit(await trace(["records", "publish"]), EXIT.INVALID_INPUT);
    const bad = await trace(["records", "publish", "0x12"], platform);
    expectExit(bad, EXIT.INVALID_INPUT);
    expect(bad.stderr).to.include('"0x12" is not a record hash');
  });
});
