/**
 * `trace import` end to end against a hardhat node: a 2,000-row CSV import killed with SIGKILL part-way and
 * rerun to completion records every row exactly once; JSON import files; an invalid row stops the import
 * before anything is sent.
 */
import { expect } from "chai";
import { isCoverageRun } from "../helpers/coverage";
import { mapLimit } from "../../src/write/mapLimit";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import type { TraceLedger } from "../../typechain-types";
import type { TraceReader } from "../../src/read/reader";
import type { UnitHistory } from "../../src/read/types";
import { parseGs1 } from "../../src/gs1";
import { EXIT } from "../../src/cli/exitCodes";
import { GTIN, MEMBER_NAMES } from "../helpers/ledger";
import {
  startDeployedNode,
  runTrace,
  spawnTrace,
  type DeployedNode,
  type NodeDeployment,
  type TraceRun,
} from "../helpers/localNode";
import { IMPORT_HEADER, importItem, isoAt, unixAt, writeRegisterAndStoreFile } from "../helpers/importRows";

const keyOf = (code: string) => parseGs1(code).key as Hex;

interface ImportSummary {
  rows: number;
  registered: number;
  recorded: number;
  skipped: number;
  transactions: number;
  seconds: number;
}

/** Runs `fn` over `items` with at most `limit` in flight. */

describe("trace import end to end (resumable, against a hardhat node)", function () {
  this.timeout(240_000);

  let setup: DeployedNode | undefined;
  let dep: NodeDeployment;
  let ledger: TraceLedger;
  let reader: TraceReader;
  let work: string;
  let recordsDir: string;

  before(async function () {
    if (isCoverageRun()) this.skip();
    setup = await startDeployedNode("cbec-trace-import-");
    ({ dep, ledger, reader, work, recordsDir } = setup);
  });

  after(async () => {
    await setup?.stop();
  });

  const importArgs = (file: string, ...more: string[]) => [
    "--manifest",
    dep.manifestPath,
    "--records-dir",
    recordsDir,
    "--json",
    "import",
    file,
    ...more,
  ];
  const asExporter = () => ({
    privateKey: dep.members.exporter.privateKey,
    env: { TRACE_RPC_URL: setup!.node.rpcUrl },
  });

  function ok<T>(run: TraceRun): T {
    expect(run.code, `trace import failed (exit ${run.code}, signal ${run.signal}):\n${run.stderr}`).to.equal(EXIT.OK);
    return JSON.parse(run.stdout) as T;
  }

  async function chainMark() {
    return {
      block: await setup!.provider.getBlockNumber(),
      nonces: await Promise.all(MEMBER_NAMES.map((m) => setup!.provider.getTransactionCount(dep.members[m].address))),
    };
  }

  /** Asserts a unit's history: intact, seq 1..n, and no (step, record hash) twice. */
  function expectExactlyOnce(h: UnitHistory) {
    expect(h.intact, `history of ${h.state.unit} is not intact`).to.equal(true);
    expect(h.entries.map((e) => e.seq)).to.deep.equal(h.entries.map((_, i) => i + 1));
    expect(h.entries.length).to.equal(h.state.seq);
    const ids = h.entries.map((e) => `${e.step}:${e.data}`);
    expect(new Set(ids).size, `a (step, record hash) repeats in ${h.state.unit}`).to.equal(ids.length);
  }

  it("imports 2,000 CSV rows, killed with SIGKILL part-way, and a rerun records every row exactly once", async () => {
    const UNITS = 1000;
    const file = writeRegisterAndStoreFile(work, "IMP", UNITS);
    const keys = Array.from({ length: UNITS }, (_, i) => keyOf(importItem("IMP", i + 1)));

    // First run: small chunks (one transaction each), killed once at least 30 % of the units are registered.
    const first = spawnTrace(importArgs(file, "--chunk", "50"), asExporter());
    let exitedEarly: TraceRun | undefined;
    void first.done.then((r) => (exitedEarly = r));
    const mark = keys[Math.ceil(UNITS * 0.3) - 1];
    const deadline = Date.now() + 90_000;
    while (!exitedEarly && (await ledger.unitState(mark)).seq === 0n) {
      if (Date.now() > deadline) {
        first.child.kill("SIGKILL");
        throw new Error("the first import run did not register 30 % of the units within 90 s");
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(exitedEarly, `the import ended before it could be interrupted:\n${exitedEarly?.stderr}`).to.equal(undefined);
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).to.equal("SIGKILL");
    // It really was interrupted: the last unit's event (the last row) is not on chain.
    expect((await ledger.unitState(keys[UNITS - 1])).seq).to.be.lessThan(2n);

    // Second run: resumes, skipping what the first one wrote.
    const second = ok<ImportSummary>(await runTrace(importArgs(file, "--chunk", "200"), asExporter()));
    expect(second.rows).to.equal(2 * UNITS);
    expect(second.skipped).to.be.greaterThan(0);
    expect(second.registered + second.recorded + second.skipped).to.equal(2 * UNITS);
    expect(second.registered).to.be.lessThan(UNITS);
    expect(second.recorded).to.be.greaterThan(0);

    // Every unit registered once, every event once, each the row's own.
    const histories = await mapLimit(keys, 16, (k) => reader.history(k));
    histories.forEach((h, i) => {
      expectExactlyOnce(h);
      expect(h.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING"]);
      expect(h.entries[0].eventTime).to.equal(unixAt(i + 1));
      expect(h.entries[1].eventTime).to.equal(unixAt(100_000 + i + 1));
      expect(h.entries[0].org).to.equal(dep.members.exporter.orgId);
    });

    // A third run has nothing left to do.
    const before = await chainMark();
    const third = ok<ImportSummary>(await runTrace(importArgs(file), asExporter()));
    expect(third).to.include({ registered: 0, recorded: 0, skipped: 2 * UNITS, transactions: 0 });
    expect(await chainMark()).to.deep.equal(before);
  });

  it("imports a JSON file of rows, with business documents and reasons", async () => {
    const rows = [
      ...[1, 2, 3].map((n) => ({ action: "register", code: importItem("JSN", n), time: isoAt(n) })),
      ...[1, 2, 3].map((n) => ({
        action: "record",
        code: importItem("JSN", n),
        step: "inspecting",
        time: isoAt(1000 + n),
        disposition: "conformant",
        location: "6901234000009",
        biz_tx: `inventory:53162026000001234${n};order:SO-${n}`,
        reason: "sample check",
      })),
      { action: "record", code: importItem("JSN", 1), step: "storing", time: isoAt(2000) },
    ];
    const file = join(work, "rows.json");
    writeFileSync(file, JSON.stringify(rows, null, 2));
    const summary = ok<ImportSummary>(await runTrace(importArgs(file), asExporter()));
    expect(summary).to.include({ rows: 7, registered: 3, recorded: 4, skipped: 0 });
    const h1 = await reader.history(keyOf(importItem("JSN", 1)));
    expectExactlyOnce(h1);
    expect(h1.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "INSPECTING", "STORING"]);
    const h3 = await reader.history(keyOf(importItem("JSN", 3)));
    expectExactlyOnce(h3);
    expect(h3.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "INSPECTING"]);

    const again = ok<ImportSummary>(await runTrace(importArgs(file), asExporter()));
    expect(again).to.include({ registered: 0, recorded: 0, skipped: 7 });
  });

  it("stops at an invalid row (bad check digit in row 7) with exit 2 and sends nothing", async () => {
    const badGtin = GTIN.slice(0, 13) + String((Number(GTIN[13]) + 1) % 10);
    // Line 1 is the header, so "row 7" is the sixth data line.
    const lines = [IMPORT_HEADER];
    for (let n = 1; n <= 10; n++) {
      const code = lines.length + 1 === 7 ? `(01)${badGtin}(10)BAD(21)${n}` : importItem("BAD", n);
      lines.push(`register,${code},,${isoAt(n)},,,,`);
    }
    const file = join(work, "bad.csv");
    writeFileSync(file, lines.join("\n") + "\n");
    const before = await chainMark();
    const run = await runTrace(importArgs(file), asExporter());
    expect(run.code, run.stderr).to.equal(EXIT.INVALID_INPUT);
    expect(run.stdout).to.equal("");
    const error = JSON.parse(run.stderr) as { error: { message: string } };
    expect(error.error.message).to.include("row 7");
    expect(error.error.message).to.include(badGtin);
    expect(error.error.message).to.match(/check digit/);
    expect(await chainMark()).to.deep.equal(before);
    for (const n of [1, 5, 7, 10]) expect((await ledger.unitState(keyOf(importItem("BAD", n)))).seq).to.equal(0n);

    // The same mistake in a JSON file names the row too (array index + 1).
    const json = join(work, "bad.json");
    writeFileSync(
      json,
      JSON.stringify([
        { action: "register", code: importItem("BAD", 1), time: isoAt(1) },
        { action: "record", code: importItem("BAD", 1), step: "teleporting", time: isoAt(2) },
      ]),
    );
    const unknownStep = await runTrace(importArgs(json), asExporter());
    expect(unknownStep.code).to.equal(EXIT.INVALID_INPUT);
    const unknown = JSON.parse(unknownStep.stderr) as { error: { message: string } };
    expect(unknown.error.message).to.match(/bad\.json row 2: Unknown step "teleporting"/);
    expect(await chainMark()).to.deep.equal(before);
  });
});
