/**
 * A real JSON-RPC node for end-to-end tests and benchmarks: `hardhat node` in a child process on a free
 * port, plus a deployment of the ledger on it with the same members as `deployLedger()` (test/helpers/ledger.ts)
 * and a deployment manifest file the CLI can read.
 *
 * The node runs under a tiny watchdog process (its parent): the watchdog holds a pipe from this process and
 * kills the node when the pipe closes, so even a test runner killed with SIGKILL leaves no node behind.
 * `stop()` kills the watchdog's whole process group; nodes still running when this process exits are
 * killed from an `exit` handler. Call `stop()` from an `after` hook.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ContractFactory, HDNodeWallet, JsonRpcProvider, Network, Wallet } from "ethers";
import type { Address } from "viem";
import { TraceLedger__factory, type TraceLedger } from "../../typechain-types";
import { createTraceReader, type TraceReader, type TraceReaderOptions } from "../../src/read/reader";
import { roleMask } from "../../src/codes";
import { parseManifest, type DeploymentManifest } from "../../src/config/manifest";
import { evmTarget } from "../../scripts/lib/evmTarget";
import { freePort, NodeExitedError, rpcCall, waitForRpc } from "../../src/node";
import { EXPORTER_PREFIX, MEMBERS, MEMBER_NAMES, RIVAL_PREFIX, creditCode } from "./ledger";
import { CUSTOMS_MEMBERS, type CustomsMemberName } from "./ledger";
import { DEMO_PREFIXES } from "../../src/demo/journey";

/** The project root (where hardhat.config.ts and node_modules live). */
export const PROJECT_ROOT = resolve(__dirname, "..", "..");

/** Hardhat's default mnemonic: the accounts `hardhat node` funds. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of Hardhat default account `i` (path m/44'/60'/0'/0/i). */
export function hardhatKey(i: number): string {
  return HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, "", `m/44'/60'/0'/0/${i}`).privateKey;
}

/** A TCP port nobody listens on right now. */
export { freePort };

/** A running node. */
export interface LocalNode {
  rpcUrl: string;
  port: number;
  /** PID of the watchdog, which is also the id of the process group holding the node. */
  pid: number;
  /** The node's stdout and stderr (removed by `stop()` unless `keepLog`). */
  logFile: string;
  /** The last lines the node wrote (for error messages). */
  logTail(lines?: number): string;
  /** Stops the node (the whole process group) and waits until it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartLocalNodeOptions {
  /** How long to wait for `eth_chainId` to answer (ms, default 60 s). */
  timeoutMs?: number;
  /** Keep the log file after `stop()`. */
  keepLog?: boolean;
  /** Extra environment for the node (e.g. EVM_TARGET). Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/** Group ids of nodes started by this process and not stopped yet. */
const running = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pid of running) killGroup(pid, "SIGKILL");
    if (scratchCwd) rmSync(scratchCwd, { recursive: true, force: true });
  });
}

/**
 * The watchdog: starts the command given as arguments with stdout/stderr inherited, forwards SIGTERM/SIGINT,
 * kills it when stdin (a pipe from the test process) closes, and exits with it.
 */
const WATCHDOG = `
const { spawn } = require("node:child_process");
const [cmd, ...args] = process.argv.slice(1);
const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  try { child.kill(signal); } catch {}
  setTimeout(() => { try { child.kill("SIGKILL"); } catch {} process.exit(1); }, 3000).unref();
};
process.stdin.on("data", () => {});
process.stdin.on("end", () => stop("SIGTERM"));
process.stdin.on("error", () => stop("SIGTERM"));
for (const s of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(s, () => stop(s));
child.on("error", (e) => { console.error("watchdog: " + e.message); process.exit(127); });
child.on("exit", (code, signal) => process.exit(code === null ? 1 : code));
`;

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return "";
  const text = readFileSync(file, "utf8");
  return text.split("\n").slice(-lines).join("\n");
}

/** Starts one node on a given port; rejects if it exits or does not answer in time. */
async function startOn(port: number, options: StartLocalNodeOptions): Promise<LocalNode> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), "cbec-trace-node-"));
  const logFile = join(dir, "node.log");
  const logFd = openSync(logFile, "w");
  const hardhat = join(PROJECT_ROOT, "node_modules", ".bin", "hardhat");
  let child: ChildProcess;
  try {
    child = spawn(
      process.execPath,
      ["-e", WATCHDOG, hardhat, "node", "--hostname", "127.0.0.1", "--port", String(port)],
      { cwd: PROJECT_ROOT, env: options.env ?? process.env, stdio: ["pipe", logFd, logFd], detached: true },
    );
  } finally {
    closeSync(logFd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start the hardhat node process");
  installExitHook();
  running.add(pid);
  // Not waiting for the watchdog keeps mocha from hanging on it; the pipe stays open until stop().
  child.unref();
  (child.stdin as unknown as { unref?: () => void })?.unref?.();

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((done) => {
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      running.delete(pid);
      done();
    });
  });

  let stopped = false;
  const node: LocalNode = {
    rpcUrl: `http://127.0.0.1:${port}`,
    port,
    pid,
    logFile,
    logTail: (lines = 30) => tail(logFile, lines),
    async stop() {
      if (!stopped) {
        stopped = true;
        if (!exited) {
          killGroup(pid, "SIGTERM");
          const killer = setTimeout(() => killGroup(pid, "SIGKILL"), 5_000);
          await exitPromise;
          clearTimeout(killer);
        }
        // The watchdog is gone; make sure nothing of its group survived it.
        killGroup(pid, "SIGKILL");
        running.delete(pid);
        child.stdin?.destroy();
        if (!options.keepLog) rmSync(dir, { recursive: true, force: true });
      }
    },
  };

  try {
    await waitForRpc(node.rpcUrl, {
      timeoutMs,
      exited: () => exited && `code ${exited.code}, signal ${exited.signal}`,
      output: () => tail(logFile, 30),
    });
    return node;
  } catch (error) {
    const log = tail(logFile, 30);
    await node.stop();
    if (error instanceof NodeExitedError) {
      throw Object.assign(new Error(`hardhat node on port ${port} exited (${error.exit}) before answering:\n${log}`), {
        portInUse: /EADDRINUSE|address already in use/i.test(log),
      });
    }
    throw new Error(
      `hardhat node on port ${port} did not answer eth_chainId within ${timeoutMs / 1000} s.\nIts last output:\n${log}`,
    );
  }
}

/**
 * Starts `hardhat node --hostname 127.0.0.1 --port <free port>` and waits until `eth_chainId` answers.
 * Retries with another port when the one picked was taken in the meantime.
 */
export async function startLocalNode(options: StartLocalNodeOptions = {}): Promise<LocalNode> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), options);
    } catch (error) {
      if (attempt < 3 && (error as { portInUse?: boolean }).portInUse) continue;
      throw error;
    }
  }
}

/** An account on the node. */
export interface NodeAccount {
  address: string;
  privateKey: string;
}

/** A member organization with its one account. */
export interface NodeMember extends NodeAccount {
  orgId: number;
}

/** A ledger deployed on a node. */
export interface NodeDeployment {
  rpcUrl: string;
  chainId: number;
  ledger: string;
  deploymentBlock: number;
  version: string;
  /** The manifest file (`{ network, chainId, ledger: { address, deploymentBlock, version } }`). */
  manifestPath: string;
  manifest: DeploymentManifest;
  /** The temp directory holding the manifest (free for the test to use). */
  dir: string;
  admin: NodeAccount;
  /** A funded account that belongs to no organization. */
  stranger: NodeAccount;
  /** The members of `deployLedger()`, then the payment institution and the tax authority (`CUSTOMS_MEMBERS`). */
  members: Record<CustomsMemberName, NodeMember>;
  /** Funded accounts left over (not members). */
  spare: NodeAccount[];
}

/** The path of the compiled `TraceLedger` for the EVM target in use (EVM_TARGET). */
export function traceLedgerArtifactPath(env: NodeJS.ProcessEnv = process.env): string {
  const target = evmTarget(env.EVM_TARGET);
  const dir = target.isDefault ? "artifacts" : `artifacts-${target.evmVersion}`;
  return join(PROJECT_ROOT, dir, "contracts", "TraceLedger.sol", "TraceLedger.json");
}

/** An ethers provider for a node URL, polling fast (the node automines). */
export async function nodeProvider(rpcUrl: string): Promise<JsonRpcProvider> {
  const chainId = Number(await rpcCall(rpcUrl, "eth_chainId", [], 10_000));
  return new JsonRpcProvider(rpcUrl, Network.from(chainId), {
    staticNetwork: true,
    pollingInterval: 100,
    // No response cache: tests compare block numbers and nonces before and after a command.
    cacheTimeout: -1,
  });
}

/**
 * Deploys `TraceLedger` (constructor `(admin, adminTransferDelay)`) on a node with the Hardhat default
 * accounts — admin = account 0, stranger = account 1, members from account 2 on, in `MEMBER_NAMES` order,
 * exactly as `deployLedger()` does — onboards one organization per member with its role mask and account,
 * and writes a deployment manifest in a new temp directory.
 */
export async function deployOnNode(rpcUrl: string, options: { accounts?: number } = {}): Promise<NodeDeployment> {
  const provider = await nodeProvider(rpcUrl);
  try {
    const chainId = Number((await provider.getNetwork()).chainId);
    const count = options.accounts ?? 20;
    const keys = Array.from({ length: count }, (_, i) => hardhatKey(i));
    const account = (i: number): NodeAccount => ({ address: new Wallet(keys[i]).address, privateKey: keys[i] });
    const admin = new Wallet(keys[0], provider);

    const artifactPath = traceLedgerArtifactPath();
    if (!existsSync(artifactPath)) {
      throw new Error(`${artifactPath} is missing: compile the contracts first (npx hardhat compile).`);
    }
    const artifact = JSON.parse(readFileSync(artifactPath, "utf8")) as { abi: unknown[]; bytecode: string };
    const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, admin);
    const deployed = await factory.deploy(admin.address, NODE_ADMIN_DELAY);
    const deployTx = deployed.deploymentTransaction();
    const receipt = await deployTx?.wait();
    if (!receipt || receipt.status !== 1) throw new Error("the TraceLedger deployment failed");
    const address = await deployed.getAddress();
    const ledger: TraceLedger = TraceLedger__factory.connect(address, admin);

    // Send the onboarding transactions back to back with explicit nonces, then wait for all of them.
    let nonce = deployTx!.nonce + 1;
    const pending = [];
    let i = 0;
    for (const name of MEMBER_NAMES) {
      const member = account(2 + i);
      pending.push(
        await ledger.addOrganization(`${name} org`, creditCode(i), 0n, "0x434e", roleMask(...MEMBERS[name]), {
          nonce: nonce++,
        }),
      );
      pending.push(await ledger.addAccount(i + 1, member.address, { nonce: nonce++ }));
      i++;
    }
    // Customs documents (2.2): the payment institution and the tax authority, after the members above.
    const customsNames = Object.keys(CUSTOMS_MEMBERS) as Array<keyof typeof CUSTOMS_MEMBERS>;
    for (const name of customsNames) {
      const member = account(2 + i);
      pending.push(
        await ledger.addOrganization(`${name} org`, creditCode(i), 0n, "0x434e", roleMask(...CUSTOMS_MEMBERS[name]), {
          nonce: nonce++,
        }),
      );
      pending.push(await ledger.addAccount(i + 1, member.address, { nonce: nonce++ }));
      i++;
    }
    for (const tx of pending) {
      const r = await tx.wait();
      if (!r || r.status !== 1) throw new Error(`onboarding transaction ${tx.hash} failed`);
    }

    // The prefixes of the test codes and of the demo journey, licensed the way a consortium must: each
    // licence announced, the node's clock moved past the public delay, then executed.
    const licences: Array<[string, number]> = [
      [EXPORTER_PREFIX, MEMBER_NAMES.indexOf("exporter") + 1],
      [RIVAL_PREFIX, MEMBER_NAMES.indexOf("rival") + 1],
      [DEMO_PREFIXES[0], MEMBER_NAMES.indexOf("exporter") + 1],
    ];
    const calls = licences.map(([p, org]) => ledger.interface.encodeFunctionData("licensePrefix", [p, org]));
    for (const data of calls) await (await ledger.schedule(data, { nonce: nonce++ })).wait();
    await provider.send("evm_increaseTime", [NODE_ADMIN_DELAY]);
    await provider.send("evm_mine", []);
    for (const data of calls) await (await admin.sendTransaction({ to: address, data, nonce: nonce++ })).wait();

    const members = {} as Record<CustomsMemberName, NodeMember>;
    i = 0;
    for (const name of [...MEMBER_NAMES, ...customsNames]) {
      const member = account(2 + i);
      const info = await ledger.accountInfo(member.address);
      members[name] = { ...member, orgId: Number(info.orgId) };
      i++;
    }

    const version = await ledger.version();
    const manifest = parseManifest({
      network: "localnode",
      chainId,
      ledger: { address, deploymentBlock: receipt.blockNumber, version, transactionHash: receipt.hash },
    });
    const dir = mkdtempSync(join(tmpdir(), "cbec-trace-deploy-"));
    const manifestPath = join(dir, "manifest.json");
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");

    return {
      rpcUrl,
      chainId,
      ledger: address,
      deploymentBlock: receipt.blockNumber,
      version,
      manifestPath,
      manifest,
      dir,
      admin: account(0),
      stranger: account(1),
      members,
      spare: keys.slice(2 + i).map((_, j) => account(2 + i + j)),
    };
  } finally {
    provider.destroy();
  }
}

/** The `trace` executable (bin/trace.js). */
/** A reader of the deployment through `rpcUrl` (the node itself, or a proxy in front of it). */
export function nodeReader(
  rpcUrl: string,
  dep: NodeDeployment,
  options: Omit<TraceReaderOptions, "rpcUrl" | "ledger" | "client"> = {},
): TraceReader {
  return createTraceReader({
    ...options,
    rpcUrl,
    ledger: { address: dep.ledger as Address, chainId: dep.chainId, deploymentBlock: BigInt(dep.deploymentBlock) },
  });
}

/** A node with the ledger deployed, its clients and a scratch folder: the setup of the end-to-end suites. */
export interface DeployedNode {
  node: LocalNode;
  dep: NodeDeployment;
  provider: JsonRpcProvider;
  ledger: TraceLedger;
  reader: TraceReader;
  /** A fresh temporary folder (removed by `stop`). */
  work: string;
  /** `<work>/records`, the CLI's record store in these suites. */
  recordsDir: string;
  /** Stops the node and removes the folders. */
  stop(): Promise<void>;
}

/** Starts a node, deploys the ledger on it and makes a scratch folder named after `prefix`. */
export async function startDeployedNode(prefix: string): Promise<DeployedNode> {
  const node = await startLocalNode();
  const dep = await deployOnNode(node.rpcUrl);
  const provider = await nodeProvider(node.rpcUrl);
  const work = mkdtempSync(join(tmpdir(), prefix));
  return {
    node,
    dep,
    provider,
    ledger: TraceLedger__factory.connect(dep.ledger, provider),
    reader: nodeReader(node.rpcUrl, dep),
    work,
    recordsDir: join(work, "records"),
    async stop() {
      provider.destroy();
      await node.stop();
      rmSync(work, { recursive: true, force: true });
      rmSync(dep.dir, { recursive: true, force: true });
    },
  };
}

/**
 * The admin delay of node deployments: licensing the test prefixes moves the node's clock past it, and a
 * short one keeps the chain's time within a minute of the wall clock that signed deadlines and "now" use.
 */
export const NODE_ADMIN_DELAY = 60;

export const TRACE_BIN = join(PROJECT_ROOT, "bin", "trace.js");

/** What a finished `trace` run left behind. */
export interface TraceRun {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TraceRunOptions {
  /** TRACE_PRIVATE_KEY for the run (left unset when omitted). */
  privateKey?: string;
  /** More environment variables (on top of this process's environment without any TRACE_* variable). */
  env?: Record<string, string>;
  /** Working directory (default: a fresh temp directory, so no `.env` or `deployments/` is picked up). */
  cwd?: string;
  /** Kill the run after this long (ms, default 120 s). */
  timeoutMs?: number;
}

let scratchCwd: string | undefined;

/** The environment of a `trace` run: this process's, minus every TRACE_* variable, plus `options`. */
export function traceEnv(options: TraceRunOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TRACE_")) env[k] = v;
  if (options.privateKey !== undefined) env.TRACE_PRIVATE_KEY = options.privateKey;
  return { ...env, ...options.env };
}

/** Starts `node bin/trace.js <args>`; `done` resolves when it exits (never rejects). */
export function spawnTrace(
  args: string[],
  options: TraceRunOptions = {},
): { child: ChildProcess; done: Promise<TraceRun> } {
  installExitHook();
  const cwd = options.cwd ?? (scratchCwd ??= mkdtempSync(join(tmpdir(), "cbec-trace-cwd-")));
  const child = spawn(process.execPath, [TRACE_BIN, ...args], {
    cwd,
    env: traceEnv(options),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const done = new Promise<TraceRun>((resolveRun) => {
    const timer = setTimeout(() => {
      stderr += `\n[test: trace ${args.join(" ")} killed after ${timeoutMs / 1000} s]\n`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      stderr += `\n[test: could not run trace: ${error.message}]\n`;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** Runs `node bin/trace.js <args>` to the end. */
export function runTrace(args: string[], options: TraceRunOptions = {}): Promise<TraceRun> {
  return spawnTrace(args, options).done;
}
