/** The record path: one event built, stored and turned into its ledger input, the hash computed once. */
import { expect } from "chai";
import { mkdtempSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Hex } from "viem";
import { parseGs1, toDigitalLink } from "../../src/gs1";
import { recordHash, hasValidEventId, EpcisOnchainError, EpcisEventError, type EpcisEvent } from "../../src/epcis";
import { STEPS, DISPOSITIONS } from "../../src/codes";
import {
  RecordStore,
  recordAggregation,
  recordEvent,
  recordObjectEvent,
  recordRegistration,
  type RecordSink,
  type UnitRef,
} from "../../src/records";

const unitOf = (code: string): UnitRef => {
  const identity = parseGs1(code);
  return {
    key: identity.key as Hex,
    uri: toDigitalLink(identity, { attributes: false }),
    path: identity.canonicalPath,
  };
};
const ITEM = unitOf("(01)09521234543213(10)LOT7(21)0001");
const ITEM2 = unitOf("(01)09521234543213(10)LOT7(21)0002");
const CARTON = unitOf("(00)106901234000000015");
const TIME = "2026-03-01T08:00:00+08:00";

/** A sink that keeps what it is given. */
function memorySink(): RecordSink & { records: Map<Hex, EpcisEvent> } {
  const records = new Map<Hex, EpcisEvent>();
  return { records, put: (hash, record) => void records.set(hash, record) };
}

describe("record path (src/records)", () => {
  it("recordObjectEvent stores the record under its hash, with its eventID, and returns the TraceInput", () => {
    const sink = memorySink();
    const out = recordObjectEvent(sink, ITEM, {
      step: "INSPECTING",
      disposition: "CONFORMANT",
      eventTime: TIME,
      location: "6901234000009",
    });
    expect(out.recordHash).to.equal(recordHash(out.record));
    expect(sink.records.get(out.recordHash)).to.equal(out.record);
    expect(hasValidEventId(out.record)).to.equal(true);
    expect(out.record.epcList).to.deep.equal([ITEM.uri]);
    expect(out.input).to.deep.equal({
      unit: ITEM.key,
      step: STEPS.INSPECTING,
      disposition: DISPOSITIONS.CONFORMANT,
      eventTime: Date.parse(TIME) / 1000,
      location: 6901234000009n,
      recordHash: out.recordHash,
    });
  });

  it("recordRegistration commissions the unit (disposition ACTIVE unless given) and returns the Registration", () => {
    const sink = memorySink();
    const out = recordRegistration(sink, ITEM, { eventTime: TIME, location: "6901234000009" });
    expect(out.record.bizStep).to.match(/commissioning$/);
    expect(out.record.disposition).to.match(/active$/);
    expect(out.fields.step).to.equal(STEPS.COMMISSIONING);
    // The registration carries the code (the ledger derives the key from it), not the key.
    expect(out.input).to.deep.equal({
      path: "/01/09521234543213/10/LOT7/21/0001",
      eventTime: Date.parse(TIME) / 1000,
      location: 6901234000009n,
      recordHash: out.recordHash,
    });
    const explicit = recordRegistration(sink, ITEM2, { eventTime: TIME, disposition: "IN_PROGRESS" });
    expect(explicit.fields.disposition).to.equal(DISPOSITIONS.IN_PROGRESS);
    expect(sink.records.size).to.equal(2);
  });

  it("recordAggregation returns the Aggregation input and the children's keys", () => {
    const sink = memorySink();
    const out = recordAggregation(sink, CARTON, [ITEM, ITEM2], { action: "ADD", eventTime: TIME });
    expect(out.record.type).to.equal("AggregationEvent");
    expect(out.fields.step).to.equal(STEPS.PACKING);
    expect(out.children).to.deep.equal([ITEM.key, ITEM2.key]);
    expect(out.input).to.deep.equal({
      parent: CARTON.key,
      eventTime: Date.parse(TIME) / 1000,
      location: 0n,
      recordHash: out.recordHash,
    });
    const unpacked = recordAggregation(sink, CARTON, [ITEM], { action: "DELETE", eventTime: TIME });
    expect(unpacked.fields.step).to.equal(STEPS.UNPACKING);
  });

  it("an event the ledger cannot take is refused before anything is stored", () => {
    const sink = memorySink();
    const noStep = { type: "ObjectEvent", eventTime: TIME, eventTimeZoneOffset: "+08:00", epcList: [ITEM.uri] };
    expect(() => recordEvent(sink, noStep as unknown as EpcisEvent)).to.throw(EpcisOnchainError, /no bizStep/);
    expect(() => recordObjectEvent(sink, ITEM, { step: "INSPECTING", eventTime: "soon" })).to.throw(EpcisEventError);
    expect(sink.records.size).to.equal(0);
  });

  it("RecordStore keeps each record once, as a file named by its hash that reads back the same", () => {
    const dir = mkdtempSync(join(tmpdir(), "cbec-records-"));
    const store = new RecordStore(dir);
    const first = recordObjectEvent(store, ITEM, { step: "STORING", eventTime: TIME });
    const again = recordObjectEvent(store, ITEM, { step: "STORING", eventTime: TIME });
    expect(again.recordHash).to.equal(first.recordHash);
    expect(readdirSync(dir)).to.deep.equal([`${first.recordHash}.json`]);
    expect(store.get(first.recordHash)).to.deep.equal(first.record);
    expect(store.get(`0x${"0".repeat(64)}`)).to.equal(undefined);
    expect(() => store.get("../etc/passwd")).to.throw(/not a record hash/);
  });
});
