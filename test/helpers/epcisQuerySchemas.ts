/**
 * The EPCIS 2.0 JSON Schemas of `../shared/standards/epcis/`, compiled with ajv for the query interface's
 * tests: the main schema (an `EPCISQueryDocument` answer validates against it, as does every event in it)
 * and the query schema (a named query's definition). The query schema refers to the split files of the GS1
 * repository (`../JSON-Schema/schemas/*.json`); their definitions are the main schema's, which inlines them,
 * so the main schema is registered under each of those ids — plus `eventType` (the five event types), the
 * one definition the inlined copy lacks.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const DIR = resolve(__dirname, "../../../shared/standards/epcis");
const SPLIT = ["bizStep", "definitions", "disposition", "error-reason", "event-definitions", "measurement-type"];

export interface QuerySchemas {
  queryDocument: ValidateFunction;
  queryDefinition: ValidateFunction;
}

/** Compiles the schemas (a second or so: once per test file). */
export function querySchemas(): QuerySchemas {
  const main = JSON.parse(readFileSync(resolve(DIR, "EPCIS-JSON-Schema.json"), "utf8"));
  const query = JSON.parse(readFileSync(resolve(DIR, "EPCIS-Query-JSON-Schema-root.json"), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(main);
  for (const name of SPLIT) {
    const copy = structuredClone(main);
    copy.$id = `https://gs1.github.io/EPCIS/JSON-Schema/schemas/${name}-JSON-Schema.json`;
    copy.definitions.eventType = {
      type: "string",
      enum: ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"],
    };
    ajv.addSchema(copy);
  }
  return {
    queryDocument: ajv.compile({ $ref: `${main.$id}#/definitions/epcisQueryDocument` }),
    queryDefinition: ajv.compile(query),
  };
}
