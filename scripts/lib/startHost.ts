/**
 * Where `npm start` serves the page: 127.0.0.1 by default, or the address given as `--host <ip>` (also the
 * form `npm start --host 0.0.0.0` reaches the script in: npm keeps `--host` as its own config, set to "true",
 * and passes the address on as an argument) or `TRACE_HOST`; and the URL a phone on the same network opens
 * when the page listens on every interface. Node-only.
 */
import { networkInterfaces } from "node:os";
import { readSetting } from "../../src/config/env";

const IP = /^(localhost|[0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9a-fA-F:]+)$/;

/**
 * The host to listen on: `--host <ip>` / `--host=<ip>` in `argv`, npm's `--host` (npm_config_host), else
 * TRACE_HOST, else 127.0.0.1. Throws a `NetworkEnvError` naming the flag for anything but an IP address.
 */
export function startHost(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const i = argv.findIndex((a) => a === "--host" || a.startsWith("--host="));
  let flag: string | undefined;
  if (i >= 0) flag = argv[i].startsWith("--host=") ? argv[i].slice(7) : (argv[i + 1] ?? "");
  else if (env.npm_config_host && env.npm_config_host !== "true") flag = env.npm_config_host;
  else if (env.npm_config_host === "true") flag = argv.find((a) => IP.test(a)) ?? "";
  if (flag !== undefined) return readSetting("host", env, { value: flag, flag: "--host" })!;
  return readSetting("host", env) ?? "127.0.0.1";
}

/** Whether `host` is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/**
 * The address others open: for 0.0.0.0 (or ::) this machine's first non-internal IPv4 address (or
 * 127.0.0.1 when it has none), else `host` itself.
 */
export function reachableHost(host: string, interfaces = networkInterfaces()): string {
  if (host !== "0.0.0.0" && host !== "::") return host;
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}
