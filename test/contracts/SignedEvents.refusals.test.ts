import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TraceLedger } from "../../typechain-types";
import type { ITraceLedger } from "../../typechain-types/contracts/TraceLedger";
import { ROLES, STEPS } from "../../src/codes";
import { deployLedger, itemKey, recordHash, registration, signBatch, traceInput, EVENT_TIME } from "../helpers/ledger";
import { encodedError, tracedLogs } from "../helpers/reads";
import { TYPES, EXP_UNITS, FACTORY_UNIT, batchFailures, rejectedAt, signedFixture, soon } from "../helpers/signed";

// ---------------------------------------------------------------------------------------------------------
// Local helpers (the accepting paths are in SignedEvents.test.ts; the fixture is in ../helpers/signed.ts).
// ---------------------------------------------------------------------------------------------------------

/** The index of event `i` of signed batch `b` in `TraceLedgerBatchItemRejected` (a one-batch relay: b = 0). */
const at = (b: number, i = 0) => (BigInt(b) << 16n) | BigInt(i);

/** `TraceLedgerBatchItemRejected(index, <inner error>)` as the chai matcher's arguments. */
function rejected(ledger: TraceLedger, index: bigint, error: string, args: unknown[] = []): [bigint, string] {
  return [index, encodedError(ledger, error, args)];
}

/** Signs a batch by hand for any domain (another chain id or another verifying contract). */
async function signForDomain(
  signer: HardhatEthersSigner,
  domain: { name: string; version: string; chainId: bigint; verifyingContract: string },
  events: ITraceLedger.TraceInputStruct[],
  nonce: bigint,
  deadline: number,
): Promise<ITraceLedger.SignedBatchStruct> {
  const value = { signer: signer.address, nonce, deadline, events };
  return { ...value, signature: await signer.signTypedData(domain, TYPES, value) };
}

/** Nonces and seqs that an atomic refusal must leave untouched. */
async function snapshot(ledger: TraceLedger, signers: string[], units: string[]) {
  return {
    nonces: await Promise.all(signers.map((s) => ledger.nonces(s))),
    units: await Promise.all(units.map(async (u) => (await ledger.unitState(u)).head)),
    seqs: await Promise.all(units.map(async (u) => (await ledger.unitState(u)).seq)),
  };
}

describe("SignedEvents: refusals", () => {
  it("refuses an expired batch with TraceLedgerSignatureExpired; relayed with others, it fails alone", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const deadline = await soon();
    const good = await signBatch(ledger, accounts.factory, [traceInput(FACTORY_UNIT, "STORING")], {
      deadline: deadline + 7200,
    });
    const late = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "STORING")], { deadline });
    await time.increaseTo(deadline + 1);
    await expect(ledger.connect(accounts.platform).recordBySig([late]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerSignatureExpired", [deadline]));
    // Issue 11: with another signer's batch, the expired one no longer sinks it.
    const tx = await ledger.connect(accounts.platform).recordBySig([good, late]);
    expect(await batchFailures(ledger, tx)).to.deep.equal([
      {
        index: 1,
        signer: accounts.exporter.address,
        nonce: 0n,
        reason: rejectedAt(ledger, 0, "TraceLedgerSignatureExpired", [deadline]),
      },
    ]);
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(0n);
    expect(await ledger.nonces(accounts.factory.address)).to.equal(1n);
  });

  it("refuses a replayed batch with TraceLedgerInvalidNonce(signer, current nonce)", async () => {
    const { ledger, accounts, stranger } = await loadFixture(signedFixture);
    const exporter = accounts.exporter.address;
    const batch = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "STORING")], {
      deadline: await soon(),
    });
    await (await ledger.connect(accounts.platform).recordBySig([batch])).wait();
    const seq = (await ledger.unitState(EXP_UNITS[0])).seq;
    await expect(ledger.connect(accounts.platform).recordBySig([batch]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerInvalidNonce", [exporter, 1n]));
    // The same batch twice in one call: the second copy is the replay, refused alone (issue 11).
    const next = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "SHIPPING")], {
      deadline: await soon(),
    });
    const tx = await ledger.connect(stranger).recordBySig([next, next]);
    expect(await batchFailures(ledger, tx)).to.deep.equal([
      {
        index: 1,
        signer: exporter,
        nonce: 1n,
        reason: rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [exporter, 2n]),
      },
    ]);
    expect(await ledger.nonces(exporter)).to.equal(2n);
    expect((await ledger.unitState(EXP_UNITS[0])).seq).to.equal(seq + 1n);
  });

  it("refuses an out-of-order nonce (ahead of or behind the current one)", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const exporter = accounts.exporter.address;
    const deadline = await soon();
    const ahead = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "STORING")], {
      deadline,
      nonce: 1n,
    });
    await expect(ledger.connect(accounts.platform).recordBySig([ahead]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerInvalidNonce", [exporter, 0n]));
    // Nonces 1 then 0 in one call: the first is out of order and fails alone; the second is recorded.
    const first = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[1], "STORING")], {
      deadline,
      nonce: 0n,
    });
    const tx = await ledger.connect(accounts.platform).recordBySig([ahead, first]);
    expect(await batchFailures(ledger, tx)).to.deep.equal([
      {
        index: 0,
        signer: exporter,
        nonce: 1n,
        reason: rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [exporter, 0n]),
      },
    ]);
    expect(await ledger.nonces(exporter)).to.equal(1n);
    // Its failure did not consume nonce 1: now in order, it goes through.
    await (await ledger.connect(accounts.platform).recordBySig([ahead])).wait();
    expect(await ledger.nonces(exporter)).to.equal(2n);
  });

  it("refuses a signature by another key claiming to be the signer", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const forged = await signBatch(ledger, accounts.rival, [traceInput(EXP_UNITS[0], "STORING")], {
      deadline: await soon(),
      signerAddress: accounts.exporter.address,
    });
    await expect(ledger.connect(accounts.rival).recordBySig([forged]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerInvalidSignature", [accounts.exporter.address]));
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(0n);
  });

  it("refuses a signature made for another chain id", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const d = await ledger.eip712Domain();
    const domain = {
      name: d.name,
      version: d.version,
      chainId: d.chainId + 1n,
      verifyingContract: d.verifyingContract,
    };
    const events = [traceInput(EXP_UNITS[0], "STORING")];
    const other = await signForDomain(accounts.exporter, domain, events, 0n, await soon());
    await expect(ledger.connect(accounts.platform).recordBySig([other]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerInvalidSignature", [accounts.exporter.address]));
    // Control: the same hand-built signature with this chain's id is accepted.
    const here = await signForDomain(accounts.exporter, { ...domain, chainId: d.chainId }, events, 0n, await soon());
    await (await ledger.connect(accounts.platform).recordBySig([here])).wait();
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(1n);
  });

  it("refuses a signature made for another ledger (verifying contract), valid on that ledger", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const second = (await deployLedger()).ledger;
    expect(await second.getAddress()).to.not.equal(await ledger.getAddress());
    await (await second.connect(accounts.exporter).register(registration(EXP_UNITS[0]))).wait();
    const events = [traceInput(EXP_UNITS[0], "STORING")];
    const forSecond = await signBatch(second, accounts.exporter, events, { deadline: await soon() });
    await expect(ledger.connect(accounts.platform).recordBySig([forSecond]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerInvalidSignature", [accounts.exporter.address]));
    await expect(second.connect(accounts.platform).recordBySig([forSecond])).to.emit(second, "Traced");
    expect(await second.nonces(accounts.exporter.address)).to.equal(1n);
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(0n);
  });

  it("refuses a batch whose events or deadline were changed after signing", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const signed = await signBatch(
      ledger,
      accounts.exporter,
      [traceInput(EXP_UNITS[0], "STORING"), traceInput(EXP_UNITS[1], "STORING")],
      { deadline: await soon() },
    );
    const events = signed.events as ITraceLedger.TraceInputStruct[];
    const tampered: ITraceLedger.SignedBatchStruct[] = [
      { ...signed, events: [events[0], { ...events[1], recordHash: recordHash("forged") }] },
      { ...signed, events: [events[0], { ...events[1], unit: EXP_UNITS[2] }] },
      { ...signed, events: [events[0], { ...events[1], step: STEPS.SHIPPING }] },
      { ...signed, events: [events[0], { ...events[1], eventTime: 1n }] },
      { ...signed, events: [events[1], events[0]] },
      { ...signed, events: [events[0]] },
      { ...signed, events: [events[0], events[1], events[1]] },
      { ...signed, deadline: Number(signed.deadline) + 1 },
    ];
    for (const batch of tampered) {
      await expect(ledger.connect(accounts.platform).recordBySig([batch]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(...rejected(ledger, at(0), "TraceLedgerInvalidSignature", [accounts.exporter.address]));
    }
    await expect(ledger.connect(accounts.platform).recordBySig([signed])).to.emit(ledger, "Traced");
  });

  it("refuses malformed signature bytes (length 0, 64 and 66) and a high-s twin", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const signed = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "STORING")], {
      deadline: await soon(),
    });
    const sig = ethers.getBytes(signed.signature);
    expect(sig.length).to.equal(65);
    for (const bad of [new Uint8Array(0), sig.slice(0, 64), ethers.concat([sig, "0x00"])]) {
      await expect(ledger.connect(accounts.platform).recordBySig([{ ...signed, signature: bad }]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(...rejected(ledger, at(0), "TraceLedgerInvalidSignature", [accounts.exporter.address]));
    }
    // The malleable twin (s' = n - s, flipped v) of a valid signature is refused as well.
    const { r, s: sHigh, v } = ethers.Signature.from(ethers.hexlify(signed.signature));
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const twin = ethers.concat([r, ethers.toBeHex(n - BigInt(sHigh), 32), ethers.toBeHex(v === 27 ? 28 : 27, 1)]);
    await expect(ledger.connect(accounts.platform).recordBySig([{ ...signed, signature: twin }]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerInvalidSignature", [accounts.exporter.address]));
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(0n);
    await expect(ledger.connect(accounts.platform).recordBySig([signed])).to.emit(ledger, "Traced");
  });

  it("refuses a step the signer may not record although the relayer may (index i, batch atomic)", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(signedFixture);
    const { factory, platform, exporter } = accounts;
    // The platform is in scope of the factory's unit and may record RETAIL_SELLING itself...
    await (
      await ledger.connect(factory).assign(FACTORY_UNIT, orgIds.platform, true, EVENT_TIME, recordHash("assign"))
    ).wait();
    const order = traceInput(FACTORY_UNIT, "RETAIL_SELLING");
    await expect(ledger.connect(platform).record.staticCall(order)).to.not.be.reverted;
    // ...but relaying the factory's signature does not lend it the platform's rights.
    const deadline = await soon();
    const before = await snapshot(ledger, [factory.address], [FACTORY_UNIT]);
    const seqExp = (await ledger.unitState(EXP_UNITS[0])).seq;
    const batches = [
      await signBatch(ledger, exporter, [traceInput(EXP_UNITS[0], "STORING")], { deadline }),
      await signBatch(ledger, factory, [traceInput(FACTORY_UNIT, "INSPECTING"), order], { deadline }),
    ];
    const roles = 1 << ROLES.MANUFACTURER;
    const denial = [factory.address, orgIds.factory, STEPS.RETAIL_SELLING, roles];
    await expect(ledger.connect(platform).recordBySig([batches[1]]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0, 1), "ConsortiumStepNotAllowed", denial));
    const tx = await ledger.connect(platform).recordBySig(batches);
    expect(await batchFailures(ledger, tx)).to.deep.equal([
      {
        index: 1,
        signer: factory.address,
        nonce: 0n,
        reason: rejectedAt(ledger, 1, "ConsortiumStepNotAllowed", denial),
      },
    ]);
    // The factory's batch is atomic: its good first event was not applied either; the exporter's went through.
    expect(await snapshot(ledger, [factory.address], [FACTORY_UNIT])).to.deep.equal(before);
    expect((await ledger.unitState(EXP_UNITS[0])).seq).to.equal(seqExp + 1n);
    expect(await ledger.nonces(exporter.address)).to.equal(1n);
  });

  it("refuses an event out of the signer's scope (TraceLedgerOutOfScope, wrapped)", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(signedFixture);
    const deadline = await soon();
    const batch = await signBatch(
      ledger,
      accounts.rival,
      [traceInput(EXP_UNITS[0], "STORING"), traceInput(EXP_UNITS[1], "STORING")],
      { deadline },
    );
    const prior = await signBatch(ledger, accounts.factory, [traceInput(FACTORY_UNIT, "STORING")], { deadline });
    await expect(ledger.connect(accounts.exporter).recordBySig([batch]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0, 0), "TraceLedgerOutOfScope", [EXP_UNITS[0], orgIds.rival]));
    const tx = await ledger.connect(accounts.exporter).recordBySig([prior, batch]);
    expect(await batchFailures(ledger, tx)).to.deep.equal([
      {
        index: 1,
        signer: accounts.rival.address,
        nonce: 0n,
        reason: rejectedAt(ledger, 0, "TraceLedgerOutOfScope", [EXP_UNITS[0], orgIds.rival]),
      },
    ]);
    expect(await ledger.nonces(accounts.rival.address)).to.equal(0n);
    expect(await ledger.nonces(accounts.factory.address)).to.equal(1n);
  });

  it("refuses a suspended signer, a signer of a suspended organization and a non-account", async () => {
    const { ledger, accounts, orgIds, admin, stranger } = await loadFixture(signedFixture);
    const deadline = await soon();
    const exporter = accounts.exporter.address;
    await (await ledger.connect(admin).suspendAccount(exporter)).wait();
    // Signed while suspended (with the nonce suspension moved it to): refused for the suspension.
    const expBatch = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "STORING")], { deadline });
    expect(expBatch.nonce).to.equal(1n << 32n);
    await expect(ledger.connect(accounts.platform).recordBySig([expBatch]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "ConsortiumAccountSuspended", [exporter]));
    expect(await ledger.nonces(exporter)).to.equal(1n << 32n);

    await (await ledger.connect(admin).suspendOrganization(orgIds.factory)).wait();
    const facBatch = await signBatch(ledger, accounts.factory, [traceInput(FACTORY_UNIT, "STORING")], { deadline });
    await expect(ledger.connect(accounts.platform).recordBySig([facBatch]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "ConsortiumOrganizationSuspended", [orgIds.factory]));
    // Together, each fails on its own with its own reason.
    const tx = await ledger.connect(accounts.platform).recordBySig([expBatch, facBatch]);
    expect((await batchFailures(ledger, tx)).map((f) => [f.index, f.signer, f.reason])).to.deep.equal([
      [0, exporter, rejectedAt(ledger, 0, "ConsortiumAccountSuspended", [exporter])],
      [1, accounts.factory.address, rejectedAt(ledger, 0, "ConsortiumOrganizationSuspended", [orgIds.factory])],
    ]);

    const strangerBatch = await signBatch(ledger, stranger, [traceInput(EXP_UNITS[0], "STORING")], { deadline });
    await expect(ledger.connect(accounts.platform).recordBySig([strangerBatch]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "ConsortiumUnknownAccount", [stranger.address]));

    // Reactivated, a batch signed during the suspension is accepted (the key holder could sign it afresh
    // anyway); one signed before the suspension is not (SignedEvents.attacks.test.ts).
    await (await ledger.connect(admin).reactivateAccount(exporter)).wait();
    await expect(ledger.connect(accounts.platform).recordBySig([expBatch])).to.emit(ledger, "Traced");
  });

  it("refuses empty and oversized input with TraceLedgerEmptyBatch / TraceLedgerBatchTooLarge", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const max = await ledger.MAX_BATCH();
    const relayer = ledger.connect(accounts.platform);
    await expect(relayer.recordBySig([])).to.be.revertedWithCustomError(ledger, "TraceLedgerEmptyBatch");
    const deadline = await soon();
    const empty = await signBatch(ledger, accounts.exporter, [], { deadline });
    await expect(relayer.recordBySig([empty]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerEmptyBatch"));
    const tooMany = Array.from({ length: Number(max) + 1 }, (_, i) =>
      traceInput(EXP_UNITS[0], "STORING", { label: `big:${i}` }),
    );
    const big = await signBatch(ledger, accounts.exporter, tooMany, { deadline });
    await expect(relayer.recordBySig([big]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0), "TraceLedgerBatchTooLarge", [max + 1n, max]));
    const one = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "STORING")], { deadline });
    await expect(relayer.recordBySig(Array.from({ length: Number(max) + 1 }, () => one)))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchTooLarge")
      .withArgs(max + 1n, max);
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(0n);
  });

  it("is atomic per batch: a bad event at position i of batch b reverts batch b only", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const { exporter, factory, customs } = accounts;
    const deadline = await soon();
    const before = await snapshot(ledger, [factory.address], [FACTORY_UNIT]);
    const unknown = itemKey(999);
    const batches = [
      await signBatch(ledger, exporter, [traceInput(EXP_UNITS[0], "STORING"), traceInput(EXP_UNITS[1], "SHIPPING")], {
        deadline,
      }),
      await signBatch(ledger, customs, [traceInput(EXP_UNITS[2], "SAMPLING")], { deadline }),
      await signBatch(
        ledger,
        factory,
        [traceInput(FACTORY_UNIT, "STORING"), traceInput(FACTORY_UNIT, "SHIPPING"), traceInput(unknown, "STORING")],
        { deadline },
      ),
    ];
    await expect(ledger.connect(accounts.platform).recordBySig([batches[2]]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, at(0, 2), "TraceLedgerUnknownUnit", [unknown]));
    const tx = await ledger.connect(accounts.platform).recordBySig(batches);
    expect(await batchFailures(ledger, tx)).to.deep.equal([
      {
        index: 2,
        signer: factory.address,
        nonce: 0n,
        reason: rejectedAt(ledger, 2, "TraceLedgerUnknownUnit", [unknown]),
      },
    ]);
    // The factory's two good events were undone with its bad one; the other two batches are recorded.
    expect(await snapshot(ledger, [factory.address], [FACTORY_UNIT])).to.deep.equal(before);
    expect((await tracedLogs(ledger, tx)).map((l) => [l.unit, l.account])).to.deep.equal([
      [EXP_UNITS[0], exporter.address],
      [EXP_UNITS[1], exporter.address],
      [EXP_UNITS[2], customs.address],
    ]);
    expect(await Promise.all([exporter, factory, customs].map((s) => ledger.nonces(s.address)))).to.deep.equal([
      1n,
      0n,
      1n,
    ]);
    // Without the bad event (re-signed with the same, unused nonce), the factory's batch goes through.
    const fixed = await signBatch(
      ledger,
      factory,
      [traceInput(FACTORY_UNIT, "STORING"), traceInput(FACTORY_UNIT, "SHIPPING")],
      { deadline, nonce: 0n },
    );
    await (await ledger.connect(accounts.platform).recordBySig([fixed])).wait();
    expect(await ledger.nonces(factory.address)).to.equal(1n);
    expect((await ledger.unitState(FACTORY_UNIT)).seq).to.equal(3n);
  });

  it("refuses relayed events while the ledger is paused", async () => {
    const { ledger, accounts, admin } = await loadFixture(signedFixture);
    const batch = await signBatch(ledger, accounts.exporter, [traceInput(EXP_UNITS[0], "STORING")], {
      deadline: await soon(),
    });
    const other = await signBatch(ledger, accounts.factory, [traceInput(FACTORY_UNIT, "STORING")], {
      deadline: await soon(),
    });
    await (await ledger.connect(admin).pause()).wait();
    await expect(ledger.connect(accounts.platform).recordBySig([batch])).to.be.revertedWithCustomError(
      ledger,
      "ConsortiumPaused",
    );
    // Several batches: the call itself is refused, not reported as a list of failures.
    await expect(ledger.connect(accounts.platform).recordBySig([batch, other])).to.be.revertedWithCustomError(
      ledger,
      "ConsortiumPaused",
    );
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(0n);
    expect(await ledger.nonces(accounts.factory.address)).to.equal(0n);
  });
});
