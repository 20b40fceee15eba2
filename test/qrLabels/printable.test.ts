/** Printable labels: HRI text under the QR, physical sizes, SVG and PDF sheets, read back independently. */
import { expect } from "chai";
import { create as createQr } from "qrcode";
import { gs1CheckDigit, parseGs1 } from "../../src/gs1";
import {
  A4_MM,
  LabelError,
  MIN_MODULE_MM,
  MM_PER_PT,
  hriLines,
  labelUri,
  labelsPdf,
  labelsSvg,
  layoutLabel,
  parseSizeMm,
  type LabelContent,
} from "../../src/qrLabels";
import { FONT_CHARACTERS, glyph } from "../../src/qrLabels/bitmapFont";
import { labelsPng } from "../../src/qrLabels/rasterPng";
import { readPdf, readPng, readPngText, readSvg } from "../helpers/labelFiles";

/** The bitmap font as the PNG reader matches it: rows of 0/1 → character. */
const FONT = new Map(
  FONT_CHARACTERS.map((c) => [
    glyph(c)
      .map((row) => row.map((ink) => (ink ? "1" : "0")).join(""))
      .join(" "),
    c,
  ]),
);

const GTIN = "09521234543213";
const content = (serial: string, extra: Record<string, string> = {}): LabelContent => {
  const id = parseGs1({ gtin: GTIN, lot: "2026A01", serial, ...extra });
  return { uri: labelUri(id), hri: hriLines(id) };
};
/** Dark modules of the QR `qrcode` builds for a URI: what every renderer must draw, one square each. */
const darkModules = (uri: string) =>
  createQr(uri, { errorCorrectionLevel: "M" }).modules.data.reduce((a, b) => a + b, 0);

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("printable labels: HRI and size", function () {
  it("prints the GS1 HRI, one (AI) value per line in element-string order, attributes included", function () {
    const id = parseGs1("(01)09521234543213(17)261231(10)2026A01(21)SN0001");
    expect(hriLines(id)).to.deep.equal(["(01) 09521234543213", "(17) 261231", "(10) 2026A01", "(21) SN0001"]);
    const sscc = "09521234000000001" + String(gs1CheckDigit("09521234000000001"));
    expect(hriLines(parseGs1(`(00)${sscc}`))).to.deep.equal([`(00) ${sscc}`]);
  });

  it("reads sizes in mm, cm, in and pt and refuses anything else", function () {
    expect(parseSizeMm("30mm")).to.equal(30);
    expect(parseSizeMm("3cm")).to.equal(30);
    expect(parseSizeMm("1in")).to.equal(25.4);
    expect(parseSizeMm("72pt")).to.be.closeTo(25.4, 1e-9);
    expect(parseSizeMm("18")).to.equal(18);
    for (const bad of ["", "0mm", "-3mm", "3 furlongs", "1e3mm", "30mm;"]) {
      expect(
        thrown(() => parseSizeMm(bad)),
        bad,
      ).to.be.instanceOf(LabelError);
    }
  });

  it("scales the symbol with its quiet zone to the size and refuses modules under 0.254 mm", function () {
    const c = content("SN0001");
    const label = layoutLabel(c, { sizeMm: 20 });
    expect(label.widthMm).to.equal(20);
    expect(label.moduleMm * (label.modules + 2 * label.margin)).to.be.closeTo(20, 1e-9);
    expect(label.heightMm).to.be.greaterThan(20);
    const tooSmall = (label.modules + 2 * label.margin) * MIN_MODULE_MM - 0.1;
    const e = thrown(() => layoutLabel(c, { sizeMm: tooSmall }));
    expect(e).to.be.instanceOf(LabelError);
    expect(e.message)
      .to.match(/0\.254 mm minimum/)
      .and.to.include(c.uri);
    expect(layoutLabel(c, { sizeMm: tooSmall + 0.2 }).moduleMm).to.be.at.least(MIN_MODULE_MM);
  });

  it("wraps an HRI line that does not fit the width at the smallest readable size", function () {
    const id = parseGs1({ gtin: GTIN, serial: "ABCDEFGHIJKLMNOPQRST" });
    const label = layoutLabel({ uri: labelUri(id), hri: hriLines(id) }, { sizeMm: 12 });
    expect(label.lines.length).to.be.greaterThan(2);
    const at = label.lines.indexOf("(21)");
    expect(at, "the AI on its own line").to.be.greaterThan(0);
    expect(label.lines.slice(at + 1).join("")).to.equal("ABCDEFGHIJKLMNOPQRST");
  });
});

describe("printable labels: SVG", function () {
  it("draws one label at the requested width in mm, every dark module once, the HRI as text", function () {
    const c = content("SN0001");
    const svg = readSvg(labelsSvg([layoutLabel(c, { sizeMm: 30 })]));
    expect(svg.width).to.equal("30mm");
    expect(svg.labels).to.have.length(1);
    expect(svg.labels[0].uri).to.equal(c.uri);
    expect(svg.labels[0].modules).to.equal(darkModules(c.uri));
    expect(svg.labels[0].texts).to.deep.equal(["(01) 09521234543213", "(10) 2026A01", "(21) SN0001"]);
  });

  it("lays N labels on a grid with N QRs and N HRI blocks, the columns asked for", function () {
    const contents = ["1", "2", "3", "4", "5"].map((s) => content(`SN000${s}`));
    const svg = readSvg(
      labelsSvg(
        contents.map((c) => layoutLabel(c, { sizeMm: 20 })),
        { columns: 2 },
      ),
    );
    expect(svg.labels.map((l) => l.uri)).to.deep.equal(contents.map((c) => c.uri));
    expect(svg.labels.map((l) => l.texts[2])).to.deep.equal(["1", "2", "3", "4", "5"].map((s) => `(21) SN000${s}`));
    expect(svg.labels.map((l) => l.modules)).to.deep.equal(contents.map((c) => darkModules(c.uri)));
    expect(svg.width).to.equal("45mm"); // 2 × 20 mm + one 5 mm gap
  });

  it("ATTACK: a lot holding XML syntax stays text (escaped), it cannot add elements", function () {
    const c = content("1", { lot: `A<b>&"x` });
    const text = labelsSvg([layoutLabel(c)]);
    expect(text).not.to.include("<b>");
    expect(readSvg(text).labels[0].texts).to.include(`(10) A<b>&"x`);
  });
});

describe("printable labels: PDF", function () {
  it("writes a valid PDF 1.4 (xref offsets, stream lengths, %%EOF) on A4 with the modules and HRI", function () {
    const c = content("SN0001");
    const label = layoutLabel(c, { sizeMm: 30 });
    const [page, ...rest] = readPdf(labelsPdf([label]));
    expect(rest).to.deep.equal([]);
    expect(page.mediaBox.map((v) => Math.round(v))).to.deep.equal([0, 0, 595, 842]);
    expect(page.mediaBox[2] * MM_PER_PT).to.be.closeTo(A4_MM.width, 0.01);
    expect(page.rects).to.have.length(darkModules(c.uri));
    expect(page.texts).to.deep.equal(["(01) 09521234543213", "(10) 2026A01", "(21) SN0001"]);
    // Physical size: the modules span `modules` module widths; with the quiet zone that is 30 mm.
    const m = page.rects[0][2];
    const left = Math.min(...page.rects.map((r) => r[0]));
    const right = Math.max(...page.rects.map((r) => r[0] + r[2]));
    expect(right - left).to.be.closeTo(label.modules * m, 0.01);
    expect((label.modules + 2 * label.margin) * m * MM_PER_PT).to.be.closeTo(30, 0.01);
  });

  it("puts a sheet on as many A4 pages as it needs, each label with its QR and HRI", function () {
    const contents = Array.from({ length: 13 }, (_, i) => content(`S${i}`));
    const labels = contents.map((c) => layoutLabel(c, { sizeMm: 60 }));
    const pages = readPdf(labelsPdf(labels, { columns: 3 }));
    // 60 mm labels with three lines of HRI: 3 across, 3 down an A4 page → 9 per page.
    expect(pages.map((p) => p.texts.length / 3)).to.deep.equal([9, 4]);
    const texts = pages.flatMap((p) => p.texts);
    expect(texts.filter((t) => t.startsWith("(21)"))).to.deep.equal(contents.map((_, i) => `(21) S${i}`));
    const rects = pages.reduce((a, p) => a + p.rects.length, 0);
    expect(rects).to.equal(contents.reduce((a, c) => a + darkModules(c.uri), 0));
  });

  it("refuses more columns than fit across the page", function () {
    const labels = [layoutLabel(content("1"), { sizeMm: 60 })];
    expect(thrown(() => labelsPdf(labels, { columns: 4 })).message).to.match(/at most 3 fit across/);
  });

  it("ATTACK: a lot holding PDF string syntax stays inside its string (escaped), no operator is injected", function () {
    // GS1 lots cannot hold "\\", but the SDK renders any HRI text it is given: a caller's lines are escaped too.
    const c = { uri: content("1").uri, hri: ["(01) 09521234543213", "(10) X)Tj(Y\\", "(21) 1"] };
    const bytes = labelsPdf([layoutLabel(c)]);
    const raw = Buffer.from(bytes).toString("latin1");
    expect(raw).to.include("(\\(10\\) X\\)Tj\\(Y\\\\) Tj");
    const [page] = readPdf(bytes);
    expect(page.texts).to.include("(10) X)Tj(Y\\");
    expect(page.texts).to.have.length(3);
  });
});

describe("printable labels: PNG", function () {
  it("draws the QR at whole pixels per module, prints at the size in mm (pHYs) and writes the HRI in the bitmap font", function () {
    const c = content("SN0001", { lot: "Lot-7/b.x" });
    const label = layoutLabel(c, { sizeMm: 30 });
    const png = readPng(labelsPng([label], { scale: 8 }));
    const side = (label.modules + 2 * label.margin) * 8;
    expect(png.width).to.equal(side);
    expect((png.width / png.pixelsPerMetre) * 1000).to.be.closeTo(30, 0.01);
    const qr = createQr(c.uri, { errorCorrectionLevel: "M" }).modules;
    for (let r = 0; r < qr.size; r++) {
      for (let col = 0; col < qr.size; col++) {
        const x = (col + label.margin) * 8 + 4;
        const y = (r + label.margin) * 8 + 4;
        if (png.ink(x, y) !== (qr.get(r, col) === 1)) throw new Error(`module ${r},${col} differs`);
      }
    }
    // The HRI starts in the quiet zone under the modules.
    const below = (label.modules + label.margin) * 8;
    const text = readPngText(png, { x: 0, y: below, width: png.width, height: png.height - below }, FONT);
    expect(text).to.deep.equal(["(01) 09521234543213", "(10) Lot-7/b.x", "(21) SN0001"]);
  });

  it("stacks a sheet's labels, each with its own HRI", function () {
    const contents = ["A", "B", "C"].map((s) => content(`SN${s}`));
    const labels = contents.map((c) => layoutLabel(c, { sizeMm: 25 }));
    const png = readPng(labelsPng(labels, { columns: 1, scale: 6 }));
    const pxPerMm = png.pixelsPerMetre / 1000;
    const texts = labels.map((l, i) => {
      const top = Math.round(i * (l.heightMm + 5) * pxPerMm) + (l.modules + l.margin) * 6;
      const bottom = Math.round((i * (l.heightMm + 5) + l.heightMm) * pxPerMm);
      return readPngText(png, { x: 0, y: top, width: png.width, height: bottom - top }, FONT);
    });
    expect(texts).to.deep.equal(contents.map((c) => c.hri));
  });
});
