/**
 * Programmatic deployment of the ledger with Hardhat Ignition, used by `npm run deploy` (scripts/deploy.ts)
 * and by `npm start`.
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
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import {
  deploy as ignitionDeploy,
  DeploymentResultType,
  listTransactions,
  status as ignitionStatus,
  type DeployConfig,
  type DeploymentResult,
  type EIP1193Provider,
  type ExecutionEventListener,
} from "@nomicfoundation/ignition-core";
import {
  HardhatArtifactResolver,
  errorDeploymentResultToExceptionMessage,
} from "@nomicfoundation/hardhat-ignition/helpers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Interface, getAddress } from "ethers";
import { parseManifest, type DeploymentManifest } from "../../src/config/manifest";
import { TraceError, type TraceErrorOptions } from "../../src/errors/base";
import {
  buildTraceLedgerModule,
  LEDGER_FUTURE_ID,
  MODULE_ID,
  ParametersError,
  parseTraceLedgerParameters,
  type TraceLedgerParameters,
} from "../../deploy/modules/TraceLedger";

export { ParametersError, parseTraceLedgerParameters, type TraceLedgerParameters };

/** The chain id of local development nodes (Hardhat, anvil): the only chain whose journal may be reset. */
export const LOCAL_CHAIN_ID = 31337;

/** What went wrong, for callers that react to a kind of failure (e.g. `npm start` resetting a local chain). */
export type DeployErrorCode =
  | "UNREACHABLE"
  | "WRONG_CHAIN"
  | "NO_ACCOUNT"
  | "BAD_PARAMETERS"
  | "STALE_JOURNAL"
  | "RESET_REFUSED"
  | "JOURNAL_CONFLICT"
  | "PREVIOUS_RUN_FAILED"
  | "DEPLOYMENT_FAILED";

/** A deployment refused or failed, with hints saying what to do. */
export class DeployError extends TraceError {
  override name = "DeployError" as const;
  constructor(
    readonly code: DeployErrorCode,
    shortMessage: string,
    options: TraceErrorOptions = {},
  ) {
    super(shortMessage, options);
  }
}

/** The parts of the Hardhat runtime environment a deployment uses (tests pass a network built at runtime). */
export type DeployHre = Pick<HardhatRuntimeEnvironment, "network" | "config" | "artifacts">;

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

interface NetworkCheck {
  chainId: number;
  url?: string;
}

function reason(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string; code?: string } };
  const msg = (e?.message ?? String(error)).split("\n")[0];
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause && !msg.includes(cause) ? `${msg} (${cause})` : msg;
}

function networkUrl(hre: DeployHre): string | undefined {
  const config = hre.network.config as { url?: unknown };
  return typeof config.url === "string" ? config.url : undefined;
}

/** `eth_chainId` straight over HTTP: Hardhat's provider would refuse a chain id mismatch with its own error. */
async function httpChainId(url: string, headers: Record<string, string>, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(`eth_chainId: ${body.error.message ?? JSON.stringify(body.error)}`);
  return body.result;
}

/**
 * Checks that the network answers `eth_chainId` and, for HTTP networks with a configured chain id, that it
 * is that chain. Sends nothing.
 */
export async function checkNetwork(hre: DeployHre): Promise<NetworkCheck> {
  const url = networkUrl(hre);
  const name = hre.network.name;
  const config = hre.network.config as { chainId?: number; httpHeaders?: Record<string, string>; timeout?: number };
  let answer: unknown;
  try {
    answer =
      url !== undefined
        ? await httpChainId(url, config.httpHeaders ?? {}, Math.min(config.timeout ?? 20_000, 60_000))
        : await hre.network.provider.request({ method: "eth_chainId" });
  } catch (cause) {
    const local = name === "localhost" || (url !== undefined && /\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url));
    throw new DeployError(
      "UNREACHABLE",
      `cannot reach ${url ?? `network "${name}"`} (network "${name}"). Nothing was sent.`,
      {
        hints: local
          ? [
              "Start the local node first: `npm start` (or `npx hardhat node --hostname 127.0.0.1`).",
              "The localhost URL comes from TRACE_LOCAL_RPC_URL in .env (default http://127.0.0.1:8545).",
            ]
          : [
              "Check TRACE_RPC_URL in .env, that the node is running and that this machine may reach it (firewall, VPN).",
            ],
        details: reason(cause),
        cause,
      },
    );
  }
  let chainId: number;
  try {
    chainId = Number(BigInt(answer as string));
  } catch (cause) {
    throw new DeployError("UNREACHABLE", `${url ?? name} answered eth_chainId with ${JSON.stringify(answer)}.`, {
      hints: ["Is this an Ethereum JSON-RPC endpoint?"],
      cause,
    });
  }
  if (url !== undefined && config.chainId !== undefined && config.chainId !== chainId) {
    throw new DeployError(
      "WRONG_CHAIN",
      `wrong chain id: endpoint ${url} serves ${chainId}, config says ${config.chainId} (network "${name}"). Nothing was sent.`,
      {
        hints: ["Check that TRACE_RPC_URL points at the intended network and that TRACE_CHAIN_ID is its chain id."],
      },
    );
  }
  return { chainId, ...(url !== undefined ? { url } : {}) };
}

function readParameters(hre: DeployHre, network: string, options: DeployOptions): TraceLedgerParameters {
  if (options.parameters !== undefined) {
    return parseTraceLedgerParameters(options.parameters, "parameters");
  }
  const root = hre.config.paths.root;
  const file = resolve(root, options.parametersFile ?? join("deploy", "parameters", `${network}.json`));
  const shown = displayPath(file);
  if (!existsSync(file)) {
    throw new ParametersError(`No parameters file ${shown} for network "${network}".`, {
      hints: [
        `Create it (deploy/parameters/consortium.example.json is a template), or pass another file (--parameters).`,
      ],
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new ParametersError(`${shown} is not valid JSON.`, { details: reason(cause), cause });
  }
  return parseTraceLedgerParameters(value, shown);
}

/** Journal directories of in-process networks, one per provider (they live as long as the chain does). */
const ephemeralJournals = new WeakMap<object, string>();

function journalDirFor(hre: DeployHre, chainId: number, options: DeployOptions): { dir: string; ephemeral: boolean } {
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
async function missingContracts(hre: DeployHre, journalDir: string): Promise<Array<[string, string]>> {
  if (!existsSync(join(journalDir, "journal.jsonl"))) return [];
  const state = await ignitionStatus(journalDir);
  const missing: Array<[string, string]> = [];
  for (const [futureId, contract] of Object.entries(state.contracts)) {
    const code = await hre.network.provider.request({ method: "eth_getCode", params: [contract.address, "latest"] });
    if (typeof code !== "string" || code === "0x" || code === "0x0") missing.push([futureId, contract.address]);
  }
  return missing;
}

/** Ignition's fee logic prefers EIP-1559 whenever blocks carry a base fee; hiding it makes it use `gasPrice`. */
function legacyFeeProvider(provider: EIP1193Provider): EIP1193Provider {
  return {
    async request(args) {
      const result = await provider.request(args);
      if (args.method === "eth_getBlockByNumber" && result && typeof result === "object") {
        const { baseFeePerGas: _ignored, ...rest } = result as Record<string, unknown>;
        return rest;
      }
      return result;
    },
  };
}

/** An Ignition event listener that records sent transactions and reports progress. */
function progressListener(sent: string[], log?: (line: string) => void): ExecutionEventListener {
  const handlers: Record<string, (event: never) => void> = {
    transactionSend: (e: { futureId: string; hash: string }) => {
      sent.push(e.hash);
      log?.(`  sent ${e.futureId}: ${e.hash}`);
    },
    transactionConfirm: (e: { futureId: string; hash: string }) => log?.(`  confirmed ${e.futureId}`),
    onchainInteractionBumpFees: (e: { futureId: string }) => log?.(`  bumping fees of ${e.futureId}`),
    onchainInteractionDropped: (e: { futureId: string }) => log?.(`  transaction of ${e.futureId} was dropped`),
    onchainInteractionTimeout: (e: { futureId: string }) => log?.(`  transaction of ${e.futureId} timed out`),
    reconciliationWarnings: (e: { warnings: string[] }) => e.warnings.forEach((w) => log?.(`  warning: ${w}`)),
  };
  return new Proxy({} as ExecutionEventListener, {
    get: (_target, prop) => handlers[prop as string] ?? (() => undefined),
  });
}

function failure(
  result: Exclude<DeploymentResult, { type: DeploymentResultType.SUCCESSFUL_DEPLOYMENT }>,
  ctx: {
    network: string;
    chainId: number;
    journalDir: string;
  },
): DeployError {
  const details = errorDeploymentResultToExceptionMessage(result);
  const rerun = `npm run deploy -- --network ${ctx.network}`;
  switch (result.type) {
    case DeploymentResultType.RECONCILIATION_ERROR:
      return new DeployError(
        "JOURNAL_CONFLICT",
        `The parameters differ from those this chain's deployment was made with (journal ${ctx.journalDir}).`,
        {
          hints: [
            "Restore the parameters the ledger was deployed with (admin, adminTransferDelay, permissions).",
            "To change the permission matrix of the deployed ledger, use the consortium admin commands instead.",
            ...(ctx.chainId === LOCAL_CHAIN_ID
              ? [`On the local chain, \`${rerun} --reset\` deploys a new ledger.`]
              : []),
          ],
          details,
        },
      );
    case DeploymentResultType.PREVIOUS_RUN_ERROR:
      return new DeployError(
        "PREVIOUS_RUN_FAILED",
        "A step of a previous deployment run failed; Ignition will not retry it.",
        {
          hints: [
            "Fix the cause shown below, then clear the failed step: " +
              `npx hardhat ignition wipe ${basename(ctx.journalDir)} <future id> --network ${ctx.network}` +
              ` and run \`${rerun}\` again.`,
          ],
          details,
        },
      );
    case DeploymentResultType.EXECUTION_ERROR:
      return new DeployError("DEPLOYMENT_FAILED", "The deployment did not complete.", {
        hints: [
          `Run \`${rerun}\` again to resume: transactions already confirmed are not sent twice.`,
          "If a transaction failed, check the deployer's balance, the gas price (TRACE_GAS_PRICE) and the node's logs.",
          "If the contract deployment fails with an invalid opcode on an older chain, build for it: EVM_TARGET=paris (docs/deploy.md).",
        ],
        details,
      });
    default:
      return new DeployError("BAD_PARAMETERS", "Ignition refused to run the module with these parameters.", {
        details,
      });
  }
}

const VERSION_ABI = new Interface(["function version() view returns (string)"]);

async function readVersion(hre: DeployHre, address: string): Promise<string> {
  const data = await hre.network.provider.request({
    method: "eth_call",
    params: [{ to: address, data: VERSION_ABI.encodeFunctionData("version") }, "latest"],
  });
  return VERSION_ABI.decodeFunctionResult("version", data as string)[0] as string;
}

async function deploymentTransaction(
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

/** Writes a file atomically: a temp file in the same directory, then a rename over the target. */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${Math.random().toString(36).slice(2)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function existingManifest(file: string): DeploymentManifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return parseManifest(JSON.parse(readFileSync(file, "utf8")), file);
  } catch {
    return undefined; // Malformed: replaced below.
  }
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
    ignitionModule: buildTraceLedgerModule(parameters.permissionCall),
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
  const manifestDir = resolve(hre.config.paths.root, options.manifestDir ?? "deployments");
  const manifestPath = join(manifestDir, `${network}.json`);
  const existing = existingManifest(manifestPath);
  // The same deployment (a reset local chain can put a new ledger at the old address, in another block).
  const same =
    existing !== undefined &&
    existing.chainId === chainId &&
    existing.ledger.address.toLowerCase() === address.toLowerCase() &&
    existing.ledger.deploymentBlock === tx.block &&
    existing.ledger.version === version &&
    (existing.ledger.transactionHash === undefined ||
      existing.ledger.transactionHash.toLowerCase() === tx.hash.toLowerCase());
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
    },
    manifestPath,
  );
  writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
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

/** `MODULE_ID` re-exported for callers that write parameters files. */
export { MODULE_ID };

/** A path shown relative to the working directory when it is inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
