/** Node-only reading and writing of the deployment manifest `deployments/<network>.json`. */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
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

/** The manifest at `file`, or undefined when there is none or it is malformed (about to be replaced). */
export function readManifestIfValid(file: string): DeploymentManifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return parseManifest(JSON.parse(readFileSync(file, "utf8")), file);
  } catch {
    return undefined;
  }
}

/** Writes a manifest atomically, so a reader never sees half a file. */
export function writeManifestFile(file: string, manifest: DeploymentManifest): void {
  writeFileAtomic(file, JSON.stringify(manifest, null, 2) + "\n");
}

/** Writes a file atomically: a temp file in the same directory, then a rename over the target. */
function writeFileAtomic(file: string, content: string): void {
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
