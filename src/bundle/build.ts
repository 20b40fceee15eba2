/**
 * Making a proof bundle (the platform server's side): run the trust-nothing verification of a code against
 * the server's own node, pinned at one block, and keep the list of JSON-RPC requests it made and the
 * off-chain records it asked for. The answers are not kept: the buyer's verifier asks its own node for them,
 * all in one round trip. Browser-safe (viem and pure code), used by the server.
 */
import { custom, type Address, type Hex } from "viem";
import { parseGs1 } from "../gs1";
import { createReadClient } from "../read/readClient";
import type { EpcisEvent } from "../epcis";
import { verifyUnit } from "../verify/verify";
import { BUNDLE_FORMAT, type ProofBundle, type RpcRequest } from "./types";
import { RoundTrips, httpSender, providerSender, requestKey, type Eip1193Like } from "./rpc";

export interface BuildBundleOptions {
  /** The server's own (internal) node. */
  rpcUrl: string;
  /** Or an EIP-1193 provider for it (tests); used instead of `rpcUrl`. */
  provider?: Eip1193Like;
  ledger: { address: Address; chainId: number; version: string; deploymentBlock: bigint };
  /** The server's record store. */
  fetchRecord?: (hash: Hex) => Promise<EpcisEvent | undefined>;
  /** Verify as of the newest block with this many blocks on top, counting itself (default 1). */
  confirmations?: number;
  /** Read at exactly this block instead (it must be canonical). */
  blockNumber?: bigint;
  /**
   * Answers `eth_getLogs` filters instead of the node (the ledger index, which holds every ledger log): the
   * walk then costs database queries instead of node queries. Pin `blockNumber` at or below the index's
   * cursor. A wrong answer only makes the bundle ask for the wrong things (the buyer's node is asked again).
   */
  logSource?: (filter: Record<string, unknown>) => Promise<unknown[]>;
  /**
   * The claims registry (`manifest.claims`, issue 17): its reads of the unit's claim and tag are part of the
   * verification, so they are in the bundle and the buyer's verifier prefetches them with the rest.
   */
  claims?: { address: Address; deploymentBlock?: bigint | number };
}

/**
 * Verifies `code` on the server's node and returns the bundle: its block, the requests, the records.
 * Throws the GS1 error of an invalid code (there is nothing to prove about it).
 */
export async function buildProofBundle(code: string, options: BuildBundleOptions): Promise<ProofBundle> {
  const identity = parseGs1(code);
  const trips = new RoundTrips(options.provider ? providerSender(options.provider) : httpSender(options.rpcUrl));
  const requests: RpcRequest[] = [];
  const seen = new Set<string>();
  const client = createReadClient({
    transport: custom(
      {
        request: ({ method, params }: { method: string; params?: unknown }) => {
          // A copy: some providers (Hardhat's) fill in defaults such as `from` in the objects they are given.
          const request = { method, params: JSON.parse(JSON.stringify(params ?? [])) as unknown[] };
          const key = requestKey(method, request.params);
          if (!seen.has(key)) {
            seen.add(key);
            requests.push(request);
          }
          if (method === "eth_getLogs" && options.logSource) {
            return options.logSource(request.params[0] as Record<string, unknown>);
          }
          return trips.request(request);
        },
      },
      { retryCount: 0 },
    ),
  });

  const confirmations = Math.max(1, Math.floor(options.confirmations ?? 1));
  let at = options.blockNumber;
  if (at === undefined) {
    const [head] = await trips.sendNow([{ method: "eth_blockNumber", params: [] }]);
    const latest = BigInt("result" in head ? (head.result as string) : 0);
    at = latest - BigInt(confirmations - 1) > 0n ? latest - BigInt(confirmations - 1) : 0n;
  }
  const records: Record<string, unknown> = {};
  const fetchRecord = options.fetchRecord
    ? async (hash: Hex) => {
        const record = await options.fetchRecord!(hash);
        if (record) records[hash.toLowerCase()] = record;
        return record;
      }
    : undefined;
  const report = await verifyUnit(code, {
    client,
    ledger: {
      address: options.ledger.address,
      chainId: options.ledger.chainId,
      version: options.ledger.version,
      deploymentBlock: options.ledger.deploymentBlock,
    },
    ...(fetchRecord ? { fetchRecord } : {}),
    ...(options.claims ? { claims: options.claims } : {}),
    confirmations,
    pinAt: at,
  });
  return {
    format: BUNDLE_FORMAT,
    code: report.unit?.uri ?? code,
    unit: identity.key as Hex,
    ledger: {
      address: options.ledger.address,
      chainId: options.ledger.chainId,
      version: options.ledger.version,
      deploymentBlock: options.ledger.deploymentBlock.toString(),
    },
    at: { blockNumber: (report.asOf?.blockNumber ?? at).toString(), blockHash: report.asOf?.blockHash ?? "0x" },
    requests,
    records,
    preview: { verdict: report.verdict },
    createdAt: new Date().toISOString(),
  };
}
