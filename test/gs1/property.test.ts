/** GS1 round trips, property-tested: parse(build(x)) == x for random valid units, in every form. */
import { expect } from "chai";
import fc from "fast-check";
import {
  CSET82_CHARS,
  fieldsOfIdentity,
  gs1CheckDigit,
  Gs1Error,
  identityFromFields,
  itemPath,
  parseDigitalLink,
  parseElementString,
  parseGs1,
  toDigitalLink,
  toElementString,
  unitKeyOfPath,
  type Gs1Fields,
} from "../../src/gs1";

const RUNS = { numRuns: 200 };

/** `n` digits ending with a valid GS1 check digit. */
const keyDigits = (n: number) =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: n - 1, maxLength: n - 1 })
    .map((ds) => ds.join(""))
    .map((body) => body + gs1CheckDigit(body));

const cset82 = (max: number) => fc.string({ unit: fc.constantFrom(...CSET82_CHARS), minLength: 1, maxLength: max });

const yymmdd = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 28 }))
  .map(([y, m, d]) => [y, m, d].map((n) => String(n).padStart(2, "0")).join(""));

const itemAttributes = fc.record({ "11": yymmdd, "17": yymmdd }, { requiredKeys: [] });

const itemFields: fc.Arbitrary<Gs1Fields> = fc.record(
  {
    gtin: fc.constantFrom(8, 12, 13, 14).chain(keyDigits),
    cpv: cset82(20),
    lot: cset82(20),
    serial: cset82(20),
    attributes: itemAttributes,
  },
  { requiredKeys: ["gtin"] },
);

const otherFields: fc.Arbitrary<Gs1Fields> = fc.oneof(
  fc.record({ sscc: keyDigits(18) }),
  fc.record({ sscc: keyDigits(18), attributes: fc.record({ "402": keyDigits(17) }) }),
  fc.record({ ginc: cset82(30) }),
  fc.record({ gln: keyDigits(13), glnExtension: cset82(20) }, { requiredKeys: ["gln"] }),
);

const anyFields = fc.oneof({ arbitrary: itemFields, weight: 3 }, { arbitrary: otherFields, weight: 1 });

const domain = fc.constantFrom("https://id.gs1.org", "https://trace.example.cn", "http://localhost:8080");
const prefix = fc.option(fc.constantFrom("products", "p/cn", "2024/v1", "a.b~c-d_e"), { nil: undefined });

describe("GS1 round trips (fast-check)", function () {
  it("Digital Link: parseDigitalLink(toDigitalLink(x)) == x, with any domain and path prefix", function () {
    fc.assert(
      fc.property(anyFields, domain, prefix, (fields, d, p) => {
        const id = identityFromFields(fields);
        const uri = toDigitalLink(id, { domain: d, pathPrefix: p });
        expect(parseDigitalLink(uri)).to.deep.equal(id);
        expect(parseGs1(uri)).to.deep.equal(id);
      }),
      RUNS,
    );
  });

  it("element strings: parse(toElementString(x)) == x, human-readable and raw", function () {
    fc.assert(
      fc.property(anyFields, fc.constantFrom("", "]d2", "]Q3", "]C1"), (fields, symbologyId) => {
        const id = identityFromFields(fields);
        expect(parseElementString(toElementString(id))).to.deep.equal(id);
        const raw = toElementString(id, { form: "raw", symbologyId });
        expect(parseElementString(raw)).to.deep.equal(id);
        expect(parseGs1(raw)).to.deep.equal(id);
      }),
      RUNS,
    );
  });

  it("fields: identityFromFields(fieldsOfIdentity(x)) == x, and the key is unitKeyOfPath(canonicalPath)", function () {
    fc.assert(
      fc.property(anyFields, (fields) => {
        const id = identityFromFields(fields);
        expect(identityFromFields(fieldsOfIdentity(id))).to.deep.equal(id);
        expect(id.key).to.equal(unitKeyOfPath(id.canonicalPath));
        if (id.gtin !== undefined) {
          expect(id.canonicalPath).to.equal(itemPath({ ...(fields as { gtin: string }), gtin: id.gtin }));
        }
      }),
      RUNS,
    );
  });

  it("a GTIN with any other last digit is refused with CHECK_DIGIT", function () {
    fc.assert(
      fc.property(fc.constantFrom(8, 12, 13, 14).chain(keyDigits), fc.integer({ min: 1, max: 9 }), (gtin, shift) => {
        const wrong = gtin.slice(0, -1) + ((Number(gtin[gtin.length - 1]) + shift) % 10);
        let error: unknown;
        try {
          parseGs1(`https://id.gs1.org/01/${wrong}`);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(Gs1Error);
        expect((error as Gs1Error).code).to.equal("CHECK_DIGIT");
      }),
      RUNS,
    );
  });
});
