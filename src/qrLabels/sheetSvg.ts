/**
 * Printable labels as one SVG: vector QR modules and the HRI as `<text>`, sized in mm, on a grid.
 *
 * Browser-safe: no Node-only APIs.
 */
import { A4_MM, layoutSheet, type LabelLayout, type SheetOptions } from "./layout";

const n = (v: number) => String(Math.round(v * 1000) / 1000);
const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One label: a white cell, the dark modules as one path (module units, scaled), the HRI lines centred. */
function labelGroup(label: LabelLayout, x: number, y: number): string {
  let d = "";
  for (let r = 0; r < label.modules; r++) {
    for (let c = 0; c < label.modules; c++) {
      if (label.dark(r, c)) d += `M${c + label.margin} ${r + label.margin}h1v1h-1z`;
    }
  }
  const text = label.lines
    .map((line, i) => `<text x="${n(label.widthMm / 2)}" y="${n(label.baselinesMm[i])}">${xml(line)}</text>`)
    .join("");
  return (
    `<g class="label" transform="translate(${n(x)} ${n(y)})" data-uri="${xml(label.uri)}">` +
    `<title>${xml(label.uri)}</title>` +
    `<path class="qr" fill="#000" transform="scale(${n(label.moduleMm)})" d="${d}"/>` +
    `<g class="hri" font-family="Helvetica, Arial, sans-serif" font-size="${n(label.fontMm)}" text-anchor="middle" fill="#000">${text}</g>` +
    `</g>`
  );
}

/**
 * An SVG of labels (one or a sheet), in mm (`width="…mm"`, one user unit = 1 mm): each label is its QR code
 * (quiet zone included) with its HRI lines under it. The canvas is as tight as the grid (no page margin unless
 * `marginMm` is given), so a single label's SVG is exactly the label's width.
 */
export function labelsSvg(labels: LabelLayout[], options: SheetOptions = {}): string {
  const width = (options.pageMm ?? A4_MM).width;
  const sheet = layoutSheet(labels, {
    ...options,
    marginMm: options.marginMm ?? 0,
    // Same columns as a PDF sheet by default: the width an A4 page leaves inside its 10 mm margins.
    pageMm: { width: width - (options.marginMm === undefined ? 20 : 0), height: Infinity },
  });
  const placed = sheet.pages[0] ?? [];
  const margin = options.marginMm ?? 0;
  const right = Math.max(...placed.map((p) => p.xMm + p.label.widthMm)) + margin;
  const bottom = Math.max(...placed.map((p) => p.yMm + p.label.heightMm)) + margin;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(right)}mm" height="${n(bottom)}mm" viewBox="0 0 ${n(right)} ${n(bottom)}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    placed.map((p) => labelGroup(p.label, p.xMm, p.yMm)).join("") +
    `</svg>\n`
  );
}
