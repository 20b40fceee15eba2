/**
 * Hostile input, property-tested with fast-check: every parser either returns a valid value or throws its
 * module's documented error class — never another exception, never a hang (each call is timed and must end
 * within 200 ms; 1 s for 100 kB inputs). Random strings (full unicode), adversarial token soups (percent sequences, nested slashes,
 * stray parentheses and GS characters, huge lengths) and mutations of valid inputs.
 *
 * Seeded (HOSTILE_SEED); a failure prints the seed and the shrunk counterexample. HOSTILE_RUNS scales the runs.
 */
import { expect } from "chai";
import fc from "fast-check";
import { Gs1Error, parseGs1 } from "../../../src/gs1";
import { EpcisParseError, objectEvent, parseEpcisEvent } from "../../../src/epcis";
import { parseImportFile } from "../../../src/cli/import/rows";
import { CliInputError } from "../../../src/cli/output";
import { ManifestError, parseManifest } from "../../../src/config/manifest";
import { NetworkEnvError } from "../../../src/config/env";
import { consortiumNetwork } from "../../../src/config/network";
import { reportFigures } from "../../helpers/figures";

const SEED = Number(process.env.HOSTILE_SEED ?? 6_2026);
const SCALE = Number(process.env.HOSTILE_RUNS ?? 1);
const runs = (n: number) => ({ numRuns: Math.round(n * SCALE), seed: SEED });
const TIME_BOX_MS = 200;

const tally = { calls: 0, valid: 0, refused: 0, slowest: 0 };

/**
 * Calls `fn`; returns its value, or undefined if it threw an instance of `errorClass` with the class's name.
 * Any other exception fails the property, as does a call that takes longer than the time box.
 */
function parsesOrRefuses<T>(
  fn: () => T,
  errorClass: new (...a: never[]) => Error,
  name?: string,
  timeBoxMs = TIME_BOX_MS,
): T | undefined {
  const t0 = performance.now();
  let value: T | undefined;
  let thrown: unknown;
  let threw = false;
  try {
    value = fn();
  } catch (e) {
    thrown = e;
    threw = true;
  }
  const ms = performance.now() - t0;
  tally.calls++;
  tally.slowest = Math.max(tally.slowest, ms);
  if (ms > timeBoxMs) throw new Error(`the call took ${ms.toFixed(0)} ms (time box ${timeBoxMs} ms)`);
  if (threw) {
    if (!(thrown instanceof errorClass)) {
      throw new Error(
        `threw ${(thrown as Error)?.name ?? typeof thrown}: ${(thrown as Error)?.message ?? String(thrown)}`,
      );
    }
    if (name) expect((thrown as Error).name).to.equal(name);
    expect((thrown as Error).message, "an error without a message")
      .to.be.a("string")
      .and.not.equal("");
    tally.refused++;
    return undefined;
  }
  tally.valid++;
  return value;
}

// ---------- generators ----------

const unicode = (max = 200) => fc.string({ unit: "binary", maxLength: max });
const GTIN = "09521234543213";
const gs1Tokens = fc.constantFrom(
  "(01)",
  "(10)",
  "(21)",
  "(00)",
  "(17)",
  "(414)",
  "(254)",
  "(",
  ")",
  "((",
  "))",
  "\u001d",
  "]d2",
  "]Q3",
  "]C1",
  "01",
  "10",
  "21",
  GTIN,
  "9521234543213",
  "095212345432130",
  "095212340000000018",
  "ABC",
  "12345",
  "https://id.gs1.org",
  "http://",
  "https://",
  "/01/",
  "/10/",
  "/21/",
  "/00/",
  "/",
  "//",
  "///",
  "\\",
  "..",
  "./",
  "%",
  "%2F",
  "%2f",
  "%25",
  "%zz",
  "%0",
  "%E2%82",
  "%00",
  "%C0%AF",
  "?",
  "#",
  "&",
  "=",
  "17=260101",
  "linkType=all",
  "é",
  "\u0000",
  "\u202e",
  "𝟘",
  "０１",
  "\uFEFF",
  " ",
  "\t",
  "\n",
);
const tokenSoup = (tokens: fc.Arbitrary<string>, max = 30) =>
  fc.array(fc.oneof(tokens, unicode(8)), { maxLength: max }).map((a) => a.join(""));
const huge = fc.constantFrom(
  "1".repeat(100_000),
  "(01)".repeat(20_000),
  "/01/".repeat(20_000) + GTIN,
  "%".repeat(50_000),
  "%25".repeat(30_000),
  "https://id.gs1.org" + "/".repeat(50_000) + "01/" + GTIN,
  "(01)" + GTIN + "(21)" + "A".repeat(100_000),
  "\u001d".repeat(50_000),
  "(".repeat(50_000) + ")".repeat(50_000),
);
const VALID_GS1 = [
  `(01)${GTIN}(10)ABC(21)12345`,
  `https://id.gs1.org/01/${GTIN}/10/ABC/21/12345`,
  `/01/${GTIN}/21/1`,
  `]d201${GTIN}10ABC\u001d2112345`,
  "(00)095212340000000018",
];
/** A valid input with one random edit: insert, delete or replace a slice. */
const mutated = (valids: string[], tokens: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.constantFrom(...valids), fc.nat(), fc.nat({ max: 6 }), fc.oneof(tokens, unicode(4), fc.constant("")))
    .map(([s, at, del, ins]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + ins + s.slice(i + del);
    });

describe("hostile input: parsers (fast-check)", function () {
  this.timeout(120_000);

  after(() => {
    reportFigures("parsers", "hostile input (every parser, fast-check)", {
      "parser calls": tally.calls,
      valid: tally.valid,
      "refused with the documented error": tally.refused,
      "other outcomes (crash, hang, undocumented error)": tally.calls - tally.valid - tally.refused,
      "slowest ms": tally.slowest.toFixed(1),
      seed: SEED,
    });
  });

  describe("parseGs1", () => {
    const check = (input: string | object) => {
      // Inputs of 100 kB get a larger (linear-time) box than the 200 ms of ordinary ones.
      const box = typeof input === "string" && input.length > 10_000 ? 1_000 : TIME_BOX_MS;
      const id = parsesOrRefuses(() => parseGs1(input as string), Gs1Error, undefined, box);
      if (id) {
        expect(id.key).to.match(/^0x[0-9a-f]{64}$/);
        expect(id.canonicalPath).to.be.a("string");
        // A valid identity round-trips through its canonical path.
        expect(parseGs1(id.canonicalPath).key).to.equal(id.key);
      }
    };
    it("random unicode strings", () => fc.assert(fc.property(unicode(300), check), runs(600)));
    it("token soups (percent sequences, slashes, parentheses, GS)", () =>
      fc.assert(fc.property(tokenSoup(gs1Tokens), check), runs(800)));
    it("valid inputs with one random edit", () =>
      fc.assert(fc.property(mutated(VALID_GS1, gs1Tokens), check), runs(600)));
    it("huge inputs", () => fc.assert(fc.property(huge, check), runs(30)));
    it("random field objects", () =>
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything(),
            fc.record(
              {
                gtin: fc.oneof(fc.constant(GTIN), unicode(20)),
                lot: unicode(25),
                serial: unicode(25),
                cpv: unicode(25),
              },
              { requiredKeys: [] },
            ),
            fc.record({ sscc: fc.oneof(fc.constant("095212340000000018"), unicode(20)) }),
          ),
          (o) => {
            // Only objects (and non-string values) go to the fields path; anything is handed in as is.
            if (typeof o === "string") return check(o);
            const id = parsesOrRefuses(() => parseGs1(o as never), Gs1Error);
            if (id) expect(id.key).to.match(/^0x[0-9a-f]{64}$/);
          },
        ),
        runs(400),
      ));
  });

  describe("parseEpcisEvent", () => {
    const valid = JSON.parse(
      JSON.stringify(
        objectEvent({
          step: "COMMISSIONING",
          epcList: [`https://id.gs1.org/01/${GTIN}/10/ABC123/21/12345`],
          eventTime: "2026-03-01T10:30:00+08:00",
          location: "6901234000009",
          ilmd: { lot: "ABC123" },
        }),
      ),
    ) as Record<string, unknown>;
    const check = (input: unknown) => {
      const ev = parsesOrRefuses(() => parseEpcisEvent(input), EpcisParseError, "EpcisParseError");
      if (ev) expect(ev).to.be.an("object").with.property("type").that.is.a("string");
    };
    it("the valid event parses", () => check(valid));
    it("random JSON values and text", () =>
      fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), fc.json(), unicode(200)), check), runs(500)));
    it("a valid event with fields deleted or replaced by random values", () =>
      fc.assert(
        fc.property(
          fc.subarray(Object.keys(valid)),
          fc.dictionary(
            fc.constantFrom(...Object.keys(valid), "bizStep", "disposition", "readPoint", "x:y", "__proto__"),
            fc.jsonValue(),
          ),
          fc.boolean(),
          (drop, replace, asText) => {
            const ev: Record<string, unknown> = { ...valid };
            for (const k of drop) delete ev[k];
            Object.assign(ev, replace);
            check(asText ? JSON.stringify(ev) : ev);
          },
        ),
        runs(600),
      ));
    it("valid event text with one random edit", () => {
      const text = JSON.stringify(valid);
      fc.assert(
        fc.property(
          mutated([text], fc.constantFrom("{", "}", "[", "]", '"', ",", ":", "\\u0000", "null", "1e999")),
          check,
        ),
        runs(400),
      );
    });
  });

  describe("parseImportFile", () => {
    const check = (name: string, text: string) => {
      const rows = parsesOrRefuses(() => parseImportFile(name, text), CliInputError, "CliInputError");
      if (rows) {
        for (const r of rows) {
          expect(["register", "record"]).to.include(r.action);
          expect(r.code).to.be.a("string").and.not.equal("");
          expect(r.time).to.be.a("string").and.not.equal("");
          if (r.action === "record") expect(r.step).to.be.a("string").and.not.equal("");
          expect(r.bizTx).to.be.an("array");
        }
      }
    };
    const names = fc.constantFrom("rows.csv", "rows.json", "rows.txt", "rows.CSV", ".json", "a.csv.json");
    const csvTokens = fc.constantFrom(
      "action,code,step,time,disposition,location,biz_tx,reason\n",
      "register",
      "record",
      ",",
      "\n",
      "\r\n",
      '"',
      '""',
      `(01)${GTIN}(21)1`,
      "storing",
      "2026-01-01T00:00:00Z",
      "\uFEFF",
      "evil",
      "__proto__",
      "constructor",
      ";",
      " ",
    );
    const rowObject = fc.dictionary(
      fc.constantFrom(
        "action",
        "code",
        "step",
        "time",
        "disposition",
        "location",
        "biz_tx",
        "reason",
        "__proto__",
        "x",
      ),
      fc.oneof(
        fc.constantFrom("register", "record", `(01)${GTIN}(21)1`, "storing", "2026-01-01T00:00:00Z"),
        fc.jsonValue(),
      ),
    );
    it("random text under any name", () => fc.assert(fc.property(names, unicode(300), check), runs(400)));
    it("CSV token soups", () =>
      fc.assert(
        fc.property(tokenSoup(csvTokens, 60), (t) => check("rows.csv", t)),
        runs(500),
      ));
    it("JSON arrays of random row objects and random JSON", () =>
      fc.assert(
        fc.property(
          fc.oneof(
            fc.array(rowObject, { maxLength: 8 }).map((a) => JSON.stringify(a)),
            fc.json(),
          ),
          (t) => check("rows.json", t),
        ),
        runs(500),
      ));
  });

  describe("parseManifest", () => {
    const valid = {
      network: "consortium",
      chainId: 31337,
      ledger: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", deploymentBlock: 1, version: "1.0.0" },
    };
    const check = (value: unknown) => {
      const m = parsesOrRefuses(() => parseManifest(value), ManifestError, "ManifestError");
      if (m) {
        expect(m.network).to.be.a("string").and.not.equal("");
        expect(Number.isSafeInteger(m.chainId) && m.chainId > 0).to.equal(true);
        expect(m.ledger.address).to.match(/^0x[0-9a-fA-F]{40}$/);
        expect(m.ledger.version).to.match(/^\d+\.\d+\.\d+$/);
      }
    };
    it("the valid manifest parses", () => check(valid));
    it("random values", () => fc.assert(fc.property(fc.anything(), check), runs(400)));
    it("a valid manifest with random fields", () =>
      fc.assert(
        fc.property(
          fc.record(
            {
              network: fc.oneof(fc.constant(valid.network), fc.anything()),
              chainId: fc.oneof(fc.constant(valid.chainId), fc.anything(), fc.double(), fc.integer()),
              address: fc.oneof(fc.constant(valid.ledger.address), unicode(42), fc.anything()),
              deploymentBlock: fc.oneof(fc.constant(1), fc.anything(), fc.double()),
              version: fc.oneof(fc.constant("1.0.0"), unicode(10), fc.anything()),
            },
            { requiredKeys: [] },
          ),
          (r) =>
            check({
              network: r.network,
              chainId: r.chainId,
              ledger: { address: r.address, deploymentBlock: r.deploymentBlock, version: r.version },
            }),
        ),
        runs(500),
      ));
  });

  describe("consortiumNetwork (.env values)", () => {
    const value = (good: string[]) =>
      fc.option(fc.oneof(fc.constantFrom(...good), unicode(80), tokenSoup(gs1Tokens, 8)), { nil: undefined });
    it("random and adversarial variable values", () =>
      fc.assert(
        fc.property(
          fc.record({
            TRACE_RPC_URL: value(["http://10.0.0.5:8545", "https://rpc.example.com", " http://x ", "ftp://x", ""]),
            TRACE_CHAIN_ID: value(["31337", "0", "-1", "1e3", "9007199254740993", " 7 ", ""]),
            TRACE_DEPLOYER_KEY: value(["0x" + "ab".repeat(32), "0x" + "g".repeat(64), "", " "]),
            TRACE_GAS_PRICE: value(["0", "1000000000", "-1", "1.5", ""]),
          }),
          (env) => {
            const cfg = parsesOrRefuses(
              () => consortiumNetwork(env as NodeJS.ProcessEnv),
              NetworkEnvError,
              "NetworkEnvError",
            );
            if (cfg) {
              expect(cfg.url).to.match(/^https?:\/\//);
              expect(Number.isSafeInteger(cfg.chainId) && cfg.chainId! > 0).to.equal(true);
              for (const k of cfg.accounts as string[]) expect(k).to.match(/^0x[0-9a-fA-F]{64}$/);
            }
          },
        ),
        runs(800),
      ));
  });
});
