/**
 * The `TRACE_*` settings: one typed reader of the environment (`.env`, see .env.example) for the CLI, the
 * deploy scripts and the Hardhat `consortium` network. Each setting is parsed and validated here and only
 * here; a command-line flag that overrides a setting goes through the same validation.
 *
 * Settings are read lazily: a malformed variable a command never uses (say TRACE_DEPLOYER_KEY for `trace
 * state`) is never an error.
 */
import { isAddress, type Address } from "viem";
import { TraceError } from "../errors/base";
import { normaliseResolverUrl, resolverUrlProblem } from "../resolver/publicUrl";
import { MAX_BURST_COUNT } from "../scans/rules";

/** A `TRACE_*` setting (or the command-line flag that overrides it) is malformed; the message names it. */
export class NetworkEnvError extends TraceError {
  override name = "NetworkEnvError" as const;
}

/** Parses the text of one setting; `source` is the variable or flag it came from, for the hint. */
type Parse<T> = (text: string, source: string) => T;

interface Setting<T> {
  variable: string;
  parse: Parse<T>;
  /** Secrets such as passwords are taken as they are: not trimmed, and an empty value is a value. */
  raw: boolean;
}

const setting = <T>(variable: string, parse: Parse<T>, raw = false): Setting<T> => ({ variable, parse, raw });

/** Where to fix a setting: its flag, or its variable in `.env`. */
export function settingHint(source: string): string {
  return source.startsWith("-") ? `Fix ${source}.` : `Fix ${source} in .env (see .env.example).`;
}

const refuse = (source: string, message: string): never => {
  throw new NetworkEnvError(message, { hints: [settingHint(source)] });
};

const asText: Parse<string> = (text) => text;

const httpUrl: Parse<string> = (text, source) =>
  /^https?:\/\//.test(text)
    ? text
    : refuse(source, `The RPC URL "${text}" must be an http(s) JSON-RPC URL, e.g. http://10.0.0.5:8545.`);

const platformUrl: Parse<string> = (text, source) =>
  /^https?:\/\/[^/\s]+/.test(text)
    ? text.replace(/\/+$/, "")
    : refuse(
        source,
        `The platform URL "${text}" must be an http(s) URL, e.g. http://127.0.0.1:8080 (npm start's server).`,
      );

const chainId: Parse<number> = (text, source) => {
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : refuse(source, `The chain id "${text}" must be a positive integer.`);
};

const gasPrice: Parse<bigint> = (text, source) =>
  /^[0-9]+$/.test(text)
    ? BigInt(text)
    : refuse(source, `The gas price "${text}" must be a whole number of wei (0 for zero-gas chains).`);

const confirmations: Parse<number> = (text, source) => {
  if (!/^[0-9]+$/.test(text)) refuse(source, `The confirmations "${text}" must be a whole number.`);
  const n = Number(text);
  return n >= 1 ? n : refuse(source, `The confirmations "${text}" must be at least 1.`);
};

const maxBlockRange: Parse<bigint> = (text, source) =>
  /^[0-9]+$/.test(text) && BigInt(text) > 0n
    ? BigInt(text)
    : refuse(source, `The max block range "${text}" must be a whole number from 1.`);

const address: Parse<Address> = (text, source) =>
  isAddress(text) ? text : refuse(source, `The ledger address "${text}" is not an address.`);

const privateKey: Parse<string> = (text, source) =>
  // The key itself is never printed.
  /^0x[0-9a-fA-F]{64}$/.test(text)
    ? text
    : refuse(source, `${source} must be 0x followed by 64 hex digits (the key itself is never printed).`);

const resolverUrl: Parse<string> = (text, source) => {
  const problem = resolverUrlProblem(text);
  return problem === undefined ? normaliseResolverUrl(text) : refuse(source, problem);
};

const reportUrl: Parse<string> = (text, source) =>
  /^mailto:[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) || /^https?:\/\/[^\s/]+/.test(text)
    ? text
    : refuse(
        source,
        `The report URL "${text}" must be a mailto: address (mailto:fakes@platform.example) or an http(s) page.`,
      );

const host: Parse<string> = (text, source) =>
  /^(localhost|[0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9a-fA-F:]+)$/.test(text)
    ? text
    : refuse(
        source,
        `The host "${text}" must be an IP address to listen on: 127.0.0.1 (this machine) or 0.0.0.0 (the network).`,
      );

const headerName: Parse<string> = (text, source) =>
  /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(text)
    ? text.toLowerCase()
    : refuse(source, `The header name "${text}" is not an HTTP header name, e.g. cf-ipcountry.`);

/** "<n>/<duration>", e.g. "20/1h": at least n scans within the duration (s, m or h). */
const scanBurst: Parse<{ count: number; windowSeconds: number }> = (text, source) => {
  const m = /^(\d+)\s*\/\s*(\d+)\s*([smh])$/.exec(text);
  const count = Number(m?.[1]);
  const windowSeconds = Number(m?.[2]) * ({ s: 1, m: 60, h: 3_600 } as Record<string, number>)[m?.[3] ?? "s"];
  return m && count >= 2 && count <= MAX_BURST_COUNT && windowSeconds > 0
    ? { count, windowSeconds }
    : refuse(
        source,
        `The burst rule "${text}" must be <count>/<duration>, e.g. 20/1h (count 2 to ${MAX_BURST_COUNT}).`,
      );
};

/** "<km>km/<duration>", e.g. "1000km/6h": two countries at least that far apart within the duration. */
const scanFarApart: Parse<{ km: number; windowSeconds: number }> = (text, source) => {
  const m = /^(\d+)\s*km\s*\/\s*(\d+)\s*([smh])$/.exec(text);
  const km = Number(m?.[1]);
  const windowSeconds = Number(m?.[2]) * ({ s: 1, m: 60, h: 3_600 } as Record<string, number>)[m?.[3] ?? "s"];
  return m && km > 0 && windowSeconds > 0
    ? { km, windowSeconds }
    : refuse(source, `The far-apart rule "${text}" must be <km>km/<duration>, e.g. 1000km/6h.`);
};

/** Every `TRACE_*` setting: its variable and its parser. */
export const TRACE_SETTINGS = {
  /** JSON-RPC endpoint of the consortium chain. */
  rpcUrl: setting("TRACE_RPC_URL", httpUrl),
  /** JSON-RPC endpoint of the local node (`npm start`); the CLI falls back to it. */
  localRpcUrl: setting("TRACE_LOCAL_RPC_URL", httpUrl),
  chainId: setting("TRACE_CHAIN_ID", chainId),
  /** Ledger address, instead of the manifest's. */
  ledger: setting("TRACE_LEDGER", address),
  /** Path of a deployment manifest. */
  manifest: setting("TRACE_MANIFEST", asText),
  /** Network name: the manifest is `deployments/<network>.json`. */
  network: setting("TRACE_NETWORK", asText),
  /** The CLI's signing key: hex, or the content of an encrypted JSON keystore. */
  privateKey: setting("TRACE_PRIVATE_KEY", asText),
  /** Password of the CLI's keystore (key file or TRACE_PRIVATE_KEY). */
  keystorePassword: setting("TRACE_KEYSTORE_PASSWORD", asText, true),
  deployerKey: setting("TRACE_DEPLOYER_KEY", privateKey),
  /** Path of the deployer's encrypted JSON keystore. */
  deployerKeystore: setting("TRACE_DEPLOYER_KEYSTORE", asText),
  deployerKeystorePassword: setting("TRACE_DEPLOYER_KEYSTORE_PASSWORD", asText, true),
  /** Fixed gas price in wei (0 for zero-gas chains); makes transactions legacy (type 0). */
  gasPrice: setting("TRACE_GAS_PRICE", gasPrice),
  /** Finality depth: writes wait for it, verify reads at it. */
  confirmations: setting("TRACE_CONFIRMATIONS", confirmations),
  /** Directory of the off-chain record store. */
  recordsDir: setting("TRACE_RECORDS_DIR", asText),
  /** Domain of the Digital Link URIs the CLI prints. */
  domain: setting("TRACE_DL_DOMAIN", asText),
  /** Largest block range of one `eth_getLogs` query. */
  maxBlockRange: setting("TRACE_MAX_BLOCK_RANGE", maxBlockRange),
  /** The JSON-RPC URL the verification page reads the chain from (a public node); default: the platform's /rpc gateway. */
  publicRpcUrl: setting("TRACE_PUBLIC_RPC_URL", httpUrl),
  /** The platform server's own node (bundles, the /rpc gateway); usually internal. */
  serverRpcUrl: setting("TRACE_SERVER_RPC_URL", httpUrl),
  /** The GS1 resolver's public base URL: QR labels print it, the resolver builds its links on it. */
  resolverUrl: setting("TRACE_RESOLVER_URL", resolverUrl),
  /**
   * The platform server members publish their records to (`PUT /records/<hash>.json`) after each write, so
   * buyers' pages can show them. Empty: records stay in the local store only.
   */
  platformUrl: setting("TRACE_PLATFORM_URL", platformUrl),
  // Issue 15 (the buyer page).
  /** Where the verification page's "report this product" link goes: a mailto: address or an https page. */
  reportUrl: setting("TRACE_REPORT_URL", reportUrl),
  /** The address `npm start` serves the page on: 0.0.0.0 lets a phone on the same network open the demo. */
  host: setting("TRACE_HOST", host),
  // Issue 17 (the brand's NFC tap service in the platform server).
  /** The brand's tag-keys file (each NTAG 424 DNA tag's SDM keys by UID); owner-only, or refused. */
  tagKeys: setting("TRACE_TAG_KEYS", asText),
  /** The brand's member key the tap service records verified taps with (`recordSunTap`). */
  tapKey: setting("TRACE_TAP_KEY", privateKey),
  // Issue 17 (first-scan claims, scan counts).
  /** The key the platform relays buyers' claims with (`POST /claims`): it pays the gas and carries no right. */
  relayerKey: setting("TRACE_RELAYER_KEY", privateKey),
  /** The scan counts' own directory (not the index's: an index rebuild drops its tables). */
  scansDir: setting("TRACE_SCANS_DIR", asText),
  /** The header a trusted proxy sets to the client's country (e.g. cf-ipcountry); unset: no regions. */
  scanRegionHeader: setting("TRACE_SCAN_REGION_HEADER", headerName),
  /** The burst rule: "<count>/<duration>" (default 20/1h). */
  scanBurst: setting("TRACE_SCAN_BURST", scanBurst),
  /** The far-apart rule: "<km>km/<duration>" (default 1000km/6h). */
  scanFarApart: setting("TRACE_SCAN_FAR_APART", scanFarApart),
};

export type TraceSettingName = keyof typeof TRACE_SETTINGS;

/** The settings, typed; a setting is undefined when neither its flag nor its variable is set. */
export type TraceEnv = {
  readonly [K in TraceSettingName]: ReturnType<(typeof TRACE_SETTINGS)[K]["parse"]> | undefined;
};

/** Command-line values that win over the environment, with the flag's name for messages. */
export type TraceEnvOverrides = { [K in TraceSettingName]?: { value: string | undefined; flag: string } };

/** One setting: the flag's value when given, else the variable's (trimmed; empty means unset). */
export function readSetting<K extends TraceSettingName>(
  name: K,
  env: NodeJS.ProcessEnv = process.env,
  override?: { value: string | undefined; flag: string },
): TraceEnv[K] {
  const s = TRACE_SETTINGS[name] as Setting<TraceEnv[K]>;
  if (override?.value !== undefined) return s.parse(override.value, override.flag);
  const value = env[s.variable];
  const text = s.raw ? value : value?.trim() || undefined;
  return text === undefined ? undefined : (s.parse(text, s.variable) as TraceEnv[K]);
}

/**
 * The settings of `env`, with `overrides` (command-line flags) winning. Each setting is validated when it is
 * first read, so only the settings a command uses can refuse it.
 */
export function traceEnv(env: NodeJS.ProcessEnv = process.env, overrides: TraceEnvOverrides = {}): TraceEnv {
  const values = new Map<TraceSettingName, unknown>();
  const out = {} as TraceEnv;
  for (const name of Object.keys(TRACE_SETTINGS) as TraceSettingName[]) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => {
        if (!values.has(name)) values.set(name, readSetting(name, env, overrides[name]));
        return values.get(name);
      },
    });
  }
  return out;
}
