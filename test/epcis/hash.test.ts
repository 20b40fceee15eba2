import { expect } from "chai";
import fc from "fast-check";
import { sha256, stringToBytes } from "viem";
import {
  EpcisHashError,
  canonicalJson,
  eventIdOf,
  hasValidEventId,
  hashDocument,
  objectEvent,
  recordHash,
  recordHashOfEventId,
  withEventId,
  type JsonValue,
} from "../../src/epcis";
import { expectThrown } from "../helpers/thrown";

const ITEM = "https://id.gs1.org/01/09521234543213/10/ABC123/21/12345";

/** The fixed example whose hash is pinned below: a commissioning event as the builder writes it. */
const EXAMPLE = objectEvent({
  step: "COMMISSIONING",
  epcList: [ITEM],
  eventTime: "2026-03-01T10:30:00.000+08:00",
  disposition: "ACTIVE",
  location: "6901234000009",
  ilmd: { lot: "ABC123", productionDate: "2026-02-28", expiryDate: "2028-02-28" },
  extensions: { "cbectrace:note": "出口 — export ✓", "cbectrace:netWeightKg": 1.25 },
});

/** Pinned once from the current implementation: any change here means every anchored record changes. */
const EXAMPLE_CANONICAL =
  '{"action":"ADD","bizStep":"https://ref.gs1.org/cbv/BizStep-commissioning",' +
  '"cbectrace:netWeightKg":1.25,"cbectrace:note":"出口 — export ✓",' +
  '"disposition":"https://ref.gs1.org/cbv/Disp-active",' +
  '"epcList":["https://id.gs1.org/01/09521234543213/10/ABC123/21/12345"],' +
  '"eventTime":"2026-03-01T02:30:00.000Z","eventTimeZoneOffset":"+08:00",' +
  '"ilmd":{"cbvmda:itemExpirationDate":"2028-02-28","cbvmda:lotNumber":"ABC123","cbvmda:productionDate":"2026-02-28"},' +
  '"readPoint":{"id":"https://id.gs1.org/414/6901234000009"},"type":"ObjectEvent"}';
const EXAMPLE_HASH = "0x26dc868e122fb1f1b186966ea2ab3fca583e5f281bfcfb8badc682be1c2e9b66";

/** A deterministic permutation source (xorshift) for reordering keys. */
function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** The same JSON value with every object's keys inserted in a random order. */
function shuffleKeys(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, next));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  // fromEntries defines own properties: a "__proto__" key stays a key (assignment would set the prototype).
  return Object.fromEntries(keys.map((k) => [k, shuffleKeys((value as Record<string, unknown>)[k], next)]));
}

/** Paths to every primitive leaf of a JSON value. */
function leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [path];
}

/** A deep copy with the leaf at `path` changed. */
function mutate(value: unknown, path: Array<string | number>): unknown {
  const copy = JSON.parse(JSON.stringify(value));
  let parent = copy;
  for (const p of path.slice(0, -1)) parent = parent[p];
  const last = path[path.length - 1];
  const v = parent[last];
  parent[last] = typeof v === "string" ? v + "x" : typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : 0;
  return copy;
}

function hashError(fn: () => unknown, path: string, pattern: RegExp): void {
  const err = expectThrown(fn, EpcisHashError, "expected an EpcisHashError");
  expect(err.path).to.equal(path);
  expect(err.message).to.match(pattern);
}

describe("epcis record hash", () => {
  describe("RFC 8785 canonicalization", () => {
    it("canonicalizes the RFC 8785 §3.2.2 example (numbers, strings, literals)", () => {
      const input = `{
        "numbers": [333333333.33333329, 1E30, 4.50,
                    2e-3, 0.000000000000000000000000001],
        "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
        "literals": [null, true, false]
      }`;
      expect(canonicalJson(JSON.parse(input))).to.equal(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
    });

    it("sorts properties by UTF-16 code units (RFC 8785 §3.2.3 example)", () => {
      const input = JSON.parse(`{
        "\\u20ac": "Euro Sign",
        "\\r": "Carriage Return",
        "\\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\\ud83d\\ude00": "Emoji: Grinning Face",
        "\\u0080": "Control",
        "\\u00f6": "Latin Small Letter O With Diaeresis"
      }`);
      // Read the order from the text: JSON.parse would enumerate the integer-like key "1" first.
      const text = canonicalJson(input);
      const names = Object.values(input) as string[];
      const order = [...names].sort((a, b) => text.indexOf(`"${a}"`) - text.indexOf(`"${b}"`));
      expect(text.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).to.equal(true);
      expect(order).to.deep.equal([
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
      ]);
      expect(canonicalJson({ "\u0080": 1, "\r": 2 })).to.equal('{"\\r":2,"\u0080":1}');
    });

    it("serializes numbers as RFC 8785 Appendix B prescribes", () => {
      const vectors: Array<[string, string]> = [
        ["0000000000000000", "0"],
        ["8000000000000000", "0"],
        ["0000000000000001", "5e-324"],
        ["8000000000000001", "-5e-324"],
        ["7fefffffffffffff", "1.7976931348623157e+308"],
        ["ffefffffffffffff", "-1.7976931348623157e+308"],
        ["4340000000000000", "9007199254740992"],
        ["c340000000000000", "-9007199254740992"],
        ["4430000000000000", "295147905179352830000"],
        ["44b52d02c7e14af5", "9.999999999999997e+22"],
        ["44b52d02c7e14af6", "1e+23"],
        ["44b52d02c7e14af7", "1.0000000000000001e+23"],
        ["444b1ae4d6e2ef4e", "999999999999999700000"],
        ["444b1ae4d6e2ef4f", "999999999999999900000"],
        ["444b1ae4d6e2ef50", "1e+21"],
        ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
        ["3eb0c6f7a0b5ed8d", "0.000001"],
        ["41b3de4355555553", "333333333.3333332"],
        ["41b3de4355555554", "333333333.33333325"],
        ["41b3de4355555555", "333333333.3333333"],
        ["41b3de4355555556", "333333333.3333334"],
        ["41b3de4355555557", "333333333.33333343"],
        ["becbf647612f3696", "-0.0000033333333333333333"],
        ["43143ff3c1cb0959", "1424953923781206.2"],
      ];
      for (const [bits, expected] of vectors) {
        const view = new DataView(new ArrayBuffer(8));
        view.setBigUint64(0, BigInt(`0x${bits}`));
        expect(canonicalJson(view.getFloat64(0)), bits).to.equal(expected);
      }
      for (const bits of ["7fffffffffffffff", "7ff0000000000000"]) {
        const view = new DataView(new ArrayBuffer(8));
        view.setBigUint64(0, BigInt(`0x${bits}`));
        hashError(() => canonicalJson([view.getFloat64(0)]), "$[0]", /is not a finite number/);
      }
    });

    it("keeps non-ASCII text as UTF-8 and does not normalize Unicode", () => {
      expect(canonicalJson({ s: "深圳 €\u2028" })).to.equal('{"s":"深圳 €\u2028"}');
      // Precomposed and decomposed "é" are different strings to JCS, so they hash differently.
      expect(recordHash({ s: "\u00e9" })).not.to.equal(recordHash({ s: "e\u0301" }));
      expect(recordHash({ s: "深" })).to.equal(sha256(stringToBytes('{"s":"深"}')));
    });
  });

  describe("recordHash", () => {
    it("hashes the fixed example to its pinned value", () => {
      expect(canonicalJson(EXAMPLE)).to.equal(EXAMPLE_CANONICAL);
      expect(recordHash(EXAMPLE)).to.equal(EXAMPLE_HASH);
      expect(recordHash(EXAMPLE)).to.equal(sha256(stringToBytes(EXAMPLE_CANONICAL)));
      expect(recordHash(EXAMPLE)).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("does not depend on key order (property, 100 runs)", () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.integer(), (value, seed) => {
          const shuffled = shuffleKeys(value, rng(seed)) as object;
          expect(recordHash(shuffled)).to.equal(recordHash(value));
        }),
        { numRuns: 100 },
      );
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          expect(recordHash(shuffleKeys(EXAMPLE, rng(seed)) as object)).to.equal(EXAMPLE_HASH);
        }),
        { numRuns: 100 },
      );
    });

    it('hashes a "__proto__" key like any other key (found by the key-order property)', () => {
      const parsed = JSON.parse('{"a":{"__proto__":""},"b":1}') as object;
      expect(canonicalJson(parsed)).to.equal('{"a":{"__proto__":""},"b":1}');
      expect(recordHash(parsed)).to.not.equal(recordHash({ a: {}, b: 1 }));
      expect(recordHash(shuffleKeys(parsed, rng(1)) as object)).to.equal(recordHash(parsed));
    });

    it("does not depend on whitespace or formatting of the JSON text", () => {
      for (const indent of [0, 2, "\t", "    "]) {
        expect(recordHash(JSON.parse(JSON.stringify(EXAMPLE, null, indent)))).to.equal(EXAMPLE_HASH);
      }
      // Whitespace between tokens only (no string in the example contains `":` or `,"`).
      const text = EXAMPLE_CANONICAL.replace(/":/g, '" :\t').replace(/,"/g, ' ,\r\n  "').replace(/^\{/, "{\n ");
      expect(text).not.to.equal(EXAMPLE_CANONICAL);
      expect(recordHash(JSON.parse(text))).to.equal(EXAMPLE_HASH);
    });

    it("changes when any field changes (property over every leaf, 100 runs)", () => {
      const paths = leaves(EXAMPLE);
      fc.assert(
        fc.property(fc.nat(), (n) => {
          const path = paths[n % paths.length];
          expect(recordHash(mutate(EXAMPLE, path) as object), path.join(".")).not.to.equal(EXAMPLE_HASH);
        }),
        { numRuns: 100 },
      );
      const changed: object[] = [
        { ...EXAMPLE, eventTime: "2026-03-01T02:30:00.001Z" },
        { ...EXAMPLE, eventTime: "2026-03-01T10:30:00.000+08:00" }, // same instant, other spelling
        { ...EXAMPLE, epcList: [...EXAMPLE.epcList, "https://id.gs1.org/01/09521234543213/10/ABC123/21/2"] },
        { ...EXAMPLE, "cbectrace:extra": null },
        { ...EXAMPLE, ilmd: undefined },
        { ...EXAMPLE, bizStep: "commissioning" }, // same meaning, compact spelling
      ];
      for (const c of changed) expect(recordHash(c)).not.to.equal(EXAMPLE_HASH);
      const reversed = { ...EXAMPLE, epcList: ["b:1", "a:1"] };
      expect(recordHash(reversed)).not.to.equal(recordHash({ ...EXAMPLE, epcList: ["a:1", "b:1"] }));
    });

    it("leaves eventID, recordTime and @context out, and only at the top level", () => {
      const decorated = {
        ...EXAMPLE,
        eventID: "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        recordTime: "2026-03-01T03:00:00.000Z",
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
      };
      expect(recordHash(decorated)).to.equal(EXAMPLE_HASH);
      expect(recordHash({ ...EXAMPLE, "cbectrace:meta": { eventID: "x" } })).not.to.equal(
        recordHash({ ...EXAMPLE, "cbectrace:meta": {} }),
      );
      expect(decorated.eventID).to.equal("urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"); // input untouched
    });

    it("skips undefined properties, as a JSON round trip does", () => {
      expect(recordHash({ ...EXAMPLE, disposition: undefined })).to.equal(
        recordHash(JSON.parse(JSON.stringify({ ...EXAMPLE, disposition: undefined }))),
      );
    });

    it("refuses values JSON cannot represent exactly", () => {
      class Point {
        x = 1;
      }
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      hashError(() => recordHash({ a: NaN }), "$.a", /\$\.a = NaN is not a finite number/);
      hashError(() => recordHash({ a: [Infinity] }), "$.a[0]", /Infinity is not a finite number/);
      hashError(() => recordHash({ a: [1, undefined] }), "$.a[1]", /\$\.a\[1\] is undefined: remove it or use null/);
      hashError(() => recordHash({ a: 1n }), "$.a", /is a bigint \(1n\), which JSON cannot represent/);
      hashError(() => recordHash({ a: () => 1 }), "$.a", /is a function/);
      hashError(() => recordHash({ a: new Date(0) }), "$.a", /is a Date: write it as an ISO 8601 string/);
      hashError(() => recordHash({ a: new Point() }), "$.a", /is not a plain object/);
      hashError(() => canonicalJson(cyclic), "$.self", /refers back to itself/);
      hashError(() => recordHash({ a: "x\uD800y" }), "$.a", /contains a lone UTF-16 surrogate/);
      hashError(() => recordHash({ ["k\uDC00"]: 1 }), "$.k\uDC00 (key)", /lone UTF-16 surrogate/);
      hashError(() => recordHash([1] as never), "$", /is not a JSON object: pass an EPCIS event/);
      hashError(() => recordHash(null as never), "$", /is not a JSON object/);
      hashError(() => canonicalJson(undefined), "$", /\$ is undefined, which JSON cannot represent/);
      hashError(() => canonicalJson({ a: [NaN] }, "record"), "record.a[0]", /^record\.a\[0\] = NaN/);
    });
  });

  describe("event IDs", () => {
    it("sets eventID to the ni: URI of the record hash without changing the hash", () => {
      const identified = withEventId(EXAMPLE);
      expect(identified.eventID).to.equal(`ni:///sha-256;${EXAMPLE_HASH.slice(2)}?ver=cbec-trace-1`);
      expect(recordHash(identified)).to.equal(EXAMPLE_HASH);
      expect(recordHashOfEventId(identified.eventID)).to.equal(EXAMPLE_HASH);
      expect(hasValidEventId(identified)).to.equal(true);
      expect(EXAMPLE).not.to.have.property("eventID");
      expect(withEventId({ ...identified, eventID: "urn:x:old" }).eventID).to.equal(identified.eventID);
    });

    it("detects an eventID that does not match the content or is not a cbec-trace hash ID", () => {
      const identified = withEventId(EXAMPLE);
      expect(hasValidEventId({ ...identified, action: "OBSERVE" })).to.equal(false);
      expect(hasValidEventId(EXAMPLE)).to.equal(false);
      const cbv = `ni:///sha-256;${EXAMPLE_HASH.slice(2)}?ver=CBV2.0`;
      expect(recordHashOfEventId(cbv)).to.equal(undefined);
      expect(recordHashOfEventId("urn:uuid:1")).to.equal(undefined);
      expect(eventIdOf(`0x${"AB".repeat(32)}`)).to.equal(`ni:///sha-256;${"ab".repeat(32)}?ver=cbec-trace-1`);
      hashError(() => eventIdOf("0x1234"), "$", /Record hash "0x1234" is not 0x followed by 64 hex digits/);
    });
  });

  describe("hashDocument", () => {
    it("is plain SHA-256 of the bytes (FIPS 180-2 vectors)", () => {
      expect(hashDocument(new Uint8Array())).to.equal(
        "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      );
      expect(hashDocument(new TextEncoder().encode("abc"))).to.equal(
        "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      );
    });

    it("refuses anything but bytes", () => {
      hashError(() => hashDocument("abc" as never), "$", /Document "abc" is not a Uint8Array: pass the file's bytes/);
      hashError(() => hashDocument([1, 2] as never), "$", /is not a Uint8Array/);
    });
  });

  it("treats JsonValue as the hashable type", () => {
    const value: JsonValue = { a: [1, "b", null, true, { c: -0 }] };
    expect(canonicalJson(value)).to.equal('{"a":[1,"b",null,true,{"c":0}]}');
  });
});
