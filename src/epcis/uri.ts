/** URI helpers shared by the EPCIS modules: the one check of absolute URIs and lists of them. */
import { quote } from "./errors";

/** Namespace of this project's extension terms (bound to the `cbectrace:` prefix in the document context). */
export const CBEC_TRACE_NAMESPACE = "urn:cbec-trace:";

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\u0000-\u001f\u007f]+$/;

/** Whether `value` is an absolute URI (scheme, then at least one character, no whitespace or controls). */
export function isAbsoluteUri(value: unknown): value is string {
  return typeof value === "string" && ABSOLUTE_URI.test(value);
}

/** The rest of `value` after the first of `prefixes` it starts with, or undefined. */
export function stripPrefix(value: string, prefixes: readonly string[]): string | undefined {
  for (const p of prefixes) if (value.startsWith(p)) return value.slice(p.length);
  return undefined;
}

/** How a caller words and raises a URI refusal: the event builders and the document parser differ. */
export interface UriRefusal {
  /** The error to throw for the value at `at` (a field name or a JSON path). */
  error: (at: string, message: string) => Error;
  /** What is wrong with a value that is not an absolute URI, after `<at> <value>`. */
  notAUri: string;
  /** What is wrong with a URI listed a second time, after `<at>[i] <value>`. */
  twice: string;
}

/** The value, if it is an absolute URI. */
export function checkUri(value: unknown, at: string, refusal: UriRefusal): string {
  if (!isAbsoluteUri(value)) throw refusal.error(at, `${at} ${quote(value)} ${refusal.notAUri}.`);
  return value;
}

/** The values, if each is an absolute URI and none is listed twice. */
export function checkDistinctUris(list: readonly unknown[], at: string, refusal: UriRefusal): string[] {
  const seen = new Set<string>();
  return list.map((uri, i) => {
    const value = checkUri(uri, `${at}[${i}]`, refusal);
    if (seen.has(value)) throw refusal.error(`${at}[${i}]`, `${at}[${i}] ${quote(value)} ${refusal.twice}.`);
    seen.add(value);
    return value;
  });
}
