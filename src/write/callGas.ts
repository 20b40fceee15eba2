/**
 * The gas a pre-flight `eth_call` must be given so that it runs with exactly the execution gas the real
 * transaction will have. A transaction with gas limit L executes with L less its intrinsic gas (21,000 plus the
 * calldata's cost). geth, Besu, Hardhat and anvil charge that intrinsic gas in `eth_call` too, so a call at L
 * is the transaction's twin. The EthereumJS client does not: its `eth_call` gives the call frame all of L, so a
 * chunk that needs up to its calldata's intrinsic gas more than the transaction will have (up to ~2 M gas
 * for a 120 KiB chunk) passes the pre-flight and then runs out of gas on chain. One probe per node tells the
 * two apart: a call with 1 gas, which every node that charges intrinsic gas refuses.
 */
import type { Provider } from "ethers";
import { intrinsicGas } from "./gasModel";
import { isTransient, retryTransient } from "./retry";

/**
 * Whether the node's `eth_call` charges the intrinsic gas of the call, as a transaction is charged. A node
 * that answers the 1-gas probe does not; any refusal of it means it does (the safe reading: the pre-flight
 * is then run at the limit, as before). A probe that cannot reach the node throws, so nothing is assumed.
 */
export async function callChargesIntrinsicGas(provider: Provider, from: string): Promise<boolean> {
  try {
    await retryTransient(() => provider.call({ from, to: from, gasLimit: 1n }));
    return false;
  } catch (error) {
    if (isTransient(error)) throw error;
    return true;
  }
}

/**
 * The gas to run the pre-flight of `data` with, for a transaction of `gasLimit`: the limit itself where the
 * node charges intrinsic gas, else the execution gas the transaction will have (0 or less: cannot run).
 */
export function preflightGas(gasLimit: bigint, data: string, chargesIntrinsic: boolean): bigint {
  return chargesIntrinsic ? gasLimit : gasLimit - intrinsicGas(data).standard;
}
