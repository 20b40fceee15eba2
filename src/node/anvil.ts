/**
 * Anvil, the local EVM node from the npm registry (`@foundry-rs/anvil`), as a child process: `npm start`,
 * the benchmarks and the tests start it through here. The platform's executable is started directly, not
 * through the package's wrapper script, so our signals reach the node (it saves its state on SIGINT).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AnvilNotInstalledError } from "./errors";
import { waitForRpc } from "./rpc";

/** npm's name for this platform's anvil package (`@foundry-rs/anvil-linux-amd64`, …). */
export function anvilPackageName(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `@foundry-rs/anvil-${process.platform}-${arch}`;
}

/** The anvil executable of this platform, or undefined when it is not installed. */
export function findAnvil(): string | undefined {
  const name = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    return require.resolve(`${anvilPackageName()}/bin/${name}`);
  } catch {
    // The wrapper package's own fallback: a binary its postinstall placed next to it.
  }
  try {
    const fallback = join(dirname(require.resolve("@foundry-rs/anvil/package.json")), "..", "dist", name);
    return existsSync(fallback) ? fallback : undefined;
  } catch {
    return undefined;
  }
}

/** The anvil executable of this platform; throws {@link AnvilNotInstalledError} when it is missing. */
export function anvilBinary(): string {
  const found = findAnvil();
  if (!found) throw new AnvilNotInstalledError(anvilPackageName());
  return found;
}

export interface StartAnvilOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  chainId?: number;
  /** The mnemonic whose accounts are funded (anvil's default: the well-known Hardhat one). */
  mnemonic?: string;
  /** Keep the chain in this file: loaded on start, saved every `stateInterval` seconds and on SIGINT. */
  stateFile?: string;
  /** Seconds between state saves (default 1). */
  stateInterval?: number;
  /** Also keep past blocks' states in the state file, so reads at old blocks work after a restart. */
  preserveHistoricalStates?: boolean;
  /** Only errors in the output (`--silent`). */
  silent?: boolean;
  /** More anvil flags (e.g. `["--hardfork", "cancun", "--base-fee", "0"]`). */
  args?: string[];
  /** Append the node's output to this file instead of keeping it in memory. */
  logFile?: string;
  /** How long to wait for the RPC endpoint (ms, default 30 s). */
  timeoutMs?: number;
  /** The signal for a node still running when this process exits (default SIGKILL). */
  exitSignal?: NodeJS.Signals;
}

/** A running anvil. */
export interface AnvilNode {
  url: string;
  port: number;
  child: ChildProcess;
  /** The node's output so far (the end of the log file when `logFile` is set). */
  log(): string;
  /** Sends `signal` (default SIGINT: anvil saves its state), waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Nodes started by this process and still running, with the signal each gets when this process exits. */
const running = new Map<ChildProcess, NodeJS.Signals>();
let exitHookInstalled = false;

/** The most output kept in memory (the end of it). */
const MAX_OUTPUT = 100_000;

/** Starts anvil and waits until it answers on its RPC endpoint. */
export async function startAnvil(options: StartAnvilOptions): Promise<AnvilNode> {
  const host = options.host ?? "127.0.0.1";
  const args = ["--host", host, "--port", String(options.port)];
  if (options.chainId !== undefined) args.push("--chain-id", String(options.chainId));
  if (options.mnemonic !== undefined) args.push("--mnemonic", options.mnemonic);
  if (options.stateFile !== undefined) {
    args.push("--state", options.stateFile, "--state-interval", String(options.stateInterval ?? 1));
    if (options.preserveHistoricalStates) args.push("--preserve-historical-states");
  }
  if (options.silent) args.push("--silent");
  args.push(...(options.args ?? []));

  let output = "";
  let child: ChildProcess;
  if (options.logFile) {
    const fd = openSync(options.logFile, "a");
    try {
      child = spawn(anvilBinary(), args, { stdio: ["ignore", fd, fd] });
    } finally {
      closeSync(fd);
    }
  } else {
    child = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
    const keep = (d: Buffer) => (output = (output + d).slice(-MAX_OUTPUT));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
  }
  const logFile = options.logFile;
  const log = () => (logFile ? (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-MAX_OUTPUT) : "") : output);

  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const [c, signal] of running) c.kill(signal);
    });
  }
  running.set(child, options.exitSignal ?? "SIGKILL");
  let spawnError: Error | undefined;
  child.on("error", (error) => (spawnError = error));
  const exited = new Promise<void>((done) => child.on("close", () => (running.delete(child), done())));
  const exit = () => {
    if (spawnError) return spawnError.message;
    if (child.exitCode !== null) return `code ${child.exitCode}`;
    if (child.signalCode !== null) return `signal ${child.signalCode}`;
    return undefined;
  };

  const node: AnvilNode = {
    url: `http://${host}:${options.port}`,
    port: options.port,
    child,
    log,
    async stop(signal: NodeJS.Signals = "SIGINT", graceMs = 10_000) {
      if (exit() === undefined) {
        child.kill(signal);
        const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(killer);
      }
      running.delete(child);
    },
  };
  try {
    await waitForRpc(node.url, { timeoutMs: options.timeoutMs, exited: exit, output: () => log().slice(-4_000) });
  } catch (error) {
    await node.stop("SIGKILL");
    throw error;
  }
  return node;
}
