/**
 * One EthereumJS client process (`@ethereumjs/client` from npm, run through `ethereumjs-node.mjs`) as a Clique signer of the local consortium
 * chain: its own data directory, RLPx port, JSON-RPC on 127.0.0.1 and signing key. The process is detached
 * and outlives the one that started it (`npm run consortium:up` exits, the nodes go on); its PID is kept in
 * `<dataDir>/node.pid` so `consortium:down` can stop it.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { rpcCall, waitForRpc } from "../../../src/node/rpc";
import { NodeExitedError } from "../../../src/node/errors";
import { ConsortiumNodeError } from "./errors";

/** The folder of the installed `@ethereumjs/client` package. */
export function ethereumjsClientDir(): string {
  let packageJson: string;
  try {
    packageJson = require.resolve("@ethereumjs/client/package.json");
  } catch {
    throw new ConsortiumNodeError("The EthereumJS client (@ethereumjs/client) is not installed.", [
      "Run `npm ci`: package.json pins @ethereumjs/client and the versions of its @ethereumjs packages.",
    ]);
  }
  return dirname(packageJson);
}

/** Our launcher of the client's command line (with its sync corrections; see the file). */
export const LAUNCHER = join(__dirname, "ethereumjs-node.mjs");

export interface EthereumjsNodeConfig {
  /** A short name for messages ("node 1"). */
  name: string;
  /** The node's own folder (chain database, key file, log, PID file). */
  dataDir: string;
  /** The geth-format genesis file; its base name is the chain's name in the client's database. */
  genesisFile: string;
  /** The private key this node seals blocks with (0x + 64 hex digits). */
  signerKey: string;
  /** RLPx (TCP) and discovery (UDP) port. The client binds it on all interfaces. */
  p2pPort: number;
  /** JSON-RPC port on 127.0.0.1. */
  rpcPort: number;
  /** `host:port` of peers to dial at start (none: the network peers its nodes over admin_addPeer). */
  bootnodes?: string[];
  /** Seal nothing until this many peers are connected (0: seal at once, as the client does). */
  sealAfterPeers?: number;
}

/** A running node process. */
export interface EthereumjsNode {
  config: EthereumjsNodeConfig;
  pid: number;
  rpcUrl: string;
  logFile: string;
  logTail(lines?: number): string;
  /** True while the process exists. */
  alive(): boolean;
  /** SIGTERM (the client closes its database cleanly), SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export const pidFileOf = (dataDir: string) => join(dataDir, "node.pid");
export const logFileOf = (dataDir: string) => join(dataDir, "node.log");

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return "";
  return (
    readFileSync(file, "utf8")
      .split("\n")
      // The client prints stack frames for errors it recovers from; they bury the lines that say what happened.
      .filter((line) => !/^\s+at /.test(line))
      .slice(-lines)
      .join("\n")
  );
}

/** True when a process with this PID exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Sends `signal` to the process; false when it was already gone. */
function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Stops process `pid` (SIGTERM, then SIGKILL after `graceMs`) and waits until it is gone. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<"stopped" | "killed" | "gone"> {
  if (!signal(pid, "SIGTERM")) return "gone";
  const deadline = Date.now() + graceMs;
  while (processAlive(pid)) {
    if (Date.now() >= deadline) {
      signal(pid, "SIGKILL");
      while (processAlive(pid)) await new Promise((r) => setTimeout(r, 50));
      return "killed";
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return "stopped";
}

/** The command line of one signer node. */
export function nodeArgs(config: EthereumjsNodeConfig, keyFile: string): string[] {
  return [
    LAUNCHER,
    ethereumjsClientDir(),
    `--gethGenesis=${config.genesisFile}`,
    `--dataDir=${config.dataDir}`,
    `--port=${config.p2pPort}`,
    "--rpc",
    "--rpcAddr=127.0.0.1",
    `--rpcPort=${config.rpcPort}`,
    "--mine",
    `--unlock=${keyFile}`,
    // Peers are named, never discovered: a consortium's validators are a fixed list.
    "--discV4=false",
    "--discDns=false",
    ...(config.bootnodes?.length ? [`--bootnodes=${config.bootnodes.join(",")}`] : []),
    "--logFile=false",
    // TRACE_CONSORTIUM_LOG_LEVEL=debug shows peering and sync decisions in each node.log.
    `--logLevel=${process.env.TRACE_CONSORTIUM_LOG_LEVEL ?? "info"}`,
    // Receipts and logs are what the SDK, the verifier and the index read.
    "--saveReceipts=true",
    "--txLookupLimit=0",
  ];
}

/**
 * Starts the node and waits until its JSON-RPC answers. A node that exits or does not answer in time is
 * reported with the tail of its log (a busy port shows there as EADDRINUSE).
 */
export async function startEthereumjsNode(
  config: EthereumjsNodeConfig,
  options: { timeoutMs?: number } = {},
): Promise<EthereumjsNode> {
  mkdirSync(config.dataDir, { recursive: true });
  // The client reads the key from a file (hex without 0x); the file stays private to the node's folder.
  const keyFile = join(config.dataDir, "signer.key");
  writeFileSync(keyFile, config.signerKey.replace(/^0x/, ""), { mode: 0o600 });
  const logFile = logFileOf(config.dataDir);
  const fd = openSync(logFile, "a");
  let pid: number | undefined;
  let exit: string | undefined;
  try {
    const child = spawn(process.execPath, nodeArgs(config, keyFile), {
      cwd: config.dataDir,
      env: { ...process.env, CBEC_SEAL_AFTER_PEERS: String(config.sealAfterPeers ?? 0) },
      stdio: ["ignore", fd, fd],
      detached: true,
    });
    child.on("exit", (code, sig) => (exit = `code ${code}, signal ${sig}`));
    child.on("error", (error) => (exit = error.message));
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(fd);
  }
  if (pid === undefined) throw new ConsortiumNodeError(`Could not start ${config.name}: ${exit ?? "no process"}.`, []);
  writeFileSync(pidFileOf(config.dataDir), `${pid}\n`);
  const rpcUrl = `http://127.0.0.1:${config.rpcPort}`;
  const node: EthereumjsNode = {
    config,
    pid,
    rpcUrl,
    logFile,
    logTail: (lines = 25) => tail(logFile, lines),
    alive: () => processAlive(pid!),
    async stop(graceMs) {
      await stopProcess(pid!, graceMs);
      rmSync(pidFileOf(config.dataDir), { force: true });
    },
  };
  try {
    await waitForRpc(rpcUrl, { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 200, exited: () => exit });
  } catch (error) {
    await node.stop(2_000);
    const log = tail(logFile, 25);
    const busy = /EADDRINUSE|address already in use/i.test(log);
    throw new ConsortiumNodeError(
      error instanceof NodeExitedError
        ? `${config.name} exited (${error.exit}) before its JSON-RPC on ${rpcUrl} answered.`
        : `${config.name} did not answer on ${rpcUrl} within ${(options.timeoutMs ?? 60_000) / 1000} s.`,
      busy
        ? [`Port ${config.p2pPort} or ${config.rpcPort} is in use: stop what listens there, or pick other ports.`]
        : ["Its log (details) says why; the machine may also be too busy: try again."],
      log,
    );
  }
  return node;
}

/** `admin_nodeInfo`'s enode URL, for peering and messages. */
export async function enodeOf(rpcUrl: string): Promise<string> {
  const info = await rpcCall<{ enode?: string }>(rpcUrl, "admin_nodeInfo");
  if (!info.enode) throw new Error(`${rpcUrl} did not report its enode`);
  return info.enode;
}
