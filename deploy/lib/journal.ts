/**
 * Ignition's journal of a chain (`deploy/deployments/chain-<id>`): where it lives, whether the node still has
 * what it names (a reset local chain leaves a journal naming contracts that no longer exist), and the
 * deployment transaction it recorded.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { listTransactions, status as ignitionStatus } from "@nomicfoundation/ignition-core";
import type { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import { DeployError } from "./errors";
import type { DeployHre } from "./hre";

/** Journal directories of in-process networks, one per provider (they live as long as the chain does). */
const ephemeralJournals = new WeakMap<object, string>();

export function journalDirFor(
  hre: DeployHre,
  chainId: number,
  options: { journalDir?: string },
): { dir: string; ephemeral: boolean } {
  if (options.journalDir !== undefined) {
    return { dir: resolve(hre.config.paths.root, options.journalDir), ephemeral: false };
  }
  if (hre.network.name === "hardhat") {
    let dir = ephemeralJournals.get(hre.network.provider);
    if (!dir) {
      dir = join(mkdtempSync(join(tmpdir(), "cbec-trace-ignition-")), `chain-${chainId}`);
      ephemeralJournals.set(hre.network.provider, dir);
      const parent = dirname(dir);
      process.once("exit", () => rmSync(parent, { recursive: true, force: true }));
    }
    return { dir, ephemeral: true };
  }
  return { dir: join(hre.config.paths.ignition, "deployments", `chain-${chainId}`), ephemeral: false };
}

/** Contracts the journal says are deployed but that have no code on the node: `[futureId, address][]`. */
export async function missingContracts(hre: DeployHre, journalDir: string): Promise<Array<[string, string]>> {
  if (!existsSync(join(journalDir, "journal.jsonl"))) return [];
  const state = await ignitionStatus(journalDir);
  const missing: Array<[string, string]> = [];
  for (const [futureId, contract] of Object.entries(state.contracts)) {
    const code = await hre.network.provider.request({ method: "eth_getCode", params: [contract.address, "latest"] });
    if (typeof code !== "string" || code === "0x" || code === "0x0") missing.push([futureId, contract.address]);
  }
  return missing;
}

/** The deployment transaction of `address` in the journal, and the block the node mined it in. */
export async function deploymentTransaction(
  hre: DeployHre,
  journalDir: string,
  artifactResolver: HardhatArtifactResolver,
  address: string,
): Promise<{ hash: string; block: number }> {
  const txs = await listTransactions(journalDir, artifactResolver);
  const tx = txs.find(
    (t) =>
      t.type === "DEPLOYMENT_EXECUTION_STATE" &&
      t.status === "SUCCESS" &&
      t.address !== undefined &&
      t.address.toLowerCase() === address.toLowerCase(),
  );
  if (!tx)
    throw new DeployError(
      "DEPLOYMENT_FAILED",
      `Ignition's journal ${journalDir} has no deployment transaction of ${address}.`,
    );
  const receipt = (await hre.network.provider.request({
    method: "eth_getTransactionReceipt",
    params: [tx.txHash],
  })) as { blockNumber?: string } | null;
  if (!receipt?.blockNumber) {
    throw new DeployError(
      "STALE_JOURNAL",
      `The node does not know the deployment transaction ${tx.txHash} of ${address}.`,
      {
        hints: ["The chain was probably reset; on a local chain deploy again with --reset."],
      },
    );
  }
  return { hash: tx.txHash, block: Number(BigInt(receipt.blockNumber)) };
}
