/** Helpers to drive the SDK against the Hardhat in-process network. */
import { ethers, network } from "hardhat";
import { HDNodeWallet, Wallet, toUtf8String, type BytesLike, type Provider } from "ethers";
import { createPublicClient, custom, type PublicClient, type Address, type Hex } from "viem";
import type { HardhatNetworkHDAccountsConfig } from "hardhat/types";
import { createTraceReader, type TraceReader } from "../../src/read/reader";
import { TraceWriter, type TraceWriterOptions } from "../../src/write/writer";
import type { TraceLedger } from "../../typechain-types";
import type { ITraceLedger } from "../../typechain-types/contracts/TraceLedger";
import type { RegistrationInput } from "../../src/write/types";

/** The private-key wallet behind a Hardhat account address (default mnemonic). */
export function walletFor(address: string, provider: Provider = ethers.provider): Wallet {
  const cfg = network.config.accounts as HardhatNetworkHDAccountsConfig;
  for (let i = 0; i < cfg.count; i++) {
    const w = HDNodeWallet.fromPhrase(cfg.mnemonic, cfg.passphrase, `${cfg.path}/${i}`);
    if (w.address.toLowerCase() === address.toLowerCase()) return new Wallet(w.privateKey, provider);
  }
  throw new Error(`no Hardhat account ${address}`);
}

/** A viem public client over the in-process Hardhat network. */
export function hardhatClient(): PublicClient {
  return createPublicClient({ transport: custom(network.provider) }) as PublicClient;
}

/** A client of the in-process network that records the block range of every eth_getLogs it sends. */
export function logRangeRecordingClient(): { client: PublicClient; ranges: Array<[from: string, to: string]> } {
  const ranges: Array<[string, string]> = [];
  const client = createPublicClient({
    transport: custom({
      request: async ({ method, params }: { method: string; params?: unknown[] }) => {
        if (method === "eth_getLogs") {
          const filter = (params as [{ fromBlock: string; toBlock: string }])[0];
          ranges.push([filter.fromBlock, filter.toBlock]);
        }
        return network.provider.request({ method, params });
      },
    }),
  }) as PublicClient;
  return { client, ranges };
}

/** A reader for a deployed ledger on the Hardhat network. */
export async function readerFor(ledger: TraceLedger, maxBlockRange?: bigint): Promise<TraceReader> {
  const { chainId } = await ethers.provider.getNetwork();
  return createTraceReader({
    client: hardhatClient(),
    ledger: { address: (await ledger.getAddress()) as Address, chainId: Number(chainId) },
    maxBlockRange,
  });
}

/** A writer acting as a Hardhat account. */
export async function writerFor(
  ledger: TraceLedger,
  address: string,
  options: Partial<TraceWriterOptions> = {},
  provider: Provider = ethers.provider,
): Promise<TraceWriter> {
  return TraceWriter.create({
    ledger: await ledger.getAddress(),
    signer: walletFor(address, provider),
    receiptTimeoutMs: 5_000,
    ...options,
  });
}

/** Awaits a promise that must reject with an instance of `type`; returns the error. */
export async function rejection<T extends Error>(
  promise: Promise<unknown>,
  type: new (...a: never[]) => T,
): Promise<T> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  if (!(error instanceof type)) {
    throw new Error(`expected a ${type.name} rejection, got ${error === undefined ? "success" : String(error)}`);
  }
  return error;
}

/**
 * The SDK's registration (the code's path; the writer finds the prefix length) of a contract registration
 * built by `registration()` of ledger.ts.
 */
export function toSdkRegistration(r: ITraceLedger.RegistrationStruct): RegistrationInput {
  return {
    path: typeof r.path === "string" && r.path.startsWith("/") ? r.path : toUtf8String(r.path as BytesLike),
    eventTime: Number(r.eventTime),
    location: BigInt(r.location),
    recordHash: r.recordHash as Hex,
  };
}
