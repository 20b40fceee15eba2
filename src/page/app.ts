/**
 * The verification page: reads the code from the URL (/verify followed by a scanned Digital Link path such as
 * /01/<gtin>/10/<lot>/21/<serial>, where the resolver redirects a scan; or ?code=…), runs the SDK's verdict
 * engine in the browser against the JSON-RPC endpoint named in the platform's settings (by default the platform's read-only gateway on this
 * origin), and renders the verdict, the product and the journey. The server supplies the files, the
 * settings and the proof bundle (both inlined in the HTML of a scanned link, else /manifest.json and
 * /bundle?code=) and the off-chain records; the bundle only says which requests to send in one batch, so
 * every check still happens here, against the chain.
 */
import type { Hex } from "viem";
import { verifyWithBundle } from "../bundle/verify";
import { BUNDLE_REJECTIONS, type ProofBundle } from "../bundle/types";
import type { VerificationReport, VerifiedEntry } from "../verify/types";
import { locationText, type EpcisEvent } from "../epcis";
import { digitalLinkPathOf } from "../resolver/verifyPath";
import { stageName, dispositionName, type StepName } from "../codes";
import { STEP_LABELS, STAGE_LABELS, VERDICT_LABELS } from "./text";
import { ownershipLines } from "../verify/ownershipText";
import { h } from "./dom";

interface PageConfig {
  chainId: number;
  rpcUrl: string;
  ledger: { address: Hex; deploymentBlock: number; version: string };
}

const app = document.getElementById("app")!;
const footer = document.getElementById("footer")!;

/** The code to verify: ?code=, or the Digital Link path after /verify (where the resolver sends a scan). */
function codeFromLocation(): string | undefined {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  if (code) return code;
  const path = digitalLinkPathOf(location.pathname);
  if (path !== undefined) {
    // The page's own parameters are not part of the product's Digital Link.
    for (const own of ["rpc", "ledger", "chain"]) params.delete(own);
    const query = params.toString();
    return location.origin + path + (query ? `?${query}` : "");
  }
  return undefined;
}

function time(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

function banner(r: VerificationReport): HTMLElement {
  const [en, zh] = VERDICT_LABELS[r.verdict];
  const icon = { authentic: "✔", warning: "⚠", fail: "✖" }[r.verdict];
  return h(
    "section",
    { class: `banner verdict-${r.verdict}`, "data-verdict": r.verdict, role: "status" },
    h("h2", {}, h("span", { class: "icon", "aria-hidden": "true" }, icon), `${en} · ${zh}`),
    r.reasons.length
      ? h(
          "ul",
          {},
          ...r.reasons.map((x) => h("li", { "data-reason": x.code }, x.en, " ", h("span", { class: "zh" }, x.zh))),
        )
      : h(
          "div",
          { class: "sub" },
          "Every event is on chain, signed by an allowed member, and customs released the export. 全部记录在链、签名有效、海关已放行。",
        ),
    // Notices leave the verdict as it is: facts a buyer should still see (a key the consortium admin added).
    r.notices?.length
      ? h(
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
        )
      : null,
  );
}

function productCard(r: VerificationReport): HTMLElement | null {
  if (!r.unit) return null;
  const id = r.unit.identity;
  const s = r.state;
  const rows: Array<[string, string | undefined]> = [
    ["GTIN", id.gtin],
    ["Lot 批号", id.lot],
    ["Serial 序列号", id.serial],
    ["SSCC", id.sscc],
    ["Consignment 运单", id.ginc],
    ["Link 链接", r.unit.uri],
    [
      "Registered by 登记企业",
      r.registrant
        ? `${r.registrant.name ?? `#${r.registrant.orgId}`}${r.registrant.country ? ` (${r.registrant.country})` : ""}`
        : undefined,
    ],
    ["Credit code 信用代码", r.registrant?.creditCode],
    [
      "Stage 当前状态",
      s?.registered && r.effectiveStage !== undefined
        ? STAGE_LABELS[stageName(r.effectiveStage)!].join(" · ")
        : undefined,
    ],
    ["Packed in 所在包装", r.parents.length ? `${r.parents.length} level(s)` : undefined],
  ];
  return h(
    "section",
    { class: "card product" },
    h("h3", {}, "Product", h("span", {}, "商品")),
    h("dl", { class: "kv" }, ...rows.filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v!)])),
    ownership(r),
  );
}

/** Who owns the code: "GTIN licensed to <org>", and the holder's authorization when a manufacturer registered it. */
function ownership(r: VerificationReport): HTMLElement | null {
  const lines = ownershipLines(r.ownership);
  if (!lines.length) return null;
  return h(
    "ul",
    { class: `ownership ${r.ownership?.status === "held" ? "ok" : "bad"}`, "data-ownership": r.ownership!.status },
    ...lines.map((l) => h("li", {}, l.en, h("span", { class: "zh" }, l.zh))),
  );
}

function kind(step: StepName | undefined): string {
  if (!step) return "";
  if (step.startsWith("CUSTOMS_")) return "customs";
  if (["HOLD", "HOLD_LIFTED", "FLAGGED", "FLAG_LIFTED", "RECALL", "RECALL_LIFTED"].includes(step)) return "regulator";
  return "";
}

function eventItem(e: VerifiedEntry): HTMLElement {
  const [en, zh] = e.stepName ? STEP_LABELS[e.stepName] : [`Step ${e.step}`, ""];
  const who = e.organization?.name ?? `Organization #${e.org}`;
  const where = locationText(e.location);
  const disposition = dispositionName(e.disposition);
  const proofs: Array<[string, string]> = [
    ["Block 区块", `${e.blockNumber}${e.blockTime ? ` · ${time(e.blockTime)}` : ""}`],
    ["Transaction 交易", e.transactionHash],
    ["Signer 签名账户", `${e.account}${e.signedVia === "eip712" ? " (EIP-712, relayed)" : ""}`],
    [
      "Signature 签名",
      e.signatureValid === undefined ? "not checked" : e.signatureValid ? "valid 有效" : "INVALID 无效",
    ],
    [
      "Record 链下记录",
      e.recordMatches === null
        ? "not available 不可用"
        : e.recordMatches
          ? "matches on-chain hash 与链上哈希一致"
          : "DOES NOT MATCH 不一致",
    ],
    ["Record hash", e.data],
    ["Entry 序号", `#${e.seq}${e.inheritedFrom ? ` of parent ${e.inheritedFrom.slice(0, 10)}…` : ""}`],
  ];
  return h(
    "li",
    { class: `event ${kind(e.stepName)}${e.corrected ? " corrected" : ""}`, "data-step": e.stepName ?? String(e.step) },
    h("div", { class: "title" }, en, h("span", {}, zh)),
    h(
      "div",
      { class: "meta" },
      `${time(e.eventTime)} · ${who}${where ? ` · ${where}` : ""}${disposition ? ` · ${disposition.toLowerCase()}` : ""}`,
      e.inheritedFrom ? h("span", { class: "tag" }, "via carton/consignment 随包装") : null,
      e.corrected ? h("span", { class: "tag bad" }, "corrected 已更正") : null,
      e.recordMatches === false || e.signatureValid === false
        ? h("span", { class: "tag bad" }, "check failed 校验失败")
        : null,
    ),
    h(
      "details",
      { class: "proof" },
      h("summary", {}, "Proofs 证明"),
      h("dl", { class: "kv mono" }, ...proofs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    ),
  );
}

function journey(r: VerificationReport): HTMLElement | null {
  if (!r.entries.length) return null;
  const shown = r.entries.filter((e) => e.stepName !== "ASSIGNED");
  return h(
    "section",
    { class: "card journey" },
    h("h3", {}, `Journey · ${shown.length} events`, h("span", {}, "物流行程")),
    h("ol", { class: "timeline" }, ...shown.map(eventItem)),
  );
}

type BundleStats = VerificationReport["stats"];

/** How the verdict was checked: the block, the sequential round trips, and what became of the bundle. */
function howChecked(stats: BundleStats): string {
  const trips =
    stats.roundTrips === undefined ? "" : ` in ${stats.roundTrips} round trip${stats.roundTrips === 1 ? "" : "s"}`;
  const b = stats.bundle;
  const bundle = !b
    ? "no bundle: every log walked"
    : b.rejected
      ? `bundle not used because ${BUNDLE_REJECTIONS[b.rejected] ?? b.rejected}: every log walked`
      : `bundle used (${b.hits} answers from one batch${b.misses ? `, ${b.misses} read besides` : ""})`;
  return `${trips} · ${bundle}`;
}

function render(r: VerificationReport, config: PageConfig) {
  app.replaceChildren(...([banner(r), productCard(r), journey(r)].filter(Boolean) as HTMLElement[]));
  const stats = r.stats as BundleStats;
  footer.dataset.source = stats.source ?? "logWalk";
  footer.dataset.roundTrips = String(stats.roundTrips ?? "");
  if (stats.bundle?.rejected) footer.dataset.bundleRejected = stats.bundle.rejected;
  footer.replaceChildren(
    `Checked in your browser against ${config.rpcUrl} · chain ${config.chainId} · ledger ${config.ledger.address} v${config.ledger.version}${r.asOf ? ` · at block ${r.asOf.blockNumber}` : ""}${howChecked(stats)} · ${r.stats.milliseconds} ms · 在您的浏览器中直接校验`,
  );
  document.title = `${VERDICT_LABELS[r.verdict][0]} · cbec-trace`;
}

/** The JSON the server inlined in the element `id`, or undefined (absent or not JSON). */
function inlined(id: string): unknown {
  const text = document.getElementById(id)?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The bundle from the platform when the HTML did not carry it; without one the page walks the logs. */
async function fetchBundle(code: string): Promise<ProofBundle | undefined> {
  try {
    const res = await fetch(`/bundle?code=${encodeURIComponent(code)}`);
    return res.ok ? ((await res.json()) as ProofBundle) : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const form = document.getElementById("search") as HTMLFormElement;
  const input = document.getElementById("code") as HTMLInputElement;
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const value = input.value.trim();
    if (value) location.href = `/?code=${encodeURIComponent(value)}`;
  });
  const code = codeFromLocation();
  if (!code) return;
  input.value = code;
  app.replaceChildren(h("p", { class: "loading" }, "Reading the chain… 正在读取区块链…"));
  let config: PageConfig;
  try {
    config =
      (inlined("trace-config") as PageConfig | undefined) ??
      ((await (await fetch("/manifest.json")).json()) as PageConfig);
  } catch {
    app.replaceChildren(h("p", { class: "loading" }, "The platform's manifest could not be loaded. 无法加载配置。"));
    return;
  }
  const bundle = (inlined("trace-bundle") as ProofBundle | undefined) ?? (await fetchBundle(code));
  // A buyer who does not trust the platform can name its own endpoint and the ledger it expects:
  // ?rpc=<url>&ledger=<address>&chain=<id> override what the platform's manifest says.
  const params = new URLSearchParams(location.search);
  config = {
    ...config,
    // The platform's default is its gateway, "/rpc" on this origin.
    rpcUrl: new URL(params.get("rpc") ?? config.rpcUrl, location.href).href,
    chainId: params.get("chain") ? Number(params.get("chain")) : config.chainId,
    ledger: { ...config.ledger, address: (params.get("ledger") as Hex | null) ?? config.ledger.address },
  };
  try {
    const report = await verifyWithBundle(code, bundle, {
      rpcUrl: config.rpcUrl,
      ledger: {
        address: config.ledger.address,
        chainId: config.chainId,
        deploymentBlock: BigInt(config.ledger.deploymentBlock),
      },
      // A record the bundle lacks (or got wrong) is asked of the platform's store: a bundle that drops records
      // must not make them look unavailable.
      fetchRecord: async (hash) => {
        const res = await fetch(`/records/${hash}.json`);
        return res.ok ? ((await res.json()) as EpcisEvent) : undefined;
      },
    });
    render(report, config);
  } catch (error) {
    app.replaceChildren(
      h(
        "section",
        { class: "banner verdict-fail", "data-verdict": "error" },
        h("h2", {}, "The chain could not be read · 无法读取区块链"),
        h("div", { class: "sub" }, (error as Error).message.split("\n")[0]),
      ),
    );
  }
}

void main();
