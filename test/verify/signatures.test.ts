/**
 * The verifier's EIP-712 check of relayed entries (src/verify/signatures.ts) when a relay of several
 * batches holds refused ones (issue 11 item 8: each batch succeeds or fails on its own).
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { signBatch, traceInput } from "../helpers/ledger";
import { hardhatClient, readerFor } from "../helpers/sdk";
import { EXP_UNITS, batchFailures, signedFixture, soon } from "../helpers/signed";
import { checkSignatures } from "../../src/verify/signatures";

describe("verifier: signatures of multi-batch relays", () => {
  it("ATTACK: a forged copy relayed before the genuine batch does not make the genuine entry look forged", async () => {
    const { ledger, accounts, stranger } = await loadFixture(signedFixture);
    const events = [traceInput(EXP_UNITS[0], "STORING", { label: "genuine" })];
    const genuine = await signBatch(ledger, accounts.exporter, events, { deadline: await soon() });
    // The same events under the exporter's name, signed by another key: refused on its own by the ledger.
    const forged = await signBatch(ledger, accounts.rival, events, {
      deadline: Number(genuine.deadline),
      signerAddress: accounts.exporter.address,
    });
    const tx = await ledger.connect(stranger).recordBySig([forged, genuine]);
    expect((await batchFailures(ledger, tx)).map((f) => f.index)).to.deep.equal([0]);

    const history = await (await readerFor(ledger)).history(EXP_UNITS[0] as Hex);
    const relayed = history.entries.filter((e) => e.transactionHash === tx.hash);
    expect(relayed).to.have.length(1);
    const d = await ledger.eip712Domain();
    const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
    const checks = await checkSignatures(hardhatClient(), domain, relayed);
    expect(checks.get(`${tx.hash}:${relayed[0].logIndex}`)).to.deep.equal({ valid: true, via: "eip712" });
  });

  it("LEGIT control: an entry whose only matching batch carries a forged signature is still invalid", async () => {
    const { ledger, accounts } = await loadFixture(signedFixture);
    const events = [traceInput(EXP_UNITS[1], "STORING", { label: "direct" })];
    const tx = await ledger.connect(accounts.exporter).record(events[0]);
    const history = await (await readerFor(ledger)).history(EXP_UNITS[1] as Hex);
    const entry = history.entries.find((e) => e.transactionHash === tx.hash)!;
    const d = await ledger.eip712Domain();
    const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
    // A relay transaction whose batches do not back the entry: claimed as relayed, it does not verify.
    const forged = await signBatch(ledger, accounts.rival, events, {
      deadline: await soon(),
      signerAddress: accounts.exporter.address,
    });
    const relayTx = await ledger.connect(accounts.platform).recordBySig([forged, forged]);
    const checks = await checkSignatures(hardhatClient(), domain, [{ ...entry, transactionHash: relayTx.hash as Hex }]);
    expect(checks.get(`${relayTx.hash}:${entry.logIndex}`)).to.deep.equal({ valid: false, via: "eip712" });
  });
});
