import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Address, Hex } from "viem";
import type { TraceLedger } from "../../typechain-types";
import { STEPS, encodeInfo, type StepName } from "../../src/codes";
import { genesisHead, replayHead, type ChainEntry } from "../../src/hashChain/hashChain";
import {
  aggregation,
  cartonKey,
  deployLedger,
  itemKey,
  recordHash,
  registration,
  signBatch,
  traceInput,
  EVENT_TIME,
} from "../helpers/ledger";
import { readHistory, toChainEntry, type HistoryEntry } from "../helpers/history";
import { correctAs } from "../helpers/custody";

// ---------------------------------------------------------------------------------------------------------
// Shared helpers (local: test/helpers is owned by another engineer).
// ---------------------------------------------------------------------------------------------------------

/** Wraps the ledger so that every `queryFilter(filter, from, to)` call made through it is recorded. */
function spyOnQueries(ledger: TraceLedger) {
  const ranges: Array<[unknown, unknown]> = [];
  const proxy = new Proxy(ledger, {
    get(target, prop) {
      if (prop === "queryFilter") {
        return (filter: Parameters<TraceLedger["queryFilter"]>[0], from?: number, to?: number) => {
          ranges.push([from, to]);
          return target.queryFilter(filter, from, to);
        };
      }
      return Reflect.get(target, prop, target);
    },
  });
  return { proxy: proxy as TraceLedger, ranges };
}

/** All `Traced` logs of a unit from a full-range query: the independent reference for `readHistory`. */
async function allTraced(ledger: TraceLedger, unit: string) {
  const logs = await ledger.queryFilter(ledger.filters.Traced(unit), 0, "latest");
  return logs.map((l) => ({ account: l.args.account, data: l.args.data, info: l.args.info, block: l.blockNumber }));
}

const toChain = (entries: HistoryEntry[]): ChainEntry[] => entries.map(toChainEntry);

/** Sends transactions that all land in one block (automine off meanwhile). */
async function inOneBlock(sends: Array<() => Promise<unknown>>): Promise<void> {
  await network.provider.send("evm_setAutomine", [false]);
  try {
    for (const send of sends) await send();
    await mine(1);
  } finally {
    await network.provider.send("evm_setAutomine", [true]);
  }
}

const U = itemKey(1);
const U2 = itemKey(2);
const C = cartonKey(1);

/** The steps U goes through in `mixedHistory`, in order. */
const U_STEPS: StepName[] = [
  "COMMISSIONING",
  "INSPECTING",
  "STORING",
  "SHIPPING",
  "HOLDING",
  "PACKING",
  "UNPACKING",
  "ASSIGNED",
  "LOADING",
  "CORRECTION",
  "RECEIVING",
  "STORING",
  "CUSTODY_TRANSFERRED",
  "STORING",
  "INSPECTING",
];

/** Every write path on U (and a carton C and item U2), with empty blocks in between. */
async function mixedHistory() {
  const f = await deployLedger();
  const { ledger, accounts, orgIds } = f;
  const ex = ledger.connect(accounts.exporter);
  await (await ex.register(registration(U))).wait();
  await (await ex.record(traceInput(U, "INSPECTING"))).wait();
  await mine(50);
  await (await ex.registerBatch([registration(C), registration(U2)])).wait();
  await (
    await ex.recordBatch([
      traceInput(U, "STORING"),
      traceInput(U, "SHIPPING"),
      traceInput(U2, "INSPECTING"),
      traceInput(U, "HOLDING"),
    ])
  ).wait();
  await (await ex.pack(aggregation(C, "pack"), [U, U2])).wait();
  await mine(50);
  await (await ex.unpack(aggregation(C, "unpack"), [U])).wait();
  await (await ex.assign(U, orgIds.carrier, true, EVENT_TIME, recordHash("assign carrier"))).wait();
  await (await ledger.connect(accounts.carrier).record(traceInput(U, "LOADING"))).wait();
  await (await correctAs(ledger, accounts.exporter, U, 2, "correct 2")).wait();
  const deadline = (await time.latest()) + 3600;
  const signed = await signBatch(ledger, accounts.exporter, [traceInput(U, "RECEIVING"), traceInput(U, "STORING")], {
    deadline,
  });
  await (await ledger.connect(accounts.platform).recordBySig([signed])).wait();
  await mine(50);
  await (await ex.handover(U, orgIds.warehouse, EVENT_TIME, 0, recordHash("handover"))).wait();
  await (await ledger.connect(accounts.warehouse).acceptHandover(U, EVENT_TIME, 0, recordHash("accepted"))).wait();
  await inOneBlock([
    () => ledger.connect(accounts.warehouse).record(traceInput(U, "STORING", { label: "wh" })),
    () => ledger.connect(accounts.customs).record(traceInput(U, "INSPECTING", { label: "customs" })),
  ]);
  return f;
}

describe("HashChain: replay from the logs", () => {
  it("after a mixed history, the head replayed from readHistory equals unitState.head for every unit", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(mixedHistory);
    const { chainId } = await ethers.provider.getNetwork();
    const address = (await ledger.getAddress()) as Address;
    for (const unit of [U, U2, C]) {
      const entries = await readHistory(ledger, unit);
      const state = await ledger.unitState(unit);
      expect(replayHead(chainId, address, unit as Hex, toChain(entries))).to.equal(state.head);
      expect(entries).to.have.length(Number(state.seq));
      expect(entries.map((e) => e.seq)).to.deep.equal(entries.map((_, i) => i + 1));
    }
    const uEntries = await readHistory(ledger, U);
    expect(uEntries.map((e) => e.step)).to.deep.equal(U_STEPS.map((s) => STEPS[s]));
    expect((await ledger.unitState(U)).seq).to.equal(BigInt(U_STEPS.length));
    // Each entry carries its sender, and the relayed ones (RECEIVING, STORING) their signer, not the relayer.
    const { exporter, carrier, warehouse, customs } = accounts;
    const who = U_STEPS.map(() => exporter.address);
    who[U_STEPS.indexOf("LOADING")] = carrier.address;
    who[U_STEPS.indexOf("CUSTODY_TRANSFERRED")] = warehouse.address; // the acceptor's entry (trust model v2)
    who[U_STEPS.length - 2] = warehouse.address;
    who[U_STEPS.length - 1] = customs.address;
    expect(uEntries.map((e) => e.account)).to.deep.equal(who);
    expect(uEntries.map((e) => e.org)).to.deep.equal(
      who.map(
        (a) => orgIds[(Object.keys(accounts) as Array<keyof typeof accounts>).find((k) => accounts[k].address === a)!],
      ),
    );
  });

  it("readHistory returns exactly the unit's logs, in order (checked against a full-range query)", async () => {
    const { ledger } = await loadFixture(mixedHistory);
    for (const unit of [U, U2, C]) {
      const entries = await readHistory(ledger, unit);
      const reference = await allTraced(ledger, unit);
      expect(entries.map((e) => [e.account, e.data, e.info, e.blockNumber])).to.deep.equal(
        reference.map((r) => [r.account, r.data, r.info, r.block]),
      );
    }
  });

  it("each info word in the logs is exactly encodeInfo of its decoded fields", async () => {
    const { ledger, orgIds } = await loadFixture(mixedHistory);
    const entries = await readHistory(ledger, U);
    for (const e of entries) {
      const { step, disposition, eventTime, location, prevBlock, seq, org, aux } = e;
      expect(encodeInfo({ step, disposition, eventTime, location, prevBlock, seq, org, aux })).to.equal(e.info);
    }
    const byStep = (s: StepName) => entries.filter((e) => e.step === STEPS[s]);
    expect(byStep("ASSIGNED")[0].aux).to.equal(BigInt(orgIds.carrier));
    expect(byStep("CORRECTION")[0].aux).to.equal(2n);
    expect(byStep("CUSTODY_TRANSFERRED")[0].aux).to.equal(BigInt(orgIds.warehouse));
    expect(byStep("PACKING")[0].data).to.equal(C);
    expect(byStep("UNPACKING")[0].data).to.equal(C);
    const cEntries = await readHistory(ledger, C);
    expect(cEntries.map((e) => [e.step, e.aux])).to.deep.equal([
      [STEPS.COMMISSIONING, 0n],
      [STEPS.PACKING, 2n],
      [STEPS.UNPACKING, 1n],
    ]);
  });
});

describe("HashChain: findable history", () => {
  it("each entry's prevBlock is the block of the unit's previous entry (0 first); lastBlock the latest", async () => {
    const { ledger } = await loadFixture(mixedHistory);
    for (const unit of [U, U2, C]) {
      const entries = await readHistory(ledger, unit);
      expect(entries[0].prevBlock).to.equal(0);
      for (let i = 1; i < entries.length; i++) {
        expect(entries[i].prevBlock, `${unit} entry ${i + 1}`).to.equal(entries[i - 1].blockNumber);
      }
      expect(Number((await ledger.unitState(unit)).lastBlock)).to.equal(entries[entries.length - 1].blockNumber);
    }
  });

  it("readHistory walks back with single-block queries only, across gaps of empty blocks", async () => {
    const { ledger } = await loadFixture(mixedHistory);
    const { proxy, ranges } = spyOnQueries(ledger);
    const entries = await readHistory(proxy, U);
    expect(entries).to.have.length(U_STEPS.length);
    const blocks = [...new Set(entries.map((e) => e.blockNumber))];
    // Several entries share a block (a batch; two transactions in one block) and there are wide gaps.
    expect(blocks.length).to.be.lessThan(entries.length);
    const gaps = blocks.slice(1).map((b, i) => b - blocks[i]);
    expect(Math.max(...gaps)).to.be.greaterThan(50);
    expect(ranges).to.have.length(blocks.length);
    for (const [from, to] of ranges) expect(from).to.be.a("number").and.equal(to);
    expect(ranges.map(([from]) => from)).to.deep.equal([...blocks].reverse());
  });

  it("a registration's entry has prevBlock 0 and lastBlock its own block", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const tx = await ledger.connect(accounts.exporter).register(registration(itemKey(7)));
    const receipt = (await tx.wait())!;
    const [entry] = await readHistory(ledger, itemKey(7));
    expect(entry.prevBlock).to.equal(0);
    expect(entry.blockNumber).to.equal(receipt.blockNumber);
    expect((await ledger.unitState(itemKey(7))).lastBlock).to.equal(BigInt(receipt.blockNumber));
  });
});

describe("HashChain: binding and tamper detection", () => {
  async function replayed() {
    const { ledger } = await loadFixture(mixedHistory);
    const { chainId } = await ethers.provider.getNetwork();
    const address = (await ledger.getAddress()) as Address;
    const entries = toChain(await readHistory(ledger, U));
    const stored = (await ledger.unitState(U)).head.toLowerCase();
    const replay = (list: ChainEntry[], chain: bigint = chainId, at: Address = address, unit: Hex = U as Hex) =>
      replayHead(chain, at, unit, list).toLowerCase();
    expect(replay(entries)).to.equal(stored);
    return { entries, stored, replay, chainId, address };
  }

  it("the genesis binds chain id, ledger address and unit", async () => {
    const { entries, stored, replay, chainId, address } = await replayed();
    const otherLedger = ethers.getAddress(ethers.zeroPadValue("0x01", 20)) as Address;
    expect(replay(entries, chainId, otherLedger)).to.not.equal(stored);
    expect(replay(entries, chainId + 1n)).to.not.equal(stored);
    expect(replay(entries, 1n)).to.not.equal(stored);
    expect(replay(entries, chainId, address, U2 as Hex)).to.not.equal(stored);
    expect(genesisHead(chainId, address, U as Hex)).to.not.equal(genesisHead(chainId + 1n, address, U as Hex));
  });

  it("dropping any entry changes the head", async () => {
    const { entries, stored, replay } = await replayed();
    for (let i = 0; i < entries.length; i++) {
      expect(replay(entries.filter((_, j) => j !== i)), `drop ${i}`).to.not.equal(stored);
    }
  });

  it("altering any entry's data, info or account changes the head", async () => {
    const { entries, stored, replay } = await replayed();
    const other = ethers.Wallet.createRandom().address as Address;
    for (let i = 0; i < entries.length; i++) {
      const alter = (patch: Partial<ChainEntry>) => entries.map((e, j) => (j === i ? { ...e, ...patch } : e));
      expect(replay(alter({ data: recordHash("forged") as Hex })), `data ${i}`).to.not.equal(stored);
      expect(replay(alter({ info: entries[i].info ^ 1n })), `info.step ${i}`).to.not.equal(stored);
      expect(replay(alter({ info: entries[i].info ^ (1n << 16n) })), `info.eventTime ${i}`).to.not.equal(stored);
      expect(replay(alter({ info: entries[i].info ^ (1n << 255n) })), `info.aux ${i}`).to.not.equal(stored);
      expect(replay(alter({ account: other })), `account ${i}`).to.not.equal(stored);
    }
  });

  it("moving any entry to another block time or block number changes the head (a lying endpoint cannot re-date it)", async () => {
    const { entries, stored, replay } = await replayed();
    for (let i = 0; i < entries.length; i++) {
      const alter = (patch: Partial<ChainEntry>) => entries.map((e, j) => (j === i ? { ...e, ...patch } : e));
      expect(replay(alter({ blockTime: BigInt(entries[i].blockTime) + 1n })), `time +1 s ${i}`).to.not.equal(stored);
      expect(replay(alter({ blockTime: BigInt(entries[i].blockTime) - 86_400n })), `time -1 day ${i}`).to.not.equal(
        stored,
      );
      expect(replay(alter({ blockNumber: entries[i].blockNumber + 1n })), `block +1 ${i}`).to.not.equal(stored);
    }
  });

  it("duplicating or swapping entries changes the head", async () => {
    const { entries, stored, replay } = await replayed();
    for (let i = 0; i < entries.length; i++) {
      const dup = [...entries.slice(0, i + 1), entries[i], ...entries.slice(i + 1)];
      expect(replay(dup), `duplicate ${i}`).to.not.equal(stored);
    }
    for (let i = 0; i + 1 < entries.length; i++) {
      const swapped = [...entries];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
      expect(replay(swapped), `swap ${i}`).to.not.equal(stored);
    }
    const ends = [...entries];
    [ends[0], ends[ends.length - 1]] = [ends[ends.length - 1], ends[0]];
    expect(replay(ends)).to.not.equal(stored);
  });
});
