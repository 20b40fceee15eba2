/** Exit codes of SDK errors the CLI did not raise itself: customs documents that cannot be read are bad input. */
import { expect } from "chai";
import { exitCodeOf } from "../../src/cli/output";
import { EXIT } from "../../src/cli/exitCodes";
import { CustomsInputError } from "../../src/customs/errors";
import { CustomsIdentifierError } from "../../src/customs/identifiers";
import { TraceError } from "../../src/errors/base";

describe("CLI exit codes of SDK errors", () => {
  it("a customs input or identifier problem is invalid input (2); an unknown error stays unexpected (1)", () => {
    expect(exitCodeOf(new CustomsInputError("amount is not a number"))).to.equal(EXIT.INVALID_INPUT);
    expect(exitCodeOf(new CustomsIdentifierError("currency is not ISO 4217"))).to.equal(EXIT.INVALID_INPUT);
    expect(exitCodeOf(new TraceError("something else"))).to.equal(EXIT.UNEXPECTED);
  });
});
