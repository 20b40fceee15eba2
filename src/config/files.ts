/** Node-only loading of the deployment manifest from `deployments/<network>.json`. */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseManifest, ManifestError, type DeploymentManifest } from "./manifest";

/** The manifest path of a network under a project root. */
export function manifestPath(network: string, root = process.cwd()): string {
  if (!/^[A-Za-z0-9_-]+$/.test(network)) {
    throw new ManifestError(`Network name "${network}" may only contain letters, digits, "_" and "-".`);
  }
  return join(root, "deployments", `${network}.json`);
}

/** Reads and validates a manifest file. */
export function readManifestFile(file: string): DeploymentManifest {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new ManifestError(`No deployment manifest at ${path}.`, {
      hints: ["Deploy first (npm run deploy / npm start), or pass --ledger and --rpc."],
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new ManifestError(`${path} is not valid JSON.`, { cause });
  }
  return parseManifest(parsed, path);
}
