/**
 * The deployment manifest: where a ledger lives on a network. Written by the deploy scripts to
 * `deployments/<network>.json`; read by the SDK, the CLI and the verification page. Parsing is
 * browser-safe (the page fetches the manifest over HTTP); reading files is in `config/files.ts`.
 */
import { isAddress, type Address } from "viem";
import { TraceError } from "../errors/base";

export interface DeploymentManifest {
  /** Network name (e.g. "localhost", "consortium"). */
  network: string;
  chainId: number;
  ledger: {
    address: Address;
    /** Block of the deployment transaction: log queries never go below it. */
    deploymentBlock: number;
    /** `version()` of the deployed ledger (= EIP-712 domain version). */
    version: string;
    transactionHash?: string;
  };
  /** The claims and taps registry beside the ledger (`UnitClaims`, issue 17), when one is deployed. */
  claims?: {
    address: Address;
    /** Block of its deployment transaction. */
    deploymentBlock: number;
    /** `version()` of the deployed registry. */
    version: string;
  };
}

/** The manifest is missing a field or has a malformed one. */
export class ManifestError extends TraceError {
  override name = "ManifestError" as const;
}

/** Validates a parsed manifest object. */
export function parseManifest(value: unknown, source = "manifest"): DeploymentManifest {
  const fail = (what: string): never => {
    throw new ManifestError(`${source}: ${what}.`, {
      hints: ["Redeploy to rewrite it (npm run deploy), or fix the file by hand."],
    });
  };
  if (!value || typeof value !== "object") fail("is not a JSON object");
  const o = value as Record<string, unknown>;
  if (typeof o.network !== "string" || !o.network) fail('"network" must be a non-empty string');
  if (!Number.isSafeInteger(o.chainId) || (o.chainId as number) <= 0) fail('"chainId" must be a positive integer');
  const l = o.ledger as Record<string, unknown> | undefined;
  if (!l || typeof l !== "object") fail('"ledger" is missing');
  if (typeof l!.address !== "string" || !isAddress(l!.address))
    fail(`"ledger.address" ${JSON.stringify(l!.address)} is not an address`);
  if (!Number.isSafeInteger(l!.deploymentBlock) || (l!.deploymentBlock as number) < 0) {
    fail('"ledger.deploymentBlock" must be a block number');
  }
  if (typeof l!.version !== "string" || !/^\d+\.\d+\.\d+$/.test(l!.version))
    fail('"ledger.version" must be like "1.0.0"');
  const claims = parseClaims(o.claims, fail);
  return {
    network: o.network as string,
    chainId: o.chainId as number,
    ledger: {
      address: l!.address as Address,
      deploymentBlock: l!.deploymentBlock as number,
      version: l!.version as string,
      ...(typeof l!.transactionHash === "string" ? { transactionHash: l!.transactionHash } : {}),
    },
    ...(claims ? { claims } : {}),
  };
}

/** The optional `claims` entry: absent, or a complete one. */
function parseClaims(value: unknown, fail: (what: string) => never): DeploymentManifest["claims"] {
  if (value === undefined) return undefined;
  const c = value as Record<string, unknown> | null;
  if (!c || typeof c !== "object") fail('"claims" must be an object with address, deploymentBlock and version');
  if (typeof c!.address !== "string" || !isAddress(c!.address))
    fail(`"claims.address" ${JSON.stringify(c!.address)} is not an address`);
  if (!Number.isSafeInteger(c!.deploymentBlock) || (c!.deploymentBlock as number) < 0)
    fail('"claims.deploymentBlock" must be a block number');
  if (typeof c!.version !== "string" || !/^\d+\.\d+\.\d+$/.test(c!.version))
    fail('"claims.version" must be like "1.0.0"');
  return {
    address: c!.address as Address,
    deploymentBlock: c!.deploymentBlock as number,
    version: c!.version as string,
  };
}
