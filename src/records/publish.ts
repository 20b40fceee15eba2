/**
 * Publishing records to the platform: after a member's write is confirmed, its records are uploaded to the
 * platform server's store (`PUT /records/<hash>.json`), which keeps each only if its hash is on chain — so a
 * buyer's page can show them. A record the platform has not taken stays in the member's own store and is
 * listed, so nothing is lost: `trace records publish` sends the store again. Node-only.
 */
import type { Hex } from "viem";
import { TraceError } from "../errors/base";

/** A record to publish: its hash and content (as stored). */
export interface RecordToPublish {
  hash: Hex;
  record: object;
  /** Keys of the units whose entries hold the hash, when known: the platform looks there first. */
  units?: Hex[];
}

/** What publishing did. */
export interface PublishReport {
  /** The platform's store URL the records went to. */
  platform: string;
  /** Newly stored. */
  stored: Hex[];
  /** Already in the platform's store. */
  present: Hex[];
  /** Refused, with the platform's reason (e.g. not on chain after the wait). */
  refused: { hash: Hex; status: number; reason: string }[];
}

export interface PublishOptions {
  /** How long a record the platform cannot find on chain yet is retried (default 15 s). */
  waitMs?: number;
  /** Pause between retries (default 500 ms). */
  retryEveryMs?: number;
  fetch?: typeof fetch;
}

/** The platform could not be reached, or answered with something that is not the record API. */
export class PlatformUnreachableError extends TraceError {
  override name = "PlatformUnreachableError" as const;
}

/** The platform URL setting is not an http(s) URL. */
export class PlatformUrlError extends TraceError {
  override name = "PlatformUrlError" as const;
}

/** The platform's base URL, checked: `http(s)://host[:port][/path]`, without a trailing slash. */
export function platformBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PlatformUrlError(`TRACE_PLATFORM_URL "${url}" is not a URL`, {
      hints: ["Set it to the platform server's address, e.g. http://127.0.0.1:8080 for npm start's."],
    });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new PlatformUrlError(`TRACE_PLATFORM_URL "${url}" is not an http(s) URL`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Uploads records to the platform. Records the platform cannot find on chain yet (409: its node or index has
 * not seen the write) are retried together until `waitMs`; other refusals are reported, not thrown.
 * @throws PlatformUnreachableError when the platform does not answer, or is not a cbec-trace platform.
 */
export async function publishRecords(
  platformUrl: string,
  records: Iterable<RecordToPublish>,
  options: PublishOptions = {},
): Promise<PublishReport> {
  const base = platformBase(platformUrl);
  const doFetch = options.fetch ?? fetch;
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  const every = options.retryEveryMs ?? 500;
  const report: PublishReport = { platform: `${base}/records/`, stored: [], present: [], refused: [] };
  let pending = [...records];
  for (;;) {
    const notYet: { record: RecordToPublish; reason: string }[] = [];
    for (const record of pending) {
      const answer = await upload(doFetch, base, record);
      if (answer.status === 201) report.stored.push(record.hash);
      else if (answer.status === 200) report.present.push(record.hash);
      else if (answer.status === 409) notYet.push({ record, reason: answer.reason });
      else report.refused.push({ hash: record.hash, status: answer.status, reason: answer.reason });
    }
    if (notYet.length === 0) break;
    if (Date.now() + every >= deadline) {
      for (const { record, reason } of notYet) report.refused.push({ hash: record.hash, status: 409, reason });
      break;
    }
    await sleep(every);
    pending = notYet.map((n) => n.record);
  }
  return report;
}

/** One PUT; the platform's status and reason. */
async function upload(
  doFetch: typeof fetch,
  base: string,
  { hash, record, units }: RecordToPublish,
): Promise<{ status: number; reason: string }> {
  const query = units?.length ? `?unit=${units.map((u) => u.toLowerCase()).join(",")}` : "";
  let res: Response;
  try {
    res = await doFetch(`${base}/records/${hash.toLowerCase()}.json${query}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(record),
    });
  } catch (error) {
    throw new PlatformUnreachableError(`Could not reach the platform at ${base} to publish records.`, {
      hints: [
        "The records are kept in the local record store; run `trace records publish` when the platform is up.",
        "Check TRACE_PLATFORM_URL (npm start's platform is http://127.0.0.1:8080).",
      ],
      cause: error,
    });
  }
  const text = await res.text();
  let reason = text;
  try {
    reason = (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    // Not the platform's JSON: keep the text.
  }
  if (res.status === 404 || res.status === 405) {
    throw new PlatformUnreachableError(`${base} does not take record uploads (HTTP ${res.status}: ${reason}).`, {
      hints: ["TRACE_PLATFORM_URL must name a cbec-trace platform server (npm start's is http://127.0.0.1:8080)."],
    });
  }
  return { status: res.status, reason };
}
