/**
 * The package as its users get it: each `exports` subpath required from a plain Node process (no ts-node,
 * compiled JavaScript from dist/ only), imported from ES modules, and `cbec-trace/gs1` + `cbec-trace/read`
 * bundled for browsers by esbuild without any Node builtin. dist/ is built by `hardhat compile` (the test
 * runner compiles first); see scripts/build-sdk.ts.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { builtinModules } from "node:module";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { parseGs1 } from "../../src/gs1";
import { PROJECT_ROOT } from "../helpers/localNode";

const CODE = "(01)09521234543213(10)LOT7(21)0001";
const KEY = parseGs1(CODE).key;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Plain `node` in the project root: the environment without anything that could load ts-node. */
function node(args: string[], cwd = PROJECT_ROOT): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TS_NODE_") && k !== "NODE_OPTIONS") env[k] = v;
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs a CommonJS script in a plain node; it prints one JSON value. */
async function cjs(script: string): Promise<unknown> {
  const run = await node(["-e", `const out = (() => { ${script} })(); console.log(JSON.stringify(out));`]);
  expect(run.code, run.stderr).to.equal(0);
  return JSON.parse(run.stdout);
}

describe("the cbec-trace package", function () {
  this.timeout(120_000);

  it("declares its subpaths, no side effects and ships dist/", () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
    expect(Object.keys(pkg.exports)).to.deep.equal([
      ".",
      "./gs1",
      "./epcis",
      "./read",
      "./verify",
      "./write",
      "./records",
      "./admin",
      "./bundle",
      "./authenticity",
      "./package.json",
    ]);
    expect(pkg.sideEffects).to.equal(false);
    for (const [path, target] of Object.entries(pkg.exports)) {
      if (path === "./package.json") continue;
      expect((target as { default: string }).default, path).to.match(/^\.\/dist\/src\/.*index\.js$/);
    }
  });

  it("every subpath loads in plain node, without ts-node, from dist/ alone", async () => {
    const out = (await cjs(`
      const m = {
        root: require("cbec-trace"),
        gs1: require("cbec-trace/gs1"),
        epcis: require("cbec-trace/epcis"),
        read: require("cbec-trace/read"),
        verify: require("cbec-trace/verify"),
        write: require("cbec-trace/write"),
        records: require("cbec-trace/records"),
        admin: require("cbec-trace/admin"),
        bundle: require("cbec-trace/bundle"),
        authenticity: require("cbec-trace/authenticity"),
      };
      return {
        tsNode: require.extensions[".ts"] !== undefined,
        key: m.gs1.parseGs1(${JSON.stringify(CODE)}).key,
        rootKey: m.root.parseGs1(${JSON.stringify(CODE)}).key,
        types: {
          rootWriter: typeof m.root.TraceWriter,
          objectEvent: typeof m.epcis.objectEvent,
          recordHash: typeof m.epcis.recordHash,
          createTraceReader: typeof m.read.createTraceReader,
          readHistory: typeof m.read.readHistory,
          verifyUnit: typeof m.verify.verifyUnit,
          TraceWriter: typeof m.write.TraceWriter,
          signTraceBatch: typeof m.write.signTraceBatch,
          recordObjectEvent: typeof m.records.recordObjectEvent,
          parseConsortiumFile: typeof m.admin.parseConsortiumFile,
          verifyWithBundle: typeof m.bundle.verifyWithBundle,
          verifySunMessage: typeof m.authenticity.verifySunMessage,
        },
        version: require("cbec-trace/package.json").version,
        loaded: Object.keys(require.cache),
      };
    `)) as { tsNode: boolean; key: string; rootKey: string; types: object; version: string; loaded: string[] };
    expect(out.tsNode, "ts-node was loaded").to.equal(false);
    expect(out.key).to.equal(KEY);
    expect(out.rootKey).to.equal(KEY);
    expect(out.types).to.deep.equal({
      rootWriter: "function",
      objectEvent: "function",
      recordHash: "function",
      createTraceReader: "function",
      readHistory: "function",
      verifyUnit: "function",
      TraceWriter: "function",
      signTraceBatch: "function",
      recordObjectEvent: "function",
      parseConsortiumFile: "function",
      verifyWithBundle: "function",
      verifySunMessage: "function",
    });
    expect(out.version).to.match(/^\d+\.\d+\.\d+/);
    // Self-contained: the generated contract types and ABI come from dist/ too, nothing from the sources.
    const ours = out.loaded
      .map((file) => relative(PROJECT_ROOT, file))
      .filter((file) => !file.startsWith(`node_modules${sep}`) && !file.startsWith("..") && file !== "package.json");
    expect(ours.filter((file) => !file.startsWith(`dist${sep}`))).to.deep.equal([]);
    expect(ours).to.include(join("dist", "typechain-types", "index.js"));
    expect(ours).to.include(join("dist", "src", "generated", "abi.js"));
  });

  it("loads from ES modules too (named imports of the CommonJS build)", async () => {
    const run = await node([
      "--input-type=module",
      "-e",
      `import { parseGs1 } from "cbec-trace/gs1";
       import { verifyUnit } from "cbec-trace/verify";
       import { createTraceReader, TraceWriter } from "cbec-trace";
       console.log(JSON.stringify([parseGs1(${JSON.stringify(CODE)}).key, typeof verifyUnit,
         typeof createTraceReader, typeof TraceWriter]));`,
    ]);
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.equal([KEY, "function", "function", "function"]);
  });

  it("cbec-trace/gs1 and cbec-trace/read bundle for the browser without Node builtins", async () => {
    const result = await build({
      stdin: {
        contents: `export { parseGs1 } from "cbec-trace/gs1"; export { createTraceReader } from "cbec-trace/read";`,
        resolveDir: PROJECT_ROOT,
        loader: "js",
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect(inputs.filter((input) => builtins.has(input) || input.startsWith("node:"))).to.deep.equal([]);
    expect(inputs.filter((input) => input.startsWith("src/") || input.startsWith("typechain-types/"))).to.deep.equal(
      [],
    );
    expect(inputs).to.include("dist/src/gs1/index.js");
    const text = result.outputFiles[0].text;
    expect(text).to.not.match(/require\(["'](node:)?(fs|path|child_process|net|os|crypto|http)["']\)/);

    // And the bundle works: load it as a module (in a child: this file is compiled to CommonJS) and derive a key.
    const dir = mkdtempSync(join(tmpdir(), "cbec-trace-bundle-"));
    const file = join(dir, "bundle.mjs");
    writeFileSync(file, text);
    const url = JSON.stringify(pathToFileURL(file).href);
    const run = await node(
      [
        "--input-type=module",
        "-e",
        `import { parseGs1 } from ${url}; console.log(parseGs1(${JSON.stringify(CODE)}).key);`,
      ],
      dir,
    );
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout.trim()).to.equal(KEY);
  });

  it("bin/trace.js without a build says to run npm run build", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cbec-trace-nobuild-"));
    mkdirSync(join(dir, "bin"));
    copyFileSync(join(PROJECT_ROOT, "bin", "trace.js"), join(dir, "bin", "trace.js"));
    const run = await node([join(dir, "bin", "trace.js"), "--help"], dir);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("the compiled CLI is missing");
    expect(run.stderr).to.contain("npm run build");
  });
});
