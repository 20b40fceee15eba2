/**
 * How the explorer writes values and where they link to: one place for the URL of every kind of page and
 * for the human-readable form of codes, times, steps and locations.
 */
import type { Address, Hex } from "viem";
import { dispositionName, type StepName } from "../codes";
import type { IndexedOrganization, IndexedUnit } from "../indexer/queries";
import { STEP_LABELS } from "../page/text";
import { html, type SafeHtml } from "./html";

/** Where the explorer is mounted. */
export const BASE = "/explorer";

export const href = {
  home: () => BASE,
  unit: (key: Hex) => `${BASE}/unit/${key.toLowerCase()}`,
  org: (id: number) => `${BASE}/org/${id}`,
  tx: (hash: Hex) => `${BASE}/tx/${hash.toLowerCase()}`,
  block: (n: bigint | number) => `${BASE}/block/${n}`,
  account: (address: Address) => `${BASE}/account/${address.toLowerCase()}`,
  search: (q: string) => `${BASE}/search?q=${encodeURIComponent(q)}`,
};

/** `0x1234…cdef`: the full value stays in the link target and the title. */
export function short(hex: string, keep = 6): string {
  return hex.length <= 2 + keep * 2 + 1 ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

/** A Unix time as `2026-11-05 09:00 UTC`. */
export function time(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return "—";
  return new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

/** A step as `Packed · 装箱` (the verification page's labels). */
export function stepLabel(step: number, name: StepName | undefined): string {
  return name ? STEP_LABELS[name].join(" · ") : `Step ${step}`;
}

/** A disposition's name in lower case, or "" for none. */
export function dispositionText(code: number): string {
  return (dispositionName(code) ?? "").toLowerCase().replace(/_/g, " ");
}

/** A unit's code, human-readable: `GTIN … · Lot … · Serial …`, `SSCC …`, `Consignment …`. */
export function unitCode(u: IndexedUnit | undefined, key?: Hex): string {
  if (!u) return key ? `Unit ${short(key)}` : "Unknown unit";
  const parts: string[] = [];
  if (u.gtin) parts.push(`GTIN ${u.gtin}`);
  if (u.cpv) parts.push(`Variant ${u.cpv}`);
  if (u.lot) parts.push(`Lot ${u.lot}`);
  if (u.serial) parts.push(`Serial ${u.serial}`);
  if (u.sscc) parts.push(`SSCC ${u.sscc}`);
  if (u.ginc) parts.push(`Consignment ${u.ginc}`);
  if (u.gln) parts.push(`GLN ${u.gln}`);
  return parts.length ? parts.join(" · ") : (u.path ?? `Unit ${short(u.key)}`);
}

/** What kind of thing a unit is, in words. */
export function unitKind(u: IndexedUnit | undefined): string {
  if (u?.sscc) return "Logistic unit (carton, pallet) · 物流单元";
  if (u?.ginc) return "Consignment · 运单";
  if (u?.serial) return "Item · 单品";
  if (u?.lot) return "Lot · 批次";
  return "Unit · 追溯单元";
}

export const link = (url: string, text: string | SafeHtml, title?: string): SafeHtml =>
  title ? html`<a href="${url}" title="${title}">${text}</a>` : html`<a href="${url}">${text}</a>`;

export const hashLink = (url: string, hex: string, keep?: number): SafeHtml =>
  html`<a class="mono" href="${url}" title="${hex}">${short(hex, keep)}</a>`;

export const txLink = (hash: Hex, keep?: number) => hashLink(href.tx(hash), hash, keep);
export const blockLink = (n: bigint | number) => link(href.block(n), `#${n}`);
export const accountLink = (address: Address, keep?: number) => hashLink(href.account(address), address, keep);

/** An organization by name when the index knows it, else by id. */
export function orgLink(id: number, orgs: Map<number, IndexedOrganization>): SafeHtml {
  const o = orgs.get(id);
  return link(href.org(id), o ? o.name : `Organization #${id}`, o ? `#${id}` : undefined);
}

export function unitLink(key: Hex, units: Map<string, IndexedUnit>): SafeHtml {
  const u = units.get(key.toLowerCase());
  return link(href.unit(key), unitCode(u, key), key);
}

export { locationText } from "../epcis";
