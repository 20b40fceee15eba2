/**
 * The unit page's script (bundled for browsers by scripts/build-explorer.ts): checks the inlined proof
 * bundle against the chain with `verifyWithBundle` and fills the verdict box. The bundle and the page are
 * the platform's, so neither is believed: the verdict is the one the chain's answers give (a lying or stale
 * bundle only costs round trips), and the box names the code it judged and the block it read at.
 * The endpoint is the page's (the content-security-policy allows no other); a buyer who trusts neither picks
 * their own on the verification page (`/?rpc=…`) or with `trace verify --rpc`.
 */
import type { Hex } from "viem";
import { verifyWithBundle } from "../bundle/verify";
import type { ProofBundle } from "../bundle/types";
import type { EpcisEvent } from "../epcis";
import { parseGs1 } from "../gs1";
import type { VerificationReport } from "../verify/types";
import { VERDICT_LABELS } from "../page/text";
import { h, type Child } from "../page/dom";

interface UnitPageConfig {
  code: string;
  key: Hex;
  rpcUrl: string;
  recordsUrl: string;
  ledger: { address: Hex; chainId: number; deploymentBlock: string; version?: string };
}

function json<T>(id: string): T | undefined {
  const text = document.getElementById(id)?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function fill(box: HTMLElement, verdict: string, ...children: Child[]) {
  box.className = `verdict verdict-${verdict}`;
  box.setAttribute("data-verdict", verdict);
  box.replaceChildren(...(children.filter(Boolean) as Array<Node | string>));
}

function show(box: HTMLElement, r: VerificationReport, rpcUrl: string) {
  const [en, zh] = VERDICT_LABELS[r.verdict];
  const icon = { authentic: "✔", warning: "⚠", fail: "✖" }[r.verdict];
  const how = r.stats.source === "bundle" ? "with the proof bundle" : "by walking the logs";
  fill(
    box,
    r.verdict,
    h("h2", {}, `${icon} ${en} · ${zh}`),
    r.reasons.length
      ? h(
          "ul",
          { class: "reasons" },
          ...r.reasons.map((x) => h("li", { "data-reason": x.code }, x.en, h("span", { class: "zh" }, x.zh))),
        )
      : h(
          "p",
          {},
          "Every entry is on chain, signed by an allowed member, and customs released the export. 全部记录在链、签名有效、海关已放行。",
        ),
    r.notices?.length
      ? h(
          "ul",
          { class: "notices" },
          ...r.notices.map((n) => h("li", { "data-notice": n.code }, n.en, h("span", { class: "zh" }, n.zh))),
        )
      : null,
    h(
      "p",
      { class: "at", "data-block": r.asOf ? String(r.asOf.blockNumber) : "" },
      `Checked against the chain at block ${r.asOf?.blockNumber ?? "?"} via ${rpcUrl}, ${how} (${r.stats.roundTrips ?? "?"} round trips, ${r.stats.milliseconds} ms). 已对照区块链第 ${r.asOf?.blockNumber ?? "?"} 块校验。`,
    ),
  );
}

async function main() {
  const box = document.getElementById("verdict");
  const config = json<UnitPageConfig>("trace-config");
  if (!box || !config) return;
  const bundle = json<ProofBundle | null>("trace-bundle") ?? undefined;
  // The page's own URL says which unit the buyer opened: a config naming another code is refused.
  const opened = /^\/explorer\/unit\/(0x[0-9a-fA-F]{64})$/.exec(location.pathname)?.[1]?.toLowerCase();
  let key: string | undefined;
  try {
    key = parseGs1(config.code).key.toLowerCase();
  } catch {
    key = undefined;
  }
  if (!key || key !== config.key.toLowerCase() || (opened && opened !== key)) {
    fill(
      box,
      "error",
      h("h2", {}, "No verdict · 无法校验"),
      h("p", {}, "The page's code is not the unit's. 页面编码与单元不符。"),
    );
    return;
  }
  const rpcUrl = config.rpcUrl;
  try {
    const report = await verifyWithBundle(config.code, bundle, {
      rpcUrl: new URL(rpcUrl, location.href).href,
      ledger: {
        address: config.ledger.address,
        chainId: config.ledger.chainId,
        deploymentBlock: BigInt(config.ledger.deploymentBlock),
        ...(config.ledger.version ? { version: config.ledger.version } : {}),
      },
      fetchRecord: async (hash) => {
        const res = await fetch(`${config.recordsUrl}${hash}.json`);
        return res.ok ? ((await res.json()) as EpcisEvent) : undefined;
      },
    });
    show(box, report, rpcUrl);
  } catch (error) {
    fill(
      box,
      "error",
      h("h2", {}, "The chain could not be read · 无法读取区块链"),
      h("p", {}, (error as Error).message.split("\n")[0]),
    );
  }
}

void main();
