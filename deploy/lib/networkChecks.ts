/** Checks of the network before anything is sent: it answers, and it is the configured chain. */
import { DeployError, reason } from "./errors";
import type { DeployHre } from "./hre";

export interface NetworkCheck {
  chainId: number;
  url?: string;
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
