/**
 * Where an event served or captured through the EPCIS interface is anchored on the ledger: the extension
 * field every query result and capture job carries (`null` for an event kept off chain only). Not part of
 * the record: a client removes it before checking the event's hash (docs/epcis-query.md).
 */

/** The extension field's name (prefix `cbectrace:` of the document context). */
export const ANCHOR_FIELD = "cbectrace:anchor";

/** The ledger entry an event is anchored at. */
export interface LedgerAnchor {
  chainId: number;
  /** The ledger contract's address. */
  ledger: string;
  transactionHash: string;
  blockNumber: number;
  /** The unit key whose entry holds the event's record hash. */
  unit: string;
  /** The entry's sequence number in the unit's history. */
  seq: number;
}
