/**
 * Faults: a bulk `trace import` of 1,000 events (500 units registered, then one event each) through an RPC
 * fault proxy injecting faults into 20 % of the requests (dropped requests, delays, duplicates, JSON-RPC and
 * HTTP errors, responses lost after the node executed the request). The command is rerun until it exits 0,
 * as a resumable job would be; then the chain, read directly (not through the proxy), holds every event
 * exactly once.
 */
import { expect } from "chai";
import { isCoverageRun } from "../../helpers/coverage";
import { mapLimit } from "../../../src/write/mapLimit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import type { TraceReader } from "../../../src/read/reader";
import { parseGs1 } from "../../../src/gs1";
import {
  startLocalNode,
  deployOnNode,
  runTrace,
  type LocalNode,
  type NodeDeployment,
  nodeReader,
} from "../../helpers/localNode";
import { lostAndDuplicated, startFaultProxy, type FaultProxy } from "../../helpers/faultProxy";
import { importItem, writeRegisterAndStoreFile } from "../../helpers/importRows";
import { reportFigures } from "../../helpers/figures";

describe("faults: bulk import through an RPC fault proxy (20 % faults)", function () {
  this.timeout(420_000);
  const UNITS = 500;
  const SEED = Number(process.env.FAULT_SEED ?? 20260601);

  let node: LocalNode | undefined;
  let proxy: FaultProxy | undefined;
  let dep: NodeDeployment;
  let reader: TraceReader;
  let work: string;

  before(async function () {
    if (isCoverageRun()) this.skip();
    node = await startLocalNode();
    dep = await deployOnNode(node.rpcUrl);
    proxy = await startFaultProxy(node.rpcUrl, { rate: 0.2, seed: SEED });
    reader = nodeReader(node.rpcUrl, dep);
    work = mkdtempSync(join(tmpdir(), "cbec-trace-faults-"));
  });

  after(async () => {
    await proxy?.close();
    await node?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    if (dep?.dir) rmSync(dep.dir, { recursive: true, force: true });
  });

  it("records 1,000 events exactly once despite dropped, delayed, duplicated, failed and lost requests", async () => {
    const file = writeRegisterAndStoreFile(work, "FLT", UNITS);

    const started = Date.now();
    const MAX_ATTEMPTS = 40;
    let attempts = 0;
    let last = "";
    const runs: string[] = [];
    const reasons: string[] = [];
    const firstLine = (stderr: string) => {
      try {
        return (JSON.parse(stderr) as { error: { message: string } }).error.message.slice(0, 120);
      } catch {
        return stderr.split("\n")[0].slice(0, 120);
      }
    };
    for (;;) {
      attempts++;
      const t0 = Date.now();
      const run = await runTrace(
        [
          "--manifest",
          dep.manifestPath,
          "--rpc",
          proxy!.url,
          "--records-dir",
          join(work, "records"),
          "--json",
          "import",
          file,
          "--chunk",
          "100",
        ],
        { privateKey: dep.members.exporter.privateKey, timeoutMs: 120_000 },
      );
      runs.push(
        `#${attempts} exit ${run.code}${run.signal ? ` ${run.signal}` : ""} ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      if (run.code === 0) break;
      last = `exit ${run.code} signal ${run.signal}: ${run.stderr.slice(-600)}`;
      reasons.push(firstLine(run.stderr));
      if (attempts >= MAX_ATTEMPTS)
        throw new Error(`import did not complete in ${MAX_ATTEMPTS} attempts; last: ${last}`);
    }
    const seconds = (Date.now() - started) / 1000;

    const keys = Array.from({ length: UNITS }, (_, i) => parseGs1(importItem("FLT", i + 1)).key as Hex);
    const histories = await mapLimit(keys, 16, (k) => reader.history(k));
    for (const h of histories) {
      expect(h.intact, `history of ${h.state.unit} is not intact`).to.equal(true);
      expect(h.entries.map((e) => e.seq)).to.deep.equal(h.entries.map((_, i) => i + 1));
      expect(h.entries.length).to.equal(h.state.seq);
    }
    const { lost, duplicated } = lostAndDuplicated(histories, ["COMMISSIONING", "STORING"]);
    const events = histories.reduce((a, h) => a + h.entries.length, 0);
    reportFigures("faults-cli", "faults (CLI trace import, 20 % of requests)", {
      "events imported": 2 * UNITS,
      "faults injected": proxy!.injected(),
      requests: proxy!.requests,
      kinds: `(${proxy!.summary()})`,
      "events on chain": events,
      "events lost": lost,
      "events duplicated": duplicated,
      "import runs": attempts,
      seconds: seconds.toFixed(1),
      seed: SEED,
    });
    if (attempts > 1) console.log(`      runs: ${runs.join("; ")}`);
    if (reasons.length) console.log(`      failed runs ended with: ${[...new Set(reasons)].join(" | ")}`);
    expect(proxy!.injected()).to.be.greaterThan(0);
    expect(lost).to.equal(0);
    expect(duplicated).to.equal(0);
    expect(events).to.equal(2 * UNITS);
    histories.forEach((h) => expect(h.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING"]));
  });
});
