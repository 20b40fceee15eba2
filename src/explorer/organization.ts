/** The organization page: identity, roles, standing, prefixes (and authorizations), accounts, recent entries. */
import {
  organizationAccounts,
  organizationActivity,
  organizationById,
  organizationPrefixes,
  type IndexedAccount,
  type IndexedPrefixLicence,
} from "../indexer/queries";
import { readCursor } from "../indexer/cursor";
import type { ExplorerContext, PageResult } from "./context";
import { entryList, entryRow, namesOf, pager } from "./entries";
import { ExplorerNotFoundError } from "./errors";
import { accountLink, blockLink, href, orgLink } from "./format";
import { html, type HtmlValue, definitionList } from "./html";
import { organizationsByIds } from "./queries";

function accountRow(a: IndexedAccount): HtmlValue {
  return html`<li id="account-${a.address.toLowerCase()}" data-account="${a.address.toLowerCase()}">
    <div>
      <span class="mono">${a.address}</span>${
        a.active ? html`<span class="tag ok">active</span>` : html`<span class="tag bad">inactive</span>`
      }${a.orgAdmin ? html`<span class="tag">org admin</span>` : null}
    </div>
    <div class="row-meta">
      added in block
      ${blockLink(a.added.block)}${
        a.addedBy ? html` by ${accountLink(a.addedBy, 4)}` : null
      }${a.rotatedFrom ? html` · replaced ${accountLink(a.rotatedFrom, 4)}` : null}${
        a.rotatedTo ? html` · replaced by ${accountLink(a.rotatedTo, 4)}` : null
      }
      · <a href="${href.account(a.address)}/entries">entries it signed</a>
    </div>
  </li>`;
}

function prefixRow(p: IndexedPrefixLicence, names: Parameters<typeof orgLink>[1]): HtmlValue {
  const auths = p.authorizations.map(
    (a) =>
      html`<li>
        ${a.authorized ? "authorized" : "authorization withdrawn"}: ${orgLink(a.manufacturer, names)} (block
        ${blockLink(a.at.block)})
      </li>`,
  );
  return html`<li data-prefix="${p.prefix}">
    <div>
      <span class="mono">${p.prefix}</span>${
        p.revoked ? html`<span class="tag bad">revoked</span>` : html`<span class="tag ok">held</span>`
      }
    </div>
    <div class="row-meta">
      licence ${p.licence.toString()} since block
      ${blockLink(p.licensed.block)}${p.revoked ? html` · revoked in block ${blockLink(p.revoked.block)}` : null}${
        auths.length
          ? html`<ul>
              ${auths}
            </ul>`
          : null
      }
    </div>
  </li>`;
}

/** The organization page of `id`; `after` is the activity page's cursor. */
export async function organizationPage(ctx: ExplorerContext, id: number, after?: string): Promise<PageResult> {
  const org = await organizationById(ctx.db, id);
  if (!org) throw new ExplorerNotFoundError(`The index holds no organization #${id}.`);
  const [cursor, accounts, prefixes, activity] = await Promise.all([
    readCursor(ctx.db),
    organizationAccounts(ctx.db, id, { limit: 200 }),
    organizationPrefixes(ctx.db, id, { limit: 200 }),
    organizationActivity(ctx.db, id, { limit: ctx.pageSize, after }),
  ]);
  const names = await namesOf(ctx.db, activity.items);
  const manufacturers = prefixes.items.flatMap((p) => p.authorizations.map((a) => a.manufacturer));
  for (const [k, v] of await organizationsByIds(ctx.db, manufacturers)) names.orgs.set(k, v);
  names.orgs.set(org.id, org);

  const identity: Array<[string, HtmlValue]> = [
    ["Name 名称", org.name],
    ["Organization id", `#${org.id}`],
    ["Credit code 统一社会信用代码", html`<span class="mono">${org.creditCode}</span>`],
    ["GLN", org.gln],
    ["Country 国家", org.country],
    [
      "Roles 角色",
      org.roleNames.length ? org.roleNames.map((r) => html`<span class="tag">${r.toLowerCase()}</span>`) : "none",
    ],
    [
      "Standing 状态",
      org.suspended
        ? html`<span class="tag bad">suspended 已暂停</span>`
        : html`<span class="tag ok">active 正常</span>`,
    ],
    ["Joined 加入", html`block ${blockLink(org.added.block)}`],
  ];
  const path = href.org(id);
  const body = html`<h1>${org.name}<small>Organization #${org.id} · 企业</small></h1>
    <p class="index-note">As indexed at block ${cursor ? blockLink(cursor.block) : "—"}. 账本索引数据。</p>
    <div class="cols">
      <div>
        <section class="card identity">
          <h2>Identity 身份</h2>
          ${definitionList(identity)}
        </section>
        <section class="card prefixes">
          <h2>GS1 prefixes 厂商识别代码 · ${prefixes.items.length}</h2>
          ${
            prefixes.items.length
              ? html`<ul class="rows stack">
                  ${prefixes.items.map((p) => prefixRow(p, names.orgs))}
                </ul>`
              : html`<p class="sub">No prefix licensed to it.</p>`
          }
        </section>
        <section class="card accounts">
          <h2>Accounts 账户 · ${accounts.items.length}</h2>
          ${
            accounts.items.length
              ? html`<ul class="rows stack">
                  ${accounts.items.map(accountRow)}
                </ul>`
              : html`<p class="sub">No account.</p>`
          }
        </section>
      </div>
      <section class="card activity">
        <h2>Recent entries 最近记录</h2>
        ${entryList(
          activity.items.map((e) => entryRow(e, names, { showUnit: true })),
          after ? "No older entries." : "It has written no entry yet.",
        )}
        ${pager(path, activity.next)}
      </section>
    </div>`;
  return { status: 200, title: org.name, body };
}
