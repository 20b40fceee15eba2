/**
 * What was scanned: a product (code, registrant, who owns the code), or a carton / consignment (its own
 * page type: what it holds, each line a link to that unit's own page).
 */
import type { Hex } from "viem";
import type { VerificationReport } from "../verify/types";
import type { Contents } from "../verify/contents";
import type { Gs1Identity } from "../gs1";
import { stageName } from "../codes";
import { ownershipLines } from "../verify/ownershipText";
import { unitWords } from "../verify/unitWords";
import { STAGE_LABELS } from "./text";
import { h } from "./dom";

function ownership(r: VerificationReport): HTMLElement | null {
  const lines = ownershipLines(r.ownership);
  if (!lines.length) return null;
  return h(
    "ul",
    { class: `ownership ${r.ownership?.status === "held" ? "ok" : "bad"}`, "data-ownership": r.ownership!.status },
    ...lines.map((l) => h("li", {}, l.en, h("span", { class: "zh" }, l.zh))),
  );
}

/** Whether the unit is a carton (SSCC) or a consignment (GINC) rather than a product. */
export function isContainer(r: VerificationReport): boolean {
  const kind = r.unit?.identity.kind;
  return kind === "logistic" || kind === "consignment";
}

/** The card of the unit; `packedIn` names the parents it is in now (by code, when a record named them). */
export function productCard(
  r: VerificationReport,
  contents: Contents,
  packedIn: Array<{ en: string; zh: string }>,
): HTMLElement | null {
  if (!r.unit || !r.state?.registered) return null;
  const id = r.unit.identity;
  const container = isContainer(r);
  const registrant = r.registrant
    ? `${r.registrant.name ?? `#${r.registrant.orgId}`}${r.registrant.country ? ` (${r.registrant.country})` : ""}`
    : undefined;
  const rows: Array<[string, string | undefined]> = [
    ["GTIN", id.gtin],
    ["Lot 批号", id.lot],
    ["Serial 序列号", id.serial],
    ["SSCC", id.sscc],
    ["Consignment 运单", id.ginc],
    ["Registered by 登记企业", registrant],
    [
      "Stage 当前状态",
      r.effectiveStage !== undefined ? STAGE_LABELS[stageName(r.effectiveStage)!].join(" · ") : undefined,
    ],
  ];
  const title = id.sscc ? ["Carton", "箱"] : id.ginc ? ["Consignment", "运单"] : ["Product", "商品"];
  return h(
    "section",
    { class: `card product${container ? " container" : ""}`, "data-unit-kind": container ? "container" : "product" },
    h("h3", {}, title[0], h("span", {}, title[1])),
    h(
      "dl",
      { class: "kv" },
      ...rows.filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v!)]),
      ...(packedIn.length
        ? [
            h("dt", {}, "Packed in 所在包装"),
            h(
              "dd",
              {},
              ...packedIn.map((p) => h("div", { "data-packed-in": "" }, p.en, h("span", { class: "zh" }, p.zh))),
            ),
          ]
        : []),
    ),
    container ? contentsView(contents) : null,
    ownership(r),
  );
}

/** The page of a unit: the verification page of its Digital Link path. */
const pageOf = (id: Gs1Identity) => `/verify${id.canonicalPath}`;

function contentsView(c: Contents): HTMLElement {
  return h(
    "div",
    { class: "contents", "data-contents": String(c.items.length) },
    h("h4", {}, `Contents · ${c.items.length}`, h("span", {}, "内含")),
    c.items.length
      ? h(
          "ul",
          {},
          ...c.items.map((i) =>
            h(
              "li",
              { "data-child": i.identity.key as Hex },
              h("a", { href: pageOf(i.identity) }, i.en),
              i.identity.kind === "item" || i.identity.kind === "lot" ? h("span", { class: "zh" }, "商品") : null,
            ),
          ),
        )
      : h("p", { class: "muted" }, "Nothing packed inside now. 现无内含物品。"),
    c.unreadEntries
      ? h(
          "p",
          { class: "warnline" },
          `${c.unreadEntries} packing record(s) were not available: the list may be incomplete. 部分装箱记录不可用，清单可能不完整。`,
        )
      : null,
  );
}

/** For a code the ledger does not know: the code itself, in words, so the buyer sees what was checked. */
export function codeCard(r: VerificationReport): HTMLElement | null {
  if (!r.unit) return null;
  const words = unitWords(r.unit.identity);
  return h(
    "section",
    { class: "card code", "data-code-checked": "" },
    h("h3", {}, "Code checked", h("span", {}, "查验的编码")),
    h("p", {}, words.en, h("span", { class: "zh" }, words.zh)),
  );
}
