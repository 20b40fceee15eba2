/**
 * Builds the verification page into dist/page: the TypeScript app bundled for browsers with esbuild (the
 * SDK's read path and verdict engine included) under a content-hashed name (`app.<hash>.js`, served with
 * immutable caching, so a returning buyer fetches only the HTML), and the HTML with the CSS inlined (one
 * request fewer for a scanned link) and the place where the server inlines the settings and the bundle.
 * `npm run build:page`.
 */
import { build, type Plugin } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const PAGE_DIR = join(__dirname, "..", "dist", "page");
const SRC = join(__dirname, "..", "src", "page");

/**
 * viem and ox each install their own copy of the same @noble/curves and @noble/hashes versions; bundling
 * both doubled the elliptic-curve code (14 kB gzipped). Every @noble import is resolved from viem's copy.
 */
const oneNoble: Plugin = {
  name: "one-noble",
  setup(b) {
    const viemDir = dirname(require.resolve("viem/package.json"));
    b.onResolve({ filter: /^@noble\/(curves|hashes)(\/|$)/ }, (args) =>
      args.pluginData === "one-noble"
        ? undefined
        : b.resolve(args.path, { resolveDir: viemDir, kind: args.kind, pluginData: "one-noble" }),
    );
  },
};

/** The names `buildPage` wrote: the script (relative to the page directory) and its gzipped size. */
export interface BuiltPage {
  dir: string;
  script: string;
  scriptBytes: number;
  scriptGzipBytes: number;
}

/** Builds the page into `outDir` and returns the directory. */
export async function buildPage(outDir = PAGE_DIR): Promise<string> {
  return (await buildPageFiles(outDir)).dir;
}

/** Builds the page into `outDir`, with the names and sizes of what it wrote. */
export async function buildPageFiles(outDir = PAGE_DIR): Promise<BuiltPage> {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(SRC, "app.ts")],
    outfile: join(outDir, "app.js"),
    bundle: true,
    platform: "browser",
    format: "iife",
    target: ["es2020"],
    minify: true,
    sourcemap: "external",
    legalComments: "none",
    logLevel: "warning",
    write: false,
    plugins: [oneNoble],
  });
  // The camera's fallback QR decoder is its own script, fetched only when the camera opens without the
  // browser's BarcodeDetector: the page's first load stays as small as before.
  const decoder = await build({
    entryPoints: [join(SRC, "qrDecoder.ts")],
    outfile: join(outDir, "scan.js"),
    bundle: true,
    platform: "browser",
    format: "iife",
    target: ["es2020"],
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  const decoderJs = decoder.outputFiles[0].contents;
  // jsQR is Apache-2.0: its notice travels with the file.
  const decoderFile = `scan.${createHash("sha256").update(decoderJs).digest("hex").slice(0, 16)}.js`;
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"))!.contents;
  const map = result.outputFiles.find((f) => f.path.endsWith(".map"))!.contents;
  const hash = createHash("sha256").update(js).digest("hex").slice(0, 16);
  const script = `app.${hash}.js`;
  // Old builds go: the server lists the directory once, and a stale script must not be served.
  for (const name of readdirSync(outDir)) if (/^(app|scan)\b.*\.(js|css|map)$/.test(name)) rmSync(join(outDir, name));
  writeFileSync(
    join(outDir, decoderFile),
    Buffer.concat([
      Buffer.from("/*! jsQR 1.4.0 | Apache-2.0 | https://github.com/cozmo/jsQR */\n"),
      Buffer.from(decoderJs),
    ]),
  );
  writeFileSync(
    join(outDir, script),
    Buffer.concat([Buffer.from(js), Buffer.from(`\n//# sourceMappingURL=${script}.map\n`)]),
  );
  writeFileSync(join(outDir, `${script}.map`), map);
  const css = readFileSync(join(SRC, "style.css"), "utf8");
  const html = readFileSync(join(SRC, "index.html"), "utf8")
    .replace(
      /<link rel="stylesheet" href="\/app\.css" \/>/,
      () => `<style>${css.replace(/<\/style/gi, "<\\/style")}</style>`,
    )
    .replace(/src="\/app\.js"/, () => `src="/${script}"`)
    .replace(/content="\/scan\.js"/, () => `content="/${decoderFile}"`);
  writeFileSync(join(outDir, "index.html"), html);
  const { gzipSync } = await import("node:zlib");
  return { dir: outDir, script, scriptBytes: js.length, scriptGzipBytes: gzipSync(js).length };
}

if (require.main === module) {
  buildPageFiles().then(
    (p) => console.log(`page built in ${p.dir}: ${p.script} ${p.scriptBytes} bytes, ${p.scriptGzipBytes} gzipped`),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
