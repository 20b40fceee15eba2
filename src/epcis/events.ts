/**
 * Event builders: typed inputs → EPCIS 2.0 JSON-LD event objects, validated, with vocabulary values written
 * as full URIs. Events carry no `@context` (that belongs to the document, see `document.ts`) and no
 * `eventID` (add one with `withEventId` from `hash.ts` once the event is final).
 *
 * @example
 * const declared = transactionEvent({
 *   step: "CUSTOMS_DECLARED",
 *   action: "ADD",
 *   eventTime: "2026-03-02T09:15:00+08:00",
 *   epcList: ["https://id.gs1.org/01/09521234543213/10/ABC123/21/12345"],
 *   bizTransactions: [{ type: "inventory", number: "531620260000012345" }],
 *   location: "5316",
 * });
 */
import { stepName, type StepName } from "../codes";
import { EpcisEventError, quote, rethrowAt } from "./errors";
import { ilmdFields, requireUri, timeFields, uriList, whyWhereFields, withExtensions } from "./eventFields";
import type { AggregationEventInput, ObjectEventInput, TransactionEventInput } from "./eventInputs";
import type { Action, AggregationEvent, ObjectEvent, TransactionEvent } from "./types";
import { stepCode } from "./vocabulary";

export { DEFAULT_TIME_ZONE_OFFSET } from "./eventFields";

const ACTIONS: readonly Action[] = ["ADD", "OBSERVE", "DELETE"];

/** Builds an ObjectEvent: commissioning, inspection, storage, shipping, customs statuses, delivery, destruction… */
export function objectEvent(input: ObjectEventInput): ObjectEvent {
  requireObject(input, "objectEvent");
  const step = requireStep(input.step, "step");
  const action = input.action ?? defaultObjectAction(step);
  checkAction(action, "action");
  const name = stepName(step)!;
  if (name === "PACKING" || name === "UNPACKING") {
    throw new EpcisEventError(
      "step",
      `step ${quote(input.step)} is an aggregation step: build packing and unpacking with aggregationEvent().`,
    );
  }
  const required = requiredAction(name);
  if (required !== undefined && action !== required) {
    throw new EpcisEventError(
      "action",
      `action ${quote(action)} does not fit step ${name}: EPCIS records ${name.toLowerCase()} with action ` +
        `${required}. Leave action out to get the default.`,
    );
  }
  const event: ObjectEvent = {
    type: "ObjectEvent",
    ...timeFields(input),
    epcList: uriList(input.epcList, "epcList"),
    action,
    ...whyWhereFields(input, step),
  };
  if (input.ilmd !== undefined) {
    if (action !== "ADD") {
      throw new EpcisEventError(
        "ilmd",
        `ilmd (lot master data) is only allowed with action ADD, i.e. when the objects are commissioned; this ` +
          `event's action is ${action}.`,
      );
    }
    event.ilmd = ilmdFields(input.ilmd);
  }
  return withExtensions(event, input.extensions);
}

/** Builds an AggregationEvent: packing children into a parent (ADD) or unpacking them (DELETE). */
export function aggregationEvent(input: AggregationEventInput): AggregationEvent {
  requireObject(input, "aggregationEvent");
  if (input.action !== "ADD" && input.action !== "DELETE") {
    throw new EpcisEventError(
      "action",
      `action ${quote(input.action)} is not valid for aggregationEvent: use "ADD" (packing) or "DELETE" (unpacking).`,
    );
  }
  const step = requireStep(input.step ?? (input.action === "ADD" ? "PACKING" : "UNPACKING"), "step");
  const parentID = requireUri(input.parentID, "parentID");
  const childEPCs = uriList(input.childEPCs, "childEPCs");
  if (childEPCs.includes(parentID)) {
    throw new EpcisEventError(
      "childEPCs",
      `childEPCs contains the parent ${quote(parentID)}: a unit cannot contain itself.`,
    );
  }
  const event: AggregationEvent = {
    type: "AggregationEvent",
    ...timeFields(input),
    parentID,
    childEPCs,
    action: input.action,
    ...whyWhereFields(input, step),
  };
  return withExtensions(event, input.extensions);
}

/** Builds a TransactionEvent: links objects to documents (order, inventory, declaration, release, summary…). */
export function transactionEvent(input: TransactionEventInput): TransactionEvent {
  requireObject(input, "transactionEvent");
  checkAction(input.action, "action");
  const step = requireStep(input.step, "step");
  if (input.epcList === undefined && input.parentID === undefined) {
    throw new EpcisEventError(
      "epcList",
      "transactionEvent needs epcList, parentID or both: name the objects the documents apply to.",
    );
  }
  if (!Array.isArray(input.bizTransactions) || input.bizTransactions.length === 0) {
    throw new EpcisEventError(
      "bizTransactions",
      `bizTransactions is ${quote(input.bizTransactions)}: a transactionEvent needs at least one document, e.g. ` +
        `[{ type: "inventory", number: "<invtNo>" }].`,
    );
  }
  const event: TransactionEvent = {
    type: "TransactionEvent",
    ...timeFields(input),
    ...(input.parentID !== undefined ? { parentID: requireUri(input.parentID, "parentID") } : {}),
    ...(input.epcList !== undefined ? { epcList: uriList(input.epcList, "epcList") } : {}),
    action: input.action,
    ...whyWhereFields(input, step),
  };
  return withExtensions(event, input.extensions);
}

// ---------------------------------------------------------------------------------------------------------
// Builder rules
// ---------------------------------------------------------------------------------------------------------

/** Asserts the builder got an input object. */
function requireObject(input: unknown, builder: string): void {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new EpcisEventError("input", `${builder}() needs an input object, got ${quote(input)}.`);
  }
}

/** The validated code of a required step. */
function requireStep(step: StepName | number | undefined, field: string): number {
  if (step === undefined) {
    throw new EpcisEventError(
      field,
      `${field} is missing: give the business step, e.g. "SHIPPING" or "CUSTOMS_RELEASED".`,
    );
  }
  return rethrowAt(EpcisEventError, field, () => stepCode(step));
}

/** ObjectEvent action when none is given. */
function defaultObjectAction(step: number): Action {
  return requiredAction(stepName(step)!) ?? "OBSERVE";
}

/** The only action EPCIS allows for a step, if it is restricted. */
function requiredAction(name: string): Action | undefined {
  if (name === "COMMISSIONING") return "ADD";
  if (name === "DECOMMISSIONING" || name === "DESTROYING") return "DELETE";
  return undefined;
}

/** Asserts an EPCIS action. */
function checkAction(action: unknown, field: string): asserts action is Action {
  if (!ACTIONS.includes(action as Action)) {
    throw new EpcisEventError(
      field,
      `${field} ${quote(action)} is not an EPCIS action: use "ADD", "OBSERVE" or "DELETE".`,
    );
  }
}
