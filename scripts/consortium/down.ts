/**
 * `npm run consortium:down -- [--wipe] [--dir DIR]`: stops the nodes `consortium:up` started (by the PID
 * file in each node's folder; SIGTERM, so each closes its database cleanly, SIGKILL after 15 s) and says
 * what it stopped. The chain stays on disk for the next `consortium:up` unless `--wipe`.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readSpecs, specsFile } from "./lib/network";
import { pidFileOf, processAlive, stopProcess } from "./lib/ethereumjsNode";
import { PROJECT_ROOT } from "./lib/onboard";

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { wipe: { type: "boolean" }, dir: { type: "string" } },
    strict: true,
  });
  const dir = resolve(
    process.env.INIT_CWD ?? process.cwd(),
    values.dir ?? join(PROJECT_ROOT, ".cbec-trace", "consortium"),
  );
  if (!existsSync(specsFile(dir))) {
    console.log(`No consortium network in ${dir}: nothing to stop.`);
    return 0;
  }
  const outcomes = await Promise.all(
    readSpecs(dir).map(async (spec) => {
      const pidFile = pidFileOf(spec.dataDir);
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : undefined;
      if (!pid || !processAlive(pid)) {
        rmSync(pidFile, { force: true });
        return `${spec.name}: was not running.`;
      }
      const how = await stopProcess(pid, 15_000);
      rmSync(pidFile, { force: true });
      return how === "killed"
        ? `${spec.name}: pid ${pid} did not stop within 15 s and was killed (its database may need a resync).`
        : `${spec.name}: stopped pid ${pid} (RPC port ${spec.rpcPort}).`;
    }),
  );
  for (const line of outcomes) console.log(line);
  if (values.wipe) {
    rmSync(dir, { recursive: true, force: true });
    console.log(`Removed ${dir}.`);
  } else {
    console.log(`The chain stays in ${dir}: \`npm run consortium:up\` restarts it (--fresh for a new one).`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`consortium:down failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
