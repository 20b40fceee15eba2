/**
 * The platform's count of verifications of the unit (issue 17), labelled as the platform's say-so: it never
 * changes the chain-checked verdict. A suspicious pattern (a burst, far-apart regions within hours) is a
 * warning in both languages; a count that cannot be had is a quiet line.
 */
import type { PlatformAnswer, ScanCounts } from "./platformCalls";
import { localDate, localTime } from "../verify/localTime";
import { h } from "./dom";

const dateOf = (iso: string) => localDate(localTime(Math.floor(Date.parse(iso) / 1000)));

export function scansView(answer: PlatformAnswer<ScanCounts> | undefined): HTMLElement | null {
  if (!answer) return null;
  if (!answer.ok || typeof answer.body.count !== "number") {
    return h(
      "p",
      { class: "scans-unavailable", "data-scans": "unavailable" },
      "The platform's count of verifications is not available right now; the verdict above does not depend on it.",
      h("span", { class: "zh" }, "暂时无法获取平台的验证次数统计；上方结论不依赖于此。"),
    );
  }
  const s = answer.body;
  const first = s.first ? dateOf(s.first) : undefined;
  return h(
    "section",
    { class: "card scans", "data-scans": s.suspicious ? "suspicious" : "normal", "data-count": String(s.count) },
    h("h3", {}, "Verifications ", h("span", {}, "验证次数")),
    s.suspicious
      ? h(
          "p",
          { class: "scans-warning note-warn", "data-suspicious": s.suspicious.kind, role: "status" },
          `⚠ Suspicious scanning: ${s.suspicious.en}`,
          h("span", { class: "zh" }, `⚠ 扫码异常：${s.suspicious.zh}`),
        )
      : null,
    h(
      "p",
      { class: "scans-count" },
      first ? `Verified ${s.count} times, first on ${first.en}` : `Verified ${s.count} times`,
      h("span", { class: "zh" }, first ? `已验证${s.count}次，首次于${first.zh}` : `已验证${s.count}次`),
    ),
    s.regions.length
      ? h(
          "p",
          { class: "scans-regions" },
          `Where: ${s.regions.map((r) => `${r.region} ${r.count}`).join(" · ")}`,
          h("span", { class: "zh" }, `地区：${s.regions.map((r) => `${r.region} ${r.count}`).join(" · ")}`),
        )
      : null,
    h(
      "p",
      { class: "scans-source" },
      "Counted by the platform, not recorded on the chain.",
      h("span", { class: "zh" }, "由平台统计，并非链上记录。"),
    ),
  );
}
