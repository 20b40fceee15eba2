/**
 * The read client: a viem public client bound to one ledger. Runs in Node and in the browser; it holds no
 * keys and needs nothing but a JSON-RPC URL and the ledger's address.
 */
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { NetworkError, WrongChainError, WrongContractError } from "../errors/base";
import { readHistory, readUnitState, type ReadHistoryOptions } from "./history";
import { readJourney } from "./journey";
import type { Journey, LedgerLocation, UnitHistory, UnitState } from "./types";

export interface TraceReaderOptions {
  /** JSON-RPC URL (ignored when `client` is given). */
  rpcUrl?: string;
  /** An existing viem public client. */
  client?: PublicClient;
  /** The ledger. */
  ledger: LedgerLocation;
  /** Widest block range of one log query (default 1,000). */
  maxBlockRange?: bigint;
  /**
   * Retries of a request that failed at the network level (lost connection, timeout, HTTP 5xx, the node's
   * internal error), with exponential backoff (default 5; ignored when `client` is given).
   */
  retryCount?: number;
}

export interface TraceReader {
  client: PublicClient;
  ledger: LedgerLocation;
  /** Checks the endpoint serves the configured chain and the address is a cbec-trace ledger; returns its version. */
  checkDeployment(): Promise<{ chainId: number; version: string }>;
  unitState(unit: Hex): Promise<UnitState>;
  history(unit: Hex, options?: ReadHistoryOptions): Promise<UnitHistory>;
  journey(unit: Hex, options?: ReadHistoryOptions): Promise<Journey>;
}

/** Creates a read client for a ledger. */
export function createTraceReader(options: TraceReaderOptions): TraceReader {
  const client =
    options.client ??
    (createPublicClient({
      transport: http(options.rpcUrl, { batch: true, retryCount: options.retryCount ?? 5 }),
    }) as PublicClient);
  const ledger = options.ledger;
  const maxBlockRange = options.maxBlockRange;
  return {
    client,
    ledger,
    async checkDeployment() {
      let chainId: number;
      try {
        chainId = await client.getChainId();
      } catch (cause) {
        throw new NetworkError(`Cannot reach the JSON-RPC endpoint${options.rpcUrl ? ` ${options.rpcUrl}` : ""}.`, {
          hints: ["Check the URL and that the node is running."],
          cause,
        });
      }
      if (ledger.chainId !== undefined && ledger.chainId !== chainId) {
        throw new WrongChainError(BigInt(ledger.chainId), BigInt(chainId), options.rpcUrl);
      }
      const code = await client.getCode({ address: ledger.address });
      if (!code || code === "0x") {
        throw new WrongContractError(`No contract at ${ledger.address} on chain ${chainId}.`, {
          hints: ["Check the ledger address in the deployment manifest or --ledger."],
        });
      }
      try {
        const version = await client.readContract({
          address: ledger.address,
          abi: traceLedgerAbi,
          functionName: "version",
        });
        return { chainId, version };
      } catch (cause) {
        throw new WrongContractError(`The contract at ${ledger.address} is not a cbec-trace ledger.`, {
          hints: ["Check the ledger address in the deployment manifest or --ledger."],
          cause,
        });
      }
    },
    unitState: (unit) => readUnitState(client, ledger, unit),
    history: (unit, o) => readHistory(client, ledger, unit, { maxBlockRange, ...o }),
    journey: (unit, o) => readJourney(client, ledger, unit, { maxBlockRange, ...o }),
  };
}
