/**
 * Deployment to a real JSON-RPC node (`hardhat node` on a free port, started and stopped by this file):
 * through a network entry created at runtime and through `scripts/deploy.ts` in a child process —
 * re-deploy is a no-op, a deployment killed half-way resumes without deploying twice, a wrong chain id and
 * an unreachable RPC are refused before anything is sent, a fixed gas price sends legacy transactions, and a
 * reset local chain is reported and reset on request.
 */
import { expect } from "chai";
import hre from "hardhat";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCreateAddress, JsonRpcProvider, Network, Wallet } from "ethers";
import type { HttpNetworkConfig } from "hardhat/types";
import { createProvider } from "hardhat/internal/core/providers/construction";
import { parseManifest } from "../../src/config/manifest";
import { roleMask, STEPS } from "../../src/codes";
import { deployTraceLedger } from "../../deploy/lib/deployLedger";
import { DeployError } from "../../deploy/lib/errors";
import type { DeployHre } from "../../deploy/lib/hre";
import { MODULE_ID } from "../../deploy/modules/TraceLedger";
import { TraceLedger__factory } from "../../typechain-types";
import { freePort, hardhatKey, PROJECT_ROOT, startLocalNode, type LocalNode } from "../helpers/localNode";

const OVERRIDES = { HOLD: ["CUSTOMS", "MARKET_REGULATOR"], COMMISSIONING: ["EXPORTER"] };
const PARAMS = { [MODULE_ID]: { adminTransferDelay: 600, permissions: OVERRIDES } };

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}
interface Run {
  child: ChildProcess;
  done: Promise<RunResult>;
  output(): string;
}

/** Children still running (killed in `after`, also when a test failed). */
const children = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Gone already.
  }
}

/** Runs `scripts/deploy.ts` as `npm run deploy` does (ts-node, transpile only) in its own process group. */
function runDeploy(args: string[], env: NodeJS.ProcessEnv = {}, command: "ts-node" | "npm" = "ts-node"): Run {
  const base = { ...process.env };
  delete base.HARDHAT_NETWORK;
  delete base.TRACE_CONFIRMATIONS;
  const [cmd, cmdArgs] =
    command === "npm"
      ? ["npm", ["run", "--silent", "deploy", "--", ...args]]
      : [
          process.execPath,
          [
            join(PROJECT_ROOT, "node_modules", "ts-node", "dist", "bin.js"),
            "--transpile-only",
            "scripts/deploy.ts",
            ...args,
          ],
        ];
  const child = spawn(cmd as string, cmdArgs as string[], {
    cwd: PROJECT_ROOT,
    env: { ...base, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child.pid!);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<RunResult>((resolve) =>
    child.on("close", (code, signal) => {
      children.delete(child.pid!);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done, output: () => `stdout:\n${stdout}\nstderr:\n${stderr}` };
}

describe("deploy: a node started by the test", function () {
  let node: LocalNode;
  let tmp: string;
  let n = 0;
  const dirs = () => {
    const base = join(tmp, `run-${++n}`);
    return { manifestDir: join(base, "manifests"), journalDir: join(base, "journal") };
  };

  async function rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const response = await fetch(node.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  }
  const nonce = async (address: string, tag = "latest") =>
    Number(await rpc<string>("eth_getTransactionCount", [address, tag]));
  const deployer = async () => (await rpc<string[]>("eth_accounts"))[0];

  /** A network entry pointing at the node, created at runtime (as hardhat.config.ts would). */
  async function nodeNetwork(name: string, overrides: Partial<HttpNetworkConfig> = {}): Promise<DeployHre> {
    const config = {
      url: node.rpcUrl,
      timeout: 20_000,
      httpHeaders: {},
      accounts: "remote",
      gas: "auto",
      gasPrice: "auto",
      gasMultiplier: 1,
      ignition: {},
      ...overrides,
    } as HttpNetworkConfig;
    hre.config.networks[name] = config;
    const provider = await createProvider(hre.config, name, hre.artifacts);
    return {
      config: hre.config,
      artifacts: hre.artifacts,
      network: { name, config, provider },
    } as unknown as DeployHre;
  }

  async function ledgerAt(address: string) {
    const provider = new JsonRpcProvider(node.rpcUrl, Network.from(31337), { staticNetwork: true });
    return { ledger: TraceLedger__factory.connect(address, provider), provider };
  }

  /** Polls until `check` holds; fails early when the child exits. */
  async function waitFor(what: string, check: () => Promise<boolean>, run: Run, timeoutMs = 90_000): Promise<void> {
    let exited = false;
    void run.done.then(() => (exited = true));
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (exited) throw new Error(`the deploy exited before ${what}\n${run.output()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${run.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const sends = (journalDir: string) => {
    const file = join(journalDir, "journal.jsonl");
    return existsSync(file) ? readFileSync(file, "utf8").split('"type":"TRANSACTION_SEND"').length - 1 : 0;
  };

  before(async function () {
    this.timeout(120_000);
    tmp = mkdtempSync(join(tmpdir(), "cbec-trace-deploy-node-"));
    node = await startLocalNode();
  });

  after(async () => {
    for (const pid of children) killGroup(pid, "SIGKILL");
    await node?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("deploys through a network pointing at the node; deploying again is a no-op", async () => {
    const net = await nodeNetwork("testnode");
    const from = await deployer();
    const start = await nonce(from);
    const d = dirs();
    const first = await deployTraceLedger(net, { ...d, parameters: PARAMS });
    expect(first.transactionsSent).to.have.length(2);
    expect(first.manifest.ledger.address).to.equal(getCreateAddress({ from, nonce: start }));
    expect(first.journalDir).to.equal(d.journalDir);
    const manifest = parseManifest(JSON.parse(readFileSync(first.manifestPath, "utf8")));
    expect(manifest).to.deep.equal(first.manifest);
    expect(manifest).to.include({ network: "testnode", chainId: 31337 });

    const { ledger, provider } = await ledgerAt(manifest.ledger.address);
    try {
      expect(await ledger.version()).to.equal(manifest.ledger.version);
      expect(await ledger.defaultAdminDelay()).to.equal(600n);
      expect(await ledger.allowedRoles(STEPS.HOLD)).to.equal(roleMask("CUSTOMS", "MARKET_REGULATOR"));
      const receipt = await provider.getTransactionReceipt(manifest.ledger.transactionHash!);
      expect(receipt?.blockNumber).to.equal(manifest.ledger.deploymentBlock);
    } finally {
      provider.destroy();
    }

    const again = await deployTraceLedger(net, { ...d, parameters: PARAMS });
    expect(again.manifest.ledger.address).to.equal(first.manifest.ledger.address);
    expect(again.transactionsSent).to.deep.equal([]);
    expect(again.manifestWritten).to.equal(false);
    expect(await nonce(from)).to.equal(start + 2);
  });

  it("refuses a wrong chain id before anything is sent", async () => {
    const key = hardhatKey(7);
    const address = new Wallet(key).address;
    const before = await nonce(address, "pending");
    const net = await nodeNetwork("wrongchain", { chainId: 999, accounts: [key] });
    const d = dirs();
    let error: unknown;
    try {
      await deployTraceLedger(net, { ...d, parameters: PARAMS });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DeployError);
    expect((error as DeployError).code).to.equal("WRONG_CHAIN");
    expect((error as Error).message).to.contain(
      `wrong chain id: endpoint ${node.rpcUrl} serves 31337, config says 999`,
    );
    expect(await nonce(address, "pending")).to.equal(before);
    expect(existsSync(d.journalDir)).to.equal(false);
    expect(existsSync(d.manifestDir)).to.equal(false);
  });

  it("gives a clear error for an unreachable RPC", async () => {
    const port = await freePort(); // nobody listens there
    const url = `http://127.0.0.1:${port}`;
    const net = await nodeNetwork("down", { url, chainId: 31337 });
    let error: unknown;
    try {
      await deployTraceLedger(net, { ...dirs(), parameters: PARAMS });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DeployError);
    expect((error as DeployError).code).to.equal("UNREACHABLE");
    expect((error as Error).message).to.contain(`cannot reach ${url}`);
    expect((error as Error).message).to.match(/ECONNREFUSED/);
  });

  it("sends legacy (type 0) transactions at the configured gas price", async () => {
    const key = hardhatKey(8);
    const net = await nodeNetwork("legacy", { chainId: 31337, accounts: [key], gasPrice: 2_000_000_000 });
    const out = await deployTraceLedger(net, { ...dirs(), parameters: PARAMS });
    expect(out.transactionsSent).to.have.length(2);
    for (const hash of out.transactionsSent) {
      const tx = await rpc<{ type: string; gasPrice: string; from: string }>("eth_getTransactionByHash", [hash]);
      expect(tx.type, hash).to.equal("0x0");
      expect(BigInt(tx.gasPrice)).to.equal(2_000_000_000n);
      expect(tx.from).to.equal(new Wallet(key).address.toLowerCase());
    }
  });

  describe("an interrupted deployment resumes", () => {
    /**
     * Runs the deploy script with mining paused, kills it (SIGKILL) once it has sent `killAfterSends`
     * transactions, mines what it sent, then deploys again. The contract must not be deployed twice and
     * the permission overrides must end up applied.
     */
    async function interrupted(killAfterSends: number) {
      const from = await deployer();
      const start = await nonce(from);
      const d = dirs();
      const paramsFile = join(tmp, `params-${n}.json`);
      writeFileSync(paramsFile, JSON.stringify(PARAMS));
      await rpc("evm_setAutomine", [false]);
      try {
        const run = runDeploy(
          [
            "--network",
            "localhost",
            "--parameters",
            paramsFile,
            "--confirmations",
            "1",
            "--journal-dir",
            d.journalDir,
            "--manifest-dir",
            d.manifestDir,
          ],
          { TRACE_LOCAL_RPC_URL: node.rpcUrl },
        );
        for (let i = 1; i <= killAfterSends; i++) {
          await waitFor(
            `transaction ${i} to be sent and journaled`,
            async () => sends(d.journalDir) >= i && (await nonce(from, "pending")) >= start + i,
            run,
          );
          if (i < killAfterSends) await rpc("evm_mine"); // let this one confirm, wait for the next
        }
        killGroup(run.child.pid!, "SIGKILL");
        const result = await run.done;
        expect(result.signal, run.output()).to.equal("SIGKILL");
        expect(existsSync(join(d.manifestDir, "localhost.json"))).to.equal(false);
        await rpc("evm_mine"); // the transaction the killed run left pending
      } finally {
        await rpc("evm_setAutomine", [true]);
      }
      const address = getCreateAddress({ from, nonce: start });
      expect(await rpc("eth_getCode", [address, "latest"])).to.not.equal("0x");
      expect(await nonce(from)).to.equal(start + killAfterSends);

      const net = await nodeNetwork(`resume${killAfterSends}`);
      const out = await deployTraceLedger(net, { network: "localhost", ...d, parametersFile: paramsFile });
      expect(out.manifest.ledger.address).to.equal(address);
      expect(out.transactionsSent).to.have.length(2 - killAfterSends);
      expect(await nonce(from)).to.equal(start + 2); // one deployment, one setPermissions: nothing twice
      const { ledger, provider } = await ledgerAt(address);
      try {
        expect(await ledger.allowedRoles(STEPS.HOLD)).to.equal(roleMask("CUSTOMS", "MARKET_REGULATOR"));
        expect(await ledger.allowedRoles(STEPS.COMMISSIONING)).to.equal(roleMask("EXPORTER"));
      } finally {
        provider.destroy();
      }
      const again = await deployTraceLedger(net, { network: "localhost", ...d, parametersFile: paramsFile });
      expect(again.transactionsSent).to.deep.equal([]);
    }

    it("killed while the contract deployment was pending: the permissions call follows, no second contract", async () => {
      await interrupted(1);
    });

    it("killed while the setPermissions call was pending: nothing is sent again", async () => {
      await interrupted(2);
    });
  });

  describe("npm run deploy", () => {
    it("prints the manifest path and the address; a second run sends nothing", async () => {
      const d = dirs();
      const args = ["--network", "localhost", "--manifest-dir", d.manifestDir, "--journal-dir", d.journalDir];
      const env = { TRACE_LOCAL_RPC_URL: node.rpcUrl };
      const first = await runDeploy(args, env, "npm").done;
      expect(first.code, first.stderr).to.equal(0);
      const manifestPath = join(d.manifestDir, "localhost.json");
      const manifest = parseManifest(JSON.parse(readFileSync(manifestPath, "utf8")));
      expect(first.stdout).to.contain(`Address:  ${manifest.ledger.address}`);
      expect(first.stdout).to.contain(`Manifest: ${manifestPath}`);
      expect(first.stdout).to.match(
        /Deployed TraceLedger 2\.2\.0 on localhost \(chain 31337\), 1 transaction\(s\) sent/,
      );

      const second = await runDeploy(args, env).done;
      expect(second.code, second.stderr).to.equal(0);
      expect(second.stdout).to.match(/already deployed on localhost \(chain 31337\); nothing was sent/);
      expect(second.stdout).to.contain(`Manifest: ${manifestPath} (unchanged)`);
    });

    it("prints the error and a hint and exits non-zero: bad parameters, unreachable node, wrong chain id", async () => {
      const d = dirs();
      const bad = join(tmp, "bad-params.json");
      writeFileSync(bad, JSON.stringify({ [MODULE_ID]: { adminTransferDelay: -1 } }));
      const common = ["--manifest-dir", d.manifestDir, "--journal-dir", d.journalDir];

      const refused = await runDeploy(["--network", "localhost", "--parameters", bad, ...common], {
        TRACE_LOCAL_RPC_URL: node.rpcUrl,
      }).done;
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.match(/"adminTransferDelay" must not be negative/);
      expect(refused.stderr).to.match(/^- The file looks like/m);
      expect(refused.stderr).to.not.match(/\n\s+at /); // no stack trace

      const url = `http://127.0.0.1:${await freePort()}`;
      const down = await runDeploy(["--network", "localhost", ...common], { TRACE_LOCAL_RPC_URL: url }).done;
      expect(down.code).to.equal(1);
      expect(down.stderr).to.contain(`cannot reach ${url}`);
      expect(down.stderr).to.match(/^- Start the local node first/m);

      const key = hardhatKey(9);
      const before = await nonce(new Wallet(key).address, "pending");
      const wrong = await runDeploy(
        [
          "--network",
          "consortium",
          "--parameters",
          join(PROJECT_ROOT, "deploy", "parameters", "localhost.json"),
          ...common,
        ],
        {
          TRACE_RPC_URL: node.rpcUrl,
          TRACE_CHAIN_ID: "4242",
          TRACE_DEPLOYER_KEY: key,
          TRACE_GAS_PRICE: "0",
        },
      ).done;
      expect(wrong.code).to.equal(1);
      expect(wrong.stderr).to.contain(`wrong chain id: endpoint ${node.rpcUrl} serves 31337, config says 4242`);
      expect(wrong.stderr).to.match(/^- Check that TRACE_RPC_URL/m);
      expect(await nonce(new Wallet(key).address, "pending")).to.equal(before);
      expect(existsSync(d.journalDir)).to.equal(false);

      const usage = await runDeploy(["--network", "hardhat"]).done;
      expect(usage.code).to.equal(2);
      expect(usage.stderr).to.match(/use --network localhost/);
    });

    // Last: it resets the node's chain.
    it("reports a reset local chain and redeploys with --reset", async () => {
      const d = dirs();
      const args = ["--network", "localhost", "--manifest-dir", d.manifestDir, "--journal-dir", d.journalDir];
      const env = { TRACE_LOCAL_RPC_URL: node.rpcUrl };
      const first = await runDeploy(args, env).done;
      expect(first.code, first.stderr).to.equal(0);
      const old = parseManifest(JSON.parse(readFileSync(join(d.manifestDir, "localhost.json"), "utf8")));

      await rpc("hardhat_reset"); // a fresh chain, as after deleting the npm start node's state

      const stale = await runDeploy(args, env).done;
      expect(stale.code).to.equal(1);
      expect(stale.stderr).to.contain(`TraceLedgerModule#TraceLedger at ${old.ledger.address}`);
      expect(stale.stderr).to.match(/node has no code there/);
      expect(stale.stderr).to.match(/--reset/);

      const reset = await runDeploy([...args, "--reset"], env).done;
      expect(reset.code, reset.stderr).to.equal(0);
      expect(reset.stdout).to.match(/Reset: the previous local deployment journal was wiped/);
      const fresh = parseManifest(JSON.parse(readFileSync(join(d.manifestDir, "localhost.json"), "utf8")));
      expect(await rpc("eth_getCode", [fresh.ledger.address, "latest"])).to.not.equal("0x");
    });
  });
});
