/** JSON-RPC in round trips: chunking, answer order, errors and retries, and coalescing into one round trip. */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  MAX_BATCH_CHUNK,
  MAX_CHUNKS_IN_FLIGHT,
  READ_METHODS,
  RoundTrips,
  httpSender,
  requestKey,
  unwrap,
} from "../../src/bundle/rpc";
import { NetworkError } from "../../src/errors/base";

type Item = { id: number; method: string; params: unknown[] };

/** A JSON-RPC server that answers each request with its id and method, and records every body it got. */
async function echoServer(behave: (items: Item[], n: number) => unknown = (items) => items.map(answer)) {
  const bodies: Item[][] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const items = JSON.parse(body) as Item[];
      bodies.push(items);
      const out = behave(items, bodies.length);
      if (typeof out === "number") {
        res.writeHead(out).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, bodies, close: () => new Promise((done) => server.close(done)) };
}
const answer = (i: Item) =>
  i.method === "fail"
    ? { jsonrpc: "2.0", id: i.id, error: { code: 3, message: "execution reverted", data: "0x1234" } }
    : { jsonrpc: "2.0", id: i.id, result: `${i.method}:${JSON.stringify(i.params)}` };

describe("bundle rpc: round trips", () => {
  it("splits a large batch into chunks a node accepts and returns the answers in request order", async () => {
    const s = await echoServer((items) => [...items].reverse().map(answer));
    try {
      const requests = Array.from({ length: MAX_BATCH_CHUNK * 2 + 7 }, (_, i) => ({ method: "m", params: [i] }));
      const answers = await httpSender(s.url)(requests);
      expect(s.bodies.map((b) => b.length)).to.have.members([MAX_BATCH_CHUNK, MAX_BATCH_CHUNK, 7]);
      expect(answers.map((a) => ("result" in a ? a.result : a))).to.deep.equal(
        requests.map((r) => `m:[${r.params[0]}]`),
      );
    } finally {
      await s.close();
    }
  });

  it("keeps a node's error per request, and reports a request the node did not answer", async () => {
    const s = await echoServer((items) => items.filter((i) => i.method !== "lost").map(answer));
    try {
      const [ok, failed, lost] = await httpSender(s.url)([
        { method: "a", params: [] },
        { method: "fail", params: [] },
        { method: "lost", params: [] },
      ]);
      expect(ok).to.deep.equal({ result: "a:[]" });
      expect(failed).to.deep.equal({ error: { code: 3, message: "execution reverted", data: "0x1234" } });
      expect(() => unwrap(failed))
        .to.throw("execution reverted")
        .with.property("data", "0x1234");
      expect("error" in lost && lost.error.message).to.match(/no answer/);
    } finally {
      await s.close();
    }
  });

  it("retries an HTTP 5xx, and gives up with a NetworkError naming the endpoint", async () => {
    const flaky = await echoServer((items, n) => (n === 1 ? 503 : items.map(answer)));
    try {
      const [a] = await httpSender(flaky.url)([{ method: "a", params: [] }]);
      expect(a).to.deep.equal({ result: "a:[]" });
      expect(flaky.bodies).to.have.length(2);
    } finally {
      await flaky.close();
    }
    const down = await echoServer(() => 500);
    try {
      const error = await httpSender(down.url, { retries: 1 })([{ method: "a", params: [] }]).catch((e) => e);
      expect(error).to.be.instanceOf(NetworkError);
      expect(error.message).to.include(down.url);
    } finally {
      await down.close();
    }
  });

  it("requests made together leave as one round trip; later ones as the next", async () => {
    const s = await echoServer();
    try {
      const trips = new RoundTrips(httpSender(s.url));
      const first = await Promise.all([1, 2, 3].map((i) => trips.request({ method: "m", params: [i] })));
      expect(first).to.deep.equal(["m:[1]", "m:[2]", "m:[3]"]);
      await trips.request({ method: "m", params: [4] });
      expect(trips.roundTrips).to.equal(2);
      expect(trips.requests).to.equal(4);
      expect(s.bodies.map((b) => b.length)).to.deep.equal([3, 1]);
      const error = await trips.request({ method: "fail", params: [] }).catch((e) => e);
      expect(error).to.have.property("code", 3);
    } finally {
      await s.close();
    }
  });

  it("a request is the same request whatever the case of its hex, and only read methods are listed", () => {
    expect(requestKey("eth_call", [{ to: "0xAbC" }, "0x1F"])).to.equal(
      requestKey("eth_call", [{ to: "0xabc" }, "0x1f"]),
    );
    expect(requestKey("eth_call", [{ to: "0xabc" }, "0x1f"])).not.to.equal(
      requestKey("eth_call", [{ to: "0xabc" }, "0x20"]),
    );
    for (const write of [
      "eth_sendRawTransaction",
      "eth_sendTransaction",
      "eth_sign",
      "evm_mine",
      "anvil_reorg",
      "debug_traceCall",
    ]) {
      expect(READ_METHODS.has(write), write).to.equal(false);
    }
  });

  it("ATTACK: a batch of tens of thousands of requests keeps at most MAX_CHUNKS_IN_FLIGHT bodies open at once", async () => {
    let open = 0;
    let most = 0;
    const s = await echoServer((items) => items.map(answer));
    const fetchFn: typeof fetch = async (url, init) => {
      most = Math.max(most, ++open);
      try {
        return await fetch(url, init);
      } finally {
        open--;
      }
    };
    try {
      const requests = Array.from({ length: MAX_BATCH_CHUNK * 20 }, (_, i) => ({ method: "m", params: [i] }));
      const answers = await httpSender(s.url, { fetchFn })(requests);
      expect(answers).to.have.length(requests.length);
      expect(answers[MAX_BATCH_CHUNK * 13 + 7]).to.deep.equal({ result: `m:[${MAX_BATCH_CHUNK * 13 + 7}]` });
      expect(s.bodies).to.have.length(20);
      expect(most).to.equal(MAX_CHUNKS_IN_FLIGHT);
    } finally {
      await s.close();
    }
  });
});
