/**
 * The Hardhat `consortium` network, from the `TRACE_*` settings. Hardhat's own in-process network and the
 * local node need none of them.
 */
import type { HttpNetworkUserConfig } from "hardhat/types";
import { NetworkEnvError, settingHint, traceEnv } from "./env";
import { decryptKeystore } from "./keystore";

/** Builds the `consortium` network config, or undefined when TRACE_RPC_URL is not set. */
export function consortiumNetwork(env: NodeJS.ProcessEnv): HttpNetworkUserConfig | undefined {
  const settings = traceEnv(env);
  const url = settings.rpcUrl;
  if (!url) return undefined;
  const chainId = settings.chainId;
  if (chainId === undefined) {
    throw new NetworkEnvError(`TRACE_CHAIN_ID must be set to the chain id of ${url} (a positive integer).`, {
      hints: [settingHint("TRACE_CHAIN_ID")],
    });
  }
  let key = settings.deployerKey;
  const keystore = settings.deployerKeystore;
  if (keystore) {
    if (key) {
      throw new NetworkEnvError("Set either TRACE_DEPLOYER_KEY or TRACE_DEPLOYER_KEYSTORE, not both.", {
        hints: [settingHint("TRACE_DEPLOYER_KEY")],
      });
    }
    key = decryptKeystore(keystore, settings.deployerKeystorePassword);
  }
  const gasPrice = settings.gasPrice;
  return {
    url,
    chainId,
    accounts: key ? [key] : [],
    // A fixed gas price makes ethers send legacy (type 0) transactions, which Besu with zero base fee,
    // FISCO BCOS and ChainMaker expect.
    ...(gasPrice !== undefined ? { gasPrice: Number(gasPrice) } : {}),
    timeout: 60_000,
  };
}
