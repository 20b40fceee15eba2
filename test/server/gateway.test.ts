/**
 * The read-only JSON-RPC gateway (`POST /rpc`): the verifier's reads are forwarded to the node and answered
 * as the node answers them; every other method is refused per item and never reaches the node (a recording
 * proxy between the server and the node shows what did); body size, batch length, content type and
 * malformed requests are refused; no CORS headers.
 */
import { expect } from "chai";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { startPlatform, type Platform } from "../helpers/platform";
import { GATEWAY_MAX_BATCH, GATEWAY_MAX_BODY_BYTES, GATEWAY_METHODS } from "../../src/server/gateway";
import { rpcCall } from "../../src/node";
import { verifyUnit } from "../../src/verify/verify";

describe("server: the read-only JSON-RPC gateway", function () {
  this.timeout(120_000);
  let platform: Platform;
  let base = "";

  before(async () => {
    platform = await startPlatform();
    base = (await platform.serve()).base;
  });
  after(async () => platform?.close());
  beforeEach(() => platform.nodeProxy.reset());

  const post = (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(`${base}/rpc`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  const reached = () => platform.nodeProxy.requests.flatMap((r) => r.rpcMethods);

  it("forwards a single read and a batch of reads, answering as the node does", async () => {
    const one = await post({ jsonrpc: "2.0", id: 7, method: "eth_chainId", params: [] });
    expect(one.status).to.equal(200);
    expect(await one.json()).to.deep.equal({ jsonrpc: "2.0", id: 7, result: "0x7a69" });
    const ledger = platform.deployment.ledger;
    platform.nodeProxy.reset();
    const res = await post([
      { jsonrpc: "2.0", id: "a", method: "eth_blockNumber", params: [] },
      { jsonrpc: "2.0", id: "b", method: "eth_getCode", params: [ledger, "latest"] },
      { jsonrpc: "2.0", id: "c", method: "net_version" },
    ]);
    const replies = (await res.json()) as Array<{ id: string; result: string }>;
    expect(replies.map((r) => r.id)).to.deep.equal(["a", "b", "c"]);
    expect(replies[0].result).to.equal(await rpcCall(platform.node.rpcUrl, "eth_blockNumber"));
    expect(replies[1].result).to.equal(await rpcCall(platform.node.rpcUrl, "eth_getCode", [ledger, "latest"]));
    expect(replies[1].result.length).to.be.greaterThan(1000);
    expect(replies[2].result).to.equal("31337");
    // One HTTP request to the node for the whole batch.
    expect(platform.nodeProxy.requests.length).to.equal(1);
    expect(reached()).to.deep.equal(["eth_blockNumber", "eth_getCode", "net_version"]);
  });

  it("the SDK verifies through it (viem's batching client)", async () => {
    const client = createPublicClient({ transport: http(`${base}/rpc`, { batch: true }) }) as PublicClient;
    const r = await verifyUnit("https://id.gs1.org/01/06901234567892/10/2026A01/21/SN9999", {
      client,
      ledger: { address: platform.deployment.ledger as Address, chainId: 31337 },
    });
    expect(r.verdict).to.equal("fail");
    expect(r.reasons.map((x) => x.code)).to.deep.equal(["NOT_REGISTERED"]);
    expect(reached().every((m) => GATEWAY_METHODS.has(m))).to.equal(true);
  });

  const REFUSED = [
    "eth_sendRawTransaction",
    "eth_sendTransaction",
    "eth_sign",
    "eth_signTypedData_v4",
    "eth_accounts",
    "eth_coinbase",
    "personal_unlockAccount",
    "personal_sign",
    "anvil_setBalance",
    "anvil_mine",
    "anvil_reorg",
    "hardhat_mine",
    "hardhat_setBalance",
    "hardhat_impersonateAccount",
    "evm_mine",
    "evm_snapshot",
    "evm_revert",
    "evm_increaseTime",
    "debug_traceTransaction",
    "admin_peers",
    "txpool_content",
    "eth_newFilter",
    "eth_subscribe",
    "ETH_CHAINID",
    "eth_chainId ",
    "eth_call\u0000",
    "",
  ];

  it("ATTACK: every other method is refused per item and reaches nothing", async () => {
    const before = await rpcCall<string>(platform.node.rpcUrl, "eth_blockNumber");
    for (const [i, method] of REFUSED.entries()) {
      const res = await post({ jsonrpc: "2.0", id: i, method, params: method.includes("mine") ? ["0x3e8"] : [] });
      expect(res.status, method).to.equal(200);
      const reply = (await res.json()) as { id: number; error: { code: number; message: string }; result?: unknown };
      expect(reply.id, method).to.equal(i);
      expect(reply.result, method).to.equal(undefined);
      expect(reply.error.code, method).to.equal(-32601);
      expect(reply.error.message).to.match(/not served by this read-only gateway/);
    }
    expect(platform.nodeProxy.requests, "a refused method reached the node").to.deep.equal([]);
    // hardhat_mine / evm_mine really did nothing.
    expect(await rpcCall<string>(platform.node.rpcUrl, "eth_blockNumber")).to.equal(before);
  });

  it("ATTACK: in a mixed batch only the reads reach the node; each refusal keeps its place and id", async () => {
    const batch = [
      { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: 2, method: "eth_sendRawTransaction", params: ["0x02"] },
      { jsonrpc: "2.0", id: 3, method: "eth_blockNumber", params: [] },
      { jsonrpc: "2.0", id: 4, method: "hardhat_mine", params: ["0x10"] },
      { jsonrpc: "2.0", id: 1, method: "net_version", params: [] },
    ];
    const replies = (await (await post(batch)).json()) as Array<{
      id: number;
      result?: string;
      error?: { code: number };
    }>;
    expect(replies.map((r) => r.id)).to.deep.equal([1, 2, 3, 4, 1]);
    expect(replies[0].result).to.equal("0x7a69");
    expect(replies[1].error?.code).to.equal(-32601);
    expect(replies[2].result).to.match(/^0x[0-9a-f]+$/);
    expect(replies[3].error?.code).to.equal(-32601);
    // A client's duplicate id still gets its own answer.
    expect(replies[4].result).to.equal("31337");
    expect(reached()).to.deep.equal(["eth_chainId", "eth_blockNumber", "net_version"]);
  });

  it("ATTACK: malformed requests are refused without reaching the node", async () => {
    const notJson = await post("{nope");
    expect(notJson.status).to.equal(400);
    expect(((await notJson.json()) as { error: { code: number } }).error.code).to.equal(-32700);
    const empty = await post([]);
    expect(empty.status).to.equal(400);
    const items = [
      null,
      42,
      "eth_chainId",
      [{ jsonrpc: "2.0", id: 1, method: "eth_chainId" }],
      { id: 1, method: "eth_chainId" },
      { jsonrpc: "1.0", id: 1, method: "eth_chainId" },
      { jsonrpc: "2.0", method: "eth_chainId" },
      { jsonrpc: "2.0", id: 1, method: "eth_getCode", params: { 0: "0x" } },
      { jsonrpc: "2.0", id: { x: 1 }, method: "eth_chainId" },
    ];
    const replies = (await (await post(items)).json()) as Array<{ error?: { code: number } }>;
    expect(replies).to.have.length(items.length);
    for (const r of replies) expect(r.error?.code).to.equal(-32600);
    expect(platform.nodeProxy.requests).to.deep.equal([]);
  });

  it("ATTACK: a body over the size limit is refused with 413 and reaches nothing", async () => {
    const big = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "eth_call",
      params: [{ data: "0x" + "00".repeat(GATEWAY_MAX_BODY_BYTES / 2 + 10) }, "latest"],
    });
    const res = await post(big);
    expect(res.status).to.equal(413);
    expect(((await res.json()) as { error: string }).error).to.match(/over 4194304 bytes/);
    // Streamed without a length (chunked) it is cut off the same way.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = await fetch(`${base}/rpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).to.equal(413);
    expect(platform.nodeProxy.requests).to.deep.equal([]);
  });

  it("a batch at the length limit is answered; one over it is refused with 413 and reaches nothing", async () => {
    const batch = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId", params: [] }));
    const over = await post(batch(GATEWAY_MAX_BATCH + 1));
    expect(over.status).to.equal(413);
    const reply = (await over.json()) as { error: { code: number; message: string } };
    expect(reply.error.code).to.equal(-32600);
    expect(reply.error.message).to.include(`at most ${GATEWAY_MAX_BATCH}`);
    expect(platform.nodeProxy.requests).to.deep.equal([]);
    const at = (await (await post(batch(GATEWAY_MAX_BATCH))).json()) as Array<{ id: number; result: string }>;
    expect(at).to.have.length(GATEWAY_MAX_BATCH);
    expect(at.every((r, i) => r.id === i && r.result === "0x7a69")).to.equal(true);
  });

  it("ATTACK: other content types, methods and cross-origin preflights are refused; no CORS headers", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await post({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }, { "content-type": type });
      expect(res.status, type).to.equal(415);
    }
    const untyped = await fetch(`${base}/rpc`, { method: "POST", body: "{}" });
    expect(untyped.status).to.be.oneOf([415]);
    const preflight = await fetch(`${base}/rpc`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).to.equal(405);
    expect(preflight.headers.get("access-control-allow-origin")).to.equal(null);
    const ok = await post(
      { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
      {
        "content-type": "application/json",
        origin: "https://evil.example",
      },
    );
    expect(ok.headers.get("access-control-allow-origin")).to.equal(null);
    expect((await fetch(`${base}/rpc`)).status).to.equal(405);
    for (const m of ["PUT", "DELETE", "PATCH"]) {
      const res = await fetch(`${base}/rpc`, {
        method: m,
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status, m).to.equal(405);
    }
    // Other routes still refuse POST.
    expect((await fetch(`${base}/manifest.json`, { method: "POST" })).status).to.equal(405);
    expect(platform.nodeProxy.requests.filter((r) => r.rpcMethods.length > 0)).to.have.length(1);
  });

  it("a node that does not answer gives a JSON-RPC error per item, not a hang", async () => {
    const { base: dead } = await platform.serve({ nodeUrl: "http://127.0.0.1:9" });
    const res = await fetch(`${dead}/rpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ jsonrpc: "2.0", id: 5, method: "eth_chainId" }]),
    });
    const [reply] = (await res.json()) as Array<{ id: number; error: { code: number } }>;
    expect(reply).to.deep.include({ id: 5 });
    expect(reply.error.code).to.equal(-32603);
  });
});
