/**
 * A report's claim and tag in words (issue 17), for `trace verify` and anything else that prints a verdict as
 * text: the claim's date and stage, a claim before delivery, the tag and its last verified read, and what a
 * code offered with the verification says. Dates are UTC (the page shows the buyer's local ones). Pure.
 */
import { STAGES, TAG_KINDS } from "../generated/codes";
import type { AuthenticityFinding } from "./authenticity";

const utc = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC";
const stageName = (stage: number) => Object.entries(STAGES).find(([, v]) => v === stage)?.[0] ?? `stage ${stage}`;

const OFFERED: Record<NonNullable<AuthenticityFinding["offered"]>, { en: string; zh: string }> = {
  claimable: { en: "the code offered is this product's, unclaimed", zh: "所给认领码属于该商品，尚未认领" },
  "wrong-code": { en: "the code offered is not this product's", zh: "所给认领码不属于该商品" },
  "already-claimed": {
    en: "the code offered is this product's, already claimed",
    zh: "所给认领码属于该商品，已被认领",
  },
  "no-commitment": { en: "no claim code to check the code offered against", zh: "无可核验的认领码" },
};

/** The lines of a report's authenticity section (none without one). */
export function authenticityLines(a: AuthenticityFinding | undefined): { en: string; zh: string }[] {
  if (!a) return [];
  const lines: { en: string; zh: string }[] = [];
  const c = a.claim;
  if (c.claimed) {
    const early = c.beforeDelivery ? ", BEFORE DELIVERY" : "";
    lines.push({
      en: `first-scan claim: claimed by its buyer on ${utc(c.claimedAt)} (block ${c.claimBlock}, stage ${stageName(c.stage)}${early})`,
      zh: `首次扫码认领：已由买家于${utc(c.claimedAt)}认领${c.beforeDelivery ? "（交付前）" : ""}`,
    });
  } else if (c.committed) {
    lines.push({ en: "first-scan claim: not claimed yet", zh: "首次扫码认领：尚未认领" });
  } else {
    lines.push({
      en: "first-scan claim: none (the brand committed no claim code)",
      zh: "首次扫码认领：无（品牌未登记认领码）",
    });
  }
  if (a.offered) lines.push({ en: `  ${OFFERED[a.offered].en}`, zh: OFFERED[a.offered].zh });
  const t = a.tag;
  if (t.kind !== TAG_KINDS.NONE) {
    const what = t.kind === TAG_KINDS.SUN ? `NTAG 424 DNA UID ${t.id.slice(0, 16)}` : `chip ${t.id}`;
    lines.push(
      t.lastTapAt > 0
        ? {
            en: `NFC tag: ${what}, last verified read #${t.lastCounter} on ${utc(t.lastTapAt)}`,
            zh: `NFC标签：最近一次验证读取为第${t.lastCounter}次，时间${utc(t.lastTapAt)}`,
          }
        : { en: `NFC tag: ${what}, no read recorded yet`, zh: "NFC标签：尚无读取记录" },
    );
  }
  return lines;
}
