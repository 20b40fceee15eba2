/** The 400 and 404 pages: what is wrong, and the search box to try again. */
import type { PageResult } from "./context";
import { html } from "./html";

/** A page for a bad request (400) or something the index does not hold (404). */
export function errorPage(status: 400 | 404 | 405 | 500, message: string, query?: string): PageResult {
  const title = { 400: "Bad request", 404: "Not found", 405: "Method not allowed", 500: "Error" }[status];
  const zh = { 400: "请求有误", 404: "未找到", 405: "不支持的方法", 500: "出错了" }[status];
  return {
    status,
    title,
    query,
    body: html`<section class="error" data-status="${String(status)}">
      <h1>${title}<small>${zh}</small></h1>
      <p class="message">${message}</p>
      <p class="sub">Search for it with the box above, or go to the <a href="/explorer">explorer's home</a>.</p>
    </section>`,
  };
}
