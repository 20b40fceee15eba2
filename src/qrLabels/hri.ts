/**
 * The human-readable interpretation (HRI) printed under a label's QR code: the unit's element string, one
 * `(AI) value` line per element, as GS1 prints it under barcodes.
 *
 * Browser-safe: no Node-only APIs.
 */
import { identityElements } from "../gs1/elementString";
import type { Gs1Identity } from "../gs1/identity";

/**
 * The HRI lines of a unit, in element-string order, e.g. `["(01) 09521234543213", "(10) ABC123", "(21) 12345"]`.
 * Values are printed as they are (no `\(` escaping: a person reads them, no parser does).
 */
export function hriLines(identity: Gs1Identity): string[] {
  return identityElements(identity).map((e) => `(${e.ai}) ${e.value}`);
}
