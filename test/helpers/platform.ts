/**
 * The platform for server tests: a real `hardhat node` with the ledger deployed (and, when asked, the demo
 * journey seeded with its record store), a recording proxy between the platform server and that node (so a
 * test sees every JSON-RPC method that reached the node), and the platform server listening on a free port.
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { startLocalNode, deployOnNode, type LocalNode, type NodeDeployment } from "./localNode";
import { seedDemoOnNode } from "./nodeDemo";
import { startLatencyProxy, type LatencyProxy } from "../../scripts/lib/latencyProxy";
import { createTraceServer, type TraceServer, type TraceServerOptions } from "../../src/server/server";

export interface Platform {
  node: LocalNode;
  deployment: NodeDeployment;
  records: string;
  /** Between the server and the node: records what reached the node. */
  nodeProxy: LatencyProxy;
  /** Starts (another) server on this node; `base` is its http://127.0.0.1:port. */
  serve(options?: Partial<TraceServerOptions>): Promise<{ server: TraceServer; base: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** Starts a node, deploys, optionally seeds the demo, and puts a recording proxy in front of the node. */
export async function startPlatform(options: { demo?: boolean; pageDir?: string } = {}): Promise<Platform> {
  const node = await startLocalNode();
  const servers: Array<() => Promise<void>> = [];
  try {
    const deployment = await deployOnNode(node.rpcUrl);
    const records = mkdtempSync(join(tmpdir(), "cbec-platform-records-"));
    if (options.demo) await seedDemoOnNode(node.rpcUrl, deployment, records);
    const nodeProxy = await startLatencyProxy(node.rpcUrl);
    const pageDir = options.pageDir ?? mkdtempSync(join(tmpdir(), "cbec-platform-nopage-"));
    return {
      node,
      deployment,
      records,
      nodeProxy,
      async serve(extra = {}) {
        const server = createTraceServer({
          pageDir,
          recordsDir: records,
          manifest: deployment.manifest,
          nodeUrl: nodeProxy.url,
          ...extra,
        });
        await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
        const close = async () => {
          server.closeAllConnections();
          await new Promise<void>((done) => server.close(() => done()));
        };
        servers.push(close);
        return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
      },
      async close() {
        for (const close of servers) await close().catch(() => undefined);
        await nodeProxy.close();
        await node.stop();
      },
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** The JSON inlined in the element `id` of `html`, parsed, or undefined. */
export function inlinedJson(html: string, id: string): unknown {
  const m = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  return m ? JSON.parse(m[1]) : undefined;
}
