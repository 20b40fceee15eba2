/**
 * Locations: a GLN (13 digits, GS1 check digit) becomes `https://id.gs1.org/414/<GLN>`, a short code of 1–8
 * ASCII characters `urn:cbec-trace:loc:<code>`. The on-chain uint64 form of both is in `onchain.ts`.
 */
import { gs1CheckDigit } from "../gs1/checkDigit";
import { EpcisLocationError, quote } from "./errors";
import { CBEC_TRACE_NAMESPACE, stripPrefix } from "./uri";

/** Prefix of a physical location GLN as a GS1 Digital Link URI (AI 414). */
export const GLN_URI_PREFIX = "https://id.gs1.org/414/";
/** Prefix of short location codes. */
export const LOCATION_CODE_PREFIX = `${CBEC_TRACE_NAMESPACE}loc:`;

/** A location: a 13-digit GLN, or a short code of 1–8 ASCII characters. */
export type Location = { gln: string } | { code: string };

/** Largest short-code length: the on-chain location is a uint64. */
export const MAX_LOCATION_CODE_LENGTH = 8;

const CODE_CHARS = /^[A-Za-z0-9._~-]+$/;

/** Validates a 13-digit GLN: length, digits, not all zeros, check digit. */
export function checkGln(gln: string, label = "GLN"): void {
  if (typeof gln !== "string" || !/^[0-9]{13}$/.test(gln)) {
    throw new EpcisLocationError(`${label} ${quote(gln)} must be exactly 13 digits.`);
  }
  if (/^0+$/.test(gln)) {
    throw new EpcisLocationError(`${label} ${quote(gln)} is all zeros, which is not a GLN (0 means "no location").`);
  }
  const expected = gs1CheckDigit(gln.slice(0, 12));
  if (expected !== Number(gln[12])) {
    throw new EpcisLocationError(
      `${label} ${quote(gln)} has a wrong check digit: expected ${expected}, found ${gln[12]}. Check the GLN for a typo.`,
    );
  }
}

/** Validates a short location code (1–8 ASCII characters from `A–Z a–z 0–9 - . _ ~`). */
export function checkLocationCode(code: string): void {
  if (typeof code !== "string" || code.length === 0) {
    throw new EpcisLocationError(
      `Location code ${quote(code)} is empty: give a GLN or a short code of 1–8 characters.`,
    );
  }
  // eslint-disable-next-line no-control-regex
  const nonAscii = /[^\x00-\x7f]/u.exec(code);
  if (nonAscii) {
    throw new EpcisLocationError(
      `Location code ${quote(code)} contains the non-ASCII character "${nonAscii[0]}": short codes are ASCII ` +
        `only (letters, digits, - . _ ~). Use a GLN or an ASCII code.`,
    );
  }
  if (code.length > MAX_LOCATION_CODE_LENGTH) {
    throw new EpcisLocationError(
      `Location code ${quote(code)} is ${code.length} bytes long: a short code holds at most ` +
        `${MAX_LOCATION_CODE_LENGTH} ASCII bytes (it is stored in a uint64). Use a GLN or a shorter code.`,
    );
  }
  if (!CODE_CHARS.test(code)) {
    throw new EpcisLocationError(
      `Location code ${quote(code)} contains a character outside A–Z a–z 0–9 - . _ ~; use only those.`,
    );
  }
}

/** Classifies and validates a location string: 13 digits → GLN (check digit verified), otherwise a short code. */
export function parseLocation(location: string): Location {
  if (typeof location !== "string") {
    throw new EpcisLocationError(`Location ${quote(location)} is not a string: give a GLN or a short code.`);
  }
  if (/^[0-9]{13}$/.test(location)) {
    checkGln(location);
    return { gln: location };
  }
  if (/^[0-9]{9,}$/.test(location)) {
    throw new EpcisLocationError(
      `Location ${quote(location)} has ${location.length} digits: a GLN has exactly 13, a short code at most ` +
        `${MAX_LOCATION_CODE_LENGTH} characters.`,
    );
  }
  checkLocationCode(location);
  return { code: location };
}

/** The URI of a location: GLN → `https://id.gs1.org/414/<GLN>`, short code → `urn:cbec-trace:loc:<code>`. */
export function locationUri(location: string | Location): string {
  const parsed = typeof location === "string" ? parseLocation(location) : location;
  if ("gln" in parsed) {
    checkGln(parsed.gln);
    return GLN_URI_PREFIX + parsed.gln;
  }
  checkLocationCode(parsed.code);
  return LOCATION_CODE_PREFIX + parsed.code;
}

const DL_GLN = /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/414\/([0-9]+)(?:\/254\/[^/?#]+)?\/?$/;
const SGLN = /^urn:epc:id:sgln:([0-9]+)\.([0-9]*)\.[^.]*$/;

/**
 * The location a read point / business location URI names: a GS1 Digital Link with AI 414 (any domain; a
 * GLN extension `/254/…` is dropped: the chain holds the GLN, the full URI stays in the hashed record), an
 * EPC `urn:epc:id:sgln:` URI (company prefix + location reference; extension dropped likewise), or a
 * cbec-trace short-code URN.
 */
export function locationOfUri(uri: string): Location {
  if (typeof uri !== "string") throw new EpcisLocationError(`Location URI ${quote(uri)} is not a string.`);
  const dl = DL_GLN.exec(uri);
  if (dl) {
    checkGln(dl[1], `GLN in ${quote(uri)}`);
    return { gln: dl[1] };
  }
  const sgln = SGLN.exec(uri);
  if (sgln) {
    const body = sgln[1] + sgln[2];
    if (body.length !== 12) {
      throw new EpcisLocationError(
        `SGLN ${quote(uri)} has ${body.length} digits of company prefix and location reference; a GLN needs 12.`,
      );
    }
    return { gln: body + gs1CheckDigit(body) };
  }
  const code = stripPrefix(uri, [LOCATION_CODE_PREFIX, "cbectrace:loc:"]);
  if (code !== undefined) {
    checkLocationCode(code);
    return { code };
  }
  throw new EpcisLocationError(
    `Location URI ${quote(uri)} is neither a GLN URI ("${GLN_URI_PREFIX}<GLN>", "urn:epc:id:sgln:…") nor a ` +
      `short-code URN ("${LOCATION_CODE_PREFIX}<code>"), so the ledger cannot store it.`,
  );
}
