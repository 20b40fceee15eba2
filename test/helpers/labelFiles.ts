/**
 * Reading back what `trace label` writes, independently of the writer: the PDF's structure (header, xref
 * offsets, stream lengths, `%%EOF`), its pages' module rectangles and `Tj` texts, and the SVG's labels.
 */
import { inflateSync } from "node:zlib";
import { expect } from "chai";

/** One PDF page as read back: its MediaBox, its `re` rectangles and its `Tj` strings (unescaped). */
export interface PdfPage {
  mediaBox: number[];
  rects: Array<[number, number, number, number]>;
  texts: string[];
}

function unescapePdf(s: string): string {
  return s.replace(/\\([\\()])/g, "$1");
}

/**
 * Checks a PDF 1.4 file's structure the way a reader finds objects (startxref → xref → each `n 0 obj`, each
 * stream's /Length) and returns its pages in page-tree order.
 */
export function readPdf(bytes: Uint8Array): PdfPage[] {
  const text = Buffer.from(bytes).toString("latin1");
  expect(text.startsWith("%PDF-1.4\n"), "header").to.equal(true);
  expect(text.endsWith("%%EOF\n"), "trailer end").to.equal(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 5), "startxref points at the xref table").to.equal("xref\n");
  const head = /^xref\n0 (\d+)\n/.exec(text.slice(startxref));
  expect(head).not.to.equal(null);
  const count = Number(head![1]);
  const entries = text
    .slice(startxref + head![0].length)
    .split("\n")
    .slice(0, count);
  expect(entries[0]).to.equal("0000000000 65535 f ");
  const objects = new Map<number, string>();
  for (let i = 1; i < count; i++) {
    expect(entries[i], `xref entry ${i}`).to.match(/^\d{10} 00000 n $/);
    const offset = Number(entries[i].slice(0, 10));
    const prefix = `${i} 0 obj\n`;
    expect(text.slice(offset, offset + prefix.length), `xref entry ${i} points at its object`).to.equal(prefix);
    const end = text.indexOf("\nendobj\n", offset);
    objects.set(i, text.slice(offset + prefix.length, end));
  }
  expect(/trailer\n<< \/Size (\d+) \/Root (\d+) 0 R >>/.exec(text)?.slice(1).map(Number)).to.deep.equal([count, 1]);
  const catalog = objects.get(1)!;
  const pagesRef = Number(/\/Pages (\d+) 0 R/.exec(catalog)![1]);
  const kidList = /\/Kids \[([^\]]*)\]/.exec(objects.get(pagesRef)!)![1];
  const kids = [...kidList.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  return kids.map((ref) => {
    const page = objects.get(ref)!;
    expect(page).to.include("/Type /Page ");
    const mediaBox = /\/MediaBox \[([^\]]+)\]/.exec(page)![1].split(" ").map(Number);
    const content = objects.get(Number(/\/Contents (\d+) 0 R/.exec(page)![1]))!;
    const m = /^<< \/Length (\d+) >>\nstream\n([\s\S]*)endstream$/.exec(content);
    expect(m, "content stream").not.to.equal(null);
    expect(Buffer.byteLength(m![2], "latin1"), "/Length is the stream's byte length").to.equal(Number(m![1]));
    const rects = [...m![2].matchAll(/^(\S+) (\S+) (\S+) (\S+) re$/gm)].map(
      (r) => [Number(r[1]), Number(r[2]), Number(r[3]), Number(r[4])] as [number, number, number, number],
    );
    const texts = [...m![2].matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)].map((t) => unescapePdf(t[1]));
    return { mediaBox, rects, texts };
  });
}

/** One label of an SVG as read back: its URI, the number of module squares in its path, its text lines. */
export interface SvgLabel {
  uri: string;
  modules: number;
  moduleMm: number;
  texts: string[];
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

/** The labels of an SVG written by `labelsSvg`, and its width and height attributes. */
export function readSvg(svg: string): { width: string; height: string; labels: SvgLabel[] } {
  const root = /^<svg [^>]*width="([^"]+)" height="([^"]+)"/.exec(svg);
  expect(root, "svg root with width and height").not.to.equal(null);
  const labels = [...svg.matchAll(/<g class="label" [^>]*data-uri="([^"]*)">([\s\S]*?)<\/g><\/g>/g)].map((g) => {
    const path = /<path class="qr" [^>]*transform="scale\(([^)]+)\)" d="([^"]*)"/.exec(g[2])!;
    return {
      uri: unescapeXml(g[1]),
      modules: (path[2].match(/M/g) ?? []).length,
      moduleMm: Number(path[1]),
      texts: [...g[2].matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((t) => unescapeXml(t[1])),
    };
  });
  return { width: root![1], height: root![2], labels };
}

/** A greyscale PNG as read back: size, pixels per metre (pHYs) and an ink test per pixel. */
export interface PngImage {
  width: number;
  height: number;
  pixelsPerMetre: number;
  ink: (x: number, y: number) => boolean;
}

/** Decodes the 8-bit greyscale, filter-0 PNGs `labelsPng` writes (and checks every chunk's CRC). */
export function readPng(png: Buffer): PngImage {
  expect(png.subarray(0, 8).toString("hex")).to.equal("89504e470d0a1a0a");
  const chunks = new Map<string, Buffer[]>();
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString("latin1");
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).to.equal(zlibCrc32(png.subarray(at + 4, at + 8 + length)));
    chunks.set(type, [...(chunks.get(type) ?? []), data]);
    at += 12 + length;
  }
  const ihdr = chunks.get("IHDR")![0];
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  expect([...ihdr.subarray(8)], "8-bit greyscale").to.deep.equal([8, 0, 0, 0, 0]);
  const phys = chunks.get("pHYs")![0];
  expect(phys[8], "pHYs unit is the metre").to.equal(1);
  const raw = inflateSync(Buffer.concat(chunks.get("IDAT")!));
  expect(raw.length).to.equal((width + 1) * height);
  for (let y = 0; y < height; y++) expect(raw[y * (width + 1)], `row ${y} filter`).to.equal(0);
  return {
    width,
    height,
    pixelsPerMetre: phys.readUInt32BE(0),
    ink: (x, y) => raw[y * (width + 1) + 1 + x] < 128,
  };
}

function zlibCrc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Reads the text lines drawn in a PNG region with the 5 × 7 bitmap font: finds each band of ink rows, its
 * pixel size (band height / 7, every HRI line holds a full-height "(" or digit), then matches cell by cell.
 */
export function readPngText(
  png: PngImage,
  region: { x: number; y: number; width: number; height: number },
  glyphs: Map<string, string>,
): string[] {
  const rowInk = (y: number) => {
    for (let x = region.x; x < region.x + region.width; x++) if (png.ink(x, y)) return true;
    return false;
  };
  const bands: Array<[number, number]> = [];
  for (let y = region.y; y < region.y + region.height; y++) {
    if (!rowInk(y)) continue;
    const top = y;
    while (y < region.y + region.height && rowInk(y)) y++;
    bands.push([top, y]);
  }
  return bands.map(([top, bottom]) => {
    const s = (bottom - top) / 7;
    expect(Number.isInteger(s), `band at ${top} is 7 font pixels tall`).to.equal(true);
    let left = region.x + region.width;
    let right = region.x;
    for (let y = top; y < bottom; y++) {
      for (let x = region.x; x < region.x + region.width; x++) {
        if (png.ink(x, y)) {
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    // The first glyph's ink may start a few font pixels into its cell: try each offset, keep the one that reads.
    for (let k = 0; k < 5; k++) {
      let text = "";
      let x0 = left - k * s;
      for (; x0 <= right; x0 += 6 * s) {
        let key = "";
        for (let gy = 0; gy < 7; gy++) {
          for (let gx = 0; gx < 5; gx++) key += png.ink(x0 + gx * s + (s >> 1), top + gy * s + (s >> 1)) ? "1" : "0";
          key += gy < 6 ? " " : "";
        }
        const char = glyphs.get(key);
        if (char === undefined) break;
        text += char;
      }
      if (x0 > right) return text;
    }
    throw new Error(`the text band at y ${top} does not read as the bitmap font`);
  });
}
