/**
 * The in-process Hardhat network behind an HTTP JSON-RPC endpoint on loopback, for code that takes a node URL
 * (the platform server's bundles, relay and lookups) in tests that keep the fast in-process network and its
 * fixtures. Errors carry the node's revert data, as a real node's do. Counts the transactions sent.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { network } from "hardhat";

export interface InProcessRpc {
  url: string;
  /** `eth_sendRawTransaction` calls received. */
  readonly sent: number;
  close(): Promise<void>;
}

interface Call {
  id?: unknown;
  method: string;
  params?: unknown[];
}

export async function startInProcessRpc(): Promise<InProcessRpc> {
  let sent = 0;
  const answer = async (call: Call) => {
    if (call.method === "eth_sendRawTransaction") sent++;
    try {
      return { jsonrpc: "2.0", id: call.id, result: await network.provider.request(call) };
    } catch (e) {
      const error = e as { code?: number; message?: string; data?: unknown };
      return {
        jsonrpc: "2.0",
        id: call.id,
        error: { code: error.code ?? -32603, message: error.message ?? String(e), data: error.data },
      };
    }
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Call | Call[];
        const out = Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(out));
      })();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get sent() {
      return sent;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
