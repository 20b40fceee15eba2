/**
 * JSON for a `<script type="application/json">` element of the page's HTML. The values come from a scanned
 * link (the code is whatever the QR or the URL says), so the text must not be able to end the element or
 * open a comment: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`, which `JSON.parse` reads back
 * unchanged. U+2028/U+2029 are escaped too, for any reader that evaluates the text as script.
 */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
