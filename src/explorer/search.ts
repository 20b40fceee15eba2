/**
 * The search page: the index's `search` classifies the text; one hit redirects to its page, several are
 * listed, none says what the text was taken for and what to try.
 */
import { search, type SearchAs, type SearchHit } from "../indexer/queries";
import type { ExplorerContext, PageResult, Redirect } from "./context";
import { href, link, short, unitCode } from "./format";
import { html } from "./html";
import { unitsByDocument } from "./documents";

const AS_TEXT: Record<SearchAs, string> = {
  digitalLink: "a Digital Link",
  elementString: "a GS1 element string",
  gtin: "a GTIN",
  sscc: "an SSCC",
  transaction: "a transaction hash",
  unitKey: "a unit key",
  account: "an account address",
  block: "a block number",
  creditCode: "a credit code",
  organizationName: "an organization name",
  consignment: "a consignment number",
};

/** Where a hit's page is. */
export function hitHref(hit: SearchHit): string {
  switch (hit.kind) {
    case "unit":
      return href.unit(hit.unit.key);
    case "transaction":
      return href.tx(hit.transaction.hash);
    case "block":
      return href.block(hit.block.number);
    case "organization":
      return href.org(hit.organization.id);
    case "account":
      return `${href.org(hit.account.org)}#account-${hit.account.address.toLowerCase()}`;
  }
}

function hitText(hit: SearchHit): string {
  switch (hit.kind) {
    case "unit":
      return `Unit · ${unitCode(hit.unit)}`;
    case "transaction":
      return `Transaction · ${short(hit.transaction.hash)}`;
    case "block":
      return `Block · #${hit.block.number}`;
    case "organization":
      return `Organization · ${hit.organization.name} (#${hit.organization.id})`;
    case "account":
      return `Account · ${short(hit.account.address)} of organization #${hit.account.org}`;
  }
}

/** The search for `q`: a redirect for exactly one hit, else a page. */
export async function searchPage(ctx: ExplorerContext, q: string): Promise<PageResult | Redirect> {
  const text = q.trim();
  if (text === "") {
    return {
      status: 200,
      title: "Search",
      body: html`<h1>Search<small>搜索</small></h1>
        <p class="sub">
          Type or paste a QR link, a GS1 code, a GTIN (+ lot), an SSCC, a consignment number, an organization's name or
          credit code, a transaction hash, a block number or an account address.
        </p>`,
    };
  }
  const result = await search(ctx.db, text);
  const taken = result.as.map((a) => AS_TEXT[a]);
  // Document numbers (18-digit customs numbers too) are looked up whatever else the text may be.
  if (ctx.documents && text.length <= 100 && !/^0x[0-9a-fA-F]+$/.test(text)) {
    taken.push("a document number");
    for (const unit of await unitsByDocument(ctx.db, text)) {
      if (!result.hits.some((h) => h.kind === "unit" && h.unit.key === unit.key))
        result.hits.push({ kind: "unit", unit });
    }
  }
  if (result.hits.length === 1) return { redirect: hitHref(result.hits[0]) };
  if (result.hits.length === 0) {
    return {
      status: 404,
      title: "Nothing found",
      query: text,
      body: html`<h1>Nothing found<small>未找到</small></h1>
        <p class="sub" data-search-as="${result.as.join(",")}">
          Nothing in the index matches “${text}”${taken.length ? html` (read as ${taken.join(" or ")})` : null}.
        </p>
        <p class="sub">
          Hint: a product's QR link (https://…/01/…/21/…) or its code in brackets ((01)…(10)…(21)…), a GTIN of 8–14
          digits with its check digit, an 18-digit SSCC, a 0x hash of 64 hex digits or a block number. A code the index
          does not know may still be checked on the <a href="/">verification page</a>.
          提示：可输入二维码链接、商品码、企业名称或交易哈希。
        </p>`,
    };
  }
  return {
    status: 200,
    title: `Search: ${text}`,
    query: text,
    body: html`<h1>${result.hits.length} results<small>搜索结果 · read as ${taken.join(" or ")}</small></h1>
      <section class="card">
        <ul class="rows hits">
          ${result.hits.map((h) => html`<li data-kind="${h.kind}">${link(hitHref(h), hitText(h))}</li>`)}
        </ul>
      </section>`,
  };
}
