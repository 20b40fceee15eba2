/**
 * Reading a record from the platform with a member key: the request is signed as `src/records/access.ts`
 * defines (EIP-191 over the record hash, the platform's host and the time), so the platform serves a
 * withheld finance document to those entitled to it and says why not to others. Public records are
 * served whatever the signature. Node-only (ethers or any signer with `signMessage`).
 */
import type { Hex } from "viem";
import { TraceError } from "../errors/base";
import { RECORD_READ_HEADERS, recordReadMessage } from "./access";
import { PlatformUnreachableError, platformBase } from "./publish";

/** What signs a read: an ethers `Wallet` / `Signer`, or anything with the same two methods. */
export interface ReadSigner {
  getAddress(): Promise<string>;
  signMessage(message: string): Promise<string>;
}

/** The platform refused a signed read (401: the signature; 403: the signer is not entitled), with its reason. */
export class RecordAccessError extends TraceError {
  override name = "RecordAccessError" as const;
  constructor(
    readonly status: number,
    readonly hash: Hex,
    reason: string,
    hints: string[] = [],
  ) {
    super(`The platform refused record ${hash} (HTTP ${status}): ${reason}`, { hints });
  }
}

export interface SignedReadOptions {
  fetch?: typeof fetch;
  /** Signing time, Unix seconds (default now). */
  signedAt?: number;
}

/**
 * Fetches `/records/<hash>.json` from the platform, signed with `signer`.
 * @returns The record, or undefined when the platform has none under that hash (404).
 * @throws RecordAccessError for 401 / 403 (naming the platform's reason); PlatformUnreachableError when the
 * platform does not answer or answers something else.
 */
export async function readRecordSigned(
  platformUrl: string,
  hash: Hex,
  signer: ReadSigner,
  options: SignedReadOptions = {},
): Promise<unknown | undefined> {
  const base = platformBase(platformUrl);
  const host = new URL(base).host;
  const signedAt = options.signedAt ?? Math.floor(Date.now() / 1000);
  const lower = hash.toLowerCase() as Hex;
  const account = await signer.getAddress();
  const signature = await signer.signMessage(recordReadMessage({ hash: lower, host, signedAt }));
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(`${base}/records/${lower}.json`, {
      headers: {
        [RECORD_READ_HEADERS.account]: account,
        [RECORD_READ_HEADERS.signedAt]: String(signedAt),
        [RECORD_READ_HEADERS.signature]: signature,
      },
    });
  } catch (error) {
    throw new PlatformUnreachableError(`Could not reach the platform at ${base} to read record ${lower}.`, {
      hints: ["Check TRACE_PLATFORM_URL (npm start's platform is http://127.0.0.1:8080)."],
      cause: error,
    });
  }
  const text = await res.text();
  if (res.status === 404) return undefined;
  if (res.status === 401 || res.status === 403) {
    let reason = text;
    try {
      reason = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // Not the platform's JSON: keep the text.
    }
    throw new RecordAccessError(res.status, lower, reason, [
      res.status === 401
        ? "Check this machine's clock (a signed read is good for 5 minutes) and TRACE_PLATFORM_URL's host."
        : "Finance records are for regulators, the document's issuer, the unit's exporter and its payment institution: use the key of one of them (TRACE_PRIVATE_KEY).",
    ]);
  }
  if (!res.ok) {
    throw new PlatformUnreachableError(`The platform at ${base} answered HTTP ${res.status} for record ${lower}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PlatformUnreachableError(`The platform at ${base} served record ${lower} as something else than JSON.`);
  }
}
