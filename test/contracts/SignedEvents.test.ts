import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { TraceLedger } from "../../typechain-types";
import type { ITraceLedger } from "../../typechain-types/contracts/TraceLedger";
import { decodeInfo, encodeInfo, STEPS, type StepName } from "../../src/codes";
import { recordHash, signBatch, traceInput } from "../helpers/ledger";
import { tracedLogs } from "../helpers/reads";
import { TYPES, EXP_UNITS, FACTORY_UNIT, signedFixture, soon } from "../helpers/signed";
import { readHistory, replayedAndStoredHead } from "../helpers/history";

// ---------------------------------------------------------------------------------------------------------
// Local helpers (the fixture, its units and the typed-data types are in ../helpers/signed.ts).
// ---------------------------------------------------------------------------------------------------------

/** Block number of the unit's latest entry. */
async function lastBlockOf(ledger: TraceLedger, unit: string): Promise<number> {
  return Number((await ledger.unitState(unit)).lastBlock);
}

/** Expected info word of a plain recorded event (aux 0) built from a trace input. */
function recordedInfo(
  input: ITraceLedger.TraceInputStruct,
  fields: { prevBlock: number; seq: number; org: number },
): bigint {
  return encodeInfo({
    step: Number(input.step),
    disposition: Number(input.disposition),
    eventTime: Number(input.eventTime),
    location: BigInt(input.location),
    prevBlock: fields.prevBlock,
    seq: fields.seq,
    org: fields.org,
    aux: 0n,
  });
}

describe("SignedEvents: EIP-712 parity", () => {
  it("type strings and type hashes equal the ethers encoding of src/eip712.ts", async () => {
    const { ledger } = await loadFixture(signedFixture);
    const encoder = ethers.TypedDataEncoder.from(TYPES);
    expect(encoder.primaryType).to.equal("TraceBatch");
    expect(await ledger.TRACE_BATCH_TYPE()).to.equal(encoder.encodeType("TraceBatch"));
    expect(await ledger.TRACE_EVENT_TYPE()).to.equal(encoder.encodeType("TraceEvent"));
    expect(await ledger.TRACE_BATCH_TYPEHASH()).to.equal(ethers.id(encoder.encodeType("TraceBatch")));
    expect(await ledger.TRACE_EVENT_TYPEHASH()).to.equal(ethers.id(encoder.encodeType("TraceEvent")));
  });

  it("eip712Domain() names this ledger, its version, chain and address; DOMAIN_SEPARATOR matches ethers", async () => {
    const { ledger } = await loadFixture(signedFixture);
    const d = await ledger.eip712Domain();
    const { chainId } = await ethers.provider.getNetwork();
    const address = await ledger.getAddress();
    expect(d.fields).to.equal("0x0f");
    expect(d.name).to.equal("cbec-trace TraceLedger");
    expect(d.version).to.equal(await ledger.version());
    expect(d.chainId).to.equal(chainId);
    expect(d.verifyingContract).to.equal(address);
    expect(d.salt).to.equal(ethers.ZeroHash);
    expect(d.extensions).to.deep.equal([]);
    const separator = ethers.TypedDataEncoder.hashDomain({
      name: "cbec-trace TraceLedger",
      version: await ledger.version(),
      chainId,
      verifyingContract: address,
    });
    expect(await ledger.DOMAIN_SEPARATOR()).to.equal(separator);
  });
});

describe("SignedEvents: relaying", () => {
  for (const relayerName of ["platform", "stranger"] as const) {
    it(`a ${relayerName} relays the exporter's batch: logged as the exporter, with the exporter's org`, async () => {
      const { ledger, accounts, orgIds, stranger } = await loadFixture(signedFixture);
      const relayer = relayerName === "platform" ? accounts.platform : stranger;
      const exporter = accounts.exporter;
      const input = traceInput(EXP_UNITS[0], "INSPECTING", { label: "relayed" });
      const prevBlock = await lastBlockOf(ledger, EXP_UNITS[0]);
      const batch = await signBatch(ledger, exporter, [input], { deadline: await soon() });
      expect(await ledger.nonces(exporter.address)).to.equal(0n);

      const tx = await ledger.connect(relayer).recordBySig([batch]);
      const info = recordedInfo(input, { prevBlock, seq: 2, org: orgIds.exporter });
      await expect(tx).to.emit(ledger, "Traced").withArgs(EXP_UNITS[0], exporter.address, input.recordHash, info);

      const logs = await tracedLogs(ledger, tx);
      expect(logs).to.have.length(1);
      expect(logs[0].account).to.equal(exporter.address).and.not.equal(relayer.address);
      expect(decodeInfo(logs[0].info).org).to.equal(orgIds.exporter).and.not.equal(orgIds.platform);

      expect(await ledger.nonces(exporter.address)).to.equal(1n);
      expect((await ledger.accountInfo(exporter.address)).nonce).to.equal(1n);
      expect(await ledger.nonces(relayer.address)).to.equal(0n);
      const { replayed, stored, entries } = await replayedAndStoredHead(ledger, EXP_UNITS[0]);
      expect(entries.map((e) => e.seq)).to.deep.equal([1, 2]);
      expect(replayed).to.equal(stored);
    });
  }

  it("relays several batches from different signers in one call, each attributed to its signer", async () => {
    const { ledger, accounts, orgIds, stranger } = await loadFixture(signedFixture);
    const { exporter, factory, customs } = accounts;
    const deadline = await soon();
    const expEvents = [traceInput(EXP_UNITS[0], "STORING"), traceInput(EXP_UNITS[1], "INSPECTING")];
    const facEvents = [traceInput(FACTORY_UNIT, "INSPECTING")];
    const cusEvents = [traceInput(EXP_UNITS[0], "SAMPLING"), traceInput(FACTORY_UNIT, "SAMPLING")];
    const batches = [
      await signBatch(ledger, exporter, expEvents, { deadline }),
      await signBatch(ledger, factory, facEvents, { deadline }),
      await signBatch(ledger, customs, cusEvents, { deadline }),
      // A second batch of the exporter in the same call, with the next nonce.
      await signBatch(ledger, exporter, [traceInput(EXP_UNITS[2], "STORING")], { deadline, nonce: 1n }),
    ];
    const tx = await ledger.connect(stranger).recordBySig(batches);
    const logs = await tracedLogs(ledger, tx);
    const expected: Array<[string, string, number]> = [
      [EXP_UNITS[0], exporter.address, orgIds.exporter],
      [EXP_UNITS[1], exporter.address, orgIds.exporter],
      [FACTORY_UNIT, factory.address, orgIds.factory],
      [EXP_UNITS[0], customs.address, orgIds.customs],
      [FACTORY_UNIT, customs.address, orgIds.customs],
      [EXP_UNITS[2], exporter.address, orgIds.exporter],
    ];
    expect(logs.map((l) => [l.unit, l.account, decodeInfo(l.info).org])).to.deep.equal(expected);
    expect(logs.map((l) => decodeInfo(l.info).step)).to.deep.equal([
      STEPS.STORING,
      STEPS.INSPECTING,
      STEPS.INSPECTING,
      STEPS.SAMPLING,
      STEPS.SAMPLING,
      STEPS.STORING,
    ]);
    expect(await ledger.nonces(exporter.address)).to.equal(2n);
    expect(await ledger.nonces(factory.address)).to.equal(1n);
    expect(await ledger.nonces(customs.address)).to.equal(1n);
    for (const unit of [...EXP_UNITS, FACTORY_UNIT]) {
      const { replayed, stored } = await replayedAndStoredHead(ledger, unit);
      expect(replayed, unit).to.equal(stored);
    }
    expect((await ledger.unitState(EXP_UNITS[0])).seq).to.equal(3n);
    expect((await ledger.unitState(FACTORY_UNIT)).seq).to.equal(3n);
  });

  it("records a batch of MAX_BATCH events in order, several per unit", async function () {
    // 2 s on the Hardhat network, but near two minutes on the instrumented bytecode of the coverage run.
    this.timeout(600_000);
    const { ledger, accounts } = await loadFixture(signedFixture);
    const max = Number(await ledger.MAX_BATCH());
    const steps: StepName[] = ["INSPECTING", "STORING", "RECEIVING", "SHIPPING", "HOLDING"];
    const events = Array.from({ length: max }, (_, i) =>
      traceInput(EXP_UNITS[i % 3], steps[i % steps.length], { label: `many:${i}`, eventTime: 1_767_225_600 + i }),
    );
    const batch = await signBatch(ledger, accounts.exporter, events, { deadline: await soon() });
    const tx = await ledger.connect(accounts.platform).recordBySig([batch]);
    const logs = await tracedLogs(ledger, tx);
    expect(logs).to.have.length(max);
    logs.forEach((l, i) => {
      const d = decodeInfo(l.info);
      expect([l.unit, l.account, d.step, d.eventTime]).to.deep.equal([
        EXP_UNITS[i % 3],
        accounts.exporter.address,
        STEPS[steps[i % steps.length]],
        1_767_225_600 + i,
      ]);
    });
    for (let u = 0; u < 3; u++) {
      const count = Math.floor(max / 3) + (u < max % 3 ? 1 : 0);
      const { replayed, stored, entries } = await replayedAndStoredHead(ledger, EXP_UNITS[u]);
      expect(entries).to.have.length(count + 1);
      expect(entries.map((e) => e.seq)).to.deep.equal(Array.from({ length: count + 1 }, (_, i) => i + 1));
      expect(replayed).to.equal(stored);
    }
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(1n);
  });

  it("accepts a batch relayed in the block whose timestamp equals its deadline", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const deadline = await soon();
    const batch = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "STORING")], { deadline });
    await time.setNextBlockTimestamp(deadline);
    await expect(ledger.connect(accounts.platform).recordBySig([batch]))
      .to.emit(ledger, "Traced")
      .withArgs(EXP_UNITS[0], accounts.exporter.address, recordHash(`${EXP_UNITS[0]}:STORING`), anyValue);
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(1n);
  });
});

describe("SignedEvents: ERC-1271 contract accounts", () => {
  async function walletFixture() {
    const f = await signedFixture();
    const owner = f.spare[0];
    const wallet = await (await ethers.getContractFactory("ERC1271WalletMock")).deploy(owner.address);
    const walletAddress = await wallet.getAddress();
    await (await f.ledger.connect(f.accounts.exporter).addAccountAsOrg(walletAddress, false)).wait();
    return { ...f, owner, wallet, walletAddress };
  }

  it("accepts a batch signed by the wallet owner for signer = wallet, logged with account = wallet", async () => {
    const { ledger, accounts, orgIds, owner, wallet, walletAddress } = await loadFixture(walletFixture);
    expect(await wallet.owner()).to.equal(owner.address);
    const input = traceInput(EXP_UNITS[1], "STORING", { label: "wallet" });
    const prevBlock = await lastBlockOf(ledger, EXP_UNITS[1]);
    const batch = await signBatch(ledger, owner, [input], { deadline: await soon(), signerAddress: walletAddress });
    const tx = await ledger.connect(accounts.platform).recordBySig([batch]);
    await expect(tx)
      .to.emit(ledger, "Traced")
      .withArgs(
        EXP_UNITS[1],
        walletAddress,
        input.recordHash,
        recordedInfo(input, { prevBlock, seq: 2, org: orgIds.exporter }),
      );
    expect(await ledger.nonces(walletAddress)).to.equal(1n);
    expect(await ledger.nonces(owner.address)).to.equal(0n);
    const history = await readHistory(ledger, EXP_UNITS[1]);
    expect(history.map((e) => e.account)).to.deep.equal([accounts.exporter.address, walletAddress]);
  });

  it("refuses a batch for the wallet signed by a key that is not its owner", async () => {
    const { ledger, accounts, walletAddress } = await loadFixture(walletFixture);
    const batch = await signBatch(ledger, accounts.rival, [traceInput(EXP_UNITS[1], "STORING")], {
      deadline: await soon(),
      signerAddress: walletAddress,
    });
    await expect(ledger.connect(accounts.platform).recordBySig([batch]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(0n, ledger.interface.encodeErrorResult("TraceLedgerInvalidSignature", [walletAddress]));
    expect(await ledger.nonces(walletAddress)).to.equal(0n);
    expect((await ledger.unitState(EXP_UNITS[1])).seq).to.equal(1n);
  });
});
