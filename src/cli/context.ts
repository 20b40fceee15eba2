/**
 * Resolves the CLI's settings — flags first, then environment (`.env`), then the deployment manifest —
 * and creates the SDK clients. Write commands check the endpoint's chain id and the ledger before anything
 * is signed or sent. The private key is read from a file or TRACE_PRIVATE_KEY and never printed.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { isAddress, type Address } from "viem";
import { createTraceReader, type TraceReader } from "../read/reader";
import { TraceWriter } from "../write/writer";
import { manifestPath, readManifestFile } from "../config/files";
import type { DeploymentManifest } from "../config/manifest";
import { CliInputError, type Output } from "./output";

export interface GlobalOptions {
  network?: string;
  manifest?: string;
  rpc?: string;
  chainId?: string;
  ledger?: string;
  keyFile?: string;
  gasPrice?: string;
  confirmations?: string;
  recordsDir?: string;
  domain?: string;
  maxBlockRange?: string;
  json?: boolean;
}

export interface CliContext {
  out: Output;
  options: GlobalOptions;
  /** Directory of the off-chain record store (EPCIS events and documents by hash). */
  recordsDir: string;
  /** Domain for Digital Link URIs the CLI prints and labels. */
  domain: string;
  manifest(): DeploymentManifest | undefined;
  reader(): Promise<TraceReader>;
  /** The read client before any network access, without the deployment check (`trace verify` judges it). */
  uncheckedReader(): TraceReader;
  writer(): Promise<TraceWriter>;
  /** Finality depth (--confirmations / TRACE_CONFIRMATIONS, default 1): writes wait for it, verify reads at it. */
  confirmations(): number;
}

const env = (name: string) => {
  const v = process.env[name]?.trim();
  return v ? v : undefined;
};

export function createContext(options: GlobalOptions, out: Output): CliContext {
  let manifest: DeploymentManifest | undefined | null = null;
  let reader: Promise<TraceReader> | undefined;
  let writer: Promise<TraceWriter> | undefined;

  const loadManifest = (): DeploymentManifest | undefined => {
    if (manifest !== null) return manifest;
    const explicit = options.manifest ?? env("TRACE_MANIFEST");
    if (explicit) return (manifest = readManifestFile(explicit));
    const network = options.network ?? env("TRACE_NETWORK");
    if (network) return (manifest = readManifestFile(manifestPath(network)));
    const local = manifestPath("localhost");
    return (manifest = existsSync(local) ? readManifestFile(local) : undefined);
  };

  const settings = () => {
    const m = loadManifest();
    const rpc = options.rpc ?? env("TRACE_RPC_URL") ?? env("TRACE_LOCAL_RPC_URL") ?? "http://127.0.0.1:8545";
    if (!/^https?:\/\//.test(rpc)) throw new CliInputError(`RPC URL "${rpc}" must start with http:// or https://.`);
    const ledger = options.ledger ?? env("TRACE_LEDGER") ?? m?.ledger.address;
    if (!ledger) {
      throw new CliInputError("No ledger address: pass --ledger, set TRACE_LEDGER, or deploy to write a manifest.", {
        hints: ["`npm start` deploys locally and writes deployments/localhost.json."],
      });
    }
    if (!isAddress(ledger)) throw new CliInputError(`Ledger address "${ledger}" is not an address.`);
    const chainText = options.chainId ?? env("TRACE_CHAIN_ID");
    const chainId = chainText !== undefined ? Number(chainText) : m?.chainId;
    if (chainId !== undefined && (!Number.isSafeInteger(chainId) || chainId <= 0)) {
      throw new CliInputError(`Chain id "${chainText}" must be a positive integer.`);
    }
    const range = options.maxBlockRange ?? env("TRACE_MAX_BLOCK_RANGE");
    return {
      rpc,
      ledger: ledger as Address,
      chainId,
      deploymentBlock: m && m.ledger.address.toLowerCase() === ledger.toLowerCase() ? m.ledger.deploymentBlock : 0,
      maxBlockRange: range ? BigInt(range) : undefined,
    };
  };

  const ctx: CliContext = {
    out,
    options,
    recordsDir: resolve(options.recordsDir ?? env("TRACE_RECORDS_DIR") ?? "records"),
    domain: options.domain ?? env("TRACE_DL_DOMAIN") ?? "https://id.gs1.org",
    manifest: loadManifest,
    reader() {
      reader ??= (async () => {
        const s = settings();
        const r = createTraceReader({
          rpcUrl: s.rpc,
          ledger: { address: s.ledger, chainId: s.chainId, deploymentBlock: BigInt(s.deploymentBlock) },
          maxBlockRange: s.maxBlockRange,
        });
        const { chainId } = await r.checkDeployment();
        r.ledger.chainId = chainId;
        return r;
      })();
      return reader;
    },
    uncheckedReader() {
      const s = settings();
      return createTraceReader({
        rpcUrl: s.rpc,
        ledger: { address: s.ledger, chainId: s.chainId, deploymentBlock: BigInt(s.deploymentBlock) },
        maxBlockRange: s.maxBlockRange,
      });
    },
    writer() {
      writer ??= (async () => {
        // The key is checked first: a bad key is an input problem, reported before any network access.
        const key = readKey(options.keyFile);
        const r = await ctx.reader();
        const s = settings();
        const provider = new JsonRpcProvider(s.rpc, Network.from(r.ledger.chainId!), {
          staticNetwork: true,
          batchMaxCount: 1,
        });
        const gasPrice = options.gasPrice ?? env("TRACE_GAS_PRICE");
        return TraceWriter.create({
          ledger: s.ledger,
          signer: new Wallet(key, provider),
          gasPrice: gasPrice !== undefined ? parseWholeNumber(gasPrice, "gas price") : undefined,
          confirmations: ctx.confirmations(),
        });
      })();
      return writer;
    },
    confirmations() {
      const text = options.confirmations ?? env("TRACE_CONFIRMATIONS");
      if (text === undefined) return 1;
      const n = Number(parseWholeNumber(text, "confirmations"));
      if (n < 1) throw new CliInputError(`The confirmations "${text}" must be at least 1.`);
      return n;
    },
  };
  return ctx;
}

function parseWholeNumber(text: string, what: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw new CliInputError(`The ${what} "${text}" must be a whole number.`);
  return BigInt(text);
}

/** Reads the signing key from --key-file or TRACE_PRIVATE_KEY; the error never shows the key. */
function readKey(keyFile: string | undefined): string {
  let key: string | undefined;
  let source: string;
  if (keyFile) {
    source = `key file ${keyFile}`;
    if (!existsSync(keyFile)) throw new CliInputError(`The key file ${keyFile} does not exist.`);
    key = readFileSync(keyFile, "utf8").trim();
  } else {
    source = "TRACE_PRIVATE_KEY";
    key = env("TRACE_PRIVATE_KEY");
    if (!key) {
      throw new CliInputError("No signing key: set TRACE_PRIVATE_KEY in .env or pass --key-file <file>.", {
        hints: ["Write commands sign transactions; read commands (state, history, verify) need no key."],
      });
    }
  }
  if (key.startsWith("{")) {
    // An encrypted JSON keystore (geth / ethers): decrypted with TRACE_KEYSTORE_PASSWORD.
    const password = process.env.TRACE_KEYSTORE_PASSWORD;
    if (password === undefined) {
      throw new CliInputError(`${source} is an encrypted keystore: set TRACE_KEYSTORE_PASSWORD to its password.`);
    }
    try {
      return Wallet.fromEncryptedJsonSync(key, password).privateKey;
    } catch {
      throw new CliInputError(`${source} could not be decrypted: wrong TRACE_KEYSTORE_PASSWORD or not a keystore.`);
    }
  }
  const normalized = key.startsWith("0x") ? key : `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(normalized)) {
    throw new CliInputError(`The key in ${source} is not 32 bytes of hex (its value is not shown).`);
  }
  return normalized;
}
