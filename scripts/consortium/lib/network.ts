/**
 * A local consortium network: N EthereumJS Clique signer nodes on this machine, each with its own data
 * directory, ports and signing key, peered with each other, sharing one generated genesis.
 *
 * The nodes run the client through `ethereumjs-node.mjs`, which corrects how it follows a Clique network
 * (see there). All nodes start side by side, sealing nothing; then each is peered with the others
 * (`admin_addPeer`; the client bootstraps peers only once at start, and bans for five minutes an address
 * that did not answer, so dialling before every node listens would leave some unpeered). Once a node has
 * all its peers it seals, the in-turn signer first. A restarted node is peered with the running ones the
 * same way and syncs from the heaviest. The network is handed over only when every node holds the same
 * block at the same height.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import { freePort } from "../../../src/node/ports";
import { rpcCall } from "../../../src/node/rpc";
import { cliqueGenesis, CONSORTIUM_CHAIN_ID, DEFAULT_BLOCK_PERIOD } from "./genesis";
import { startEthereumjsNode, type EthereumjsNode, type EthereumjsNodeConfig } from "./ethereumjsNode";
import { ConsortiumNodeError } from "./errors";

/**
 * How node `from` reaches node `to`'s RLPx (TCP) port: `host:port` (a test puts a cuttable proxy in between).
 * The discovery ping `admin_addPeer` sends first goes to `to`'s own UDP port: it carries no blocks.
 */
export type PeerRoute = (from: number, to: number, p2pPort: number) => string;

export interface ConsortiumNetworkOptions {
  /** The network's folder: genesis, and one data directory per node (`node-1`, `node-2`, …). */
  dir: string;
  /** How many signer nodes (at least 3, the smallest network that keeps sealing with one signer down). */
  nodes: number;
  chainId?: number;
  periodSeconds?: number;
  /** Accounts funded at genesis (the admin and the members' writers), with 10⁶ ether each. */
  fund: string[];
  /** Default: straight to 127.0.0.1. */
  route?: PeerRoute;
  /** Per node start timeout (ms, default 60 s). */
  startTimeoutMs?: number;
}

/** What a restarted node needs: its original configuration, kept in `<dir>/nodes.json`. */
export interface ConsortiumNodeSpec extends EthereumjsNodeConfig {
  index: number;
  signer: string;
}

export interface ConsortiumNetwork {
  dir: string;
  chainId: number;
  periodSeconds: number;
  genesisFile: string;
  specs: ConsortiumNodeSpec[];
  /** The running node processes (undefined where a node is stopped). */
  nodes: Array<EthereumjsNode | undefined>;
  rpcUrls: string[];
  /** Stops node `i` (SIGTERM, clean database close). */
  stopNode(i: number): Promise<void>;
  /** Starts node `i` again with its data, and peers it with every running node. */
  startNode(i: number): Promise<EthereumjsNode>;
  /** Stops every running node. */
  stop(): Promise<void>;
}

const ETHER = 10n ** 18n;

export const nodeName = (i: number) => `node ${i + 1}`;
/** The genesis file; the client names the chain after it (`cbec-consortium`) in each node's database. */
export const GENESIS_FILE = "cbec-consortium.genesis.json";
export const specsFile = (dir: string) => join(dir, "nodes.json");

/** Head number and hash of a node. */
export async function headOf(rpcUrl: string): Promise<{ number: number; hash: string }> {
  const block = await rpcCall<{ number: string; hash: string }>(rpcUrl, "eth_getBlockByNumber", ["latest", false]);
  return { number: Number(block.number), hash: block.hash };
}

/** The hash of block `n` on a node (undefined when it does not have it). */
export async function hashAt(rpcUrl: string, n: number): Promise<string | undefined> {
  const block = await rpcCall<{ hash: string } | null>(rpcUrl, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false]);
  return block?.hash;
}

/**
 * Waits until every node has block `minHeight` or later and they all hold the same hash at the lowest of
 * their heads: one chain, every node on it. Returns that height.
 */
export async function waitForAgreement(
  rpcUrls: string[],
  options: { minHeight?: number; timeoutMs?: number; describe?: () => string } = {},
): Promise<number> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last = "";
  for (;;) {
    try {
      const heads = await Promise.all(rpcUrls.map(headOf));
      const low = Math.min(...heads.map((h) => h.number));
      if (low >= (options.minHeight ?? 0)) {
        const hashes = await Promise.all(rpcUrls.map((url) => hashAt(url, low)));
        if (hashes.every((h) => h !== undefined && h === hashes[0])) return low;
      }
      last = heads.map((h, i) => `${nodeName(i)} at ${h.number} (${h.hash.slice(0, 10)})`).join(", ");
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new ConsortiumNodeError(
        `The consortium nodes did not agree on one chain in time: ${last}.`,
        [
          "A node that sealed a block of its own before it peered can stay on that fork (EthereumJS does not",
          "switch between forks of equal weight): run `npm run consortium:down`, then `consortium:up --fresh`.",
        ],
        options.describe?.(),
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Picks ports, keys and the genesis of a new network and writes them to `dir`. */
export async function planNetwork(options: ConsortiumNetworkOptions): Promise<ConsortiumNodeSpec[]> {
  if (!Number.isInteger(options.nodes) || options.nodes < 3) {
    throw new ConsortiumNodeError(`A consortium network needs at least 3 signer nodes (got ${options.nodes}).`, [
      "With Clique, N signers keep sealing while more than half of them run: 3 is the smallest network",
      "that survives one node down. Use --nodes 3 or more.",
    ]);
  }
  mkdirSync(options.dir, { recursive: true });
  const signers = Array.from({ length: options.nodes }, () => Wallet.createRandom());
  const genesisFile = join(options.dir, GENESIS_FILE);
  const genesis = cliqueGenesis({
    chainId: options.chainId ?? CONSORTIUM_CHAIN_ID,
    signers: signers.map((s) => s.address),
    periodSeconds: options.periodSeconds ?? DEFAULT_BLOCK_PERIOD,
    alloc: Object.fromEntries(options.fund.map((a) => [a, 1_000_000n * ETHER])),
  });
  writeFileSync(genesisFile, JSON.stringify(genesis, null, 2) + "\n");
  const taken = new Set<number>();
  const port = async () => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  const specs: ConsortiumNodeSpec[] = [];
  for (let i = 0; i < options.nodes; i++) {
    specs.push({
      index: i,
      name: nodeName(i),
      dataDir: join(options.dir, `node-${i + 1}`),
      genesisFile,
      signerKey: signers[i].privateKey,
      signer: signers[i].address,
      p2pPort: await port(),
      rpcPort: await port(),
    });
  }
  writeFileSync(specsFile(options.dir), JSON.stringify(specs, null, 2) + "\n", { mode: 0o600 });
  return specs;
}

/** Reads the node specs of a network planned before (for a restart after `consortium:down`). */
export function readSpecs(dir: string): ConsortiumNodeSpec[] {
  return JSON.parse(readFileSync(specsFile(dir), "utf8")) as ConsortiumNodeSpec[];
}

/**
 * Asks a node to dial `target` (`host:port` of the peer's RLPx, maybe through a route) after a discovery
 * ping to `udpPort` on the same host, retrying while the peer is not reachable yet.
 */
async function addPeer(rpcUrl: string, target: string, udpPort: number, timeoutMs = 20_000): Promise<void> {
  const [address, port] = target.split(":");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await rpcCall(rpcUrl, "admin_addPeer", [{ address, tcpPort: Number(port), udpPort }]);
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The peers a node is connected to (their enode ids). */
export async function peersOf(rpcUrl: string): Promise<string[]> {
  const peers = await rpcCall<Array<{ id: string }>>(rpcUrl, "admin_peers");
  return peers.map((p) => p.id);
}

/**
 * Starts the nodes of `specs` side by side, waits until each has sealed its own first block, peers every
 * pair (through `route`), then waits until they agree on one chain.
 */
export async function startNetwork(
  dir: string,
  specs: ConsortiumNodeSpec[],
  options: { route?: PeerRoute; startTimeoutMs?: number; log?: (line: string) => void } = {},
): Promise<ConsortiumNetwork> {
  const route: PeerRoute = options.route ?? ((_from, _to, p2pPort) => `127.0.0.1:${p2pPort}`);
  const genesis = JSON.parse(readFileSync(specs[0].genesisFile, "utf8")) as {
    config: { chainId: number; clique: { period: number } };
  };
  const nodes: Array<EthereumjsNode | undefined> = specs.map(() => undefined);
  const rpcUrls = specs.map((s) => `http://127.0.0.1:${s.rpcPort}`);
  const describe = () => nodes.map((n, i) => `--- ${nodeName(i)} (${n?.logFile}):\n${n?.logTail(8)}`).join("\n");
  const launch = async (i: number, sealAfterPeers: number) => {
    const spec = specs[i];
    const node = await startEthereumjsNode(
      { ...spec, sealAfterPeers },
      { timeoutMs: options.startTimeoutMs ?? 60_000 },
    );
    nodes[i] = node;
    options.log?.(`  ${spec.name}: signer ${spec.signer}, RPC ${node.rpcUrl}, p2p ${spec.p2pPort}, pid ${node.pid}`);
    return node;
  };
  /** Peers node `i` with every running node `j` in `others`. */
  const connect = async (i: number, others: number[]) => {
    for (const j of others) await addPeer(rpcUrls[i], route(i, j, specs[j].p2pPort), specs[j].p2pPort);
  };
  const network: ConsortiumNetwork = {
    dir,
    chainId: genesis.config.chainId,
    periodSeconds: genesis.config.clique.period,
    genesisFile: specs[0].genesisFile,
    specs,
    nodes,
    rpcUrls,
    async stopNode(i) {
      await nodes[i]?.stop();
      nodes[i] = undefined;
    },
    async startNode(i) {
      const others = specs.map((_, j) => j).filter((j) => j !== i && nodes[j] !== undefined);
      const node = await launch(i, others.length);
      await connect(i, others);
      return node;
    },
    async stop() {
      await Promise.all(nodes.map((n, i) => (n ? network.stopNode(i) : undefined)));
    },
  };
  try {
    // Side by side, each sealing nothing until it is peered with all the others.
    await Promise.all(specs.map((_, i) => launch(i, specs.length - 1)));
    for (let i = 1; i < specs.length; i++) {
      await connect(
        i,
        specs.slice(0, i).map((s) => s.index),
      );
    }
    await waitForAgreement(rpcUrls, {
      minHeight: 1,
      timeoutMs: 30_000 + specs.length * network.periodSeconds * 2_000,
      describe,
    });
  } catch (error) {
    await network.stop();
    throw error;
  }
  return network;
}

/** Plans a new network in `options.dir` and starts it. */
export async function startConsortiumNetwork(
  options: ConsortiumNetworkOptions & { log?: (line: string) => void },
): Promise<ConsortiumNetwork> {
  const specs = await planNetwork(options);
  return startNetwork(options.dir, specs, options);
}
