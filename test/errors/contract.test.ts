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

// Trust model v2, aggregation and stopped units (issue 11 items 1 and 6).
describe("contract refusals: aggregation and stopped units", () => {
  const decode = (errorName: string, args: unknown[]) =>
    decodeLedgerError(encodeErrorResult({ abi: traceLedgerAbi, errorName, args } as never));

  it("each new refusal decodes into its named SDK error with what is wrong and what to do", () => {
    const advances = decode("TraceLedgerPackingAdvancesChild", [UNIT, 0, 2]);
    expect(advances!.name).to.equal("StageViolationError");
    expect(advances!.shortMessage).to.equal(
      "Packing 0xabababab… (stage ACTIVE) into a parent at stage RELEASED would give it stages it never went through.",
    );
    expect(advances!.hints[0]).to.match(/declare and release it/);
    const customs = decode("TraceLedgerCustomsControlled", [UNIT]);
    expect(customs!.name).to.equal("NotAllowedError");
    expect(customs!.shortMessage).to.match(/only customs may change what is packed in it/);
    const stopped = decode("TraceLedgerContainsStopped", [UNIT, 11]);
    expect(stopped!.name).to.equal("UnitBlockedError");
    expect(stopped!.shortMessage).to.equal("Unit 0xabababab… holds a held or recalled unit, so DEPARTING is refused.");
    expect(stopped!.hints[0]).to.match(/unpack the stopped unit/);
  });
});
