/**
 * `startIndexer` (what `trace index` and `npm start` run) on the in-process Hardhat network with PGlite in
 * a data directory: `once` catches up and reports what it indexed; a second start on the same directory
 * resumes from the cursor, follows the head (a new entry shows up without a call), and stops cleanly. And
 * the `trace index --once` command itself, built the way `src/cli/index.ts` registers commands.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { ethers } from "hardhat";
import { Command } from "commander";
import type { Address, Hex } from "viem";
import { STEPS } from "../../src/codes";
import { startIndexer } from "../../src/indexer/start";
import { unitByKey, unitEntries } from "../../src/indexer/queries";
import { readHistory } from "../../src/read/history";
import { addIndexCommand, summaryLine } from "../../src/cli/commands/index";
import { deployLedger, itemKey, recordHash, registration, type LedgerFixture } from "../helpers/ledger";
import { hardhatClient } from "../helpers/sdk";

describe("index: startIndexer and trace index", function () {
  this.timeout(120_000);
  const client = hardhatClient();
  let f: LedgerFixture;
  let ledger: { address: Address; chainId: number; deploymentBlock: bigint };
  let dataDir: string;
  const key = itemKey(1, "IDXSTART") as Hex;

  before(async () => {
    const start = BigInt(await ethers.provider.getBlockNumber());
    f = await deployLedger();
    ledger = { address: (await f.ledger.getAddress()) as Address, chainId: 31337, deploymentBlock: start + 1n };
    await (await f.ledger.connect(f.accounts.exporter).register(registration(key, "start-reg"))).wait();
    dataDir = mkdtempSync(join(tmpdir(), "cbec-index-data-"));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("once: catches up, reports it, and a restart on the same data directory resumes, follows and stops", async () => {
    const first = await startIndexer({ client, ledger, dataDir, once: true });
    const summary = await first.ready;
    await first.done;
    expect(summary.cursor).to.equal(BigInt(await ethers.provider.getBlockNumber()));
    expect(summary.entries).to.equal(1);
    expect(summary.units).to.equal(1);
    expect(summaryLine(summary)).to.match(/^indexed \d+ blocks, 1 entries, 1 units in \d+\.\d s \(cursor \d+\)$/);
    await first.stop();

    const second = await startIndexer({ client, ledger, dataDir, pollIntervalMs: 20 });
    const resumed = await second.ready;
    expect([resumed.blocks, resumed.entries]).to.deep.equal([0n, 0]);
    expect((await unitByKey(second.db, key))?.seq).to.equal(1);
    await (
      await f.ledger.connect(f.accounts.exporter).record({
        unit: key,
        step: STEPS.STORING,
        disposition: 0,
        eventTime: 1_767_225_600,
        location: 0n,
        recordHash: recordHash("start-followed"),
      })
    ).wait();
    const deadline = Date.now() + 10_000;
    while ((await unitByKey(second.db, key))?.seq !== 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const history = await readHistory(client, ledger, key);
    expect((await unitEntries(second.db, key)).items).to.deep.equal(history.entries);
    await second.stop();
    await second.done;
  });

  it("trace index --once --json prints the catch-up summary", async () => {
    const { createContext } = await import("../../src/cli/context");
    const { createOutput } = await import("../../src/cli/output");
    const lines: string[] = [];
    const run = (json: boolean) =>
      ((fn: (ctx: never, ...a: never[]) => Promise<void>) =>
        async (...args: unknown[]) => {
          const command = args[args.length - 1] as Command;
          const out = createOutput(
            json,
            { write: (t: string) => lines.push(t) } as never,
            { write: () => true } as never,
          );
          const ctx = createContext(command.optsWithGlobals(), out);
          // The in-process network has no URL: the command reads through the test's client.
          const reader = { client, ledger };
          Object.assign(ctx, { reader: async () => reader });
          await (fn as (c: unknown, ...a: unknown[]) => Promise<void>)(ctx, ...args.slice(0, -1));
        }) as never;
    const dir = mkdtempSync(join(tmpdir(), "cbec-index-cli-"));
    try {
      const program = new Command("trace").option("--json").exitOverride();
      addIndexCommand(program, run(true));
      await program.parseAsync(["index", "--once", "--data-dir", dir, "--json"], { from: "user" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(lines).to.have.length(1);
    const parsed = JSON.parse(lines[0]);
    expect([parsed.entries, parsed.units, parsed.cursor]).to.deep.equal([
      2,
      1,
      String(await ethers.provider.getBlockNumber()),
    ]);
  });
});
