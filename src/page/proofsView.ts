/**
 * The proofs: for every event a buyer sees, the block, transaction, organization and signer it rests on
 * (links to the explorer's pages when the platform serves it), whether its signature and off-chain record
 * check out, and the raw keys and hashes — the only place the page shows them.
 */
import type { VerificationReport, VerifiedEntry } from "../verify/types";
import { shownToBuyers } from "../verify/buyerSteps";
import { stepLabel } from "../verify/eventFacts";
import { explorerLink } from "./links";
import { h, type Child } from "./dom";
import type { PageConfig } from "./config";

function utc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

function proofItem(e: VerifiedEntry, config: PageConfig, container: boolean): HTMLElement {
  const [en, zh] = stepLabel(e, container && !e.inheritedFrom);
  const rows: Array<[string, Child]> = [
    [
      "Block 区块",
      h(
        "span",
        {},
        explorerLink(config, "block", e.blockNumber, String(e.blockNumber)),
        e.blockTime ? ` · ${utc(e.blockTime)}` : "",
      ),
    ],
    ["Transaction 交易", explorerLink(config, "tx", e.transactionHash, e.transactionHash)],
    ["Organization 企业", explorerLink(config, "org", e.org, e.organization?.name ?? `#${e.org}`)],
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
    ["Entry 序号", `#${e.seq}${e.inheritedFrom ? ` of parent ${e.inheritedFrom}` : ""}`],
  ];
  return h(
    "li",
    { class: "proof", "data-step": e.stepName ?? String(e.step) },
    h(
      "details",
      {},
      h("summary", {}, `${en} ${zh}`, h("span", { class: "muted" }, ` · block ${e.blockNumber}`)),
      h("dl", { class: "kv mono" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    ),
  );
}

export function proofsView(r: VerificationReport, config: PageConfig): HTMLElement | null {
  if (!r.unit) return null;
  const shown = r.entries.filter((e) => shownToBuyers(e.step));
  const container = r.unit.identity.kind === "logistic" || r.unit.identity.kind === "consignment";
  return h(
    "section",
    { class: "card proofs" },
    h("h3", {}, "Proofs", h("span", {}, "链上证明")),
    h(
      "dl",
      { class: "kv mono" },
      h("dt", {}, "Unit key 单元键"),
      h("dd", {}, r.state?.registered ? explorerLink(config, "unit", r.unit.key, r.unit.key) : r.unit.key),
      h("dt", {}, "Link 链接"),
      h("dd", {}, r.unit.uri),
      h("dt", {}, "Ledger 账本"),
      h(
        "dd",
        {},
        `${r.ledger.address}${r.ledger.version ? ` v${r.ledger.version}` : ""} · chain ${r.ledger.chainId ?? "?"}`,
      ),
    ),
    shown.length ? h("ol", { class: "proof-list" }, ...shown.map((e) => proofItem(e, config, container))) : null,
  );
}
