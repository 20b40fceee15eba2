/**
 * The frame of every explorer page: header with the search box, main content, footer; and the response
 * headers (a content-security-policy that allows the explorer's own script and stylesheet only, plus
 * JSON-RPC reads of the configured endpoint).
 */
import type { ServerResponse } from "node:http";
import { html, type HtmlValue, type SafeHtml } from "./html";
import { BASE, href } from "./format";

export interface PageParts {
  title: string;
  body: HtmlValue;
  /** Pre-filled search text. */
  query?: string;
  /** Extra markup at the end of <body> (the data and script of the unit page). */
  tail?: HtmlValue;
  /** Footer text. */
  footer?: HtmlValue;
}

/** The stylesheet's and script's URLs (with a content hash, so they can be cached for good). */
export interface Assets {
  css: string;
  script: string;
}

/** A whole HTML document. */
export function layout(parts: PageParts, assets: Assets): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${parts.title} · cbec-trace explorer</title>
        <link rel="stylesheet" href="${assets.css}" />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <header class="top">
          <div class="top-inner">
            <a class="brand" href="${href.home()}">cbec-trace explorer <span>区块浏览器</span></a>
            <form class="search" action="${BASE}/search" method="get" role="search">
              <label for="q" class="sr-only">Search / 搜索</label>
              <input
                id="q"
                name="q"
                value="${parts.query ?? ""}"
                maxlength="500"
                placeholder="QR link, GTIN, SSCC, organization, tx hash, block · 搜索"
              />
              <button type="submit">Search</button>
            </form>
          </div>
        </header>
        <main>${parts.body}</main>
        <footer class="foot">
          ${parts.footer ?? "Data as indexed from the consortium ledger. 数据来自账本索引。"}
        </footer>
        ${parts.tail}
      </body>
    </html> `;
}

/** The content-security-policy of explorer pages: nothing runs or loads but the explorer's own files. */
export function contentSecurityPolicy(rpcUrl: string): string {
  let rpc = "";
  try {
    const u = new URL(rpcUrl);
    if (u.protocol === "http:" || u.protocol === "https:") rpc = ` ${u.origin}`;
  } catch {
    // A relative URL (the same-origin gateway, /rpc) is covered by 'self'.
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${rpc}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Writes an HTML page with the explorer's headers. */
export function sendPage(res: ServerResponse, status: number, page: SafeHtml, csp: string, head = false): void {
  const body = Buffer.from(page.text, "utf8");
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": body.length,
    "cache-control": "no-cache",
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
  });
  res.end(head ? undefined : body);
}
