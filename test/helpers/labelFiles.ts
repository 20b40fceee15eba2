/**
 * Reading back what `trace label` writes, independently of the writer: the PDF's structure (header, xref
 * offsets, stream lengths, `%%EOF`), its pages' module rectangles and `Tj` texts, and the SVG's labels.
 */
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
