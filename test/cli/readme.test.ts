/**
 * The README's seller section works as written: every GS1 code in its commands is valid (check digits
 * included) and none is a unit `npm start` seeds, so each can be registered on a fresh `npm start` chain.
 * (test/start/readmeSeller.ts runs the commands themselves against `npm start`, from test/start/start.test.ts.)
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseGs1 } from "../../src/gs1";
import { DEMO_CODES } from "../../src/demo/journey";
import { PROJECT_ROOT } from "../helpers/localNode";

/** The indented command lines of the README section "With the CLI" under "A seller's first ten minutes". */
export function readmeSellerCommands(): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## A seller's first ten minutes");
  const cli = readme.indexOf("### With the CLI", start);
  const end = readme.indexOf("### With the SDK", cli);
  expect(start, "README section").to.be.greaterThan(-1);
  return readme
    .slice(cli, end)
    .split("\n")
    .filter((l) => l.startsWith("    ") && !l.trim().startsWith("#"))
    .map((l) => l.trim());
}

/** The quoted GS1 codes of a command line (element strings and Digital Link URIs). */
export function quotedCodes(line: string): string[] {
  return [...line.matchAll(/"([^"]+)"/g)].map((m) => m[1]).filter((c) => c.startsWith("(") || c.includes("/01/"));
}

describe("README seller section", () => {
  it("uses only valid GS1 codes, none of them a demo unit of npm start", () => {
    const codes = readmeSellerCommands().flatMap(quotedCodes);
    expect(codes.length).to.be.greaterThan(5);
    const demoKeys = new Set(Object.values(DEMO_CODES).map((c) => parseGs1(c).key));
    for (const code of codes) {
      const key = parseGs1(code).key; // throws on a bad check digit
      expect(demoKeys.has(key), `${code} is a demo unit of npm start`).to.equal(false);
    }
  });
});
