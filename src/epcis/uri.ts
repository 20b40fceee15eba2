/** URI helpers shared by the EPCIS modules. */

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
