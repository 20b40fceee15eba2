/**
 * The transactions a sender keeps to give a node that lost them the same bytes again: one per nonce (a
 * re-signed one replaces the refused version), never one the caller was told failed, bounded in number.
 */
import { expect } from "chai";
import { HeldTransactions } from "../../src/write/heldTransactions";
import type { SignedTransaction } from "../../src/write/sender";

const tx = (nonce: number, hash = `0x${nonce.toString(16)}`): SignedTransaction => ({
  request: {},
  signed: `0xsigned${nonce}`,
  hash,
  nonce,
  gasLimit: 21_000n,
});

describe("HeldTransactions", () => {
  it("returns the kept transactions from a nonce on, in nonce order, whatever order they were signed in", () => {
    const held = new HeldTransactions();
    for (const n of [5, 3, 4, 7]) held.hold(tx(n));
    expect(held.from(4).map((t) => t.nonce)).to.deep.equal([4, 5, 7]);
    expect(held.from(8)).to.deep.equal([]);
  });

  it("keeps one transaction per nonce: a version re-signed at the same nonce replaces the refused one", () => {
    const held = new HeldTransactions();
    held.hold(tx(1, "0xrefused"));
    held.hold(tx(1, "0xresigned"));
    expect(held.from(0).map((t) => t.hash)).to.deep.equal(["0xresigned"]);
  });

  it("ATTACK on exactly-once: a transaction reported failed is forgotten, so it is never broadcast again behind the caller's back", () => {
    const held = new HeldTransactions();
    held.hold(tx(2, "0xgivenup"));
    held.hold(tx(3));
    held.forget(2, "0xgivenup");
    expect(held.get(2)).to.equal(undefined);
    expect(held.from(0).map((t) => t.nonce)).to.deep.equal([3]);
  });

  it("forgetting names the hash: the filler re-signed at that nonce after the failure stays kept", () => {
    const held = new HeldTransactions();
    held.hold(tx(2, "0xrefused"));
    held.hold(tx(2, "0xfiller"));
    held.forget(2, "0xrefused");
    expect(held.get(2)?.hash).to.equal("0xfiller");
  });

  it("keeps at most 256 transactions, dropping the lowest nonces first", () => {
    const held = new HeldTransactions();
    for (let n = 0; n < 300; n++) held.hold(tx(n));
    const kept = held.from(0);
    expect(kept.length).to.equal(256);
    expect(kept[0].nonce).to.equal(44);
    expect(kept[255].nonce).to.equal(299);
  });
});
