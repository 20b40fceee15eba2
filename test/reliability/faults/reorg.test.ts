/**
 * Chain reorganizations on the in-process Hardhat network: `evm_snapshot` before a block, `evm_revert` to drop
 * it, then a longer fork with other timestamps (so other block hashes) takes its place. The SDK's
 * confirmation handling sends a dropped transaction again (exactly once) or reports that another
 * transaction took its nonce; the verifier never shows an event the canonical chain does not hold, also
 * when the reorganization happens while it is reading.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, type Address, type Hex, type PublicClient } from "viem";
import { aggregation, cartonKey, deployLedger, GTIN, itemKey, registration, traceInput } from "../../helpers/ledger";
import { hardhatClient, readerFor, rejection, toSdkRegistration, walletFor, writerFor } from "../../helpers/sdk";
import { reportFigures } from "../../helpers/figures";
import { verifyUnit } from "../../../src/verify/verify";
import { NetworkError, TransactionError } from "../../../src/errors/base";
import type { TraceInput } from "../../../src/write/types";
import type { VerificationReport } from "../../../src/verify/types";

const asEvent = (e: ReturnType<typeof traceInput>) => e as unknown as TraceInput;
const asReg = toSdkRegistration;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const code = (n: number) => `(01)${GTIN}(10)REORG(21)S${n}`;
const key = (n: number) => itemKey(n, "REORG");

const rpc = <T = unknown>(method: string, params: unknown[] = []) =>
  network.provider.send(method, params) as Promise<T>;
const mine = (blocks: number) => rpc("hardhat_mine", [`0x${blocks.toString(16)}`]);
const head = async () => ethers.provider.getBlock("latest").then((b) => b!);

/**
 * Drops every block after `snapshot` and mines the first block of a fork with another timestamp (so other
 * block hashes). Automining is off meanwhile: a transaction re-sent in between waits for that block.
 */
async function reorganize(snapshot: string, droppedTimestamp: number): Promise<void> {
  await rpc("evm_setAutomine", [false]);
  try {
    expect(await rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    await rpc("evm_setNextBlockTimestamp", [droppedTimestamp + 100]);
    await mine(1);
  } finally {
    await rpc("evm_setAutomine", [true]);
  }
}

const figures = {
  reorganizations: 0,
  "events dropped by them": 0,
  "dropped events reported": 0,
  lost: 0,
  duplicated: 0,
};

const steps = (r: VerificationReport) => r.entries.map((e) => e.stepName);
const reportedDropped = (r: VerificationReport, dropped: string) =>
  r.entries.filter((e) => e.data.toLowerCase() === dropped.toLowerCase()).length;

describe("faults: chain reorganizations", () => {
  after(() =>
    reportFigures("reorg", "reorganizations (evm_snapshot / evm_revert, longer fork)", {
      reorganizations: figures.reorganizations,
      "events dropped by them": figures["events dropped by them"],
      "dropped events reported by the SDK or verifier": figures["dropped events reported"],
      "events lost": figures.lost,
      "events duplicated": figures.duplicated,
    }),
  );

  async function registered(n: number) {
    const f = await loadFixture(deployLedger);
    const plain = await writerFor(f.ledger, f.accounts.exporter.address);
    await plain.register([asReg(registration(key(n)))]);
    return { ...f, plain };
  }

  it("a transaction dropped before its confirmations is broadcast again and lands exactly once", async () => {
    const { ledger, accounts } = await registered(1);
    const writer = await writerFor(ledger, accounts.exporter.address, {
      confirmations: 3,
      pollIntervalMs: 20,
      receiptTimeoutMs: 5_000,
    });
    const snapshot = await rpc<string>("evm_snapshot");
    const before = await ethers.provider.getBlockNumber();
    const event = asEvent(traceInput(key(1), "STORING", { label: "dropped-then-resent" }));
    let settled = false;
    const pending = writer.record([event]).finally(() => (settled = true));
    while ((await ethers.provider.getBlockNumber()) === before) await sleep(5);
    await sleep(100); // the writer has seen its receipt and waits for 2 more blocks
    const dropped = (await ethers.provider.getBlock(before + 1))!;
    expect(dropped.transactions.length).to.equal(1);
    expect(settled, "returned before its confirmations").to.equal(false);

    await reorganize(snapshot, dropped.timestamp);
    figures.reorganizations++;
    figures["events dropped by them"]++;
    // The fork keeps growing, so the re-sent transaction gets its confirmations.
    const miner = (async () => {
      while (!settled) {
        await mine(1);
        await sleep(25);
      }
    })();
    const result = await pending;
    await miner;

    const sent = result.transactions[0];
    expect(sent.broadcasts).to.be.at.least(2);
    expect((await ethers.provider.getBlock(before + 1))!.hash).to.not.equal(dropped.hash, "a real fork");
    expect(sent.receipt.blockHash).to.equal((await ethers.provider.getBlock(sent.blockNumber))!.hash);
    expect((await head()).number - sent.blockNumber + 1).to.be.at.least(3);
    const history = await (await readerFor(ledger)).history(key(1) as Hex);
    expect(history.intact).to.equal(true);
    const copies = history.entries.filter((e) => e.data === event.recordHash).length;
    expect(copies).to.equal(1);
    figures.lost += 1 - Math.min(copies, 1);
    figures.duplicated += Math.max(copies - 1, 0);
  });

  it("reports a dropped transaction whose nonce another transaction took, and writes nothing", async () => {
    const { ledger, accounts } = await registered(2);
    // A slow poll: the fork below (with the other transaction) is in place before the writer looks again.
    const writer = await writerFor(ledger, accounts.exporter.address, {
      confirmations: 3,
      pollIntervalMs: 1_500,
      receiptTimeoutMs: 10_000,
    });
    const snapshot = await rpc<string>("evm_snapshot");
    const before = await ethers.provider.getBlockNumber();
    const nonce = await ethers.provider.getTransactionCount(accounts.exporter.address);
    const pending = writer.record([asEvent(traceInput(key(2), "STORING", { label: "replaced" }))]);
    const outcome = rejection(pending, TransactionError);
    while ((await ethers.provider.getBlockNumber()) === before) await sleep(5);
    await sleep(100);
    const dropped = (await ethers.provider.getBlock(before + 1))!;
    await reorganize(snapshot, dropped.timestamp);
    figures.reorganizations++;
    figures["events dropped by them"]++;
    // Another process with the same key: its transaction takes the nonce on the new fork.
    const other = walletFor(accounts.exporter.address);
    await (await other.sendTransaction({ to: accounts.exporter.address, value: 0n, nonce })).wait();
    await mine(3);

    const error = await outcome;
    expect(error.message).to.match(/Nonce \d+ of 0x[0-9a-fA-F]{40} was used by another transaction/);
    const state = await ledger.unitState(key(2));
    expect(state.seq).to.equal(1n, "the dropped event is not on chain");
  });

  it("the verifier stops showing an event once a reorganization dropped it", async () => {
    const { ledger, plain } = await registered(3);
    const address = (await ledger.getAddress()) as Address;
    const snapshot = await rpc<string>("evm_snapshot");
    const event = asEvent(traceInput(key(3), "STORING", { label: "to-be-dropped" }));
    await plain.record([event]);
    const shown = await verifyUnit(code(3), { client: hardhatClient(), ledger: { address } });
    expect(steps(shown)).to.deep.equal(["COMMISSIONING", "STORING"]);
    const dropped = await head();

    await reorganize(snapshot, dropped.timestamp);
    await mine(2);
    figures.reorganizations++;
    figures["events dropped by them"]++;
    const after = await verifyUnit(code(3), { client: hardhatClient(), ledger: { address } });
    expect(steps(after)).to.deep.equal(["COMMISSIONING"]);
    expect(after.reasons.map((r) => r.code)).to.not.include("HISTORY_MISMATCH");
    expect(after.asOf!.blockHash).to.equal((await head()).hash);
    figures["dropped events reported"] += reportedDropped(after, event.recordHash);
  });

  it("with confirmations, the verifier shows only events that deep, so a shallow reorganization takes back nothing it showed", async () => {
    const { ledger, plain } = await registered(4);
    const address = (await ledger.getAddress()) as Address;
    await mine(2);
    await plain.record([asEvent(traceInput(key(4), "STORING", { label: "recent" }))]);
    const tip = await head();
    const recent = await verifyUnit(code(4), { client: hardhatClient(), ledger: { address }, confirmations: 3 });
    expect(steps(recent)).to.deep.equal(["COMMISSIONING"]);
    expect(recent.asOf).to.deep.include({ blockNumber: BigInt(tip.number - 2), confirmations: 3 });
    await mine(2);
    const deep = await verifyUnit(code(4), { client: hardhatClient(), ledger: { address }, confirmations: 3 });
    expect(steps(deep)).to.deep.equal(["COMMISSIONING", "STORING"]);
  });

  it("a reorganization while the verifier reads starts the reading over: the verdict is of the new chain only", async () => {
    const { ledger, accounts, plain } = await registered(5);
    const address = (await ledger.getAddress()) as Address;
    const snapshot = await rpc<string>("evm_snapshot");
    const droppedEvent = asEvent(traceInput(key(5), "STORING", { label: "old-fork" }));
    const newEvent = asEvent(traceInput(key(5), "STORING", { label: "new-fork" }));
    await plain.record([droppedEvent]);
    const dropped = await head();

    // A client that reorganizes the chain just before answering the verifier's first log query.
    let fired = false;
    let pins = 0;
    const client = createPublicClient({
      transport: custom({
        async request({ method, params }: { method: string; params?: unknown[] }) {
          if (method === "eth_blockNumber") pins++;
          if (method === "eth_getLogs" && !fired) {
            fired = true;
            await reorganize(snapshot, dropped.timestamp);
            await mine(1);
            // A new writer: the old one's nonce counter still counts the dropped transaction.
            await (await writerFor(ledger, accounts.exporter.address)).record([newEvent]);
          }
          return network.provider.request({ method, params });
        },
      }),
    }) as PublicClient;
    const report = await verifyUnit(code(5), { client, ledger: { address } });
    figures.reorganizations++;
    figures["events dropped by them"]++;

    expect(fired).to.equal(true);
    expect(pins, "the reading started over on a new pinned block").to.be.at.least(2);
    expect(steps(report)).to.deep.equal(["COMMISSIONING", "STORING"]);
    expect(report.entries[1].data).to.equal(newEvent.recordHash);
    expect(report.reasons.map((r) => r.code)).to.not.include("HISTORY_MISMATCH");
    expect(report.asOf!.blockHash).to.equal((await head()).hash);
    figures["dropped events reported"] += reportedDropped(report, droppedEvent.recordHash);
    expect(figures["dropped events reported"]).to.equal(0);
  });

  it("a chain that keeps reorganizing while the verifier reads gives a clear error, not a verdict", async () => {
    const { ledger, plain } = await registered(6);
    const address = (await ledger.getAddress()) as Address;
    let snapshot = await rpc<string>("evm_snapshot");
    await plain.record([asEvent(traceInput(key(6), "STORING", { label: "flapping" }))]);
    let reorgs = 0;
    // Each reading pins the head (eth_blockNumber); its first log query then sees the chain replace that
    // block. (The verifier reads independent logs at the same time, so one reorganization per reading.)
    let armed = false;
    const client = createPublicClient({
      transport: custom({
        async request({ method, params }: { method: string; params?: unknown[] }) {
          if (method === "eth_blockNumber") armed = true;
          if (method === "eth_getLogs" && armed) {
            armed = false;
            const tip = await head();
            await reorganize(snapshot, tip.timestamp);
            snapshot = await rpc<string>("evm_snapshot");
            await mine(2);
            reorgs++;
          }
          return network.provider.request({ method, params });
        },
      }),
    }) as PublicClient;
    const error = await rejection(verifyUnit(code(6), { client, ledger: { address } }), NetworkError);
    expect(error.message).to.match(/reorganized 3 times while the unit was being verified/);
    expect(reorgs).to.be.at.least(3);
    figures.reorganizations += reorgs;
    figures["events dropped by them"]++;
  });

  it("logs of one block that name two different block hashes (two forks mixed) never make a verdict", async () => {
    const { ledger, plain } = await registered(7);
    const address = (await ledger.getAddress()) as Address;
    await plain.register([asReg(registration(cartonKey(7)))]);
    await plain.pack(aggregation(cartonKey(7)) as never, [key(7)]);
    const packBlock = await head();
    // The item's packing log claims another block at the same height than the carton's packing log.
    const client = createPublicClient({
      transport: custom({
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const result = await network.provider.request({ method, params });
          if (method !== "eth_getLogs") return result;
          // Only the unit's own Traced queries name one unit key; the verifier's other queries (prefix registry,
          // keys) give topic1 as an OR list.
          const topic1 = (params?.[0] as { topics?: unknown[] })?.topics?.[1];
          const unitTopic = typeof topic1 === "string" ? topic1 : "";
          if (unitTopic.toLowerCase() !== key(7).toLowerCase()) return result;
          return (result as Array<{ blockNumber: string; blockHash: string }>).map((log) =>
            Number(log.blockNumber) === packBlock.number ? { ...log, blockHash: `0x${"11".repeat(32)}` } : log,
          );
        },
      }),
    }) as PublicClient;
    const error = await rejection(verifyUnit(code(7), { client, ledger: { address } }), NetworkError);
    expect(error.message).to.match(/reorganized 3 times/);
    // The same unit through an honest client: the journey through the carton, read as one chain.
    const honest = await verifyUnit(code(7), { client: hardhatClient(), ledger: { address } });
    expect(steps(honest)).to.deep.equal(["COMMISSIONING", "PACKING"]);
  });
});
