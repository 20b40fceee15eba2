/**
 * Fixed-width counters end in a named error, never a panic or a silent wrap: a unit's uint32 sequence
 * number, the uint32 container numbers and the uint32 block numbers of unit words and `Traced` infos.
 * Storage is reached with hardhat_setStorageAt at slots found by probing (no layout is hard-coded), and
 * block numbers with hardhat_mine, which mines 2^32 blocks at once.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { aggregation, cartonKey, itemKey, registration, traceInput } from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";

const UINT32_MAX = 2n ** 32n - 1n;
const ITEM = itemKey(1);
const ITEM2 = itemKey(2);
const CARTON = cartonKey(1);
const CARTON2 = cartonKey(2);
const PROBE_SLOTS = 200;

const limitsFixture = unitsFixture({ batch: [ITEM, ITEM2, CARTON, CARTON2], packs: [[CARTON, [ITEM]]] });

const word = (value: bigint) => ethers.toBeHex(value, 32);

async function storageAt(address: string, slot: bigint): Promise<bigint> {
  return BigInt(await network.provider.send("eth_getStorageAt", [address, word(slot), "latest"]));
}

/** The storage slot of `mapping(bytes32 => uint256) _units` entry `unit`: the one whose head is the unit's. */
async function unitSlot(address: string, unit: string, head: string): Promise<bigint> {
  for (let base = 0n; base < PROBE_SLOTS; base++) {
    const slot = BigInt(
      ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [unit, base])),
    );
    const value = await storageAt(address, slot);
    if (value >> 128n === BigInt(head)) return slot;
  }
  throw new Error("unit word not found");
}

/** The plain slot whose low 32 bits count containers: the one that packing into a new parent raises by 1. */
async function containerCountSlot(address: string, pack: () => Promise<unknown>): Promise<bigint> {
  const before = await Promise.all(Array.from({ length: PROBE_SLOTS }, (_, i) => storageAt(address, BigInt(i))));
  await pack();
  for (let i = 0; i < PROBE_SLOTS; i++) {
    const after = await storageAt(address, BigInt(i));
    if (after !== before[i] && (after & UINT32_MAX) === (before[i] & UINT32_MAX) + 1n) return BigInt(i);
  }
  throw new Error("container counter not found");
}

describe("TraceLedger limits: counters end in named errors", () => {
  it("a unit's history takes entries up to seq 2^32 − 1, then refuses with TraceLedgerUnitHistoryFull", async () => {
    const { ledger, accounts } = await loadFixture(limitsFixture);
    const address = await ledger.getAddress();
    const slot = await unitSlot(address, ITEM2, (await ledger.unitState(ITEM2)).head);
    const SEQ_BITS = UINT32_MAX << 32n;
    const stored = await storageAt(address, slot);
    await network.provider.send("hardhat_setStorageAt", [
      address,
      word(slot),
      word((stored & ~SEQ_BITS) | ((UINT32_MAX - 1n) << 32n)),
    ]);
    expect((await ledger.unitState(ITEM2)).seq).to.equal(UINT32_MAX - 1n);

    const ex = ledger.connect(accounts.exporter);
    await ex.record(traceInput(ITEM2, "INSPECTING"));
    expect((await ledger.unitState(ITEM2)).seq).to.equal(UINT32_MAX);
    await expect(ex.record(traceInput(ITEM2, "STORING")))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerUnitHistoryFull")
      .withArgs(ITEM2);
    // Other units are untouched by one unit's limit.
    await ex.record(traceInput(CARTON2, "STORING"));
  });

  it("container numbers run to 2^32 − 1; then a new parent is refused, a used one still packs", async () => {
    const { ledger, accounts } = await loadFixture(limitsFixture);
    const address = await ledger.getAddress();
    const ex = ledger.connect(accounts.exporter);
    await ex.unpack(aggregation(CARTON, "out"), [ITEM]);
    const slot = await containerCountSlot(address, () => ex.pack(aggregation(CARTON2, "probe"), [ITEM]));
    await ex.unpack(aggregation(CARTON2, "probe out"), [ITEM]);
    const stored = await storageAt(address, slot);
    await network.provider.send("hardhat_setStorageAt", [
      address,
      word(slot),
      word((stored & ~UINT32_MAX) | UINT32_MAX),
    ]);

    await expect(ex.pack(aggregation(ITEM2, "new parent"), [ITEM])).to.be.revertedWithCustomError(
      ledger,
      "TraceLedgerContainerNumbersExhausted",
    );
    // A parent that already has its number keeps packing.
    await ex.pack(aggregation(CARTON, "again"), [ITEM]);
    expect((await ledger.unitState(ITEM)).parent).to.equal(CARTON);
  });

  it("writes are accepted up to block 2^32 − 1 and refused from block 2^32 with TraceLedgerBlockNumberTooLarge", async () => {
    const { ledger, accounts } = await loadFixture(limitsFixture);
    const ex = ledger.connect(accounts.exporter);
    const now = BigInt(await ethers.provider.getBlockNumber());
    // The next transaction is mined in block 2^32 − 1: the last one a unit word can name.
    await network.provider.send("hardhat_mine", [ethers.toQuantity(UINT32_MAX - 1n - now)]);
    await ex.record(traceInput(ITEM2, "INSPECTING"));
    expect((await ledger.unitState(ITEM2)).lastBlock).to.equal(UINT32_MAX);

    await expect(ex.record(traceInput(ITEM2, "STORING")))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBlockNumberTooLarge")
      .withArgs(UINT32_MAX + 1n);
    await expect(ex.register({ ...registration(itemKey(9)), location: 0n, recordHash: ITEM }))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBlockNumberTooLarge")
      .withArgs(UINT32_MAX + 2n);
  });
});
