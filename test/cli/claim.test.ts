/**
 * `trace claim` and `trace scans` (issue 17) against a real node with a claims registry beside the ledger and a
 * platform server relaying claims and counting scans. The brand commits codes (written to a new file before
 * anything is sent, never overwritten; a unit of another brand refused before anything is written); a buyer
 * claims through the platform (a wrong code sends nothing; a second claim is refused) or with their own key;
 * `claim status` reads the chain; `trace scans` prints the platform's count, labelled as such.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { ContractFactory, Wallet } from "ethers";
import type { Hex } from "viem";
import { isCoverageRun } from "../helpers/coverage";
import { EXIT } from "../../src/cli/exitCodes";
import { parseGs1 } from "../../src/gs1";
import { TraceWriter } from "../../src/write/writer";
import { claimCommitment, claimSecret, generateClaimCode } from "../../src/authenticity";
import { createTraceServer, type TraceServer } from "../../src/server/server";
import { GTIN, RIVAL_GTIN, EVENT_TIME, recordHash } from "../helpers/ledger";
import { PROJECT_ROOT, runTrace, startDeployedNode, type DeployedNode, type TraceRun } from "../helpers/localNode";
import { minimalPageDir } from "../server/platformOnFixture";

const item = (serial: string, gtin = GTIN) => `(01)${gtin}(21)${serial}`;
const [RELAYED, DIRECT, LATER, SECOND] = ["CL1", "CL2", "CL3", "CL4"].map((s) => item(s));
const RIVALS = item("CL9", RIVAL_GTIN);

describe("trace claim and trace scans", function () {
  this.timeout(240_000);
  let setup: DeployedNode;
  let manifestPath: string;
  let claims: string;
  let server: TraceServer;
  let base = "";

  const trace = (key: string | undefined, args: string[]) =>
    runTrace(["--manifest", manifestPath, ...args], {
      ...(key ? { privateKey: key } : {}),
      env: { TRACE_RPC_URL: setup.node.rpcUrl },
    });
  const exporter = () => setup.dep.members.exporter.privateKey;
  const expectExit = (run: TraceRun, code: number) => {
    expect(run.code, run.stderr + run.stdout).to.equal(code);
    return run;
  };
  const commitmentOf = async (code: string) =>
    (
      await setup.provider.call({
        to: claims,
        data: new ContractFactory(artifact().abi, "0x").interface.encodeFunctionData("claimOf", [parseGs1(code).key]),
      })
    ).slice(0, 66);
  const artifact = () =>
    JSON.parse(
      readFileSync(join(PROJECT_ROOT, "artifacts/contracts/claims/UnitClaims.sol/UnitClaims.json"), "utf8"),
    ) as {
      abi: never;
      bytecode: string;
    };

  before(async function () {
    if (isCoverageRun()) this.skip();
    setup = await startDeployedNode("cbec-trace-claim-cli-");
    const admin = new Wallet(setup.dep.admin.privateKey, setup.provider);
    const registry = await new ContractFactory(artifact().abi, artifact().bytecode, admin).deploy(setup.dep.ledger);
    const receipt = await registry.deploymentTransaction()!.wait();
    claims = await registry.getAddress();
    manifestPath = join(setup.work, "manifest.json");
    const manifest = {
      ...setup.dep.manifest,
      claims: { address: claims, deploymentBlock: receipt!.blockNumber, version: "1.0.0" },
    };
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const register = async (key: string, codes: string[]) => {
      const writer = await TraceWriter.create({ ledger: setup.dep.ledger, signer: new Wallet(key, setup.provider) });
      await writer.register(
        codes.map((c) => ({
          path: parseGs1(c).canonicalPath,
          eventTime: EVENT_TIME,
          location: 0n,
          recordHash: recordHash(c) as Hex,
        })),
      );
    };
    await register(exporter(), [RELAYED, DIRECT, LATER, SECOND]);
    await register(setup.dep.members.rival.privateKey, [RIVALS]);
    server = createTraceServer({
      pageDir: minimalPageDir(),
      recordsDir: setup.recordsDir,
      manifest: manifest as never,
      nodeUrl: setup.node.rpcUrl,
      claimRelay: { relayerKey: setup.dep.spare[0].privateKey },
      scans: { dir: mkdtempSync(join(tmpdir(), "cbec-claim-cli-scans-")) },
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    server?.close();
    await setup?.stop();
  });

  let codes: Record<string, string> = {};

  it("claim commit: codes are written to a new file, then committed; the file is never overwritten", async () => {
    const out = join(setup.work, "codes.csv");
    const run = expectExit(
      await trace(exporter(), ["--json", "claim", "commit", RELAYED, DIRECT, "--out", out]),
      EXIT.OK,
    );
    const result = JSON.parse(run.stdout) as { committed: number; file: string; transactions: unknown[] };
    expect([result.committed, result.file, result.transactions.length]).to.deep.equal([2, out, 1]);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows[0]).to.equal("unit,unit_key,claim_code");
    const at = { chainId: setup.dep.chainId, claims: claims as Hex };
    for (const row of rows.slice(1)) {
      const [uri, key, code] = row.split(",");
      expect(code).to.match(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
      codes[key] = code;
      expect(parseGs1(uri).key).to.equal(key);
      // The chain holds exactly the commitment of the code in the file.
      expect(await commitmentOf(uri)).to.equal(claimCommitment(at, key as Hex, claimSecret(code)));
    }
    const before = readFileSync(out, "utf8");
    const again = expectExit(await trace(exporter(), ["claim", "commit", LATER, "--out", out]), EXIT.INVALID_INPUT);
    expect(again.stderr).to.match(/exists: claim codes are never written over/);
    expect(readFileSync(out, "utf8")).to.equal(before);
    // A unit committed already is skipped (its code cannot be replaced); the others are committed.
    const more = expectExit(
      await trace(exporter(), ["claim", "commit", RELAYED, LATER, "--out", join(setup.work, "more.csv")]),
      EXIT.OK,
    );
    expect(more.stdout)
      .to.match(/1 claim codes committed/)
      .and.to.match(/skipped \(committed already\)/);
  });

  it("ATTACK claim commit on another brand's unit: refused before anything is written or sent", async () => {
    const out = join(setup.work, "rival.csv");
    const block = await setup.provider.getBlockNumber();
    const run = expectExit(await trace(exporter(), ["claim", "commit", SECOND, RIVALS, "--out", out]), EXIT.REFUSED);
    expect(run.stderr).to.match(/UnitClaimsNotBrand.*Nothing was written or sent/);
    expect(existsSync(out)).to.equal(false);
    expect(await setup.provider.getBlockNumber()).to.equal(block);
  });

  it("claim through the platform: a wrong code sends nothing, the right one claims, a second claim is refused", async () => {
    const key = parseGs1(RELAYED).key;
    const block = await setup.provider.getBlockNumber();
    const wrong = expectExit(
      await trace(undefined, ["claim", RELAYED, "--claim-code", generateClaimCode(), "--platform", base]),
      EXIT.REFUSED,
    );
    expect(wrong.stderr).to.match(/not the unit's claim code \(nothing was sent\)/);
    expect(await setup.provider.getBlockNumber()).to.equal(block);
    const typo = expectExit(
      await trace(undefined, ["claim", RELAYED, "--claim-code", "ABC", "--platform", base]),
      EXIT.INVALID_INPUT,
    );
    expect(typo.stderr).to.match(/--claim-code: A claim code has 20 characters/);
    const ok = expectExit(
      await trace(undefined, ["--json", "claim", RELAYED, "--claim-code", codes[key], "--platform", base]),
      EXIT.OK,
    );
    const claimed = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(claimed).to.include({ claimed: true, stage: "ACTIVE", beforeDelivery: true, via: base });
    expect(claimed.txHash).to.match(/^0x[0-9a-f]{64}$/);
    const twice = expectExit(
      await trace(undefined, ["claim", RELAYED, "--claim-code", codes[key], "--platform", base]),
      EXIT.REFUSED,
    );
    expect(twice.stderr).to.match(/already claimed on \d{4}-/);
    const status = expectExit(await trace(undefined, ["claim", "status", RELAYED]), EXIT.OK);
    expect(status.stdout)
      .to.match(/claimed\s+\d{4}-.*\(block \d+\)/)
      .and.to.match(/BEFORE DELIVERY/);
    const none = expectExit(await trace(undefined, ["claim", "status", SECOND]), EXIT.OK);
    expect(none.stdout)
      .to.match(/commitment\s+none/)
      .and.to.match(/not claimed/);
    // Without a platform: a copied code is still refused from the chain; a right one asks for a platform.
    const copied = expectExit(await trace(undefined, ["claim", RELAYED, "--claim-code", codes[key]]), EXIT.REFUSED);
    expect(copied.stderr).to.match(/already claimed on \d{4}-/);
    const direct = parseGs1(DIRECT).key;
    const unrelayed = expectExit(
      await trace(undefined, ["claim", DIRECT, "--claim-code", codes[direct]]),
      EXIT.INVALID_INPUT,
    );
    expect(unrelayed.stderr).to.match(/No platform to relay the claim/);
  });

  it("claim --direct with the buyer's own key", async () => {
    const key = parseGs1(DIRECT).key;
    const buyer = setup.dep.stranger.privateKey;
    const run = expectExit(
      await trace(buyer, ["--json", "claim", DIRECT, "--claim-code", codes[key], "--direct"]),
      EXIT.OK,
    );
    expect(JSON.parse(run.stdout)).to.include({ claimed: true, via: "direct" });
  });

  it("trace scans prints the platform's count, labelled as the platform's", async () => {
    for (let i = 0; i < 2; i++) await fetch(`${base}/bundle?code=${encodeURIComponent(DIRECT)}`);
    const json = JSON.parse(
      expectExit(await trace(undefined, ["--json", "scans", DIRECT, "--platform", base]), EXIT.OK).stdout,
    );
    expect(json).to.include({ count: 2, source: "platform", unit: parseGs1(DIRECT).key });
    const human = expectExit(await trace(undefined, ["scans", DIRECT, "--platform", base]), EXIT.OK).stdout;
    expect(human)
      .to.match(/the platform's count, not the chain's/)
      .and.to.match(/verified\s+2 times/);
    expectExit(await trace(undefined, ["scans", DIRECT]), EXIT.INVALID_INPUT);
  });
});
