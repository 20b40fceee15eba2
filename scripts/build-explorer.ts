/**
 * Builds the explorer's client script into dist/explorer/client.js: src/explorer/client.ts bundled for
 * browsers with esbuild (the proof-bundle check and the verdict engine included). `npm run build:explorer`.
 */
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const EXPLORER_DIR = join(__dirname, "..", "dist", "explorer");

/** Bundles the client script; returns the path of the built file (what `createExplorerHandler` serves). */
export async function buildExplorer(outDir = EXPLORER_DIR): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, "client.js");
  await build({
    entryPoints: [join(__dirname, "..", "src", "explorer", "client.ts")],
    outfile,
    bundle: true,
    platform: "browser",
    format: "iife",
    target: ["es2020"],
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
  });
  return outfile;
}

if (require.main === module) {
  buildExplorer().then(
    (file) => console.log(`explorer script built: ${file}`),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
