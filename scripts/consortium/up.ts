/**
 * `npm run consortium:up -- [--nodes N] [--fresh] [--seed] [--dir DIR]`: a local consortium network of N
 * EthereumJS Clique signer nodes (docs/consortium.md, "A local consortium network"): generated genesis,
 * nodes peered with each other, the ledger deployed (paris build, `npm run deploy`'s code), the demo
 * consortium onboarded, each member's writer on a different node; `--seed` also writes the demo journey
 * through them. Writes `network.json` and prints the `.env` lines for the CLI. The nodes keep running after
 * this command ends; `npm run consortium:down` stops them. Run again, it finds them running and says so;
 * after `down` it restarts the same chain (`--fresh` starts a new one).
 */
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { portIsFree, freePort } from "../../src/node/ports";
import { DEMO_MEMBERS, seedDemo, type DemoMember } from "../../src/demo/journey";
import { TraceWriter } from "../../src/write/writer";
import {
  planNetwork,
  readSpecs,
  specsFile,
  startNetwork,
  waitForAgreement,
  type ConsortiumNodeSpec,
} from "./lib/network";
import { processAlive } from "./lib/ethereumjsNode";
import {
  descriptionFile,
  envLines,
  readDescription,
  writeDescription,
  type NetworkDescription,
} from "./lib/description";
import {
  deployOnConsortium,
  devWallet,
  nodeProvider,
  onboardConsortium,
  PROJECT_ROOT,
  readConsortiumFile,
} from "./lib/onboard";
import { ConsortiumNodeError } from "./lib/errors";

const USAGE = `Usage: npm run consortium:up -- [--nodes N] [--fresh] [--seed] [--dir DIR]

  --nodes N   signer nodes (default 3, at least 3)
  --fresh     forget the previous network in DIR and start a new chain
  --seed      also write the demo export journey, each member through its own node
  --dir DIR   where the nodes keep their data (default .cbec-trace/consortium)
`;

const say = (line: string) => console.log(line);

/** The admin and the demo members are the development accounts 0 … 9 of the test mnemonic. */
const ADMIN = devWallet(0);
const memberWallet = (i: number) => devWallet(i + 1);

/** Which node member `i` (DEMO_MEMBERS order) writes through: round robin over the nodes. */
export const memberNode = (i: number, nodes: number) => i % nodes;

/** Gives a node whose port is taken now a new free one (ports are not part of the chain). */
async function freshPorts(specs: ConsortiumNodeSpec[]): Promise<void> {
  for (const spec of specs) {
    for (const key of ["p2pPort", "rpcPort"] as const) {
      if (!(await portIsFree(spec[key]))) {
        const port = await freePort();
        say(`  ${spec.name}: port ${spec[key]} is in use now; using ${port}.`);
        spec[key] = port;
      }
    }
  }
}

/** Starts the nodes (a new network, or the one planned before in `dir`) and describes them in network.json. */
async function start(dir: string, count: number, resume: boolean): Promise<NetworkDescription> {
  if (!resume) rmSync(dir, { recursive: true, force: true });
  let specs: ConsortiumNodeSpec[];
  if (resume) {
    specs = readSpecs(dir);
    say(`Restarting the consortium network in ${dir} (${specs.length} nodes, same chain) …`);
    await freshPorts(specs);
  } else {
    say(`Starting a new consortium network of ${count} EthereumJS Clique signer nodes in ${dir} …`);
    specs = await planNetwork({
      dir,
      nodes: count,
      fund: [ADMIN.address, ...Array.from({ length: DEMO_MEMBERS.length + 1 }, (_, i) => memberWallet(i).address)],
    });
  }
  const started = Date.now();
  const network = await startNetwork(dir, specs, { log: say });
  const height = await waitForAgreement(network.rpcUrls, { minHeight: 1 });
  say(`All ${specs.length} nodes agree on block ${height} (${((Date.now() - started) / 1000).toFixed(1)} s).`);
  const description: NetworkDescription = {
    chainId: network.chainId,
    periodSeconds: network.periodSeconds,
    genesisFile: network.genesisFile,
    nodes: specs.map((s, i) => ({
      name: s.name,
      rpcUrl: network.rpcUrls[i],
      p2pPort: s.p2pPort,
      signer: s.signer,
      pid: network.nodes[i]!.pid,
      dataDir: s.dataDir,
      log: network.nodes[i]!.logFile,
    })),
    members: DEMO_MEMBERS.map((name, i) => ({
      name,
      address: memberWallet(i).address,
      rpcUrl: network.rpcUrls[memberNode(i, specs.length)],
    })),
  };
  // Written now, so `consortium:down` finds the nodes even when the deployment fails.
  writeDescription(dir, description);
  return description;
}

async function main(argv: string[]): Promise<number> {
  let values: { nodes?: string; fresh?: boolean; seed?: boolean; dir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        nodes: { type: "string" },
        fresh: { type: "boolean" },
        seed: { type: "boolean" },
        dir: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    say(USAGE);
    return 0;
  }
  const count = values.nodes === undefined ? 3 : Number(values.nodes);
  if (!Number.isInteger(count) || count < 3) {
    console.error(`--nodes must be a whole number of at least 3 (got ${values.nodes}).\n\n${USAGE}`);
    return 2;
  }
  const dir = resolve(
    process.env.INIT_CWD ?? process.cwd(),
    values.dir ?? join(PROJECT_ROOT, ".cbec-trace", "consortium"),
  );

  const previous = readDescription(dir);
  const alive = previous?.nodes.filter((n) => processAlive(n.pid)) ?? [];
  if (previous && alive.length > 0 && (values.fresh || alive.length < previous.nodes.length)) {
    console.error(
      `Nodes of ${dir} are running (${alive.map((n) => n.name).join(", ")})` +
        (values.fresh ? "." : `, others (of ${previous.nodes.length}) are not.`) +
        "\n- Run `npm run consortium:down` first, then `npm run consortium:up` again.",
    );
    return 1;
  }
  let description: NetworkDescription;
  if (previous && alive.length === previous.nodes.length) {
    // Running: the deployment and the onboarding below are checked again (each sends only what is missing).
    say(`The consortium network in ${dir} is running (${alive.length} nodes); checking its ledger and members …`);
    description = previous;
  } else {
    description = await start(dir, count, !values.fresh && existsSync(specsFile(dir)));
  }
  const rpcUrls = description.nodes.map((n) => n.rpcUrl);
  const network = { chainId: description.chainId, rpcUrls };
  const nodeCount = rpcUrls.length;
  say("Deploying the ledger (paris build) through node 1 …");
  const { manifest, manifestPath, sent } = await deployOnConsortium({
    rpcUrl: rpcUrls[0],
    chainId: network.chainId,
    adminKey: ADMIN.privateKey,
    dir,
    log: say,
  });
  say(
    sent
      ? `Deployed TraceLedger ${manifest.ledger.version} at ${manifest.ledger.address}.`
      : `TraceLedger ${manifest.ledger.version} already deployed at ${manifest.ledger.address}.`,
  );
  description.ledger = {
    address: manifest.ledger.address,
    deploymentBlock: manifest.ledger.deploymentBlock,
    version: manifest.ledger.version,
    manifest: manifestPath,
  };
  writeDescription(dir, description);

  say("Onboarding the demo consortium (demo/consortium.json) …");
  const changes = await onboardConsortium({
    rpcUrl: rpcUrls[0],
    chainId: network.chainId,
    manifest,
    adminKey: ADMIN.privateKey,
    desired: readConsortiumFile(),
    log: say,
  });
  say(changes ? `Onboarded: ${changes} change(s) applied.` : "The demo consortium was already onboarded.");

  if (values.seed) {
    say("Writing the demo journey, each member through its own node …");
    const providers = network.rpcUrls.map((url) => nodeProvider(url, network.chainId));
    try {
      const writers = {} as Record<DemoMember, TraceWriter>;
      for (const [i, member] of DEMO_MEMBERS.entries()) {
        writers[member] = await TraceWriter.create({
          ledger: manifest.ledger.address,
          signer: memberWallet(i).connect(providers[memberNode(i, nodeCount)]),
          gasPrice: 0n,
        });
      }
      await seedDemo(writers, join(dir, "records"));
      say(`Demo journey written (records in ${join(dir, "records")}).`);
    } finally {
      for (const p of providers) p.destroy();
    }
  }
  printSummary(description, descriptionFile(dir));
  return 0;
}

function printSummary(description: NetworkDescription, file: string): void {
  say("");
  for (const node of description.nodes) say(`  ${node.name}  ${node.rpcUrl}  signer ${node.signer}  pid ${node.pid}`);
  if (description.ledger) say(`  ledger  ${description.ledger.address} (TraceLedger ${description.ledger.version})`);
  say("");
  say("Members and the node each one writes through (development keys of the test mnemonic: local use only):");
  for (const [i, m] of description.members.entries()) {
    say(`  ${m.name.padEnd(9)} ${m.address}  ${m.rpcUrl}  key ${memberWallet(i).privateKey}`);
  }
  say("");
  say(`Described in ${file}. To point the CLI at this network, put in .env:`);
  for (const line of envLines(description)) say(`  ${line}`);
  say("(any node's URL works for reading; a member writes through its own with TRACE_PRIVATE_KEY set to its key)");
  say("Stop it with `npm run consortium:down`.");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      `\nconsortium:up failed: ${error instanceof ConsortiumNodeError ? error.message : (error as Error).stack}`,
    );
    console.error("The nodes started so far keep running: `npm run consortium:down` stops them.");
    process.exit(1);
  },
);
