/**
 * Customs document kinds and customs modes as the ledger numbers them: the contract's `CustomsDocuments` and
 * `CustomsModes` libraries are the authority, read through `src/generated/codes.ts` (genCodes).
 */
import { CUSTOMS_DOCUMENT_KINDS, CUSTOMS_MODES as GENERATED_MODES } from "../generated/codes";
import { DOCUMENT_KIND_NAMES, type CustomsMode, type DocumentKindName } from "../codes";

export { DOCUMENT_KIND_NAMES, type CustomsMode, type DocumentKindName };

const { MAX: _max, ...kinds } = CUSTOMS_DOCUMENT_KINDS;

/** `CustomsDocuments` codes: the `kind` of a `CustomsDocumentInput`. */
export const DOCUMENT_KINDS = kinds;

/** The customs supervision modes (监管方式) the ledger accepts: the number itself goes on chain. */
export const CUSTOMS_MODES: CustomsMode[] = Object.values(GENERATED_MODES);

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
