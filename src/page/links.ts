/**
 * Where the page links to: the explorer's pages for a proof (its URLs from the explorer's own `href`, the one
 * place they are defined), and the report link a counterfeit page offers.
 */
import type { Hex } from "viem";
import { href } from "../explorer/format";
import { h } from "./dom";
import type { PageConfig } from "./config";

/** A link to an explorer page when the platform serves the explorer, else the text alone. */
export function explorerLink(
  config: PageConfig,
  page: "tx" | "block" | "org" | "unit",
  value: Hex | bigint | number,
  text: string,
): HTMLElement {
  if (!config.explorerUrl) return h("span", {}, text);
  const path =
    page === "tx"
      ? href.tx(value as Hex)
      : page === "block"
        ? href.block(value as bigint)
        : page === "org"
          ? href.org(Number(value))
          : href.unit(value as Hex);
  return h("a", { href: path, "data-explorer": page }, text);
}

/**
 * China's national market-regulation complaint platform (SAMR's 12315): the authority for counterfeit
 * goods made in China, and so the one always offered besides the platform's own address.
 */
export const SAMR_12315 = "https://www.12315.cn/";

/** The report links for a code the ledger never registered: the platform's (when set) and SAMR's 12315. */
export function reportLinks(config: PageConfig, code: string): Array<{ href: string; en: string; zh: string }> {
  const links: Array<{ href: string; en: string; zh: string }> = [];
  if (config.reportUrl) {
    const body = `This code is not registered on the cbec-trace ledger:\n${code}\n\nPage: ${location.href}\nWhere I bought it:\n`;
    const target = config.reportUrl.startsWith("mailto:")
      ? `${config.reportUrl}?subject=${encodeURIComponent("Possible counterfeit: unregistered code")}&body=${encodeURIComponent(body)}`
      : `${config.reportUrl}${config.reportUrl.includes("?") ? "&" : "?"}code=${encodeURIComponent(code)}`;
    links.push({ href: target, en: "Report it to the platform", zh: "向平台举报" });
  }
  links.push({
    href: SAMR_12315,
    en: "Report it to China's market regulator (12315)",
    zh: "向国家市场监督管理总局12315平台投诉举报",
  });
  return links;
}
