/**
 * Unit keys: the on-chain key of a trace unit is `keccak256` of the UTF-8 bytes of one canonical form of
 * its GS1 Digital Link path. Canonical form (design.md §3):
 *   - numeric AIs only, no domain, no query string, no trailing slash;
 *   - the primary key first: `/01/<GTIN-14>` (GTIN-8/12/13 left-padded with zeros), `/00/<SSCC>`,
 *     `/401/<GINC>` (consignment, e.g. a master waybill), `/414/<GLN>` (location, optional `/254/<extension>`);
 *   - GTIN qualifiers in the fixed order 22 (CPV) → 10 (lot) → 21 (serial), each only when present;
 *   - values exactly as in the element string (case-sensitive), percent-encoded as in a Digital Link URI
 *     (`encodeDlValue`: all but RFC 3986 unreserved characters, upper-case hex), so "/" in a lot or serial
 *     is "%2F" and the path is unambiguous. The canonical path is the Digital Link path of the unit.
 * Every component derives keys through {@link unitKeyOfPath} — the contracts only ever see the resulting bytes32.
 * The path builders below are the only producers of canonical paths; they validate every value first.
 *
 * Browser-safe: no Node-only APIs.
 */
import { keccak256, stringToBytes, type Hex } from "viem";
import { checkAiValue, GTIN_LENGTHS } from "./validate";
import { encodeDlValue } from "./encode";

export { gs1CheckDigit, hasValidCheckDigit } from "./checkDigit";

/** The keccak256 key of a canonical Digital Link path. The one place unit keys are derived. */
export function unitKeyOfPath(canonicalPath: string): Hex {
  return keccak256(stringToBytes(canonicalPath));
}

/** The canonical path of a trade item (GTIN with optional CPV, lot and serial). */
export function itemPath(item: { gtin: string; cpv?: string; lot?: string; serial?: string }): string {
  checkAiValue("01", item.gtin, { lengths: GTIN_LENGTHS });
  let path = `/01/${item.gtin.padStart(14, "0")}`;
  if (item.cpv !== undefined) {
    checkAiValue("22", item.cpv);
    path += `/22/${encodeDlValue(item.cpv)}`;
  }
  if (item.lot !== undefined) {
    checkAiValue("10", item.lot);
    path += `/10/${encodeDlValue(item.lot)}`;
  }
  if (item.serial !== undefined) {
    checkAiValue("21", item.serial);
    path += `/21/${encodeDlValue(item.serial)}`;
  }
  return path;
}

/** The canonical path of a logistic unit (SSCC-18: carton, pallet). */
export function ssccPath(sscc: string): string {
  checkAiValue("00", sscc);
  return `/00/${sscc}`;
}

/** The canonical path of a consignment (GINC, AI 401: e.g. the master waybill number). */
export function consignmentPath(ginc: string): string {
  checkAiValue("401", ginc);
  return `/401/${encodeDlValue(ginc)}`;
}

/** The canonical path of a physical location (GLN, AI 414), optionally with its extension component (AI 254). */
export function locationPath(gln: string, extension?: string): string {
  checkAiValue("414", gln);
  if (extension === undefined) return `/414/${gln}`;
  checkAiValue("254", extension);
  return `/414/${gln}/254/${encodeDlValue(extension)}`;
}
