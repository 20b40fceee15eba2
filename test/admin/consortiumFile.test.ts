/** The consortium file format and its validator: every problem named with its JSON path, nothing on chain. */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ConsortiumFileError,
  creditCodeCheckChar,
  decodeCreditCode,
  encodeCreditCode,
  isValidCreditCode,
  parseAccountAddress,
  parseConsortiumFile,
  parseOrganizationInput,
  parsePermissions,
  parseRoleList,
} from "../../src/admin";

/** A valid credit code for test organization n. */
const code = (n: number) => {
  const body = `91440300MA5TXT${String(n).padStart(3, "0")}`;
  return body + creditCodeCheckChar(body);
};

const A1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const A2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

const org = (n: number, extra: Record<string, unknown> = {}) => ({
  name: `Org ${n}`,
  creditCode: code(n),
  country: "CN",
  roles: ["EXPORTER"],
  accounts: [],
  ...extra,
});

function problems(value: unknown): string[] {
  try {
    parseConsortiumFile(value, "test.json");
  } catch (error) {
    expect(error).to.be.instanceOf(ConsortiumFileError);
    return (error as ConsortiumFileError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error("expected a ConsortiumFileError");
}

describe("consortium file", () => {
  describe("unified social credit code (GB 32100)", () => {
    it("computes the check character of published examples", () => {
      // The example of GB 32100-2015 and a listed company's code.
      expect(creditCodeCheckChar("91350100M000100Y4")).to.equal("3");
      expect(creditCodeCheckChar("9144030071526726X")).to.equal("G");
      expect(isValidCreditCode("91350100M000100Y43")).to.equal(true);
      expect(isValidCreditCode("9144030071526726XG")).to.equal(true);
    });

    it("refuses a wrong check character, a wrong length and letters outside the charset", () => {
      expect(isValidCreditCode("91350100M000100Y44")).to.equal(false);
      expect(isValidCreditCode("91350100M000100Y4")).to.equal(false);
      expect(isValidCreditCode("91350100M000100O43")).to.equal(false);
    });

    it("round-trips through bytes18", () => {
      const hex = encodeCreditCode(code(1));
      expect(hex).to.match(/^0x[0-9a-f]{36}$/);
      expect(decodeCreditCode(hex)).to.equal(code(1));
    });
  });

  it("parses a complete file, normalizing roles, steps, codes and addresses", () => {
    const file = parseConsortiumFile({
      $comment: "ignored",
      organizations: [
        org(1, {
          creditCode: code(1).toLowerCase(),
          gln: "6901234000009",
          roles: ["manufacturer", "EXPORTER", "exporter"],
          accounts: [A1.toLowerCase()],
          suspended: true,
        }),
        org(2, { accounts: [A2] }),
      ],
      permissions: { shipping: ["CARRIER"], SAMPLING: [] },
    });
    expect(file.organizations[0]).to.deep.equal({
      name: "Org 1",
      creditCode: code(1),
      gln: "6901234000009",
      country: "CN",
      roles: ["EXPORTER", "MANUFACTURER"],
      accounts: [A1],
      suspended: true,
      prefixes: [],
    });
    expect(file.organizations[1].suspended).to.equal(false);
    expect(file.permissions).to.deep.equal({ SHIPPING: ["CARRIER"], SAMPLING: [] });
  });

  it("names the JSON path of an unknown role and an unknown step", () => {
    expect(problems({ organizations: [org(1, { roles: ["EXPORTER", "SMUGGLER"] })] })).to.deep.equal([
      'organizations[0].roles[1]: unknown role "SMUGGLER". Roles: EXPORTER, MANUFACTURER, WAREHOUSE, CARRIER, ' +
        "CUSTOMS_BROKER, INSPECTION_LAB, PLATFORM, CUSTOMS, MARKET_REGULATOR, PAYMENT_INSTITUTION, TAX_AUTHORITY.",
    ]);
    const [step] = problems({ organizations: [], permissions: { TELEPORTING: ["CARRIER"] } });
    expect(step).to.match(/^permissions\.TELEPORTING: unknown step "TELEPORTING"\. Steps: COMMISSIONING/);
    expect(problems({ organizations: [], permissions: { SHIPPING: ["PIRATE"] } })[0]).to.match(
      /^permissions\.SHIPPING\[0\]: unknown role "PIRATE"/,
    );
  });

  it("refuses an account listed twice, in one organization or in two", () => {
    expect(problems({ organizations: [org(1, { accounts: [A1, A1.toLowerCase()] })] })).to.deep.equal([
      `organizations[0].accounts[1]: account ${A1} is listed twice (also at organizations[0].accounts[0]); ` +
        "an account belongs to one organization",
    ]);
    expect(problems({ organizations: [org(1, { accounts: [A1] }), org(2, { accounts: [A2, A1] })] })).to.deep.equal([
      `organizations[1].accounts[1]: account ${A1} is listed twice (also at organizations[0].accounts[0]); ` +
        "an account belongs to one organization",
    ]);
  });

  it("refuses malformed addresses: short, non-hex, bad checksum, zero", () => {
    const bad = [
      "0x1234",
      "0xZZ997970C51812dc3A010C7d01b50e0d17dc79C8",
      "0x70997970c51812dc3A010C7d01b50e0d17dc79C8",
      "0x0000000000000000000000000000000000000000",
      42,
    ];
    const found = problems({ organizations: [org(1, { accounts: bad })] });
    expect(found).to.have.length(5);
    expect(found[0]).to.equal(
      'organizations[0].accounts[0]: "0x1234" is not an address (0x followed by 40 hex digits)',
    );
    expect(found[1]).to.match(/accounts\[1\]: .* is not an address/);
    expect(found[2]).to.match(/accounts\[2\]: .* wrong mixed-case checksum/);
    expect(found[3]).to.match(/accounts\[3\]: the zero address/);
    expect(found[4]).to.match(/accounts\[4\]: must be an address string/);
  });

  it("refuses a duplicate credit code, a bad check character, empty roles, bad GLN and country", () => {
    const found = problems({
      organizations: [
        org(1),
        org(2, { creditCode: code(1) }),
        org(3, { creditCode: code(3).slice(0, 17) + (code(3).endsWith("0") ? "1" : "0") }),
        org(4, { roles: [] }),
        org(5, { gln: "6901234000004" }),
        org(6, { country: "China" }),
        org(7, { name: "" }),
        org(8, { name: "深".repeat(86) }),
        org(9, { name: "深".repeat(85) + "X" }),
      ],
    });
    expect(found).to.deep.equal([
      `organizations[1].creditCode: credit code ${code(1)} is already used by organizations[0]`,
      `organizations[2].creditCode: credit code "${code(3).slice(0, 17)}${code(3).endsWith("0") ? "1" : "0"}" ` +
        `ends with "${code(3).endsWith("0") ? "1" : "0"}" but its check character is "${code(3)[17]}" (a typo?)`,
      "organizations[3].roles: is empty; an organization needs at least one role",
      'organizations[4].gln: GLN "6901234000004" has a wrong GS1 check digit (a typo?)',
      'organizations[5].country: country "China" must be an ISO 3166-1 alpha-2 code such as "CN" or "DE"',
      "organizations[6].name: the name must be a non-empty string",
      "organizations[7].name: the name has 258 bytes in UTF-8; at most 256 are accepted (a Chinese character takes 3)",
    ]);
  });

  it("refuses unknown fields (typos) and a missing organizations list", () => {
    expect(problems({ organizations: [org(1, { role: ["EXPORTER"] })], permisions: {} })).to.deep.equal([
      'permisions: unknown field; expected "organizations", "permissions"',
      'organizations[0].role: unknown field; expected "name", "creditCode", "gln", "country", "roles", "accounts", "suspended", "prefixes"',
    ]);
    expect(problems({})).to.deep.equal(["organizations: must be a list of organizations"]);
  });

  it("the error message lists every problem and says nothing was sent", () => {
    try {
      parseConsortiumFile({ organizations: [org(1, { roles: ["X"], accounts: ["0x1"] })] }, "c.json");
      expect.fail("no error");
    } catch (error) {
      const e = error as ConsortiumFileError;
      expect(e.name).to.equal("ConsortiumFileError");
      expect(e.shortMessage).to.match(
        /^c\.json has 2 problems:\n {2}- organizations\[0\]\.roles\[0\]: unknown role "X"/,
      );
      expect(e.hints.join(" ")).to.contain("Nothing was sent");
    }
  });

  it("validates single inputs: organization flags, role lists, addresses, permission files", () => {
    expect(
      parseOrganizationInput({ name: "X", creditCode: code(9), country: "de", roles: "EXPORTER,carrier" }),
    ).to.deep.equal({ name: "X", creditCode: code(9), country: "DE", roles: ["EXPORTER", "CARRIER"] });
    expect(() => parseRoleList("EXPORTER,FOO", "--roles")).to.throw(ConsortiumFileError, /--roles: unknown role "FOO"/);
    expect(() => parseRoleList("", "--roles")).to.throw(ConsortiumFileError, /is empty/);
    expect(() => parseAccountAddress("0xabc", "add-account")).to.throw(
      ConsortiumFileError,
      /"0xabc" is not an address/,
    );
    expect(parseAccountAddress(A1.toLowerCase())).to.equal(A1);
    expect(parsePermissions({ DEPARTING: ["CARRIER", "WAREHOUSE"] })).to.deep.equal({
      DEPARTING: ["WAREHOUSE", "CARRIER"],
    });
    expect(() => parsePermissions({}, "p.json")).to.throw(ConsortiumFileError, /p\.json: lists no step/);
    expect(() => parsePermissions({ DEPARTING: "CARRIER" }, "p.json")).to.throw(ConsortiumFileError, /must be a list/);
  });

  it("the example file at the repository root is valid", () => {
    const text = readFileSync(join(__dirname, "..", "..", "consortium.example.json"), "utf8");
    const file = parseConsortiumFile(JSON.parse(text));
    expect(file.organizations.map((o) => o.roles[0])).to.deep.equal([
      "EXPORTER",
      "MANUFACTURER",
      "WAREHOUSE",
      "CARRIER",
      "CUSTOMS_BROKER",
      "CUSTOMS",
      "INSPECTION_LAB",
    ]);
  });
});
