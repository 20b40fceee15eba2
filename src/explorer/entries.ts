/** The rows of an entry list (a unit's journey, an organization's activity, a block's or transaction's entries). */
import type { Hex } from "viem";
import { STEPS } from "../codes";
import type { IndexSql } from "../indexer/db";
import type { IndexedOrganization, IndexedUnit } from "../indexer/queries";
import type { TraceEntry } from "../read/types";
import { html, type HtmlValue, type SafeHtml } from "./html";
import {
  accountLink,
  blockLink,
  dispositionText,
  hashLink,
  href,
  locationText,
  orgLink,
  stepLabel,
  time,
  txLink,
  unitLink,
} from "./format";
import { organizationsByIds, unitsByKeys } from "./queries";

/** The names a list of entries links to: their organizations and units. */
export interface Names {
  orgs: Map<number, IndexedOrganization>;
  units: Map<string, IndexedUnit>;
}

/** Reads the organizations and units a list of entries names (two queries, whatever the length). */
export async function namesOf(db: IndexSql, entries: TraceEntry[], extraUnits: Hex[] = []): Promise<Names> {
  const [orgs, units] = await Promise.all([
    organizationsByIds(
      db,
      entries.map((e) => e.org),
    ),
    unitsByKeys(db, [...entries.flatMap((e) => [e.unit, e.data]), ...extraUnits]),
  ]);
  return { orgs, units };
}

export interface EntryRowOptions {
  /** Show which unit the entry is on (lists across units). */
  showUnit?: boolean;
  /** The entry is a parent's, recorded while the unit was inside it. */
  inheritedFrom?: Hex;
  /** The sender of the entry's transaction, when known (a relayer when it is not the signer). */
  sender?: string;
  /** Give the row the id `seq-<n>` (a unit's own entries, linked to from elsewhere). */
  anchor?: boolean;
}

/** One entry: what happened, when, by whom, and where it is on chain (every value a link). */
export function entryRow(e: TraceEntry, names: Names, options: EntryRowOptions = {}): SafeHtml {
  const disposition = dispositionText(e.disposition);
  const where = locationText(e.location);
  const relayed =
    options.sender !== undefined && options.sender.toLowerCase() !== e.account.toLowerCase()
      ? html`<span class="tag">relayed for ${accountLink(e.account, 4)}</span>`
      : null;
  const meta: HtmlValue[] = [
    html`${time(e.eventTime)} · ${orgLink(e.org, names.orgs)}`,
    where ? html` · ${where}` : null,
    disposition ? html` · ${disposition}` : null,
  ];
  return html`<li${options.anchor ? html` id="seq-${e.seq}"` : null} class="entry" data-step="${e.stepName ?? String(e.step)}" data-seq="${e.seq}" data-unit="${e.unit}" data-position="${e.blockNumber}:${e.logIndex}">
<div><div class="row-title">${stepLabel(e.step, e.stepName)}${
    options.inheritedFrom ? html`<span class="tag">via ${unitLink(options.inheritedFrom, names.units)}</span>` : null
  }</div>
<div class="row-meta">${meta}</div>
${options.showUnit ? html`<div class="row-meta">on ${unitLink(e.unit, names.units)}</div>` : null}</div>
<div class="row-meta">Block ${blockLink(e.blockNumber)} · tx ${txLink(e.transactionHash, 4)}${relayed}<br>
Signer ${accountLink(e.account, 4)} · seq <a href="${href.unit(e.unit)}#seq-${e.seq}">${e.seq}</a> · ${dataOf(e, names)}</div>
</li>`;
}

/** What an entry's data word is: the parent's key for (un)packing, else the hash of its off-chain record. */
function dataOf(e: TraceEntry, names: Names): SafeHtml {
  if ((e.step === STEPS.PACKING || e.step === STEPS.UNPACKING) && e.aux === 0n) {
    return html`${e.step === STEPS.PACKING ? "into" : "out of"} ${unitLink(e.data, names.units)}`;
  }
  return html`record ${hashLink(`/records/${e.data}.json`, e.data, 4)}`;
}

/** A list of entries, or a line saying there are none. */
export function entryList(rows: SafeHtml[], empty: string): SafeHtml {
  return rows.length
    ? html`<ol class="rows entries">
        ${rows}
      </ol>`
    : html`<p class="sub">${empty}</p>`;
}

/** The "older →" link of a keyset page. */
export function pager(path: string, next: string | undefined, param = "after"): SafeHtml | null {
  if (!next) return null;
  const sep = path.includes("?") ? "&" : "?";
  return html`<nav class="pager">
    <span></span><a rel="next" class="older" href="${path}${sep}${param}=${next}">older →</a>
  </nav>`;
}
