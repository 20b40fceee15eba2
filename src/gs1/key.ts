/**
 * Unit keys: the on-chain key of a trace unit is `keccak256` of the UTF-8 bytes of one canonical form of
 * its GS1 Digital Link path. Canonical form (design.md §3):
 *   - numeric AIs only, no domain, no query string, no trailing slash;
 *   - the primary key first: `/01/<GTIN-14>` (GTIN-8/12/13 left-padded with zeros), `/00/<SSCC-18>`,
 *     `/401/<GINC>` (consignment, e.g. a master waybill), `/414/<GLN>`;
 *   - GTIN qualifiers in the fixed order 22 (CPV) → 10 (lot) → 21 (serial), each only when present;
 *   - qualifier values exactly as encoded in the element string (case-sensitive), percent-decoded.
 * Every component derives keys through `unitKey` — the contracts only ever see the resulting bytes32.
 */
import { keccak256, stringToBytes, type Hex } from "viem";

/** GS1 mod-10 check digit of the digits before it. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a numeric key ends with its correct check digit. */
export function hasValidCheckDigit(key: string): boolean {
  return /^[0-9]{2,}$/.test(key) && gs1CheckDigit(key.slice(0, -1)) === Number(key[key.length - 1]);
}

/** The keccak256 key of a canonical Digital Link path. */
export function unitKeyOfPath(canonicalPath: string): Hex {
  return keccak256(stringToBytes(canonicalPath));
}

/** Thrown when a GS1 identifier is malformed; the message says what is wrong and what is expected. */
export class Gs1KeyError extends Error {
  override name = "Gs1KeyError" as const;
}

const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

function requireNumericKey(value: string, lengths: number[], label: string): void {
  if (!/^[0-9]+$/.test(value) || !lengths.includes(value.length)) {
    throw new Gs1KeyError(`${label} "${value}" must be ${lengths.join(", ")} digits.`);
  }
  if (!hasValidCheckDigit(value)) {
    const expected = gs1CheckDigit(value.slice(0, -1));
    throw new Gs1KeyError(
      `${label} "${value}" has a wrong check digit: expected ${expected}. Check the code for a typo.`,
    );
  }
}

function requireQualifier(value: string, max: number, label: string): void {
  if (value.length === 0 || value.length > max || !CSET82.test(value)) {
    throw new Gs1KeyError(`${label} "${value}" must be 1–${max} characters of GS1 character set 82.`);
  }
}

/** The canonical path of a trade item (GTIN with optional CPV, lot and serial). */
export function itemPath(item: { gtin: string; cpv?: string; lot?: string; serial?: string }): string {
  requireNumericKey(item.gtin, [8, 12, 13, 14], "GTIN");
  let path = `/01/${item.gtin.padStart(14, "0")}`;
  if (item.cpv !== undefined) {
    requireQualifier(item.cpv, 20, "CPV (AI 22)");
    path += `/22/${item.cpv}`;
  }
  if (item.lot !== undefined) {
    requireQualifier(item.lot, 20, "Lot (AI 10)");
    path += `/10/${item.lot}`;
  }
  if (item.serial !== undefined) {
    requireQualifier(item.serial, 20, "Serial (AI 21)");
    path += `/21/${item.serial}`;
  }
  return path;
}

/** The canonical path of a logistic unit (SSCC-18: carton, pallet). */
export function ssccPath(sscc: string): string {
  requireNumericKey(sscc, [18], "SSCC");
  return `/00/${sscc}`;
}

/** The canonical path of a consignment (GINC, AI 401: e.g. the master waybill number). */
export function consignmentPath(ginc: string): string {
  requireQualifier(ginc, 30, "GINC (AI 401)");
  return `/401/${ginc}`;
}
