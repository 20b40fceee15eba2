/**
 * Which ledger unit a captured event's identifier names: a GS1 Digital Link URI of an item, a logistic unit
 * (SSCC) or a consignment (GINC), or the EPC URN of the same (`urn:epc:id:sgtin:…`, `sscc`, `ginc`). Any
 * other identifier (a class-level GTIN, a location, a `urn:uuid:`, a company's own URI) names no unit: an
 * event about it is kept off chain only.
 */
import { gs1CheckDigit, parseGs1, type Gs1Identity } from "../gs1";
import type { UnitRef } from "../records/recordEvent";

const UNIT_KINDS: ReadonlySet<string> = new Set(["item", "lot", "logistic", "consignment"]);

/** The unit an identifier names, or undefined when it names none the ledger can hold. */
export function unitOfIdentifier(uri: string): UnitRef | undefined {
  let identity: Gs1Identity;
  try {
    identity = parseGs1(uri.startsWith("urn:epc:id:") ? (digitalLinkOfEpcUrn(uri) ?? "") : uri);
  } catch {
    return undefined;
  }
  if (!UNIT_KINDS.has(identity.kind)) return undefined;
  // Records keep the identifier as the sender wrote it (the hash covers it); the key is what the ledger uses.
  return { key: identity.key, uri, path: identity.canonicalPath };
}

/** `https://id.gs1.org/…` for an SGTIN, SSCC or GINC EPC URN (TDS 2.1 §6), or undefined for another URN. */
export function digitalLinkOfEpcUrn(urn: string): string | undefined {
  const m = /^urn:epc:id:(sgtin|sscc|ginc):(.+)$/.exec(urn);
  if (!m) return undefined;
  const parts = m[2].split(".");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return undefined;
    }
  };
  if (m[1] === "sgtin" && parts.length === 3) {
    const [prefix, indicatorItem, serial] = parts;
    if (!/^\d{6,12}$/.test(prefix) || !/^\d+$/.test(indicatorItem) || prefix.length + indicatorItem.length !== 13)
      return undefined;
    const body = indicatorItem[0] + prefix + indicatorItem.slice(1);
    const s = decode(serial);
    return s === undefined
      ? undefined
      : `https://id.gs1.org/01/${body}${gs1CheckDigit(body)}/21/${encodeURIComponent(s)}`;
  }
  if (m[1] === "sscc" && parts.length === 2) {
    const [prefix, extSerial] = parts;
    if (!/^\d{6,12}$/.test(prefix) || !/^\d+$/.test(extSerial) || prefix.length + extSerial.length !== 17)
      return undefined;
    const body = extSerial[0] + prefix + extSerial.slice(1);
    return `https://id.gs1.org/00/${body}${gs1CheckDigit(body)}`;
  }
  if (m[1] === "ginc" && parts.length === 2) {
    const [prefix, reference] = parts;
    const r = decode(reference);
    if (!/^\d{6,12}$/.test(prefix) || r === undefined) return undefined;
    return `https://id.gs1.org/401/${encodeURIComponent(prefix + r)}`;
  }
  return undefined;
}
