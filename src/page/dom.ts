/** Building DOM for the browser scripts (verification page, explorer): text is always text, never HTML. */

export type Child = Node | string | null | undefined | false;

/** An element with attributes and children; strings are added as text nodes, never parsed as HTML. */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}
