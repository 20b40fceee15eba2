/**
 * A read client for browsers: viem's `createPublicClient` binds every public action (simulations, fee
 * estimation, ENS, EIP-5792 calls …) to the client, so a bundler keeps all of them; the verifier uses
 * eleven. This client has only those, and so the page's script shrinks from 127 kB to 86 kB gzipped. Typed
 * as a `PublicClient` for the read path's signatures: calling an action it lacks is a TypeError, so add
 * the action here when the read path starts using it. Browser-safe.
 */
import { createClient, type PublicClient, type Transport } from "viem";
import {
  call,
  getBlock,
  getBlockNumber,
  getChainId,
  getCode,
  getContractEvents,
  getLogs,
  getTransaction,
  getTransactionReceipt,
  readContract,
  verifyTypedData,
} from "viem/actions";

/** The actions the read path and the verifier call on their client. */
export const READ_ACTIONS = [
  "call",
  "getBlock",
  "getBlockNumber",
  "getChainId",
  "getCode",
  "getContractEvents",
  "getLogs",
  "getTransaction",
  "getTransactionReceipt",
  "readContract",
  "verifyTypedData",
  "request",
] as const;

/**
 * A client over `transport` with only the read path's actions.
 *
 * @example
 *   const client = createReadClient({ transport: http("/rpc", { batch: true }) });
 *   const report = await verifyUnit(code, { client, ledger });
 */
export function createReadClient(options: { transport: Transport }): PublicClient {
  const client = createClient(options);
  // Each action takes the client first; bound here as the full client's methods are.
  // Typed loosely here: the result is typed as a PublicClient, whose signatures these are.
  const bind = (action: (c: never, args: never) => unknown) => (args: never) => action(client as never, args);
  return Object.assign(client, {
    call: bind(call),
    getBlock: bind(getBlock),
    getBlockNumber: bind(getBlockNumber),
    getChainId: () => getChainId(client),
    getCode: bind(getCode),
    getContractEvents: bind(getContractEvents),
    getLogs: bind(getLogs),
    getTransaction: bind(getTransaction),
    getTransactionReceipt: bind(getTransactionReceipt),
    readContract: bind(readContract),
    verifyTypedData: bind(verifyTypedData),
  }) as unknown as PublicClient;
}
