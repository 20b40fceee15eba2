/**
 * The regulator's CSV (issue 14): RFC 4180 quoting of a comma, a double quote, CR and LF, a header row in the
 * stable column order of every `--csv` and explorer download, and a declaration's status from its receipts.
 */
import { expect } from "chai";
import { csvField, declarationStatus, toCsv, STATUS_RECEIPTS, type Column } from "../../src/customs/regulator";
import { PROBLEM_COLUMNS, CHECK_HINT } from "../../src/customs/regulator";
import { STEPS } from "../../src/codes";

describe("customs regulator view: CSV and statuses", () => {
  it("quotes a comma, a quote, CR and LF (quotes doubled); leaves plain fields and non-ASCII as they are", () => {
    expect(["a", "a,b", 'say "hi"', "line1\nline2", "cr\rx", "", "海关 9610"].map(csvField)).to.deep.equal([
      "a",
      '"a,b"',
      '"say ""hi"""',
      '"line1\nline2"',
      '"cr\rx"',
      "",
      "海关 9610",
    ]);
    const columns: Column<{ n: number; t?: string }>[] = [
      { header: "n", value: (r) => r.n },
      { header: "text, quoted", value: (r) => r.t },
    ];
    expect(toCsv(columns, [{ n: 1, t: 'x,"y"\r\nz' }, { n: 2 }])).to.equal(
      'n,"text, quoted"\r\n1,"x,""y""\r\nz"\r\n2,\r\n',
    );
    expect(toCsv(columns, [])).to.equal('n,"text, quoted"\r\n');
  });

  it("the problem columns keep their order, and a disagreement points to the field-by-field check", () => {
    const row = {
      unit: "0x01" as const,
      problem: "payment-disagrees" as const,
      detail: "payment disagrees with order (payment terms differ)",
      mode: 9610,
      documents: ["0xaa", "0xbb"] as `0x${string}`[],
      since: 1_767_225_600,
    };
    const [header, line] = toCsv(PROBLEM_COLUMNS, [row]).split("\r\n");
    expect(header).to.equal("unit,path,problem,detail,mode,documents,since,field_check");
    expect(line).to.equal(
      `0x01,,payment-disagrees,payment disagrees with order (payment terms differ),9610,0xaa 0xbb,2026-01-01T00:00:00Z,${CHECK_HINT}`,
    );
  });

  it("status: the strongest receipt wins (rejected > returned > exited > released), none is declared", () => {
    expect(declarationStatus([])).to.equal("declared");
    expect(declarationStatus([STEPS.CUSTOMS_RELEASED])).to.equal("released");
    expect(declarationStatus([STEPS.CUSTOMS_EXITED, STEPS.CUSTOMS_RELEASED, STEPS.DEPARTING])).to.equal("exited");
    expect(declarationStatus([STEPS.CUSTOMS_EXITED, STEPS.RETURNED])).to.equal("returned");
    expect(declarationStatus([STEPS.CUSTOMS_RELEASED, STEPS.CUSTOMS_REJECTED])).to.equal("rejected");
    expect(STATUS_RECEIPTS.map(([s]) => s)).to.deep.equal(["rejected", "returned", "exited", "released"]);
  });
});
