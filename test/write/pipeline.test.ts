/**
 * The pipelined writer on a real node: anvil mining a block every second, so several transactions of one
 * key are pending at once. The writer talks to it through a provider whose JSON-RPC requests a test can
 * intercept (drop a broadcast, lie to a pre-flight, crash mid-window). Each test reads the outcome back
 * from the chain directly.
 */
import { expect } from "chai";
import { JsonRpcProvider, Network, Wallet, keccak256 } from "ethers";
import type { Address, Hex } from "viem";
import { isCoverageRun } from "../helpers/coverage";
import { itemKey, pathOf, recordHash } from "../helpers/ledger";
import { deployOnNode, freePort, nodeReader, type NodeDeployment } from "../helpers/localNode";
import { lostAndDuplicated } from "../helpers/faultProxy";
import { startAnvil, type AnvilNode } from "../../src/node";
import { TraceWriter } from "../../src/write/writer";
import { PartialWriteError } from "../../src/write/pipeline";
import { unrecorded } from "../../src/write/resume";
import { BatchItemRejectedError, UnitNotRegisteredError } from "../../src/errors/contract";
import type { TraceReader } from "../../src/read/reader";
import type { TraceInput } from "../../src/write/types";
import { STEPS } from "../../src/codes";
import { TransactionError } from "../../src/errors/base";

type Intercept = (method: string, params: unknown[], forward: () => Promise<unknown>) => Promise<unknown>;

/** A provider whose every JSON-RPC request goes through `intercept` first. */
class InterceptedProvider extends JsonRpcProvider {
  intercept: Intercept = (_m, _p, forward) => forward();
  override send(method: string, params: unknown[]): Promise<unknown> {
    return this.intercept(method, params, () => super.send(method, params));
  }
}

describe("SDK pipeline: several transactions of one key in flight (anvil, 1 s blocks)", function () {
  this.timeout(180_000);
  let anvil: AnvilNode | undefined;
  let dep: NodeDeployment;
  let reader: TraceReader;
  const providers: JsonRpcProvider[] = [];

  const units = (lot: string, n: number) => Array.from({ length: n }, (_, i) => itemKey(i + 1, lot) as Hex);
  const event = (unit: Hex, step: number, label: string): TraceInput => ({
    unit,
    step,
    disposition: 0,
    eventTime: 1_767_225_600,
    location: 6901234000004n,
    recordHash: recordHash(label) as Hex,
  });
  /** Three rounds over the units (STORING, INSPECTING, STORING): a unit's events fall in different chunks. */
  const rounds = (keys: Hex[], lot: string) =>
    [STEPS.STORING, STEPS.INSPECTING, STEPS.STORING].flatMap((step, r) =>
      keys.map((k, i) => event(k, step, `${lot}:${r}:${i}`)),
    );

  async function writer(intercept?: Intercept, receiptTimeoutMs = 2_500) {
    const provider = new InterceptedProvider(anvil!.url, Network.from(dep.chainId), {
      staticNetwork: true,
      batchMaxCount: 1,
      cacheTimeout: -1,
      pollingInterval: 100,
    });
    if (intercept) provider.intercept = intercept;
    providers.push(provider);
    // About 90 events per chunk: 300 events are 4 chunks, all in flight within the default window.
    const w = await TraceWriter.create({
      ledger: dep.ledger,
      signer: new Wallet(dep.members.exporter.privateKey, provider),
      maxTxGas: 1_000_000n,
      receiptTimeoutMs,
      pollIntervalMs: 100,
    });
    return { w, provider };
  }

  async function registered(lot: string, n: number) {
    const keys = units(lot, n);
    const { w } = await writer();
    await w.register(
      keys.map((k, i) => ({
        path: pathOf(k),
        eventTime: 1_767_225_600,
        location: 0n,
        recordHash: recordHash(`${lot}:reg:${i}`) as Hex,
      })),
    );
    return keys;
  }

  const steps = async (unit: Hex) => (await reader.history(unit)).entries.map((e) => e.stepName);
  const chainNonce = () => reader.client.getTransactionCount({ address: dep.members.exporter.address as Address });

  before(async function () {
    if (isCoverageRun()) this.skip();
    anvil = await startAnvil({ port: await freePort(), silent: true, args: ["--accounts", "20"] });
    dep = await deployOnNode(anvil.url);
    // Deployed with automine (fast); from here on a block a second, as a real chain.
    const admin = new JsonRpcProvider(anvil.url, Network.from(dep.chainId), { staticNetwork: true });
    await admin.send("evm_setAutomine", [false]);
    await admin.send("evm_setIntervalMining", [1]);
    admin.destroy();
    reader = nodeReader(anvil.url, dep);
  });

  after(async () => {
    for (const p of providers) p.destroy();
    await anvil?.stop("SIGKILL");
  });

  it("keeps chunks in flight in nonce order; one dropped mid-window is broadcast again and every event lands once, in order", async () => {
    const keys = await registered("PIPEDROP", 100);
    const events = rounds(keys, "PIPEDROP");
    const raw: string[] = [];
    let dropped: string | undefined;
    const { w } = await writer(async (method, params, forward) => {
      if (method !== "eth_sendRawTransaction") return forward();
      const signed = params[0] as string;
      raw.push(signed);
      // The second transaction reaches "the node" and is lost there (accepted, never pooled): the ones
      // after it wait behind its nonce until the writer broadcasts the same bytes again.
      if (new Set(raw).size === 2 && dropped === undefined) {
        dropped = signed;
        return keccak256(signed);
      }
      return forward();
    });
    const result = await w.record(events);

    expect(result.items).to.equal(300);
    const txs = result.transactions;
    expect(txs.length).to.be.greaterThan(2);
    expect(txs.map((t) => t.nonce)).to.deep.equal(txs.map((_, i) => txs[0].nonce + i));
    expect(txs[1].hash).to.equal(keccak256(dropped!));
    expect(txs[1].broadcasts).to.be.greaterThan(1);
    expect(raw.filter((r) => r === dropped).length).to.equal(txs[1].broadcasts);
    // Pipelined: some block holds more than one transaction of this key.
    const perBlock = new Map<number, number>();
    for (const t of txs) perBlock.set(t.blockNumber, (perBlock.get(t.blockNumber) ?? 0) + 1);
    expect(Math.max(...perBlock.values())).to.be.greaterThan(1);
    expect(await chainNonce()).to.equal(txs[txs.length - 1].nonce + 1);
    const histories = await Promise.all(keys.map((k) => reader.history(k)));
    expect(lostAndDuplicated(histories, ["STORING", "INSPECTING"])).to.deep.equal({ lost: 0, duplicated: 0 });
    for (const h of histories) {
      expect(h.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING", "INSPECTING", "STORING"]);
    }
  });

  it("a chunk refused in its pre-flight mid-window: the chunks before it land, it and the rest are not sent, the error says so", async () => {
    const keys = await registered("PIPEREF", 100);
    const events = rounds(keys, "PIPEREF");
    const bad = 230; // in the third chunk
    events[bad] = event(itemKey(999, "PIPEREF") as Hex, STEPS.STORING, "PIPEREF:unregistered");
    const { w } = await writer();
    const error = await w.record(events).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(PartialWriteError);
    const partial = error as PartialWriteError;
    expect(partial.failedChunk.chunk).to.equal(2);
    expect(partial.landed.map((c) => c.chunk)).to.deep.equal([0, 1]);
    const landedItems = partial.landed.reduce((n, c) => n + c.items, 0);
    expect(partial.notLanded[0]).to.include({ chunk: 2, offset: landedItems });
    expect(partial.notLanded.reduce((n, c) => n + c.items, 0)).to.equal(300 - landedItems);
    expect(partial.cause).to.be.instanceOf(BatchItemRejectedError);
    expect((partial.cause as BatchItemRejectedError).index).to.equal(bad);
    expect((partial.cause as BatchItemRejectedError).reason).to.be.instanceOf(UnitNotRegisteredError);
    expect(partial.shortMessage).to.match(/^Chunk 2 \(items \d+–\d+\) failed: .*Landed: 0 \(items 0–\d+\), 1/);
    // Exactly the landed chunks are on chain, and no nonce was left open.
    const onChain = (await Promise.all(keys.map((k) => steps(k)))).reduce((n, s) => n + s.length - 1, 0);
    expect(onChain).to.equal(landedItems);
    expect(await chainNonce()).to.equal(partial.landed[1].transaction!.nonce + 1);
    const next = await w.record([event(keys[0], STEPS.INSPECTING, "PIPEREF:after")]);
    expect(next.transactions[0].nonce).to.equal(partial.landed[1].transaction!.nonce + 1);
  });

  it("ATTACK: an RPC endpoint that lies to the pre-flight gets a refused chunk on chain; the later chunks land and the error names exactly which did not", async () => {
    const keys = await registered("PIPELIE", 100);
    const events = rounds(keys, "PIPELIE");
    const bad = 120; // in the second chunk
    const stranger = itemKey(998, "PIPELIE") as Hex;
    events[bad] = event(stranger, STEPS.STORING, "PIPELIE:unregistered");
    const { w } = await writer(async (method, params, forward) => {
      const [tx, tag] = params as [{ data?: string }, string];
      // The pre-flight (on "latest") of the chunk with the unregistered unit is answered "fine".
      if (method === "eth_call" && tag === "latest" && tx.data?.includes(stranger.slice(2))) return "0x";
      return forward();
    });
    const error = await w.record(events).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(PartialWriteError);
    const partial = error as PartialWriteError;
    expect(partial.failedChunk.chunk).to.equal(1);
    expect(partial.notLanded.map((c) => c.chunk)).to.deep.equal([1]);
    expect(partial.landed.map((c) => c.chunk)).to.deep.equal([0, 2, 3]);
    expect((partial.cause as BatchItemRejectedError).index).to.equal(bad);
    expect(partial.shortMessage).to.match(/Not landed: 1 \(items \d+–\d+\)\.$/);
    // Chunk 1 used its nonce (reverted on chain); its events are not there, the others are, each once.
    const failed = partial.failedChunk;
    const histories = await Promise.all(keys.map((k) => reader.history(k)));
    const onChain = histories.reduce((n, h) => n + h.entries.length - 1, 0);
    expect(onChain).to.equal(300 - failed.items);
    expect(lostAndDuplicated(histories, []).duplicated).to.equal(0);
    const nonces = partial.landed.map((c) => c.transaction!.nonce);
    expect(await chainNonce()).to.equal(nonces[nonces.length - 1] + 1);
  });

  it("the node comes back from an older state mid-window (confirmed chunks and its pool gone): the writer notices within seconds and lands every event once", async () => {
    const keys = await registered("PIPEBACK", 100);
    const events = rounds(keys, "PIPEBACK");
    const admin = new JsonRpcProvider(anvil!.url, Network.from(dep.chainId), { staticNetwork: true });
    providers.push(admin);
    const before = (await admin.send("evm_snapshot", [])) as string;
    const startNonce = await chainNonce();
    let wentBack = false;
    // The default receipt timeout: without noticing the loss the writer would wait it out (30 s a round).
    const { w } = await writer(async (method, params, forward) => {
      const answer = await forward();
      // The first receipt the writer sees belongs to a block the node is about to lose: it goes back to the
      // state before the write, with nothing in its pool (a restart from an older state file).
      if (method === "eth_getTransactionReceipt" && answer !== null && !wentBack) {
        wentBack = true;
        expect(await admin.send("evm_revert", [before])).to.equal(true);
        await admin.send("anvil_dropAllTransactions", []);
      }
      return answer;
    }, 30_000);
    const started = Date.now();
    const result = await w.record(events);
    const seconds = (Date.now() - started) / 1000;

    expect(wentBack).to.equal(true);
    expect(seconds, `took ${seconds} s`).to.be.lessThan(12);
    expect(result.items).to.equal(300);
    const txs = result.transactions;
    expect(txs.map((t) => t.nonce)).to.deep.equal(txs.map((_, i) => startNonce + i));
    // Every receipt returned is on the chain the node has now, and its nonces are used exactly once.
    for (const t of txs) {
      const receipt = await admin.getTransactionReceipt(t.hash);
      expect(receipt?.blockHash, `chunk at nonce ${t.nonce}`).to.equal(t.receipt.blockHash);
    }
    expect(await chainNonce()).to.equal(startNonce + txs.length);
    const histories = await Promise.all(keys.map((k) => reader.history(k)));
    expect(lostAndDuplicated(histories, ["STORING", "INSPECTING"])).to.deep.equal({ lost: 0, duplicated: 0 });
    for (const h of histories) {
      expect(h.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING", "INSPECTING", "STORING"]);
    }
  });

  it("names a transaction that ran out of gas on chain as such, not as 'no revert reason' (its call passes with more gas)", async () => {
    const [unit] = await registered("PIPEOOG", 1);
    const { w } = await writer();
    const data = w.ledger.interface.encodeFunctionData("record", [event(unit, STEPS.STORING, "PIPEOOG:0")]);
    const signed = await w.sender.sign({ to: dep.ledger, data }, 30_000n);
    const error = await w.sender.confirm(signed).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TransactionError);
    expect((error as TransactionError).shortMessage).to.equal(
      `Transaction ${signed.hash} failed on chain: it ran out of gas, using all 30000 of its gas limit.`,
    );
    expect(await steps(unit)).to.deep.equal(["COMMISSIONING"]);
  });

  it("resumes after a crash mid-window: settle, skip what landed, write the rest; every event once", async () => {
    const keys = await registered("PIPECRASH", 100);
    const events = rounds(keys, "PIPECRASH");
    let broadcasts = 0;
    const { w } = await writer(async (method, _params, forward) => {
      if (broadcasts >= 2) throw new Error("test: the writer process is gone");
      if (method === "eth_sendRawTransaction") broadcasts++;
      return forward();
    });
    const crashed = await w.record(events).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(crashed).to.be.instanceOf(Error);

    // A new process: a fresh writer, nonce read from the node.
    const { w: again } = await writer();
    await again.settle();
    const rest = await unrecorded(reader, events);
    expect(rest.length).to.be.greaterThan(0);
    expect(rest.length).to.be.lessThan(events.length);
    const resumed = await again.record(rest);
    expect(resumed.items).to.equal(rest.length);
    const histories = await Promise.all(keys.map((k) => reader.history(k)));
    expect(lostAndDuplicated(histories, ["STORING", "INSPECTING"])).to.deep.equal({ lost: 0, duplicated: 0 });
    expect(histories.reduce((n, h) => n + h.entries.length - 1, 0)).to.equal(300);
  });
});
