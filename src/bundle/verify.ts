/**
 * Verifying with a proof bundle (the buyer's side): every request the bundle names goes to the buyer's own
 * node in one round trip, with a twin at the latest block for each state read at the bundle's block; then
 * the unchanged verdict engine (`verifyUnit`) runs, pinned at the bundle's block, with those answers at
 * hand. The bundle only decides what is asked, never what is answered: a request it left out, altered or
 * invented is simply not in hand, so the engine asks the node for it (one more round trip) and the verdict
 * is the log walk's whatever the bundle says. A chain that changed after the bundle's block (a twin
 * disagrees) is read at the latest block instead, as without a bundle. Browser-safe.
 */
import { custom, numberToHex, type Hex } from "viem";
import { parseGs1 } from "../gs1";
import { createReadClient } from "../read/readClient";
import { recordHash, type EpcisEvent } from "../epcis";
import type { LedgerLocation } from "../read/types";
import { verifyUnit } from "../verify/verify";
import type { VerificationReport } from "../verify/types";
import { BUNDLE_FORMAT, type BundleUse, type ProofBundle, type RpcRequest } from "./types";
import {
  READ_METHODS,
  RoundTrips,
  httpSender,
  providerSender,
  requestKey,
  unwrap,
  type Eip1193Like,
  type RpcAnswer,
} from "./rpc";

export interface BundleVerifyOptions {
  /** The buyer's JSON-RPC endpoint (the platform's same-origin gateway by default). */
  rpcUrl: string;
  /** Or an EIP-1193 provider for it (tests); used instead of `rpcUrl`. */
  provider?: Eip1193Like;
  ledger: LedgerLocation;
  /** Where records the bundle lacks (or got wrong) come from; each is checked against its hash. */
  fetchRecord?: (hash: Hex) => Promise<EpcisEvent | undefined>;
  checkSignatures?: boolean;
  confirmations?: number;
  maxBlockRange?: bigint;
  /** The claims registry the unit's claim and tag are read from (`VerifyOptions.claims`). */
  claims?: { address: Hex; deploymentBlock?: bigint | number };
  /** A claim code in the buyer's hands, assessed off chain (`VerifyOptions.claimCode`). */
  claimCode?: string;
}

/** More requests than any verification makes (a 10,000-entry journey makes about 4 per entry). */
export const MAX_BUNDLE_REQUESTS = 50_000;

/** Verifies `code` with the bundle's requests prefetched (or by the log walk alone without a usable bundle). */
export async function verifyWithBundle(
  code: string,
  bundle: ProofBundle | undefined,
  options: BundleVerifyOptions,
): Promise<VerificationReport> {
  const started = Date.now();
  const trips = new RoundTrips(options.provider ? providerSender(options.provider) : httpSender(options.rpcUrl));
  const answers = new Map<string, RpcAnswer>();
  const use: BundleUse = { prefetched: 0, hits: 0, misses: 0 };
  let pinAt: bigint | undefined;

  const problem = bundle ? refusal(code, bundle, options.ledger) : "format";
  if (bundle && problem) use.rejected = problem;
  if (bundle && !problem) {
    const at = BigInt(bundle.at.blockNumber);
    const pinned = numberToHex(at);
    const named = bundle.requests.filter((r) => READ_METHODS.has(r.method) && Array.isArray(r.params));
    use.refused = bundle.requests.length - named.length;
    // A state read at the bundle's block gets a twin at the latest block: equal twins say nothing the verdict
    // reads has changed since, so the bundle's block stands for the present.
    const twins = named.filter((r) => r.method === "eth_call" && r.params[1] === pinned);
    const batch: RpcRequest[] = [
      { method: "eth_blockNumber", params: [] },
      { method: "eth_getBlockByNumber", params: [pinned, false] },
      ...named,
      ...twins.map((r) => ({ method: r.method, params: [r.params[0], "latest"] })),
    ];
    const got = await trips.sendNow(batch);
    use.prefetched = batch.length;
    batch.forEach((r, i) => {
      if ("result" in got[i]) answers.set(requestKey(r.method, r.params), got[i]);
    });
    const head = "result" in got[0] ? BigInt(got[0].result as string) : undefined;
    const block = "result" in got[1] ? (got[1].result as { hash?: Hex } | null) : null;
    const confirmations = Math.max(1, Math.floor(options.confirmations ?? 1));
    const offset = 2 + named.length;
    const changed = twins.some((r, i) => {
      const then = got[2 + named.indexOf(r)];
      const now = got[offset + i];
      return !("result" in then) || !("result" in now) || String(then.result) !== String(now.result);
    });
    if (!block?.hash || head === undefined || head < at) use.rejected = "missing";
    else if (head - at + 1n < BigInt(confirmations)) use.rejected = "unconfirmed";
    else if (changed) use.rejected = "stale";
    else pinAt = at;
  }

  const client = createReadClient({
    transport: custom(
      {
        request: ({ method, params }: { method: string; params?: unknown }) => {
          const list = (params as unknown[] | undefined) ?? [];
          const answer = answers.get(requestKey(method, list));
          if (answer) {
            use.hits++;
            return Promise.resolve(unwrap(answer));
          }
          use.misses++;
          return trips.request({ method, params: list });
        },
      },
      { retryCount: 0 },
    ),
  });

  const records = bundle && !use.rejected ? bundle.records : {};
  const fetchRecord = async (hash: Hex): Promise<EpcisEvent | undefined> => {
    const inBundle = (records as Record<string, EpcisEvent | undefined>)[hash.toLowerCase()];
    // A record the bundle got wrong proves nothing: the platform's store is asked, as without a bundle.
    if (inBundle && safeHash(inBundle) === hash.toLowerCase()) return inBundle;
    return options.fetchRecord?.(hash);
  };
  const verify = (at: bigint | undefined) =>
    verifyUnit(code, {
      client,
      ledger: options.ledger,
      fetchRecord,
      ...(options.checkSignatures !== undefined ? { checkSignatures: options.checkSignatures } : {}),
      ...(options.confirmations !== undefined ? { confirmations: options.confirmations } : {}),
      ...(options.maxBlockRange !== undefined ? { maxBlockRange: options.maxBlockRange } : {}),
      ...(options.claims ? { claims: options.claims } : {}),
      ...(options.claimCode !== undefined ? { claimCode: options.claimCode } : {}),
      ...(at !== undefined ? { pinAt: at } : {}),
    });
  const report = await verify(pinAt);
  report.stats = {
    ...report.stats,
    milliseconds: Date.now() - started,
    roundTrips: trips.roundTrips,
    source: bundle && !use.rejected ? "bundle" : "logWalk",
    ...(bundle ? { bundle: use } : {}),
  };
  return report;
}

/** Why a bundle cannot be for this code on this ledger, if it cannot. */
function refusal(code: string, bundle: ProofBundle, ledger: LedgerLocation): BundleUse["rejected"] | undefined {
  if (
    typeof bundle !== "object" ||
    bundle === null ||
    bundle.format !== BUNDLE_FORMAT ||
    !Array.isArray(bundle.requests) ||
    bundle.requests.length > MAX_BUNDLE_REQUESTS ||
    !/^\d{1,20}$/.test(String(bundle.at?.blockNumber)) ||
    typeof bundle.records !== "object" ||
    bundle.records === null
  ) {
    return "format";
  }
  if (String(bundle.ledger?.address).toLowerCase() !== ledger.address.toLowerCase()) return "ledger";
  if (ledger.chainId !== undefined && Number(bundle.ledger.chainId) !== ledger.chainId) return "ledger";
  let key: string | undefined;
  try {
    key = parseGs1(code).key.toLowerCase();
  } catch {
    return "unit"; // an invalid code is judged without any bundle
  }
  return String(bundle.unit).toLowerCase() === key ? undefined : "unit";
}

function safeHash(record: EpcisEvent): string | undefined {
  try {
    return recordHash(record).toLowerCase();
  } catch {
    return undefined;
  }
}
