/** An account address: its organization's page (at the account's row), and the entries it signed. */
import type { Address } from "viem";
import { accountByAddress } from "../indexer/queries";
import type { ExplorerContext, PageResult, Redirect } from "./context";
import { entryList, entryRow, namesOf, pager } from "./entries";
import { ExplorerNotFoundError } from "./errors";
import { href, orgLink } from "./format";
import { html } from "./html";
import { accountEntries } from "./queries";

/** `/explorer/account/<address>`: to the organization's page, at the account. */
export async function accountRedirect(ctx: ExplorerContext, address: Address): Promise<Redirect> {
  const account = await accountByAddress(ctx.db, address);
  if (!account) {
    throw new ExplorerNotFoundError(
      `${address} is not an account of any organization in the index (a relayer or an outside sender is not listed).`,
    );
  }
  return { redirect: `${href.org(account.org)}#account-${address.toLowerCase()}` };
}

/** `/explorer/account/<address>/entries`: the entries it signed, newest first. */
export async function accountEntriesPage(ctx: ExplorerContext, address: Address, after?: string): Promise<PageResult> {
  const [account, page] = await Promise.all([
    accountByAddress(ctx.db, address),
    accountEntries(ctx.db, address, { limit: ctx.pageSize, after }),
  ]);
  if (!account && page.items.length === 0) {
    throw new ExplorerNotFoundError(`The index holds no entry signed by ${address}.`);
  }
  const names = await namesOf(ctx.db, page.items);
  return {
    status: 200,
    title: `Account ${address.slice(0, 10)}…`,
    body: html`<h1>Account<small class="mono">${address}</small></h1>
      ${account ? html`<p class="sub">Of ${orgLink(account.org, names.orgs)}.</p>` : null}
      <section class="card">
        <h2>Entries it signed 签名的记录</h2>
        ${entryList(
          page.items.map((e) => entryRow(e, names, { showUnit: true })),
          "No older entries.",
        )}${pager(`${href.account(address)}/entries`, page.next)}
      </section>`,
  };
}
