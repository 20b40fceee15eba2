/**
 * The GS1 layer of the cbec-trace SDK: AI table, validation, Digital Link URIs, element strings, plain fields,
 * all producing one {@link Gs1Identity} whose `key` is the unit's on-chain key.
 *
 * Browser-safe: no Node-only APIs.
 */
import { parseDigitalLink } from "./digitalLink";
import { parseElementString, GS } from "./elementString";
import { identityFromFields, type Gs1Fields, type Gs1Identity } from "./identity";

export * from "./ai";
export * from "./digitalLink";
export * from "./elementString";
export * from "./errors";
export * from "./identity";
export * from "./key";
export * from "./prefix";
export { checkAiValue, GTIN_LENGTHS } from "./validate";

/**
 * Any GS1 input to its validated identity: a Digital Link URI or path (`https://…/01/…`, `/01/…`), an element
 * string (`(01)…`, or raw as scanned: `]d2…`, `]Q3…`, `01…` with GS separators) or plain fields
 * (`{ gtin, lot?, serial?, cpv? }`, `{ sscc }`, `{ ginc }`, `{ gln, glnExtension? }`).
 *
 * @example parseGs1("https://example.com/01/9780345418913").canonicalPath // "/01/09780345418913"
 */
export function parseGs1(input: string | Gs1Fields): Gs1Identity {
  if (typeof input !== "string") return identityFromFields(input);
  const text = input.trim();
  if (text.startsWith("(") || text.startsWith("]") || text.includes(GS) || /^[0-9]/.test(text)) {
    return parseElementString(text);
  }
  return parseDigitalLink(text);
}
