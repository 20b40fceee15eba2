/** What a deployment needs of Hardhat, and paths as the user sees them. */
import { isAbsolute, relative } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** The parts of the Hardhat runtime environment a deployment uses (tests pass a network built at runtime). */
export type DeployHre = Pick<HardhatRuntimeEnvironment, "network" | "config" | "artifacts">;

/** The chain id of local development nodes (Hardhat, anvil): the only chain whose journal may be reset. */
export const LOCAL_CHAIN_ID = 31337;

/** A path shown relative to the working directory when it is inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
