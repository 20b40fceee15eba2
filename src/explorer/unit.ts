/**
 * The unit page: its code, registrant, parent and children, the journey (its own entries and those of the
 * parents during its stays) with every proof, all as indexed; and a verdict box the client script fills
 * from the proof bundle checked against the chain. The page never shows a verdict of the index's.
 */
import { isContainerSide } from "../read/journey";
import type { Hex } from "viem";
import { parseGs1, toDigitalLink, toElementString } from "../gs1";
import { readCursor } from "../indexer/cursor";
import {
  childrenAt,
  organizationById,
  unitByKey,
  unitEntries,
  unitEntriesBetween,
  unitStays,
  type ChainPosition,
  type IndexedUnit,
  type Stay,
} from "../indexer/queries";
import type { JourneyEntry } from "../read/types";
import type { ExplorerContext, PageResult } from "./context";
import { entryList, entryRow, namesOf } from "./entries";
import { ExplorerNotFoundError } from "./errors";
import { blockLink, href, link, unitCode, unitKind, unitLink } from "./format";
import { html, jsonForScript, type HtmlValue, definitionList } from "./html";

/** Most entries of a journey the page lists (own and inherited). */
export const JOURNEY_LIMIT = 1000;
/** How deep parents of parents are followed (item → carton → consignment → container). */
const MAX_DEPTH = 4;

const before = (a: ChainPosition, b: ChainPosition) =>
  a.block < b.block || (a.block === b.block && a.logIndex < b.logIndex);

/** Everything in a paginated list, up to `max` items. */
async function upTo<T>(max: number, fetch: (after?: string) => Promise<{ items: T[]; next?: string }>) {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await fetch(after);
    out.push(...page.items);
    after = page.next;
  } while (after && out.length < max);
  return { items: out.slice(0, max), more: after !== undefined || out.length > max };
}

/** The entries of the parents while `key` was inside them, recursively (windows narrowed at each level). */
async function inherited(
  ctx: ExplorerContext,
  key: Hex,
  from: ChainPosition | undefined,
  to: ChainPosition | undefined,
  depth: number,
): Promise<JourneyEntry[]> {
  if (depth >= MAX_DEPTH) return [];
  const stays = (await upTo(200, (after) => unitStays(ctx.db, key, { limit: 200, after }))).items;
  const out: JourneyEntry[] = [];
  for (const stay of stays) {
    const start = from && before(stay.packed, from) ? from : stay.packed;
    const end = to && (!stay.unpacked || before(to, stay.unpacked)) ? to : stay.unpacked;
    if (end && !before(start, end)) continue;
    const own = await upTo(JOURNEY_LIMIT, (after) =>
      unitEntriesBetween(ctx.db, stay.parent, start, end, { limit: 500, after }),
    );
    // As the verifier's journey does: a parent's own (un)packing of its contents is not the unit's event.
    out.push(...own.items.filter((e) => !isContainerSide(e)).map((e) => ({ ...e, inheritedFrom: stay.parent })));
    out.push(...(await inherited(ctx, stay.parent, start, end, depth + 1)));
  }
  return out;
}

/** The canonical Digital Link of an indexed unit, when its path really is the code of its key. */
function codeOf(unit: IndexedUnit): string | undefined {
  if (!unit.path) return undefined;
  try {
    const id = parseGs1(unit.path);
    // The index's path is believed only if it hashes to the unit's key: a row pointing the page at another
    // unit's code would have the page verify that other unit.
    return id.key.toLowerCase() === unit.key.toLowerCase() ? toDigitalLink(id, { attributes: false }) : undefined;
  } catch {
    return undefined;
  }
}

function elementString(code: string | undefined): string | undefined {
  try {
    return code ? toElementString(parseGs1(code)) : undefined;
  } catch {
    return undefined;
  }
}

/** The verdict box, its data and the script that fills it. */
function verdictParts(ctx: ExplorerContext, unit: IndexedUnit, code: string | undefined, bundle: unknown) {
  if (!code) {
    return {
      box: html`<section id="verdict" class="verdict verdict-error" data-verdict="error" role="status">
        <h2>No verdict · 无法校验</h2>
        <p>
          The index's code for this unit does not match its key, so there is nothing to check it against.
          索引中的编码与单元密钥不符。
        </p>
      </section>`,
      tail: null,
    };
  }
  const config = {
    code,
    key: unit.key,
    rpcUrl: ctx.rpcUrl,
    recordsUrl: ctx.recordsUrl,
    ledger: {
      address: ctx.ledger.address,
      chainId: ctx.ledger.chainId,
      deploymentBlock: String(ctx.ledger.deploymentBlock),
      ...(ctx.ledger.version ? { version: ctx.ledger.version } : {}),
    },
  };
  return {
    box: html`<section
      id="verdict"
      class="verdict verdict-pending"
      data-verdict="pending"
      role="status"
      aria-live="polite"
    >
      <h2>Checking… · 正在校验…</h2>
      <p class="at">
        The verdict is computed in your browser from the chain, not taken from the index.
        结论在您的浏览器中根据区块链计算。
      </p>
      <noscript><p>The verdict needs JavaScript. 需要启用 JavaScript。</p></noscript>
    </section>`,
    tail: html`<script type="application/json" id="trace-bundle">
        ${jsonForScript(bundle ?? null)}
      </script>
      <script type="application/json" id="trace-config">
        ${jsonForScript(config)}
      </script>`,
  };
}

/** The unit page of `key`. */
export async function unitPage(ctx: ExplorerContext, key: Hex): Promise<PageResult> {
  const unit = await unitByKey(ctx.db, key);
  if (!unit) throw new ExplorerNotFoundError(`The index holds no unit ${key}.`);
  const code = codeOf(unit);
  const bundleP = code ? ctx.bundle(code).catch(() => undefined) : Promise.resolve(undefined);
  const [cursor, registrant, own, staysAll, children, parents] = await Promise.all([
    readCursor(ctx.db),
    organizationById(ctx.db, unit.registrant),
    upTo(JOURNEY_LIMIT, (after) => unitEntries(ctx.db, unit.key, { limit: 500, after })),
    upTo(200, (after) => unitStays(ctx.db, unit.key, { limit: 200, after })),
    upTo(100, (after) => childrenAt(ctx.db, unit.key, undefined, { limit: 100, after })),
    inherited(ctx, unit.key, undefined, undefined, 0),
  ]);
  const current: Stay | undefined = staysAll.items.filter((s) => !s.unpacked).at(-1);
  const journey: JourneyEntry[] = [...own.items, ...parents].sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  const shown = journey.slice(0, JOURNEY_LIMIT);
  const names = await namesOf(ctx.db, shown, [
    ...children.items.map((c) => c.child),
    ...staysAll.items.map((s) => s.parent),
  ]);
  if (registrant) names.orgs.set(registrant.id, registrant);
  const bundle = await bundleP;
  const verdict = verdictParts(ctx, unit, code, bundle);
  const asIndexed = cursor ? html`as indexed at block ${blockLink(cursor.block)}` : "not indexed yet";

  const identity: Array<[string, HtmlValue]> = [
    ["Kind 类型", unitKind(unit)],
    ["GTIN", unit.gtin && link(`/explorer/search?q=${unit.gtin}`, unit.gtin)],
    [
      "Lot 批号",
      unit.lot && link(`/explorer/search?q=${encodeURIComponent(`(01)${unit.gtin}(10)${unit.lot}`)}`, unit.lot),
    ],
    ["Serial 序列号", unit.serial],
    ["SSCC", unit.sscc],
    ["Consignment 运单", unit.ginc],
    ["Element string", elementString(code)],
    ["Digital Link", code && html`<a href="${new URL(code).pathname}" class="mono">${code}</a>`],
    ["Unit key", html`<span class="mono">${unit.key}</span>`],
    [
      "Registered by 登记企业",
      html`${link(href.org(unit.registrant), registrant?.name ?? `Organization #${unit.registrant}`)} · block
      ${blockLink(unit.registered.block)}`,
    ],
    [
      "Packed in now 当前包装",
      current ? html`${unitLink(current.parent, names.units)} (since block ${blockLink(current.packed.block)})` : "—",
    ],
    ["Hash chain 哈希链", html`${unit.seq} entries, newest in block ${blockLink(unit.lastBlock)} (${asIndexed})`],
  ];
  const childRows = children.items.map(
    (c) =>
      html`<li>
        ${unitLink(c.child, names.units)} <span class="row-meta">packed in block ${blockLink(c.packed.block)}</span>
      </li>`,
  );
  const rows = shown.map((e) =>
    e.inheritedFrom ? entryRow(e, names, { inheritedFrom: e.inheritedFrom }) : entryRow(e, names, { anchor: true }),
  );
  const body = html`<h1>${unitCode(unit)}<small>${unitKind(unit)}</small></h1>
    ${verdict.box}
    <p class="index-note">Everything below is the index's copy of the ledger, ${asIndexed}. 以下为账本索引数据。</p>
    <div class="cols">
      <div>
        <section class="card unit">
          <h2>Product 商品</h2>
          ${definitionList(identity)}
        </section>
        ${
          childRows.length || unit.sscc || unit.ginc
            ? html`<section class="card children">
                <h2>Packed inside now 内含 · ${children.items.length}${children.more ? "+" : ""}</h2>
                ${
                  childRows.length
                    ? html`<ul class="rows stack">
                        ${childRows}
                      </ul>`
                    : html`<p class="sub">Nothing is packed inside it now.</p>`
                }
              </section>`
            : null
        }
      </div>
      <section class="card journey">
        <h2>
          Journey 物流行程 · ${shown.length}
          entries${journey.length > JOURNEY_LIMIT || own.more ? html` (first ${JOURNEY_LIMIT})` : null}
        </h2>
        <p class="sub">
          Each entry with its block, transaction, signer, hash-chain position (seq) and record hash. "via" marks a
          carton's or consignment's entry while this unit was inside.
        </p>
        ${entryList(rows, "No entries indexed.")}
      </section>
    </div>`;
  return {
    status: 200,
    title: unitCode(unit),
    body,
    tail: verdict.tail,
    script: verdict.tail !== null,
    footer: html`Index data ${asIndexed}. The verdict is checked in your browser against ${ctx.rpcUrl}.
    结论在浏览器中校验。`,
  };
}
