/**
 * HTML that cannot be injected into: every value interpolated into the {@link html} template is escaped
 * unless it is already {@link SafeHtml} (built by this template). Names, lots and serials come from the
 * chain, where anyone with a member key or a GS1 code chooses them, so nothing is ever concatenated raw.
 */

/** Markup built by {@link html} (or {@link trusted}): interpolated as is. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A value the template accepts: text (escaped), markup, or a list of them; null/undefined/false render nothing. */
export type HtmlValue = SafeHtml | string | number | bigint | null | undefined | false | HtmlValue[];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** The template tag: `html\`<a href="${url}">${name}</a>\`` escapes `url` and `name`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** Markup this module's callers wrote themselves (constant strings only). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>`, `&` and U+2028/U+2029 are written as
 * \u escapes, so no value can close the element or open a comment, and the text is still the same JSON.
 */
export function jsonForScript(value: unknown): SafeHtml {
  const json = JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null";
  return new SafeHtml(json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** A `<dl class="kv">` of label → value rows, leaving out rows without a value. */
export function definitionList(rows: Array<[string, HtmlValue]>): SafeHtml {
  return html`<dl class="kv">
    ${rows
      .filter(([, v]) => v)
      .map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd>${v}</dd>`,
      )}
  </dl>`;
}
