/**
 * `npm run deploy -- --network <name> [options]`: deploys the ledger with Hardhat Ignition (or finds it
 * already deployed), writes `deployments/<network>.json` and prints its path and the ledger address.
 * See docs/deploy.md.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { NetworkEnvError, readSetting } from "../src/config/env";

/** Paths on the command line are relative to where `npm run` was typed (npm runs scripts from the root). */
const fromCaller = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);

const USAGE = `Usage: npm run deploy -- --network <name> [options]

Deploys TraceLedger with the parameters in deploy/parameters/<network>.json and writes the manifest
deployments/<network>.json. Running it again is a no-op; an interrupted deployment resumes.

Options:
  --network <name>        localhost, consortium, or another network of hardhat.config.ts (env HARDHAT_NETWORK)
  --parameters <file>     parameters file (default deploy/parameters/<network>.json)
  --reset                 local chain (id 31337) only: forget the previous deployment and deploy a new ledger
  --confirmations <n>     blocks to wait per transaction (env TRACE_CONFIRMATIONS; default 1 on local
                          automining nodes, 5 elsewhere)
  --manifest-dir <dir>    where to write <network>.json (default deployments/)
  --journal-dir <dir>     Ignition journal directory (default deploy/deployments/chain-<id>)
  --claims                also deploy UnitClaims (first-scan claims and NFC taps, docs/authenticity.md) beside
                          the ledger; kept on later runs once the manifest lists it
  -h, --help              this help
`;

interface Printable {
  name?: string;
  message?: string;
  shortMessage?: string;
  hints?: string[];
  number?: number;
}

/** Message and hints of any error, without a stack trace. */
function describe(error: unknown, network: string): string {
  const e = (error ?? {}) as Printable;
  const text = e.message ?? String(error);
  // TraceError (DeployError, ParametersError, NetworkEnvError) messages already end with their hints.
  if (e.shortMessage !== undefined) return text;
  const hints: string[] = [];
  if (e.number === 100 || /HH100/.test(text)) {
    hints.push(
      network === "consortium"
        ? "The consortium network exists only when TRACE_RPC_URL and TRACE_CHAIN_ID are set in .env (see .env.example)."
        : "Networks are localhost and, once TRACE_RPC_URL is set in .env, consortium.",
    );
  }
  hints.push("See docs/deploy.md.");
  return [text, "", ...hints.map((h) => `- ${h}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  let values: {
    network?: string;
    parameters?: string;
    reset?: boolean;
    confirmations?: string;
    "manifest-dir"?: string;
    "journal-dir"?: string;
    claims?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        network: { type: "string" },
        parameters: { type: "string" },
        reset: { type: "boolean" },
        confirmations: { type: "string" },
        "manifest-dir": { type: "string" },
        "journal-dir": { type: "string" },
        claims: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const network = values.network ?? process.env.HARDHAT_NETWORK;
  if (!network) {
    console.error(`--network is required (e.g. --network localhost).\n\n${USAGE}`);
    return 2;
  }
  if (network === "hardhat") {
    console.error(
      "The in-process hardhat network disappears when this command ends, so a deployment to it is of no use.\n" +
        "- Start a node (`npm start` or `npx hardhat node --hostname 127.0.0.1`) and use --network localhost.",
    );
    return 2;
  }
  let confirmations: number | undefined;
  try {
    confirmations = readSetting("confirmations", process.env, { value: values.confirmations, flag: "--confirmations" });
  } catch (error) {
    if (!(error instanceof NetworkEnvError)) throw error;
    console.error(describe(error, network));
    return 2;
  }

  try {
    // The network is chosen before Hardhat loads; loading it reads hardhat.config.ts and .env.
    process.env.HARDHAT_NETWORK = network;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hre = require("hardhat") as typeof import("hardhat");
    const { deployTraceLedger } = await import("../deploy/lib/deployLedger");
    const { displayPath } = await import("../deploy/lib/hre");
    const outcome = await deployTraceLedger(hre, {
      network,
      ...(values.parameters !== undefined ? { parametersFile: fromCaller(values.parameters) } : {}),
      ...(values.reset ? { reset: true } : {}),
      ...(confirmations !== undefined ? { confirmations } : {}),
      ...(values["manifest-dir"] !== undefined ? { manifestDir: fromCaller(values["manifest-dir"]) } : {}),
      ...(values["journal-dir"] !== undefined ? { journalDir: fromCaller(values["journal-dir"]) } : {}),
      ...(values.claims ? { claims: true } : {}),
      log: (line) => console.error(line),
    });
    const { manifest } = outcome;
    if (outcome.reset) console.log(`Reset: the previous local deployment journal was wiped.`);
    console.log(
      outcome.transactionsSent.length === 0
        ? `TraceLedger ${manifest.ledger.version} is already deployed on ${network} (chain ${manifest.chainId}); nothing was sent.`
        : `Deployed TraceLedger ${manifest.ledger.version} on ${network} (chain ${manifest.chainId}), ` +
            `${outcome.transactionsSent.length} transaction(s) sent.`,
    );
    console.log(`Address:  ${manifest.ledger.address} (block ${manifest.ledger.deploymentBlock})`);
    if (manifest.claims) {
      console.log(`Claims:   ${manifest.claims.address} (block ${manifest.claims.deploymentBlock})`);
    }
    console.log(`Manifest: ${displayPath(outcome.manifestPath)}${outcome.manifestWritten ? "" : " (unchanged)"}`);
    return 0;
  } catch (error) {
    console.error(describe(error, network));
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
