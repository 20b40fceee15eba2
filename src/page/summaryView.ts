/** The one-line summary on top of the page: where the product comes from, in both languages. */
import type { BuyerSummary } from "../verify/summary";
import { h } from "./dom";

export function summaryView(s: BuyerSummary | undefined): HTMLElement | null {
  if (!s) return null;
  return h(
    "section",
    { class: "card summary", "data-summary": "" },
    h(
      "p",
      { class: "line", lang: "en" },
      ...s.parts.flatMap((p, i) => [
        i ? " · " : "",
        h("span", { "data-part": p.kind }, i ? p.en : p.en.charAt(0).toUpperCase() + p.en.slice(1)),
      ]),
    ),
    h("p", { class: "line zh", lang: "zh-CN" }, s.zh),
  );
}
