/**
 * QR labels as SVG strings. Browser-safe: `qrcode`'s browser build provides `toString` too.
 */
import { toString as qrToString } from "qrcode";
import type { Gs1Identity } from "../gs1/identity";
import { qrRenderOptions, type LabelOptions } from "./options";
import { labelPayload } from "./uri";

/**
 * An SVG QR code of a GS1 Digital Link: error correction M and a 4-module quiet zone by default.
 * `input` is a Digital Link URI (validated, printed as given) or a `Gs1Identity` (printed as its `labelUri`).
 * Invalid input is refused before rendering.
 */
export async function labelSvg(input: string | Gs1Identity, options: LabelOptions = {}): Promise<string> {
  const payload = labelPayload(input, options);
  const render = qrRenderOptions(options, false);
  return qrToString(payload, { ...render, type: "svg" });
}
