/** Contract refusals decode into named SDK errors with a message and hints: the ledger-limit errors. */
import { expect } from "chai";
import { encodeErrorResult } from "viem";
import { traceLedgerAbi } from "../../src/generated/abi";
import { decodeLedgerError, LedgerLimitError, TraceError } from "../../src";

const UNIT = `0x${"ab".repeat(32)}` as const;

describe("contract refusals: ledger limits", () => {
  const decode = (errorName: string, args: unknown[]) =>
    decodeLedgerError(encodeErrorResult({ abi: traceLedgerAbi, errorName, args } as never));

  it("a full unit history is a LedgerLimitError naming the unit and what to do", () => {
    const e = decode("TraceLedgerUnitHistoryFull", [UNIT]);
    expect(e).to.be.instanceOf(LedgerLimitError).and.instanceOf(TraceError);
    expect(e!.name).to.equal("LedgerLimitError");
    expect(e!.shortMessage).to.equal(
      "Unit 0xabababab… already has 4,294,967,295 entries, the most its history can hold.",
    );
    expect(e!.hints).to.deep.equal(["Record further events on units of their own (e.g. per lot or per carton)."]);
  });

  it("exhausted container numbers and a block number past 2^32 − 1 are LedgerLimitErrors", () => {
    const containers = decode("TraceLedgerContainerNumbersExhausted", []);
    expect(containers).to.be.instanceOf(LedgerLimitError);
    expect(containers!.shortMessage).to.match(/All 4,294,967,295 container numbers of this ledger are in use/);
    const block = decode("TraceLedgerBlockNumberTooLarge", [2n ** 32n]);
    expect(block).to.be.instanceOf(LedgerLimitError);
    expect(block!.shortMessage).to.equal(
      "Block 4294967296 is past the last block (2^32 − 1) this ledger can record in.",
    );
    expect(block!.hints[0]).to.match(/new ledger/);
  });
});
