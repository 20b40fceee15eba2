/**
 * The platform's authenticity endpoints as the page calls them (issue 17: the claim relay, the SUN tap check,
 * the scan counts). Every answer is the platform's say-so: the page shows what the chain says after a claim
 * or tap, and labels counts as the platform's. A failure (down, 404, 503, not JSON) is an answer too, with a
 * line the page shows quietly; it never breaks the verdict. Browser-safe.
 */
import type { Hex } from "viem";

/** An error body of the platform (`{"error", "message", "zh", ...}`). */
export interface PlatformError {
  error: string;
  message?: string;
  zh?: string;
  [field: string]: unknown;
}

/** What a call came back with: the status and body, or `unreachable` when nothing usable came back. */
export type PlatformAnswer<T> =
  | { ok: true; status: number; body: T }
  /** Status 0 and error "unreachable" when nothing usable came back. */
  | { ok: false; status: number; body: PlatformError };

/** How long the page waits for the platform before it says so (milliseconds). */
export const PLATFORM_TIMEOUT_MS = 8_000;

async function call<T>(path: string, body?: object): Promise<PlatformAnswer<T>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PLATFORM_TIMEOUT_MS);
  try {
    const res = await fetch(path, {
      signal: controller.signal,
      ...(body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json().catch(() => undefined)) as unknown;
    if (!json || typeof json !== "object") return { ok: false, status: 0, body: { error: "unreachable" } };
    if (res.ok) return { ok: true, status: res.status, body: json as T };
    const error = json as PlatformError;
    return typeof error.error === "string"
      ? { ok: false, status: res.status, body: error }
      : { ok: false, status: 0, body: { error: "unreachable" } };
  } catch {
    return { ok: false, status: 0, body: { error: "unreachable" } };
  } finally {
    clearTimeout(timer);
  }
}

/** `POST /claims`'s 200 body. */
export interface ClaimRelayed {
  status: "claimed";
  unit: Hex;
  txHash: Hex;
  blockNumber: string;
  claimedAt: number;
  stage: number;
}

/** Asks the platform to relay the claim of `unit` with the secret of the code in hand. */
export const relayClaim = (unit: Hex, secret: Hex) => call<ClaimRelayed>("/claims", { unit, secret });

/** `POST /taps/sun`'s 200 body. */
export interface TapVerified {
  status: "verified";
  unit: Hex;
  uid: Hex;
  counter: number;
  txHash: Hex;
  blockNumber: string;
}

/** Asks the brand's service to check the SUN message the tag wrote into the tapped URL. */
export const checkSunTap = (unit: Hex, e: string, c: string) => call<TapVerified>("/taps/sun", { unit, e, c });

/** `GET /scans/<unit>`'s body. */
export interface ScanCounts {
  unit: Hex;
  count: number;
  first: string | null;
  last: string | null;
  regions: { region: string; count: number }[];
  suspicious: null | { kind: "burst" | "far-apart"; en: string; zh: string; detail?: string };
  source: "platform";
}

/** The platform's count of verifications of `unit`. */
export const scanCounts = (unit: Hex) => call<ScanCounts>(`/scans/${unit}`);
