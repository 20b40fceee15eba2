import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import type { Address, Hex } from "viem";
import { decodeInfo, encodeInfo, FLAGS, INFO_SHIFTS, type TraceInfoFields } from "../../src/codes";
import { blockRef, chainFormatOf, genesisHead, nextHead, replayHead } from "../../src/hashChain/hashChain";
import { deployLedger, itemKey, registration, traceInput } from "../helpers/ledger";
import { readHistory, toChainEntry } from "../helpers/history";

// ---------------------------------------------------------------------------------------------------------
// Shared helpers (local: test/helpers is owned by another engineer).
// ---------------------------------------------------------------------------------------------------------

async function harnessFixture() {
  const harness = await (await ethers.getContractFactory("TraceInfoHarness")).deploy();
  const { chainId } = await ethers.provider.getNetwork();
  return { harness, address: (await harness.getAddress()) as Address, chainId };
}

const RUNS = { numRuns: 200 };

const uintN = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const hexBytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => ethers.hexlify(b) as Hex);
const address = hexBytes(20).map((h) => ethers.getAddress(h) as Address);

/** Random values for every field of the info word, each over its full width. */
const infoFields: fc.Arbitrary<TraceInfoFields> = fc.record({
  step: fc.integer({ min: 0, max: 255 }),
  disposition: fc.integer({ min: 0, max: 255 }),
  eventTime: fc.integer({ min: 0, max: 2 ** 40 - 1 }),
  location: uintN(64),
  prevBlock: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  seq: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  org: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  aux: uintN(40),
});

/** Word layout of `UnitRecord` (low bits first), for building expected words in TypeScript. */
function unitWord(w: {
  lastBlock: bigint;
  seq: bigint;
  status: bigint;
  registrant: bigint;
  holder: bigint;
  head: Hex;
}) {
  return (
    w.lastBlock |
    (w.seq << 32n) |
    (w.status << 64n) |
    (w.registrant << 72n) |
    (w.holder << 96n) |
    (BigInt(w.head) << 128n)
  );
}

describe("TraceInfo parity: SDK codes vs the Solidity library", () => {
  it("INFO_SHIFTS match the documented layout (8/8/40/64/32/32/32/40 bits, low first)", () => {
    expect(INFO_SHIFTS).to.deep.equal({
      DISPOSITION_SHIFT: 8,
      EVENT_TIME_SHIFT: 16,
      LOCATION_SHIFT: 56,
      PREV_BLOCK_SHIFT: 120,
      SEQ_SHIFT: 152,
      ORG_SHIFT: 184,
      AUX_SHIFT: 216,
    });
  });

  it("encodeInfo equals TraceInfo.complete(TraceInfo.base(...)) and decodeInfo inverts it (random fields)", async () => {
    const { harness } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(infoFields, async (f) => {
        const partial = await harness.base(f.step, f.disposition, f.eventTime, f.location, f.aux);
        const word = await harness.complete(partial, f.prevBlock, f.seq, f.org);
        expect(word).to.equal(encodeInfo(f));
        expect(decodeInfo(word)).to.deep.equal(f);
        // `base` holds exactly the caller-supplied fields; `complete` adds only the ledger's ones.
        expect(partial).to.equal(encodeInfo({ ...f, prevBlock: 0, seq: 0, org: 0 }));
        expect(word).to.be.lessThan(1n << 256n);
      }),
      RUNS,
    );
  });

  it("decodeInfo reads every field of an arbitrary 256-bit word, and encodeInfo rebuilds it", () => {
    fc.assert(
      fc.property(uintN(256), (word) => {
        expect(encodeInfo(decodeInfo(word))).to.equal(word);
      }),
      RUNS,
    );
  });
});

describe("Hash chain parity: src/hashChain/hashChain.ts vs TraceInfo", () => {
  it("nextHead equals TraceInfo.next for random inputs", async () => {
    const { harness } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(
        hexBytes(16),
        hexBytes(32),
        address,
        hexBytes(32),
        uintN(256),
        uintN(32),
        uintN(40),
        async (head, unit, account, data, info, blockNumber, blockTime) => {
          const ref = blockRef(blockNumber, blockTime);
          expect((await harness.next(head, unit, account, data, info, ref)).toLowerCase()).to.equal(
            nextHead(head, unit, { account, data, info, blockNumber, blockTime }).toLowerCase(),
          );
        },
      ),
      RUNS,
    );
  });

  it("format 1 (ledgers 1.x) is the v1 input without the block: pinned to a head the v1 SDK computed", () => {
    const unit = `0x${"11".repeat(32)}` as Hex;
    const genesis = genesisHead(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3", unit);
    expect(genesis).to.equal("0x41a03f237b37046c54833397f6fc191b");
    const entry = {
      account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address,
      data: `0x${"22".repeat(32)}` as Hex,
      info: 123456789n,
      blockNumber: 5n,
      blockTime: 1_770_000_000,
    };
    expect(nextHead(genesis, unit, entry, chainFormatOf("1.0.0"))).to.equal("0xc90fab64ccb395451e6a0d20b84fc993");
    expect(nextHead(genesis, unit, entry, chainFormatOf("2.0.0"))).to.not.equal("0xc90fab64ccb395451e6a0d20b84fc993");
    expect([chainFormatOf("1.2.3"), chainFormatOf("2.0.0"), chainFormatOf("10.0.0")]).to.deep.equal([1, 2, 2]);
  });

  it("blockRef packs the block number above the timestamp, as TraceInfo.blockRef does", async () => {
    const { harness } = await loadFixture(harnessFixture);
    const [ref, blockNumber, timestamp] = await harness.blockRef();
    expect(ref).to.equal(blockRef(blockNumber, timestamp));
    expect(ref >> 64n).to.equal(blockNumber);
    expect(ref & ((1n << 64n) - 1n)).to.equal(timestamp);
  });

  it("genesisHead(chainId, harness, unit) equals TraceInfo.genesis, and differs for another address or chain", async () => {
    const { harness, address: at, chainId } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(hexBytes(32), async (unit) => {
        const onChain = (await harness.genesis(unit)).toLowerCase();
        expect(onChain).to.equal(genesisHead(chainId, at, unit).toLowerCase());
        expect(onChain).to.not.equal(genesisHead(chainId + 1n, at, unit).toLowerCase());
      }),
      { numRuns: 50 },
    );
  });

  it("a ledger's stored head after registration is nextHead(genesisHead(...), ...) of its Traced log", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const unit = itemKey(1) as Hex;
    await (await ledger.connect(accounts.exporter).register(registration(unit))).wait();
    await (await ledger.connect(accounts.exporter).record(traceInput(unit, "INSPECTING"))).wait();
    const { chainId } = await ethers.provider.getNetwork();
    const at = (await ledger.getAddress()) as Address;
    const [first, second] = (await readHistory(ledger, unit)).map(toChainEntry);
    const h1 = nextHead(genesisHead(chainId, at, unit), unit, first);
    const h2 = nextHead(h1, unit, second);
    expect(h2).to.equal(replayHead(chainId, at, unit, [first, second]));
    expect((await ledger.unitState(unit)).head).to.equal(h2);
  });
});

describe("UnitRecord parity: the unit storage word", () => {
  const head16 = hexBytes(16);
  const org24 = fc.integer({ min: 1, max: 2 ** 24 - 1 });

  it("create(head, org): lastBlock = block, seq 1, status 0 (ACTIVE), registrant = holder = org, head", async () => {
    const { harness } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(head16, org24, async (head, org) => {
        const [word, blockNumber] = await harness.create(head, org);
        const f = await harness.fields(word);
        expect([f.lastBlock, f.seq, f.status, f.registrant, f.holder, f.packed, f.stage]).to.deep.equal([
          blockNumber,
          1n,
          0n,
          BigInt(org),
          BigInt(org),
          false,
          0n,
        ]);
        expect(f.head.toLowerCase()).to.equal(head.toLowerCase());
        expect(word).to.equal(
          unitWord({ lastBlock: blockNumber, seq: 1n, status: 0n, registrant: BigInt(org), holder: BigInt(org), head }),
        );
      }),
      { numRuns: 50 },
    );
  });

  it("withStatus / withHolder change only their field; advanced keeps status, registrant and holder", async () => {
    const { harness } = await loadFixture(harnessFixture);
    const fieldsOf = async (w: bigint) => {
      const f = await harness.fields(w);
      return {
        lastBlock: f.lastBlock,
        seq: f.seq,
        status: f.status,
        registrant: f.registrant,
        holder: f.holder,
        head: f.head,
      };
    };
    await fc.assert(
      fc.asyncProperty(
        uintN(32),
        uintN(32),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 2 ** 24 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        head16,
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        head16,
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        async (lastBlock, seq, status, registrant, holder, head, newStatus, newHolder, newHead, newSeq) => {
          const word = unitWord({
            lastBlock,
            seq,
            status: BigInt(status),
            registrant: BigInt(registrant),
            holder: BigInt(holder),
            head,
          });
          const before = await fieldsOf(word);
          expect(await fieldsOf(await harness.withStatus(word, newStatus))).to.deep.equal({
            ...before,
            status: BigInt(newStatus),
          });
          expect(await fieldsOf(await harness.withHolder(word, newHolder))).to.deep.equal({
            ...before,
            holder: BigInt(newHolder),
          });
          const [adv, blockNumber] = await harness.advanced(word, newHead, newSeq);
          const after = await fieldsOf(adv);
          expect({ ...after, head: after.head.toLowerCase() }).to.deep.equal({
            ...before,
            lastBlock: blockNumber,
            seq: BigInt(newSeq),
            head: newHead.toLowerCase(),
          });
          const packed = (await harness.fields(await harness.withStatus(word, newStatus))).packed;
          expect(packed).to.equal((newStatus & FLAGS.PACKED) !== 0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
