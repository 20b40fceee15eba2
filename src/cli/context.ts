/**
 * Resolves the CLI's settings — flags first, then environment (`.env`), then the deployment manifest —
 * and creates the SDK clients. Write commands check the endpoint's chain id and the ledger before anything
 * is signed or sent. The private key is read from a file or TRACE_PRIVATE_KEY (for the consortium admin's
 * commands TRACE_DEPLOYER_KEY first, the admin key the deploy scripts use) and never printed.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { createTraceReader, type TraceReader } from "../read/reader";
import { TraceWriter } from "../write/writer";
import { manifestPath, readManifestFile } from "../config/files";
import type { DeploymentManifest } from "../config/manifest";
import { traceEnv, type TraceEnv } from "../config/env";
import { DEFAULT_DL_DOMAIN } from "../gs1/digitalLink";
import { decryptKeystoreJson } from "../config/keystore";
import { CliInputError, type Output } from "./output";
import { WrittenRecords } from "./recordPublishing";

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
  /**
   * The record store of write commands: it remembers what this command put, which the CLI publishes to the
   * platform (TRACE_PLATFORM_URL) once the command succeeded.
   */
  records: WrittenRecords;
  /**
   * Domain for Digital Link URIs the CLI prints and labels: --domain, else TRACE_RESOLVER_URL, else
   * TRACE_DL_DOMAIN, else id.gs1.org.
   */
  domain: string;
  /** The `TRACE_*` settings, with the global flags winning. */
  env: TraceEnv;
  manifest(): DeploymentManifest | undefined;
  reader(): Promise<TraceReader>;
  /** The read client before any network access, without the deployment check (`trace verify` judges it). */
  uncheckedReader(): TraceReader;
  writer(): Promise<TraceWriter>;
  /** The writer of `trace consortium`: signs with --key-file, else TRACE_DEPLOYER_KEY, else TRACE_PRIVATE_KEY. */
  adminWriter(): Promise<TraceWriter>;
  /** Where the writer's key came from ("TRACE_DEPLOYER_KEY", "key file k.txt", …), once a writer exists. */
  keySource(): string | undefined;
  /** Finality depth (--confirmations / TRACE_CONFIRMATIONS, default 1): writes wait for it, verify reads at it. */
  confirmations(): number;
}

export function createContext(options: GlobalOptions, out: Output): CliContext {
  let manifest: DeploymentManifest | undefined | null = null;
  let reader: Promise<TraceReader> | undefined;
  let writer: Promise<TraceWriter> | undefined;
  let keySource: string | undefined;
  // Flags win over the environment; both are validated by the one reader of the settings.
  const env = traceEnv(process.env, {
    rpcUrl: { value: options.rpc, flag: "--rpc" },
    chainId: { value: options.chainId, flag: "--chain-id" },
    ledger: { value: options.ledger, flag: "--ledger" },
    manifest: { value: options.manifest, flag: "--manifest" },
    network: { value: options.network, flag: "--network" },
    gasPrice: { value: options.gasPrice, flag: "--gas-price" },
    confirmations: { value: options.confirmations, flag: "--confirmations" },
    recordsDir: { value: options.recordsDir, flag: "--records-dir" },
    domain: { value: options.domain, flag: "--domain" },
    maxBlockRange: { value: options.maxBlockRange, flag: "--max-block-range" },
  });

  const loadManifest = (): DeploymentManifest | undefined => {
    if (manifest !== null) return manifest;
    const explicit = env.manifest;
    if (explicit) return (manifest = readManifestFile(explicit));
    const network = env.network;
    if (network) return (manifest = readManifestFile(manifestPath(network)));
    const local = manifestPath("localhost");
    return (manifest = existsSync(local) ? readManifestFile(local) : undefined);
  };

  const settings = () => {
    const m = loadManifest();
    const rpc = env.rpcUrl ?? env.localRpcUrl ?? "http://127.0.0.1:8545";
    const ledger = env.ledger ?? m?.ledger.address;
    if (!ledger) {
      throw new CliInputError("No ledger address: pass --ledger, set TRACE_LEDGER, or deploy to write a manifest.", {
        hints: ["`npm start` deploys locally and writes deployments/localhost.json."],
      });
    }
    return {
      rpc,
      ledger,
      chainId: env.chainId ?? m?.chainId,
      deploymentBlock: m && m.ledger.address.toLowerCase() === ledger.toLowerCase() ? m.ledger.deploymentBlock : 0,
      maxBlockRange: env.maxBlockRange,
    };
  };

  const makeWriter = (admin: boolean): Promise<TraceWriter> => {
    writer ??= (async () => {
      // The key is checked first: a bad key is an input problem, reported before any network access.
      const { key, source } = readKey(options.keyFile, env, admin);
      keySource = source;
      const r = await ctx.reader();
      const s = settings();
      const provider = new JsonRpcProvider(s.rpc, Network.from(r.ledger.chainId!), {
        staticNetwork: true,
        batchMaxCount: 1,
      });
      return TraceWriter.create({
        ledger: s.ledger,
        signer: new Wallet(key, provider),
        gasPrice: env.gasPrice,
        confirmations: ctx.confirmations(),
      });
    })();
    return writer;
  };

  const ctx: CliContext = {
    out,
    options,
    env,
    recordsDir: resolve(env.recordsDir ?? "records"),
    records: new WrittenRecords(resolve(env.recordsDir ?? "records")),
    // --domain wins; else the platform's resolver (TRACE_RESOLVER_URL), so a scanned label resolves there.
    domain:
      (options.domain !== undefined ? env.domain : undefined) ?? env.resolverUrl ?? env.domain ?? DEFAULT_DL_DOMAIN,
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
      return makeWriter(false);
    },
    adminWriter() {
      return makeWriter(true);
    },
    keySource: () => keySource,
    confirmations() {
      return env.confirmations ?? 1;
    },
  };
  return ctx;
}

/**
 * Reads the signing key from --key-file or TRACE_PRIVATE_KEY — for the admin's commands from --key-file,
 * TRACE_DEPLOYER_KEY or TRACE_PRIVATE_KEY — and says which it used; the error never shows the key. Also
 * what `npm run bench:sdk` signs with on a network of the operator's (`BENCH_NETWORK=env`).
 */
export function readKey(keyFile: string | undefined, env: TraceEnv, admin: boolean): { key: string; source: string } {
  let key: string | undefined;
  let source: string;
  if (keyFile) {
    source = `key file ${keyFile}`;
    if (!existsSync(keyFile)) throw new CliInputError(`The key file ${keyFile} does not exist.`);
    key = readFileSync(keyFile, "utf8").trim();
  } else if (admin && env.deployerKey) {
    return { key: env.deployerKey, source: "TRACE_DEPLOYER_KEY" };
  } else {
    source = "TRACE_PRIVATE_KEY";
    key = env.privateKey;
    if (!key) {
      throw new CliInputError(
        admin
          ? "No admin key: set TRACE_DEPLOYER_KEY (the consortium admin's key) in .env, or TRACE_PRIVATE_KEY, or pass --key-file <file>."
          : "No signing key: set TRACE_PRIVATE_KEY in .env or pass --key-file <file>.",
        {
          hints: admin
            ? ["`trace consortium` signs with TRACE_DEPLOYER_KEY when it is set, else with TRACE_PRIVATE_KEY."]
            : ["Write commands sign transactions; read commands (state, history, verify) need no key."],
        },
      );
    }
  }
  const normalized = decodeKey(key, source, env);
  return { key: normalized, source };
}

/** A key's text as 0x-hex: a raw key, or an encrypted JSON keystore decrypted with TRACE_KEYSTORE_PASSWORD. */
function decodeKey(key: string, source: string, env: TraceEnv): string {
  if (key.startsWith("{")) {
    // An encrypted JSON keystore (geth / ethers): decrypted with TRACE_KEYSTORE_PASSWORD.
    const password = env.keystorePassword;
    if (password === undefined) {
      throw new CliInputError(`${source} is an encrypted keystore: set TRACE_KEYSTORE_PASSWORD to its password.`);
    }
    try {
      return decryptKeystoreJson(key, password);
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
