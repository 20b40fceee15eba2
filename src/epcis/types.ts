/**
 * EPCIS 2.0 JSON-LD event shapes used by cbec-trace: ObjectEvent, AggregationEvent and TransactionEvent
 * (the types a trace unit's history needs). Field names and nesting follow the EPCIS 2.0 JSON schema;
 * vocabulary values are full URIs when built by this SDK (see `vocabulary.ts`).
 */

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** EPCIS event action. */
export type Action = "ADD" | "OBSERVE" | "DELETE";

/** The event types cbec-trace builds and accepts. */
export type EpcisEventType = "ObjectEvent" | "AggregationEvent" | "TransactionEvent";

/** One business transaction (document) reference: `type` is a BTT URI, `bizTransaction` the document URI. */
export interface BizTransaction {
  type?: string;
  bizTransaction: string;
}

/** One source of a transfer (`type`: owning_party, possessing_party or location, as a CBV SDT URI). */
export interface SourceEntry {
  type: string;
  source: string;
}

/** One destination of a transfer. */
export interface DestinationEntry {
  type: string;
  destination: string;
}

/** A read point or business location. */
export interface LocationRef {
  id: string;
}

/** Fields common to every event type. Extension fields are namespaced (`prefix:name`, e.g. `cbectrace:…`). */
export interface EpcisEventBase {
  "@context"?: JsonValue;
  eventID?: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime?: string;
  action: Action;
  bizStep?: string;
  disposition?: string;
  readPoint?: LocationRef;
  bizLocation?: LocationRef;
  bizTransactionList?: BizTransaction[];
  sourceList?: SourceEntry[];
  destinationList?: DestinationEntry[];
  errorDeclaration?: { [key: string]: JsonValue };
  certificationInfo?: JsonValue;
  sensorElementList?: JsonValue[];
  persistentDisposition?: { [key: string]: JsonValue };
  [extension: `${string}:${string}`]: JsonValue | undefined;
}

/** What happened to a list of objects: commissioning, observation, shipping, destruction… */
export interface ObjectEvent extends EpcisEventBase {
  type: "ObjectEvent";
  epcList: string[];
  quantityList?: JsonValue[];
  ilmd?: { [key: string]: JsonValue };
}

/** Packing (ADD) or unpacking (DELETE) children into or out of a parent (carton SSCC, pallet, consignment). */
export interface AggregationEvent extends EpcisEventBase {
  type: "AggregationEvent";
  parentID: string;
  childEPCs: string[];
  childQuantityList?: JsonValue[];
}

/** Links objects (or a parent and its contents) to business documents: order, declaration, release… */
export interface TransactionEvent extends EpcisEventBase {
  type: "TransactionEvent";
  parentID?: string;
  epcList?: string[];
  quantityList?: JsonValue[];
}

/** Any event cbec-trace builds or accepts. */
export type EpcisEvent = ObjectEvent | AggregationEvent | TransactionEvent;
