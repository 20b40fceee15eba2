/**
 * What each captured event becomes, decided once per job through the record path (`recordCapturedEvent`):
 *  - an ObjectEvent ADD with bizStep commissioning of units not registered yet → their registration;
 *  - another ObjectEvent on units → an entry on each unit (`record`), except one whose bizStep is a customs
 *    document's (order, payment, waybill, declaration, FX, refund…): the ledger takes those only as documents
 *    filed by their issuer, so such an event is kept off chain and the job says why;
 *  - an AggregationEvent ADD / DELETE → packing / unpacking of its children in its parent;
 *  - anything else — other event types (TransformationEvent, AssociationEvent, TransactionEvent), an
 *    OBSERVE aggregation, quantities instead of instances, identifiers that are not Digital Link URIs or EPC
 *    URNs of units, steps and locations the ledger has no code for — is kept off chain only, and the job
 *    says why. An event naming a unit the ledger has not registered stays a ledger write: the pre-flight
 *    reports the ledger's refusal.
 * The plan is stored with the job (JSON, bigints as strings), so a resumed job sends exactly what was planned.
 */
import type { Hex } from "viem";
import { STEPS, dedicatedDocumentKind } from "../codes";
import type { EpcisEvent } from "../epcis";
import { recordCapturedEvent } from "../records/recordEvent";
import type { RecordSink } from "../records/store";
import type { AggregationInput, RegistrationInput, TraceInput } from "../write/types";
import { unitOfIdentifier } from "./units";

export type PlanKind = "register" | "record" | "pack" | "unpack" | "offchain";

/** One event of a job and the ledger writes it stands for. */
export interface PlannedEvent {
  eventIndex: number;
  eventID: string;
  type: string;
  recordHash: Hex;
  kind: PlanKind;
  /** Why it is off chain only. */
  note?: string;
  /** The unit its anchor names (the first unit of the event, the parent of an aggregation). */
  anchorUnit?: Hex;
  registrations?: RegistrationInput[];
  records?: TraceInput[];
  aggregation?: AggregationInput;
  children?: Hex[];
}

/** The events of a job with their records kept in `sink`, planned in order. */
export async function planEvents(
  events: EpcisEvent[],
  sink: RecordSink,
  isRegistered: (unit: Hex) => Promise<boolean>,
): Promise<PlannedEvent[]> {
  const registeredHere = new Set<string>();
  const plan: PlannedEvent[] = [];
  for (const [eventIndex, event] of events.entries()) {
    const kept = recordCapturedEvent(sink, event);
    const base = { eventIndex, eventID: kept.record.eventID, type: String(event.type), recordHash: kept.recordHash };
    const offChain = (note: string): PlannedEvent => ({ ...base, kind: "offchain", note });
    if (event.type !== "ObjectEvent" && event.type !== "AggregationEvent") {
      plan.push(offChain(`the ledger holds ObjectEvents and AggregationEvents; a ${base.type} is kept off chain`));
      continue;
    }
    if ("offChain" in kept) {
      plan.push(offChain(`no ledger form: ${kept.offChain}`));
      continue;
    }
    const fields = kept.fields;
    const e = event as unknown as Record<string, unknown>;
    if (event.type === "ObjectEvent") {
      const ids = Array.isArray(e.epcList) ? (e.epcList as string[]) : [];
      if (ids.length === 0) {
        plan.push(offChain("it names no unit instance (epcList is empty; quantities are kept off chain)"));
        continue;
      }
      const units = ids.map((id) => unitOfIdentifier(id));
      const unknown = ids.find((_, i) => !units[i]);
      if (unknown !== undefined) {
        plan.push(offChain(`${JSON.stringify(unknown)} is not a GS1 Digital Link URI or EPC URN of a unit`));
        continue;
      }
      const document = dedicatedDocumentKind(fields.step);
      if (document !== undefined) {
        plan.push(
          offChain(
            `its bizStep is a customs document (${document}): the ledger takes it only as that document, filed by ` +
              "its issuing organization with its number and terms (fileDocument), not as an event",
          ),
        );
        continue;
      }
      const keys = units.map((u) => u!.key);
      const commissioning = event.action === "ADD" && fields.step === STEPS.COMMISSIONING;
      const fresh = commissioning
        ? (
            await Promise.all(keys.map(async (k) => !registeredHere.has(k.toLowerCase()) && !(await isRegistered(k))))
          ).every(Boolean)
        : false;
      if (fresh) {
        for (const k of keys) registeredHere.add(k.toLowerCase());
        const { eventTime, location, recordHash } = fields;
        plan.push({
          ...base,
          kind: "register",
          anchorUnit: keys[0],
          registrations: units.map((u) => ({ path: u!.path, eventTime, location, recordHash })),
        });
      } else {
        plan.push({ ...base, kind: "record", anchorUnit: keys[0], records: keys.map((unit) => ({ unit, ...fields })) });
      }
      continue;
    }
    if (event.action === "OBSERVE") {
      plan.push(
        offChain("the ledger holds packing (ADD) and unpacking (DELETE); an OBSERVE aggregation is kept off chain"),
      );
      continue;
    }
    const parent = typeof e.parentID === "string" ? unitOfIdentifier(e.parentID) : undefined;
    const childIds = Array.isArray(e.childEPCs) ? (e.childEPCs as string[]) : [];
    const children = childIds.map((id) => unitOfIdentifier(id));
    if (!parent || childIds.length === 0 || children.some((c) => !c)) {
      plan.push(offChain("its parent and children are not all GS1 Digital Link URIs or EPC URNs of units"));
      continue;
    }
    const { eventTime, location, recordHash } = fields;
    plan.push({
      ...base,
      kind: event.action === "ADD" ? "pack" : "unpack",
      anchorUnit: parent.key,
      aggregation: { parent: parent.key, eventTime, location, recordHash },
      children: children.map((c) => c!.key),
    });
  }
  return plan;
}

/** A plan as stored (bigint locations as decimal strings). */
export function planToJson(plan: PlannedEvent[]): string {
  return JSON.stringify(plan, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
}

/** A stored plan read back. */
export function planFromJson(text: string): PlannedEvent[] {
  return JSON.parse(text, (key, v) =>
    key === "location" && typeof v === "string" && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
  ) as PlannedEvent[];
}
