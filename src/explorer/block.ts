/** The block page: hash, parent, time, its ledger transactions and entries, and the neighbouring ledger blocks. */
import { blockByNumber, status as indexStatus } from "../indexer/queries";
import type { ExplorerContext, PageResult } from "./context";
import { entryList, entryRow, namesOf } from "./entries";
import { ExplorerNotFoundError } from "./errors";
import { accountLink, href, link, time, txLink } from "./format";
import { html, type HtmlValue } from "./html";
import { blockNeighbours, blockTransactions } from "./queries";

/** The page of block `n`. */
export async function blockPage(ctx: ExplorerContext, n: bigint): Promise<PageResult> {
  const block = await blockByNumber(ctx.db, n);
  if (!block) {
    const { cursor } = await indexStatus(ctx.db);
    throw new ExplorerNotFoundError(
      cursor && n > cursor.block
        ? `Block ${n} is not indexed yet: the index has reached block ${cursor.block}.`
        : `Block ${n} holds no ledger entry (the index keeps only the blocks with ledger logs).`,
    );
  }
  const [txs, around, names] = await Promise.all([
    blockTransactions(ctx.db, n),
    blockNeighbours(ctx.db, n),
    namesOf(ctx.db, block.entries),
  ]);
  const senders = new Map(block.entries.map((e) => [e.transactionHash.toLowerCase(), ""]));
  for (const t of txs) senders.set(t.hash.toLowerCase(), t.from);
  const facts: Array<[string, HtmlValue]> = [
    ["Number 高度", String(block.number)],
    ["Hash", html`<span class="mono">${block.hash}</span>`],
    [
      "Parent 父区块",
      html`<span class="mono">${block.parentHash}</span>${
          around.previous === n - 1n ? html` (${link(href.block(n - 1n), `#${n - 1n}`)})` : null
        }`,
    ],
    ["Time 时间", time(block.timestamp)],
  ];
  const nav = html`<nav class="pager">
    ${
      around.previous !== undefined
        ? html`<a rel="prev" class="previous" href="${href.block(around.previous)}">← block ${around.previous}</a>`
        : html`<span></span>`
    }${around.next !== undefined ? html`<a rel="next" class="next" href="${href.block(around.next)}">block ${around.next} →</a>` : null}
  </nav>`;
  const body = html`<h1>Block ${block.number}<small>区块</small></h1>
    <p class="index-note">As indexed. Previous / next go to the nearest blocks with ledger entries. 账本索引数据。</p>
    ${nav}
    <div class="cols">
      <section class="card block">
        <h2>Header 区块头</h2>
        <dl class="kv">
          ${facts.map(
            ([k, v]) =>
              html`<dt>${k}</dt>
                <dd>${v}</dd>`,
          )}
        </dl>
      </section>
      <section class="card txs">
        <h2>Ledger transactions 交易 · ${txs.length}</h2>
        ${
          txs.length
            ? html`<ul class="rows stack">
                ${txs.map(
                  (t) =>
                    html`<li data-tx="${t.hash}">
                      <div>${txLink(t.hash, 8)}</div>
                      <div class="row-meta">
                        from ${accountLink(t.from, 4)}${t.relayed ? html`<span class="tag">relayed</span>` : null}
                      </div>
                    </li>`,
                )}
              </ul>`
            : html`<p class="sub">No ledger transaction.</p>`
        }
      </section>
    </div>
    <section class="card entries">
      <h2>Entries 记录 · ${block.entries.length}</h2>
      ${entryList(
        block.entries.map((e) =>
          entryRow(e, names, { showUnit: true, sender: senders.get(e.transactionHash.toLowerCase()) || undefined }),
        ),
        "No entry in this block (consortium changes only).",
      )}
    </section>`;
  return { status: 200, title: `Block ${block.number}`, body };
}
