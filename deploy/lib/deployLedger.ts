/**
 * Programmatic deployment of the ledger with Hardhat Ignition, used by `npm run deploy` (scripts/deploy.ts)
 * and by `npm start`. The steps live in this folder, one job per file; this one puts them in order.
 *
 * `deployTraceLedger(hre)`:
 * 1. reads and validates `deploy/parameters/<network>.json` (nothing is sent when it is malformed);
 * 2. checks the network: `eth_chainId` answers, and equals the configured chain id (HTTP networks);
 * 3. checks Ignition's journal for the chain (`deploy/deployments/chain-<id>`): an address it names without
 *    code on the node means the (local) chain was reset — refused unless `reset` is set, and reset is only
 *    ever allowed on the local chain id 31337;
 * 4. runs the Ignition module (the journal makes a second run a no-op and resumes an interrupted one);
 * 5. writes `deployments/<network>.json` (temp file + rename) unless the same chain and address are already
 *    there, and returns it.
 *
 * The Ignition engine is called directly (what `hre.ignition.deploy` does inside) so that the journal
 * directory is ours to choose: `hre.ignition.deploy` keeps no journal on the in-process `hardhat` network
 * (so a second deploy would deploy again), and tests keep journals in temp directories.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { deploy as ignitionDeploy, DeploymentResultType, type DeployConfig } from "@nomicfoundation/ignition-core";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getAddress } from "ethers";
import { TraceLedger__factory, UnitClaims__factory } from "../../typechain-types";
import { parseManifest, type DeploymentManifest } from "../../src/config/manifest";
import { readManifestIfValid, writeManifestFile } from "../../src/config/files";
import { buildTraceLedgerModule, CLAIMS_FUTURE_ID, LEDGER_FUTURE_ID } from "../modules/TraceLedger";
import { DeployError, ParametersError } from "./errors";
import { displayPath, LOCAL_CHAIN_ID, type DeployHre } from "./hre";
import { checkNetwork } from "./networkChecks";
import { readParameters, type TraceLedgerParameters } from "./parameters";
import { deploymentTransaction, journalDirFor, missingContracts } from "./journal";
import { failure, legacyFeeProvider, progressListener } from "./ignition";

export interface DeployOptions {
  /** Network name for the manifest and the default parameters file (default: `hre.network.name`). */
  network?: string;
  /** Parameters file (default: `deploy/parameters/<network>.json` under the project root). */
  parametersFile?: string;
  /** Parameters given directly (the parsed content of a parameters file); wins over `parametersFile`. */
  parameters?: unknown;
  /** Directory of the manifest (default: `deployments/`; relative paths are taken from the project root). */
  manifestDir?: string;
  /**
   * Ignition's journal directory for this chain (default: `deploy/deployments/chain-<id>`; on the in-process
   * `hardhat` network a temp directory kept for the life of its provider). Relative to the project root.
   */
  journalDir?: string;
  /**
   * Start over on the local chain (id 31337 only): `true` wipes the chain's journal and deploys a new ledger;
   * `"if-stale"` wipes it only when it names a contract the node does not have (the chain was reset).
   */
  reset?: boolean | "if-stale";
  /** Blocks to wait per transaction (default: Ignition's — 1 on automining dev nodes, else 5). */
  confirmations?: number;
  /** Progress lines (transactions sent and confirmed), e.g. `console.error`. */
  log?: (line: string) => void;
  /**
   * Deploy the claims and taps registry (`UnitClaims`, issue 17) beside the ledger and put it in the manifest
   * as `claims`. Default: whether the manifest of this ledger already names one (so it is never dropped).
   */
  claims?: boolean;
}

export interface DeployOutcome {
  manifest: DeploymentManifest;
  manifestPath: string;
  /** False when a manifest for the same chain and address was already there (left untouched). */
  manifestWritten: boolean;
  /** Hashes of the transactions sent by this run (empty when the deployment was already complete). */
  transactionsSent: string[];
  /** Ignition's journal directory used. */
  journalDir: string;
  /** True when this run wiped a local chain's journal first. */
  reset: boolean;
  /** The validated parameters. */
  parameters: TraceLedgerParameters;
}

/** `version()` of a deployed contract (the ledger or the claims registry), through its generated ABI. */
async function readVersion(hre: DeployHre, address: string, contract: "TraceLedger" | "UnitClaims" = "TraceLedger") {
  const abi =
    contract === "TraceLedger" ? TraceLedger__factory.createInterface() : UnitClaims__factory.createInterface();
  const data = await hre.network.provider.request({
    method: "eth_call",
    params: [{ to: address, data: abi.encodeFunctionData("version") }, "latest"],
  });
  return abi.decodeFunctionResult("version", data as string)[0] as string;
}

/**
 * Deploys the ledger on `hre.network` (or finds it already deployed) and writes its manifest.
 * Throws `ParametersError` for a malformed parameters file and `DeployError` (with a `code`) otherwise.
 */
export async function deployTraceLedger(hre: DeployHre, options: DeployOptions = {}): Promise<DeployOutcome> {
  const network = options.network ?? hre.network.name;
  if (!/^[A-Za-z0-9_-]+$/.test(network)) {
    throw new DeployError("BAD_PARAMETERS", `Network name "${network}" may only contain letters, digits, "_" and "-".`);
  }
  if (
    options.confirmations !== undefined &&
    (!Number.isSafeInteger(options.confirmations) || options.confirmations < 1)
  ) {
    throw new DeployError("BAD_PARAMETERS", `confirmations must be a whole number ≥ 1 (got ${options.confirmations}).`);
  }

  // 1. Parameters, before anything touches the network.
  const parameters = readParameters(hre, network, options);
  if (!(await hre.artifacts.artifactExists("TraceLedger"))) {
    throw new DeployError(
      "DEPLOYMENT_FAILED",
      `TraceLedger is not compiled (no artifact in ${hre.config.paths.artifacts}).`,
      {
        hints: ["Run `npm run build` (with the same EVM_TARGET) first."],
      },
    );
  }

  // 2. The network.
  const { chainId } = await checkNetwork(hre);
  const accounts = ((await hre.network.provider.request({ method: "eth_accounts" })) as string[]).map((a) =>
    a.toLowerCase(),
  );
  if (accounts.length === 0) {
    throw new DeployError("NO_ACCOUNT", `No deploying account is configured for network "${hre.network.name}".`, {
      hints: ["Set TRACE_DEPLOYER_KEY in .env (the key of the account that deploys and first administers the ledger)."],
    });
  }
  const deployer = getAddress(accounts[0]);
  if (parameters.permissionCall.steps.length > 0 && parameters.admin !== undefined && parameters.admin !== deployer) {
    throw new ParametersError(
      `permissions overrides are applied by the deployer ${deployer}, but "admin" is ${parameters.admin}: only the admin may set permissions.`,
      {
        hints: [
          "Deploy with the admin's key (TRACE_DEPLOYER_KEY), or leave admin out (the deployer becomes admin) and transfer it later.",
          'Or remove "permissions" and have the admin set the matrix after the deployment with the consortium admin commands.',
        ],
      },
    );
  }

  // 3. The journal: a reset local chain leaves a journal naming contracts that no longer exist.
  const { dir: journalDir, ephemeral } = journalDirFor(hre, chainId, options);
  const local = chainId === LOCAL_CHAIN_ID;
  if (options.reset && !local) {
    throw new DeployError("RESET_REFUSED", `Refusing to reset the deployment journal of chain ${chainId}.`, {
      hints: [
        `Only the local chain (id ${LOCAL_CHAIN_ID}) may be reset; on other chains the journal is the record of a real deployment.`,
      ],
    });
  }
  let didReset = false;
  const missing = await missingContracts(hre, journalDir);
  if ((missing.length > 0 && (ephemeral || (local && options.reset))) || (local && options.reset === true)) {
    didReset = existsSync(journalDir);
    rmSync(journalDir, { recursive: true, force: true });
  } else if (missing.length > 0) {
    const list = missing.map(([id, address]) => `${id} at ${address}`).join(", ");
    throw new DeployError(
      "STALE_JOURNAL",
      `Ignition's journal ${displayPath(journalDir)} says ${list} is deployed on chain ${chainId}, but the node has no code there.`,
      {
        hints: local
          ? [
              "The local chain was reset (a fresh node, or the npm start node's state deleted).",
              `Deploy a new ledger with \`npm run deploy -- --network ${network} --reset\` (or { reset: true }); it wipes that journal.`,
            ]
          : [
              "Check that TRACE_RPC_URL points at the chain this journal belongs to (and that the node is in sync).",
              "This journal is the record of a real deployment: it is never wiped automatically.",
            ],
      },
    );
  }

  // The manifest so far: a claims registry it names for this chain stays deployed and listed.
  const manifestDir = resolve(hre.config.paths.root, options.manifestDir ?? "deployments");
  const manifestPath = join(manifestDir, `${network}.json`);
  const existing = readManifestIfValid(manifestPath);
  const withClaims = options.claims ?? (existing?.chainId === chainId && existing.claims !== undefined);

  // 4. Ignition.
  const artifactResolver = new HardhatArtifactResolver(hre as HardhatRuntimeEnvironment);
  const netConfig = hre.network.config as { gasPrice?: unknown; ignition?: Record<string, unknown> };
  const fixedGasPrice = typeof netConfig.gasPrice === "number" ? BigInt(netConfig.gasPrice) : undefined;
  const ignitionConfig: Partial<DeployConfig> = {
    ...(hre.config.ignition as Partial<DeployConfig>),
    ...(local ? { blockPollingInterval: 200 } : {}),
    ...(options.confirmations !== undefined ? { requiredConfirmations: options.confirmations } : {}),
  };
  const sent: string[] = [];
  mkdirSync(journalDir, { recursive: true });
  const result = await ignitionDeploy({
    config: ignitionConfig,
    artifactResolver,
    provider: fixedGasPrice !== undefined ? legacyFeeProvider(hre.network.provider) : hre.network.provider,
    executionEventListener: progressListener(sent, options.log),
    deploymentDir: journalDir,
    ignitionModule: buildTraceLedgerModule(parameters.permissionCall, { claims: withClaims }),
    deploymentParameters: parameters.ignitionParameters,
    accounts,
    ...(fixedGasPrice !== undefined ? { gasPrice: fixedGasPrice, disableFeeBumping: true } : {}),
    maxFeePerGasLimit: netConfig.ignition?.maxFeePerGasLimit as bigint | undefined,
    maxPriorityFeePerGas: netConfig.ignition?.maxPriorityFeePerGas as bigint | undefined,
    maxRetries: hre.config.ignition?.maxRetries,
    retryInterval: hre.config.ignition?.retryInterval,
  });
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
    throw failure(result, { network, chainId, journalDir });
  }
  const address = getAddress(result.contracts[LEDGER_FUTURE_ID].address);

  // 5. The manifest.
  const tx = await deploymentTransaction(hre, journalDir, artifactResolver, address);
  const version = await readVersion(hre, address);
  let claims: DeploymentManifest["claims"];
  if (withClaims) {
    const claimsAddress = getAddress(result.contracts[CLAIMS_FUTURE_ID].address);
    const claimsTx = await deploymentTransaction(hre, journalDir, artifactResolver, claimsAddress);
    const claimsVersion = await readVersion(hre, claimsAddress, "UnitClaims");
    claims = { address: claimsAddress as `0x${string}`, deploymentBlock: claimsTx.block, version: claimsVersion };
  }
  // The same deployment (a reset local chain can put a new ledger at the old address, in another block).
  const same =
    existing !== undefined &&
    existing.chainId === chainId &&
    existing.ledger.address.toLowerCase() === address.toLowerCase() &&
    existing.ledger.deploymentBlock === tx.block &&
    existing.ledger.version === version &&
    (existing.ledger.transactionHash === undefined ||
      existing.ledger.transactionHash.toLowerCase() === tx.hash.toLowerCase()) &&
    existing.claims?.address.toLowerCase() === claims?.address.toLowerCase() &&
    existing.claims?.deploymentBlock === claims?.deploymentBlock;
  if (existing && same) {
    return {
      manifest: existing,
      manifestPath,
      manifestWritten: false,
      transactionsSent: sent,
      journalDir,
      reset: didReset,
      parameters,
    };
  }
  const manifest = parseManifest(
    {
      network,
      chainId,
      ledger: { address, deploymentBlock: tx.block, version, transactionHash: tx.hash },
      ...(claims ? { claims } : {}),
    },
    manifestPath,
  );
  writeManifestFile(manifestPath, manifest);
  return {
    manifest,
    manifestPath,
    manifestWritten: true,
    transactionsSent: sent,
    journalDir,
    reset: didReset,
    parameters,
  };
}
