/**
 * The ledger on the local consortium network: deployed through the project's own deployment path
 * (`deploy/lib/deployLedger.ts`, Hardhat Ignition, the `consortium` network of hardhat.config.ts built from
 * `TRACE_*` settings, the `paris` build), then the members of a consortium file onboarded with the same
 * SDK calls `npm start` and `trace consortium apply` use (plan, apply, apply again once the public delay of
 * the prefix licences has passed). Nothing is simulated: the delay is waited out on the real clock.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Network, Wallet } from "ethers";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import type { DeploymentManifest } from "../../../src/config/manifest";
import { parseConsortiumFile, readConsortium, type ConsortiumFile } from "../../../src/admin";
import { filePrefixes, planConsortium } from "../../../src/admin/plan";
import { applyConsortium } from "../../../src/admin/apply";
import { ConsortiumAdmin } from "../../../src/admin/admin";
import { TraceWriter } from "../../../src/write/writer";

export const PROJECT_ROOT = resolve(__dirname, "..", "..", "..");

/** The development mnemonic whose accounts demo/consortium.json names (account 0 is the admin). */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Development account `i` of the mnemonic (m/44'/60'/0'/0/i). */
export function devWallet(i: number): Wallet {
  return new Wallet(HDNodeWallet.fromPhrase(DEV_MNEMONIC, "", `m/44'/60'/0'/0/${i}`).privateKey);
}

/**
 * The ledger's admin delay on the local network, in seconds: long enough to be a real delay that every
 * change waits out on the chain's clock, short enough for a test. A real consortium sets days.
 */
export const LOCAL_ADMIN_DELAY = 8;

/** A provider of one node: no response cache (writers compare heads and nonces across calls). */
export function nodeProvider(rpcUrl: string, chainId: number): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, Network.from(chainId), {
    staticNetwork: true,
    pollingInterval: 250,
    cacheTimeout: -1,
  });
}

export interface DeployOnConsortiumOptions {
  /** The node the admin deploys through. */
  rpcUrl: string;
  chainId: number;
  /** The admin's key (deployer and consortium admin). */
  adminKey: string;
  /** Where the manifest (`consortium.json`) and Ignition's journal go. */
  dir: string;
  /** Blocks each deployment transaction waits (default 2: Clique blocks can be replaced by a heavier fork). */
  confirmations?: number;
  log?: (line: string) => void;
}

/**
 * Deploys TraceLedger on the consortium network with `npm run deploy`'s code: the `consortium` network of
 * hardhat.config.ts (TRACE_RPC_URL, TRACE_CHAIN_ID, TRACE_DEPLOYER_KEY, TRACE_GAS_PRICE=0) and the `paris`
 * build (EVM_TARGET=paris), compiled first when stale. Hardhat reads them when it loads, so this must run
 * before anything else in the process loads Hardhat; running it twice against the same chain is a no-op.
 */
export async function deployOnConsortium(
  options: DeployOnConsortiumOptions,
): Promise<{ manifest: DeploymentManifest; manifestPath: string; sent: number }> {
  Object.assign(process.env, {
    EVM_TARGET: "paris",
    HARDHAT_NETWORK: "consortium",
    TRACE_RPC_URL: options.rpcUrl,
    TRACE_CHAIN_ID: String(options.chainId),
    TRACE_DEPLOYER_KEY: options.adminKey,
    TRACE_GAS_PRICE: "0",
  });
  delete process.env.TRACE_DEPLOYER_KEYSTORE;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hre = require("hardhat") as typeof import("hardhat");
  if (hre.network.name !== "consortium" || (hre.network.config as { url?: string }).url !== options.rpcUrl) {
    throw new Error(
      "Hardhat was loaded before the consortium network was configured: deploy in a process of its own " +
        "(npm run consortium:up, npm run test:consortium).",
    );
  }
  await hre.run("compile", { quiet: true });
  const { deployTraceLedger } = await import("../../../deploy/lib/deployLedger");
  const outcome = await deployTraceLedger(hre, {
    network: "consortium",
    parameters: { TraceLedgerModule: { adminTransferDelay: LOCAL_ADMIN_DELAY, permissions: {} } },
    manifestDir: options.dir,
    journalDir: join(options.dir, "ignition"),
    confirmations: options.confirmations ?? 2,
    ...(options.log ? { log: options.log } : {}),
  });
  return { manifest: outcome.manifest, manifestPath: outcome.manifestPath, sent: outcome.transactionsSent.length };
}

/** Reads and validates a consortium file (default: the demo consortium of `npm start`). */
export function readConsortiumFile(path = join(PROJECT_ROOT, "demo", "consortium.json")): ConsortiumFile {
  return parseConsortiumFile(JSON.parse(readFileSync(path, "utf8")), path);
}

/**
 * Onboards the organizations of `desired` (accounts, roles, prefixes) as the admin, through `rpcUrl`:
 * what is missing is sent; prefix licences are announced, waited for on the chain's clock, then executed.
 * Returns how many changes were applied (0 when the chain already matched).
 */
export async function onboardConsortium(options: {
  rpcUrl: string;
  chainId: number;
  manifest: DeploymentManifest;
  adminKey: string;
  desired: ConsortiumFile;
  confirmations?: number;
  log?: (line: string) => void;
}): Promise<number> {
  const provider = nodeProvider(options.rpcUrl, options.chainId);
  const client = createPublicClient({ transport: http(options.rpcUrl) }) as PublicClient;
  const ledger = {
    address: options.manifest.ledger.address as Address,
    chainId: options.chainId,
    deploymentBlock: BigInt(options.manifest.ledger.deploymentBlock),
  };
  const prefixes = filePrefixes(options.desired);
  try {
    const admin = ConsortiumAdmin.fromWriter(
      await TraceWriter.create({
        ledger: ledger.address,
        signer: new Wallet(options.adminKey, provider),
        gasPrice: 0n,
        confirmations: options.confirmations ?? 2,
      }),
    );
    let applied = 0;
    for (let round = 0; round < 3; round++) {
      const now = await readConsortium({ client, ledger, prefixes, blockNumber: await client.getBlockNumber() });
      const plan = planConsortium(options.desired, now);
      if (plan.changes.length === 0) return applied;
      const waiting = plan.changes.length;
      const { pending, applied: done } = await applyConsortium(admin, plan, {
        onApplied: (a, i, total) => options.log?.(`  ${i + 1}/${total} ${a.change.kind} ${a.status}`),
      });
      applied += done.length;
      if (pending.length === 0) return applied;
      // The licences take effect after the ledger's public delay, measured by block timestamps.
      const readyAt = Math.max(...pending.map((a) => a.readyAt ?? 0));
      options.log?.(`  ${pending.length} of ${waiting} change(s) wait the ledger's public delay (until ${readyAt}) …`);
      while (Number((await provider.getBlock("latest"))?.timestamp ?? 0) <= readyAt) {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    throw new Error("The consortium did not match the file after three rounds of apply.");
  } finally {
    provider.destroy();
  }
}
