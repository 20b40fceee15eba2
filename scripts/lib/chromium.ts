/**
 * Debian's Chromium for the browser tests and the page benchmark (never a downloaded browser), launched
 * with the flags that keep it quiet and offline.
 */
import type { Browser } from "playwright-core";

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Launches headless Chromium from {@link CHROMIUM}; `extraArgs` add flags (e.g. a fake camera for the scanner test). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}
