/**
 * The read client: a viem public client bound to one ledger. Runs in Node and in the browser; it holds no
 * keys and needs nothing but a JSON-RPC URL and the ledger's address.
 */
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { checkDeployment, type CheckDeploymentReturnType } from "./checkDeployment";
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
  /** The JSON-RPC URL it reads (undefined when made from an existing client). */
  rpcUrl?: string;
  ledger: LedgerLocation;
  /** Widest block range of one log query (undefined: the default, 1,000). */
  maxBlockRange?: bigint;
  /** {@link checkDeployment} of this reader's ledger. */
  checkDeployment(): Promise<CheckDeploymentReturnType>;
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
    ...(options.client ? {} : { rpcUrl: options.rpcUrl }),
    ledger,
    maxBlockRange,
    checkDeployment: () => checkDeployment(client, { ...ledger, rpcUrl: options.rpcUrl }),
    unitState: (unit) => readUnitState(client, ledger, unit),
    history: (unit, o) => readHistory(client, ledger, unit, { maxBlockRange, ...o }),
    journey: (unit, o) => readJourney(client, ledger, unit, { maxBlockRange, ...o }),
  };
}
