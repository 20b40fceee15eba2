/**
 * The demo links `npm start` prints: each demo code's Digital Link on the platform's resolver, exactly what
 * its QR label encodes (`trace label` with TRACE_RESOLVER_URL), so opening one resolves the standard way:
 * a 307 to the verification page, or the resolver's 404 for the counterfeit.
 */
import { parseGs1 } from "../gs1";
import { labelUri } from "../qrLabels/uri";
import { DEMO_CODES } from "./journey";

/** One printed demo link. */
export interface DemoLink {
  /** What the code is, in English and Chinese, padded so the links line up when printed as `${label}${url}`. */
  label: string;
  url: string;
}

const SHOWN: ReadonlyArray<[keyof typeof DEMO_CODES, string]> = [
  ["authentic", "authentic 正品          "],
  ["recalled", "recalled 已召回          "],
  ["counterfeit", "counterfeit 假冒(未登记)  "],
  ["consignment", "the consignment 运单     "],
];

/**
 * The demo codes as links on `resolverUrl` (scheme and host: TRACE_RESOLVER_URL, or the page server's own
 * address).
 *
 * @example demoLinks("http://127.0.0.1:8080")[0].url // "http://127.0.0.1:8080/01/06901234567892/10/2026A01/21/SN0001"
 */
export function demoLinks(resolverUrl: string): DemoLink[] {
  return SHOWN.map(([code, label]) => ({
    label,
    url: labelUri(parseGs1(DEMO_CODES[code]), { domain: resolverUrl, attributes: false }),
  }));
}
