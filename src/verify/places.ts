/**
 * Where an event happened, in words a buyer reads: an organization's own GLN is that organization (its name
 * and country from the chain's organization registry), a GLN under a member's GS1 company prefix is "a site
 * of <member>", a UN/LOCODE is its place name (`unlocodes.ts`), a 4-digit code on a customs step is the
 * customs district it names; anything else is shown as it is written. Only facts the verifier read or the
 * bundled, attributed data say: no place is guessed. Pure, browser-safe.
 */
import { decodeLocation } from "../epcis/onchain";
import { unLocode } from "./unlocodes";
import type { OrganizationInfo } from "./types";

/** A place, in English and Chinese, with the time zone its local times are told in (when one is known). */
export interface Place {
  en: string;
  zh: string;
  /** What the place is: an organization's own GLN, a site under a member's prefix, a UN/LOCODE, or a bare code. */
  kind: "organization" | "site" | "locode" | "customs" | "code";
  /** For an organization's GLN or a site under its prefix: that organization. */
  orgId?: number;
  /** ISO 3166-1 alpha-2, when known. */
  country?: string;
  /** IANA time zone, when the place has a single one. */
  timeZone?: string;
}

/** What places are named from: the organizations the verifier read, and the GS1 company prefixes it proved. */
export interface PlaceContext {
  organizations: readonly OrganizationInfo[];
  /** GS1 company prefixes and the member licensed to each. */
  prefixes: ReadonlyArray<{ prefix: string; holder: OrganizationInfo }>;
}

/**
 * Countries with a single time zone, for an organization's GLN (the place of an event whose record carries
 * no offset). Countries spanning several zones (US, RU, AU, …) are left out: no local time is better than a
 * wrong one.
 */
const COUNTRY_ZONES: Record<string, string> = {
  CN: "Asia/Shanghai",
  HK: "Asia/Hong_Kong",
  TW: "Asia/Taipei",
  JP: "Asia/Tokyo",
  KR: "Asia/Seoul",
  SG: "Asia/Singapore",
  TH: "Asia/Bangkok",
  VN: "Asia/Ho_Chi_Minh",
  MY: "Asia/Kuala_Lumpur",
  PH: "Asia/Manila",
  IN: "Asia/Kolkata",
  AE: "Asia/Dubai",
  SA: "Asia/Riyadh",
  DE: "Europe/Berlin",
  NL: "Europe/Amsterdam",
  BE: "Europe/Brussels",
  FR: "Europe/Paris",
  IT: "Europe/Rome",
  ES: "Europe/Madrid",
  GB: "Europe/London",
  PL: "Europe/Warsaw",
  HU: "Europe/Budapest",
  CZ: "Europe/Prague",
  AT: "Europe/Vienna",
  CH: "Europe/Zurich",
  SE: "Europe/Stockholm",
  IE: "Europe/Dublin",
};

/** The time zone of a country with a single one, else undefined. */
export function countryTimeZone(country: string | undefined): string | undefined {
  return country && Object.prototype.hasOwnProperty.call(COUNTRY_ZONES, country) ? COUNTRY_ZONES[country] : undefined;
}

/** A country's name in English and Chinese (`Intl.DisplayNames`), or the code itself when it is not a region. */
export function countryName(country: string): { en: string; zh: string } {
  const name = (locale: string) => {
    try {
      return new Intl.DisplayNames([locale], { type: "region", fallback: "none" }).of(country) ?? country;
    } catch {
      return country;
    }
  };
  return /^[A-Z]{2}$/.test(country) ? { en: name("en"), zh: name("zh-CN") } : { en: country, zh: country };
}

/** An organization's name (or "organization #n" when the chain gave none). */
export function organizationName(org: OrganizationInfo | undefined, orgId?: number): string {
  return org?.name ?? `organization #${org?.orgId ?? orgId ?? "?"}`;
}

/** The place a GLN is: an organization whose own GLN it is, or a site of the member holding its prefix. */
export function glnPlace(gln: string, ctx: PlaceContext): Place {
  const own = ctx.organizations.find((o) => o.gln === gln);
  if (own) {
    const tz = countryTimeZone(own.country);
    return {
      kind: "organization",
      orgId: own.orgId,
      en: organizationName(own),
      zh: organizationName(own),
      ...country(own.country),
      ...(tz ? { timeZone: tz } : {}),
    };
  }
  // The longest prefix wins: GS1 prefixes nest (a 7-digit prefix inside a 6-digit range is another licence).
  const site = [...ctx.prefixes]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .find((p) => gln.startsWith(p.prefix));
  if (site) {
    const holder = organizationName(site.holder);
    const tz = countryTimeZone(site.holder.country);
    return {
      kind: "site",
      orgId: site.holder.orgId,
      en: `a site of ${holder}`,
      zh: `${holder}的场所`,
      ...country(site.holder.country),
      ...(tz ? { timeZone: tz } : {}),
    };
  }
  return { kind: "code", en: `GLN ${gln}`, zh: `GLN ${gln}` };
}

const country = (code: string | undefined) => (code ? { country: code } : {});

/**
 * The place of a location word (`Traced.info`), or undefined when there is none. `customs` says the event is
 * a customs step, where a 4-digit code is the customs district (关区代码) that handled it.
 */
export function placeOf(location: bigint, ctx: PlaceContext, customs = false): Place | undefined {
  let decoded;
  try {
    decoded = decodeLocation(location);
  } catch {
    return undefined;
  }
  if (!decoded) return undefined;
  if ("gln" in decoded) return glnPlace(decoded.gln, ctx);
  const code = decoded.code;
  const locode = /^[A-Z]{2}[A-Z2-9]{3}$/.test(code) ? unLocode(code) : undefined;
  if (locode) {
    const c = countryName(locode.country);
    return {
      kind: "locode",
      en: `${locode.en}, ${c.en}`,
      zh: `${c.zh}${locode.zh}`,
      country: locode.country,
      timeZone: locode.timeZone,
    };
  }
  if (customs && /^[0-9]{4}$/.test(code))
    return { kind: "customs", en: `customs district ${code}`, zh: `海关关区 ${code}` };
  return { kind: "code", en: code, zh: code };
}
