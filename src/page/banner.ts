/**
 * The verdict as a buyer must read it first: green authentic, red recall (reason, date, authority, what to
 * do), amber hold (who holds it), red "not registered" with a way to report it, a neutral "check the code"
 * for a typo, and the verdict's reasons for anything else.
 */
import type { VerificationReport } from "../verify/types";
import type { Standing } from "../verify/standing";
import { VERDICT_LABELS } from "./text";
import { h, type Child } from "./dom";
import { reportLinks } from "./links";
import type { PageConfig } from "./config";
import { claimDate } from "./claimView";

/** The reasons besides the one the banner explains, and the notices. */
function reasonList(r: VerificationReport, except: string[]): HTMLElement | null {
  const reasons = r.reasons.filter((x) => !except.includes(x.code));
  if (!reasons.length) return null;
  return h(
    "ul",
    { class: "reasons" },
    ...reasons.map((x) => h("li", { "data-reason": x.code }, x.en, " ", h("span", { class: "zh" }, x.zh))),
  );
}

function notices(r: VerificationReport): HTMLElement | null {
  if (!r.notices?.length) return null;
  return h(
    "ul",
    { class: "notices" },
    ...r.notices.map((n) =>
      h(
        "li",
        { "data-notice": n.code },
        n.en,
        " ",
        h("span", { class: "zh" }, n.zh),
        n.detail ? h("span", { class: "detail mono" }, n.detail) : null,
      ),
    ),
  );
}

/** A line in both languages. */
const both = (en: string, zh: string, attrs: Record<string, string> = {}) =>
  h("p", attrs, en, h("span", { class: "zh" }, zh));

/**
 * A line the banner adds below its verdict: something the page learnt besides the chain (the brand's tag
 * service refusing the tap in the URL) that a buyer must not miss under a green verdict. It never changes the
 * verdict, which is the chain's.
 */
export interface BannerCaution {
  en: string;
  zh: string;
}

/** The banner of a standing. */
export function banner(r: VerificationReport, s: Standing, config: PageConfig, caution?: BannerCaution): HTMLElement {
  const box = (tone: string, icon: string, title: [string, string], ...body: Child[]) =>
    h(
      "section",
      {
        class: `banner tone-${tone} verdict-${r.verdict}`,
        "data-verdict": r.verdict,
        "data-standing": s.kind,
        role: "status",
      },
      h(
        "h2",
        {},
        h("span", { class: "icon", "aria-hidden": "true" }, icon),
        h("span", {}, title[0], h("span", { class: "zh" }, title[1])),
      ),
      ...body,
      caution ? both(`⚠ ${caution.en}`, caution.zh, { class: "caution", "data-caution": "" }) : null,
      notices(r),
    );
  switch (s.kind) {
    case "authentic":
      return box(
        "ok",
        "✔",
        [VERDICT_LABELS.authentic[0], VERDICT_LABELS.authentic[1]],
        both(
          "Every step below is recorded on the consortium ledger by the company that did it, and checked in your browser.",
          "以下每一环节均由经办企业记录在联盟链上，并已在您的浏览器中校验。",
          { class: "sub" },
        ),
      );
    case "recalled": {
      const a = s.action;
      return box(
        "bad",
        "✖",
        ["Recalled — do not use", "已召回 — 请勿使用"],
        a
          ? both(`Recalled by ${a.by} on ${a.date.en}.`, `${a.by}于${a.date.zh}发布召回。`, {
              class: "sub",
              "data-recall": "by",
            })
          : null,
        a?.reason
          ? both(`Reason: ${a.reason}`, `原因：${a.reason}`, { class: "sub", "data-recall": "reason" })
          : both("The recall's record gives no reason.", "召回记录未写明原因。", {
              class: "sub",
              "data-recall": "reason",
            }),
        both(`What to do: ${s.todo.en}`, `怎么办：${s.todo.zh}`, { class: "todo", "data-recall": "todo" }),
        hiddenReasons(r, ["RECALLED"]),
        reasonList(r, ["RECALLED"]),
      );
    }
    case "held": {
      const a = s.action;
      return box(
        "warn",
        "⚠",
        ["On hold", "扣留中"],
        a
          ? both(`Held by ${a.by} since ${a.date.en}.`, `自${a.date.zh}起由${a.by}扣留。`, {
              class: "sub",
              "data-hold": "by",
            })
          : both("Held by customs or a regulator.", "被海关或监管部门扣留。", { class: "sub", "data-hold": "by" }),
        a?.reason ? both(`Reason: ${a.reason}`, `原因：${a.reason}`, { class: "sub", "data-hold": "reason" }) : null,
        both(`What to do: ${s.todo.en}`, `怎么办：${s.todo.zh}`, { class: "todo" }),
        hiddenReasons(r, ["HELD"]),
        reasonList(r, ["HELD"]),
      );
    }
    case "counterfeit":
      return box(
        "bad",
        "✖",
        ["Not registered — possibly counterfeit", "未登记 — 可能是假冒商品"],
        both(
          "No company ever registered this code on the consortium ledger. Genuine products of its members are all registered.",
          "没有任何企业在联盟链上登记过此编码，而成员企业的正品均已登记。",
          { class: "sub" },
        ),
        both(
          "Check that you typed or scanned the whole code. If it is right, do not use the product and report it:",
          "请确认编码完整无误。如确认无误，请勿使用该商品并举报：",
          { class: "sub" },
        ),
        h(
          "ul",
          { class: "report" },
          ...reportLinks(config, r.input).map((l) =>
            h(
              "li",
              {},
              h("a", { href: l.href, "data-report": "", rel: "noopener", target: "_blank" }, l.en, " · ", l.zh),
            ),
          ),
        ),
        hiddenReasons(r, ["NOT_REGISTERED"]),
      );
    case "copied": {
      const date = claimDate(s.claimedAt);
      return box(
        "bad",
        "✖",
        ["Likely a copy", "可能是仿冒品"],
        both(
          `This code was already claimed on ${date.en} — the product in your hands is likely a copy.`,
          `此码已于${date.zh}被认领 — 您手中的商品可能是仿冒品。`,
          { class: "sub", "data-copy": "claimed-at" },
        ),
        both(
          "What to do: if you claimed it yourself on that date, all is well. If not, do not trust this product: report it to the seller or the platform you bought it on.",
          "怎么办：如果是您本人在该日期认领的，则无需担心；否则请勿信任该商品，并向卖家或购买平台举报。",
          { class: "todo" },
        ),
        hiddenReasons(r, ["CLAIM_CODE_COPIED"]),
        reasonList(r, ["CLAIM_CODE_COPIED"]),
      );
    }
    case "typo": {
      const p = s.problem;
      return box(
        "check",
        "?",
        ["Check the code", "请核对编码"],
        both(p.en, p.zh, { class: "sub", "data-problem": p.kind }),
        p.kind === "checkDigit" && p.correctedInput
          ? h(
              "p",
              {},
              h(
                "a",
                { href: `/?code=${encodeURIComponent(p.correctedInput)}`, "data-corrected": "" },
                `Verify ${p.what} ${p.corrected} instead · 改为验证 ${p.corrected}`,
              ),
            )
          : null,
        hiddenReasons(r, ["INVALID_CODE"]),
      );
    }
    default: {
      const [en, zh] = VERDICT_LABELS[r.verdict];
      return box(s.kind === "warning" ? "warn" : "bad", s.kind === "warning" ? "⚠" : "✖", [en, zh], reasonList(r, []));
    }
  }
}

/** The reasons the banner tells in its own words, kept as codes for programs (and tests) reading the page. */
function hiddenReasons(r: VerificationReport, explained: string[]): HTMLElement {
  return h(
    "span",
    { hidden: "" },
    ...r.reasons.filter((x) => explained.includes(x.code)).map((x) => h("span", { "data-reason": x.code })),
  );
}
