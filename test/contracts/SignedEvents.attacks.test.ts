/**
 * Issue 11 item 8, signed batches: each attack (a member, relayer or the key holder composing allowed
 * operations into a forbidden outcome) is refused with its exact custom error, next to the legitimate flow
 * it must leave working. Nonces are epoch (high 32 bits) | counter (low 32 bits).
 */
import { isCoverageRun } from "../helpers/coverage";
import { afterDelay } from "../helpers/governance";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TraceLedger } from "../../typechain-types";
import { STEPS, type StepName } from "../../src/codes";
import { itemKey, signBatch, traceInput } from "../helpers/ledger";
import { tracedLogs } from "../helpers/reads";
import { EXP_UNITS, FACTORY_UNIT, batchFailures, rejectedAt, signedFixture, soon } from "../helpers/signed";

const EPOCH = 1n << 32n;
const MAX_NONCE = 2n ** 64n - 1n;

/** One signed event on `unit`, with an explicit nonce or the signer's current one. */
async function signed(
  ledger: TraceLedger,
  signer: HardhatEthersSigner,
  unit: string,
  nonce?: bigint,
  step: StepName = "STORING",
) {
  return signBatch(ledger, signer, [traceInput(unit, step, { label: `${unit}:${nonce}` })], {
    deadline: await soon(),
    ...(nonce === undefined ? {} : { nonce }),
  });
}

describe("SignedEvents attacks: suspension voids everything signed before it", () => {
  it("ATTACK: batches signed before an account's suspension (at its nonce and ahead: +1, +2) stay void after reactivation", async () => {
    const { ledger, accounts, admin } = await loadFixture(signedFixture);
    const exporter = accounts.exporter;
    const queued = [
      await signed(ledger, exporter, EXP_UNITS[0], 0n),
      await signed(ledger, exporter, EXP_UNITS[1], 1n),
      await signed(ledger, exporter, EXP_UNITS[2], 2n),
    ];
    await expect(ledger.connect(admin).suspendAccount(exporter.address)).to.emit(ledger, "AccountSuspended");
    expect((await ledger.accountInfo(exporter.address)).nonce).to.equal(EPOCH);
    await (await ledger.connect(admin).reactivateAccount(exporter.address)).wait();
    for (const batch of queued) {
      await expect(ledger.connect(accounts.platform).recordBySig([batch]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0n, ledger.interface.encodeErrorResult("TraceLedgerInvalidNonce", [exporter.address, EPOCH]));
    }
    const tx = await ledger.connect(accounts.platform).recordBySig(queued);
    expect((await batchFailures(ledger, tx)).map((f) => [f.index, f.nonce, f.reason])).to.deep.equal(
      queued.map((b, i) => [i, b.nonce, rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [exporter.address, EPOCH])]),
    );
    expect(await tracedLogs(ledger, tx)).to.have.length(0);
    expect(await ledger.nonces(exporter.address)).to.equal(EPOCH);
  });

  it("LEGIT: after reactivation the account signs from its new nonce and is relayed", async () => {
    const { ledger, accounts, admin } = await loadFixture(signedFixture);
    const exporter = accounts.exporter;
    await (await ledger.connect(admin).suspendAccount(exporter.address)).wait();
    await (await ledger.connect(admin).reactivateAccount(exporter.address)).wait();
    const fresh = await signed(ledger, exporter, EXP_UNITS[0]);
    expect(fresh.nonce).to.equal(EPOCH);
    const tx = await ledger.connect(accounts.platform).recordBySig([fresh]);
    expect((await tracedLogs(ledger, tx)).map((l) => [l.unit, l.account])).to.deep.equal([
      [EXP_UNITS[0], exporter.address],
    ]);
    expect(await ledger.nonces(exporter.address)).to.equal(EPOCH + 1n);
  });

  it("ATTACK: batches signed before an organization's suspension stay void for each of its accounts; other organizations keep theirs", async () => {
    const { ledger, accounts, admin, orgIds, spare } = await loadFixture(signedFixture);
    const second = spare[0];
    await (await afterDelay(ledger.connect(admin), "addAccount", orgIds.exporter, second.address)).wait();
    // The exporter has used nonces 0 and 1 already: the epoch bump starts the next epoch at counter 0.
    for (const n of [0n, 1n])
      await (await ledger.recordBySig([await signed(ledger, accounts.exporter, EXP_UNITS[0], n)])).wait();
    const queued = [
      await signed(ledger, accounts.exporter, EXP_UNITS[1], 2n),
      await signed(ledger, second, EXP_UNITS[2], 0n),
    ];
    const factoryBatch = await signed(ledger, accounts.factory, FACTORY_UNIT, 0n);
    await expect(ledger.connect(admin).suspendOrganization(orgIds.exporter))
      .to.emit(ledger, "OrganizationSuspended")
      .withArgs(orgIds.exporter);
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(EPOCH);
    expect(await ledger.nonces(second.address)).to.equal(EPOCH);
    expect(await ledger.nonces(accounts.factory.address)).to.equal(0n);
    await (await ledger.connect(admin).reactivateOrganization(orgIds.exporter)).wait();

    const tx = await ledger.connect(accounts.platform).recordBySig([...queued, factoryBatch]);
    expect((await batchFailures(ledger, tx)).map((f) => [f.index, f.signer, f.reason])).to.deep.equal([
      [
        0,
        accounts.exporter.address,
        rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [accounts.exporter.address, EPOCH]),
      ],
      [1, second.address, rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [second.address, EPOCH])],
    ]);
    expect((await tracedLogs(ledger, tx)).map((l) => l.account)).to.deep.equal([accounts.factory.address]);
    // LEGIT: re-signed from the new nonces, both are recorded.
    const again = await ledger
      .connect(accounts.platform)
      .recordBySig([await signed(ledger, accounts.exporter, EXP_UNITS[1]), await signed(ledger, second, EXP_UNITS[2])]);
    expect(await batchFailures(ledger, again)).to.deep.equal([]);
    expect((await tracedLogs(ledger, again)).map((l) => l.account)).to.deep.equal([
      accounts.exporter.address,
      second.address,
    ]);
  });

  it("ATTACK: an account that raises its nonce into the last epoch cannot make suspension wrap it to 0 (reviving old signatures) nor block suspension", async () => {
    const { ledger, accounts, admin } = await loadFixture(signedFixture);
    const exporter = accounts.exporter;
    const old = await signed(ledger, exporter, EXP_UNITS[0], 0n);
    const lastEpoch = (EPOCH - 1n) * EPOCH + 5n;
    await (await ledger.connect(exporter).invalidateNonces(lastEpoch)).wait();
    await expect(ledger.connect(admin).suspendAccount(exporter.address)).to.emit(ledger, "AccountSuspended");
    expect(await ledger.nonces(exporter.address)).to.equal(MAX_NONCE);
    await (await ledger.connect(admin).reactivateAccount(exporter.address)).wait();
    // Suspending again works and leaves the nonce at its saturated end.
    await (await ledger.connect(admin).suspendAccount(exporter.address)).wait();
    await (await ledger.connect(admin).reactivateAccount(exporter.address)).wait();
    expect(await ledger.nonces(exporter.address)).to.equal(MAX_NONCE);
    const atMax = await signed(ledger, exporter, EXP_UNITS[1], MAX_NONCE);
    for (const batch of [old, atMax]) {
      await expect(ledger.connect(accounts.platform).recordBySig([batch]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
        .withArgs(0n, ledger.interface.encodeErrorResult("TraceLedgerInvalidNonce", [exporter.address, MAX_NONCE]));
    }
    await expect(ledger.connect(exporter).invalidateNonces(MAX_NONCE))
      .to.be.revertedWithCustomError(ledger, "ConsortiumNonceNotIncreased")
      .withArgs(exporter.address, MAX_NONCE, MAX_NONCE);
    // Direct writes are unaffected: the account can still act itself.
    await expect(ledger.connect(exporter).record(traceInput(EXP_UNITS[0], "STORING"))).to.emit(ledger, "Traced");
  });
});

describe("SignedEvents attacks: invalidateNonces", () => {
  it("LEGIT: a signer whose key leaked invalidates its outstanding nonces and signs again from the new nonce", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const exporter = accounts.exporter;
    const leaked = [await signed(ledger, exporter, EXP_UNITS[0], 0n), await signed(ledger, exporter, EXP_UNITS[1], 1n)];
    await expect(ledger.connect(exporter).invalidateNonces(EPOCH))
      .to.emit(ledger, "NoncesInvalidated")
      .withArgs(exporter.address, EPOCH);
    expect((await ledger.accountInfo(exporter.address)).nonce).to.equal(EPOCH);
    const tx = await ledger.connect(accounts.rival).recordBySig(leaked);
    expect((await batchFailures(ledger, tx)).map((f) => f.reason)).to.deep.equal([
      rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [exporter.address, EPOCH]),
      rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [exporter.address, EPOCH]),
    ]);
    const fresh = await signed(ledger, exporter, EXP_UNITS[0]);
    expect(fresh.nonce).to.equal(EPOCH);
    await expect(ledger.connect(accounts.platform).recordBySig([fresh]))
      .to.emit(ledger, "Traced")
      .withArgs(EXP_UNITS[0], exporter.address, fresh.events[0].recordHash, (v: bigint) => v > 0n);
    expect(await ledger.nonces(exporter.address)).to.equal(EPOCH + 1n);
  });

  it("ATTACK: a lower or equal nonce is refused (ConsortiumNonceNotIncreased), so a cancelled batch cannot be revived", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const exporter = accounts.exporter;
    const cancelled = await signed(ledger, exporter, EXP_UNITS[0], 3n);
    await (await ledger.connect(exporter).invalidateNonces(10n)).wait();
    for (const n of [10n, 3n, 0n]) {
      await expect(ledger.connect(exporter).invalidateNonces(n))
        .to.be.revertedWithCustomError(ledger, "ConsortiumNonceNotIncreased")
        .withArgs(exporter.address, 10n, n);
    }
    expect(await ledger.nonces(exporter.address)).to.equal(10n);
    await expect(ledger.connect(accounts.platform).recordBySig([cancelled]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(0n, ledger.interface.encodeErrorResult("TraceLedgerInvalidNonce", [exporter.address, 10n]));
  });

  it("works for the account itself when suspended, when its organization is suspended and when retired", async () => {
    const { ledger, accounts, admin, orgIds, spare } = await loadFixture(signedFixture);
    const { exporter, factory, rival } = accounts;
    await (await ledger.connect(admin).suspendAccount(exporter.address)).wait();
    await expect(ledger.connect(exporter).invalidateNonces(EPOCH + 7n))
      .to.emit(ledger, "NoncesInvalidated")
      .withArgs(exporter.address, EPOCH + 7n);
    // The suspension keeps what the account chose: reactivation does not lower it.
    await (await ledger.connect(admin).reactivateAccount(exporter.address)).wait();
    expect(await ledger.nonces(exporter.address)).to.equal(EPOCH + 7n);

    await (await ledger.connect(admin).suspendOrganization(orgIds.factory)).wait();
    await expect(ledger.connect(factory).invalidateNonces(2n * EPOCH))
      .to.emit(ledger, "NoncesInvalidated")
      .withArgs(factory.address, 2n * EPOCH);

    await (await afterDelay(ledger.connect(admin), "rotateAccount", rival.address, spare[0].address)).wait();
    await expect(ledger.connect(rival).invalidateNonces(1n))
      .to.emit(ledger, "NoncesInvalidated")
      .withArgs(rival.address, 1n);
    expect(await ledger.nonces(spare[0].address)).to.equal(0n);
  });

  it("ATTACK: nobody invalidates another account's nonces: a non-account (stranger, admin) is refused with ConsortiumUnknownAccount", async () => {
    const { ledger, accounts, admin, stranger } = await loadFixture(signedFixture);
    for (const who of [stranger, admin]) {
      await expect(ledger.connect(who).invalidateNonces(EPOCH))
        .to.be.revertedWithCustomError(ledger, "ConsortiumUnknownAccount")
        .withArgs(who.address);
    }
    // Another member calling it changes only its own nonce.
    await (await ledger.connect(accounts.rival).invalidateNonces(EPOCH)).wait();
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(0n);
    expect(await ledger.nonces(accounts.rival.address)).to.equal(EPOCH);
  });
});

describe("SignedEvents attacks: one signer's batch cannot sink the others'", () => {
  it("ATTACK: a front-runner who relays one signer's batch first leaves the platform's relay of the others intact", async () => {
    const { ledger, accounts, stranger } = await loadFixture(signedFixture);
    const { exporter, factory, customs } = accounts;
    const batches = [
      await signed(ledger, exporter, EXP_UNITS[0]),
      await signed(ledger, factory, FACTORY_UNIT),
      await signed(ledger, customs, EXP_UNITS[1], undefined, "SAMPLING"),
    ];
    await (await ledger.connect(stranger).recordBySig([batches[1]])).wait();
    const tx = await ledger.connect(accounts.platform).recordBySig(batches);
    expect(await batchFailures(ledger, tx)).to.deep.equal([
      {
        index: 1,
        signer: factory.address,
        nonce: 0n,
        reason: rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [factory.address, 1n]),
      },
    ]);
    expect((await tracedLogs(ledger, tx)).map((l) => [l.unit, l.account])).to.deep.equal([
      [EXP_UNITS[0], exporter.address],
      [EXP_UNITS[1], customs.address],
    ]);
    expect(await Promise.all([exporter, factory, customs].map((s) => ledger.nonces(s.address)))).to.deep.equal([
      1n,
      1n,
      1n,
    ]);
  });

  it("ATTACK: a member who makes one signer's event fail (a hold) or signs a failing batch itself sinks only that batch, which keeps its nonce", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(signedFixture);
    const { exporter, factory, customs, rival } = accounts;
    const shipping = await signBatch(ledger, exporter, [traceInput(EXP_UNITS[0], "SHIPPING")], {
      deadline: await soon(),
    });
    const batches = [
      await signed(ledger, factory, FACTORY_UNIT),
      shipping,
      await signed(ledger, rival, EXP_UNITS[1]), // out of the rival's scope: its own failure
      await signed(ledger, customs, EXP_UNITS[2], undefined, "SAMPLING"),
    ];
    // Customs holds the unit just before the relay lands.
    await (await ledger.connect(customs).record(traceInput(EXP_UNITS[0], "HOLD"))).wait();
    const tx = await ledger.connect(accounts.platform).recordBySig(batches);
    expect((await batchFailures(ledger, tx)).map((f) => [f.index, f.signer, f.nonce, f.reason])).to.deep.equal([
      [1, exporter.address, 0n, rejectedAt(ledger, 0, "TraceLedgerUnitHeld", [EXP_UNITS[0], STEPS.SHIPPING])],
      [2, rival.address, 0n, rejectedAt(ledger, 0, "TraceLedgerOutOfScope", [EXP_UNITS[1], orgIds.rival])],
    ]);
    expect((await tracedLogs(ledger, tx)).map((l) => l.account)).to.deep.equal([factory.address, customs.address]);
    expect(await ledger.nonces(exporter.address)).to.equal(0n);
    // The failed batch kept its nonce: once the hold is lifted, the very same batch is relayed.
    await (await ledger.connect(customs).record(traceInput(EXP_UNITS[0], "HOLD_LIFTED"))).wait();
    await expect(ledger.connect(accounts.platform).recordBySig([shipping])).to.emit(ledger, "Traced");
    expect(await ledger.nonces(exporter.address)).to.equal(1n);
  });

  it("a signer's later batch after its own failed one fails too (nonce order holds), and the signer may cancel the failed one", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const { exporter } = accounts;
    const unknown = itemKey(999);
    const bad = await signed(ledger, exporter, unknown, 0n);
    const next = await signed(ledger, exporter, EXP_UNITS[0], 1n);
    const tx = await ledger.connect(accounts.platform).recordBySig([bad, next]);
    expect((await batchFailures(ledger, tx)).map((f) => [f.index, f.reason])).to.deep.equal([
      [0, rejectedAt(ledger, 0, "TraceLedgerUnknownUnit", [unknown])],
      [1, rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [exporter.address, 0n])],
    ]);
    // Cancel the failed batch by skipping its nonce; the next one becomes relayable.
    await (await ledger.connect(exporter).invalidateNonces(1n)).wait();
    const again = await ledger.connect(accounts.platform).recordBySig([bad, next]);
    expect((await batchFailures(ledger, again)).map((f) => [f.index, f.reason])).to.deep.equal([
      [0, rejectedAt(ledger, 0, "TraceLedgerInvalidNonce", [exporter.address, 1n])],
    ]);
    expect(await ledger.nonces(exporter.address)).to.equal(2n);
  });
});

describe("SignedEvents attacks: gas starvation", () => {
  /** A small batch of the factory, then 40 events of the exporter: the second needs far more gas. */
  async function starvable() {
    const f = await signedFixture();
    const deadline = await soon();
    const many = Array.from({ length: 40 }, (_, i) => traceInput(EXP_UNITS[i % 3], "STORING", { label: `g${i}` }));
    const batches = [
      await signBatch(f.ledger, f.accounts.factory, [traceInput(FACTORY_UNIT, "STORING")], { deadline }),
      await signBatch(f.ledger, f.accounts.exporter, many, { deadline }),
    ];
    return { ...f, batches };
  }

  // Gas limits are what these tests are about, and the coverage run's instrumented bytecode has other gas
  // costs (and takes minutes per estimate there): they run in the ordinary suites only.
  beforeEach(function () {
    if (isCoverageRun()) this.skip();
  });

  it("ATTACK: a relayer sending too little gas for one batch gets TraceLedgerRelayOutOfGas, not a 'failed' valid batch", async () => {
    const { ledger, accounts, batches } = await loadFixture(starvable);
    const relayer = ledger.connect(accounts.platform);
    const needed = await relayer.recordBySig.estimateGas(batches);
    await expect(relayer.recordBySig(batches, { gasLimit: needed - 150_000n }))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerRelayOutOfGas")
      .withArgs(1n);
    expect(await ledger.nonces(accounts.factory.address)).to.equal(0n);
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(0n);
  });

  it("LEGIT: at the lowest gas limit the call succeeds with, every batch is recorded and none is reported failed", async () => {
    const { ledger, accounts, batches } = await loadFixture(starvable);
    const relayer = ledger.connect(accounts.platform);
    let low = 100_000n;
    let high = (await relayer.recordBySig.estimateGas(batches)) + 50_000n;
    while (high - low > 2_000n) {
      const mid = (low + high) / 2n;
      const ok = await relayer.recordBySig.staticCall(batches, { gasLimit: mid }).then(
        () => true,
        () => false,
      );
      if (ok) high = mid;
      else low = mid;
    }
    const tx = await relayer.recordBySig(batches, { gasLimit: high });
    expect(await batchFailures(ledger, tx)).to.deep.equal([]);
    expect(await tracedLogs(ledger, tx)).to.have.length(41);
    expect(await ledger.nonces(accounts.exporter.address)).to.equal(1n);
  });
});
