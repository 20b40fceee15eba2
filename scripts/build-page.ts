/**
 * Builds the verification page into dist/page: the TypeScript app bundled for browsers with esbuild (the
 * SDK's read path and verdict engine included), plus the HTML and CSS. `npm run build:page`.
 */
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export const PAGE_DIR = join(__dirname, "..", "dist", "page");

export async function buildPage(outDir = PAGE_DIR): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(__dirname, "..", "src", "page", "app.ts")],
    outfile: join(outDir, "app.js"),
    bundle: true,
    platform: "browser",
    format: "iife",
    target: ["es2020"],
    minify: true,
    sourcemap: true,
    legalComments: "none",
    logLevel: "warning",
  });
  copyFileSync(join(__dirname, "..", "src", "page", "index.html"), join(outDir, "index.html"));
  copyFileSync(join(__dirname, "..", "src", "page", "style.css"), join(outDir, "app.css"));
  return outDir;
}

if (require.main === module) {
  buildPage().then(
    (dir) => console.log(`page built in ${dir}`),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
