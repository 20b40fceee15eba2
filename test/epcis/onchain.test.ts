import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { DISPOSITIONS, STEPS } from "../../src/codes";
import { itemPath, unitKeyOfPath } from "../../src/gs1/key";
import {
  EpcisLocationError,
  EpcisOnchainError,
  LOCATION_CODE_FLAG,
  decodeLocation,
  encodeLocation,
  objectEvent,
  parseEpcisEvent,
  recordHash,
  traceFields,
  traceInput,
  transactionEvent,
  type EpcisEvent,
} from "../../src/epcis";
import { deployLedger, EXPORTER_PREFIX } from "../helpers/ledger";
import { ethers } from "hardhat";
import { readHistory } from "../helpers/history";
import { doc, file, idOf } from "../helpers/customs";
import { checkDigit, expectThrown } from "../helpers/thrown";

const GLN = "6901234000009";
const ITEM = "https://id.gs1.org/01/09521234543213/10/ABC123/21/12345";
const UNIT = unitKeyOfPath(itemPath({ gtin: "09521234543213", lot: "ABC123", serial: "12345" })) as Hex;

const released = objectEvent({
  step: "CUSTOMS_RELEASED",
  disposition: "SELLABLE_NOT_ACCESSIBLE",
  epcList: [ITEM],
  eventTime: "2026-03-03T08:00:00.999+08:00",
  location: "5316",
  bizTransactions: [{ type: "inventory", number: "531620260000012345" }],
});

function throws(fn: () => unknown, type: new (...args: never[]) => Error, pattern: RegExp): void {
  expect(expectThrown(fn, type).message).to.match(pattern);
}

const CODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".split("");

describe("epcis → on-chain fields", () => {
  describe("location words", () => {
    it("stores a GLN as its number and a short code as a flagged bytes8", () => {
      expect(encodeLocation(GLN)).to.equal(6901234000009n);
      expect(encodeLocation("0614141007776")).to.equal(614141007776n);
      expect(encodeLocation("A")).to.equal(0xc100000000000000n);
      expect(encodeLocation("SZX01")).to.equal(0xd35a583031000000n);
      expect(encodeLocation("ABCDEFGH")).to.equal(0xc142434445464748n);
      expect(encodeLocation({ code: "5316" })).to.equal(LOCATION_CODE_FLAG | 0x3533313600000000n);
      expect(decodeLocation(0xd35a583031000000n)).to.deep.equal({ code: "SZX01" });
      expect(decodeLocation(6901234000009)).to.deep.equal({ gln: GLN });
      expect(decodeLocation(614141007776n)).to.deep.equal({ gln: "0614141007776" });
      expect(decodeLocation(0n)).to.equal(null);
    });

    it("round-trips every GLN (property, 100 runs)", () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[0-9]{12}$/), (body) => {
          fc.pre(!/^0{12}$/.test(body) || checkDigit(body) !== 0);
          const gln = body + checkDigit(body);
          const word = encodeLocation(gln);
          expect(word < 10n ** 13n).to.equal(true);
          expect(decodeLocation(word)).to.deep.equal({ gln });
        }),
        { numRuns: 100 },
      );
    });

    it("round-trips every short code, always above every GLN (property, 100 runs)", () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...CODE_CHARS), { minLength: 1, maxLength: 8 }), (chars) => {
          const code = chars.join("");
          const word = encodeLocation(code);
          expect(word >= LOCATION_CODE_FLAG && word < 1n << 64n).to.equal(true);
          expect(decodeLocation(word)).to.deep.equal({ code });
        }),
        { numRuns: 100 },
      );
    });

    it("refuses locations that do not fit", () => {
      throws(
        () => encodeLocation("SZXPORT01"),
        EpcisLocationError,
        /"SZXPORT01" is 9 bytes long: a short code holds at most 8 ASCII bytes/,
      );
      throws(() => encodeLocation("深圳港"), EpcisLocationError, /contains the non-ASCII character "深"/);
      throws(() => encodeLocation("café"), EpcisLocationError, /non-ASCII character "é"/);
      throws(
        () => encodeLocation("6901234000008"),
        EpcisLocationError,
        /GLN "6901234000008" has a wrong check digit: expected 9, found 8/,
      );
      throws(() => encodeLocation({ gln: "690123400000" }), EpcisLocationError, /must be exactly 13 digits/);
    });

    it("refuses words that hold no valid location", () => {
      throws(
        () => decodeLocation(6901234000008n),
        EpcisLocationError,
        /GLN 6901234000008 in location word .* wrong check digit/,
      );
      throws(
        () => decodeLocation(10n ** 13n),
        EpcisLocationError,
        /is neither a GLN \(< 10\^13\) nor a short code \(top bit set\)/,
      );
      throws(() => decodeLocation(LOCATION_CODE_FLAG), EpcisLocationError, /not a valid short code/);
      throws(() => decodeLocation(0xc100420000000000n), EpcisLocationError, /1–8 bytes followed only by zero padding/);
      throws(
        () => decodeLocation(0xaf00000000000000n),
        EpcisLocationError,
        /holds an invalid short code: .*contains a character outside/,
      );
      throws(() => decodeLocation(0xc1c2000000000000n), EpcisLocationError, /non-ASCII character/);
      throws(() => decodeLocation(-1n), EpcisLocationError, /Location word -1n is not a uint64/);
      throws(() => decodeLocation(1n << 64n), EpcisLocationError, /is not a uint64/);
      throws(() => decodeLocation(2 ** 60), EpcisLocationError, /is not a safe integer: pass uint64 values as bigint/);
    });
  });

  describe("traceFields", () => {
    it("derives step, disposition, Unix seconds, location and record hash", () => {
      expect(traceFields(released)).to.deep.equal({
        step: STEPS.CUSTOMS_RELEASED,
        disposition: DISPOSITIONS.SELLABLE_NOT_ACCESSIBLE,
        eventTime: Date.UTC(2026, 2, 3, 0, 0, 0) / 1000, // .999 s truncated
        location: encodeLocation("5316"),
        recordHash: recordHash(released),
      });
    });

    it("uses bizLocation when there is no read point, 0 when there is neither, and 0 for no disposition", () => {
      const base = { step: "STORING" as const, epcList: [ITEM], eventTime: "2026-03-01T00:00:00Z" };
      expect(traceFields(objectEvent({ ...base, bizLocation: GLN })).location).to.equal(BigInt(GLN));
      expect(traceFields(objectEvent({ ...base, location: "WH1", bizLocation: GLN })).location).to.equal(
        encodeLocation("WH1"),
      );
      const bare = traceFields(objectEvent(base));
      expect(bare.location).to.equal(0n);
      expect(bare.disposition).to.equal(0);
    });

    it("reads events in other standard spellings", () => {
      const foreign = parseEpcisEvent({
        type: "ObjectEvent",
        eventTime: "2026-03-05T20:33:31.116-06:00",
        eventTimeZoneOffset: "-06:00",
        epcList: ["urn:epc:id:sgtin:0614141.107346.2018"],
        action: "OBSERVE",
        bizStep: "urn:epcglobal:cbv:bizstep:receiving",
        disposition: "in_progress",
        readPoint: { id: "urn:epc:id:sgln:0614141.00777.0" },
      });
      expect(traceFields(foreign)).to.deep.include({
        step: STEPS.RECEIVING,
        disposition: DISPOSITIONS.IN_PROGRESS,
        eventTime: Date.UTC(2026, 2, 6, 2, 33, 31) / 1000,
        location: 614141007776n,
      });
    });

    it("refuses events the ledger cannot record", () => {
      const { bizStep: _omit, ...noStep } = released;
      throws(() => traceFields(noStep as EpcisEvent), EpcisOnchainError, /The ObjectEvent has no bizStep/);
      throws(
        () => traceFields({ ...released, bizStep: "picking" }),
        EpcisOnchainError,
        /bizStep: bizStep "picking" is a CBV 2.0 step/,
      );
      throws(
        () => traceFields({ ...released, disposition: "lost" }),
        EpcisOnchainError,
        /disposition: disposition "lost" is not a CBV 2.0/,
      );
      throws(
        () => traceFields({ ...released, readPoint: { id: "https://example.com/dock/7" } }),
        EpcisOnchainError,
        /readPoint.id: Location URI "https:\/\/example.com\/dock\/7" is neither a GLN URI/,
      );
      throws(
        () => traceFields({ ...released, readPoint: undefined, bizLocation: { id: "urn:cbec-trace:loc:TOOLONGXX" } }),
        EpcisOnchainError,
        /bizLocation.id: .* is 9 bytes long/,
      );
      throws(
        () => traceFields({ ...released, eventTime: "soon" }),
        EpcisOnchainError,
        /eventTime "soon" is not an ISO 8601/,
      );
      throws(() => traceFields(null as never), EpcisOnchainError, /Event null is not an EPCIS event object/);
    });

    it("adds the unit key for a full TraceInput", () => {
      expect(traceInput(released, UNIT)).to.deep.equal({ unit: UNIT, ...traceFields(released) });
      throws(
        () => traceInput(released, "0x1234"),
        EpcisOnchainError,
        /Unit key "0x1234" is not a non-zero bytes32: derive it with unitKeyOfPath/,
      );
      throws(() => traceInput(released, `0x${"0".repeat(64)}`), EpcisOnchainError, /not a non-zero bytes32/);
    });
  });

  describe("against the deployed ledger", () => {
    it("records built events whose logs decode back to the same fields", async () => {
      const f = await loadFixture(deployLedger);
      const { ledger, accounts } = f;
      const commissioned = objectEvent({
        step: "COMMISSIONING",
        disposition: "ACTIVE",
        epcList: [ITEM],
        eventTime: "2026-03-01T10:30:00+08:00",
        location: GLN,
        ilmd: { lot: "ABC123", productionDate: "2026-02-28" },
      });
      const declared = transactionEvent({
        step: "CUSTOMS_DECLARED",
        action: "ADD",
        epcList: [ITEM],
        bizTransactions: [{ type: "inventory", number: "531620260000012345" }],
        eventTime: "2026-03-02T09:15:00+08:00",
        location: "SZX01",
      });
      const reg = traceInput(commissioned, UNIT);
      await (
        await ledger.connect(accounts.exporter).register({
          path: ethers.toUtf8Bytes(itemPath({ gtin: "09521234543213", lot: "ABC123", serial: "12345" })),
          prefixLength: EXPORTER_PREFIX.length,
          eventTime: reg.eventTime,
          location: reg.location,
          recordHash: reg.recordHash,
        })
      ).wait();
      // The declaration is a customs document since 2.2: filed (a 1210 one, after customs' zone entry) with
      // the fields of its EPCIS event.
      await (await file(f, "customs", doc(UNIT, "ZONE_ENTRY", "Z-ONCHAIN"))).wait();
      const d = traceInput(declared, UNIT);
      const cites = [idOf(f, "customs", "ZONE_ENTRY", "Z-ONCHAIN")];
      const declaration = { ...doc(UNIT, "DECLARATION", "531620260000012345", { mode: 1210, cites }), ...d };
      await (await file(f, "exporter", declaration)).wait();
      await (await ledger.connect(accounts.customs).record(traceInput(released, UNIT))).wait();

      const history = await readHistory(ledger, UNIT);
      const events = [commissioned, declared, released];
      expect(history).to.have.length(4);
      const anchored = [history[0], history[2], history[3]]; // history[1] is the zone entry
      anchored.forEach((entry, i) => {
        const fields = traceFields(events[i]);
        expect(entry.data).to.equal(fields.recordHash);
        expect(entry.step).to.equal(fields.step);
        expect(entry.disposition).to.equal(fields.disposition);
        expect(entry.eventTime).to.equal(fields.eventTime);
        expect(entry.location).to.equal(fields.location);
      });
      expect(anchored.map((e) => decodeLocation(e.location))).to.deep.equal([
        { gln: GLN },
        { code: "SZX01" },
        { code: "5316" },
      ]);
    });
  });
});
