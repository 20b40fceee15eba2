/** GS1 refusals: every invalid input is refused with a named error, a code and a message that says what to do. */
import { expect } from "chai";
import {
  GS,
  Gs1CheckDigitError,
  Gs1Error,
  Gs1StructureError,
  Gs1SyntaxError,
  Gs1ValueError,
  identityFromFields,
  parseDigitalLink,
  parseElementString,
  parseGs1,
  toDigitalLink,
  toElementString,
  type Gs1ErrorCode,
  type Gs1Fields,
  type Gs1Identity,
} from "../../src/gs1";

/** Runs `fn`, which must throw a Gs1Error; returns it. */
function failure(fn: () => unknown): Gs1Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Gs1Error) return e;
    throw e;
  }
  throw new Error("expected a Gs1Error, but nothing was thrown");
}

/** Asserts that parsing `input` fails with `code` (and the matching class). */
function refuses(input: string | Gs1Fields, code: Gs1ErrorCode): Gs1Error {
  const error = failure(() => parseGs1(input));
  expect(error.code, `${JSON.stringify(input)}: ${error.message}`).to.equal(code);
  return error;
}

const ITEM = "https://id.gs1.org/01/09521234543213";

describe("GS1 refusals: check digits", function () {
  it("refuses a GTIN with a wrong check digit, naming the expected digit", function () {
    const error = refuses(`${ITEM.slice(0, -1)}4`, "CHECK_DIGIT");
    expect(error).to.be.instanceOf(Gs1CheckDigitError);
    expect(error.name).to.equal("Gs1CheckDigitError");
    expect((error as Gs1CheckDigitError).expected).to.equal(3);
    expect(error.message).to.equal(
      'GTIN "09521234543214" has a wrong check digit: expected 3. Check the code for a typo.',
    );
    expect(error).to.include({ ai: "01", input: "09521234543214" });
  });

  it("refuses wrong check digits in GTIN-13/12/8, SSCC, GLN and GSIN", function () {
    refuses("https://example.com/01/9780345418914", "CHECK_DIGIT");
    refuses("https://example.com/01/614141000037", "CHECK_DIGIT");
    refuses("https://example.com/01/95012347", "CHECK_DIGIT");
    refuses("https://id.gs1.org/00/106141411234567898", "CHECK_DIGIT");
    refuses("https://id.gs1.org/414/9521234000007", "CHECK_DIGIT");
    refuses("(00)106141411234567897(402)95212340000000014", "CHECK_DIGIT");
  });
});

describe("GS1 refusals: lengths", function () {
  it("refuses keys of the wrong length", function () {
    expect(refuses("https://id.gs1.org/01/0952123454", "LENGTH").message).to.equal(
      'GTIN "0952123454" has 10 digits: it must be 8, 12, 13 or 14 digits. Check that no digit is missing or extra.',
    );
    refuses("https://id.gs1.org/01/952123454321399", "LENGTH");
    refuses("https://id.gs1.org/00/10614141123456789", "LENGTH");
    refuses("https://id.gs1.org/414/95212340000061", "LENGTH");
    refuses({ gtin: "123456789" }, "LENGTH");
  });

  it("refuses lots and serials over 20 characters and GINCs over 30", function () {
    refuses(`${ITEM}/10/${"L".repeat(21)}`, "LENGTH");
    refuses(`${ITEM}/21/${"1".repeat(21)}`, "LENGTH");
    refuses({ gtin: "09521234543213", cpv: "C".repeat(21) }, "LENGTH");
    refuses(`/401/${"9".repeat(31)}`, "LENGTH");
    expect(parseGs1(`/401/${"9".repeat(30)}`).kind).to.equal("consignment");
    expect(parseGs1(`${ITEM}/21/${"1".repeat(20)}`).serial).to.have.length(20);
  });

  it("asks for 14 digits when an element string holds a shorter GTIN", function () {
    expect(refuses("(01)9521234543213(21)1", "LENGTH").message).to.equal(
      'GTIN "9521234543213" has 13 digits, but in an element string a GTIN always has 14: write it as "09521234543213".',
    );
  });

  it("suggests a valid GTIN when the digits given lack their check digit (13 digits of a GTIN-14)", function () {
    const message = refuses("(01)0952123454321", "LENGTH").message;
    expect(message).to.equal(
      'GTIN "0952123454321" has 13 digits, but in an element string a GTIN always has 14, ending in its check digit: with the check digit it is "09521234543213".',
    );
    const suggested = /"([0-9]{14})"/.exec(message)![1];
    expect(parseGs1(`(01)${suggested}`).gtin).to.equal(suggested);
    // Whatever the digits, the suggestion passes the check digit.
    for (const short of ["0952123454321", "9521234543213", "952123454321", "12345670", "1234567"]) {
      const error = (() => {
        try {
          parseGs1(`(01)${short}`);
        } catch (e) {
          return e as Error;
        }
      })();
      const fix = error && /"([0-9]{14})"/.exec(error.message)?.[1];
      if (fix) expect(() => parseGs1(`(01)${fix}`), `${short} → ${fix}`).not.to.throw();
    }
  });
});

describe("GS1 refusals: character sets", function () {
  it("refuses a space in a serial, quoting value and position", function () {
    const error = refuses(`${ITEM}/21/A%20B`, "CHARSET");
    expect(error).to.be.instanceOf(Gs1ValueError);
    expect(error.message).to.equal(
      'Serial (AI 21) "A B" has a space at position 2, which GS1 character set 82 does not allow (allowed: A–Z, a–z, 0–9 and ! " % & \' ( ) * + , - . / : ; < = > ? _). Remove or replace it.',
    );
    refuses(`${ITEM}/21/A B`, "CHARSET");
    refuses({ gtin: "09521234543213", serial: "A B" }, "CHARSET");
  });

  it('refuses "#" in a serial, in a URI (where it would start a fragment) and in fields', function () {
    expect(refuses(`${ITEM}/21/A#1`, "CHARSET").message).to.contain('contains "#"');
    refuses(`${ITEM}/21/A%231`, "CHARSET");
    refuses({ gtin: "09521234543213", serial: "A#1" }, "CHARSET");
    refuses("(01)09521234543213(21)A#1", "CHARSET");
  });

  it("refuses non-ASCII and control characters", function () {
    expect(refuses(`${ITEM}/10/%E6%89%B9%E6%AC%A1`, "CHARSET").message).to.contain('"批" (U+6279)');
    refuses({ gtin: "09521234543213", lot: "Lé1" }, "CHARSET");
    expect(refuses({ gtin: "09521234543213", lot: "A\u0000" }, "CHARSET").message).to.contain("U+0000");
  });

  it("refuses letters in numeric keys (an SSCC with letters)", function () {
    expect(refuses("https://id.gs1.org/00/10614141123456789A", "CHARSET").message).to.equal(
      'SSCC "10614141123456789A" must be digits only, but has "A" at position 18. Check the code for a typo.',
    );
    refuses("https://id.gs1.org/01/0952123454321O", "CHARSET");
    refuses({ sscc: "1061414112345678 7" }, "CHARSET");
  });

  it("refuses numbers given instead of strings (they lose leading zeros)", function () {
    const error = refuses({ gtin: 9521234543213 as unknown as string }, "NOT_A_STRING");
    expect(error.message).to.contain("Numbers lose leading zeros");
  });
});

describe("GS1 refusals: structure", function () {
  it("refuses GTIN qualifiers out of order, naming the order the standard requires", function () {
    const error = refuses(`${ITEM}/21/12345/10/ABC123`, "QUALIFIER_ORDER");
    expect(error).to.be.instanceOf(Gs1StructureError);
    expect(error.message).to.equal(
      'Digital Link "https://id.gs1.org/01/09521234543213/21/12345/10/ABC123" has its qualifiers out of order: Lot (AI 10) comes after Serial (AI 21). The GS1 Digital Link standard requires the order 22 → 10 → 21 (CPV → Lot → Serial), e.g. /01/09521234543213/22/<cpv>/10/<lot>/21/<serial>.',
    );
    refuses(`${ITEM}/10/ABC123/22/V1`, "QUALIFIER_ORDER");
    refuses(`${ITEM}/ser/1/cpv/V1`, "QUALIFIER_ORDER");
  });

  it("refuses a missing primary key", function () {
    expect(refuses("https://id.gs1.org/10/ABC123", "MISSING_PRIMARY_KEY").message).to.equal(
      'Digital Link "https://id.gs1.org/10/ABC123" has no primary key (it has Lot (AI 10), which needs GTIN (AI 01) before it): its path must contain one of 00 (SSCC), 01 (GTIN), 401 (GINC), 414 (GLN), e.g. /01/09521234543213.',
    );
    refuses("https://example.com/products/shoes", "MISSING_PRIMARY_KEY");
    refuses("https://example.com", "MISSING_PRIMARY_KEY");
    refuses("(10)ABC123(21)12345", "MISSING_PRIMARY_KEY");
    refuses({ lot: "ABC123" } as unknown as Gs1Fields, "MISSING_PRIMARY_KEY");
  });

  it("refuses unknown AIs in the path", function () {
    const error = refuses(`${ITEM}/99/x`, "UNKNOWN_AI");
    expect(error.message).to.contain('has "99" where an AI is expected after the GTIN');
    refuses(`${ITEM}/color/red`, "UNKNOWN_AI");
  });

  it("refuses data attributes in the path and key qualifiers in the query string", function () {
    expect(refuses(`${ITEM}/17/261231`, "NOT_A_QUALIFIER").message).to.contain("?17=261231");
    refuses(`${ITEM}?21=12345`, "NOT_A_QUALIFIER");
    refuses(`${ITEM}?lot=ABC`, "NOT_A_QUALIFIER");
    refuses(`${ITEM}?00=106141411234567897`, "NOT_A_QUALIFIER");
  });

  it("refuses qualifiers of another key: a lot on an SSCC, a GLN extension on a GTIN", function () {
    refuses("https://id.gs1.org/00/106141411234567897/10/ABC", "NOT_A_QUALIFIER");
    refuses(`${ITEM}/254/A1`, "NOT_A_QUALIFIER");
    refuses("(00)106141411234567897(10)ABC", "NOT_A_QUALIFIER");
    refuses({ sscc: "106141411234567897", lot: "ABC" } as unknown as Gs1Fields, "NOT_A_QUALIFIER");
    refuses({ gtin: "09521234543213", attributes: { "10": "ABC" } }, "NOT_A_QUALIFIER");
  });

  it("refuses attributes that do not apply to the key (an expiry date on an SSCC)", function () {
    const error = refuses("(00)106141411234567897(17)261231", "INVALID_COMBINATION");
    expect(error.message).to.equal("Expiry date (AI 17) applies to GTIN (AI 01), not to SSCC (AI 00). Remove it.");
    refuses("https://id.gs1.org/00/106141411234567897?17=261231", "INVALID_COMBINATION");
  });

  it("refuses empty values", function () {
    expect(refuses(`${ITEM}/21/`, "EMPTY_VALUE").message).to.contain("ends with Serial (AI 21) and no value");
    refuses(`${ITEM}/21`, "EMPTY_VALUE");
    refuses("https://id.gs1.org/01//21/12345", "EMPTY_VALUE");
    refuses(`${ITEM}/10//21/12345`, "EMPTY_VALUE");
    refuses("(01)09521234543213(10)(21)12345", "EMPTY_VALUE");
    refuses(`${ITEM}?17=`, "EMPTY_VALUE");
    refuses(`${ITEM}?11`, "EMPTY_VALUE");
    refuses({ gtin: "09521234543213", serial: "" }, "EMPTY_VALUE");
    refuses({ ginc: "" }, "EMPTY_VALUE");
  });

  it("refuses duplicate AIs", function () {
    refuses(`${ITEM}/10/A/10/B`, "DUPLICATE_AI");
    refuses(`${ITEM}?17=261231&17=261230`, "DUPLICATE_AI");
    refuses("(01)09521234543213(10)A(10)B", "DUPLICATE_AI");
    expect(parseGs1("(01)09521234543213(10)A(10)A").lot).to.equal("A");
  });

  it("refuses two primary keys in one element string or field set", function () {
    refuses("(01)09521234543213(00)106141411234567897", "MULTIPLE_PRIMARY_KEYS");
    refuses({ gtin: "09521234543213", sscc: "106141411234567897" } as unknown as Gs1Fields, "MULTIPLE_PRIMARY_KEYS");
  });

  it("refuses GS1 keys cbec-trace does not key units by (TPX, GSIN), saying what to use", function () {
    expect(refuses(`${ITEM}/235/TPX1`, "UNSUPPORTED_KEY").message).to.contain("/01/<GTIN>/21/<serial>");
    refuses("(01)09521234543213(235)TPX1", "UNSUPPORTED_KEY");
    expect(refuses("https://id.gs1.org/402/95212340000000013", "UNSUPPORTED_KEY").message).to.contain("GINC");
    refuses("(402)95212340000000013", "UNSUPPORTED_KEY");
  });

  it("refuses unknown fields rather than ignoring them", function () {
    const error = refuses({ gtin: "09521234543213", serialNo: "1" } as unknown as Gs1Fields, "UNKNOWN_FIELD");
    expect(error.message).to.contain('"serialNo"');
    refuses({ gtin: "09521234543213", attributes: { expiry: "261231" } }, "UNKNOWN_AI");
  });
});

describe("GS1 refusals: dates", function () {
  it("refuses impossible YYMMDD dates and accepts day 00 and 29 February of leap years", function () {
    expect(refuses(`${ITEM}?17=261301`, "INVALID_DATE").message).to.contain("month 13 does not exist");
    refuses(`${ITEM}?17=260230`, "INVALID_DATE");
    refuses(`${ITEM}?11=250229`, "INVALID_DATE");
    refuses(`${ITEM}?17=26123`, "LENGTH");
    expect(parseGs1(`${ITEM}?11=240229&17=261200`).attributes).to.deep.equal({ "11": "240229", "17": "261200" });
  });
});

describe("GS1 refusals: syntax", function () {
  it("refuses text that is not a Digital Link", function () {
    for (const text of [
      "urn:epc:id:sgtin:9521234.054321.12345",
      "id.gs1.org/01/09521234543213",
      "ftp://id.gs1.org/01/09521234543213",
      "https:///01/09521234543213",
    ]) {
      const error = failure(() => parseDigitalLink(text));
      expect(error.code, text).to.equal("NOT_A_DIGITAL_LINK");
      expect(error).to.be.instanceOf(Gs1SyntaxError);
    }
  });

  it("refuses broken percent-encoding", function () {
    refuses(`${ITEM}/21/%ZZ`, "PERCENT_ENCODING");
  });

  it("refuses malformed element strings", function () {
    refuses("(01)09521234543213(ab)x", "MALFORMED_ELEMENT_STRING");
    refuses("(01)09521234543213x(10", "MALFORMED_ELEMENT_STRING");
    refuses("]Q1http://example.com", "MALFORMED_ELEMENT_STRING");
    expect(failure(() => parseElementString("")).code).to.equal("MALFORMED_ELEMENT_STRING");
  });

  it("refuses raw element strings with AIs it cannot split", function () {
    const error = refuses(`]d20109521234543213${"3103000189"}`, "UNKNOWN_AI");
    expect(error.message).to.contain("Use the bracketed form");
    refuses(`0109521234543213${GS}10ABC`.replace("01", "09"), "UNKNOWN_AI");
  });

  it("keeps AIs outside the table as unvalidated attributes in the bracketed form, but refuses them raw", function () {
    const id = parseGs1("(01)09521234543213(3103)000189");
    expect(id.attributes).to.deep.equal({ "3103": "000189" });
    expect(toElementString(id)).to.equal("(01)09521234543213(3103)000189");
    expect(failure(() => toElementString(id, { form: "raw" })).code).to.equal("UNKNOWN_AI");
  });
});

describe("GS1 refusals: builders", function () {
  const id = parseGs1({ gtin: "09521234543213", serial: "12345" });

  it("refuse hand-made or altered identities", function () {
    const tampered = { ...id, key: `0x${"00".repeat(32)}` } as Gs1Identity;
    expect(failure(() => toDigitalLink(tampered)).code).to.equal("INCONSISTENT_IDENTITY");
    const relabelled = { ...id, serial: "99999" } as Gs1Identity;
    expect(failure(() => toElementString(relabelled)).code).to.equal("INCONSISTENT_IDENTITY");
    const forged = { ...id, gtin: "09521234543214" } as Gs1Identity;
    expect(failure(() => toDigitalLink(forged)).code).to.equal("CHECK_DIGIT");
    expect(failure(() => identityFromFields(null as unknown as Gs1Fields)).code).to.equal("MISSING_PRIMARY_KEY");
  });

  it("refuse a domain with a path and path prefixes a parser would mistake for keys", function () {
    expect(failure(() => toDigitalLink(id, { domain: "https://example.com/products" })).code).to.equal(
      "INVALID_OPTION",
    );
    expect(failure(() => toDigitalLink(id, { domain: "example.com" })).code).to.equal("INVALID_OPTION");
    expect(failure(() => toDigitalLink(id, { pathPrefix: "shop/01" })).code).to.equal("INVALID_OPTION");
    expect(failure(() => toDigitalLink(id, { pathPrefix: "gtin" })).code).to.equal("INVALID_OPTION");
    expect(failure(() => toDigitalLink(id, { pathPrefix: "a b" })).code).to.equal("INVALID_OPTION");
    expect(failure(() => toElementString(id, { form: "raw", symbologyId: "]Q1" })).code).to.equal("INVALID_OPTION");
  });
});
