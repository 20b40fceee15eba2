/**
 * Options shared by the QR label renderers, their defaults and their validation.
 *
 * Browser-safe: no Node-only APIs.
 */
import { TraceError } from "../errors/base";

/** QR error correction level: L ≈ 7 %, M ≈ 15 %, Q ≈ 25 %, H ≈ 30 % of the symbol may be damaged. */
export type LabelErrorCorrection = "L" | "M" | "Q" | "H";

/** Options of `labelSvg` (and, with `scale`, of `labelPng`). */
export interface LabelOptions {
  /** Default `"M"`, GS1's recommendation for Digital Link QR codes on products. */
  errorCorrectionLevel?: LabelErrorCorrection;
  /**
   * Quiet zone around the symbol, in modules. Default 4, the minimum ISO/IEC 18004 requires; use less only
   * when the label layout itself keeps the rest of the zone blank.
   */
  margin?: number;
  /** Output width in pixels (SVG: `width`/`height` attributes; PNG: overrides `scale`). */
  width?: number;
  /** Module colours as hex (`#RGB`, `#RRGGBB`, `#RRGGBBAA`); dark must stay darker than light. */
  color?: { dark?: string; light?: string };
  /** When a `Gs1Identity` is given: the resolver domain of the printed URI (default `https://id.gs1.org`). */
  domain?: string;
  /** When a `Gs1Identity` is given: path segments between domain and key, e.g. `products`. */
  pathPrefix?: string;
}

/** Options of `labelPng`. */
export interface PngLabelOptions extends LabelOptions {
  /** Pixels per module (default 8). The image is `(modules + 2 × margin) × scale` pixels wide. */
  scale?: number;
}

/** Codes of {@link LabelError}. */
export type LabelErrorCode = "INVALID_OPTION" | "NOT_A_URI";

/** Thrown when a label option is invalid or the payload is not a printable Digital Link URI. */
export class LabelError extends TraceError {
  override name = "LabelError" as const;
  readonly code: LabelErrorCode;

  constructor(code: LabelErrorCode, message: string) {
    super(message, { bare: true });
    this.code = code;
  }
}

/** The default quiet zone: 4 modules (ISO/IEC 18004). */
export const DEFAULT_MARGIN = 4;
/** The default error correction level. */
export const DEFAULT_ERROR_CORRECTION: LabelErrorCorrection = "M";
/** The default PNG scale, in pixels per module. */
export const DEFAULT_SCALE = 8;

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

function requireInteger(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new LabelError("INVALID_OPTION", `Label option ${name} = ${String(value)} must be a whole number ≥ ${min}.`);
  }
}

/** The options `qrcode` receives, after validation and defaults. */
export interface QrRenderOptions {
  errorCorrectionLevel: LabelErrorCorrection;
  margin: number;
  width?: number;
  scale?: number;
  color?: { dark?: string; light?: string };
}

/** Validates label options and fills the defaults. */
export function qrRenderOptions(options: PngLabelOptions, withScale: boolean): QrRenderOptions {
  const level = options.errorCorrectionLevel ?? DEFAULT_ERROR_CORRECTION;
  if (!["L", "M", "Q", "H"].includes(level)) {
    throw new LabelError(
      "INVALID_OPTION",
      `Label option errorCorrectionLevel = ${JSON.stringify(level)} must be "L", "M", "Q" or "H".`,
    );
  }
  requireInteger("margin", options.margin, 0);
  requireInteger("width", options.width, 1);
  requireInteger("scale", options.scale, 1);
  for (const key of ["dark", "light"] as const) {
    const value = options.color?.[key];
    if (value !== undefined && !HEX_COLOR.test(value)) {
      throw new LabelError(
        "INVALID_OPTION",
        `Label option color.${key} = ${JSON.stringify(value)} must be a hex colour such as "#000000" or "#ffffffff".`,
      );
    }
  }
  const out: QrRenderOptions = { errorCorrectionLevel: level, margin: options.margin ?? DEFAULT_MARGIN };
  if (options.width !== undefined) out.width = options.width;
  if (withScale) out.scale = options.scale ?? DEFAULT_SCALE;
  if (options.color !== undefined) out.color = { ...options.color };
  return out;
}
