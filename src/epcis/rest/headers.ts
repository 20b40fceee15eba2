/**
 * The version headers of the EPCIS 2.0 REST bindings: every answer of the interface names the EPCIS and CBV
 * versions it speaks, and a request that asks for a version outside them is refused. The values are the
 * versions this implementation follows; one place for them.
 */
import type { IncomingMessage } from "node:http";
import { EpcisRestError } from "./problem";

/** The EPCIS standard version implemented. */
export const EPCIS_VERSION = "2.0.0";
/** The Core Business Vocabulary version implemented. */
export const CBV_VERSION = "2.0.0";

/** The headers every answer of the interface carries (with the usual security headers). */
export function epcisResponseHeaders(): Record<string, string> {
  return {
    "GS1-EPCIS-Version": EPCIS_VERSION,
    "GS1-EPCIS-Min": EPCIS_VERSION,
    "GS1-EPCIS-Max": EPCIS_VERSION,
    "GS1-CBV-Version": CBV_VERSION,
    "GS1-CBV-Min": CBV_VERSION,
    "GS1-CBV-Max": CBV_VERSION,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
}

/** Major.minor of a version header value ("2.0", "2.0.0" → [2, 0]), or undefined when it is not one. */
function majorMinor(value: string): [number, number] | undefined {
  const m = /^\s*(\d+)\.(\d+)(?:\.\d+)?\s*$/.exec(value);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * Refuses a request whose `GS1-EPCIS-Version` or `GS1-CBV-Version` header names a version this server does
 * not speak (406 NotAcceptableException, as the bindings say); no header means "any".
 */
export function checkRequestedVersions(req: IncomingMessage): void {
  for (const [header, ours] of [
    ["gs1-epcis-version", EPCIS_VERSION],
    ["gs1-cbv-version", CBV_VERSION],
  ] as const) {
    const asked = req.headers[header];
    if (asked === undefined) continue;
    const value = Array.isArray(asked) ? asked.join(",") : asked;
    const wanted = majorMinor(value);
    const have = majorMinor(ours)!;
    if (!wanted) {
      throw new EpcisRestError("QueryParameterException", `${header} "${value}" is not a version such as ${ours}.`);
    }
    if (wanted[0] !== have[0] || wanted[1] !== have[1]) {
      throw new EpcisRestError(
        "NotAcceptableException",
        `${header} ${value} is not supported: this server implements ${ours} only.`,
      );
    }
  }
}
