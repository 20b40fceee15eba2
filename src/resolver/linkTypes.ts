/**
 * The GS1 link types this resolver serves, with their bilingual titles and media types, and the reading of
 * a request's `linkType` parameter. One list: the linkset, the redirects, the `Link` header and the
 * resolver description all take their link types from here.
 */
import { ResolverRequestError } from "./errors";

/** The GS1 Web Vocabulary namespace link types are named in (linkset keys are full URIs, RFC 9264 §4.2.2). */
export const GS1_VOC = "https://gs1.org/voc/";
/** The CURIE prefix of {@link GS1_VOC}. */
export const GS1_PREFIX = "gs1:";

/** The link types this resolver can answer, by their GS1 vocabulary name. */
export type OurLinkType = "defaultLink" | "verificationService" | "traceability" | "epcis" | "pip";

/** What a link type of ours is: its title in both languages and the media type of its target. */
export interface LinkTypeInfo {
  title: { en: string; zh: string };
  /** Media type of the target (the linkset's `type`). */
  type: string;
  /** Whether the request's query string (data attributes) is passed on to the target. */
  passQuery: boolean;
}

/**
 * Our link types. The EPCIS targets get no query passthrough: the EPCIS query interface answers unknown
 * parameters with 400 QueryParameterException, so a label's `?17=…` would break them.
 */
export const LINK_TYPES: Readonly<Record<OurLinkType, LinkTypeInfo>> = {
  defaultLink: {
    title: { en: "Verify this product on the ledger", zh: "在账本上验证此商品" },
    type: "text/html",
    passQuery: true,
  },
  verificationService: {
    title: { en: "Verify this product on the ledger", zh: "在账本上验证此商品" },
    type: "text/html",
    passQuery: true,
  },
  traceability: {
    title: { en: "Traceability events (EPCIS 2.0 query)", zh: "追溯事件（EPCIS 2.0 查询）" },
    type: "application/ld+json",
    passQuery: false,
  },
  epcis: {
    title: { en: "EPCIS 2.0 repository", zh: "EPCIS 2.0 事件库" },
    type: "application/ld+json",
    passQuery: false,
  },
  pip: {
    title: { en: "Product page in the ledger explorer", zh: "账本浏览器中的商品页" },
    type: "text/html",
    passQuery: true,
  },
};

/** The full URI of a link type (`https://gs1.org/voc/pip`). */
export function linkTypeUri(name: OurLinkType): string {
  return GS1_VOC + name;
}

/** What a `linkType` parameter asks for: the whole linkset, or one link type (by its GS1 name). */
export type LinkTypeRequest = { linkset: true } | { linkset: false; name: string };

/** The namespaces a GS1 link type may be written in (the vocabulary moved to ref.gs1.org). */
const NAMESPACES = [GS1_PREFIX, GS1_VOC, "http://gs1.org/voc/", "https://ref.gs1.org/voc/", "https://www.gs1.org/voc/"];

/**
 * Reads a request's `linkType`: `linkset` (and the older `all`) ask for the linkset; `gs1:pip` or a full
 * vocabulary URI name one link type. Anything else is a 400 naming the accepted forms.
 */
export function parseLinkType(value: string): LinkTypeRequest {
  if (value === "linkset" || value === "all") return { linkset: true };
  for (const ns of NAMESPACES) {
    if (value.startsWith(ns) && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(value.slice(ns.length))) {
      return { linkset: false, name: value.slice(ns.length) };
    }
  }
  throw new ResolverRequestError(
    "LINK_TYPE",
    `linkType ${JSON.stringify(value.slice(0, 80))} is not a link type: use "linkset", a GS1 link type such as "gs1:traceability", or its URI ${GS1_VOC}traceability.`,
  );
}
