/** Fetching a proof bundle: optional and untrusted, so every failure is simply no bundle. */
import { expect } from "chai";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fetchBundle } from "../../src/bundle/fetch";

async function platform(handler: (url: string, res: import("node:http").ServerResponse) => void) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? "");
    handler(req.url ?? "", res);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, seen, close: () => new Promise((done) => server.close(done)) };
}

describe("bundle fetch", () => {
  it("asks GET /bundle?code= with the code encoded, and returns the JSON", async () => {
    const p = await platform((_, res) => res.writeHead(200).end(JSON.stringify({ format: "x" })));
    try {
      const code = "(01)09521234543213(10)A&B(21)1";
      expect(await fetchBundle(p.url, code)).to.deep.equal({ format: "x" });
      expect(p.seen).to.deep.equal([`/bundle?code=${encodeURIComponent(code)}`]);
    } finally {
      await p.close();
    }
  });

  it("a 404, a body that is not JSON, a server too slow or gone: no bundle, no error", async () => {
    const cases: Array<(res: import("node:http").ServerResponse) => void> = [
      (res) => res.writeHead(404).end("{}"),
      (res) => res.writeHead(200).end("<html>"),
      (res) => setTimeout(() => res.writeHead(200).end("{}"), 500),
    ];
    for (const handle of cases) {
      const p = await platform((_, res) => handle(res));
      try {
        expect(await fetchBundle(p.url, "x", { timeoutMs: 100 })).to.equal(undefined);
      } finally {
        await p.close();
      }
    }
    expect(await fetchBundle("http://127.0.0.1:9", "x")).to.equal(undefined);
  });
});
