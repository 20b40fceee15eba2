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

// Identity is owned (issue 11 item 2): the GS1 Company Prefix registry.
describe("contract refusals: the prefix registry", () => {
  const decode = (errorName: string, args: unknown[]) =>
    decodeLedgerError(encodeErrorResult({ abi: traceLedgerAbi, errorName, args } as never));

  it("a code nobody holds, or another holder's, is a NotAllowedError saying who acts next", () => {
    const nobody = decode("TraceLedgerCodeNotLicensed", [UNIT, 2, 0]);
    expect(nobody!.name).to.equal("NotAllowedError");
    expect(nobody!.shortMessage).to.equal(
      "Unit 0xabababab… has a GS1 company prefix that is not licensed to any organization on this ledger, so organization 2 cannot register it.",
    );
    const other = decode("TraceLedgerCodeNotLicensed", [UNIT, 2, 1]);
    expect(other!.shortMessage).to.equal(
      "Unit 0xabababab… is under a prefix licensed to organization 1, which has not authorized organization 2 to register its codes.",
    );
    expect(other!.hints.join("\n")).to.include("trace authorize-manufacturer <prefix> <your organization id>");
  });

  it("every Prefix* refusal has a message of its own (never the generic one) and hints", () => {
    const cases: Array<[string, unknown[], string, RegExp]> = [
      ["PrefixInvalid", ["69-1"], "InvalidRequestError", /"69-1" is not a GS1 company prefix: 4 to 12 digits/],
      ["PrefixAlreadyLicensed", ["6901234", 3], "InvalidRequestError", /already licensed to organization 3/],
      ["PrefixWithinLicensed", ["69012345", "6901234"], "InvalidRequestError", /lies within prefix 6901234/],
      ["PrefixCoversLicensed", ["690", 2], "InvalidRequestError", /covers 2 licensed longer prefix/],
      [
        "PrefixNotLicensed",
        ["6901234"],
        "InvalidRequestError",
        /^Prefix 6901234 is not licensed to any organization\.$/,
      ],
      ["PrefixNotHolder", ["6901234", 2, 1], "AdminOnlyError", /licensed to organization 1, not to organization 2/],
      ["PrefixHolderIsManufacturer", ["6901234", 1], "InvalidRequestError", /needs no authorization/],
      ["PrefixAuthorizationUnchanged", ["6901234", 2, true], "InvalidRequestError", /already authorized/],
      ["PrefixAuthorizationUnchanged", ["6901234", 2, false], "InvalidRequestError", /nothing to withdraw/],
      ["PrefixRecentlyRevoked", ["6901234", 1_800_000_000n], "OperationNotReadyError", /freed by a revoke.*2027-01-15/],
    ];
    for (const [errorName, args, name, message] of cases) {
      const e = decode(errorName, args);
      expect(e!.name, errorName).to.equal(name);
      expect(e!.shortMessage, errorName).to.match(message);
      expect(e!.hints.length, errorName).to.be.greaterThan(0);
    }
  });
});

// Customs documents (issue 14): every customs refusal of the ledger has its own message and SDK error.
describe("contract refusals: customs documents", () => {
  const customsErrors = traceLedgerAbi.filter(
    (e): e is Extract<(typeof traceLedgerAbi)[number], { type: "error" }> =>
      e.type === "error" && e.name.startsWith("Customs"),
  );
  const sample = (type: string): unknown =>
    type === "bytes32"
      ? UNIT
      : type === "bytes32[2]"
        ? [UNIT, UNIT]
        : type === "uint8"
          ? 2
          : type.startsWith("uint")
            ? 9610
            : UNIT;

  it("decodes each of the ledger's customs errors into a customs SDK error with a message of its own", () => {
    expect(customsErrors.length).to.equal(21);
    const messages = new Set<string>();
    for (const e of customsErrors) {
      const args = e.inputs.map((i) => sample(i.type));
      const decoded = decodeLedgerError(encodeErrorResult({ abi: traceLedgerAbi, errorName: e.name, args } as never));
      expect(decoded, e.name).to.be.instanceOf(TraceError);
      expect(["CustomsDocumentError", "CustomsMatchError", "CustomsRuleError"], e.name).to.include(decoded!.name);
      expect(decoded!.shortMessage, e.name).not.to.match(/^The ledger refused/);
      messages.add(decoded!.shortMessage);
    }
    expect(messages.size).to.equal(customsErrors.length);
  });

  it("names the kind, the mode and the documents a user needs to see what is wrong", () => {
    const decode = (errorName: string, args: unknown[]) =>
      decodeLedgerError(encodeErrorResult({ abi: traceLedgerAbi, errorName, args } as never))!;
    expect(decode("CustomsCitedDocumentMissing", [9610, 2]).shortMessage).to.equal(
      "A 9610 declaration must cite a PAYMENT.",
    );
    expect(decode("CustomsTermsMismatch", [3, UNIT, UNIT, UNIT]).shortMessage).to.equal(
      "The three-document match failed: the WAYBILL (0xabababab…) states other shipment terms (goods, quantity or consignee) than the order.",
    );
    expect(decode("CustomsInvalidMode", [5, 9999]).shortMessage).to.equal(
      "Customs mode 9999 is not one the ledger accepts (9610, 9710, 9810 or 1210).",
    );
    expect(decode("CustomsInvalidMode", [4, 9610]).shortMessage).to.equal(
      "Only a DECLARATION names a customs mode; this BOOKING names 9610 (give 0).",
    );
    const other = `0x${"cd".repeat(32)}`;
    expect(decode("CustomsAlreadyRefunded", [UNIT, other]).shortMessage).to.match(
      /already refunded with unit 0xcdcdcdcd…/,
    );
    expect(decode("CustomsAlreadyRefunded", [UNIT, UNIT]).shortMessage).to.match(
      /the unit itself, or goods packed into it/,
    );
  });
});
