/**
 * The built page's files (`npm run build:page`): the script and CSS under content-hashed names
 * (`app.<hash>.js`), served with immutable caching so a returning buyer fetches nothing but the HTML, and
 * the HTML itself, which is never cached and gets the page's settings and the unit's proof bundle inlined
 * (`<script type="application/json" id="trace-config">` / `id="trace-bundle"`), so that a scanned link
 * needs no further request to the platform before the chain is read. Node-only.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ServerResponse } from "node:http";
import { CONTENT_TYPES, IMMUTABLE, NO_CACHE, send } from "./http";
import { inlineJson } from "./inlineJson";

/** Where the built HTML wants the inlined JSON (anywhere before the script). */
export const INLINE_MARKER = "<!--trace-inline-->";

/** `name.<8+ hex>.ext`: a file named by its content, which therefore never changes. */
const HASHED = /\.[0-9a-f]{8,}\.[a-z]+(\.map)?$/;

export interface PageAssets {
  /** True when `path` (without the leading slash) is a file of the page. */
  has(path: string): boolean;
  /** Sends that file, with immutable caching when its name is content-hashed. */
  serve(res: ServerResponse, path: string): void;
  /** The page's HTML with `config` (and `bundle`, when given) inlined, or undefined when it is not built. */
  html(config: unknown, bundle?: unknown): string | undefined;
}

/** The files of the built page in `pageDir` (listed once; read when served). */
export function pageAssets(pageDir: string): PageAssets {
  const dir = resolve(pageDir);
  const files = new Set(existsSync(dir) ? listFiles(dir) : []);
  const index = join(dir, "index.html");
  return {
    has: (path) => files.has(path),
    serve(res, path) {
      const ext = path.slice(path.lastIndexOf("."));
      const cache = HASHED.test(path) ? IMMUTABLE : NO_CACHE;
      send(res, 200, CONTENT_TYPES[ext] ?? "application/octet-stream", readFileSync(join(dir, path)), cache);
    },
    html(config, bundle) {
      if (!existsSync(index)) return undefined;
      const template = readFileSync(index, "utf8");
      const inline =
        `<script type="application/json" id="trace-config">${inlineJson(config)}</script>` +
        (bundle === undefined
          ? ""
          : `<script type="application/json" id="trace-bundle">${inlineJson(bundle)}</script>`);
      if (template.includes(INLINE_MARKER)) return template.replace(INLINE_MARKER, () => inline);
      const body = template.lastIndexOf("</body>");
      return body < 0 ? template + inline : template.slice(0, body) + inline + template.slice(body);
    },
  };
}

function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}
