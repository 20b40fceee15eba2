/**
 * The chain's clock. Delays and deadlines run on block time, which a test or dev chain may have moved away
 * from ours; and ethers shares identical requests made within 250 ms, so a `getBlock("latest")` just after
 * the clock moved can answer the block before it. A JSON-RPC provider is therefore asked directly.
 */
import type { Provider } from "ethers";

/** The latest block's timestamp (Unix seconds), read afresh. */
export async function latestBlockTime(provider: Provider): Promise<number> {
  const raw = provider as Provider & { send?: (method: string, params: unknown[]) => Promise<{ timestamp: string }> };
  if (typeof raw.send === "function")
    return Number((await raw.send("eth_getBlockByNumber", ["latest", false])).timestamp);
  return Number((await provider.getBlock("latest"))!.timestamp);
}
