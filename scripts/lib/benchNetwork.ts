/**
 * The network `npm run bench:sdk` measures with `BENCH_NETWORK=env`: the operator's own chain (a Besu QBFT
 * consortium, or any EVM network), named by the same settings the CLI reads — TRACE_RPC_URL, TRACE_MANIFEST
 * (or TRACE_NETWORK, or TRACE_LEDGER), TRACE_PRIVATE_KEY (hex or keystore), TRACE_GAS_PRICE,
 * TRACE_CONFIRMATIONS — so the figure is for the endpoint, ledger and key the members write with. Everything
 * is checked before a transaction is sent: the chain id against the manifest's, code at the ledger address,
 * the block time measured from the chain unless BENCH_BLOCK_TIME gives it.
 */
import { JsonRpcProvider, Wallet } from "ethers";
import { traceEnv } from "../../src/config/env";
import { manifestPath, readManifestFile } from "../../src/config/files";
import { readKey } from "../../src/cli/context";

/** Where a capacity run writes: a ledger, a funded writer key allowed to register under the units' prefix. */
export interface CapacityTarget {
  rpcUrl: string;
  chainId: number;
  ledger: string;
  writerKey: string;
  gasPrice?: bigint;
  confirmations?: number;
  /** Distinguishes this run's units from any earlier run's on the same chain. */
  lot: string;
  /** The chain's block time in seconds (anvil's interval, the Clique period). */
  blockTime: number;
  /**
   * The GTIN of the units (default the test GTIN, whose prefix the demo consortium licenses): its company
   * prefix must be licensed to the writer's organization.
   */
  gtin?: string;
}

/** A capacity target on the operator's network, and what the figures say about where they were measured. */
export interface NetworkTarget extends CapacityTarget {
  described: {
    /** Host and port only: an endpoint URL can carry credentials. */
    endpoint: string;
    client: string;
    chainId: number;
    ledger: string;
    writer: string;
    blockTimeSeconds: number;
    blockTimeFrom: "BENCH_BLOCK_TIME" | string;
  };
}

/** Why the network cannot be measured, and what to set. */
export class BenchNetworkError extends Error {}

/** The median gap between the timestamps of the last `span` blocks (s), or undefined on a chain that short. */
async function measuredBlockTime(provider: JsonRpcProvider, span = 20): Promise<number | undefined> {
  const head = await provider.getBlockNumber();
  if (head < 2) return undefined;
  const from = Math.max(1, head - span);
  const blocks = await Promise.all(Array.from({ length: head - from + 1 }, (_, i) => provider.getBlock(from + i)));
  const gaps = blocks
    .slice(1)
    .map((b, i) => (b && blocks[i] ? b.timestamp - blocks[i]!.timestamp : 0))
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  return gaps.length === 0 ? undefined : gaps[Math.floor(gaps.length / 2)];
}

/** Resolves and checks the network of `env` (default: this process's, with .env loaded by Hardhat). */
export async function networkTarget(env: NodeJS.ProcessEnv = process.env): Promise<NetworkTarget> {
  const settings = traceEnv(env);
  if (!settings.rpcUrl) {
    throw new BenchNetworkError(
      "BENCH_NETWORK=env measures the network TRACE_RPC_URL names: set TRACE_RPC_URL, TRACE_MANIFEST (or TRACE_LEDGER) and TRACE_PRIVATE_KEY in .env.",
    );
  }
  const manifestFile = settings.manifest ?? (settings.network ? manifestPath(settings.network) : undefined);
  const manifest = manifestFile ? readManifestFile(manifestFile) : undefined;
  const ledger = settings.ledger ?? manifest?.ledger.address;
  if (!ledger) {
    throw new BenchNetworkError(
      "No ledger to write to: set TRACE_MANIFEST (the deployment's manifest) or TRACE_LEDGER.",
    );
  }
  const { key } = readKey(undefined, settings, false);
  const provider = new JsonRpcProvider(settings.rpcUrl, undefined, { batchMaxCount: 1 });
  try {
    const chainId = Number((await provider.getNetwork()).chainId);
    const expected = settings.chainId ?? manifest?.chainId;
    if (expected !== undefined && Number(expected) !== chainId) {
      throw new BenchNetworkError(
        `${settings.rpcUrl} is chain ${chainId}, but TRACE_CHAIN_ID or the manifest says ${expected}: point TRACE_RPC_URL at the deployment's chain.`,
      );
    }
    if ((await provider.getCode(ledger)) === "0x") {
      throw new BenchNetworkError(`No contract at ${ledger} on chain ${chainId}: check TRACE_MANIFEST / TRACE_LEDGER.`);
    }
    const given = env.BENCH_BLOCK_TIME;
    if (given !== undefined && !(Number(given) > 0 && Number.isFinite(Number(given)))) {
      throw new BenchNetworkError(`BENCH_BLOCK_TIME must be the block period in seconds (> 0), not "${given}".`);
    }
    const measured = given === undefined ? await measuredBlockTime(provider) : undefined;
    const blockTime = given !== undefined ? Number(given) : measured;
    if (blockTime === undefined || !Number.isFinite(blockTime) || blockTime <= 0) {
      throw new BenchNetworkError(
        "The chain's block time could not be measured (too few blocks): set BENCH_BLOCK_TIME to its block period in seconds.",
      );
    }
    const client = await provider.send("web3_clientVersion", []).catch(() => "unknown");
    const url = new URL(settings.rpcUrl);
    return {
      rpcUrl: settings.rpcUrl,
      chainId,
      ledger,
      writerKey: key,
      gasPrice: settings.gasPrice,
      confirmations: settings.confirmations,
      lot: `NET${Date.now() % 100_000}`,
      blockTime,
      gtin: env.BENCH_GTIN,
      described: {
        endpoint: url.host,
        client: String(client),
        chainId,
        ledger,
        writer: new Wallet(key).address,
        blockTimeSeconds: blockTime,
        blockTimeFrom: given !== undefined ? "BENCH_BLOCK_TIME" : "median gap of the last 20 blocks",
      },
    };
  } finally {
    provider.destroy();
  }
}
