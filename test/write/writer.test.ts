/** The SDK write path against the Hardhat network: batching, exactly-once submission, errors, signing. */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import {
  deployLedger,
  itemKey,
  cartonKey,
  registration,
  traceInput,
  aggregation,
  recordHash,
  EVENT_TIME,
} from "../helpers/ledger";
import { readerFor, writerFor, walletFor, toSdkRegistration } from "../helpers/sdk";
import {
  BatchItemRejectedError,
  NotAllowedError,
  UnitNotRegisteredError,
  StageViolationError,
  AccountNotActiveError,
  ContractRefusalError,
  InvalidRequestError,
  OutOfScopeError,
} from "../../src/errors/contract";
import { unregistered, unrecorded } from "../../src/write/resume";
import { signedBatchFromJson, signedBatchToJson } from "../../src/write/sign";
import type { TraceInput } from "../../src/write/types";
import { STEPS } from "../../src/codes";
import { unitKeyOfPath } from "../../src/gs1/key";
import { correctionProof } from "../../src/hashChain/hashChain";

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const asEvent = (e: ReturnType<typeof traceInput>) => e as unknown as TraceInput;
const asReg = toSdkRegistration;
/** A custody / assignment / correction entry: its record's time and place, as `recordObjectEvent(…).input` gives. */
const at = (label: string, eventTime = EVENT_TIME, location = 0n) => ({
  eventTime,
  location,
  recordHash: recordHash(label) as Hex,
});

describe("SDK writer", () => {
  it("registers and records many items, splitting into transactions that fit the gas budget", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address, { maxTxGas: 1_000_000n });
    const units = range(1, 120).map((n) => itemKey(n));
    const reg = await writer.register(units.map((u) => asReg(registration(u))));
    expect(reg.items).to.equal(120);
    expect(reg.transactions.length).to.be.greaterThan(2);
    for (const t of reg.transactions) expect(t.gasUsed).to.be.lessThanOrEqual(1_000_000n);
    const rec = await writer.record(units.map((u) => asEvent(traceInput(u, "STORING"))));
    expect(rec.transactions.length).to.be.greaterThan(1);
    for (const u of [units[0], units[59], units[119]]) expect((await ledger.unitState(u)).seq).to.equal(2);
  });

  it("reports a refused item with its index in the whole batch, across chunks", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address, { maxTxGas: 1_000_000n });
    const units = range(1, 100).map((n) => itemKey(n));
    await writer.register(units.map((u) => asReg(registration(u))));
    const events = units.map((u) => asEvent(traceInput(u, "STORING")));
    events[83] = asEvent(traceInput(itemKey(999), "STORING"));
    const error = await writer.record(events).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(BatchItemRejectedError);
    const rejected = error as BatchItemRejectedError;
    expect(rejected.index).to.equal(83);
    expect(rejected.reason).to.be.instanceOf(UnitNotRegisteredError);
    expect(rejected.shortMessage).to.match(/Item 83 of the batch was refused/);
  });

  it("turns refusals into named errors that say what to do", async () => {
    const { ledger, accounts, admin } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    await writer.register([asReg(registration(itemKey(1)))]);
    const notAllowed = await writer.record([asEvent(traceInput(itemKey(1), "CUSTOMS_RELEASED"))]).catch((e) => e);
    expect(notAllowed).to.be.instanceOf(NotAllowedError);
    expect(notAllowed.name).to.equal("NotAllowedError");
    expect(notAllowed.shortMessage).to.equal(
      `Account ${accounts.exporter.address} (organization 1, roles: EXPORTER) may not record CUSTOMS_RELEASED.`,
    );
    expect(notAllowed.hints.join(" ")).to.match(/consortium admin/);
    const customs = await writerFor(ledger, accounts.customs.address);
    const stage = await customs.record([asEvent(traceInput(itemKey(1), "CUSTOMS_RELEASED"))]).catch((e) => e);
    expect(stage).to.be.instanceOf(StageViolationError);
    expect(stage.shortMessage).to.match(/CUSTOMS_RELEASED is not allowed .* at stage ACTIVE/);
    await ledger.connect(admin).suspendAccount(accounts.exporter.address);
    const suspended = await writer.record([asEvent(traceInput(itemKey(1), "STORING"))]).catch((e) => e);
    expect(suspended).to.be.instanceOf(AccountNotActiveError);
    expect(suspended.message).to.include("suspended");
  });

  /** Replaces the raw broadcast (`eth_sendRawTransaction`) of the shared provider for one test. */
  async function withBroadcast(
    fake: (original: (signed: string) => Promise<unknown>, call: number, signed: string) => Promise<unknown>,
    body: () => Promise<void>,
  ) {
    const provider = ethers.provider as unknown as { send: (method: string, params: unknown[]) => Promise<unknown> };
    const send = provider.send.bind(provider);
    const original = (signed: string) => send("eth_sendRawTransaction", [signed]);
    let call = 0;
    provider.send = (method, params) =>
      method === "eth_sendRawTransaction" ? fake(original, ++call, params[0] as string) : send(method, params);
    try {
      await body();
    } finally {
      provider.send = send;
    }
  }

  it("sends exactly once when the response to a broadcast is lost", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address, { receiptTimeoutMs: 300 });
    await writer.register([asReg(registration(itemKey(1)))]);
    const sent: string[] = [];
    await withBroadcast(
      async (original, call, signed) => {
        sent.push(signed);
        const response = await original(signed); // reaches the node ...
        if (call === 1) throw Object.assign(new Error("socket hang up"), { code: "NETWORK_ERROR" }); // ... answer lost
        return response;
      },
      async () => {
        const result = await writer.record([asEvent(traceInput(itemKey(1), "STORING"))]);
        expect(result.transactions[0].receipt.status).to.equal(1);
      },
    );
    expect((await ledger.unitState(itemKey(1))).seq).to.equal(2);
    expect(new Set(sent).size).to.equal(1, "every broadcast carried the same signed transaction");
  });

  it("broadcasts the same signed transaction again when the first one never arrived", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address, { receiptTimeoutMs: 300 });
    await writer.register([asReg(registration(itemKey(1)))]);
    const sent: string[] = [];
    await withBroadcast(
      async (original, call, signed) => {
        sent.push(signed);
        if (call === 1) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "NETWORK_ERROR" });
        return original(signed);
      },
      async () => {
        const result = await writer.record([asEvent(traceInput(itemKey(1), "STORING"))]);
        expect(result.transactions[0].broadcasts).to.equal(2);
      },
    );
    expect(sent.length).to.equal(2);
    expect(sent[0]).to.equal(sent[1]);
    expect((await ledger.unitState(itemKey(1))).seq).to.equal(2);
  });

  it("retries reads that fail at the network level, never a refusal", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    await writer.register([asReg(registration(itemKey(1)))]);
    // `record` has a gas model: its pre-flight is an `eth_call` at the modelled limit, not an estimate.
    const provider = ethers.provider as unknown as {
      call: (tx: unknown) => Promise<string>;
      getFeeData: () => Promise<unknown>;
    };
    const [call, getFeeData] = [provider.call.bind(provider), provider.getFeeData.bind(provider)];
    let calls = 0;
    let feeReads = 0;
    provider.call = (tx) =>
      ++calls === 1 ? Promise.reject(Object.assign(new Error("read ECONNRESET"), { code: "NETWORK_ERROR" })) : call(tx);
    provider.getFeeData = () =>
      ++feeReads <= 2
        ? Promise.reject(Object.assign(new Error("bad response (502)"), { code: "SERVER_ERROR" }))
        : getFeeData();
    try {
      const ok = await writer.record([asEvent(traceInput(itemKey(1), "STORING"))]);
      expect(ok.items).to.equal(1);
      expect([calls, feeReads]).to.deep.equal([2, 3]);
      calls = 10; // no more injected failures: the refusal below is the contract's answer, asked once
      const refused = await writer.record([asEvent(traceInput(itemKey(1), "CUSTOMS_RELEASED"))]).catch((e) => e);
      expect(refused).to.be.instanceOf(NotAllowedError);
      expect(calls).to.equal(11);
    } finally {
      provider.call = call;
      provider.getFeeData = getFeeData;
    }
    expect((await ledger.unitState(itemKey(1))).seq).to.equal(2);
  });

  it("retrying a whole operation after a crash does not duplicate it (state check)", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    const reader = await readerFor(ledger);
    await writer.register([asReg(registration(itemKey(1)))]);
    const event = asEvent(traceInput(itemKey(1), "STORING"));
    await writer.record(await unrecorded(reader, [event]));
    // A new process retries the same operation: nothing is left to send.
    const again = await writer.record(await unrecorded(reader, [event]));
    expect(again.transactions).to.deep.equal([]);
    expect((await ledger.unitState(itemKey(1))).seq).to.equal(2);
  });

  it("gives concurrent submissions from one key distinct nonces; all land once", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    const units = range(1, 12).map((n) => itemKey(n));
    await writer.register(units.map((u) => asReg(registration(u))));
    const results = await Promise.all(units.map((u) => writer.record([asEvent(traceInput(u, "INSPECTING"))])));
    const nonces = results.map((r) => r.transactions[0].nonce);
    expect(new Set(nonces).size).to.equal(units.length);
    for (const u of units) expect((await ledger.unitState(u)).seq).to.equal(2);
  });

  it("skips what the chain already holds, so a rerun writes nothing twice", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    const reader = await readerFor(ledger);
    const regs = range(1, 30).map((n) => asReg(registration(itemKey(n))));
    await writer.register(regs.slice(0, 10));
    const todo = await unregistered(reader, [...regs, regs[3]]);
    expect(todo.length).to.equal(20);
    await writer.register(todo);
    const events = regs.map((r) => asEvent(traceInput(unitKeyOfPath(r.path), "STORING")));
    await writer.record(events.slice(0, 17));
    const left = await unrecorded(reader, [...events, events[20]]);
    expect(left.map((e) => e.unit)).to.deep.equal(events.slice(17).map((e) => e.unit));
    await writer.record(left);
    expect(await unrecorded(reader, events)).to.deep.equal([]);
    for (const r of regs) expect((await ledger.unitState(unitKeyOfPath(r.path))).seq).to.equal(2);
  });

  it("packs, hands over (offer + accept), assigns and corrects with a proof through the SDK", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    const items = range(1, 5).map((n) => itemKey(n));
    await writer.register([...items, cartonKey(1)].map((u) => asReg(registration(u))));
    await writer.pack(aggregation(cartonKey(1)) as never, items);
    expect((await ledger.unitState(items[0])).parent).to.equal(cartonKey(1));
    await writer.assign(cartonKey(1), orgIds.lab, true, at("lab"));
    // the proof comes from the history the reader already reads
    const reader = await readerFor(ledger);
    const history = await reader.history(cartonKey(1) as Hex);
    const { chainId } = await ethers.provider.getNetwork();
    const proof = correctionProof(chainId, reader.ledger.address, cartonKey(1) as Hex, history.entries, 1);
    await writer.correct(cartonKey(1), 1, at("fix"), proof);
    expect((await ledger.unitState(cartonKey(1))).seq).to.equal(4n);
    const offered = EVENT_TIME + 3600;
    const taken = EVENT_TIME + 5400;
    await writer.handover(cartonKey(1), orgIds.carrier, at("waybill", offered, 6901234000004n));
    expect((await ledger.unitState(items[4])).custodian).to.equal(orgIds.exporter);
    const carrier = await writerFor(ledger, accounts.carrier.address);
    await carrier.acceptHandover(cartonKey(1), at("picked up", taken, 6901234000004n));
    expect((await ledger.unitState(items[4])).custodian).to.equal(orgIds.carrier);
    // Every entry reads back with the time its caller gave, not the block's.
    const entries = (await reader.history(cartonKey(1) as Hex)).entries;
    expect(entries.map((e) => [e.step, e.eventTime])).to.deep.equal([
      [STEPS.COMMISSIONING, EVENT_TIME],
      [STEPS.PACKING, EVENT_TIME],
      [STEPS.ASSIGNED, EVENT_TIME],
      [STEPS.CORRECTION, EVENT_TIME],
      [STEPS.CUSTODY_TRANSFERRED, taken],
    ]);
    expect(entries[4].location).to.equal(6901234000004n);
    await carrier.unpack(aggregation(cartonKey(1)) as never, items.slice(0, 2));
    expect((await ledger.unitState(items[0])).custodian).to.equal(orgIds.carrier);
  });

  it("decodes the custody and correction refusals into typed errors", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    await writer.register([asReg(registration(itemKey(1)))]);
    const carrier = await writerFor(ledger, accounts.carrier.address);
    const noOffer = await carrier.acceptHandover(itemKey(1), at("x")).catch((e) => e);
    expect(noOffer).to.be.instanceOf(OutOfScopeError);
    expect(noOffer).to.include({ errorName: "TraceLedgerNoHandoverOffer" });
    const self = await writer.assign(itemKey(1), orgIds.exporter, true, at("x")).catch((e) => e);
    expect(self).to.be.instanceOf(InvalidRequestError);
    expect(self).to.include({ errorName: "TraceLedgerSelfTarget" });
    const reader = await readerFor(ledger);
    const history = await reader.history(itemKey(1) as Hex);
    const { chainId } = await ethers.provider.getNetwork();
    const proof = correctionProof(chainId, reader.ledger.address, itemKey(1) as Hex, history.entries, 1);
    const lab = await writerFor(ledger, accounts.lab.address);
    const notAuthor = await lab.correct(itemKey(1), 1, at("x"), proof).catch((e) => e);
    expect(notAuthor).to.be.instanceOf(NotAllowedError);
    expect(notAuthor).to.include({ errorName: "TraceLedgerNotEntryAuthor" });
    const stale = await writer.correct(itemKey(1), 1, at("x"), { head: proof.head, entries: [] }).catch((e) => e);
    expect(stale).to.include({ errorName: "TraceLedgerInvalidCorrectionProof" });
  });

  it("ATTACK: a handover dated ahead of the chain is refused as a record is, a correction dated before its entry too", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    await writer.register([asReg(registration(itemKey(1)))]);
    const ahead = (await ethers.provider.getBlock("latest"))!.timestamp + 86_400;
    const offer = await writer.handover(itemKey(1), orgIds.carrier, at("tomorrow", ahead)).catch((e) => e);
    const event = await writer
      .record([asEvent(traceInput(itemKey(1), "STORING", { eventTime: ahead }))])
      .catch((e) => e);
    for (const refused of [offer, event]) {
      expect(refused).to.be.instanceOf(InvalidRequestError);
      expect(refused).to.include({ errorName: "TraceLedgerInvalidEventTime" });
      expect(refused.message).to.match(/after .* the latest this block accepts/);
    }
    expect((await ledger.handoverOffer(itemKey(1))).toOrg).to.equal(0n);
    const reader = await readerFor(ledger);
    const { chainId } = await ethers.provider.getNetwork();
    const history = await reader.history(itemKey(1) as Hex);
    const proof = correctionProof(chainId, reader.ledger.address, itemKey(1) as Hex, history.entries, 1);
    const early = await writer.correct(itemKey(1), 1, at("before", EVENT_TIME - 1), proof).catch((e) => e);
    expect(early).to.include({ errorName: "TraceLedgerCorrectionPredatesEntry" });
    expect(early.message).to.contain("2026-01-01T00:00:00Z");
    // A caller still passing the record hash alone is told what the call takes, before anything is sent.
    const old = await writer.assign(itemKey(1), orgIds.lab, true, recordHash("x") as never).catch((e) => e);
    expect(old).to.be.instanceOf(TypeError);
    expect(old.message).to.contain("not a record hash alone");
    expect((await ledger.unitState(itemKey(1))).seq).to.equal(1n);
  });

  it("signs offline and relays through another account; the log names the signer", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const exporter = await writerFor(ledger, accounts.exporter.address);
    await exporter.register([asReg(registration(itemKey(1)))]);
    const deadline = (await ethers.provider.getBlock("latest"))!.timestamp + 3600;
    const signed = await exporter.sign([asEvent(traceInput(itemKey(1), "INSPECTING"))], { deadline });
    const roundTripped = signedBatchFromJson(signedBatchToJson(signed));
    expect(roundTripped).to.deep.equal(signed);
    const relayer = await writerFor(ledger, accounts.platform.address);
    await mine(3);
    const result = await relayer.relay([roundTripped]);
    const reader = await readerFor(ledger);
    const history = await reader.history(itemKey(1) as Hex);
    const last = history.entries[history.entries.length - 1];
    expect(last.account).to.equal(accounts.exporter.address);
    expect(last.step).to.equal(STEPS.INSPECTING);
    expect(result.transactions[0].receipt.from).to.equal(accounts.platform.address);
    expect(walletFor(accounts.platform.address).address).to.equal(accounts.platform.address);
  });

  // --- Signed batches, trust model v2 (issue 11 item 8) ---

  /** Three signers' batches (exporter, factory, customs); the factory's names an unregistered unit. */
  async function threeSigners() {
    const f = await deployLedger();
    const exporter = await writerFor(f.ledger, f.accounts.exporter.address);
    await exporter.register([asReg(registration(itemKey(1))), asReg(registration(itemKey(2)))]);
    const deadline = (await ethers.provider.getBlock("latest"))!.timestamp + 3600;
    const factory = await writerFor(f.ledger, f.accounts.factory.address);
    const customs = await writerFor(f.ledger, f.accounts.customs.address);
    const batches = [
      await exporter.sign([asEvent(traceInput(itemKey(1), "STORING"))], { deadline }),
      await factory.sign([asEvent(traceInput(itemKey(999), "INSPECTING"))], { deadline }),
      await customs.sign([asEvent(traceInput(itemKey(2), "SAMPLING"))], { deadline }),
    ];
    return { ...f, exporter, batches };
  }

  it("relays several signers' batches in one transaction and reports the refused one with its decoded error", async () => {
    const { ledger, accounts, batches } = await loadFixture(threeSigners);
    const relayer = await writerFor(ledger, accounts.platform.address);
    const result = await relayer.relay(batches);
    expect(result.transactions).to.have.length(1);
    expect(result.relayed).to.deep.equal([0, 2]);
    expect(result.items).to.equal(2);
    expect(result.failed).to.have.length(1);
    const [failure] = result.failed;
    expect([failure.index, failure.signer, failure.nonce, failure.transactionHash]).to.deep.equal([
      1,
      accounts.factory.address,
      0n,
      result.transactions[0].hash,
    ]);
    expect(failure.error).to.be.instanceOf(BatchItemRejectedError);
    const rejected = failure.error as BatchItemRejectedError;
    expect(rejected.index).to.equal(0);
    expect(rejected.reason).to.be.instanceOf(UnitNotRegisteredError);
    expect((await ledger.unitState(itemKey(1))).seq).to.equal(2n);
    expect((await ledger.unitState(itemKey(2))).seq).to.equal(2n);
    expect(await ledger.nonces(accounts.factory.address)).to.equal(0n);
  });

  it("reports a refused batch of a relay split into one-batch transactions instead of throwing", async () => {
    const { ledger, accounts, batches } = await loadFixture(threeSigners);
    const relayer = await writerFor(ledger, accounts.platform.address, { maxTxGas: 200_000n });
    const result = await relayer.relay(batches);
    expect(result.transactions).to.have.length(2);
    expect(result.relayed).to.deep.equal([0, 2]);
    expect(result.failed.map((f) => [f.index, f.signer, f.transactionHash])).to.deep.equal([
      [1, accounts.factory.address, undefined],
    ]);
    expect((result.failed[0].error as BatchItemRejectedError).reason).to.be.instanceOf(UnitNotRegisteredError);
  });

  it("a relay of one refused batch still throws its precise error", async () => {
    const { ledger, accounts, batches } = await loadFixture(threeSigners);
    const relayer = await writerFor(ledger, accounts.platform.address);
    const error = await relayer.relay([batches[1]]).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(BatchItemRejectedError);
    expect((error as BatchItemRejectedError).index).to.equal(0);
    expect((error as BatchItemRejectedError).reason).to.be.instanceOf(UnitNotRegisteredError);
  });

  it("invalidateNonces voids the batches a key signed and not yet relayed; it signs again from the new nonce", async () => {
    const { ledger, accounts, exporter, batches } = await loadFixture(threeSigners);
    const { nonce } = await exporter.invalidateNonces();
    expect(nonce).to.equal(1n << 32n);
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(1n << 32n);
    const relayer = await writerFor(ledger, accounts.platform.address);
    const stale = await relayer.relay([batches[0]]).catch((e: unknown) => e);
    expect((stale as BatchItemRejectedError).reason.errorName).to.equal("TraceLedgerInvalidNonce");
    const deadline = (await ethers.provider.getBlock("latest"))!.timestamp + 3600;
    const fresh = await exporter.sign([asEvent(traceInput(itemKey(1), "STORING"))], { deadline });
    expect(fresh.nonce).to.equal(1n << 32n);
    expect((await relayer.relay([fresh])).relayed).to.deep.equal([0]);
    const refused = await exporter.invalidateNonces(5n).catch((e: unknown) => e);
    expect((refused as ContractRefusalError).errorName).to.equal("ConsortiumNonceNotIncreased");
    expect((refused as ContractRefusalError).shortMessage).to.match(
      /already 4294967297; invalidating needs a larger one than 5/,
    );
  });

  it("splits a batch whose calldata is over maxTxBytes (nodes refuse large transactions): every chunk fits, every unit lands", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address, { maxTxBytes: 6_000 });
    const units = range(1, 60).map((n) => itemKey(n, "BYTES"));
    const reg = await writer.register(units.map((u) => asReg(registration(u))));
    expect(reg.items).to.equal(60);
    expect(reg.transactions.length).to.be.greaterThan(2);
    for (const t of reg.transactions) {
      const sent = await ethers.provider.getTransaction(t.hash);
      expect((sent!.data.length - 2) / 2).to.be.lessThanOrEqual(6_000);
    }
    for (const u of units) expect((await ledger.unitState(u)).seq).to.equal(1n);
  });
});
