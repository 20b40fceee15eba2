/** The explorer's home: where the index stands, the newest entries (paginated) and the organizations. */
import { status as indexStatus } from "../indexer/queries";
import type { ExplorerContext, PageResult } from "./context";
import { entryList, entryRow, namesOf, pager } from "./entries";
import { blockLink, href, link } from "./format";
import { html } from "./html";
import { organizationList, recentEntries } from "./queries";

/** The home page; `after` is the recent entries' cursor. */
export async function homePage(ctx: ExplorerContext, after?: string): Promise<PageResult> {
  const [state, recent, orgs] = await Promise.all([
    indexStatus(ctx.db, ctx.client).catch(() => indexStatus(ctx.db)),
    recentEntries(ctx.db, { limit: ctx.pageSize, after }),
    organizationList(ctx.db, { limit: 200 }),
  ]);
  const names = await namesOf(ctx.db, recent.items);
  for (const o of orgs.items) names.orgs.set(o.id, o);
  const cursor = state.cursor;
  const body = html`<h1>Ledger explorer<small>跨境电商追溯账本浏览器</small></h1>
    <section class="card status" data-indexed="${cursor ? String(cursor.block) : ""}">
      <h2>Index 索引</h2>
      <dl class="kv">
        <dt>Indexed to block 已索引至</dt>
        <dd>${cursor ? blockLink(cursor.block) : "not started"}</dd>
        ${
          state.head !== undefined
            ? html`<dt>Chain head 链高度</dt>
                <dd>${String(state.head)}</dd>
                <dt>Lag 延迟</dt>
                <dd class="lag">${String(state.lag)} blocks</dd>`
            : null
        }
      </dl>
      <p class="sub">
        Pages show the index's copy of the ledger; a unit page's verdict is checked against the chain in your browser.
      </p>
    </section>
    <div class="cols">
      <section class="card orgs">
        <h2>Organizations 企业 · ${orgs.items.length}</h2>
        <ul class="rows stack">
          ${orgs.items.map(
            (o) =>
              html`<li>
                <div>
                  ${link(href.org(o.id), o.name)}${o.suspended ? html`<span class="tag bad">suspended</span>` : null}
                </div>
                <div class="row-meta">
                  #${o.id} · ${o.country} · ${o.roleNames.map((r) => r.toLowerCase()).join(", ")}
                </div>
              </li>`,
          )}
        </ul>
      </section>
      <section class="card recent">
        <h2>Recent entries 最新记录</h2>
        ${entryList(
          recent.items.map((e) => entryRow(e, names, { showUnit: true })),
          after ? "No older entries." : "No entry indexed yet.",
        )}
        ${pager(href.home(), recent.next)}
      </section>
    </div>`;
  return { status: 200, title: "Explorer", body };
}
