/** Whether the browser tests can run: Debian's Chromium, which CI installs and a developer may not have. */
import { existsSync } from "node:fs";
import { CHROMIUM } from "../../scripts/lib/chromium";

/** Whether Chromium is installed; in CI its absence is an error, since `.ci/run` installs it. */
export function chromiumInstalled(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") throw new Error(`${CHROMIUM} is missing: .ci/run must apt-get install chromium.`);
  return false;
}

/** In a `before` hook: skips the suite, saying why, where Chromium is not installed (never in CI). */
export function requireChromium(ctx: Mocha.Context): void {
  if (chromiumInstalled()) return;
  console.warn(`    (skipped: ${CHROMIUM} not installed — apt-get install -y chromium)`);
  ctx.skip();
}
