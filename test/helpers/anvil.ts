/**
 * Anvil (from the npm registry) as a child process for fault tests: optional state file (restart tests),
 * its own chain-manipulation commands (e.g. `anvil_reorg`). Processes still running when this process
 * exits are killed; call `stop()` from an `after` hook.
 */
import { spawn, type ChildProcess } from "node:child_process";

const ANVIL = require.resolve("@foundry-rs/anvil-linux-amd64/bin/anvil");
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of running) c.kill("SIGKILL");
});

export interface Anvil {
  url: string;
  child: ChildProcess;
  log: () => string;
  /** SIGINT (anvil dumps its state on exit), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartAnvilOptions {
  /** Keep the chain in this file (dumped every second and on exit) and load it on start. */
  stateFile?: string;
}

/** One JSON-RPC call (throws the node's error). */
export async function rpcCall<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await r.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Starts anvil on 127.0.0.1:`port` and waits until it answers. */
export async function startAnvil(port: number, options: StartAnvilOptions = {}): Promise<Anvil> {
  const state = options.stateFile
    ? ["--state", options.stateFile, "--state-interval", "1", "--preserve-historical-states"]
    : [];
  const child = spawn(ANVIL, ["--host", "127.0.0.1", "--port", String(port), ...state, "--silent"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((done) => child.on("exit", () => (running.delete(child), done())));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited: ${out}`);
    try {
      await rpcCall(url, "eth_chainId");
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`anvil did not answer: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    child,
    log: () => out,
    async stop(signal: NodeJS.Signals = "SIGINT") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
