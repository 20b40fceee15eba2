/**
 * What a label prints: the GS1 Digital Link URI of a unit, validated before anything is rendered.
 *
 * Browser-safe: no Node-only APIs.
 */
import { parseDigitalLink, toDigitalLink, type DigitalLinkOptions } from "../gs1/digitalLink";
import type { Gs1Identity } from "../gs1/identity";
import { LabelError } from "./options";

/** Options of {@link labelUri}. */
export interface LabelUriOptions {
  /** Resolver domain, e.g. `https://trace.example.cn` (default `https://id.gs1.org`). */
  domain?: string;
  /** Path segments between domain and key, e.g. `products`. */
  pathPrefix?: string;
  /** Whether to print the data attributes (`?17=261231`) too (default `true`). */
  attributes?: boolean;
}

/**
 * The Digital Link URI to print on a unit's label. Refuses identities that are not valid or do not match
 * their own key (`Gs1Error`).
 *
 * @example labelUri(parseGs1({ gtin: "9521234543213", serial: "12345" }), { domain: "https://trace.example.cn" })
 *   // "https://trace.example.cn/01/09521234543213/21/12345"
 */
export function labelUri(identity: Gs1Identity, options: LabelUriOptions = {}): string {
  const dl: DigitalLinkOptions = {};
  if (options.domain !== undefined) dl.domain = options.domain;
  if (options.pathPrefix !== undefined) dl.pathPrefix = options.pathPrefix;
  if (options.attributes !== undefined) dl.attributes = options.attributes;
  return toDigitalLink(identity, dl);
}

/**
 * The text a QR label encodes: an identity's {@link labelUri}, or a given URI after checking it is a valid
 * http(s) GS1 Digital Link (a `Gs1Error` says what is wrong with it). A given URI is printed as given.
 */
export function labelPayload(input: string | Gs1Identity, options: LabelUriOptions = {}): string {
  if (typeof input !== "string") return labelUri(input, options);
  const uri = input.trim();
  if (!/^https?:\/\//i.test(uri)) {
    throw new LabelError(
      "NOT_A_URI",
      `Label payload ${JSON.stringify(input)} is not an http(s) URI: a QR label must carry a full GS1 Digital Link such as "https://id.gs1.org/01/09521234543213/21/12345", so phones can open it.`,
    );
  }
  parseDigitalLink(uri);
  return uri;
}
