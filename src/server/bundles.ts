/**
 * The server's proof bundles (issue 12): one per unit, built with `buildProofBundle` against the server's
 * own node and record store, and kept in memory by (unit key, node head block) — a new block makes a new
 * bundle, so no bundle is served for a chain that moved on (the verifier would find it stale and fall back
 * to the log walk, slower but no less right). Concurrent requests for the same bundle share one build; the
 * cache holds at most `cacheSize` bundles, the least recently used going first. Node-only.
 */
import type { Hex } from "viem";
import { parseGs1 } from "../gs1";
import { rpcCall } from "../node/rpc";
import type { DeploymentManifest } from "../config/manifest";
import type { EpcisEvent } from "../epcis";
import { buildProofBundle } from "../bundle/build";
import type { ProofBundle } from "../bundle/types";
import type { IndexSql } from "../indexer/db";
import { indexLogSource, indexedBlock } from "./indexLogs";

export interface BundleServiceOptions {
  /** The server's own (internal) node. */
  nodeUrl: string;
  manifest: DeploymentManifest;
  fetchRecord: (hash: Hex) => Promise<EpcisEvent | undefined>;
  /** Bundles kept (default 512). */
  cacheSize?: number;
  /** Finality depth the bundles are read at (default 1: the latest block). */
  confirmations?: number;
  /**
   * The ledger index: its logs answer the bundle's log queries (database queries instead of node queries),
   * and bundles are pinned at the block it has reached, or below.
   */
  index?: IndexSql;
}

export interface BundleService {
  /** The bundle of the unit `code` names; throws the GS1 error of an invalid code. */
  bundleFor(code: string): Promise<ProofBundle>;
  /** Bundles built and requests answered from the cache, since the start. */
  readonly stats: { builds: number; hits: number; cached: number };
  /**
   * Drops every cached bundle: a record that reached the store after a bundle was built at the same block
   * would otherwise stay missing from it until the next block.
   */
  forget(): void;
}

export const DEFAULT_BUNDLE_CACHE_SIZE = 512;

/** Creates the bundle builder and cache. */
export function createBundleService(options: BundleServiceOptions): BundleService {
  const cap = Math.max(1, options.cacheSize ?? DEFAULT_BUNDLE_CACHE_SIZE);
  const cache = new Map<string, Promise<ProofBundle>>();
  const stats = { builds: 0, hits: 0, cached: 0 };
  const { manifest } = options;
  const ledger = {
    address: manifest.ledger.address,
    chainId: manifest.chainId,
    version: manifest.ledger.version,
    deploymentBlock: BigInt(manifest.ledger.deploymentBlock),
  };

  return {
    stats,
    forget() {
      cache.clear();
      stats.cached = 0;
    },
    async bundleFor(code) {
      const unit = parseGs1(code).key;
      const head = BigInt(await rpcCall<string>(options.nodeUrl, "eth_blockNumber", []));
      const depth = BigInt(Math.max(1, Math.floor(options.confirmations ?? 1)) - 1);
      let at = head - depth > 0n ? head - depth : 0n;
      // With an index, the bundle is read where the index has reached (its log answers stop there).
      const indexed = options.index ? await indexedBlock(options.index) : undefined;
      const fromIndex = indexed !== undefined && indexed >= BigInt(manifest.ledger.deploymentBlock);
      if (fromIndex && indexed < at) at = indexed;
      const key = `${unit}@${at}`;
      const known = cache.get(key);
      if (known) {
        stats.hits++;
        // Most recently used last.
        cache.delete(key);
        cache.set(key, known);
        return known;
      }
      stats.builds++;
      const built = buildProofBundle(code, {
        rpcUrl: options.nodeUrl,
        ledger,
        fetchRecord: options.fetchRecord,
        confirmations: options.confirmations,
        blockNumber: at,
        ...(fromIndex ? { logSource: indexLogSource(options.index!) } : {}),
        // The unit's claim and tag reads travel with the rest: the page then verifies them in its one round trip.
        ...(manifest.claims ? { claims: manifest.claims } : {}),
      });
      cache.set(key, built);
      // A failed build is not kept: the next request tries again.
      built.catch(() => cache.get(key) === built && cache.delete(key)).finally(() => (stats.cached = cache.size));
      while (cache.size > cap) cache.delete(cache.keys().next().value as string);
      stats.cached = cache.size;
      return built;
    },
  };
}
