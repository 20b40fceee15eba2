import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DISPOSITIONS, STEPS, STEP_NAMES, type DispositionName } from "../../src/codes";
import {
  BIZ_TRANSACTION_TYPES,
  CBV_BIZ_STEPS,
  CBV_DISPOSITIONS,
  EpcisLocationError,
  EpcisVocabularyError,
  bizTransactionTypeName,
  bizTransactionTypeUri,
  bizTransactionUri,
  dispositionCode,
  dispositionCodeOfUri,
  dispositionUri,
  isCbvStep,
  locationOfUri,
  locationUri,
  parseLocation,
  partyUri,
  sourceDestTypeUri,
  stepCode,
  stepCodeOfUri,
  stepUri,
  type BizTransactionTypeName,
} from "../../src/epcis";
import { checkDigit, expectThrown } from "../helpers/thrown";

/** A valid GLN (GS1 China prefix 690) and the same GLN with a wrong check digit. */
const GLN = "6901234000009";
const BAD_GLN = "6901234000008";

function throws(fn: () => unknown, type: new (...args: never[]) => Error, pattern: RegExp): void {
  expect(expectThrown(fn, type, "expected an error").message).to.match(pattern);
}

/** Reads `Steps.sol`: each constant with the first word of its NatSpec ("CBV" or "Extension:"). */
function stepsFromSolidity(): Array<{ name: string; code: number; kind: string }> {
  const source = readFileSync(join(__dirname, "../../contracts/types/Steps.sol"), "utf8");
  const out: Array<{ name: string; code: number; kind: string }> = [];
  const re = /\/\/\/ @notice (\S+)[^\n]*\n\s*uint8 internal constant (\w+) = (\d+);/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m[2] !== "MAX") out.push({ kind: m[1], name: m[2], code: Number(m[3]) });
  }
  return out;
}

describe("epcis vocabulary", () => {
  describe("steps", () => {
    it("maps every step code to its URI and back", () => {
      for (const name of STEP_NAMES) {
        const uri = stepUri(name);
        expect(stepUri(STEPS[name])).to.equal(uri);
        expect(stepCodeOfUri(uri)).to.equal(STEPS[name]);
        expect(stepCode(name)).to.equal(STEPS[name]);
        expect(uri.endsWith(name.toLowerCase())).to.equal(true);
      }
    });

    it("uses the CBV URI exactly for the steps Steps.sol documents as CBV, the extension URN for the rest", () => {
      const steps = stepsFromSolidity();
      expect(steps.map((s) => s.name)).to.deep.equal([...STEP_NAMES]);
      for (const { name, code, kind } of steps) {
        expect(["CBV", "Extension:"]).to.include(kind);
        const expected =
          kind === "CBV"
            ? `https://ref.gs1.org/cbv/BizStep-${name.toLowerCase()}`
            : `urn:cbec-trace:bizstep:${name.toLowerCase()}`;
        expect(stepUri(code), name).to.equal(expected);
        expect(isCbvStep(code)).to.equal(kind === "CBV");
      }
    });

    it("names steps as documented", () => {
      expect(stepUri("CUSTOMS_DECLARED")).to.equal("urn:cbec-trace:bizstep:customs_declared");
      expect(stepUri("RETAIL_SELLING")).to.equal("https://ref.gs1.org/cbv/BizStep-retail_selling");
      expect(stepUri("ENTERING_EXITING")).to.equal("https://ref.gs1.org/cbv/BizStep-entering_exiting");
      expect(CBV_BIZ_STEPS).to.have.length(41);
      expect(CBV_DISPOSITIONS).to.have.length(33);
    });

    it("reads the other standard spellings of a bizStep", () => {
      for (const form of [
        "shipping",
        "cbv:BizStep-shipping",
        "urn:epcglobal:cbv:bizstep:shipping",
        "https://ref.gs1.org/cbv/BizStep-shipping",
      ]) {
        expect(stepCodeOfUri(form), form).to.equal(STEPS.SHIPPING);
      }
      expect(stepCodeOfUri("cbectrace:bizstep:customs_released")).to.equal(STEPS.CUSTOMS_RELEASED);
    });

    it("refuses unknown step codes and names", () => {
      throws(
        () => stepUri(0),
        EpcisVocabularyError,
        new RegExp(`Unknown step code 0: defined codes are 1–${STEPS.MAX}`),
      );
      throws(() => stepUri(STEPS.MAX + 1), EpcisVocabularyError, new RegExp(`Unknown step code ${STEPS.MAX + 1}`));
      throws(() => stepUri(1.5), EpcisVocabularyError, /Unknown step code 1.5/);
      throws(
        () => stepUri("customs_declared" as never),
        EpcisVocabularyError,
        /Unknown step "customs_declared".*Did you mean "CUSTOMS_DECLARED"\?/,
      );
      throws(() => stepCode("MAX" as never), EpcisVocabularyError, /Unknown step "MAX"/);
      throws(() => isCbvStep("PICKING" as never), EpcisVocabularyError, /Unknown step "PICKING"/);
    });

    it("refuses bizStep URIs the ledger cannot record, saying which form to use", () => {
      throws(
        () => stepCodeOfUri("picking"),
        EpcisVocabularyError,
        /"picking" is a CBV 2.0 step that cbec-trace does not record/,
      );
      throws(
        () => stepCodeOfUri("https://ref.gs1.org/cbv/BizStep-customs_declared"),
        EpcisVocabularyError,
        /is not a CBV 2.0 business step.*use "urn:cbec-trace:bizstep:customs_declared"/,
      );
      throws(
        () => stepCodeOfUri("urn:cbec-trace:bizstep:shipping"),
        EpcisVocabularyError,
        /names the CBV step "shipping".*use "https:\/\/ref.gs1.org\/cbv\/BizStep-shipping"/,
      );
      throws(
        () => stepCodeOfUri("urn:cbec-trace:bizstep:teleporting"),
        EpcisVocabularyError,
        /not a cbec-trace extension step/,
      );
      throws(
        () => stepCodeOfUri("urn:cbec-trace:bizstep:CUSTOMS_HELD"),
        EpcisVocabularyError,
        /not a cbec-trace extension step/,
      );
      throws(() => stepCodeOfUri("https://example.com/step"), EpcisVocabularyError, /is not a known step URI/);
      throws(() => stepCodeOfUri(""), EpcisVocabularyError, /bizStep "" is not a string/);
    });
  });

  describe("dispositions", () => {
    const names = (Object.keys(DISPOSITIONS) as Array<keyof typeof DISPOSITIONS>).filter(
      (d): d is DispositionName => d !== "MAX" && d !== "NONE",
    );

    it("maps every disposition to its CBV URI and back", () => {
      for (const name of names) {
        const uri = dispositionUri(name);
        expect(uri).to.equal(`https://ref.gs1.org/cbv/Disp-${name.toLowerCase()}`);
        expect(dispositionUri(DISPOSITIONS[name])).to.equal(uri);
        expect(dispositionCodeOfUri(uri)).to.equal(DISPOSITIONS[name]);
        expect(dispositionCode(name)).to.equal(DISPOSITIONS[name]);
        expect(CBV_DISPOSITIONS as readonly string[]).to.include(name.toLowerCase());
      }
    });

    it("reads the other standard spellings of a disposition", () => {
      for (const form of ["in_transit", "cbv:Disp-in_transit", "urn:epcglobal:cbv:disp:in_transit"]) {
        expect(dispositionCodeOfUri(form)).to.equal(DISPOSITIONS.IN_TRANSIT);
      }
    });

    it("refuses NONE, unknown codes and names, and dispositions without a code", () => {
      throws(
        () => dispositionUri("NONE"),
        EpcisVocabularyError,
        /"NONE" means "no disposition": leave the disposition out/,
      );
      throws(() => dispositionUri(0), EpcisVocabularyError, /Disposition 0 means "no disposition"/);
      throws(
        () => dispositionUri(DISPOSITIONS.MAX + 1),
        EpcisVocabularyError,
        new RegExp(`Unknown disposition code ${DISPOSITIONS.MAX + 1}: defined codes are 1–${DISPOSITIONS.MAX}`),
      );
      throws(() => dispositionUri("in_transit" as never), EpcisVocabularyError, /Did you mean "IN_TRANSIT"\?/);
      throws(
        () => dispositionCodeOfUri("disposed"),
        EpcisVocabularyError,
        /CBV 2.0 disposition the ledger has no code for/,
      );
      throws(
        () => dispositionCodeOfUri("urn:cbec-trace:disp:lost"),
        EpcisVocabularyError,
        /is not a CBV 2.0 disposition/,
      );
      throws(() => dispositionCodeOfUri(""), EpcisVocabularyError, /is not a string/);
    });
  });

  describe("business transaction types", () => {
    it("maps every type both ways; customs documents use the extension namespace", () => {
      for (const name of Object.keys(BIZ_TRANSACTION_TYPES) as BizTransactionTypeName[]) {
        expect(bizTransactionTypeName(bizTransactionTypeUri(name))).to.equal(name);
      }
      expect(bizTransactionTypeUri("po")).to.equal("https://ref.gs1.org/cbv/BTT-po");
      expect(bizTransactionTypeUri("desadv")).to.equal("https://ref.gs1.org/cbv/BTT-desadv");
      for (const name of [
        "order",
        "receipt",
        "waybill",
        "inventory",
        "declaration",
        "summary",
        "master_bill",
      ] as const) {
        expect(bizTransactionTypeUri(name)).to.equal(`urn:cbec-trace:btt:${name}`);
      }
    });

    it("reads the other standard spellings", () => {
      for (const form of ["bol", "cbv:BTT-bol", "urn:epcglobal:cbv:btt:bol"])
        expect(bizTransactionTypeName(form)).to.equal("bol");
      expect(bizTransactionTypeName("cbectrace:btt:inventory")).to.equal("inventory");
    });

    it("refuses unknown types and types under the wrong namespace", () => {
      throws(
        () => bizTransactionTypeUri("invoice" as never),
        EpcisVocabularyError,
        /Unknown business transaction type "invoice"/,
      );
      for (const uri of ["inventory", "urn:cbec-trace:btt:po", "https://ref.gs1.org/cbv/BTT-waybill", "urn:x:y"]) {
        throws(() => bizTransactionTypeName(uri), EpcisVocabularyError, /is not known: expected/);
      }
    });

    it("builds document URIs from document numbers", () => {
      expect(bizTransactionUri("inventory", "531620260000012345")).to.equal(
        "urn:cbec-trace:bt:inventory:531620260000012345",
      );
      expect(bizTransactionUri("waybill", "SF1234567890", "4403180001")).to.equal(
        "urn:cbec-trace:bt:waybill:4403180001:SF1234567890",
      );
      expect(bizTransactionUri("declaration", "A/B:1 2")).to.equal("urn:cbec-trace:bt:declaration:A%2FB%3A1%202");
      throws(() => bizTransactionUri("inventory", ""), EpcisVocabularyError, /Document number "" for type "inventory"/);
      throws(() => bizTransactionUri("inventory", " 123"), EpcisVocabularyError, /without leading or trailing spaces/);
      throws(() => bizTransactionUri("waybill", "1", ""), EpcisVocabularyError, /Document issuer ""/);
      throws(
        () => bizTransactionUri("nope" as never, "1"),
        EpcisVocabularyError,
        /Unknown business transaction type "nope"/,
      );
    });
  });

  describe("sources, destinations and parties", () => {
    it("maps types and party identifiers", () => {
      expect(sourceDestTypeUri("owning_party")).to.equal("https://ref.gs1.org/cbv/SDT-owning_party");
      expect(partyUri(GLN)).to.equal(`https://id.gs1.org/417/${GLN}`);
      expect(partyUri("urn:epc:id:pgln:0614141.00777")).to.equal("urn:epc:id:pgln:0614141.00777");
      throws(
        () => sourceDestTypeUri("owner" as never),
        EpcisVocabularyError,
        /Unknown source\/destination type "owner"/,
      );
      throws(
        () => partyUri("ACME Ltd"),
        EpcisVocabularyError,
        /Party "ACME Ltd" is neither a 13-digit GLN nor an absolute URI/,
      );
      throws(
        () => partyUri(BAD_GLN),
        EpcisLocationError,
        /Party GLN "6901234000008" has a wrong check digit: expected 9/,
      );
    });
  });

  describe("locations", () => {
    it("turns a GLN into a Digital Link URI and a short code into a URN", () => {
      expect(checkDigit("690123400000")).to.equal(9); // the oracle agrees with checkGln below
      expect(locationUri(GLN)).to.equal(`https://id.gs1.org/414/${GLN}`);
      expect(locationUri("5316")).to.equal("urn:cbec-trace:loc:5316");
      expect(locationUri({ code: "SZ-YTN" })).to.equal("urn:cbec-trace:loc:SZ-YTN");
      expect(parseLocation(GLN)).to.deep.equal({ gln: GLN });
      expect(parseLocation("12345678")).to.deep.equal({ code: "12345678" });
    });

    it("refuses malformed GLNs and short codes", () => {
      throws(
        () => locationUri(BAD_GLN),
        EpcisLocationError,
        /GLN "6901234000008" has a wrong check digit: expected 9, found 8/,
      );
      throws(() => locationUri("0000000000000"), EpcisLocationError, /is all zeros/);
      throws(
        () => locationUri("690123400000"),
        EpcisLocationError,
        /"690123400000" has 12 digits: a GLN has exactly 13/,
      );
      throws(() => locationUri("69012340000091"), EpcisLocationError, /has 14 digits/);
      throws(
        () => locationUri("SZX-PORT9"),
        EpcisLocationError,
        /"SZX-PORT9" is 9 bytes long: a short code holds at most 8/,
      );
      throws(() => locationUri("深圳"), EpcisLocationError, /contains the non-ASCII character "深"/);
      throws(() => locationUri("A/B"), EpcisLocationError, /"A\/B" contains a character outside/);
      throws(() => locationUri(""), EpcisLocationError, /Location code "" is empty/);
      throws(() => locationUri({ gln: "123" }), EpcisLocationError, /GLN "123" must be exactly 13 digits/);
      throws(() => parseLocation(42 as never), EpcisLocationError, /Location 42 is not a string/);
    });

    it("reads the location back from read point URIs", () => {
      expect(locationOfUri(locationUri(GLN))).to.deep.equal({ gln: GLN });
      expect(locationOfUri(locationUri("5316"))).to.deep.equal({ code: "5316" });
      expect(locationOfUri("cbectrace:loc:SZX01")).to.deep.equal({ code: "SZX01" });
      expect(locationOfUri(`https://trace.example.cn/414/${GLN}/254/dock7`)).to.deep.equal({ gln: GLN });
      // GS1's example SGLN: company prefix 0614141, location reference 00777 → GLN 0614141007776.
      expect(locationOfUri("urn:epc:id:sgln:0614141.00777.0")).to.deep.equal({ gln: "0614141007776" });
    });

    it("refuses location URIs it cannot store", () => {
      throws(
        () => locationOfUri("https://example.com/warehouse/7"),
        EpcisLocationError,
        /neither a GLN URI .* nor a short-code URN/,
      );
      throws(() => locationOfUri(`https://id.gs1.org/414/${BAD_GLN}`), EpcisLocationError, /wrong check digit/);
      throws(
        () => locationOfUri("urn:epc:id:sgln:061414.00777.0"),
        EpcisLocationError,
        /has 11 digits .* a GLN needs 12/,
      );
      throws(() => locationOfUri("urn:cbec-trace:loc:TOOLONGCODE"), EpcisLocationError, /is 11 bytes long/);
      throws(() => locationOfUri(7 as never), EpcisLocationError, /Location URI 7 is not a string/);
    });
  });
});
