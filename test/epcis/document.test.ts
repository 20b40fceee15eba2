import { expect } from "chai";
import {
  EPCIS_CONTEXT_URL,
  EpcisEventError,
  EpcisParseError,
  aggregationEvent,
  epcisDocument,
  objectEvent,
  parseEpcisDocument,
  parseEpcisEvent,
  recordHash,
  transactionEvent,
  withEventId,
  type EpcisEvent,
  type ObjectEvent,
} from "../../src/epcis";
import { expectThrown } from "../helpers/thrown";

const GLN = "6901234000009";
const ITEM = "https://id.gs1.org/01/09521234543213/10/ABC123/21/12345";
const CARTON = "https://id.gs1.org/00/095212340000000018";

const commissioned = objectEvent({
  step: "COMMISSIONING",
  epcList: [ITEM],
  eventTime: "2026-03-01T10:30:00+08:00",
  location: GLN,
  ilmd: { lot: "ABC123" },
});
const packed = aggregationEvent({
  parentID: CARTON,
  childEPCs: [ITEM],
  action: "ADD",
  eventTime: "2026-03-01T12:00:00+08:00",
});
const declared = transactionEvent({
  step: "CUSTOMS_DECLARED",
  action: "ADD",
  parentID: CARTON,
  bizTransactions: [{ type: "inventory", number: "531620260000012345" }],
  eventTime: "2026-03-02T09:15:00+08:00",
});

/** An event as another EPCIS system writes it: compact CBV terms, EPC URNs, an eventID and a recordTime. */
const foreign = {
  "@context": [
    "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
    { example: "https://ns.example.com/epcis/" },
  ],
  type: "ObjectEvent",
  eventID: "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  eventTime: "2026-03-05T20:33:31.116-06:00",
  eventTimeZoneOffset: "-06:00",
  recordTime: "2026-03-06T00:00:00Z",
  epcList: ["urn:epc:id:sgtin:0614141.107346.2018"],
  action: "OBSERVE",
  bizStep: "receiving",
  disposition: "in_progress",
  readPoint: { id: "urn:epc:id:sgln:0614141.00777.0" },
  bizTransactionList: [{ type: "po", bizTransaction: "http://transaction.acme.com/po/12345678" }],
  sourceList: [{ type: "possessing_party", source: "urn:epc:id:pgln:0614141.00777" }],
  "example:myField": "Example of a vendor/user extension",
};

function refuses(fn: () => unknown, path: string, pattern: RegExp): void {
  const err = expectThrown(fn, EpcisParseError, "expected an EpcisParseError");
  expect(err.path).to.equal(path);
  expect(err.message).to.match(pattern);
}

describe("epcis documents", () => {
  describe("epcisDocument", () => {
    it("wraps events in an EPCIS 2.0 document with the cbectrace context, sorted by eventTime", () => {
      const doc = epcisDocument([declared, commissioned, packed], { creationDate: "2026-03-02T10:00:00+08:00" });
      expect(doc).to.deep.equal({
        "@context": [EPCIS_CONTEXT_URL, { cbectrace: "urn:cbec-trace:" }],
        type: "EPCISDocument",
        schemaVersion: "2.0",
        creationDate: "2026-03-02T02:00:00.000Z",
        epcisBody: { eventList: [commissioned, packed, declared] },
      });
      for (const e of doc.epcisBody.eventList) expect(e).not.to.have.property("@context");
    });

    it("sorts by the instant, not the text, and keeps the order of simultaneous events", () => {
      const early = { ...commissioned, eventTime: "2026-03-01T09:00:00.000+08:00" }; // 01:00Z
      const late = { ...commissioned, eventTime: "2026-03-01T02:00:00.000Z", epcList: ["urn:x:late"] };
      const same1 = { ...commissioned, eventTime: "2026-03-01T03:00:00.000Z", epcList: ["urn:x:1"] };
      const same2 = { ...commissioned, eventTime: "2026-03-01T11:00:00.000+08:00", epcList: ["urn:x:2"] };
      const list = epcisDocument([same2, late, same1, early], { creationDate: new Date(0) }).epcisBody.eventList;
      expect(list.map((e) => e.eventTime)).to.deep.equal([
        early.eventTime,
        late.eventTime,
        same2.eventTime,
        same1.eventTime,
      ]);
    });

    it("names sender and receiver, and keeps event hashes unchanged", () => {
      const doc = epcisDocument([withEventId(commissioned)], {
        creationDate: new Date(Date.UTC(2026, 2, 2)),
        sender: GLN,
        receiver: "urn:epc:id:pgln:0614141.00777",
      });
      expect(doc.sender).to.equal(`https://id.gs1.org/417/${GLN}`);
      expect(doc.receiver).to.equal("urn:epc:id:pgln:0614141.00777");
      expect(doc.creationDate).to.equal("2026-03-02T00:00:00.000Z");
      expect(recordHash(doc.epcisBody.eventList[0])).to.equal(recordHash(commissioned));
      expect(epcisDocument([], { creationDate: new Date(0) }).epcisBody.eventList).to.deep.equal([]);
    });

    it("moves an event's own @context into the document context", () => {
      const doc = epcisDocument(
        [foreign as EpcisEvent, { ...declared, "@context": { cbectrace: "urn:cbec-trace:" } }],
        {
          creationDate: new Date(0),
        },
      );
      expect(doc["@context"]).to.deep.equal([
        EPCIS_CONTEXT_URL,
        { cbectrace: "urn:cbec-trace:" },
        { example: "https://ns.example.com/epcis/" },
      ]);
      for (const e of doc.epcisBody.eventList) expect(e).not.to.have.property("@context");
      expect(recordHash(doc.epcisBody.eventList[1])).to.equal(recordHash(foreign)); // sorted after `declared`
    });

    it("refuses bad options, invalid events and conflicting contexts", () => {
      refuses(() => epcisDocument("x" as never, { creationDate: new Date(0) }), "events", /events "x" is not an array/);
      refuses(() => epcisDocument([], null as never), "options", /options null is not an object/);
      refuses(
        () => epcisDocument([commissioned, { ...packed, childEPCs: [] }], { creationDate: new Date(0) }),
        "events[1].childEPCs",
        /events\[1\]\.childEPCs \[\] is not a non-empty array/,
      );
      refuses(
        () =>
          epcisDocument([{ ...declared, "@context": [{ cbectrace: "urn:other:" }] }], { creationDate: new Date(0) }),
        "events[0].@context",
        /binds "cbectrace" to "urn:other:", but the document already binds it to "urn:cbec-trace:"/,
      );
      refuses(
        () => epcisDocument([], { creationDate: new Date(0), sender: "ACME" }),
        "sender",
        /sender: Party "ACME" is neither a 13-digit GLN nor an absolute URI/,
      );
      expect(() => epcisDocument([], { creationDate: "yesterday" })).to.throw(
        EpcisEventError,
        /creationDate "yesterday" is not an ISO 8601 date-time/,
      );
    });
  });

  describe("parseEpcisEvent", () => {
    it("accepts built events and returns an equal copy with the same hash", () => {
      for (const event of [commissioned, packed, declared, withEventId(declared)]) {
        const parsed = parseEpcisEvent(event);
        expect(parsed).to.deep.equal(event);
        expect(parsed).not.to.equal(event);
        expect(recordHash(parsed)).to.equal(recordHash(event));
        expect(parseEpcisEvent(JSON.stringify(event, null, 2))).to.deep.equal(event);
      }
    });

    it("accepts events written by other EPCIS systems, keeping them as written", () => {
      const parsed = parseEpcisEvent(JSON.stringify(foreign));
      expect(parsed).to.deep.equal(foreign);
      expect(parsed.bizStep).to.equal("receiving");
      (parsed as ObjectEvent).epcList.push("urn:x:mutated");
      expect(foreign.epcList).to.have.length(1);
    });

    const base = JSON.parse(JSON.stringify(commissioned)) as Record<string, unknown>;
    const without = (key: string) => {
      const copy = { ...base };
      delete copy[key];
      return copy;
    };
    const cases: Array<[string, unknown, string, RegExp]> = [
      ["a non-object", 42, "$", /\$ 42 is not an EPCIS event object/],
      ["an array", [base], "$", /is not an EPCIS event object/],
      ["invalid JSON text", "{ type: ObjectEvent }", "$", /The input is not valid JSON \(.*\): check the file/],
      ["a missing type", without("type"), "$.type", /The event has no "type" field\.$/],
      [
        "the pre-release isA key",
        { ...without("type"), isA: "ObjectEvent" },
        "$.type",
        /It has "isA": "ObjectEvent"; EPCIS 2.0 names the type "type"/,
      ],
      [
        "a TransformationEvent",
        { ...base, type: "TransformationEvent" },
        "$.type",
        /"TransformationEvent" is valid EPCIS but not recorded by cbec-trace: use one of ObjectEvent, AggregationEvent, TransactionEvent/,
      ],
      ["an unknown type", { ...base, type: "ShipEvent" }, "$.type", /"ShipEvent" is not an EPCIS 2.0 event type/],
      [
        "an unknown field",
        { ...base, epclist: [ITEM] },
        "$.epclist",
        /Field "epclist" is not a ObjectEvent field.*Check the spelling/,
      ],
      [
        "a type's foreign field",
        { ...base, childEPCs: [ITEM] },
        "$.childEPCs",
        /Field "childEPCs" is not a ObjectEvent field/,
      ],
      [
        "a missing eventTime",
        without("eventTime"),
        "$.eventTime",
        /\$\.eventTime undefined is missing or not an ISO 8601 string/,
      ],
      [
        "an eventTime without zone",
        { ...base, eventTime: "2026-03-01T10:30:00" },
        "$.eventTime",
        /is not an ISO 8601 date-time with a time zone/,
      ],
      [
        "a missing offset",
        without("eventTimeZoneOffset"),
        "$.eventTimeZoneOffset",
        /eventTimeZoneOffset undefined is missing or not of the form "\+08:00"/,
      ],
      ["a bad recordTime", { ...base, recordTime: "now" }, "$.recordTime", /"now" is not an ISO 8601 date-time/],
      [
        "an eventID that is not a URI",
        { ...base, eventID: "123" },
        "$.eventID",
        /\$\.eventID "123" is missing or not an absolute URI/,
      ],
      ["a missing action", without("action"), "$.action", /action undefined is missing or invalid/],
      [
        "a bad action",
        { ...base, action: "add" },
        "$.action",
        /action "add" is missing or invalid: use "ADD", "OBSERVE" or "DELETE"/,
      ],
      [
        "a missing bizStep",
        without("bizStep"),
        "$.bizStep",
        /The event has no bizStep: the ledger records a step code/,
      ],
      [
        "an unknown bizStep",
        { ...base, bizStep: "picking" },
        "$.bizStep",
        /\$\.bizStep: bizStep "picking" is a CBV 2.0 step that cbec-trace does not record/,
      ],
      [
        "an unknown disposition",
        { ...base, disposition: "lost" },
        "$.disposition",
        /disposition "lost" is not a CBV 2.0 disposition/,
      ],
      [
        "a read point given as a string",
        { ...base, readPoint: `https://id.gs1.org/414/${GLN}` },
        "$.readPoint",
        /is not an object \{ "id": "<location URI>" \}/,
      ],
      [
        "a read point id that is not a URI",
        { ...base, readPoint: { id: GLN } },
        "$.readPoint.id",
        /"6901234000009" is missing or not an absolute URI/,
      ],
      ["an empty epcList", { ...base, epcList: [] }, "$.epcList", /\$\.epcList \[\] is not a non-empty array/],
      ["a repeated EPC", { ...base, epcList: [ITEM, ITEM] }, "$.epcList[1]", /is listed twice/],
      [
        "an EPC that is not a URI",
        { ...base, epcList: ["ABC"] },
        "$.epcList[0]",
        /"ABC" is missing or not an absolute URI/,
      ],
      [
        "ilmd without ADD",
        { ...base, action: "OBSERVE" },
        "$.ilmd",
        /ilmd is only allowed with action ADD; this event's action is OBSERVE/,
      ],
      ["ilmd that is not an object", { ...base, ilmd: "lot" }, "$.ilmd", /is not an object of master data attributes/],
      [
        "a bizTransaction that is not a URI",
        { ...base, bizTransactionList: [{ bizTransaction: "PO 1" }] },
        "$.bizTransactionList[0].bizTransaction",
        /"PO 1" is missing or not an absolute URI/,
      ],
      [
        "an unknown compact bizTransaction type",
        { ...base, bizTransactionList: [{ type: "invoice", bizTransaction: "urn:x:1" }] },
        "$.bizTransactionList[0].type",
        /Business transaction type "invoice" is not known/,
      ],
      [
        "a bad source type",
        { ...base, sourceList: [{ type: "owner", source: "urn:x:1" }] },
        "$.sourceList[0].type",
        /sourceList type "owner" is neither a CBV source\/destination type/,
      ],
      [
        "a destination without id",
        { ...base, destinationList: [{ type: "location" }] },
        "$.destinationList[0].destination",
        /is missing or not an absolute URI/,
      ],
      [
        "an aggregation without parent",
        { ...JSON.parse(JSON.stringify(packed)), parentID: undefined },
        "$.parentID",
        /The AggregationEvent has no parentID/,
      ],
      [
        "an aggregation without children",
        { ...JSON.parse(JSON.stringify(packed)), childEPCs: [] },
        "$.childEPCs",
        /is not a non-empty array/,
      ],
      [
        "a transaction without documents",
        { ...JSON.parse(JSON.stringify(declared)), bizTransactionList: undefined },
        "$.bizTransactionList",
        /A TransactionEvent needs a non-empty bizTransactionList/,
      ],
      [
        "a transaction with an empty document list",
        { ...JSON.parse(JSON.stringify(declared)), bizTransactionList: [] },
        "$.bizTransactionList",
        /\[\] is not a non-empty array/,
      ],
      [
        "a transaction naming no objects",
        { ...JSON.parse(JSON.stringify(declared)), parentID: undefined, epcList: [] },
        "$.epcList",
        /The TransactionEvent names no objects/,
      ],
      [
        "a value JSON cannot hold",
        { ...base, "cbectrace:weight": Infinity },
        "$.cbectrace:weight",
        /Infinity is not a finite number/,
      ],
    ];
    for (const [what, input, path, pattern] of cases) {
      it(`refuses ${what}`, () => refuses(() => parseEpcisEvent(input), path, pattern));
    }
  });

  describe("parseEpcisDocument", () => {
    const doc = epcisDocument([commissioned, packed, declared], { creationDate: new Date(0), sender: GLN });

    it("round-trips an exported document", () => {
      expect(parseEpcisDocument(JSON.stringify(doc))).to.deep.equal(doc);
      const single = { ...doc, "@context": EPCIS_CONTEXT_URL };
      expect(parseEpcisDocument(single)["@context"]).to.deep.equal([EPCIS_CONTEXT_URL]);
    });

    it("refuses documents that are not EPCIS 2.0 or hold invalid events", () => {
      refuses(() => parseEpcisDocument([]), "$", /is not an EPCIS document/);
      refuses(
        () => parseEpcisDocument({ ...doc, type: "EPCISQueryDocument" }),
        "$.type",
        /"EPCISQueryDocument" is not "EPCISDocument"/,
      );
      refuses(() => parseEpcisDocument({ ...doc, schemaVersion: "1.2" }), "$.schemaVersion", /"1.2" is not "2.0"/);
      refuses(() => parseEpcisDocument({ ...doc, "@context": undefined }), "$.@context", /has no @context/);
      refuses(
        () => parseEpcisDocument({ ...doc, creationDate: 0 }),
        "$.creationDate",
        /is missing or not an ISO 8601 string/,
      );
      refuses(() => parseEpcisDocument({ ...doc, epcisBody: {} }), "$.epcisBody.eventList", /is not an array/);
      refuses(
        () => parseEpcisDocument({ ...doc, epcisBody: { eventList: [commissioned, { ...declared, action: "LINK" }] } }),
        "$.epcisBody.eventList[1].action",
        /action "LINK" is missing or invalid/,
      );
    });
  });
});
