/** The typed inputs of the event builders (`events.ts`); `eventFields.ts` builds their shared fields. */
import type { DispositionName, StepName } from "../codes";
import type { Action, JsonValue } from "./types";
import type { BizTransactionTypeName, SourceDestTypeName } from "./vocabulary";

/** A business document reference: a document number (turned into a URN) or a URI the document already has. */
export type BizTransactionInput =
  { type: BizTransactionTypeName; number: string; issuer?: string } | { type: BizTransactionTypeName; uri: string };

/**
 * A source or destination. `id` is, for `location`, a GLN, a short code or a URI; for `owning_party` /
 * `possessing_party`, a party GLN (→ `https://id.gs1.org/417/<GLN>`) or a URI.
 */
export interface SourceDestInput {
  type: SourceDestTypeName;
  id: string;
}

/** Namespaced extension fields (`cbectrace:returnStatus`, …) copied onto the event as they are. */
export type Extensions = { [key: `${string}:${string}`]: JsonValue };

/** Input fields common to every builder. */
export interface EventInputBase {
  /** When it happened: a `Date` or an ISO 8601 string with offset (`Z` or `±hh:mm`), at most millisecond precision. */
  eventTime: string | Date;
  /** The local offset where it happened; default `+08:00`. */
  eventTimeZoneOffset?: string;
  /** Optional disposition after the event (name from `DISPOSITIONS` or code). */
  disposition?: DispositionName | number;
  /** Where it happened (`readPoint`): a 13-digit GLN or a short code of ≤ 8 ASCII characters. */
  location?: string;
  /** Where the objects are afterwards (`bizLocation`), same forms as `location`. */
  bizLocation?: string;
  /** Business documents the event refers to. */
  bizTransactions?: BizTransactionInput[];
  /** Transfer sources. */
  sources?: SourceDestInput[];
  /** Transfer destinations. */
  destinations?: SourceDestInput[];
  /** Extension fields; keys must be namespaced (`prefix:name`). */
  extensions?: Extensions;
}

/** Lot master data for commissioning (EPCIS `ilmd`, CBV master data `cbvmda:` attributes). */
export interface IlmdInput {
  /** Lot / batch number (AI 10): 1–20 characters of GS1 character set 82 → `cbvmda:lotNumber`. */
  lot?: string;
  /** Production date `YYYY-MM-DD` → `cbvmda:productionDate`. */
  productionDate?: string;
  /** Expiry date `YYYY-MM-DD` → `cbvmda:itemExpirationDate`. */
  expiryDate?: string;
  /** ISO 3166-1 alpha-2 country of origin → `cbvmda:countryOfOrigin`. */
  countryOfOrigin?: string;
}

/** Input of `objectEvent`. */
export interface ObjectEventInput extends EventInputBase {
  /** The objects (GS1 Digital Link URIs or EPC URNs), at least one. */
  epcList: string[];
  /** The business step (name from `STEPS` or code). */
  step: StepName | number;
  /** Default: ADD for COMMISSIONING, DELETE for DECOMMISSIONING / DESTROYING, OBSERVE otherwise. */
  action?: Action;
  /** Lot master data; only with action ADD (commissioning). */
  ilmd?: IlmdInput;
}

/** Input of `aggregationEvent`. */
export interface AggregationEventInput extends EventInputBase {
  /** The parent (carton / pallet SSCC, consignment) URI. */
  parentID: string;
  /** The children packed in (ADD) or taken out (DELETE), at least one. */
  childEPCs: string[];
  /** ADD = packing, DELETE = unpacking. */
  action: "ADD" | "DELETE";
  /** Default PACKING for ADD, UNPACKING for DELETE. */
  step?: StepName | number;
}

/** Input of `transactionEvent`: `epcList`, `parentID` or both. */
export interface TransactionEventInput extends EventInputBase {
  epcList?: string[];
  parentID?: string;
  /** The documents linked (ADD), observed (OBSERVE) or unlinked (DELETE); at least one. */
  bizTransactions: BizTransactionInput[];
  action: Action;
  /** The business step (name from `STEPS` or code), e.g. CUSTOMS_DECLARED, ORDER_PLACED. */
  step: StepName | number;
}
