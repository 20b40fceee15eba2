/**
 * The card "First-scan claim · 首次扫码认领" (issue 17): for an unclaimed unit with a commitment, the form to
 * enter the code inside the packaging; for a claimed one, the claim's date (and whether it came before
 * delivery) and a field to check the code in hand. What the card says of the claim is the chain's, read with
 * the verdict; the note under the form says what became of the last code entered.
 */
import type { VerificationReport } from "../verify/types";
import { localDate, localTime } from "../verify/localTime";
import { h } from "./dom";

/** What became of the last code entered (the platform's answer, or the browser's own check). */
export interface ClaimNote {
  /** A machine-readable name (`data-claim-note`), e.g. "claimed", "wrong-code", "relay-unavailable". */
  kind: string;
  tone: "ok" | "warn" | "bad" | "muted";
  en: string;
  zh: string;
}

/** "2 Dec 2026" / "2026年12月2日" of a block time. */
export const claimDate = (seconds: number) => localDate(localTime(seconds));

/** The claim card, or null when the registry was not read or the brand committed no code. */
export function claimView(
  r: VerificationReport,
  note: ClaimNote | undefined,
  onCode: (code: string) => void,
): HTMLElement | null {
  const a = r.authenticity;
  if (!a?.claim.committed) return null;
  const c = a.claim;
  const input = h("input", {
    id: "claim-code",
    name: "claim-code",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    placeholder: "XXXXX-XXXXX-XXXXX-XXXXX",
    "aria-label": "Claim code · 认领码",
  }) as HTMLInputElement;
  const button = h("button", { type: "submit" }, c.claimed ? "Check · 核对" : "Claim · 认领");
  const form = h("form", { class: "claim-form", "data-claim-form": c.claimed ? "check" : "claim" }, input, button);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (input.value.trim()) onCode(input.value);
  });
  const date = c.claimed ? claimDate(c.claimedAt) : undefined;
  return h(
    "section",
    { class: "card claim", "data-claim": c.claimed ? "claimed" : "unclaimed" },
    h("h3", {}, "First-scan claim ", h("span", {}, "首次扫码认领")),
    date
      ? h(
          "p",
          { class: "claim-status", "data-claimed-at": String(c.claimedAt) },
          `Claimed by its buyer on ${date.en}`,
          h("span", { class: "zh" }, `已由买家于${date.zh}认领`),
        )
      : h(
          "p",
          { class: "claim-status" },
          "Not claimed yet. If you bought this product, enter the code printed inside the packaging: the first code entered claims it, and a copy of this label will then show as already claimed.",
          h(
            "span",
            { class: "zh" },
            "尚未认领。如果您购买了该商品，请输入包装内印制的认领码：首个输入的认领码即完成认领，此后仿冒的标签都会显示为已被认领。",
          ),
        ),
    c.beforeDelivery
      ? h(
          "p",
          { class: "claim-early", "data-claim-early": "" },
          "⚠ The claim was made before the product was delivered to its buyer.",
          h("span", { class: "zh" }, "⚠ 该认领发生在商品交付买家之前。"),
        )
      : null,
    h(
      "label",
      { for: "claim-code", class: "claim-label" },
      c.claimed ? "Check the code in your hands" : "Enter the code inside the packaging",
      h("span", { class: "zh" }, c.claimed ? "核对您手中的认领码" : "请输入包装内的认领码"),
    ),
    form,
    note
      ? h(
          "p",
          { class: `claim-note note-${note.tone}`, "data-claim-note": note.kind, role: "status" },
          note.en,
          h("span", { class: "zh" }, note.zh),
        )
      : null,
  );
}
