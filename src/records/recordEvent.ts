/**
 * The record path: build the EPCIS 2.0 event, keep the full record off chain, derive the ledger input from
 * it. The CLI's write commands, `trace import`, the demo seeding and the EPCIS capture interface all write
 * through these functions, so every component stores the same record and anchors the same hash, computed
 * once per event.
 */
import type { Hex } from "viem";
import {
  aggregationEvent,
  objectEvent,
  recordHash,
  traceFields,
  withEventId,
  EpcisError,
  type AggregationEvent,
  type AggregationEventInput,
  type ObjectEvent,
  type EpcisEvent,
  type ObjectEventInput,
  type TraceFields,
} from "../epcis";
import type { AggregationInput, RegistrationInput, TraceInput } from "../write/types";
import type { RecordSink } from "./store";
import { parseGs1, toDigitalLink, type Gs1Identity } from "../gs1";

/** A unit as records name it: its on-chain key and the EPC (Digital Link URI) in its EPCIS records. */
export interface UnitRef {
  key: Hex;
  uri: string;
  /** Its canonical Digital Link path (`Gs1Identity.canonicalPath`): what a registration sends. */
  path: string;
}

/** The `UnitRef` of a code (Digital Link or element string): the one place a code becomes key, EPC and path. */
export function unitRefOf(code: string): UnitRef {
  return unitRefOfIdentity(parseGs1(code));
}

/** The `UnitRef` of a parsed GS1 identity. */
export function unitRefOfIdentity(identity: Gs1Identity): UnitRef {
  return {
    key: identity.key as Hex,
    uri: toDigitalLink(identity, { attributes: false }),
    path: identity.canonicalPath,
  };
}

/** An event kept in the record store, with its hash and the ledger fields it determines. */
export interface RecordedEvent<E extends EpcisEvent = EpcisEvent> {
  /** The stored record: the event with its `eventID` (`ni:///sha-256;…`) set from its hash. */
  record: E & { eventID: string };
  recordHash: Hex;
  fields: TraceFields;
}

/** Keeps an event in the sink and returns its hash and ledger fields. Refuses events the ledger cannot take. */
export function recordEvent<E extends EpcisEvent>(sink: RecordSink, event: E): RecordedEvent<E> {
  const hash = recordHash(event);
  const fields = traceFields(event, hash); // checks step, time and location before anything is stored
  const record = withEventId(event, hash);
  sink.put(hash, record);
  return { record, recordHash: hash, fields };
}

/** What an ObjectEvent on one unit needs besides the unit. */
export type UnitEventInput = Omit<ObjectEventInput, "epcList">;

/** Records an ObjectEvent on a unit; `input` is the `TraceInput` for `record` / `sign`. */
export function recordObjectEvent(
  sink: RecordSink,
  unit: UnitRef,
  event: UnitEventInput,
): RecordedEvent<ObjectEvent> & { input: TraceInput } {
  const recorded = recordEvent(sink, objectEvent({ ...event, epcList: [unit.uri] }));
  return { ...recorded, input: { unit: unit.key, ...recorded.fields } };
}

/** What a registration (commissioning) needs besides the unit; disposition defaults to ACTIVE. */
export type RegistrationEventInput = Omit<ObjectEventInput, "epcList" | "step" | "action">;

/** Records the commissioning event of a unit; `input` is the `Registration` for `register`. */
export function recordRegistration(
  sink: RecordSink,
  unit: UnitRef,
  event: RegistrationEventInput,
): RecordedEvent<ObjectEvent> & { input: RegistrationInput } {
  const recorded = recordEvent(
    sink,
    objectEvent({ ...event, disposition: event.disposition ?? "ACTIVE", step: "COMMISSIONING", epcList: [unit.uri] }),
  );
  const { eventTime, location, recordHash: hash } = recorded.fields;
  return { ...recorded, input: { path: unit.path, eventTime, location, recordHash: hash } };
}

/** What a packing or unpacking needs besides parent and children. */
export type AggregationRecordInput = Omit<AggregationEventInput, "parentID" | "childEPCs">;

/** Records an AggregationEvent; `input` and `children` are the arguments of `pack` / `unpack`. */
export function recordAggregation(
  sink: RecordSink,
  parent: UnitRef,
  children: UnitRef[],
  event: AggregationRecordInput,
): RecordedEvent<AggregationEvent> & { input: AggregationInput; children: Hex[] } {
  const recorded = recordEvent(
    sink,
    aggregationEvent({ ...event, parentID: parent.uri, childEPCs: children.map((c) => c.uri) }),
  );
  const { eventTime, location, recordHash: hash } = recorded.fields;
  return {
    ...recorded,
    input: { parent: parent.key, eventTime, location, recordHash: hash },
    children: children.map((c) => c.key),
  };
}

/** A captured event as kept: with the ledger fields it determines, or why it has no ledger form. */
export type CapturedRecord = Omit<RecordedEvent, "fields"> & ({ fields: TraceFields } | { offChain: string });

/**
 * Keeps an event received by the EPCIS capture interface exactly as sent, except that a missing `eventID`
 * is filled in from its record hash (`ni:///sha-256;…?ver=cbec-trace-1`, as `recordEvent` sets it); an
 * `eventID` the sender gave is kept (the hash leaves it out, so either way the ledger anchors the same
 * hash). `fields` are its ledger fields, or `offChain` says why it has none (a step, time or location the
 * ledger cannot hold).
 */
export function recordCapturedEvent(sink: RecordSink, event: EpcisEvent): CapturedRecord {
  const hash = recordHash(event);
  const record = (event.eventID ? event : withEventId(event, hash)) as EpcisEvent & { eventID: string };
  sink.put(hash, record);
  try {
    return { record, recordHash: hash, fields: traceFields(event, hash) };
  } catch (error) {
    if (!(error instanceof EpcisError)) throw error;
    return { record, recordHash: hash, offChain: error.shortMessage };
  }
}
