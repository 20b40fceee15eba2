/**
 * `trace label` end to end (`node bin/trace.js`, no chain needed): labels and sheets with their HRI, read
 * back from the files written; refusals exit with the input-error code and write nothing.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create as createQr } from "qrcode";
import { EXIT } from "../../src/cli/exitCodes";
import { MM_PER_PT } from "../../src/qrLabels";
import { runTrace, type TraceRun } from "../helpers/localNode";
import { readPdf, readPng, readSvg } from "../helpers/labelFiles";

const GTIN = "09521234543213";
const item = (n: number) => `(01)${GTIN}(10)LOT1(21)${n}`;
const uri = (n: number, domain = "https://id.gs1.org") => `${domain}/01/${GTIN}/10/LOT1/21/${n}`;
const hri = (n: number) => [`(01) ${GTIN}`, "(10) LOT1", `(21) ${n}`];
const darkModules = (text: string) =>
  createQr(text, { errorCorrectionLevel: "M" }).modules.data.reduce((a, b) => a + b, 0);

function ok<T>(run: TraceRun): T {
  expect(run.code, run.stderr).to.equal(0);
  return JSON.parse(run.stdout) as T;
}

function refused(run: TraceRun): string {
  expect(run.code, run.stdout + run.stderr).to.equal(EXIT.INVALID_INPUT);
  expect(run.stdout).to.equal("");
  return run.stderr;
}

describe("trace label: printable labels and sheets", function () {
  this.timeout(60_000);
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cbec-trace-labels-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes labels with their HRI at the size asked for: one SVG, a PDF sheet from a file, on the resolver domain", async () => {
    writeFileSync(file("codes.txt"), `# carton 1\n${item(1)}\n\n${uri(2)}\r\n${item(3)}\n`);
    const [svg, pdf, env, png] = await Promise.all([
      runTrace(["label", item(7), "--out", file("one.svg"), "--size", "25mm", "--json"]),
      runTrace(["label", "--from", file("codes.txt"), item(4), "--out", file("sheet.pdf"), "--columns", "2", "--json"]),
      runTrace(["label", item(8), "--out", file("env.svg"), "--json"], {
        env: { TRACE_RESOLVER_URL: "https://trace.example.cn" },
      }),
      runTrace(["label", item(5), item(6), "--out", file("sheet.png"), "--size", "20mm", "--json"]),
    ]);

    expect(ok(svg)).to.deep.equal({ file: file("one.svg"), uri: uri(7) });
    const one = readSvg(readFileSync(file("one.svg"), "utf8"));
    expect(one.width).to.equal("25mm");
    expect(one.labels.map((l) => [l.uri, l.texts, l.modules])).to.deep.equal([[uri(7), hri(7), darkModules(uri(7))]]);

    // Arguments first, then the file's codes in order; comments and blank lines skipped.
    const order = [4, 1, 2, 3];
    expect(ok(pdf)).to.deep.equal({ file: file("sheet.pdf"), uris: order.map((n) => uri(n)) });
    const pages = readPdf(readFileSync(file("sheet.pdf")));
    expect(pages).to.have.length(1);
    expect(pages[0].texts).to.deep.equal(order.flatMap(hri));
    expect(pages[0].rects).to.have.length(order.reduce((a, n) => a + darkModules(uri(n)), 0));
    // Default 30 mm: the first label's modules plus its quiet zone span 30 mm (in points on the page).
    const m = pages[0].rects[0][2];
    const modules = createQr(uri(4), { errorCorrectionLevel: "M" }).modules.size;
    expect((modules + 8) * m * MM_PER_PT).to.be.closeTo(30, 0.01);

    expect(ok(env)).to.deep.equal({ file: file("env.svg"), uri: uri(8, "https://trace.example.cn") });

    // PNG: two 20 mm labels side by side (5 mm gap) at 8 pixels per module, printing at 45 mm (pHYs).
    expect(ok(png)).to.deep.equal({ file: file("sheet.png"), uris: [uri(5), uri(6)] });
    const image = readPng(readFileSync(file("sheet.png")));
    expect((image.width / image.pixelsPerMetre) * 1000).to.be.closeTo(45, 0.2);
    expect(image.height).to.be.greaterThan(image.width / 2);
  });

  it("ATTACK: a code naming another resolver is printed on this deployment's domain, not the code's", async () => {
    const foreign = `https://evil.example/01/${GTIN}/10/LOT1/21/9`;
    const run = await runTrace(["label", foreign, "--out", file("foreign.svg"), "--json"]);
    expect(ok(run)).to.deep.equal({ file: file("foreign.svg"), uri: uri(9) });
    const [label] = readSvg(readFileSync(file("foreign.svg"), "utf8")).labels;
    expect(label.uri).to.equal(uri(9));
    expect(readFileSync(file("foreign.svg"), "utf8")).not.to.include("evil.example");
  });

  it("refuses a bad code line, a bad extension, a too small size, a bad PNG scale and too many columns, and writes no file", async () => {
    const badGtin = GTIN.slice(0, 13) + String((Number(GTIN[13]) + 1) % 10);
    writeFileSync(file("bad.txt"), `${item(1)}\n${item(2)}\n(01)${badGtin}(21)3\n`);
    const outs = ["bad.pdf", "x.gif", "tiny.pdf", "scale.png", "cols.pdf"].map(file);
    const [badLine, badExt, tiny, badScale, cols] = await Promise.all([
      runTrace(["label", "--from", file("bad.txt"), "--out", outs[0]]),
      runTrace(["label", item(1), "--out", outs[1]]),
      runTrace(["label", item(1), "--out", outs[2], "--size", "8mm"]),
      runTrace(["label", item(1), item(2), "--out", outs[3], "--scale", "0"]),
      runTrace(["label", item(1), "--out", outs[4], "--size", "60mm", "--columns", "4"]),
    ]);
    const line = refused(badLine);
    expect(line).to.include(`bad.txt line 3: "(01)${badGtin}(21)3"`);
    expect(line).to.match(/wrong check digit: expected 3/);
    expect(refused(badExt)).to.match(/\.svg, \.pdf or \.png/);
    expect(refused(tiny)).to.match(/0\.254 mm minimum/);
    expect(refused(badScale)).to.match(/--scale "0" must be a whole number of pixels per module/);
    expect(refused(cols)).to.match(/at most 3 fit across/);
    for (const out of outs) expect(existsSync(out), out).to.equal(false);
  });

  it("warns, and still writes, when modules are under GS1's 0.396 mm retail minimum", async () => {
    const run = await runTrace(["label", item(1), "--out", file("small.svg"), "--size", "14mm"]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/warning: .* under the 0\.396 mm GS1 minimum/);
    expect(readSvg(readFileSync(file("small.svg"), "utf8")).width).to.equal("14mm");
  });
});
