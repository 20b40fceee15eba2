/**
 * The capture interface's validation: the packaged EPCIS 2.0 JSON Schema is GS1's file unchanged, every
 * conformance document of `shared/standards/epcis/capture/valid/` passes, every one of `…/invalid/` fails
 * with a message naming the JSON path of what is wrong, and the CBV rules the schema leaves out hold.
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkEpcisCapture, epcisIssues } from "../../../src/epcis/rest/validate";
import { EpcisRestError } from "../../../src/epcis/rest/problem";

const STANDARDS = resolve(__dirname, "../../../../shared/standards/epcis");
const CAPTURE = join(STANDARDS, "capture");
const read = (dir: string, file: string) => JSON.parse(readFileSync(join(CAPTURE, dir, file), "utf8"));

/** For each invalid conformance document, a path its refusal must name (what the document gets wrong). */
const INVALID_AT: Record<string, string> = {
  "Combination_of_events_with_missing_mandatory_fields.json": "$.epcisBody.eventList[0].action",
  "Combination_of_multiple_invalid_fields.json": "$.epcisBody.eventList[4].eventTime",
  "EPCISDocument_without_context.json": "$.@context",
  "ObjectEvent_with_ilmd_field_without_namespace.json": "$.epcisBody.eventList[0].ilmd.materialType",
  "ObjectEvent_with_invalid_certificationInfo.json": "$.epcisBody.eventList[0].certificationInfo",
  "ObjectEvent_with_invalid_eventTime_format.json": "$.epcisBody.eventList[0].eventTime",
  "ObjectEvent_with_non_standard_bizStep_in_second_event.json": "$.epcisBody.eventList[1].bizStep",
  "ObjectEvent_with_non_standard_disposition.json": "$.epcisBody.eventList[0].disposition",
  "ObjectEvent_with_unknown_field_in_quantityList.json": "$.epcisBody.eventList[0].quantityList[0].weight",
  "ObjectEvent_without_action_and_eventTime.json": "$.epcisBody.eventList[0].eventTime",
};

describe("epcis/rest: capture validation", () => {
  it("the packaged schema is byte-identical to the standards folder's EPCIS-JSON-Schema.json", () => {
    const packaged = readFileSync(resolve(__dirname, "../../../src/epcis/rest/schema/EPCIS-JSON-Schema.json"));
    expect(packaged.equals(readFileSync(join(STANDARDS, "EPCIS-JSON-Schema.json")))).to.equal(true);
  });

  it("every document in capture/valid/ passes", () => {
    const files = readdirSync(join(CAPTURE, "valid")).filter((f) => f.endsWith(".json"));
    expect(files.length).to.be.greaterThan(20);
    for (const file of files) expect(epcisIssues(read("valid", file)), file).to.deep.equal([]);
  });

  it("every document in capture/invalid/ fails, naming the path of what is wrong", () => {
    const files = readdirSync(join(CAPTURE, "invalid")).filter((f) => f.endsWith(".json"));
    expect(files.sort()).to.deep.equal(
      Object.keys(INVALID_AT).sort(),
      "a new invalid document needs its expected path",
    );
    for (const file of files) {
      const issues = epcisIssues(read("invalid", file));
      expect(
        issues.map((i) => i.path),
        file,
      ).to.include(INVALID_AT[file]);
      for (const i of issues)
        expect(i.message, `${file} ${i.path}`)
          .to.match(/\w{3,}/)
          .and.not.match(/must match "then"/);
      let thrown: unknown;
      try {
        checkEpcisCapture(read("invalid", file));
      } catch (e) {
        thrown = e;
      }
      expect(thrown, file).to.be.instanceOf(EpcisRestError);
      expect((thrown as EpcisRestError).exception).to.equal("ValidationException");
      expect((thrown as EpcisRestError).status).to.equal(400);
      expect((thrown as EpcisRestError).detail).to.contain(INVALID_AT[file]);
    }
  });

  const event = (fields: Record<string, unknown>) => ({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    type: "ObjectEvent",
    eventTime: "2026-11-20T09:00:00+08:00",
    eventTimeZoneOffset: "+08:00",
    epcList: ["https://id.gs1.org/01/09521234543213/21/1"],
    action: "OBSERVE",
    ...fields,
  });

  it("CBV rules: a CBV spelling of an unknown term is refused, a custom URI of another namespace is accepted", () => {
    expect(epcisIssues(event({ bizStep: "shipping", disposition: "in_transit" }))).to.deep.equal([]);
    expect(epcisIssues(event({ bizStep: "https://ref.gs1.org/cbv/BizStep-shipping" }))).to.deep.equal([]);
    expect(epcisIssues(event({ bizStep: "https://example.com/steps/boxing" }))).to.deep.equal([]);
    expect(epcisIssues(event({ bizStep: "urn:example:step:boxing" }))).to.deep.equal([]);
    const spelled = epcisIssues(event({ bizStep: "https://ref.gs1.org/cbv/BizStep-boxing" }));
    expect(spelled).to.have.length(1);
    expect(spelled[0].path).to.equal("$.bizStep");
    expect(spelled[0].message).to.contain("not a CBV 2.0 business step");
    const curie = epcisIssues(event({ disposition: "cbv:Disp-lost" }));
    expect(curie.map((i) => i.path)).to.deep.equal(["$.disposition"]);
    const persistent = epcisIssues(event({ persistentDisposition: { set: ["urn:epcglobal:cbv:disp:lost"] } }));
    expect(persistent.map((i) => i.path)).to.deep.equal(["$.persistentDisposition.set[0]"]);
  });

  it("ATTACK: a single event without @context, and a document of hundreds of bad fields, get at most 10 listed", () => {
    const { ["@context"]: _, ...bare } = event({});
    expect(epcisIssues(bare).map((i) => i.path)).to.include("$.@context");
    const doc = {
      "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2026-11-20T09:00:00+08:00",
      epcisBody: { eventList: Array.from({ length: 300 }, () => event({ bizStep: "boxing", action: "MAKE" })) },
    };
    let detail = "";
    try {
      checkEpcisCapture(doc);
    } catch (e) {
      detail = (e as EpcisRestError).detail;
    }
    expect(detail).to.match(/\d+ problem\(s\) \(and \d+ more\)/);
    expect(detail.split("$.epcisBody").length - 1).to.equal(10);
    expect(detail.length).to.be.lessThan(4000);
  });
});
