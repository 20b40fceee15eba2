/** Exit codes of SDK errors the CLI did not raise itself: bad customs documents, the index, partial writes. */
import { expect } from "chai";
import { exitCodeOf } from "../../src/cli/output";
import { EXIT } from "../../src/cli/exitCodes";
import { CustomsInputError } from "../../src/customs/errors";
import { CustomsIdentifierError } from "../../src/customs/identifiers";
import { TraceError } from "../../src/errors/base";
import { IndexBehindError, IndexDatabaseError, IndexQueryError, IndexSourceError } from "../../src/indexer/errors";
import { PartialWriteError } from "../../src/write/pipeline";

describe("CLI exit codes of SDK errors", () => {
  it("a customs input or identifier problem is invalid input (2); an unknown error stays unexpected (1)", () => {
    expect(exitCodeOf(new CustomsInputError("amount is not a number"))).to.equal(EXIT.INVALID_INPUT);
    expect(exitCodeOf(new CustomsIdentifierError("currency is not ISO 4217"))).to.equal(EXIT.INVALID_INPUT);
    expect(exitCodeOf(new TraceError("something else"))).to.equal(EXIT.UNEXPECTED);
  });

  it("an index that cannot answer is the environment (4); a malformed index query is invalid input (2)", () => {
    expect(exitCodeOf(new IndexDatabaseError("the index holds another ledger"))).to.equal(EXIT.NETWORK);
    expect(exitCodeOf(new IndexBehindError(10n, 5n))).to.equal(EXIT.NETWORK);
    expect(exitCodeOf(new IndexSourceError("a log of another block"))).to.equal(EXIT.NETWORK);
    expect(exitCodeOf(new IndexQueryError("bad cursor"))).to.equal(EXIT.INVALID_INPUT);
  });

  it("a write partly on chain is PARTIAL (5), rerun to write the rest", () => {
    const chunk = { chunk: 1, offset: 500, items: 500 };
    expect(exitCodeOf(new PartialWriteError(chunk, [chunk], [chunk], new Error("dropped")))).to.equal(EXIT.PARTIAL);
  });
});
