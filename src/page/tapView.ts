/**
 * The NFC tag card (issue 17): what the brand's service said of the SUN message in the tapped URL, then what
 * the chain says of the tag (its last recorded read and when). The service's answer is its say-so; the
 * chain's counter is what a later copy of the same URL is checked against.
 */
import type { VerificationReport } from "../verify/types";
import type { UnitAuthenticity } from "../authenticity/read";
import { TAG_KINDS } from "../generated/codes";
import { localTime } from "../verify/localTime";
import { h } from "./dom";

/** What the brand's service answered for the tap in the URL. */
export type TapOutcome =
  | { kind: "verified"; counter: number }
  | { kind: "replayed"; counter?: number; lastCounter?: number }
  | { kind: "not-genuine" }
  | { kind: "no-tag" }
  | { kind: "unavailable"; en: string; zh: string };

const OUTCOME_TEXT: Record<TapOutcome["kind"], { tone: string; en: string; zh: string }> = {
  verified: { tone: "ok", en: "NFC tag verified", zh: "NFC标签验证通过" },
  replayed: {
    tone: "bad",
    en: "This tap link was already used — likely copied. A genuine tag writes a new link on every tap: tap the tag on the product again.",
    zh: "此触碰链接已被使用过 — 可能是复制的。正品标签每次触碰都会生成新链接：请再次触碰商品上的标签。",
  },
  "not-genuine": {
    tone: "bad",
    en: "Not a genuine tag: the brand's service could not verify this tap. Do not trust the product; ask the seller.",
    zh: "并非正品标签：品牌的验证服务无法验证此次触碰。请勿信任该商品，并向卖家核实。",
  },
  "no-tag": {
    tone: "warn",
    en: "The brand bound no NFC tag to this product, yet the link carries a tag's message: the tag is not this product's.",
    zh: "品牌未为该商品绑定NFC标签，但链接中带有标签信息：该标签不属于此商品。",
  },
  unavailable: { tone: "muted", en: "", zh: "" },
};

/**
 * The banner's line for a tap the brand's service refused (replayed, not genuine, another product's tag): the
 * verdict above stays the chain's, but a buyer must not read a green verdict and miss that the tap failed.
 */
export function tapCaution(outcome: TapOutcome | undefined): { en: string; zh: string } | undefined {
  if (!outcome || outcome.kind === "verified" || outcome.kind === "unavailable") return undefined;
  return {
    en: "But the NFC tap failed the brand's check (see below): the tag or its link may be copied.",
    zh: "但NFC触碰未通过品牌的核验（见下文）：标签或其链接可能是复制的。",
  };
}

/** The tag card: shown when the URL carried a tap or the unit has a tag bound. */
export function tapView(
  r: VerificationReport,
  outcome: TapOutcome | undefined,
  chainTag: UnitAuthenticity["tag"] | undefined,
): HTMLElement | null {
  const tag = chainTag ?? r.authenticity?.tag;
  if (!outcome && !(tag && tag.kind !== TAG_KINDS.NONE)) return null;
  const text = outcome ? OUTCOME_TEXT[outcome.kind] : undefined;
  const line =
    outcome?.kind === "verified"
      ? { en: `${text!.en} — read #${outcome.counter}`, zh: `${text!.zh} — 第${outcome.counter}次读取` }
      : outcome?.kind === "unavailable"
        ? { en: outcome.en, zh: outcome.zh }
        : text;
  const last = tag && tag.kind !== TAG_KINDS.NONE && tag.lastTapAt > 0 ? localTime(tag.lastTapAt) : undefined;
  return h(
    "section",
    { class: "card tap", "data-tap": outcome?.kind ?? "none" },
    h("h3", {}, "NFC tag ", h("span", {}, "NFC标签")),
    line
      ? h("p", { class: `tap-result note-${text!.tone}`, role: "status" }, line.en, h("span", { class: "zh" }, line.zh))
      : null,
    tag && tag.kind !== TAG_KINDS.NONE
      ? h(
          "p",
          { class: "tap-chain", "data-last-counter": String(tag.lastCounter) },
          last
            ? `On the chain: last verified read #${tag.lastCounter}, on ${last.en}.`
            : "On the chain: a tag is bound to this product; no read is recorded yet.",
          h(
            "span",
            { class: "zh" },
            last
              ? `链上记录：最近一次验证读取为第${tag.lastCounter}次，时间${last.zh}。`
              : "链上记录：该商品已绑定标签，尚无读取记录。",
          ),
        )
      : null,
  );
}
