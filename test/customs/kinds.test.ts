/**
 * The document kinds (read from the contract's `CustomsDocuments` through src/generated/codes.ts) are the
 * spec's codes: a renumbering would break every filed document's id.
 */
import { expect } from "chai";
import { DOCUMENT_KINDS } from "../../src/customs";

describe("customs: document kind codes", () => {
  it("are the spec's codes 1…9 in its order", () => {
    expect(Object.entries(DOCUMENT_KINDS)).to.deep.equal([
      ["ORDER", 1],
      ["PAYMENT", 2],
      ["WAYBILL", 3],
      ["BOOKING", 4],
      ["DECLARATION", 5],
      ["SUMMARY", 6],
      ["ZONE_ENTRY", 7],
      ["FX_SETTLEMENT", 8],
      ["TAX_REFUND", 9],
    ]);
  });
});
