/** GS1 identities: published examples, canonical paths and keys, equivalence of every input form. */
import { expect } from "chai";
import { keccak256, toBytes } from "viem";
import {
  aiDefinition,
  aiFromName,
  consignmentPath,
  GS,
  GS1_AIS,
  gs1CheckDigit,
  Gs1Error,
  hasValidCheckDigit,
  identityFromFields,
  itemPath,
  locationPath,
  parseDigitalLink,
  parseElementString,
  parseGs1,
  PRIMARY_KEY_AIS,
  ssccPath,
  toDigitalLink,
  toElementString,
  unitKeyOfPath,
  type Gs1Identity,
} from "../../src/gs1";

const GTIN13 = "9521234543213"; // GS1's example GTIN-13
const GTIN14 = "09521234543213";
const SSCC = "106141411234567897"; // GS1's example SSCC
const GLN = "9521234000006";

describe("GS1 AI table", function () {
  it("describes the AIs cbec-trace uses", function () {
    expect(Object.keys(GS1_AIS).sort()).to.deep.equal(
      ["00", "01", "10", "11", "17", "21", "22", "235", "254", "401", "402", "414"].sort(),
    );
    expect(aiDefinition("01")).to.include({ charset: "numeric", minLength: 14, maxLength: 14, checkDigit: true });
    expect(aiDefinition("00")).to.include({ role: "primary", maxLength: 18, checkDigit: true });
    expect(aiDefinition("414")).to.include({ role: "primary", maxLength: 13, checkDigit: true });
    expect(aiDefinition("402")).to.include({ maxLength: 17, checkDigit: true });
    expect(aiDefinition("10")).to.include({ charset: "cset82", maxLength: 20, qualifierOf: "01" });
    expect(aiDefinition("21")).to.include({ charset: "cset82", maxLength: 20, qualifierOf: "01" });
    expect(aiDefinition("22")).to.include({ charset: "cset82", maxLength: 20, qualifierOf: "01" });
    expect(aiDefinition("235")).to.include({ maxLength: 28, qualifierOf: "01" });
    expect(aiDefinition("254")).to.include({ maxLength: 20, qualifierOf: "414" });
    expect(aiDefinition("401")).to.include({ charset: "cset82", maxLength: 30, checkDigit: false });
    expect(aiDefinition("11")).to.include({ role: "attribute", date: true });
    expect(aiDefinition("17")).to.include({ role: "attribute", date: true });
  });

  it("fixes the GTIN qualifier order 22 → 10 → 21 and the GLN qualifier 254", function () {
    expect(aiDefinition("01")?.qualifiers).to.deep.equal(["22", "10", "21"]);
    expect(aiDefinition("414")?.qualifiers).to.deep.equal(["254"]);
    expect(aiDefinition("00")?.qualifiers).to.deep.equal([]);
    expect(PRIMARY_KEY_AIS).to.deep.equal(["00", "01", "401", "414"]);
  });

  it("knows the Digital Link short names", function () {
    const names = { gtin: "01", cpv: "22", lot: "10", ser: "21", sscc: "00", gln: "414", ginc: "401", exp: "17" };
    for (const [name, ai] of Object.entries(names)) expect(aiFromName(name)?.ai, name).to.equal(ai);
    expect(aiFromName("GTIN")).to.equal(undefined);
    expect(aiFromName("constructor")).to.equal(undefined);
  });
});

describe("GS1 Digital Link: GS1's published examples", function () {
  it("https://id.gs1.org/01/09521234543213/10/ABC123/21/12345 is a serialised item", function () {
    const id = parseDigitalLink("https://id.gs1.org/01/09521234543213/10/ABC123/21/12345");
    expect(id).to.deep.equal({
      kind: "item",
      gtin: GTIN14,
      lot: "ABC123",
      serial: "12345",
      attributes: {},
      canonicalPath: "/01/09521234543213/10/ABC123/21/12345",
      key: keccak256(toBytes("/01/09521234543213/10/ABC123/21/12345")),
    });
  });

  it("https://id.gs1.org/01/09521234543213/10/ABC123?17=261231 is a lot with an expiry attribute", function () {
    const id = parseDigitalLink("https://id.gs1.org/01/09521234543213/10/ABC123?17=261231");
    expect(id.kind).to.equal("lot");
    expect(id.attributes).to.deep.equal({ "17": "261231" });
    expect(id.canonicalPath).to.equal("/01/09521234543213/10/ABC123");
    expect(id.key).to.equal(unitKeyOfPath("/01/09521234543213/10/ABC123"));
  });

  it("https://id.gs1.org/00/106141411234567897 is a logistic unit", function () {
    const id = parseDigitalLink("https://id.gs1.org/00/106141411234567897");
    expect(id).to.deep.include({ kind: "logistic", sscc: SSCC, canonicalPath: "/00/106141411234567897" });
    expect(id.key).to.equal(unitKeyOfPath(ssccPath(SSCC)));
  });

  it("pads GTIN-13, GTIN-12 and GTIN-8 to 14 digits", function () {
    expect(parseDigitalLink("https://example.com/01/9780345418913").canonicalPath).to.equal("/01/09780345418913");
    expect(parseDigitalLink("https://example.com/01/614141000036").canonicalPath).to.equal("/01/00614141000036");
    expect(parseDigitalLink("https://example.com/01/95012346").canonicalPath).to.equal("/01/00000095012346");
    expect(parseDigitalLink("https://example.com/01/95012346").gtin).to.equal("00000095012346");
    expect(parseDigitalLink("https://example.com/01/9780345418913").kind).to.equal("class");
  });

  it("the contract docs' example: qualifiers given out of order in plain fields still land in canonical order", function () {
    // docs/contracts.md: …/01/9521234543213/21/12345/10/ABC123 → /01/09521234543213/10/ABC123/21/12345. As a
    // Digital Link that order is refused (see gs1Errors.test.ts); as fields or an element string it is fine.
    const path = "/01/09521234543213/10/ABC123/21/12345";
    expect(parseGs1({ serial: "12345", lot: "ABC123", gtin: GTIN13 }).canonicalPath).to.equal(path);
    expect(parseGs1("(01)09521234543213(21)12345(10)ABC123").canonicalPath).to.equal(path);
  });

  it("a CPV comes first: /01/…/22/…/10/…/21/…", function () {
    const id = parseDigitalLink("https://id.gs1.org/01/09521234543213/22/2A/10/ABC123/21/12345");
    expect(id).to.deep.include({
      kind: "item",
      cpv: "2A",
      canonicalPath: "/01/09521234543213/22/2A/10/ABC123/21/12345",
    });
    expect(parseDigitalLink("https://id.gs1.org/01/09521234543213/22/2A").kind).to.equal("class");
  });

  it("locations: /414/<GLN> with an optional /254/<extension>", function () {
    const id = parseDigitalLink(`https://id.gs1.org/414/${GLN}/254/DOCK-7`);
    expect(id).to.deep.include({ kind: "location", gln: GLN, glnExtension: "DOCK-7" });
    expect(id.canonicalPath).to.equal(locationPath(GLN, "DOCK-7"));
    expect(parseDigitalLink(`https://id.gs1.org/gln/${GLN}`).canonicalPath).to.equal(`/414/${GLN}`);
  });

  it("consignments: /401/<GINC>, case-sensitive", function () {
    const id = parseDigitalLink("https://id.gs1.org/401/9521234MAWB%2F0001");
    expect(id).to.deep.include({ kind: "consignment", ginc: "9521234MAWB/0001" });
    expect(id.key).to.equal(unitKeyOfPath(consignmentPath("9521234MAWB/0001")));
    expect(parseDigitalLink("/401/9521234mawb").key).not.to.equal(parseDigitalLink("/401/9521234MAWB").key);
  });
});

describe("GS1 Digital Link: what is and is not part of the key", function () {
  const item = "/01/09521234543213/10/ABC123/21/12345";

  it("ignores the domain and any path prefix", function () {
    for (const uri of [
      `https://id.gs1.org${item}`,
      `https://trace.example.cn/products${item}`,
      `http://EXAMPLE.com:8080/a/b/c${item}`,
      `https://example.com/2024/01${item}`,
      item,
      `${item}/`,
    ]) {
      expect(parseDigitalLink(uri).canonicalPath, uri).to.equal(item);
    }
  });

  it("accepts short names and percent-encoded values", function () {
    const id = parseDigitalLink("https://example.com/gtin/9521234543213/lot/ABC%31%323/ser/12345");
    expect(id.canonicalPath).to.equal(item);
    expect(parseDigitalLink("/01/09521234543213/21/A%2FB%25C").serial).to.equal("A/B%C");
  });

  it("reads numeric-AI query parameters as attributes and ignores the rest", function () {
    const id = parseDigitalLink(`https://id.gs1.org${item}?linkType=gs1:pip&17=261231&11=250115&utm=x`);
    expect(id.attributes).to.deep.equal({ "11": "250115", "17": "261231" });
    expect(parseDigitalLink(`${item}?exp=261231`).attributes).to.deep.equal({ "17": "261231" });
    expect(id.canonicalPath).to.equal(item);
    expect(parseDigitalLink(`${item}?3103=000189`).attributes).to.deep.equal({ "3103": "000189" });
  });

  it("keeps letter case in values: ABC123 and abc123 are different lots", function () {
    expect(parseDigitalLink("/01/09521234543213/10/abc123").key).not.to.equal(
      parseDigitalLink("/01/09521234543213/10/ABC123").key,
    );
  });
});

describe("GS1 element strings", function () {
  it("parses the human-readable form", function () {
    const id = parseElementString("(01)09521234543213(10)ABC123(21)12345");
    expect(id.canonicalPath).to.equal("/01/09521234543213/10/ABC123/21/12345");
  });

  it("parses the raw form with GS separators and GS1 symbology identifiers", function () {
    const data = `01095212345432131726123110ABC123${GS}2112345`;
    for (const prefix of ["", "]d2", "]Q3", "]C1", GS, `]d2${GS}`]) {
      const id = parseElementString(prefix + data);
      expect(id.canonicalPath, JSON.stringify(prefix)).to.equal("/01/09521234543213/10/ABC123/21/12345");
      expect(id.attributes).to.deep.equal({ "17": "261231" });
    }
    expect(parseElementString(`]d2${data}\r\n`).serial).to.equal("12345");
  });

  it("parses SSCC, GINC and GLN element strings", function () {
    expect(parseElementString(`(00)${SSCC}`).canonicalPath).to.equal(`/00/${SSCC}`);
    expect(parseElementString(`00${SSCC}`).canonicalPath).to.equal(`/00/${SSCC}`);
    expect(parseElementString("(401)9521234MAWB1").canonicalPath).to.equal("/401/9521234MAWB1");
    expect(parseElementString(`(414)${GLN}(254)A1`).canonicalPath).to.equal(`/414/${GLN}/254/A1`);
    expect(parseElementString(`414${GLN}254A1`).canonicalPath).to.equal(`/414/${GLN}/254/A1`);
  });

  it("keeps a GSIN next to an SSCC as a data attribute", function () {
    const id = parseElementString(`(00)${SSCC}(402)95212340000000013`);
    expect(id).to.deep.include({ kind: "logistic", canonicalPath: `/00/${SSCC}` });
    expect(id.attributes).to.deep.equal({ "402": "95212340000000013" });
  });

  it('reads "\\(" as a literal parenthesis in the human-readable form', function () {
    expect(parseElementString("(01)09521234543213(10)A\\(1)").lot).to.equal("A(1)");
  });
});

describe("GS1 identities: one unit, one key, whatever the input form", function () {
  const path = "/01/09521234543213/10/ABC123/21/12345";
  const inputs: Array<string | Parameters<typeof parseGs1>[0]> = [
    "https://id.gs1.org/01/09521234543213/10/ABC123/21/12345",
    "https://trace.example.cn/products/01/9521234543213/10/ABC123/21/12345",
    "https://example.com/gtin/09521234543213/lot/ABC123/ser/12345?17=261231",
    "/01/09521234543213/10/ABC123/21/12345",
    "  https://id.gs1.org/01/09521234543213/10/ABC123/21/12345\n",
    "(01)09521234543213(10)ABC123(21)12345",
    "(01)09521234543213(21)12345(17)261231(10)ABC123",
    `]d2010952123454321310ABC123${GS}2112345`,
    `]Q301095212345432131726123110ABC123${GS}2112345`,
    `01095212345432132112345${GS}10ABC123`,
    { gtin: GTIN13, lot: "ABC123", serial: "12345" },
    { gtin: GTIN14, serial: "12345", lot: "ABC123", attributes: { "17": "261231" } },
  ];

  it("gives the same canonical path and key for every form", function () {
    const expectedKey = unitKeyOfPath(itemPath({ gtin: GTIN13, lot: "ABC123", serial: "12345" }));
    for (const input of inputs) {
      const id = parseGs1(input);
      expect(id.canonicalPath, JSON.stringify(input)).to.equal(path);
      expect(id.key, JSON.stringify(input)).to.equal(expectedKey);
      expect(id.kind).to.equal("item");
    }
    expect(expectedKey).to.equal(keccak256(toBytes(path)));
  });

  it("gives the same SSCC key as a URI, element strings and fields", function () {
    const keys = [
      `https://id.gs1.org/00/${SSCC}`,
      `https://example.com/sscc/${SSCC}`,
      `(00)${SSCC}`,
      `]C100${SSCC}`,
      { sscc: SSCC },
    ].map((input) => parseGs1(input).key);
    expect(new Set(keys).size).to.equal(1);
    expect(keys[0]).to.equal(unitKeyOfPath(ssccPath(SSCC)));
  });

  it("lot and class keys differ from the item key", function () {
    const item = parseGs1({ gtin: GTIN13, lot: "ABC123", serial: "12345" });
    const lot = parseGs1({ gtin: GTIN13, lot: "ABC123" });
    const cls = parseGs1({ gtin: GTIN13 });
    expect([item.kind, lot.kind, cls.kind]).to.deep.equal(["item", "lot", "class"]);
    expect(new Set([item.key, lot.key, cls.key]).size).to.equal(3);
  });

  it("identities are frozen", function () {
    const id = parseGs1({ gtin: GTIN13, attributes: { "17": "261231" } });
    expect(Object.isFrozen(id)).to.equal(true);
    expect(Object.isFrozen(id.attributes)).to.equal(true);
  });
});

describe("GS1 builders", function () {
  const id: Gs1Identity = parseGs1("(01)09521234543213(10)ABC123(17)261231");

  it("toDigitalLink builds the canonical path on id.gs1.org with attributes in the query string", function () {
    expect(toDigitalLink(id)).to.equal("https://id.gs1.org/01/09521234543213/10/ABC123?17=261231");
    expect(toDigitalLink(id, { attributes: false })).to.equal("https://id.gs1.org/01/09521234543213/10/ABC123");
  });

  it("toDigitalLink takes a domain and a path prefix", function () {
    expect(toDigitalLink(id, { domain: "https://trace.example.cn/", pathPrefix: "/p/cn/" })).to.equal(
      "https://trace.example.cn/p/cn/01/09521234543213/10/ABC123?17=261231",
    );
  });

  it("toDigitalLink percent-encodes reserved characters of values", function () {
    const odd = identityFromFields({ gtin: GTIN13, lot: "A/B?C", serial: "1&2=3%!'()*+,;:" });
    const uri = toDigitalLink(odd);
    expect(uri).to.equal(
      "https://id.gs1.org/01/09521234543213/10/A%2FB%3FC/21/1%262%3D3%25%21%27%28%29%2A%2B%2C%3B%3A",
    );
    expect(parseDigitalLink(uri)).to.deep.equal(odd);
    // The canonical path is the Digital Link path, values encoded the same way.
    expect(odd.canonicalPath).to.equal("/01/09521234543213/10/A%2FB%3FC/21/1%262%3D3%25%21%27%28%29%2A%2B%2C%3B%3A");
  });

  it("a '/' inside a value cannot collide with another unit's qualifiers", function () {
    const slashLot = identityFromFields({ gtin: GTIN13, lot: "A/21/B" });
    const lotAndSerial = identityFromFields({ gtin: GTIN13, lot: "A", serial: "B" });
    expect(slashLot.canonicalPath).to.equal("/01/09521234543213/10/A%2F21%2FB");
    expect(lotAndSerial.canonicalPath).to.equal("/01/09521234543213/10/A/21/B");
    expect(slashLot.key).to.not.equal(lotAndSerial.key);
  });

  it("toElementString builds the human-readable and raw forms", function () {
    expect(toElementString(id)).to.equal("(01)09521234543213(17)261231(10)ABC123");
    expect(toElementString(id, { form: "raw" })).to.equal("01095212345432131726123110ABC123");
    const item = parseGs1({ gtin: GTIN13, lot: "ABC123", serial: "12345" });
    expect(toElementString(item, { form: "raw", symbologyId: "]d2" })).to.equal(
      `]d2010952123454321310ABC123${GS}2112345`,
    );
    expect(toElementString(parseGs1({ gtin: GTIN13, lot: "A(1)" }))).to.equal("(01)09521234543213(10)A\\(1)");
  });
});

describe("GS1 key derivation (src/gs1/key.ts) stays as the contracts expect", function () {
  it("keeps the path builders' outputs", function () {
    expect(itemPath({ gtin: GTIN13, lot: "L1", serial: "S1" })).to.equal("/01/09521234543213/10/L1/21/S1");
    expect(itemPath({ gtin: "95012346", cpv: "X" })).to.equal("/01/00000095012346/22/X");
    expect(ssccPath(SSCC)).to.equal(`/00/${SSCC}`);
    expect(consignmentPath("9521234MAWB1")).to.equal("/401/9521234MAWB1");
    expect(unitKeyOfPath("/00/" + SSCC)).to.equal(keccak256(toBytes("/00/" + SSCC)));
  });

  it("keeps the check digit helpers", function () {
    expect(gs1CheckDigit("952123454321")).to.equal(3);
    expect(gs1CheckDigit("10614141123456789")).to.equal(7);
    expect(gs1CheckDigit("978034541891")).to.equal(3);
    expect(gs1CheckDigit("9501234")).to.equal(6);
    expect(gs1CheckDigit("61414100003")).to.equal(6);
    expect(hasValidCheckDigit(GTIN14)).to.equal(true);
    expect(hasValidCheckDigit("09521234543214")).to.equal(false);
  });

  it("every GS1 error is a Gs1Error", function () {
    let caught: unknown;
    try {
      itemPath({ gtin: "09521234543214" });
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(Gs1Error);
  });
});
