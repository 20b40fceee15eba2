/**
 * The one stylesheet of the explorer pages, served at /explorer/explorer.css: mobile first (one column,
 * tables become stacked rows), a two-column desktop layout from 960 px. Same palette as the verification page.
 */
export const EXPLORER_CSS = `
:root{--ink:#1d2430;--muted:#5b6677;--line:#e2e6ec;--bg:#f5f7fa;--card:#fff;--ok:#0f7b3f;--ok-bg:#e6f6ec;
--warn:#8a5a00;--warn-bg:#fff4d6;--fail:#b3261e;--fail-bg:#fde7e5;--accent:#1f5eff;
font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font-size:15px;line-height:1.45}
a{color:var(--accent);text-decoration:none;overflow-wrap:anywhere}
a:hover{text-decoration:underline}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.top{background:#0e1726;color:#fff;padding:10px 14px}
.top-inner{max-width:1200px;margin:0 auto}
.brand{color:#fff;font-weight:700;font-size:17px}
.brand span{font-weight:400;opacity:.75;font-size:13px;margin-left:6px}
.search{display:flex;gap:6px;margin-top:8px}
.search input{flex:1;min-width:0;padding:9px 10px;border:0;border-radius:8px;font-size:15px}
.search button{padding:9px 14px;border:0;border-radius:8px;background:var(--accent);color:#fff;font-size:15px}
main{max-width:1200px;margin:0 auto;padding:12px}
h1{font-size:20px;margin:6px 0 2px;overflow-wrap:anywhere}
h1 small,h2 small{display:block;font-size:13px;font-weight:400;color:var(--muted)}
h2{font-size:16px;margin:0 0 8px}
.sub{color:var(--muted);font-size:13px;margin:0 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:12px 14px;margin:0 0 12px;min-width:0}
.kv{display:grid;grid-template-columns:1fr;gap:0;margin:0}
.kv dt{color:var(--muted);font-size:12px;margin-top:8px}
.kv dd{margin:0;overflow-wrap:anywhere}
.rows{list-style:none;margin:0;padding:0}
.rows>li{border-top:1px solid var(--line);padding:8px 0}
.rows>li:first-child{border-top:0}
.row-title{font-weight:600}
.row-meta{color:var(--muted);font-size:13px;overflow-wrap:anywhere}
.row-meta a{font-size:13px}
.tag{display:inline-block;font-size:11px;padding:1px 7px;border-radius:10px;background:#eef1f6;color:var(--muted);margin-left:6px;vertical-align:1px}
.kv dd>.tag:first-child{margin-left:0}
.tag.bad{background:var(--fail-bg);color:var(--fail)}
.tag.ok{background:var(--ok-bg);color:var(--ok)}
.tag.warn{background:var(--warn-bg);color:var(--warn)}
.index-note{font-size:12px;color:var(--muted);margin:-4px 0 12px}
.verdict{border-radius:12px;padding:12px 14px;margin:0 0 12px;border:1px solid var(--line);background:#eef1f6}
.verdict h2{margin:0;font-size:18px}
.verdict ul{margin:6px 0 0;padding-left:18px}
.verdict .zh{display:block;color:var(--muted);font-size:13px}
.verdict .at{font-size:12px;color:var(--muted);margin-top:6px}
.verdict-authentic{background:var(--ok-bg);border-color:#b5e2c5;color:var(--ok)}
.verdict-warning{background:var(--warn-bg);border-color:#f1d48a;color:var(--warn)}
.verdict-fail,.verdict-error{background:var(--fail-bg);border-color:#f3b8b3;color:var(--fail)}
.verdict li{color:var(--ink)}
.pager{display:flex;justify-content:space-between;gap:8px;margin-top:10px;font-size:14px}
.error h1{color:var(--fail)}
.foot{max-width:1200px;margin:0 auto;padding:8px 12px 24px;color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%}
@media (min-width:960px){
 body{font-size:14px}
 main{padding:18px}
 .top-inner{display:flex;align-items:center;gap:24px}
 .search{margin-top:0;flex:1;max-width:640px}
 .cols{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:16px;align-items:start}
 .kv{grid-template-columns:170px minmax(0,1fr);gap:6px 12px}
 .kv dt{margin-top:0}
 .rows>li{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:12px}
 .rows.stack>li{display:block}
}
`;
