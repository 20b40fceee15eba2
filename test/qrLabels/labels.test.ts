/** QR labels: SVG and PNG renderings of GS1 Digital Links, with input refused before anything is rendered. */
import { readdirSync, readFileSync } from "node:fs";
import { expect } from "chai";
import { create as createQr, toString as qrToString } from "qrcode";
import { Gs1Error, parseGs1, type Gs1Identity } from "../../src/gs1";
import { LabelError, labelPayload, labelSvg, labelUri } from "../../src/qrLabels";
import { labelPng } from "../../src/qrLabels/png";

const URI = "https://id.gs1.org/01/09521234543213/10/ABC123/21/12345";
const OTHER = "https://id.gs1.org/01/09521234543213/10/ABC123/21/12346";
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Awaits a promise that must reject; returns the reason. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

/** A minimal XML well-formedness check: one root, balanced tags, quoted attributes, nothing outside the root. */
function assertWellFormedXml(xml: string): void {
  const text = xml.trim();
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  while (i < text.length) {
    if (text[i] !== "<") {
      const next = text.indexOf("<", i);
      const chunk = text.slice(i, next < 0 ? text.length : next);
      expect(stack.length > 0 || chunk.trim() === "", `text outside the root: ${chunk}`).to.equal(true);
      expect(chunk, "unescaped & in text").not.to.match(/&(?![a-z]+;|#\d+;)/);
      i = next < 0 ? text.length : next;
      continue;
    }
    tag.lastIndex = i;
    const m = tag.exec(text);
    expect(m, `malformed tag at ${i}: ${text.slice(i, i + 40)}`).not.to.equal(null);
    const [whole, closing, name, , selfClosing] = m!;
    if (closing) {
      expect(stack.pop(), `unbalanced </${name}>`).to.equal(name);
    } else {
      if (stack.length === 0) roots += 1;
      if (!selfClosing) stack.push(name);
    }
    i += whole.length;
  }
  expect(stack, "unclosed tags").to.deep.equal([]);
  expect(roots).to.equal(1);
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString("ascii")).to.equal("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("QR labels: labelUri", function () {
  const id: Gs1Identity = parseGs1({ gtin: "9521234543213", lot: "ABC123", serial: "12345" });

  it("builds the Digital Link to print, on id.gs1.org by default", function () {
    expect(labelUri(id)).to.equal(URI);
  });

  it("takes the resolver domain and path prefix of the platform", function () {
    expect(labelUri(id, { domain: "https://trace.example.cn", pathPrefix: "p" })).to.equal(
      "https://trace.example.cn/p/01/09521234543213/10/ABC123/21/12345",
    );
  });

  it("prints data attributes unless told not to", function () {
    const lot = parseGs1("(01)09521234543213(10)ABC123(17)261231");
    expect(labelUri(lot)).to.equal("https://id.gs1.org/01/09521234543213/10/ABC123?17=261231");
    expect(labelUri(lot, { attributes: false })).to.equal("https://id.gs1.org/01/09521234543213/10/ABC123");
  });
});

describe("QR labels: SVG", function () {
  it("renders a well-formed SVG with a path, error correction M and a 4-module quiet zone", async function () {
    const svg = await labelSvg(URI);
    assertWellFormedXml(svg);
    expect(svg).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).to.match(/<path [^>]*d="M[^"]+"/);
    const modules = createQr(URI, { errorCorrectionLevel: "M" }).modules.size;
    expect(svg).to.contain(`viewBox="0 0 ${modules + 8} ${modules + 8}"`);
    expect(svg).to.match(/d="M4 4\.5h7/); // the finder pattern starts 4 modules in: the quiet zone
    expect(svg).to.equal(await qrToString(URI, { type: "svg", errorCorrectionLevel: "M", margin: 4 }));
    expect(svg).not.to.equal(await qrToString(URI, { type: "svg", errorCorrectionLevel: "L", margin: 4 }));
  });

  it("honours error correction level, margin, width and colours", async function () {
    const svg = await labelSvg(URI, {
      errorCorrectionLevel: "H",
      margin: 2,
      width: 300,
      color: { dark: "#112233", light: "#ffffff" },
    });
    assertWellFormedXml(svg);
    const modules = createQr(URI, { errorCorrectionLevel: "H" }).modules.size;
    expect(svg).to.contain(`viewBox="0 0 ${modules + 4} ${modules + 4}"`);
    expect(svg).to.contain('width="300" height="300"');
    expect(svg).to.contain('stroke="#112233"');
  });

  it("gives different symbols for different URIs, and the same for the same", async function () {
    expect(await labelSvg(URI)).not.to.equal(await labelSvg(OTHER));
    expect(await labelSvg(URI)).to.equal(await labelSvg(URI));
  });

  it("renders an identity as its labelUri", async function () {
    const id = parseGs1(URI);
    expect(await labelSvg(id)).to.equal(await labelSvg(URI));
    expect(await labelSvg(id, { domain: "https://trace.example.cn" })).to.equal(
      await labelSvg("https://trace.example.cn/01/09521234543213/10/ABC123/21/12345"),
    );
  });
});

describe("QR labels: PNG", function () {
  it("renders a PNG of (modules + 2 × 4) × scale pixels", async function () {
    const png = await labelPng(URI, { scale: 5 });
    expect([...png.subarray(0, 8)]).to.deep.equal(PNG_SIGNATURE);
    const modules = createQr(URI, { errorCorrectionLevel: "M" }).modules.size;
    expect(pngSize(png)).to.deep.equal({ width: (modules + 8) * 5, height: (modules + 8) * 5 });
  });

  it("defaults to 8 pixels per module, and takes a margin and an explicit width", async function () {
    const modules = createQr(URI, { errorCorrectionLevel: "M" }).modules.size;
    expect(pngSize(await labelPng(URI)).width).to.equal((modules + 8) * 8);
    expect(pngSize(await labelPng(URI, { scale: 3, margin: 6 })).width).to.equal((modules + 12) * 3);
    expect(pngSize(await labelPng(URI, { width: 400 })).width).to.equal(400);
  });

  it("gives different images for different URIs", async function () {
    expect((await labelPng(URI)).equals(await labelPng(OTHER))).to.equal(false);
  });
});

describe("QR labels: refusals before rendering", function () {
  it("refuses an invalid Digital Link with the GS1 error", async function () {
    const badCheckDigit = await rejection(labelSvg("https://id.gs1.org/01/09521234543214/21/1"));
    expect(badCheckDigit).to.be.instanceOf(Gs1Error);
    expect((badCheckDigit as Gs1Error).code).to.equal("CHECK_DIGIT");
    const order = await rejection(labelPng("https://id.gs1.org/01/09521234543213/21/1/10/A"));
    expect((order as Gs1Error).code).to.equal("QUALIFIER_ORDER");
  });

  it("refuses payloads that are not http(s) URIs", async function () {
    for (const text of ["/01/09521234543213", "(01)09521234543213", "hello"]) {
      const error = await rejection(labelSvg(text));
      expect(error, text).to.be.instanceOf(LabelError);
      expect((error as LabelError).code).to.equal("NOT_A_URI");
    }
  });

  it("refuses invalid or tampered identities", async function () {
    const id = parseGs1(URI);
    const forged = { ...id, serial: "99999" } as Gs1Identity;
    expect(((await rejection(labelSvg(forged))) as Gs1Error).code).to.equal("INCONSISTENT_IDENTITY");
    const handMade = { kind: "item", gtin: "123", serial: "1", attributes: {} } as unknown as Gs1Identity;
    expect(((await rejection(labelPng(handMade))) as Gs1Error).code).to.equal("LENGTH");
    expect(() => labelUri(forged)).to.throw(Gs1Error);
  });

  it("refuses invalid options", async function () {
    const cases = [
      { margin: -1 },
      { margin: 1.5 },
      { scale: 0 },
      { width: -10 },
      { errorCorrectionLevel: "X" as "L" },
      { color: { dark: "black" } },
    ];
    for (const options of cases) {
      const error = await rejection(labelPng(URI, options));
      expect(error, JSON.stringify(options)).to.be.instanceOf(LabelError);
      expect((error as LabelError).code).to.equal("INVALID_OPTION");
    }
  });

  it("labelPayload passes a valid URI through unchanged", function () {
    const custom = "https://trace.example.cn/products/gtin/9521234543213/ser/12345";
    expect(labelPayload(`  ${custom}\n`)).to.equal(custom);
  });
});

describe("GS1 and label modules stay browser-safe", function () {
  it("import only viem, qrcode and each other, and use no Node globals (png.ts and rasterPng.ts excepted)", function () {
    const dirs = ["src/gs1", "src/qrLabels"];
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "png.ts" && f !== "rasterPng.ts")) {
        const source = readFileSync(`${dir}/${file}`, "utf8");
        const imports = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
        for (const spec of imports) {
          expect(spec.startsWith(".") || ["viem", "qrcode"].includes(spec), `${dir}/${file} imports ${spec}`).to.equal(
            true,
          );
        }
        const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
        expect(code, `${dir}/${file}`).not.to.match(/\b(Buffer|process|require|__dirname|global)\b/);
      }
    }
    expect(readFileSync("src/qrLabels/index.ts", "utf8")).not.to.match(/from "\.\/(png|rasterPng)"/);
  });
});
