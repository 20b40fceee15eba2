/**
 * The claim relay's rate limits (issue 17). A wrong code costs the platform no gas (it is checked off chain),
 * but each attempt costs a chain read: attempts are limited per unit (a buyer who mistypes retries a few times;
 * a bot spraying codes at one unit is stopped) and overall, and the transactions the relayer sends are limited
 * overall, so even a stock of leaked codes cannot make the platform spend gas faster than that. Fixed windows,
 * in memory; the per-unit table is bounded (when it is full of live entries, requests for new units wait).
 * Node-only.
 */

export interface ClaimLimits {
  /** Attempts per unit per window (default 10 per hour). */
  perUnit: { attempts: number; windowSeconds: number };
  /** Requests of all units per window (default 600 per minute). */
  requests: { count: number; windowSeconds: number };
  /** Claim transactions sent per window (default 60 per minute). */
  transactions: { count: number; windowSeconds: number };
  /** Units tracked at once (default 100,000). */
  maxTrackedUnits: number;
}

export const DEFAULT_CLAIM_LIMITS: ClaimLimits = {
  perUnit: { attempts: 10, windowSeconds: 3_600 },
  requests: { count: 600, windowSeconds: 60 },
  transactions: { count: 60, windowSeconds: 60 },
  maxTrackedUnits: 100_000,
};

interface Window {
  start: number;
  used: number;
}

/** The outcome of asking for one more: allowed, or the seconds until the window opens again. */
export type Admission = { ok: true } | { ok: false; retryAfter: number; scope: "unit" | "all" | "transactions" };

export class ClaimRateLimiter {
  private readonly units = new Map<string, Window>();
  private readonly all: Window = { start: 0, used: 0 };
  private readonly sent: Window = { start: 0, used: 0 };

  constructor(
    private readonly limits: ClaimLimits = DEFAULT_CLAIM_LIMITS,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** Takes one attempt for `unit` (and one of the overall requests). */
  attempt(unit: string): Admission {
    const t = this.now();
    const overall = take(this.all, this.limits.requests.count, this.limits.requests.windowSeconds, t);
    if (overall !== undefined) return { ok: false, retryAfter: overall, scope: "all" };
    let w = this.units.get(unit);
    if (!w) {
      if (this.units.size >= this.limits.maxTrackedUnits) this.sweep(t);
      if (this.units.size >= this.limits.maxTrackedUnits) {
        return { ok: false, retryAfter: this.limits.perUnit.windowSeconds, scope: "all" };
      }
      w = { start: t, used: 0 };
      this.units.set(unit, w);
    }
    const wait = take(w, this.limits.perUnit.attempts, this.limits.perUnit.windowSeconds, t);
    return wait === undefined ? { ok: true } : { ok: false, retryAfter: wait, scope: "unit" };
  }

  /** Takes one transaction of the overall budget. */
  transaction(): Admission {
    const t = this.now();
    const wait = take(this.sent, this.limits.transactions.count, this.limits.transactions.windowSeconds, t);
    return wait === undefined ? { ok: true } : { ok: false, retryAfter: wait, scope: "transactions" };
  }

  private sweep(t: number) {
    for (const [unit, w] of this.units) if (t - w.start >= this.limits.perUnit.windowSeconds) this.units.delete(unit);
  }
}

/** Uses one of `limit` in the window; undefined when allowed, else the whole seconds until it reopens. */
function take(w: Window, limit: number, windowSeconds: number, t: number): number | undefined {
  if (t - w.start >= windowSeconds) {
    w.start = t;
    w.used = 0;
  }
  if (w.used >= limit) return Math.max(1, Math.ceil(w.start + windowSeconds - t));
  w.used++;
  return undefined;
}
