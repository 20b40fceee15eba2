/**
 * Hostile requests against the platform server (`createTraceServer`): path traversal in every spelling,
 * oversized request targets, other methods and request bodies. Only the page's files, the manifest and the
 * store's records are ever served; records byte-identical, with immutable caching. Requests are written on a
 * raw socket so that no client normalizes the path first.
 */
import { expect } from "chai";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTraceServer, MAX_URL_LENGTH } from "../../../src/server/server";
import { PROJECT_ROOT } from "../../helpers/localNode";

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends `head` (+ body) on a raw socket and reads the whole response (Connection: close). */
function raw(port: number, head: string, body = ""): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error("timeout")));
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const headText = all.subarray(0, split < 0 ? all.length : split).toString("latin1");
      const [statusLine, ...lines] = headText.split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      let payload: Buffer = split < 0 ? Buffer.alloc(0) : all.subarray(split + 4);
      if (/chunked/i.test(headers["transfer-encoding"] ?? "")) payload = unchunk(payload);
      resolve({ status: Number(statusLine.split(" ")[1] ?? 0), headers, body: payload });
    });
    socket.write(head + body);
  });
}

function unchunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = b.indexOf("\r\n", i);
    if (eol < 0) break;
    const size = parseInt(b.subarray(i, eol).toString("latin1"), 16);
    if (!size) break;
    out.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

const get = (port: number, path: string, method = "GET", extra = "") =>
  raw(port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`);

describe("hostile input: the platform server", function () {
  this.timeout(60_000);

  let work: string;
  let server: Server;
  let port: number;
  let recordBytes: Buffer;
  let recordHash: string;
  /** Every body the server may legitimately return (page files, record, manifest aside). */
  let allowed: Buffer[];
  const SECRET = "TOP-SECRET-OUTSIDE-THE-STORE";

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "cbec-trace-hostile-server-"));
    const pageDir = join(work, "page");
    const recordsDir = join(work, "records");
    mkdirSync(join(pageDir, "assets"), { recursive: true });
    mkdirSync(recordsDir);
    writeFileSync(join(pageDir, "index.html"), "<!doctype html><title>verify</title>");
    writeFileSync(join(pageDir, "app.js"), "console.log('app');");
    writeFileSync(join(pageDir, "assets", "app.css"), "body{}");
    recordBytes = Buffer.from(JSON.stringify({ type: "ObjectEvent", n: 1 }, null, 2) + "\n");
    recordHash = "0x" + createHash("sha256").update(recordBytes).digest("hex");
    writeFileSync(join(recordsDir, `${recordHash}.json`), recordBytes);
    // Files that must never be served: in the store but not a record, and outside both directories.
    writeFileSync(join(recordsDir, "notes.txt"), SECRET);
    writeFileSync(join(recordsDir, `${recordHash.toUpperCase().replace("0X", "0x")}.json`), SECRET);
    writeFileSync(join(work, "secret.txt"), SECRET);
    writeFileSync(join(pageDir, "..", "outside.json"), SECRET);
    allowed = ["index.html", "app.js", join("assets", "app.css")].map((f) => readFileSync(join(pageDir, f)));
    allowed.push(recordBytes);
    server = createTraceServer({
      pageDir,
      recordsDir,
      manifest: {
        network: "test",
        chainId: 31337,
        ledger: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", deploymentBlock: 1, version: "1.0.0" },
      },
      rpcUrl: "http://127.0.0.1:8545",
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as { port: number }).port;
  });

  after(async () => {
    server?.closeAllConnections?.();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const packageJson = () => readFileSync(join(PROJECT_ROOT, "package.json"));

  /** A response serves nothing outside the page and the store: a refusal, or one of the allowed bodies. */
  function servesNothingElse(path: string, r: RawResponse) {
    const text = r.body.toString("latin1");
    expect(text, `${path} leaked a file`).not.to.include(SECRET);
    expect(text, `${path} leaked package.json`).not.to.include('"devDependencies"');
    expect(text, `${path} leaked /etc/passwd`).not.to.include("root:");
    if (r.status === 200) {
      const ok = allowed.some((b) => b.equals(r.body)) || text.includes('"rpcUrl"');
      expect(ok, `${path} served something that is neither a page file, the manifest nor a record`).to.equal(true);
    } else {
      expect(r.status, `${path} → ${r.status}`).to.be.oneOf([400, 404, 414, 431]);
    }
  }

  it("serves the record byte-identical with immutable caching", async () => {
    const r = await get(port, `/records/${recordHash}.json`);
    expect(r.status).to.equal(200);
    expect(r.body.equals(recordBytes)).to.equal(true);
    expect(r.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    expect(r.headers["content-type"]).to.match(/^application\/json/);
    expect(r.headers["x-content-type-options"]).to.equal("nosniff");
  });

  const TRAVERSALS = [
    "/records/../package.json",
    "/records/..%2f..%2fpackage.json",
    "/records/%2e%2e/%2e%2e/package.json",
    "/records/%2E%2E%2Fsecret.txt",
    "/records/notes.txt",
    "/records/..\\..\\package.json",
    "/records\\..\\secret.txt",
    "/..%2f..%2fetc/passwd",
    "/..%2F..%2F..%2Fetc%2Fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/../../../../etc/passwd",
    "/..\\..\\etc\\passwd",
    "/%5c..%5c..%5cetc%5cpasswd",
    "/%252e%252e/secret.txt",
    "/..%c0%afsecret.txt",
    "/app.js/../../secret.txt",
    "/assets/../../outside.json",
    "/assets/%2e%2e/%2e%2e/outside.json",
    "/./secret.txt",
    "//etc/passwd",
    "/etc/passwd",
    "/secret.txt",
    "/outside.json",
    "/package.json",
    "http://127.0.0.1/../package.json",
    "/records/" + recordHashPlaceholder("upper"),
    "/records/" + recordHashPlaceholder("short"),
    "/records/" + recordHashPlaceholder("long"),
    "/records/" + recordHashPlaceholder("noprefix"),
    "/records/" + recordHashPlaceholder("nojson"),
    "/records/" + recordHashPlaceholder("traverse"),
  ];
  function recordHashPlaceholder(kind: string) {
    return `<${kind}>`;
  }
  function expand(path: string): string {
    return path
      .replace("<upper>", `0x${recordHash.slice(2).toUpperCase()}.json`)
      .replace("<short>", `${recordHash.slice(0, -1)}.json`)
      .replace("<long>", `${recordHash}0.json`)
      .replace("<noprefix>", `${recordHash.slice(2)}.json`)
      .replace("<nojson>", recordHash)
      .replace("<traverse>", `${recordHash}.json/../../secret.txt`);
  }

  it("refuses path traversal in every spelling (400/404), or answers with the page itself", async () => {
    const statuses: Record<string, number> = {};
    for (const p of TRAVERSALS.map(expand)) {
      const r = await get(port, p);
      statuses[p] = r.status;
      servesNothingElse(p, r);
    }
    // The record-shaped ones are refused outright, never answered with the page.
    for (const p of TRAVERSALS.map(expand).filter((x) => x.startsWith("/records"))) {
      expect(statuses[p], p).to.be.oneOf([400, 404]);
    }
    for (const p of [
      "/..%2f..%2fetc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/..\\..\\etc\\passwd",
      "/assets/../../outside.json",
    ]) {
      expect(statuses[p], p).to.equal(400);
    }
  });

  it("random hostile paths never serve anything outside the page and the store (fast-check)", async () => {
    const tokens = fc.constantFrom(
      "/",
      "//",
      "..",
      ".",
      "%2e",
      "%2E",
      "%2f",
      "%2F",
      "%5c",
      "\\",
      "%252e",
      "%00",
      "%",
      "records",
      "assets",
      "app.js",
      "index.html",
      "secret.txt",
      "outside.json",
      "package.json",
      "etc",
      "passwd",
      "0x",
      recordHash.slice(2, 10),
      "?",
      "#",
      ";",
      "%c0%af",
      "~",
      "..;",
      "::$DATA",
    );
    await fc.assert(
      fc.asyncProperty(fc.array(tokens, { minLength: 1, maxLength: 12 }), async (parts) => {
        const p = "/" + parts.join("");
        const r = await get(port, p);
        servesNothingElse(p, r);
      }),
      { numRuns: 300, seed: 6_2026 },
    );
  });

  it("refuses oversized request targets with 414", async () => {
    const long = "/01/09521234543213/21/" + "A".repeat(MAX_URL_LENGTH);
    const r = await get(port, long);
    expect(r.status).to.equal(414);
    const traversal = "/records/" + "../".repeat(1_000) + "etc/passwd";
    expect((await get(port, traversal)).status).to.equal(414);
    // Far beyond Node's header limit the HTTP parser itself refuses (431), still nothing served.
    const huge = await get(port, "/" + "a".repeat(100_000));
    expect(huge.status).to.be.oneOf([414, 431]);
  });

  it("answers 405 to every method but GET and HEAD (and PUT, the upload, which checks what it is sent)", async () => {
    for (const m of ["POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"]) {
      const r = await get(port, `/records/${recordHash}.json`, m, "Content-Length: 0\r\n");
      expect(r.status, m).to.equal(405);
      expect(r.body.equals(recordBytes), m).to.equal(false);
    }
    // An empty PUT is not a record: refused before the store or the chain is looked at (test/server/records.test.ts).
    const put = await get(port, `/records/${recordHash}.json`, "PUT", "Content-Length: 0\r\n");
    expect(put.status).to.be.oneOf([400, 415, 503]);
    expect(put.body.equals(recordBytes)).to.equal(false);
    const head = await get(port, `/records/${recordHash}.json`, "HEAD");
    expect(head.status).to.equal(200);
    expect(head.body.length).to.equal(0);
  });

  it("refuses request bodies (413)", async () => {
    const r = await raw(
      port,
      `GET /records/${recordHash}.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\n`,
      "hello",
    );
    expect(r.status).to.equal(413);
    const post = await raw(
      port,
      `POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\n`,
      "hello",
    );
    expect(post.status).to.be.oneOf([405, 413]);
  });

  // A body can also come chunked, without Content-Length: refused the same way.
  it("refuses a chunked request body (Transfer-Encoding: chunked, no Content-Length)", async () => {
    const r = await raw(
      port,
      `GET /records/${recordHash}.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n`,
      "5\r\nhello\r\n0\r\n\r\n",
    );
    expect(r.status).to.equal(413);
  });

  it("serves only files of the store under /records (no listing, no other files)", async () => {
    for (const p of ["/records", "/records/", "/records/notes.txt", "/records/.", "/records/?list"]) {
      const r = await get(port, p);
      servesNothingElse(p, r);
      expect(r.body.toString()).not.to.include(recordHash.slice(2, 20), `${p} lists the store`);
    }
  });
});
