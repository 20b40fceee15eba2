/** `trace verify` end to end against a node with the demo journey: verdicts, journey output, exit codes 0/1/2. */
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Wallet } from "ethers";
import {
  startLocalNode,
  deployOnNode,
  nodeProvider,
  runTrace,
  type LocalNode,
  type NodeDeployment,
} from "../helpers/localNode";
import { seedDemo, DEMO_CODES, type DemoMember, DEMO_MEMBERS } from "../../src/demo/journey";
import { TraceWriter } from "../../src/write/writer";

const MEMBERS = DEMO_MEMBERS;

describe("trace verify", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let d: NodeDeployment;
  let records: string;

  before(async function () {
    if (process.env.SOLIDITY_COVERAGE) this.skip(); // coverage instruments the in-process network only
    node = await startLocalNode();
    d = await deployOnNode(node.rpcUrl);
    const provider = await nodeProvider(node.rpcUrl);
    const writers = {} as Record<DemoMember, TraceWriter>;
    for (const m of MEMBERS)
      writers[m] = await TraceWriter.create({
        ledger: d.ledger,
        signer: new Wallet(d.members[m].privateKey, provider),
      });
    records = mkdtempSync(join(tmpdir(), "cbec-verify-records-"));
    await seedDemo(writers, records);
  });

  after(async () => node?.stop());

  const verify = (code: string, ...extra: string[]) =>
    runTrace(["--manifest", d.manifestPath, "--rpc", node.rpcUrl, "--records-dir", records, "verify", code, ...extra]);

  it("authentic: exit 0 and the whole journey, every record matching its hash", async () => {
    const run = await verify(DEMO_CODES.authentic);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^AUTHENTIC 正品/);
    for (const step of ["COMMISSIONING", "CUSTOMS_RELEASED", "DEPARTING", "DELIVERED"])
      expect(run.stdout).to.include(step);
    expect(run.stdout).to.not.match(/BAD SIGNATURE|RECORD MISMATCH/);
    const json = JSON.parse((await verify(DEMO_CODES.authentic, "--json")).stdout);
    expect(json.verdict).to.equal("authentic");
    expect(json.entries.every((e: { signatureValid: boolean }) => e.signatureValid)).to.equal(true);
  });

  it("--confirmations reads as of a block that deep and names it; a depth beyond the chain fails clearly; 0 is refused", async () => {
    const deep = await verify(DEMO_CODES.authentic, "--confirmations", "2");
    expect(deep.stdout).to.match(/as of block \d+ \(0x[0-9a-f]{8}…, 2 confirmations\)/);
    const beforeAll = await verify(DEMO_CODES.authentic, "--confirmations", "1000000");
    expect(beforeAll.code).to.equal(2);
    expect(beforeAll.stdout).to.match(/^FAIL/);
    expect(beforeAll.stdout).to.include("the ledger did not exist yet as of block 0, 1000000 confirmations");
    const zero = await verify(DEMO_CODES.authentic, "--confirmations", "0");
    expect(zero.code).to.equal(2);
    expect(zero.stderr).to.include('The confirmations "0" must be at least 1.');
  });

  it("recalled: exit 1 with the reason in English and Chinese", async () => {
    const run = await verify(DEMO_CODES.recalled);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/^WARNING/);
    expect(run.stdout).to.include("The product is recalled.");
    expect(run.stdout).to.include("该产品已被召回");
  });

  it("counterfeit and invalid codes: exit 2", async () => {
    const fake = await verify(DEMO_CODES.counterfeit);
    expect(fake.code).to.equal(2);
    expect(fake.stdout).to.include("never registered");
    const invalid = await verify("(01)06901234567893(21)X");
    expect(invalid.code).to.equal(2);
    expect(invalid.stdout).to.match(/not a valid GS1 code/);
  });

  it("another contract address: exit 2 (wrong chain or contract), not a crash", async () => {
    const run = await runTrace([
      "--rpc",
      node.rpcUrl,
      "--ledger",
      d.members.exporter.address,
      "verify",
      DEMO_CODES.authentic,
    ]);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stdout).to.include("not the expected cbec-trace ledger");
  });
});
