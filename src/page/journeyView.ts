/**
 * The journey grouped by stage: each stage's own events first, then each stay in a carton or consignment
 * once ("via carton SSCC …"), each event with who, where, when (local time and offset) and in what state.
 * No keys or hashes: those are in the proofs.
 */
import type { StageGroup } from "../verify/buyerJourney";
import { eventCount } from "../verify/buyerJourney";
import type { EventFacts } from "../verify/eventFacts";
import { h } from "./dom";

function kind(f: EventFacts): string {
  const s = f.entry.stepName;
  if (!s) return "";
  if (s.startsWith("CUSTOMS_")) return "customs";
  if (["HOLD", "HOLD_LIFTED", "FLAGGED", "FLAG_LIFTED", "RECALL", "RECALL_LIFTED"].includes(s)) return "regulator";
  return "";
}

function eventItem(f: EventFacts): HTMLElement {
  const e = f.entry;
  const bits = [f.time.en, f.who, f.place && f.place.en !== f.who ? f.place.en : undefined, f.disposition?.en];
  const zh = [f.time.zh, f.place && f.place.zh !== f.who ? f.place.zh : undefined, f.disposition?.zh];
  return h(
    "li",
    {
      class: `event ${kind(f)}${e.corrected ? " corrected" : ""}`,
      "data-step": e.stepName ?? String(e.step),
      "data-seq": String(e.seq),
    },
    h("div", { class: "title" }, f.step.en, h("span", {}, f.step.zh)),
    h("div", { class: "meta" }, bits.filter(Boolean).join(" · ")),
    h("div", { class: "meta zh" }, zh.filter(Boolean).join(" · ")),
    e.corrected ? h("span", { class: "tag bad" }, "declared wrong later 已更正") : null,
    e.recordMatches === false || e.signatureValid === false
      ? h("span", { class: "tag bad" }, "check failed 校验失败")
      : null,
  );
}

export function journeyView(groups: StageGroup[]): HTMLElement | null {
  const n = eventCount(groups);
  if (!n) return null;
  return h(
    "section",
    { class: "card journey" },
    h("h3", {}, `Journey · ${n} events`, h("span", {}, "物流行程")),
    ...groups.map((g) =>
      h(
        "div",
        { class: "stage", "data-stage": g.stage },
        h("h4", {}, g.en, h("span", {}, g.zh)),
        ...g.stays.map((s) =>
          h(
            "div",
            { class: `stay${s.via ? " via" : ""}` },
            s.via
              ? h("div", { class: "via-label", "data-via": "" }, `Via ${s.via.en}`, h("span", {}, `随${s.via.zh}`))
              : null,
            h("ol", { class: "timeline" }, ...s.events.map(eventItem)),
          ),
        ),
      ),
    ),
  );
}
