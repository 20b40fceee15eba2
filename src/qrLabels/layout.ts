/**
 * The physical layout of printable labels: a QR symbol (quiet zone included) of a given width in mm with the
 * HRI lines under it, and sheets of such labels on a grid. Renderers (SVG, PDF) only draw what this decides.
 *
 * Browser-safe: no Node-only APIs.
 */
import { create as createQr } from "qrcode";
import { DEFAULT_ERROR_CORRECTION, DEFAULT_MARGIN, LabelError, type LabelErrorCorrection } from "./options";

/**
 * The smallest module (X-dimension) a label may have: 0.254 mm (0.010 in), the smallest minimum X-dimension
 * the GS1 General Specifications allow for 2D symbols on products (regulated healthcare tables). Below it a
 * 300 dpi label printer has fewer than 3 dots per module and scans fail.
 */
export const MIN_MODULE_MM = 0.254;
/**
 * The module size under which a label is refused by nothing but warned about: 0.396 mm, GS1's minimum
 * X-dimension for GS1 QR Code / DataMatrix scanned at retail point of sale and by consumers' phones
 * (1.5 × the linear minimum, for image capture).
 */
export const RECOMMENDED_MIN_MODULE_MM = 0.396;
/** Default label width: 30 mm, room for a Digital Link QR of up to ~70 modules at the recommended size. */
export const DEFAULT_LABEL_MM = 30;
/** Millimetres per PostScript/PDF point. */
export const MM_PER_PT = 25.4 / 72;
/** A4 portrait in mm. */
export const A4_MM = { width: 210, height: 297 } as const;

/** Smallest HRI text height: 1.4 mm (≈ 4 pt), still readable; longer lines wrap rather than shrink further. */
const MIN_FONT_MM = 1.4;
/** Largest HRI text height relative to the label width. */
const MAX_FONT_RATIO = 0.08;
/** Average Helvetica advance per character (em) of HRI text (digits are 0.556 em, capitals up to 0.72 em). */
const CHAR_EM = 0.62;
const LINE_SPACING = 1.25;

/** One label's content: the URI its QR encodes and the HRI lines under it. */
export interface LabelContent {
  uri: string;
  hri: string[];
}

/** Options of {@link layoutLabel}. */
export interface LabelLayoutOptions {
  /** Width of the QR symbol with its quiet zone, in mm (default {@link DEFAULT_LABEL_MM}). */
  sizeMm?: number;
  /** Quiet zone in modules (default 4). */
  margin?: number;
  errorCorrectionLevel?: LabelErrorCorrection;
}

/** A label laid out in mm, origin top left, y down. */
export interface LabelLayout {
  uri: string;
  /** The HRI lines as printed (long ones wrapped). */
  lines: string[];
  /** QR modules per side, without the quiet zone. */
  modules: number;
  /** Whether the module at (row, column) is dark. */
  dark: (row: number, column: number) => boolean;
  margin: number;
  /** Module size (X-dimension) in mm. */
  moduleMm: number;
  /** Width of the label = width of the QR symbol with its quiet zone, in mm. */
  widthMm: number;
  /** Total height: the QR square, then the HRI lines. */
  heightMm: number;
  /** HRI text height (font size) in mm. */
  fontMm: number;
  /** Baselines of the HRI lines, in mm from the label's top. */
  baselinesMm: number[];
}

/**
 * A physical size such as `30mm`, `3cm`, `1.2in` or `85pt` (a bare number is mm), in mm.
 * Refuses anything else (`LabelError` INVALID_OPTION).
 */
export function parseSizeMm(text: string): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(mm|cm|in|pt)?\s*$/i.exec(text);
  const value = m ? Number(m[1]) : NaN;
  if (!m || !(value > 0)) {
    throw new LabelError("INVALID_OPTION", `Label size "${text}" must be a length such as 30mm, 3cm, 1.2in or 85pt.`);
  }
  const unit = (m[2] ?? "mm").toLowerCase();
  return value * ({ mm: 1, cm: 10, in: 25.4, pt: MM_PER_PT } as Record<string, number>)[unit];
}

/** Splits a line into pieces of at most `max` characters, after the AI where it can. */
function wrap(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const out: string[] = [];
  let rest = line;
  const cut = rest.indexOf(") ");
  if (cut >= 0 && cut + 1 <= max) {
    out.push(rest.slice(0, cut + 1));
    rest = rest.slice(cut + 2);
  }
  for (let i = 0; i < rest.length; i += max) out.push(rest.slice(i, i + max));
  return out;
}

/**
 * Lays one label out: the QR matrix `qrcode` builds for `content.uri`, scaled so that the symbol with its
 * quiet zone is `sizeMm` wide, and the HRI lines under it in a font that fits the width (wrapped when even
 * the smallest readable size does not). Refuses a size whose modules would be under {@link MIN_MODULE_MM}.
 */
export function layoutLabel(content: LabelContent, options: LabelLayoutOptions = {}): LabelLayout {
  const sizeMm = options.sizeMm ?? DEFAULT_LABEL_MM;
  const margin = options.margin ?? DEFAULT_MARGIN;
  if (!(sizeMm > 0) || !Number.isFinite(sizeMm)) {
    throw new LabelError("INVALID_OPTION", `Label size ${String(sizeMm)} mm must be a positive length.`);
  }
  const qr = createQr(content.uri, { errorCorrectionLevel: options.errorCorrectionLevel ?? DEFAULT_ERROR_CORRECTION });
  const modules = qr.modules.size;
  const moduleMm = sizeMm / (modules + 2 * margin);
  if (moduleMm < MIN_MODULE_MM) {
    const minimum = Math.ceil(MIN_MODULE_MM * (modules + 2 * margin) * 10) / 10;
    throw new LabelError(
      "INVALID_OPTION",
      `A ${round(sizeMm)} mm label would print ${content.uri} with ${round(moduleMm, 3)} mm modules, under the ${MIN_MODULE_MM} mm minimum scanners need: use at least ${minimum} mm (the QR has ${modules} + 2 × ${margin} modules per side).`,
    );
  }
  const longest = Math.max(1, ...content.hri.map((l) => l.length));
  let fontMm = Math.min(sizeMm * MAX_FONT_RATIO, sizeMm / (CHAR_EM * longest));
  let lines = content.hri;
  if (fontMm < MIN_FONT_MM) {
    fontMm = MIN_FONT_MM;
    const max = Math.max(1, Math.floor(sizeMm / (CHAR_EM * fontMm)));
    lines = content.hri.flatMap((l) => wrap(l, max));
  }
  const lineMm = fontMm * LINE_SPACING;
  // The quiet zone under the symbol is blank already; the first line sits half a line into it.
  const top = sizeMm - margin * moduleMm * 0.5;
  const baselinesMm = lines.map((_, i) => top + fontMm + i * lineMm);
  const heightMm = lines.length ? baselinesMm[lines.length - 1] + lineMm - fontMm : sizeMm;
  return {
    uri: content.uri,
    lines,
    modules,
    dark: (row, column) => qr.modules.get(row, column) === 1,
    margin,
    moduleMm,
    widthMm: sizeMm,
    heightMm: Math.max(sizeMm, heightMm),
    fontMm,
    baselinesMm,
  };
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Options of {@link layoutSheet}. */
export interface SheetOptions {
  /** Labels per row (default: as many as fit across an A4 page). */
  columns?: number;
  /** Page size in mm (default A4 portrait). */
  pageMm?: { width: number; height: number };
  /** Page margin in mm (default 10). */
  marginMm?: number;
  /** Gap between labels in mm (default 5, room to cut). */
  gapMm?: number;
}

/** A label placed on a page: its top-left corner in mm. */
export interface PlacedLabel {
  label: LabelLayout;
  xMm: number;
  yMm: number;
}

/** Labels on pages. */
export interface SheetLayout {
  pageMm: { width: number; height: number };
  columns: number;
  /** The labels of each page, in reading order. */
  pages: PlacedLabel[][];
}

/**
 * Places labels on a grid of equal cells (the widest and tallest label), row by row, page by page. Refuses a
 * column count that does not fit the page width, and a label taller than the page.
 */
export function layoutSheet(labels: LabelLayout[], options: SheetOptions = {}): SheetLayout {
  const pageMm = options.pageMm ?? A4_MM;
  const marginMm = options.marginMm ?? 10;
  const gapMm = options.gapMm ?? 5;
  const cellW = Math.max(...labels.map((l) => l.widthMm));
  const cellH = Math.max(...labels.map((l) => l.heightMm));
  const usableW = pageMm.width - 2 * marginMm;
  const usableH = pageMm.height - 2 * marginMm;
  const fit = Math.floor((usableW + gapMm) / (cellW + gapMm));
  const columns = options.columns ?? Math.max(1, fit);
  if (!Number.isInteger(columns) || columns < 1 || columns > Math.max(1, fit) || cellH > usableH) {
    throw new LabelError(
      "INVALID_OPTION",
      `${columns} column(s) of ${round(cellW)} × ${round(cellH)} mm labels do not fit a ${pageMm.width} × ${pageMm.height} mm page with ${marginMm} mm margins: at most ${Math.max(0, fit)} fit across; use fewer columns or a smaller size.`,
    );
  }
  const rows = Math.max(1, Math.floor((usableH + gapMm) / (cellH + gapMm)));
  const perPage = rows * columns;
  const pages: PlacedLabel[][] = [];
  labels.forEach((label, i) => {
    const slot = i % perPage;
    if (slot === 0) pages.push([]);
    pages[pages.length - 1].push({
      label,
      xMm: marginMm + (slot % columns) * (cellW + gapMm),
      yMm: marginMm + Math.floor(slot / columns) * (cellH + gapMm),
    });
  });
  return { pageMm, columns, pages };
}
