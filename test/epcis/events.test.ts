import { expect } from "chai";
import { STEPS } from "../../src/codes";
import {
  DEFAULT_TIME_ZONE_OFFSET,
  EpcisEventError,
  aggregationEvent,
  objectEvent,
  transactionEvent,
  type AggregationEventInput,
  type ObjectEventInput,
  type TransactionEventInput,
} from "../../src/epcis";
import { expectThrown } from "../helpers/thrown";

const GLN = "6901234000009";
const ITEM = "https://id.gs1.org/01/09521234543213/10/ABC123/21/12345";
const ITEM2 = "https://id.gs1.org/01/09521234543213/10/ABC123/21/12346";
const CARTON = "https://id.gs1.org/00/095212340000000018";
const BIZ_STEP = "https://ref.gs1.org/cbv/BizStep-";
const DISP = "https://ref.gs1.org/cbv/Disp-";

const observe: ObjectEventInput = { step: "STORING", epcList: [ITEM], eventTime: "2026-03-01T10:30:00+08:00" };
const pack: AggregationEventInput = {
  parentID: CARTON,
  childEPCs: [ITEM, ITEM2],
  action: "ADD",
  eventTime: "2026-03-01T11:00:00+08:00",
};
const declare: TransactionEventInput = {
  step: "CUSTOMS_DECLARED",
  action: "ADD",
  epcList: [ITEM],
  bizTransactions: [{ type: "inventory", number: "531620260000012345" }],
  eventTime: "2026-03-02T09:15:00+08:00",
};

/** Asserts `fn` throws an EpcisEventError on `field` whose message matches `pattern`. */
function refuses(fn: () => unknown, field: string, pattern: RegExp): void {
  const err = expectThrown(fn, EpcisEventError, "expected an EpcisEventError");
  expect(err.field).to.equal(field);
  expect(err.message).to.match(pattern);
}

describe("epcis event builders", () => {
  describe("objectEvent", () => {
    it("builds a commissioning event with lot master data", () => {
      const event = objectEvent({
        step: "COMMISSIONING",
        epcList: [ITEM],
        eventTime: "2026-03-01T10:30:00.123+08:00",
        disposition: "ACTIVE",
        location: GLN,
        bizTransactions: [{ type: "prodorder", uri: "urn:epcglobal:cbv:bt:6901234000009:PO-7" }],
        ilmd: { lot: "ABC123", productionDate: "2026-02-28", expiryDate: "2028-02-28", countryOfOrigin: "CN" },
      });
      expect(event).to.deep.equal({
        type: "ObjectEvent",
        eventTime: "2026-03-01T02:30:00.123Z",
        eventTimeZoneOffset: "+08:00",
        epcList: [ITEM],
        action: "ADD",
        bizStep: `${BIZ_STEP}commissioning`,
        disposition: `${DISP}active`,
        readPoint: { id: `https://id.gs1.org/414/${GLN}` },
        bizTransactionList: [
          { type: "https://ref.gs1.org/cbv/BTT-prodorder", bizTransaction: "urn:epcglobal:cbv:bt:6901234000009:PO-7" },
        ],
        ilmd: {
          "cbvmda:lotNumber": "ABC123",
          "cbvmda:productionDate": "2026-02-28",
          "cbvmda:itemExpirationDate": "2028-02-28",
          "cbvmda:countryOfOrigin": "CN",
        },
      });
      expect(event).not.to.have.property("@context");
      expect(event).not.to.have.property("eventID");
    });

    it("chooses the action from the step: OBSERVE by default, DELETE for destroying and decommissioning", () => {
      expect(objectEvent(observe).action).to.equal("OBSERVE");
      expect(objectEvent({ ...observe, step: "DESTROYING" }).action).to.equal("DELETE");
      expect(objectEvent({ ...observe, step: STEPS.DECOMMISSIONING }).action).to.equal("DELETE");
      expect(objectEvent({ ...observe, step: "RECEIVING", action: "ADD" }).action).to.equal("ADD");
    });

    it("writes extension steps as cbec-trace URNs and keeps a custom time zone offset", () => {
      const event = objectEvent({
        ...observe,
        step: "CUSTOMS_RELEASED",
        disposition: "SELLABLE_NOT_ACCESSIBLE",
        eventTime: new Date(Date.UTC(2026, 2, 3, 1, 2, 3, 4)),
        eventTimeZoneOffset: "-05:30",
        location: "5316",
        bizLocation: GLN,
        bizTransactions: [{ type: "inventory", number: "531620260000012345" }],
        extensions: { "cbectrace:returnStatus": "800", "cbectrace:customsCode": "5316" },
      });
      expect(event.bizStep).to.equal("urn:cbec-trace:bizstep:customs_released");
      expect(event.disposition).to.equal(`${DISP}sellable_not_accessible`);
      expect(event.eventTime).to.equal("2026-03-03T01:02:03.004Z");
      expect(event.eventTimeZoneOffset).to.equal("-05:30");
      expect(event.readPoint).to.deep.equal({ id: "urn:cbec-trace:loc:5316" });
      expect(event.bizLocation).to.deep.equal({ id: `https://id.gs1.org/414/${GLN}` });
      expect(event.bizTransactionList).to.deep.equal([
        {
          type: "urn:cbec-trace:btt:inventory",
          bizTransaction: "urn:cbec-trace:bt:inventory:531620260000012345",
        },
      ]);
      expect(event["cbectrace:returnStatus"]).to.equal("800");
      expect(objectEvent({ ...observe, extensions: { "cbectrace:x": undefined as never } })).not.to.have.property(
        "cbectrace:x",
      );
      expect(objectEvent(observe).eventTimeZoneOffset).to.equal(DEFAULT_TIME_ZONE_OFFSET);
      // The offset written in the time is the event's local one; +08:00 only when none is written.
      expect(objectEvent({ ...observe, eventTime: "2026-11-26T09:00:00+01:00" }).eventTimeZoneOffset).to.equal(
        "+01:00",
      );
      expect(objectEvent({ ...observe, eventTime: "2026-11-26T08:00:00Z" }).eventTimeZoneOffset).to.equal("+00:00");
      expect(objectEvent({ ...observe, eventTime: new Date("2026-11-26T08:00:00Z") }).eventTimeZoneOffset).to.equal(
        DEFAULT_TIME_ZONE_OFFSET,
      );
    });

    it("writes sources and destinations", () => {
      const event = objectEvent({
        ...observe,
        step: "SHIPPING",
        sources: [
          { type: "owning_party", id: GLN },
          { type: "location", id: "5316" },
        ],
        destinations: [
          { type: "possessing_party", id: "urn:epc:id:pgln:0614141.00777" },
          { type: "location", id: "urn:epc:id:sgln:0614141.00777.0" },
        ],
      });
      expect(event.sourceList).to.deep.equal([
        { type: "https://ref.gs1.org/cbv/SDT-owning_party", source: `https://id.gs1.org/417/${GLN}` },
        { type: "https://ref.gs1.org/cbv/SDT-location", source: "urn:cbec-trace:loc:5316" },
      ]);
      expect(event.destinationList).to.deep.equal([
        { type: "https://ref.gs1.org/cbv/SDT-possessing_party", destination: "urn:epc:id:pgln:0614141.00777" },
        { type: "https://ref.gs1.org/cbv/SDT-location", destination: "urn:epc:id:sgln:0614141.00777.0" },
      ]);
    });

    const cases: Array<[string, () => unknown, string, RegExp]> = [
      ["no input", () => objectEvent(null as never), "input", /objectEvent\(\) needs an input object, got null/],
      ["no step", () => objectEvent({ ...observe, step: undefined as never }), "step", /step is missing/],
      [
        "unknown step",
        () => objectEvent({ ...observe, step: "PICKING" as never }),
        "step",
        /step: Unknown step "PICKING"/,
      ],
      ["unknown step code", () => objectEvent({ ...observe, step: 99 }), "step", /Unknown step code 99/],
      [
        "packing step",
        () => objectEvent({ ...observe, step: "PACKING" }),
        "step",
        /is an aggregation step: build packing and unpacking with aggregationEvent\(\)/,
      ],
      [
        "commissioning without ADD",
        () => objectEvent({ ...observe, step: "COMMISSIONING", action: "OBSERVE" }),
        "action",
        /action "OBSERVE" does not fit step COMMISSIONING: .* with action ADD/,
      ],
      [
        "destroying without DELETE",
        () => objectEvent({ ...observe, step: "DESTROYING", action: "OBSERVE" }),
        "action",
        /with action DELETE/,
      ],
      [
        "bad action",
        () => objectEvent({ ...observe, action: "UPDATE" as never }),
        "action",
        /action "UPDATE" is not an EPCIS action/,
      ],
      [
        "no eventTime",
        () => objectEvent({ ...observe, eventTime: undefined as never }),
        "eventTime",
        /eventTime is missing/,
      ],
      [
        "eventTime not ISO",
        () => objectEvent({ ...observe, eventTime: "2026/03/01 10:30" }),
        "eventTime",
        /eventTime "2026\/03\/01 10:30" is not an ISO 8601 date-time with a time zone/,
      ],
      [
        "eventTime without zone",
        () => objectEvent({ ...observe, eventTime: "2026-03-01T10:30:00" }),
        "eventTime",
        /"2026-03-01T10:30:00" is not an ISO 8601 date-time with a time zone/,
      ],
      [
        "eventTime on a missing day",
        () => objectEvent({ ...observe, eventTime: "2026-02-29T10:30:00Z" }),
        "eventTime",
        /has day 29, which 2026-02 lacks/,
      ],
      [
        "eventTime month 13",
        () => objectEvent({ ...observe, eventTime: "2026-13-01T00:00:00Z" }),
        "eventTime",
        /month 13/,
      ],
      [
        "eventTime hour 24",
        () => objectEvent({ ...observe, eventTime: "2026-01-01T24:00:00Z" }),
        "eventTime",
        /out of range/,
      ],
      [
        "eventTime offset out of range",
        () => objectEvent({ ...observe, eventTime: "2026-01-01T00:00:00+15:00" }),
        "eventTime",
        /has an offset that is out of range/,
      ],
      [
        "eventTime before 1970",
        () => objectEvent({ ...observe, eventTime: "1969-12-31T23:59:59Z" }),
        "eventTime",
        /is outside 1970-01-01/,
      ],
      [
        "sub-millisecond eventTime",
        () => objectEvent({ ...observe, eventTime: "2026-03-01T10:30:00.1234+08:00" }),
        "eventTime",
        /has sub-millisecond precision/,
      ],
      [
        "invalid Date",
        () => objectEvent({ ...observe, eventTime: new Date(NaN) }),
        "eventTime",
        /invalid or out-of-range Date/,
      ],
      [
        "eventTime number",
        () => objectEvent({ ...observe, eventTime: 1772332200 as never }),
        "eventTime",
        /neither an ISO 8601 string nor a Date/,
      ],
      [
        "bad offset",
        () => objectEvent({ ...observe, eventTimeZoneOffset: "+8:00" }),
        "eventTimeZoneOffset",
        /eventTimeZoneOffset "\+8:00" is not a time zone offset/,
      ],
      [
        "offset out of range",
        () => objectEvent({ ...observe, eventTimeZoneOffset: "+14:30" }),
        "eventTimeZoneOffset",
        /"\+14:30" is out of range/,
      ],
      [
        "unknown disposition",
        () => objectEvent({ ...observe, disposition: "LOST" as never }),
        "disposition",
        /Unknown disposition "LOST"/,
      ],
      [
        "NONE disposition",
        () => objectEvent({ ...observe, disposition: "NONE" }),
        "disposition",
        /leave the disposition out/,
      ],
      [
        "empty epcList",
        () => objectEvent({ ...observe, epcList: [] }),
        "epcList",
        /epcList is \[\]: it must be a non-empty array/,
      ],
      [
        "epcList not array",
        () => objectEvent({ ...observe, epcList: ITEM as never }),
        "epcList",
        /must be a non-empty array/,
      ],
      [
        "EPC not a URI",
        () => objectEvent({ ...observe, epcList: ["09521234543213"] }),
        "epcList[0]",
        /"09521234543213" is not an absolute URI/,
      ],
      ["duplicate EPC", () => objectEvent({ ...observe, epcList: [ITEM, ITEM] }), "epcList[1]", /is listed twice/],
      [
        "bad GLN",
        () => objectEvent({ ...observe, location: "6901234000008" }),
        "location",
        /wrong check digit: expected 9/,
      ],
      [
        "long code",
        () => objectEvent({ ...observe, bizLocation: "WAREHOUSE7" }),
        "bizLocation",
        /"WAREHOUSE7" is 10 bytes long/,
      ],
      [
        "ilmd without ADD",
        () => objectEvent({ ...observe, ilmd: { lot: "L1" } }),
        "ilmd",
        /ilmd \(lot master data\) is only allowed with action ADD.*action is OBSERVE/,
      ],
      ["empty ilmd", () => objectEvent({ ...observe, step: "COMMISSIONING", ilmd: {} }), "ilmd", /ilmd is empty/],
      [
        "bad lot",
        () => objectEvent({ ...observe, step: "COMMISSIONING", ilmd: { lot: "LOT 1" } }),
        "ilmd.lot",
        /ilmd.lot "LOT 1" must be 1–20 characters of GS1 character set 82/,
      ],
      [
        "GS1 date instead of ISO date",
        () => objectEvent({ ...observe, step: "COMMISSIONING", ilmd: { expiryDate: "261231" } }),
        "ilmd.expiryDate",
        /"261231" is not a calendar date YYYY-MM-DD/,
      ],
      [
        "expiry before production",
        () =>
          objectEvent({
            ...observe,
            step: "COMMISSIONING",
            ilmd: { productionDate: "2026-03-01", expiryDate: "2026-02-01" },
          }),
        "ilmd.expiryDate",
        /"2026-02-01" is before productionDate "2026-03-01"/,
      ],
      [
        "bad country",
        () => objectEvent({ ...observe, step: "COMMISSIONING", ilmd: { countryOfOrigin: "China" } }),
        "ilmd.countryOfOrigin",
        /"China" must be an ISO 3166-1 alpha-2 code/,
      ],
      [
        "extension not namespaced",
        () => objectEvent({ ...observe, extensions: { returnStatus: "800" } as never }),
        "extensions.returnStatus",
        /Extension field "returnStatus" is not namespaced/,
      ],
      [
        "extension not JSON",
        () => objectEvent({ ...observe, extensions: { "cbectrace:weight": NaN } }),
        "extensions.cbectrace:weight",
        /NaN is not a finite number/,
      ],
      [
        "empty bizTransactions",
        () => objectEvent({ ...observe, bizTransactions: [] }),
        "bizTransactions",
        /bizTransactions is \[\]: it must be a non-empty array/,
      ],
      [
        "unknown bizTransaction type",
        () => objectEvent({ ...observe, bizTransactions: [{ type: "invoice" as never, number: "1" }] }),
        "bizTransactions[0].type",
        /Unknown business transaction type "invoice"/,
      ],
      [
        "bizTransaction with number and uri",
        () => objectEvent({ ...observe, bizTransactions: [{ type: "po", number: "1", uri: "urn:x:1" } as never] }),
        "bizTransactions[0]",
        /has both uri and number/,
      ],
      [
        "bizTransaction with neither",
        () => objectEvent({ ...observe, bizTransactions: [{ type: "po" } as never] }),
        "bizTransactions[0]",
        /has neither number nor uri/,
      ],
      [
        "bizTransaction uri not a URI",
        () => objectEvent({ ...observe, bizTransactions: [{ type: "po", uri: "PO 7" }] }),
        "bizTransactions[0].uri",
        /"PO 7" is not an absolute URI/,
      ],
      [
        "repeated bizTransaction",
        () =>
          objectEvent({
            ...observe,
            bizTransactions: [
              { type: "po", number: "7" },
              { type: "po", number: "7" },
            ],
          }),
        "bizTransactions[1]",
        /repeats "urn:cbec-trace:bt:po:7"/,
      ],
      [
        "unknown source type",
        () => objectEvent({ ...observe, sources: [{ type: "owner" as never, id: GLN }] }),
        "sources[0].type",
        /Unknown source\/destination type "owner"/,
      ],
      [
        "party neither GLN nor URI",
        () => objectEvent({ ...observe, destinations: [{ type: "owning_party", id: "ACME" }] }),
        "destinations[0].id",
        /Party "ACME" is neither a 13-digit GLN nor an absolute URI/,
      ],
      ["empty sources", () => objectEvent({ ...observe, sources: [] }), "sources", /non-empty array/],
    ];
    for (const [what, fn, field, pattern] of cases) {
      it(`refuses ${what}`, () => refuses(fn, field, pattern));
    }
  });

  describe("aggregationEvent", () => {
    it("builds packing (ADD) with the PACKING step", () => {
      expect(aggregationEvent({ ...pack, location: GLN, disposition: "IN_PROGRESS" })).to.deep.equal({
        type: "AggregationEvent",
        eventTime: "2026-03-01T03:00:00.000Z",
        eventTimeZoneOffset: "+08:00",
        parentID: CARTON,
        childEPCs: [ITEM, ITEM2],
        action: "ADD",
        bizStep: `${BIZ_STEP}packing`,
        disposition: `${DISP}in_progress`,
        readPoint: { id: `https://id.gs1.org/414/${GLN}` },
      });
    });

    it("builds unpacking (DELETE) with the UNPACKING step, or a given step", () => {
      const unpack = aggregationEvent({ ...pack, action: "DELETE" });
      expect(unpack.action).to.equal("DELETE");
      expect(unpack.bizStep).to.equal(`${BIZ_STEP}unpacking`);
      expect(aggregationEvent({ ...pack, step: "LOADING" }).bizStep).to.equal(`${BIZ_STEP}loading`);
    });

    const cases: Array<[string, () => unknown, string, RegExp]> = [
      ["no input", () => aggregationEvent(undefined as never), "input", /needs an input object, got undefined/],
      [
        "OBSERVE",
        () => aggregationEvent({ ...pack, action: "OBSERVE" as never }),
        "action",
        /action "OBSERVE" is not valid for aggregationEvent: use "ADD" \(packing\) or "DELETE" \(unpacking\)/,
      ],
      [
        "no parentID",
        () => aggregationEvent({ ...pack, parentID: undefined as never }),
        "parentID",
        /parentID undefined is not an absolute URI/,
      ],
      [
        "parentID not a URI",
        () => aggregationEvent({ ...pack, parentID: "095212340000000018" }),
        "parentID",
        /is not an absolute URI/,
      ],
      ["empty childEPCs", () => aggregationEvent({ ...pack, childEPCs: [] }), "childEPCs", /childEPCs is \[\]/],
      ["child is parent", () => aggregationEvent({ ...pack, childEPCs: [CARTON] }), "childEPCs", /contains the parent/],
      ["unknown step", () => aggregationEvent({ ...pack, step: 0 }), "step", /Unknown step code 0/],
    ];
    for (const [what, fn, field, pattern] of cases) {
      it(`refuses ${what}`, () => refuses(fn, field, pattern));
    }
  });

  describe("transactionEvent", () => {
    it("links objects to a customs document", () => {
      expect(transactionEvent({ ...declare, location: "5316" })).to.deep.equal({
        type: "TransactionEvent",
        eventTime: "2026-03-02T01:15:00.000Z",
        eventTimeZoneOffset: "+08:00",
        epcList: [ITEM],
        action: "ADD",
        bizStep: "urn:cbec-trace:bizstep:customs_declared",
        readPoint: { id: "urn:cbec-trace:loc:5316" },
        bizTransactionList: [
          {
            type: "urn:cbec-trace:btt:inventory",
            bizTransaction: "urn:cbec-trace:bt:inventory:531620260000012345",
          },
        ],
      });
    });

    it("accepts a parent instead of (or with) an object list, and several documents", () => {
      const event = transactionEvent({
        ...declare,
        epcList: undefined,
        parentID: CARTON,
        bizTransactions: [
          { type: "order", number: "ORD-2026-0001" },
          { type: "waybill", number: "SF1234567890", issuer: "4403180001" },
          { type: "declaration", uri: "urn:cbec-trace:bt:declaration:531620261000000001" },
        ],
      });
      expect(event.parentID).to.equal(CARTON);
      expect(event).not.to.have.property("epcList");
      expect(event.bizTransactionList!.map((b) => b.bizTransaction)).to.deep.equal([
        "urn:cbec-trace:bt:order:ORD-2026-0001",
        "urn:cbec-trace:bt:waybill:4403180001:SF1234567890",
        "urn:cbec-trace:bt:declaration:531620261000000001",
      ]);
      expect(transactionEvent({ ...declare, parentID: CARTON })).to.include({ parentID: CARTON });
    });

    const cases: Array<[string, () => unknown, string, RegExp]> = [
      ["no input", () => transactionEvent("x" as never), "input", /needs an input object, got "x"/],
      [
        "no objects",
        () => transactionEvent({ ...declare, epcList: undefined }),
        "epcList",
        /needs epcList, parentID or both/,
      ],
      [
        "no documents",
        () => transactionEvent({ ...declare, bizTransactions: undefined as never }),
        "bizTransactions",
        /bizTransactions is undefined: a transactionEvent needs at least one document/,
      ],
      [
        "empty documents",
        () => transactionEvent({ ...declare, bizTransactions: [] }),
        "bizTransactions",
        /bizTransactions is \[\]: a transactionEvent needs at least one document/,
      ],
      [
        "no action",
        () => transactionEvent({ ...declare, action: undefined as never }),
        "action",
        /action undefined is not an EPCIS action/,
      ],
      ["no step", () => transactionEvent({ ...declare, step: undefined as never }), "step", /step is missing/],
      ["empty epcList", () => transactionEvent({ ...declare, epcList: [] }), "epcList", /non-empty array/],
      [
        "bad parentID",
        () => transactionEvent({ ...declare, parentID: "carton 1" }),
        "parentID",
        /"carton 1" is not an absolute URI/,
      ],
    ];
    for (const [what, fn, field, pattern] of cases) {
      it(`refuses ${what}`, () => refuses(fn, field, pattern));
    }
  });
});
