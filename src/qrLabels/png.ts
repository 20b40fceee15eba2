/**
 * QR labels as PNG images. Node only (`qrcode.toBuffer` returns a Node `Buffer`); browsers use `labelSvg`.
 */
import { toBuffer } from "qrcode";
import type { Gs1Identity } from "../gs1/identity";
import { qrRenderOptions, type PngLabelOptions } from "./options";
import { labelPayload } from "./uri";

/**
 * A PNG QR code of a GS1 Digital Link, `(modules + 2 × margin) × scale` pixels square (or `width` pixels):
 * error correction M, a 4-module quiet zone and 8 pixels per module by default.
 * `input` is a Digital Link URI (validated, printed as given) or a `Gs1Identity` (printed as its `labelUri`).
 * Invalid input is refused before rendering.
 */
export async function labelPng(input: string | Gs1Identity, options: PngLabelOptions = {}): Promise<Buffer> {
  const payload = labelPayload(input, options);
  const render = qrRenderOptions(options, true);
  return toBuffer(payload, { ...render, type: "png" });
}
