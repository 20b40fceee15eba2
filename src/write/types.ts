/**
 * Inputs of the write path, mirroring the contract's structs (`contracts/interfaces/ITraceLedger.sol`); the
 * one TypeScript name for each (typechain's `…Struct` types accept them).
 */
import type { Hex } from "viem";

/** One event (`ITraceLedger.TraceInput`). */
export interface TraceInput {
  unit: Hex;
  /** Step code (`STEPS`). */
  step: number;
  /** Disposition code (`DISPOSITIONS`), 0 for none. */
  disposition: number;
  /** Unix seconds (uint40). */
  eventTime: number;
  /** uint64: GLN or flagged short code, 0 for none (see `encodeLocation`). */
  location: bigint;
  /** SHA-256 of the off-chain record (`recordHash`). */
  recordHash: Hex;
}

/**
 * One unit to register, by its code: the writer sends the path's bytes and finds the prefix length on the
 * ledger (`ITraceLedger.Registration`); the ledger derives the key, `unitKeyOfPath(path)`.
 */
export interface RegistrationInput {
  /** The unit's canonical Digital Link path, `Gs1Identity.canonicalPath` (e.g. `/01/09521234543213/21/1`). */
  path: string;
  /** Unix seconds (uint40). */
  eventTime: number;
  /** uint64: GLN or flagged short code, 0 for none (see `encodeLocation`). */
  location: bigint;
  /** SHA-256 of the commissioning record (`recordHash`). */
  recordHash: Hex;
}

/**
 * The time, place and record of a custody entry (`handover`, `acceptHandover`): exactly the fields of the
 * entry's EPCIS record (`recordObjectEvent(…).input` is one), so the chain's event time is the record's.
 */
export type EntryInput = Pick<TraceInput, "eventTime" | "location" | "recordHash">;

/** The time and record of an assignment or correction, whose entries carry no location. */
export type TimedRecordInput = Pick<TraceInput, "eventTime" | "recordHash">;

/** A (un)packing on a parent (`ITraceLedger.Aggregation`). */
export interface AggregationInput {
  parent: Hex;
  eventTime: number;
  location: bigint;
  recordHash: Hex;
}

/**
 * One customs document to file (`ICustoms.CustomsDocumentInput`). Derive the hashes with the customs
 * identifiers (`documentNumberHash`, `orderRef`, `paymentTerms`, `shipmentTerms`); the ledger derives the
 * document's id from the filing organization (`documentId`).
 */
export interface CustomsDocumentInput {
  /** The shipment the document is about. */
  unit: Hex;
  /** Document kind (`CUSTOMS_DOCUMENT_KINDS`). */
  kind: number;
  numberHash: Hex;
  /** 0x00…00 where the document belongs to no order; required for ORDER and PAYMENT. */
  orderRef: Hex;
  /** ORDER: [paymentTerms, shipmentTerms]; PAYMENT: [paymentTerms, 0]; WAYBILL: [0, shipmentTerms]; else [0, 0]. */
  terms: readonly [Hex, Hex];
  /** DECLARATION: 9610, 9710, 9810 or 1210; else 0. */
  mode: number;
  /** DECLARATION: ids of the documents its mode needs; SUMMARY: ids of the declarations it sums; else []. */
  cites: Hex[];
  /** Unix seconds (uint40). */
  eventTime: number;
  /** uint64: GLN or flagged short code, 0 for none. */
  location: bigint;
  /** Hash of the full off-chain document record. */
  recordHash: Hex;
}
