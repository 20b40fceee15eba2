import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployLedger, itemKey, registration, traceInput } from "../helpers/ledger";
import { replayedAndStoredHead } from "../helpers/history";

describe("smoke", () => {
  it("registers, records and replays the chain", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    await ex.register(registration(itemKey(1)));
    await ex.record(traceInput(itemKey(1), "INSPECTING"));
    await ex.recordBatch([traceInput(itemKey(1), "STORING"), traceInput(itemKey(1), "SHIPPING")]);
    const { replayed, stored, entries } = await replayedAndStoredHead(ledger, itemKey(1));
    expect(entries.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(replayed).to.equal(stored);
  });
});
