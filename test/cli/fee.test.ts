/**
 * A node refusing a transaction's fee: `TRACE_GAS_PRICE=0` against an anvil whose base fee is above 0 (its
 * default) is a named error with the node's reason and the fix, exit 4, no stack trace, and nothing sent.
 * Also: with TRACE_GAS_PRICE unset the same node accepts the write (the fee comes from the node).
 */
import { expect } from "chai";
import { isCoverageRun } from "../helpers/coverage";
import { deployOnNode, freePort, runTrace, type NodeDeployment } from "../helpers/localNode";
import { GTIN } from "../helpers/ledger";
import { startAnvil, type AnvilNode } from "../../src/node";
import { EXIT } from "../../src/cli/exitCodes";

describe("trace: a node refusing the fee (anvil with a base fee, TRACE_GAS_PRICE=0)", function () {
  this.timeout(120_000);

  let node: AnvilNode | undefined;
  let dep: NodeDeployment;

  before(async function () {
    if (isCoverageRun()) this.skip();
    node = await startAnvil({ port: await freePort(), silent: true });
    dep = await deployOnNode(node.url);
  });

  after(async () => {
    await node?.stop("SIGKILL");
  });

  const item = (n: number) => `(01)${GTIN}(10)FEE(21)${n}`;
  const trace = (args: string[], env: Record<string, string> = {}) =>
    runTrace(["--manifest", dep.manifestPath, "--rpc", node!.url, ...args], {
      privateKey: dep.members.exporter.privateKey,
      env,
    });

  it("exits 4 with FeeTooLowError, the node's reason and the fix; no stack trace", async () => {
    const nonce = await fetchNonce();
    const run = await trace(["register", item(1)], { TRACE_GAS_PRICE: "0" });
    expect(run.code, run.stderr).to.equal(EXIT.NETWORK);
    expect(run.stderr).to.include("error: The node refused the transaction's fee (fixed gas price 0 wei)");
    expect(run.stderr).to.include("max fee per gas less than block base fee");
    expect(run.stderr).to.match(/hint: Leave TRACE_GAS_PRICE \(--gas-price\) empty/);
    expect(run.stderr).not.to.match(/could not coalesce|\n\s+at /);
    expect(await fetchNonce()).to.equal(nonce);

    const json = await trace(["--json", "register", item(1)], { TRACE_GAS_PRICE: "0" });
    expect(json.code).to.equal(EXIT.NETWORK);
    const { error } = JSON.parse(json.stderr) as { error: { name: string; message: string; hints: string[] } };
    expect(error.name).to.equal("FeeTooLowError");
    expect(error.message).to.include("max fee per gas less than block base fee");
    expect(error.hints.join(" ")).to.include("TRACE_GAS_PRICE");
  });

  it("with TRACE_GAS_PRICE empty (as in .env.example) the write goes through", async () => {
    const run = await trace(["register", item(2)], { TRACE_GAS_PRICE: "" });
    expect(run.code, run.stderr).to.equal(EXIT.OK);
    expect(run.stdout).to.include("register: 1 written");
  });

  async function fetchNonce(): Promise<string> {
    const response = await fetch(node!.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "eth_getTransactionCount",
        params: [dep.members.exporter.address, "pending"],
      }),
    });
    return ((await response.json()) as { result: string }).result;
  }
});
