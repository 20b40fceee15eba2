/**
 * Faults at the SDK level: a `TraceWriter` and a `TraceReader`, both talking to the node only through an RPC
 * fault proxy that injects faults into 20 % of the requests, import 1,000 events (500 registrations, then
 * 500 events sent as ten concurrent batches from one key) in a single pass — no rerun: the SDK retries what
 * failed at the network level and re-broadcasts the same signed transactions. The chain, read directly
 * (not through the proxy), then holds every event exactly once.
 */
import { expect } from "chai";
import { isCoverageRun } from "../../helpers/coverage";
import { JsonRpcProvider, Network, Wallet, keccak256, toUtf8Bytes } from "ethers";
import type { Address, Hex } from "viem";
import type { TraceReader } from "../../../src/read/reader";
import { TraceWriter } from "../../../src/write/writer";
import { unrecorded, unregistered } from "../../../src/write/resume";
import type { RegistrationInput, TraceInput } from "../../../src/write/types";
import { STEPS, DISPOSITIONS } from "../../../src/codes";
import { itemKey, pathOf } from "../../helpers/ledger";
import { startLocalNode, deployOnNode, type LocalNode, type NodeDeployment, nodeReader } from "../../helpers/localNode";
import { lostAndDuplicated, startFaultProxy, type FaultProxy } from "../../helpers/faultProxy";
import { reportFigures } from "../../helpers/figures";

const hashOf = (label: string) => keccak256(toUtf8Bytes(`sdk-faults:${label}`)) as Hex;

describe("faults: SDK writer and reader through an RPC fault proxy (20 % faults)", function () {
  this.timeout(420_000);
  const UNITS = 500;
  const SEED = Number(process.env.FAULT_SEED ?? 20261126);

  let node: LocalNode | undefined;
  let proxy: FaultProxy | undefined;
  let dep: NodeDeployment;
  let direct: TraceReader;

  before(async function () {
    if (isCoverageRun()) this.skip();
    node = await startLocalNode();
    dep = await deployOnNode(node.rpcUrl);
    proxy = await startFaultProxy(node.rpcUrl, { rate: 0.2, seed: SEED });
    direct = nodeReader(node.rpcUrl, dep);
  });

  after(async () => {
    await proxy?.close();
    await node?.stop();
  });

  it("imports 1,000 events in one pass with none lost and none doubled", async () => {
    const provider = new JsonRpcProvider(proxy!.url, Network.from(dep.chainId), {
      staticNetwork: true,
      batchMaxCount: 1,
      cacheTimeout: -1,
    });
    const writer = await TraceWriter.create({
      ledger: dep.ledger,
      signer: new Wallet(dep.members.exporter.privateKey, provider),
      receiptTimeoutMs: 3_000,
      pollIntervalMs: 100,
      maxAttempts: 8,
    });
    const reader = nodeReader(proxy!.url, dep, { retryCount: 8 });
    const keys = Array.from({ length: UNITS }, (_, i) => itemKey(i + 1, "SDKFLT") as Hex);
    const registrations: RegistrationInput[] = keys.map((unit, i) => ({
      path: pathOf(unit),
      eventTime: 1_767_225_600 + i,
      location: 6901234000004n,
      recordHash: hashOf(`register:${i}`),
    }));
    const events: TraceInput[] = keys.map((unit, i) => ({
      unit,
      step: STEPS.STORING,
      disposition: DISPOSITIONS.SELLABLE_NOT_ACCESSIBLE,
      eventTime: 1_767_312_000 + i,
      location: 6901234000004n,
      recordHash: hashOf(`storing:${i}`),
    }));

    const started = Date.now();
    // The same steps as a resumable import: settle, skip what is on chain, then write.
    await writer.settle();
    const toRegister = await unregistered(reader, registrations);
    expect(toRegister.length).to.equal(UNITS);
    const registered = [];
    for (let i = 0; i < toRegister.length; i += 50) registered.push(await writer.register(toRegister.slice(i, i + 50)));
    const toRecord = await unrecorded(reader, events);
    expect(toRecord.length).to.equal(UNITS);
    // Ten batches in flight at once from one key: the nonce manager orders them, faults or not.
    const recorded = await Promise.all(
      Array.from({ length: 10 }, (_, b) => writer.record(toRecord.slice(b * 50, b * 50 + 50))),
    );
    const seconds = (Date.now() - started) / 1000;

    const results = [...registered, ...recorded];
    const transactions = results.flatMap((r) => r.transactions);
    expect(transactions.every((t) => t.receipt.status === 1)).to.equal(true);
    expect(results.reduce((n, r) => n + r.items, 0)).to.equal(2 * UNITS);
    const rebroadcasts = transactions.reduce((n, t) => n + t.broadcasts - 1, 0);

    const histories = await Promise.all(keys.map((k) => direct.history(k as Hex)));
    for (const h of histories) {
      expect(h.intact, `history of ${h.state.unit} is not intact`).to.equal(true);
      expect(h.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "STORING"]);
    }
    const { lost, duplicated } = lostAndDuplicated(histories, ["COMMISSIONING", "STORING"]);
    const onChain = histories.reduce((a, h) => a + h.entries.length, 0);
    // Every nonce the writer used is mined, once: no transaction was doubled or left behind.
    const nonces = transactions.map((t) => t.nonce).sort((a, b) => a - b);
    expect(new Set(nonces).size).to.equal(nonces.length);
    expect(await direct.client.getTransactionCount({ address: writer.address as Address })).to.equal(
      nonces[nonces.length - 1] + 1,
    );
    reportFigures("faults-sdk", "faults (SDK writer and reader, 20 % of requests)", {
      "events written": 2 * UNITS,
      "faults injected": proxy!.injected(),
      requests: proxy!.requests,
      kinds: `(${proxy!.summary()})`,
      transactions: transactions.length,
      "re-broadcasts": rebroadcasts,
      "events on chain": onChain,
      "events lost": lost,
      "events duplicated": duplicated,
      seconds: seconds.toFixed(1),
      seed: SEED,
    });
    expect(proxy!.injected()).to.be.greaterThan(20);
    expect(lost).to.equal(0);
    expect(duplicated).to.equal(0);
    expect(onChain).to.equal(2 * UNITS);
  });
});
