/**
 * Fetching a unit's proof bundle from a platform server (`GET /bundle?code=`). The bundle is untrusted and
 * optional: any failure (server down, not JSON, too slow) gives no bundle, and the verification reads the
 * chain without one. Browser-safe.
 */
import type { ProofBundle } from "./types";

/** How long the platform may take before verification goes on without it (milliseconds). */
export const BUNDLE_TIMEOUT_MS = 5_000;

/** The platform's bundle for `code`, or undefined when there is none to be had. */
export async function fetchBundle(
  platformUrl: string,
  code: string,
  options: { timeoutMs?: number; fetchFn?: typeof fetch } = {},
): Promise<ProofBundle | undefined> {
  const url = `${platformUrl.replace(/\/$/, "")}/bundle?code=${encodeURIComponent(code)}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? BUNDLE_TIMEOUT_MS);
  try {
    const response = await (options.fetchFn ?? fetch)(url, { signal: controller.signal });
    if (!response.ok) return undefined;
    return (await response.json()) as ProofBundle;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
