/**
 * The links of a resolved unit, level by level, as RFC 9264 linkset context objects: what the linkset
 * answer lists, what a `linkType` redirects to and what the `Link` header names. Targets are built from
 * the resolver's public base URL (never from the request's Host header, which the client chooses).
 */
import { DEFAULT_DL_DOMAIN, toDigitalLink } from "../gs1/digitalLink";
import type { Gs1Identity } from "../gs1/identity";
import { href as explorerHref } from "../explorer/format";
import { LINK_TYPES, linkTypeUri, type OurLinkType } from "./linkTypes";
import { verifyPathOf } from "./verifyPath";

/** What the links are built from. */
export interface LinkBase {
  /** The resolver's public base URL (`https://trace.example.cn`), or "" for root-relative targets. */
  publicUrl: string;
  /** Whether the server serves the explorer (`gs1:pip` targets its unit page). */
  explorer: boolean;
}

/** One level of the request and whether its exact unit is registered on the ledger. */
export interface ResolvedLevel {
  identity: Gs1Identity;
  registered: boolean;
}

/** One link: a target object of RFC 9264 §4.2.4 with its link type. */
export interface ResolvedLink {
  linkType: OurLinkType;
  href: string;
  /** Whether the request's query string is passed on when redirecting here. */
  passQuery: boolean;
}

/** The links of one level. */
export interface LevelLinks {
  /** The level's Digital Link URI on the resolver's domain (on id.gs1.org without a public URL). */
  anchor: string;
  links: ResolvedLink[];
}

/** The Digital Link URI events name a unit by (`UnitRef.uri`): on id.gs1.org, without attributes. */
function eventUri(identity: Gs1Identity): string {
  return toDigitalLink(identity, { attributes: false });
}

/**
 * The links of each level, most specific first. A registered level gets the verification page (as default
 * link and `gs1:verificationService`), its EPCIS events (`MATCH_anyEPC`) and its explorer page; a level that
 * is not a registered unit (a lot or GTIN above a serial) gets its class's EPCIS events (`MATCH_epcClass`).
 * Every level gets the EPCIS repository. No level that is not registered ever gets a verification link.
 */
export function levelLinks(levels: readonly ResolvedLevel[], base: LinkBase): LevelLinks[] {
  const root = base.publicUrl;
  return levels.map(({ identity, registered }) => {
    const uri = encodeURIComponent(eventUri(identity));
    const links: Array<[OurLinkType, string]> = registered
      ? [
          ["defaultLink", root + verifyPathOf(identity.canonicalPath)],
          ["verificationService", root + verifyPathOf(identity.canonicalPath)],
          ["traceability", `${root}/events?MATCH_anyEPC=${uri}`],
          ...(base.explorer ? [["pip", `${root}${explorerHref.unit(identity.key)}`] as [OurLinkType, string]] : []),
        ]
      : [["traceability", `${root}/events?MATCH_epcClass=${uri}`]];
    links.push(["epcis", `${root}/`]);
    return {
      anchor: `${root || DEFAULT_DL_DOMAIN}${identity.canonicalPath}`,
      links: links.map(([linkType, href]) => ({ linkType, href, passQuery: LINK_TYPES[linkType].passQuery })),
    };
  });
}

/** The first link of a type, most specific level first (a lot's link serves its serials too). */
export function findLink(levels: readonly LevelLinks[], name: string): ResolvedLink | undefined {
  for (const level of levels) {
    const link = level.links.find((l) => l.linkType === name);
    if (link) return link;
  }
  return undefined;
}

/** RFC 9264 JSON (`application/linkset+json`): one context object per level, link types as full URIs. */
export function linksetDocument(levels: readonly LevelLinks[]): { linkset: Array<Record<string, unknown>> } {
  return {
    linkset: levels.map((level) => {
      const context: Record<string, unknown> = { anchor: level.anchor };
      for (const link of level.links) {
        const info = LINK_TYPES[link.linkType];
        const rel = linkTypeUri(link.linkType);
        const targets = (context[rel] as unknown[] | undefined) ?? [];
        targets.push({
          href: link.href,
          title: info.title.en,
          "title*": [{ value: info.title.zh, language: "zh" }],
          type: info.type,
          hreflang: ["en", "zh"],
        });
        context[rel] = targets;
      }
      return context;
    }),
  };
}

/** A target with the request's query string passed on (appended after the target's own query, if any). */
export function withQuery(link: ResolvedLink, passOn: string): string {
  if (!link.passQuery || passOn === "") return link.href;
  return link.href + (link.href.includes("?") ? "&" : "?") + passOn;
}
