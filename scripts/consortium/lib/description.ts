/**
 * `network.json`: what `consortium:up` started, for people, the CLI's `.env` and `consortium:down` — the
 * nodes (RPC URL, p2p port, signer, PID), the chain id, the ledger and which node each member writes through.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface NetworkDescription {
  chainId: number;
  periodSeconds: number;
  genesisFile: string;
  nodes: Array<{
    name: string;
    rpcUrl: string;
    p2pPort: number;
    signer: string;
    pid: number;
    dataDir: string;
    log: string;
  }>;
  ledger?: { address: string; deploymentBlock: number; version: string; manifest: string };
  /** Each member's account and the node its writer uses. */
  members: Array<{ name: string; address: string; rpcUrl: string }>;
}

export const descriptionFile = (dir: string) => join(dir, "network.json");

export function writeDescription(dir: string, description: NetworkDescription): string {
  const file = descriptionFile(dir);
  writeFileSync(`${file}.tmp`, JSON.stringify(description, null, 2) + "\n");
  renameSync(`${file}.tmp`, file);
  return file;
}

export function readDescription(dir: string): NetworkDescription | undefined {
  const file = descriptionFile(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as NetworkDescription) : undefined;
}

/** The `.env` lines that point the CLI and the SDK at the network (`trace verify`, `trace record`, …). */
export function envLines(description: NetworkDescription, rpcUrl = description.nodes[0].rpcUrl): string[] {
  return [
    `TRACE_RPC_URL=${rpcUrl}`,
    `TRACE_CHAIN_ID=${description.chainId}`,
    ...(description.ledger ? [`TRACE_MANIFEST=${description.ledger.manifest}`] : []),
    // Zero-gas chain: legacy transactions at gas price 0.
    "TRACE_GAS_PRICE=0",
    // Clique can replace recent blocks (a heavier fork wins): writes wait, and reads stop, 3 blocks deep.
    "TRACE_CONFIRMATIONS=3",
  ];
}
