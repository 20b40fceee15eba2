/**
 * Customs document kinds and customs modes as the ledger numbers them (the shared spec of issue 14, table
 * "Document kinds"). The contract's `CustomsDocuments` library is the authority: once `scripts/lib/genCodes.ts`
 * emits it into `src/generated/codes.ts`, this table must equal it (test/customs/kinds.test.ts compares them
 * as soon as the generated table exists) and should be replaced by a re-export of it.
 */

/** `CustomsDocuments` codes: the `kind` of a `CustomsDocumentInput`. */
export const DOCUMENT_KINDS = {
  ORDER: 1,
  PAYMENT: 2,
  WAYBILL: 3,
  BOOKING: 4,
  DECLARATION: 5,
  SUMMARY: 6,
  ZONE_ENTRY: 7,
  FX_SETTLEMENT: 8,
  TAX_REFUND: 9,
} as const;

export type DocumentKindName = keyof typeof DOCUMENT_KINDS;

/** Kind names in code order. */
export const DOCUMENT_KIND_NAMES = Object.keys(DOCUMENT_KINDS) as DocumentKindName[];

/** The customs supervision modes (监管方式) the ledger accepts: the number itself goes on chain. */
export const CUSTOMS_MODES = [9610, 9710, 9810, 1210] as const;

export type CustomsMode = (typeof CUSTOMS_MODES)[number];

/**
 * What a declaration must cite under each mode (spec rule 2): 9610 the three documents (三单), 9710 the order
 * and the logistics note, 9810 the overseas-warehouse booking and the logistics note, 1210 the zone entry.
 */
export const MODE_CITES: Readonly<Record<CustomsMode, readonly DocumentKindName[]>> = {
  9610: ["ORDER", "PAYMENT", "WAYBILL"],
  9710: ["ORDER", "WAYBILL"],
  9810: ["BOOKING", "WAYBILL"],
  1210: ["ZONE_ENTRY"],
};
