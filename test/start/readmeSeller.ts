/**
 * The README's seller section ("A seller's first ten minutes", "With the CLI") run literally against a
 * running `npm start`: every command line is taken from the README itself, so the README cannot drift from
 * what works. `cp` runs as written in a fresh folder holding the checkout's `.env.example`; `export` lines
 * take the value `npm start` printed; `npx trace …` runs the CLI with the flags `npm start` printed for its
 * ports; `rows.csv` is written from the example rows the README gives next to the import command.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { readFileSync } from "node:fs";
import { PROJECT_ROOT, runTrace, type TraceRun } from "../helpers/localNode";

/** The README section's indented lines, comments kept (the import rows live in them). */
function sectionLines(): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## A seller's first ten minutes");
  const cli = readme.indexOf("### With the CLI", start);
  const end = readme.indexOf("### With the SDK", cli);
  expect(start, "README seller section").to.be.greaterThan(-1);
  return readme
    .slice(cli, end)
    .split("\n")
    .filter((l) => l.startsWith("    "))
    .map((l) => l.trim());
}

/** A command line without its trailing `# comment`. */
const withoutComment = (line: string) => line.replace(/\s+#.*$/, "").trim();

/** Splits a command line into words as a POSIX shell would for these lines (double quotes, no escapes). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2]);
  return words;
}

/** The rows.csv the README describes next to `trace import rows.csv`: its header and its example rows. */
function importRows(lines: string[]): string {
  const at = lines.findIndex((l) => l.startsWith("npx trace import rows.csv"));
  expect(at, "README import command").to.be.greaterThan(-1);
  const header = /#\s*(\S+)$/.exec(lines[at])![1];
  const rows: string[] = [];
  for (let i = at + 1; i < lines.length && lines[i].startsWith("#"); i++) {
    for (const m of lines[i].matchAll(/"((?:register|record),[^"]*)"/g)) rows.push(m[1]);
  }
  expect(rows.length, "README example import rows").to.be.greaterThan(0);
  return [header, ...rows].join("\n") + "\n";
}

export interface SellerRun {
  line: string;
  run: TraceRun;
}

/**
 * Runs the section against `npm start`'s printed output and returns each CLI command with its result.
 * @param started `npm start`'s output (the CLI line, the exporter key, TRACE_PLATFORM_URL on custom ports).
 */
export async function runReadmeSellerSection(started: string): Promise<{ runs: SellerRun[]; cwd: string }> {
  const cliLine = /CLI against this chain: {2}npx trace (.*) verify --platform /.exec(started);
  expect(cliLine, started).not.to.equal(null);
  const global = cliLine![1].split(" ");
  const printed = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(started)?.[1];
  const cwd = mkdtempSync(join(tmpdir(), "cbec-readme-seller-"));
  copyFileSync(join(PROJECT_ROOT, ".env.example"), join(cwd, ".env.example"));
  const lines = sectionLines();
  writeFileSync(join(cwd, "rows.csv"), importRows(lines));
  const env: Record<string, string> = {};
  const runs: SellerRun[] = [];
  for (const raw of lines.filter((l) => !l.startsWith("#"))) {
    const line = withoutComment(raw);
    const words = shellWords(line);
    if (words[0] === "cp") {
      execFileSync("cp", words.slice(1), { cwd });
    } else if (words[0] === "export") {
      const [name] = words[1].split("=");
      const value = printed(name);
      expect(value, `npm start prints ${name}`).to.not.equal(undefined);
      env[name] = value!;
      // On custom ports npm start also names its platform; the .env copied above names the default port.
      const platform = printed("TRACE_PLATFORM_URL");
      if (platform) env.TRACE_PLATFORM_URL = platform;
    } else if (words[0] === "npx" && words[1] === "trace") {
      runs.push({ line, run: await runTrace([...global, ...words.slice(2)], { cwd, env }) });
    } else {
      throw new Error(`README seller section: a command this test does not know how to run: ${line}`);
    }
  }
  return { runs, cwd };
}
