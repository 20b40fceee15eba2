/**
 * A seller's first hour with `trace`, the slips a newcomer makes: history and export of a code nobody
 * registered (exit 3, "not registered"), import rows without a time for registrations, a row the ledger
 * refuses named by its row number and code, and output that names units by their code and organizations by
 * their name.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { isCoverageRun } from "../helpers/coverage";
import { GTIN, RIVAL_GTIN, type MemberName } from "../helpers/ledger";
import { IMPORT_HEADER, isoAt } from "../helpers/importRows";
import { startDeployedNode, runTrace, type DeployedNode, type TraceRun } from "../helpers/localNode";
import { parseGs1 } from "../../src/gs1";
import { EXIT } from "../../src/cli/exitCodes";

const item = (n: number) => `(01)${GTIN}(10)HOUR(21)${n}`;

describe("trace: a seller's first hour (against a hardhat node)", function () {
  this.timeout(180_000);

  let setup: DeployedNode | undefined;

  before(async function () {
    if (isCoverageRun()) this.skip();
    setup = await startDeployedNode("cbec-trace-hour-");
  });

  after(async () => {
    await setup?.stop();
  });

  const trace = (as: MemberName | undefined, args: string[]): Promise<TraceRun> =>
    runTrace(["--manifest", setup!.dep.manifestPath, "--records-dir", setup!.recordsDir, ...args], {
      ...(as ? { privateKey: setup!.dep.members[as].privateKey } : {}),
      env: { TRACE_RPC_URL: setup!.node.rpcUrl },
    });
  const expectExit = (run: TraceRun, code: number) =>
    expect(run.code, `expected exit ${code}:\n${run.stderr}\n${run.stdout}`).to.equal(code);

  it("history and export-epcis of an unregistered code exit 3 saying it is not registered", async () => {
    const code = item(404);
    const [history, exported, json] = await Promise.all([
      trace(undefined, ["history", code]),
      trace(undefined, ["export-epcis", code, "--out", join(setup!.work, "none.json")]),
      trace(undefined, ["--json", "history", code]),
    ]);
    for (const run of [history, exported]) {
      expectExit(run, EXIT.REFUSED);
      expect(run.stderr).to.include(`error: ${code} is not registered on this ledger`);
      expect(run.stderr).not.to.include("wrote 0 events");
    }
    expectExit(json, EXIT.REFUSED);
    expect((JSON.parse(json.stderr) as { error: { name: string } }).error.name).to.equal("UnitNotRegisteredError");
  });

  it("import: register rows need no time; a refused row is named by its row number and code", async () => {
    // Another brand registers a unit of its own (its prefix: nobody else may register under it), which the
    // exporter has nothing to do with.
    const foreign = `(01)${RIVAL_GTIN}(10)HOUR(21)900`;
    expectExit(await trace("rival", ["register", foreign]), EXIT.OK);

    const good = join(setup!.work, "first.csv");
    writeFileSync(good, [IMPORT_HEADER, `register,${item(1)},,,,,,`, `register,${item(2)},,,,,,`].join("\n") + "\n");
    const imported = await trace("exporter", ["--json", "import", good]);
    expectExit(imported, EXIT.OK);
    expect(JSON.parse(imported.stdout)).to.include({ rows: 2, registered: 2 });
    // A rerun skips them, although their records (time: now) differ.
    const again = await trace("exporter", ["--json", "import", good]);
    expectExit(again, EXIT.OK);
    expect(JSON.parse(again.stdout)).to.include({ registered: 0, skipped: 2 });

    // A record row still needs its time (a rerun must rebuild the same record).
    const timeless = join(setup!.work, "timeless.csv");
    writeFileSync(timeless, [IMPORT_HEADER, `record,${item(1)},storing,,,,,`].join("\n") + "\n");
    const refusedInput = await trace("exporter", ["import", timeless]);
    expectExit(refusedInput, EXIT.INVALID_INPUT);
    expect(refusedInput.stderr).to.include('row 2: "time" is required');

    // Row 3 is out of the exporter's scope: in a batch (rows 2 and 3), and alone (row 2).
    const batch = join(setup!.work, "scope.csv");
    writeFileSync(
      batch,
      [IMPORT_HEADER, `record,${item(1)},storing,${isoAt(1)},,,,`, `record,${foreign},storing,${isoAt(2)},,,,`].join(
        "\n",
      ) + "\n",
    );
    const single = join(setup!.work, "single.csv");
    writeFileSync(single, [IMPORT_HEADER, `record,${foreign},storing,${isoAt(3)},,,,`].join("\n") + "\n");
    const [inBatch, alone] = await Promise.all([
      trace("exporter", ["import", batch]),
      trace("exporter", ["import", single]),
    ]);
    expectExit(inBatch, EXIT.REFUSED);
    expect(inBatch.stderr).to.include(`error: ${batch} row 3 (${foreign}) was refused by the ledger:`);
    expectExit(alone, EXIT.REFUSED);
    expect(alone.stderr).to.include(`error: ${single} row 2 (${foreign}) was refused by the ledger:`);
    expect((await setup!.reader.unitState(parseGs1(foreign).key)).seq).to.equal(1);
  });

  it("history and state name the unit by its code as given and organizations by their names", async () => {
    const code = item(1); // registered by the exporter's import above
    const [history, state, json] = await Promise.all([
      trace(undefined, ["history", code]),
      trace(undefined, ["state", code]),
      trace(undefined, ["--json", "history", code]),
    ]);
    expectExit(history, EXIT.OK);
    expect(history.stdout).to.match(new RegExp(`^${code.replace(/[()]/g, "\\$&")}: 1 entries`));
    expect(history.stdout).to.include("COMMISSIONING");
    expect(history.stdout).to.include("exporter org (org 1)");
    expectExit(state, EXIT.OK);
    expect(state.stdout).to.include(code);
    expect(state.stdout).to.include("registrant exporter org (org 1), custodian exporter org (org 1)");
    expect((JSON.parse(json.stdout) as { entries: Array<{ orgName: string }> }).entries[0].orgName).to.equal(
      "exporter org",
    );
  });
});
