/**
 * One comparable key per identifier, so a query naming a unit by its EPC URN (`urn:epc:id:sgtin:…`) finds
 * the events that name it by its GS1 Digital Link URI (`https://id.gs1.org/01/…/21/…`) and the other way
 * round. The key is the Digital Link path of the identity without host, query and non-identifying
 * qualifiers: an SGTIN is GTIN + serial (the lot in `/10/` is an attribute of the item, not part of its
 * EPC), an SSCC its 18 digits, a GINC its reference, a location GLN (+ extension). Class identifiers
 * (`urn:epc:class:lgtin:…`, `/01/…/10/…`) and patterns (`urn:epc:idpat:sgtin:CP.IR.*`) give class keys
 * and key prefixes. Anything else (an unknown URN, a URL that is not a Digital Link) is its own key.
 * Browser-safe.
 */
import { gs1CheckDigit } from "../../gs1/checkDigit";

/** How a query value matches stored keys: equal to `key`, or (a pattern) starting with `prefix`. */
export type KeyMatch = { key: string } | { prefix: string };

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The GS1 key of an EPC URN's company prefix and reference, with its check digit (GTIN-14, SSCC, GLN). */
function withCheckDigit(digits: string): string {
  return digits + gs1CheckDigit(digits);
}

/** `CP.IR` of an SGTIN/LGTIN → GTIN-14 (the indicator digit leads the item reference). */
function gtinOf(cp: string, ir: string): string | undefined {
  if (!/^\d+$/.test(cp) || !/^\d+$/.test(ir) || cp.length + ir.length !== 13) return undefined;
  return withCheckDigit(ir[0] + cp + ir.slice(1));
}

/** The key of a GS1 Digital Link URI (any host), or undefined when the URI is not one. */
function digitalLinkKey(uri: string): string | undefined {
  const m = /^https?:\/\/[^/?#]+((?:\/[^/?#]+)+)\/?(?:[?#].*)?$/.exec(uri);
  if (!m) return undefined;
  const parts = m[1].slice(1).split("/").map(decode);
  if (parts.length % 2 !== 0) return undefined;
  const pairs = new Map<string, string>();
  for (let i = 0; i < parts.length; i += 2) pairs.set(parts[i], parts[i + 1]);
  const first = parts[0];
  if (first === "01") {
    const gtin = pairs.get("01")!.padStart(14, "0");
    if (pairs.has("21")) return `01/${gtin}/21/${pairs.get("21")}`;
    if (pairs.has("10")) return `01/${gtin}/10/${pairs.get("10")}`;
    return `01/${gtin}`;
  }
  if (first === "414") {
    const ext = pairs.get("254");
    return ext && ext !== "0" ? `414/${pairs.get("414")}/254/${ext}` : `414/${pairs.get("414")}`;
  }
  if (/^\d{2,4}$/.test(first)) return `${first}/${pairs.get(first)}`;
  return undefined;
}

/** The key of an EPC URN (pure identity, class or pattern), or undefined when it is not one we map. */
function epcUrnMatch(urn: string): KeyMatch | undefined {
  const m = /^urn:epc:(id|class|idpat):([a-z]+):(.+)$/i.exec(urn);
  if (!m) return undefined;
  const [, kind, scheme, rest] = m;
  const fields = rest.split(".").map(decode);
  const k = kind.toLowerCase();
  const s = scheme.toLowerCase();
  if (s === "sgtin" && fields.length === 3) {
    const gtin = gtinOf(fields[0], fields[1]);
    if (!gtin) return undefined;
    if (k === "idpat" && fields[2] === "*") return { prefix: `01/${gtin}/21/` };
    return k === "id" ? { key: `01/${gtin}/21/${fields[2]}` } : undefined;
  }
  if (s === "lgtin" && k === "class" && fields.length === 3) {
    const gtin = gtinOf(fields[0], fields[1]);
    return gtin ? { key: `01/${gtin}/10/${fields[2]}` } : undefined;
  }
  if (s === "sscc" && k === "id" && fields.length === 2 && /^\d+$/.test(fields[0] + fields[1])) {
    if (fields[0].length + fields[1].length !== 17) return undefined;
    return { key: `00/${withCheckDigit(fields[1][0] + fields[0] + fields[1].slice(1))}` };
  }
  if (s === "ginc" && k === "id" && fields.length === 2) return { key: `401/${fields[0]}${fields[1]}` };
  if (s === "sgln" && k === "id" && fields.length === 3 && fields[0].length + fields[1].length === 12) {
    const gln = withCheckDigit(fields[0] + fields[1]);
    return { key: fields[2] && fields[2] !== "0" ? `414/${gln}/254/${fields[2]}` : `414/${gln}` };
  }
  return undefined;
}

/**
 * The stored key of an identifier named in an event (an EPC, parentID, epcClass, read point, business
 * location).
 */
export function epcKey(uri: string): string {
  const urn = epcUrnMatch(uri);
  if (urn && "key" in urn) return urn.key;
  return digitalLinkKey(uri) ?? uri;
}

/** How a query parameter value matches the stored keys (a pattern matches by prefix). */
export function epcMatch(uri: string): KeyMatch {
  return epcUrnMatch(uri) ?? { key: digitalLinkKey(uri) ?? uri };
}
