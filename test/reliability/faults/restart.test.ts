/**
 * Faults: the node restarts in the middle of an import. Anvil runs with a state file (`--state`, dumped every
 * second and on exit); a `trace import` of 600 events is started, the node is stopped with SIGINT once about a
 * third of the units are registered, restarted from the same state file on the same port, and the import is
 * rerun until it exits 0. Every event is then on chain exactly once.
 */
import { expect } from "chai";
import { isCoverageRun } from "../../helpers/coverage";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import type { TraceReader } from "../../../src/read/reader";
import { parseGs1 } from "../../../src/gs1";
import {
  deployOnNode,
  freePort,
  runTrace,
  spawnTrace,
  type NodeDeployment,
  type TraceRun,
  nodeReader,
} from "../../helpers/localNode";
import { lostAndDuplicated } from "../../helpers/faultProxy";
import { importItem, writeRegisterAndStoreFile } from "../../helpers/importRows";
import { reportFigures } from "../../helpers/figures";
import { startAnvil, type AnvilNode } from "../../../src/node";

describe("faults: node restart in the middle of an import (anvil with a state file)", function () {
  this.timeout(300_000);
  const UNITS = 300;

  let anvil: AnvilNode | undefined;
  let dep: NodeDeployment;
  let work: string;

  before(async function () {
    if (isCoverageRun()) this.skip();
    work = mkdtempSync(join(tmpdir(), "cbec-trace-restart-"));
  });

  after(async () => {
    await anvil?.stop("SIGKILL");
    if (work) rmSync(work, { recursive: true, force: true });
    if (dep?.dir) rmSync(dep.dir, { recursive: true, force: true });
  });

  it("resumes after the node is stopped and restarted from its state: nothing lost, nothing doubled", async () => {
    const port = await freePort();
    const stateFile = join(work, "state.json");
    const node = { port, stateFile, preserveHistoricalStates: true, silent: true };
    anvil = await startAnvil(node);
    dep = await deployOnNode(anvil.url);
    const readerFor = (): TraceReader => nodeReader(anvil!.url, dep);

    const file = writeRegisterAndStoreFile(work, "RST", UNITS);
    const keys = Array.from({ length: UNITS }, (_, i) => parseGs1(importItem("RST", i + 1)).key as Hex);
    const args = [
      "--manifest",
      dep.manifestPath,
      "--rpc",
      anvil.url,
      "--records-dir",
      join(work, "records"),
      "--json",
      "import",
      file,
      "--chunk",
      "10",
    ];
    const as = { privateKey: dep.members.exporter.privateKey, timeoutMs: 120_000 };

    // Start the import; stop the node once a third of the units are registered.
    // The first run is stopped after 45 s if the outage left it waiting (since the pipelined writer it waits
    // out its receipt timeouts instead of resyncing: a known slowness, noted for issue 16); reruns finish it.
    const first = spawnTrace(args, { ...as, timeoutMs: 45_000 });
    let firstRun: TraceRun | undefined;
    void first.done.then((r) => (firstRun = r));
    const reader = readerFor();
    const mark = keys[Math.ceil(UNITS / 3) - 1];
    const deadline = Date.now() + 90_000;
    while (!firstRun && !(await reader.unitState(mark)).registered) {
      if (Date.now() > deadline) throw new Error("the import did not register a third of the units within 90 s");
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(firstRun, "the import finished before the node could be stopped").to.equal(undefined);
    await anvil.stop("SIGINT");
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1_500));
    anvil = await startAnvil(node);
    const downMs = Date.now() - stoppedAt;

    // The first run either rides over the outage (its sends are retried) or fails; rerun until it exits 0.
    const firstResult = await first.done;
    let attempts = 1;
    let result = firstResult;
    while (result.code !== 0) {
      if (attempts >= 10) throw new Error(`import did not complete: ${result.stderr.slice(-600)}`);
      attempts++;
      result = await runTrace(args, as);
    }

    const after = readerFor();
    const histories = await Promise.all(keys.map((k) => after.history(k)));
    for (const h of histories) {
      expect(h.intact, `history of ${h.state.unit} is not intact`).to.equal(true);
      expect(h.entries.map((e) => e.seq)).to.deep.equal(h.entries.map((_, i) => i + 1));
      expect(h.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING"]);
    }
    const { lost, duplicated } = lostAndDuplicated(histories, ["COMMISSIONING", "STORING"]);
    reportFigures("restart", "node restart in the middle of a CLI import", {
      "events imported": histories.reduce((a, h) => a + h.entries.length, 0),
      "node down ms": downMs,
      "first run exit": firstResult.code ?? "signal",
      "import runs": attempts,
      "events lost": lost,
      "events duplicated": duplicated,
    });
    expect(lost).to.equal(0);
    expect(duplicated).to.equal(0);
  });
});
