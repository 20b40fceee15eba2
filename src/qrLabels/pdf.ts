/**
 * A minimal PDF 1.4 writer for label sheets: uncompressed content streams, the standard Helvetica font (no
 * embedding: every PDF reader has it), one xref table. No dependency, so what is printed is what this file
 * writes, and tests can read it back as text.
 *
 * Browser-safe: no Node-only APIs (returns bytes as a `Uint8Array`).
 */
import { MM_PER_PT, layoutSheet, type LabelLayout, type SheetOptions } from "./layout";

const pt = (mm: number) => mm / MM_PER_PT;
const n = (v: number) => String(Math.round(v * 1000) / 1000);

/** A PDF literal string: HRI text is printable ASCII (GS1 CSET 82); anything else is shown as `?`. */
function pdfString(text: string): string {
  return `(${text.replace(/[^\x20-\x7e]/g, "?").replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** Helvetica advance widths (per 1000 em) of the characters HRI uses most; others count as 0.6 em. */
const HELVETICA: Record<string, number> = { " ": 278, "(": 333, ")": 333, "-": 333, ".": 278, "/": 278 };
for (const d of "0123456789") HELVETICA[d] = 556;
const textWidth = (text: string, size: number) =>
  ([...text].reduce((w, c) => w + (HELVETICA[c] ?? 600), 0) * size) / 1000;

/** The content stream of one page: every dark module as a filled rectangle, then the HRI lines centred. */
function pageContent(placed: ReturnType<typeof layoutSheet>["pages"][number], pageHeightMm: number): string {
  const ops: string[] = ["0 g"];
  for (const { label, xMm, yMm } of placed) {
    const m = pt(label.moduleMm);
    const left = pt(xMm) + label.margin * m;
    const top = pt(pageHeightMm - yMm) - label.margin * m;
    for (let r = 0; r < label.modules; r++) {
      for (let c = 0; c < label.modules; c++) {
        if (label.dark(r, c)) ops.push(`${n(left + c * m)} ${n(top - (r + 1) * m)} ${n(m)} ${n(m)} re`);
      }
    }
    ops.push("f");
    const size = pt(label.fontMm);
    label.lines.forEach((line, i) => {
      const x = pt(xMm + label.widthMm / 2) - textWidth(line, size) / 2;
      const y = pt(pageHeightMm - yMm - label.baselinesMm[i]);
      ops.push(`BT /F1 ${n(size)} Tf ${n(x)} ${n(y)} Td ${pdfString(line)} Tj ET`);
    });
  }
  return ops.join("\n") + "\n";
}

/** Serialises objects 1…n (bodies without `obj`/`endobj`) into a PDF 1.4 file with its xref table. */
function pdfFile(objects: string[]): Uint8Array {
  // Binary-comment line after the header: tells transfer tools the file is binary (PDF 1.4 §3.4.1).
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // Every character above is one byte (latin-1), so string offsets are byte offsets.
  return Uint8Array.from(out, (c) => c.charCodeAt(0));
}

/**
 * A PDF 1.4 of labels on A4 pages (or `pageMm`), on the grid of `layoutSheet`: QR modules as filled
 * rectangles, HRI in Helvetica under each. Sizes are physical: print at 100 % ("actual size").
 */
export function labelsPdf(labels: LabelLayout[], options: SheetOptions = {}): Uint8Array {
  const sheet = layoutSheet(labels, options);
  const w = n(pt(sheet.pageMm.width));
  const h = n(pt(sheet.pageMm.height));
  // 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
  const kids = sheet.pages.map((_, i) => `${4 + 2 * i} 0 R`).join(" ");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${kids}] /Count ${sheet.pages.length} >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  sheet.pages.forEach((placed, i) => {
    const content = pageContent(placed, sheet.pageMm.height);
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`,
      `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    );
  });
  return pdfFile(objects);
}
