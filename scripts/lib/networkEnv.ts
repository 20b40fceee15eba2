/**
 * The consortium network, from environment variables (`.env`, see .env.example). Hardhat's own in-process
 * network and the local node need none of these.
 */
import { readFileSync } from "node:fs";
import { Wallet } from "ethers";
import type { HttpNetworkUserConfig } from "hardhat/types";

export class NetworkEnvError extends Error {
  override name = "NetworkEnvError" as const;
}

/** Builds the `consortium` network config, or undefined when TRACE_RPC_URL is not set. */
export function consortiumNetwork(env: NodeJS.ProcessEnv): HttpNetworkUserConfig | undefined {
  const url = env.TRACE_RPC_URL?.trim();
  if (!url) return undefined;
  if (!/^https?:\/\//.test(url)) {
    throw new NetworkEnvError(`TRACE_RPC_URL="${url}" must be an http(s) JSON-RPC URL, e.g. http://10.0.0.5:8545.`);
  }
  const chainId = Number(env.TRACE_CHAIN_ID);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new NetworkEnvError(
      `TRACE_CHAIN_ID="${env.TRACE_CHAIN_ID ?? ""}" must be the chain id of ${url} (a positive integer).`,
    );
  }
  let key = env.TRACE_DEPLOYER_KEY?.trim();
  if (key !== undefined && key !== "" && !/^0x[0-9a-fA-F]{64}$/.test(key)) {
    throw new NetworkEnvError(
      "TRACE_DEPLOYER_KEY must be 0x followed by 64 hex digits (the key itself is never printed).",
    );
  }
  const keystore = env.TRACE_DEPLOYER_KEYSTORE?.trim();
  if (keystore) {
    if (key) throw new NetworkEnvError("Set either TRACE_DEPLOYER_KEY or TRACE_DEPLOYER_KEYSTORE, not both.");
    key = decryptKeystore(keystore, env.TRACE_DEPLOYER_KEYSTORE_PASSWORD);
  }
  const gasPrice = env.TRACE_GAS_PRICE?.trim();
  if (gasPrice !== undefined && gasPrice !== "" && !/^[0-9]+$/.test(gasPrice)) {
    throw new NetworkEnvError(`TRACE_GAS_PRICE="${gasPrice}" must be a whole number of wei (0 for zero-gas chains).`);
  }
  return {
    url,
    chainId,
    accounts: key ? [key] : [],
    // A fixed gas price makes ethers send legacy (type 0) transactions, which Besu with zero base fee,
    // FISCO BCOS and ChainMaker expect.
    ...(gasPrice !== undefined && gasPrice !== "" ? { gasPrice: Number(gasPrice) } : {}),
    timeout: 60_000,
  };
}

/** Decrypts an encrypted JSON keystore (geth / ethers format) into its private key; errors never show secrets. */
export function decryptKeystore(file: string, password: string | undefined): string {
  let json: string;
  try {
    json = readFileSync(file, "utf8");
  } catch {
    throw new NetworkEnvError(`The keystore file ${file} cannot be read.`);
  }
  if (password === undefined) {
    throw new NetworkEnvError(
      `The keystore ${file} needs its password in TRACE_DEPLOYER_KEYSTORE_PASSWORD (TRACE_KEYSTORE_PASSWORD for the CLI).`,
    );
  }
  try {
    return Wallet.fromEncryptedJsonSync(json, password).privateKey;
  } catch {
    throw new NetworkEnvError(`The keystore ${file} could not be decrypted: wrong password or not a keystore file.`);
  }
}
