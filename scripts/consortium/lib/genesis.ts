/**
 * The genesis of the local consortium chain: a geth-format genesis file (what `@ethereumjs/client
 * --gethGenesis` reads, and what geth or Besu in Clique mode would read too) for a Clique proof-of-authority
 * chain whose signers are named in `extraData`.
 *
 * The chain stops at Berlin on purpose: without London there is no base fee, so a gas price of 0 is valid in
 * every block (EIP-1559's base fee, once a full block raised it to 1 wei, never returns to 0), and the SDK's
 * fee lookup sees no `baseFeePerGas` and sends legacy transactions at the node's `eth_gasPrice`, which is 0
 * on a chain whose transactions all paid 0. That is the zero-gas consortium chain (Besu's `zeroBaseFee`,
 * FISCO BCOS, ChainMaker) it stands in for. Contracts must be built for `paris` or older (no PUSH0).
 */
import { getAddress } from "ethers";

/** Chain id of the local consortium chain (distinct from the dev chain 31337, so deployments never mix). */
export const CONSORTIUM_CHAIN_ID = 31338;

/** Seconds between Clique blocks. */
export const DEFAULT_BLOCK_PERIOD = 2;

/** The block gas limit (30 M, as on mainnet and Besu's default genesis). */
export const DEFAULT_GAS_LIMIT = 30_000_000n;

export interface CliqueGenesisOptions {
  chainId?: number;
  /** The signers' addresses (any order: Clique wants them sorted in `extraData`, this sorts them). */
  signers: string[];
  /** Seconds between blocks (default 2). */
  periodSeconds?: number;
  gasLimit?: bigint;
  /** Balances at genesis, in wei, by address. */
  alloc?: Record<string, bigint>;
  /** Genesis timestamp in seconds (default now). Never in the future: the client seals its first block at now. */
  timestamp?: number;
}

/** A geth-format genesis (the fields `@ethereumjs/client --gethGenesis` reads). */
export interface GethGenesis {
  config: Record<string, unknown> & { chainId: number; clique: { period: number; epoch: number } };
  nonce: string;
  timestamp: string;
  extraData: string;
  gasLimit: string;
  difficulty: string;
  mixHash: string;
  coinbase: string;
  number: string;
  gasUsed: string;
  parentHash: string;
  alloc: Record<string, { balance: string }>;
}

const hex = (n: bigint | number) => `0x${n.toString(16)}`;

/**
 * Clique's `extraData`: 32 vanity bytes, the signers' addresses in ascending order, 65 zero bytes where a
 * block's seal goes (EIP-225).
 */
export function cliqueExtraData(signers: string[]): string {
  if (signers.length === 0) throw new Error("A Clique chain needs at least one signer.");
  const sorted = signers.map((s) => getAddress(s).slice(2).toLowerCase()).sort();
  if (new Set(sorted).size !== sorted.length) throw new Error("The Clique signers must be distinct addresses.");
  return `0x${"00".repeat(32)}${sorted.join("")}${"00".repeat(65)}`;
}

/** The genesis of a Berlin Clique chain with the given signers and balances. */
export function cliqueGenesis(options: CliqueGenesisOptions): GethGenesis {
  const period = options.periodSeconds ?? DEFAULT_BLOCK_PERIOD;
  if (!Number.isInteger(period) || period < 1)
    throw new Error(`The block period must be whole seconds ≥ 1 (got ${period}).`);
  const alloc: GethGenesis["alloc"] = {};
  for (const [address, balance] of Object.entries(options.alloc ?? {})) {
    alloc[getAddress(address).slice(2).toLowerCase()] = { balance: hex(balance) };
  }
  return {
    config: {
      chainId: options.chainId ?? CONSORTIUM_CHAIN_ID,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      berlinBlock: 0,
      clique: { period, epoch: 30_000 },
    },
    nonce: "0x0",
    timestamp: hex(options.timestamp ?? Math.floor(Date.now() / 1000)),
    extraData: cliqueExtraData(options.signers),
    gasLimit: hex(options.gasLimit ?? DEFAULT_GAS_LIMIT),
    difficulty: "0x1",
    mixHash: `0x${"00".repeat(32)}`,
    coinbase: `0x${"00".repeat(20)}`,
    number: "0x0",
    gasUsed: "0x0",
    parentHash: `0x${"00".repeat(32)}`,
    alloc,
  };
}
