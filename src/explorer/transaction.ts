/** The transaction page: its block, who sent it (a relayer or the signer itself) and the entries it wrote. */
import type { Hex } from "viem";
import { accountByAddress, organizationById, transactionByHash } from "../indexer/queries";
import type { ExplorerContext, PageResult } from "./context";
import { entryList, entryRow, namesOf } from "./entries";
import { ExplorerNotFoundError } from "./errors";
import { accountLink, blockLink, orgLink, time } from "./format";
import { html, type HtmlValue } from "./html";

/** The page of transaction `hash`. */
export async function transactionPage(ctx: ExplorerContext, hash: Hex): Promise<PageResult> {
  const tx = await transactionByHash(ctx.db, hash);
  if (!tx) throw new ExplorerNotFoundError(`The index holds no ledger transaction ${hash}.`);
  const [names, sender] = await Promise.all([namesOf(ctx.db, tx.entries), accountByAddress(ctx.db, tx.from)]);
  const relayer = sender && !names.orgs.has(sender.org) ? await organizationById(ctx.db, sender.org) : undefined;
  if (relayer) names.orgs.set(relayer.id, relayer);
  const signers = [...new Set(tx.entries.map((e) => e.account.toLowerCase()))];
  const relayedFor = signers.filter((s) => s !== tx.from.toLowerCase());
  const facts: Array<[string, HtmlValue]> = [
    ["Hash", html`<span class="mono">${tx.hash}</span>`],
    [
      "Block 区块",
      html`${blockLink(tx.blockNumber)} · position
      ${tx.index}${tx.entries[0] ? html` · ${time(tx.entries[0].blockTime)}` : null}`,
    ],
    [
      tx.relayed || relayedFor.length ? "From (relayer) 中继" : "From (signer) 发送方",
      html`${accountLink(tx.from, 8)}${sender ? html` (${orgLink(sender.org, names.orgs)})` : null}${
        relayedFor.length
          ? html` <span class="tag"
              >relayed for ${relayedFor.map((s, i) => html`${i ? ", " : ""}${accountLink(s as Hex, 4)}`)}</span
            >`
          : null
      }`,
    ],
    ["Entries 记录", String(tx.entries.length)],
  ];
  const body = html`<h1>Transaction<small class="mono">${tx.hash}</small></h1>
    <p class="index-note">As indexed. 账本索引数据。</p>
    <section class="card tx">
      <h2>Overview 概要</h2>
      <dl class="kv">
        ${facts.map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
      </dl>
    </section>
    <section class="card entries">
      <h2>Entries it wrote 写入的记录 · ${tx.entries.length}</h2>
      ${entryList(
        tx.entries.map((e) => entryRow(e, names, { showUnit: true, sender: tx.from })),
        "It wrote no entry (a consortium change).",
      )}
    </section>`;
  return { status: 200, title: `Transaction ${tx.hash.slice(0, 12)}…`, body };
}
