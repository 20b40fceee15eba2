/**
 * Chain reorganizations by the node's own command: anvil (a separate process, real JSON-RPC over HTTP)
 * replaces its newest blocks with `anvil_reorg(depth, [])`. A write waiting for its confirmations ends up
 * on the new chain exactly once; the verifier shows exactly what the canonical chain holds, never an entry
 * of a block the reorganization replaced.
 */
import { expect } from "chai";
import { isCoverageRun } from "../../helpers/coverage";
import { Wallet } from "ethers";
import type { Address, Hex } from "viem";
import type { TraceReader } from "../../../src/read/reader";
import { TraceWriter } from "../../../src/write/writer";
import { verifyUnit } from "../../../src/verify/verify";
import { STEPS } from "../../../src/codes";
import { GTIN, itemKey, pathOf, recordHash } from "../../helpers/ledger";
import { deployOnNode, freePort, nodeProvider, type NodeDeployment, nodeReader } from "../../helpers/localNode";
import { rpcCall, startAnvil, type AnvilNode } from "../../../src/node";
import { reportFigures } from "../../helpers/figures";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (n: number) => itemKey(n, "ANVILREORG") as Hex;
const hashOf = (label: string) => recordHash(label) as Hex;
const code = (n: number) => `(01)${GTIN}(10)ANVILREORG(21)S${n}`;

describe("faults: chain reorganizations by anvil's own command (anvil_reorg)", function () {
  this.timeout(120_000);
  let anvil: AnvilNode | undefined;
  let dep: NodeDeployment;
  let reader: TraceReader;
  const figures = {
    reorganizations: 0,
    "blocks replaced": 0,
    "entries shown from replaced blocks": 0,
    lost: 0,
    duplicated: 0,
  };

  const blockNumber = async () => Number(await rpcCall<string>(anvil!.url, "eth_blockNumber"));
  const blockHash = async (n: number) =>
    (await rpcCall<{ hash: string } | null>(anvil!.url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false]))?.hash;
  const reorg = async (depth: number) => {
    await rpcCall(anvil!.url, "anvil_reorg", [depth, []]);
    figures.reorganizations++;
    figures["blocks replaced"] += depth;
  };
  const writerAs = async (confirmations: number) =>
    TraceWriter.create({
      ledger: dep.ledger,
      signer: new Wallet(dep.members.exporter.privateKey, await nodeProvider(anvil!.url)),
      confirmations,
      pollIntervalMs: 50,
      receiptTimeoutMs: 5_000,
    });
  const event = (n: number, label: string) => ({
    unit: key(n),
    step: STEPS.STORING,
    disposition: 0,
    eventTime: 1_767_225_600,
    location: 6901234000004n,
    recordHash: hashOf(label),
  });

  before(async function () {
    if (isCoverageRun()) this.skip();
    anvil = await startAnvil({ port: await freePort(), silent: true });
    dep = await deployOnNode(anvil.url);
    reader = nodeReader(anvil.url, dep);
    const writer = await writerAs(1);
    await writer.register(
      [1, 2].map((n) => ({
        path: pathOf(key(n)),
        eventTime: 1_767_225_600,
        location: 0n,
        recordHash: hashOf(`reg${n}`),
      })),
    );
  });

  after(async () => {
    if (figures.reorganizations > 0) {
      reportFigures("reorg-anvil", "reorganizations (anvil_reorg on a separate node)", {
        reorganizations: figures.reorganizations,
        "blocks replaced": figures["blocks replaced"],
        "entries shown from replaced blocks": figures["entries shown from replaced blocks"],
        "events lost": figures.lost,
        "events duplicated": figures.duplicated,
      });
    }
    await anvil?.stop("SIGKILL");
  });

  it("a write waiting for 3 confirmations whose block is replaced lands on the new chain exactly once", async () => {
    const writer = await writerAs(3);
    const wanted = event(1, "anvil-confirmed");
    const before = await blockNumber();
    let settled = false;
    const pending = writer.record([wanted]).finally(() => (settled = true));
    while ((await blockNumber()) === before) await sleep(10);
    await sleep(300); // the writer has its receipt and waits for two more blocks
    expect(settled).to.equal(false);
    const replaced = await blockHash(before + 1);
    await reorg(1);
    expect(await blockHash(before + 1)).to.not.equal(replaced);
    const miner = (async () => {
      while (!settled) {
        await rpcCall(anvil!.url, "evm_mine");
        await sleep(50);
      }
    })();
    const result = await pending;
    await miner;

    const sent = result.transactions[0];
    expect(sent.receipt.blockHash).to.equal(await blockHash(sent.blockNumber));
    expect(sent.receipt.blockHash).to.not.equal(replaced);
    const history = await reader.history(key(1) as Hex);
    expect(history.intact).to.equal(true);
    const copies = history.entries.filter((e) => e.data === wanted.recordHash).length;
    figures.lost += copies === 0 ? 1 : 0;
    figures.duplicated += Math.max(0, copies - 1);
    expect(copies).to.equal(1);
  });

  it("after a reorganization the verifier shows exactly the canonical history, nothing from replaced blocks", async () => {
    const writer = await writerAs(1);
    await writer.record([event(2, "anvil-maybe-dropped")]);
    const ledger = { address: dep.ledger as Address, chainId: dep.chainId };
    const shown = await verifyUnit(code(2), { client: reader.client, ledger });
    expect(shown.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING"]);
    const top = await blockNumber();
    const replaced = new Set([await blockHash(top), await blockHash(top - 1)]);
    await reorg(2);
    await rpcCall(anvil!.url, "evm_mine");

    const after = await verifyUnit(code(2), { client: reader.client, ledger });
    const canonical = await reader.history(key(2) as Hex);
    expect(canonical.intact).to.equal(true);
    expect(after.reasons.map((r) => r.code)).to.not.include("HISTORY_MISMATCH");
    // Whatever the node kept or dropped, the report is the canonical history, entry for entry.
    expect(after.entries.map((e) => [e.data, e.blockHash])).to.deep.equal(
      canonical.entries.map((e) => [e.data, e.blockHash]),
    );
    // anvil_reorg drops the replaced blocks' transactions: the event is gone, and so is it from the report.
    expect(after.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING"]);
    const fromReplaced = after.entries.filter((e) => replaced.has(e.blockHash)).length;
    figures["entries shown from replaced blocks"] += fromReplaced;
    expect(fromReplaced).to.equal(0);
  });
});
