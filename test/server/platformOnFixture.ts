/**
 * A platform server over the in-process Hardhat network (through `startInProcessRpc`), for the issue 17 routes
 * (`/claims`, `/scans`): the fixtures' ledger (and claims registry) in a manifest, a minimal page template, and
 * servers started and closed on demand on the same stores.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { Address } from "viem";
import { ethers } from "hardhat";
import { createTraceServer, type TraceServer, type TraceServerOptions } from "../../src/server/server";
import type { DeploymentManifest } from "../../src/config/manifest";
import { INLINE_MARKER } from "../../src/server/pageAssets";
import type { InProcessRpc } from "../helpers/inProcessRpc";

export interface RunningServer {
  server: TraceServer;
  base: string;
  close(): Promise<void>;
}

/** The manifest of a ledger (and claims registry) deployed by the fixtures. */
export async function fixtureManifest(ledger: string, claims?: string): Promise<DeploymentManifest> {
  const version = await (await ethers.getContractAt("TraceLedger", ledger)).version();
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  return {
    network: "hardhat",
    chainId,
    ledger: { address: ledger as Address, deploymentBlock: 0, version },
    ...(claims ? { claims: { address: claims as Address, deploymentBlock: 0, version: "1.0.0" } } : {}),
  };
}

/** A page template: enough for the server to serve a scanned link's HTML with the bundle inlined. */
export function minimalPageDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cbec-page-"));
  writeFileSync(join(dir, "index.html"), `<!doctype html><html><body>${INLINE_MARKER}</body></html>`);
  return dir;
}

/** Starts a server on the in-process network with `options` over the defaults. */
export async function serveOnFixture(
  rpc: InProcessRpc,
  manifest: DeploymentManifest,
  options: Partial<TraceServerOptions> = {},
): Promise<RunningServer> {
  const server = createTraceServer({
    pageDir: minimalPageDir(),
    recordsDir: mkdtempSync(join(tmpdir(), "cbec-records-")),
    manifest,
    nodeUrl: rpc.url,
    ...options,
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
