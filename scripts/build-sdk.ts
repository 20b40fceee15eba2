/**
 * Builds the SDK package: CommonJS JavaScript and `.d.ts` files by `tsc -p tsconfig.build.json` into
 * dist/src/ (the SDK and the CLI) and dist/typechain-types/ (the generated contract types the write client
 * imports), so that `require("cbec-trace/…")`, a bundler and `bin/trace.js` need no TypeScript at run time.
 *
 * Runs after every `hardhat compile` (hardhat.config.ts), hence at `npm ci` (prepare), `npm test` and
 * `npm start`; it is skipped when dist/ is newer than every input, because even a no-op incremental `tsc`
 * takes seconds and every `hardhat run` a test spawns compiles. `npm run build:sdk` builds unconditionally.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** The folders tsc writes; dist/page (scripts/build-page.ts) is left alone. */
const OUTPUTS = ["dist/src", "dist/typechain-types", "dist/.tsbuildinfo"];
/** The inputs and start time of the last successful build. */
const STAMP = "dist/.sdk-build.json";
const CONFIGS = ["tsconfig.json", "tsconfig.build.json"];
/** A superset of tsc's inputs (src/page is not built): an extra build costs seconds, a missed one stale code. */
const SOURCE_DIRS = ["src", "typechain-types"];

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) files.push(relative(root, path));
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  return files.sort();
}

interface Stamp {
  /** When the build started (ms since the epoch): sources changed later may not be in it. */
  startedAt: number;
  inputs: string[];
}

function readStamp(root: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(join(root, STAMP), "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

const inputsOf = (root: string) => [...CONFIGS, ...sourceFiles(root)];

/** True when dist/ was built from exactly these files, all unchanged since the build started. */
export function sdkBuildIsCurrent(root: string): boolean {
  const stamp = readStamp(root);
  if (!stamp) return false;
  const inputs = inputsOf(root);
  // A deleted or added source changes no remaining file's mtime, but it changes the list.
  if (JSON.stringify(stamp.inputs) !== JSON.stringify(inputs)) return false;
  return inputs.every((file) => statSync(join(root, file)).mtimeMs < stamp.startedAt);
}

export interface BuildSdkOptions {
  /** Build even when dist/ looks current. */
  force?: boolean;
  log?: (line: string) => void;
}

/** Builds dist/ unless it is current; returns whether it built. Throws when tsc reports errors. */
export function buildSdk(root: string, options: BuildSdkOptions = {}): boolean {
  root = resolve(root);
  if (!options.force && sdkBuildIsCurrent(root)) return false;
  const inputs = inputsOf(root);
  if (!inputs.includes(join("typechain-types", "index.ts"))) {
    throw new Error("typechain-types/ is missing: the SDK build needs it; run `npx hardhat compile` first.");
  }
  // A changed file list means renamed or deleted sources: start clean so their old output does not linger.
  const previous = readStamp(root);
  if (options.force || JSON.stringify(previous?.inputs) !== JSON.stringify(inputs)) {
    for (const output of OUTPUTS) rmSync(join(root, output), { recursive: true, force: true });
  }
  rmSync(join(root, STAMP), { force: true });
  options.log?.("Building the SDK package (tsc -p tsconfig.build.json → dist/) …");
  const startedAt = Date.now();
  try {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    // Hardhat shows only the first line of a task's error: the compiler's report goes to stderr itself.
    process.stderr.write(`${stdout ?? ""}${stderr ?? ""}`);
    throw new Error(`The SDK build (tsc -p tsconfig.build.json) failed: the type errors are printed above.`);
  }
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(join(root, STAMP), JSON.stringify({ startedAt, inputs } satisfies Stamp) + "\n");
  options.log?.(`Built the SDK package in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
  return true;
}

if (require.main === module) {
  try {
    buildSdk(join(__dirname, ".."), { force: process.argv.includes("--force"), log: console.log });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
