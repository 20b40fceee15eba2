/** Failures of the local development node helpers (Node-only; not part of the browser-safe SDK). */
import { TraceError } from "../errors/base";

/** No anvil executable for this platform in node_modules. */
export class AnvilNotInstalledError extends TraceError {
  override name = "AnvilNotInstalledError" as const;
  constructor(readonly packageName: string) {
    super(`The anvil executable for ${process.platform}-${process.arch} (${packageName}) is not installed.`, {
      hints: [
        "Run `npm ci`: it installs @foundry-rs/anvil with the package for this platform.",
        "Platforms with an anvil package: linux and macOS on x64 and arm64, Windows on x64.",
      ],
    });
  }
}

/** The node process ended before its RPC endpoint answered. */
export class NodeExitedError extends TraceError {
  override name = "NodeExitedError" as const;
  constructor(
    readonly url: string,
    readonly exit: string,
    readonly output: string,
  ) {
    super(`The local node for ${url} exited (${exit}) before it answered.`, {
      ...(output ? { details: output } : {}),
      hints: ["Is the port already in use? Its output (details) says why it stopped."],
    });
  }
}

/** The RPC endpoint did not answer `eth_chainId` in time. */
export class NodeTimeoutError extends TraceError {
  override name = "NodeTimeoutError" as const;
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
    readonly output: string,
  ) {
    super(`The local node did not answer eth_chainId on ${url} within ${timeoutMs / 1000} s.`, {
      ...(output ? { details: output } : {}),
      hints: ["The machine may be busy: try again, or allow more time."],
    });
  }
}
