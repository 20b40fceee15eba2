/**
 * Printable labels as one PNG: QR modules at a whole number of pixels each, the HRI drawn with the 5 × 7
 * bitmap font under each label, and a pHYs chunk so the image prints at the label's physical size.
 *
 * Node only (zlib, Buffer).
 */
import { deflateSync } from "node:zlib";
import { CELL_WIDTH, GLYPH_HEIGHT, glyph } from "./bitmapFont";
import { DEFAULT_SCALE, LabelError } from "./options";
import { A4_MM, layoutSheet, type LabelLayout, type SheetOptions } from "./layout";

/** Options of {@link labelsPng}. */
export interface PngSheetOptions extends SheetOptions {
  /** Pixels per module of the first label (default 8); it sets the image's resolution. */
  scale?: number;
}

/** Helvetica's cap height (em): the bitmap glyphs are drawn as tall as the vector HRI's capitals. */
const CAP_HEIGHT_EM = 0.72;
/** Refuse images above this many pixels (≈ 64 MB of grey): a sheet that big is a mistake, not a print job. */
const MAX_PIXELS = 64_000_000;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** An 8-bit greyscale PNG (filter 0 on every row) with its physical resolution in pixels per metre. */
function encodePng(width: number, height: number, grey: Uint8Array, pixelsPerMetre: number): Buffer {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(grey.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8 bits, greyscale, deflate, adaptive filtering, no interlace
  const phys = Buffer.alloc(9);
  phys.writeUInt32BE(pixelsPerMetre, 0);
  phys.writeUInt32BE(pixelsPerMetre, 4);
  phys[8] = 1; // unit: metre
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("pHYs", phys),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A PNG of labels (one or a sheet, laid out like `labelsSvg`): each QR with a whole number of pixels per
 * module (`scale` for the first label, the same resolution for the others) and its HRI lines in the bitmap
 * font, centred. The pHYs chunk makes the image print at the labels' size in mm.
 */
export function labelsPng(labels: LabelLayout[], options: PngSheetOptions = {}): Buffer {
  const scale = options.scale ?? DEFAULT_SCALE;
  if (!Number.isInteger(scale) || scale < 1) {
    throw new LabelError("INVALID_OPTION", `Label option scale = ${String(scale)} must be a whole number ≥ 1.`);
  }
  const width = (options.pageMm ?? A4_MM).width;
  const margin = options.marginMm ?? 0;
  const sheet = layoutSheet(labels, {
    ...options,
    marginMm: margin,
    pageMm: { width: width - (options.marginMm === undefined ? 20 : 0), height: Infinity },
  });
  const placed = sheet.pages[0] ?? [];
  const pxPerMm = scale / labels[0].moduleMm;
  const px = (mm: number) => Math.round(mm * pxPerMm);
  const W = px(Math.max(...placed.map((p) => p.xMm + p.label.widthMm)) + margin);
  const H = px(Math.max(...placed.map((p) => p.yMm + p.label.heightMm)) + margin);
  if (W * H > MAX_PIXELS) {
    throw new LabelError("INVALID_OPTION", `A ${W} × ${H} pixel PNG is too large: use a smaller scale, or a PDF.`);
  }
  const grey = new Uint8Array(W * H).fill(255);
  const fill = (x0: number, y0: number, w: number, h: number) => {
    for (let y = Math.max(0, y0); y < Math.min(H, y0 + h); y++) {
      grey.fill(0, y * W + Math.max(0, x0), y * W + Math.min(W, x0 + w));
    }
  };
  for (const { label, xMm, yMm } of placed) {
    const x0 = px(xMm);
    const y0 = px(yMm);
    const m = Math.max(1, px(label.moduleMm));
    for (let r = 0; r < label.modules; r++) {
      for (let c = 0; c < label.modules; c++) {
        if (label.dark(r, c)) fill(x0 + (c + label.margin) * m, y0 + (r + label.margin) * m, m, m);
      }
    }
    const labelPx = (label.modules + 2 * label.margin) * m;
    const longest = Math.max(1, ...label.lines.map((l) => l.length));
    // As tall as the vector text's capitals, but never wider than the label.
    const s = Math.max(
      1,
      Math.min(
        Math.round((CAP_HEIGHT_EM * label.fontMm * pxPerMm) / GLYPH_HEIGHT),
        Math.floor(labelPx / (CELL_WIDTH * longest)),
      ),
    );
    label.lines.forEach((line, i) => {
      const textPx = line.length * CELL_WIDTH * s - s;
      let x = x0 + Math.floor((labelPx - textPx) / 2);
      const top = y0 + px(label.baselinesMm[i]) - GLYPH_HEIGHT * s;
      for (const char of line) {
        glyph(char).forEach((row, gy) => row.forEach((ink, gx) => ink && fill(x + gx * s, top + gy * s, s, s)));
        x += CELL_WIDTH * s;
      }
    });
  }
  return encodePng(W, H, grey, Math.round(pxPerMm * 1000));
}
