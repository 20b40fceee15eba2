/**
 * `checkDeployment`: is the endpoint serving the configured chain, and is the address a cbec-trace ledger?
 * Every reader of the chain asks this once before trusting anything it reads. Browser-safe (viem only).
 */
import type { PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { NetworkError, WrongChainError, WrongContractError } from "../errors/base";
import type { LedgerLocation } from "./types";

/** The ledger to check, and the endpoint's URL for the messages (the client may not say it). */
export interface CheckDeploymentParameters extends LedgerLocation {
  /** Named in the error when the endpoint cannot be reached or serves another chain (default: the client's). */
  rpcUrl?: string;
}

/** The chain the endpoint serves and the ledger's `version()`. */
export interface CheckDeploymentReturnType {
  chainId: number;
  version: string;
}

/** What `checkDeployment` throws: nothing else escapes it. */
export type CheckDeploymentErrorType = NetworkError | WrongChainError | WrongContractError;

/**
 * Checks that the endpoint serves the ledger's chain (when `chainId` is given) and that a cbec-trace ledger
 * lives at `address`; returns the chain id the endpoint serves and the ledger's version.
 *
 * Uses `eth_chainId`, `eth_getCode` and `eth_call` (`version()`).
 *
 * @param client - A viem public client.
 * @param parameters - {@link CheckDeploymentParameters}: a {@link LedgerLocation}, optionally with the RPC URL.
 * @returns {@link CheckDeploymentReturnType}.
 * @throws {@link NetworkError} when the endpoint cannot be reached, {@link WrongChainError} when it serves
 *   another chain than `chainId`, {@link WrongContractError} when there is no ledger at the address.
 *
 * @example
 *   import { createPublicClient, http } from "viem";
 *   import { checkDeployment } from "cbec-trace";
 *   const client = createPublicClient({ transport: http("http://127.0.0.1:8545") });
 *   const { chainId, version } = await checkDeployment(client, { address: "0x…", chainId: 31337 });
 */
export async function checkDeployment(
  client: PublicClient,
  parameters: CheckDeploymentParameters,
): Promise<CheckDeploymentReturnType> {
  const { address } = parameters;
  // An HTTP client knows its URL: name it even when the caller did not.
  const rpcUrl = parameters.rpcUrl ?? (client.transport as { url?: string }).url;
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (cause) {
    throw new NetworkError(`Cannot reach the JSON-RPC endpoint${rpcUrl ? ` ${rpcUrl}` : ""}.`, {
      hints: ["Check the URL and that the node is running."],
      cause,
    });
  }
  if (parameters.chainId !== undefined && parameters.chainId !== chainId) {
    throw new WrongChainError(BigInt(parameters.chainId), BigInt(chainId), rpcUrl);
  }
  const code = await client.getCode({ address });
  if (!code || code === "0x") {
    throw new WrongContractError(`No contract at ${address} on chain ${chainId}.`, {
      hints: ["Check the ledger address in the deployment manifest or --ledger."],
    });
  }
  try {
    const version = await client.readContract({ address, abi: traceLedgerAbi, functionName: "version" });
    return { chainId, version };
  } catch (cause) {
    throw new WrongContractError(`The contract at ${address} is not a cbec-trace ledger.`, {
      hints: ["Check the ledger address in the deployment manifest or --ledger."],
      cause,
    });
  }
}
