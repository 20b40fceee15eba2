/**
 * `trace tag` end to end (`node bin/trace.js` against a local node with the ledger and a claims registry): the
 * brand binds a SUN tag and a chip, a rival cannot, a unit is bound once; `status` reads the chain; `tap` checks a
 * tapped URL with the keys file against the chain's counter — genuine, replayed, not genuine — and records
 * nothing. Refusals keep the documented exit codes.
 */
import { expect } from "chai";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ContractFactory, Wallet } from "ethers";
import { createPublicClient, http, type Address, type Hex } from "viem";
import { PROJECT_ROOT, runTrace, startDeployedNode, type DeployedNode, type TraceRun } from "../helpers/localNode";
import { GTIN, itemKey, registration } from "../helpers/ledger";
import { EXIT } from "../../src/cli/exitCodes";
import { TraceLedger__factory } from "../../typechain-types";
import { SimulatedSunTag, sunTapUrl } from "../../src/authenticity/sunTag";
import { writeTagKeys } from "../../src/authenticity/tagKeys";
import { createSunTapService } from "../../src/authenticity/tapService";
import { parseTagKeys, TAG_KEYS_FORMAT } from "../../src/authenticity/tagKeys";

const code = (n: number) => `(01)${GTIN}(10)LOT1(21)S${n}`;
const link = (n: number) => `https://id.gs1.org/01/${GTIN}/10/LOT1/21/S${n}`;
const UID = "04c0ffee123456";
const KEYS = { sdmMetaReadKey: "3c".repeat(16), sdmFileReadKey: "4d".repeat(16) };

describe("trace tag: bind, status and tap", function () {
  this.timeout(120_000);
  let n: DeployedNode;
  let global: string[];
  let keysFile: string;
  let tag: SimulatedSunTag;
  const json = (run: TraceRun) => {
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };
  const as = (who: "exporter" | "rival") => ({ privateKey: n.dep.members[who].privateKey });

  before(async () => {
    n = await startDeployedNode("cbec-trace-tag-");
    const admin = new Wallet(n.dep.admin.privateKey, n.provider);
    const artifact = JSON.parse(
      readFileSync(join(PROJECT_ROOT, "artifacts/contracts/claims/UnitClaims.sol/UnitClaims.json"), "utf8"),
    ) as { abi: never; bytecode: string };
    const claims = await new ContractFactory(artifact.abi, artifact.bytecode, admin).deploy(n.dep.ledger);
    const receipt = await claims.deploymentTransaction()!.wait();
    const address = (await claims.getAddress()) as Address;
    const manifest = {
      ...n.dep.manifest,
      claims: { address, deploymentBlock: receipt!.blockNumber, version: "1.0.0" },
    };
    const manifestPath = join(n.work, "with-claims.json");
    writeFileSync(manifestPath, JSON.stringify(manifest));
    global = ["--rpc", n.dep.rpcUrl, "--manifest", manifestPath];
    const exporter = new Wallet(n.dep.members.exporter.privateKey, n.provider);
    const ledger = TraceLedger__factory.connect(n.dep.ledger, exporter);
    await (await ledger.registerBatch([1, 2, 3, 4].map((i) => registration(itemKey(i))))).wait();
    keysFile = join(n.work, "tag-keys.json");
    writeTagKeys(keysFile, { [UID]: KEYS });
    tag = new SimulatedSunTag(UID, KEYS);
  });
  after(() => n?.stop());

  it("the brand binds a SUN tag and a chip; status reads them from the chain", async () => {
    const chip = Wallet.createRandom().address;
    // One after the other: two processes sending with one key is what the CLI refuses to guess about.
    const sun = await runTrace(
      [...global, "--json", "tag", "bind", code(1), "--sun-uid", UID.toUpperCase()],
      as("exporter"),
    );
    const chipped = await runTrace([...global, "--json", "tag", "bind", code(2), "--chip", chip], as("exporter"));
    expect(json(sun)).to.include({ kind: "SUN", id: UID });
    expect(json(chipped)).to.include({ kind: "chip" });
    const [s1, s2, s3] = await Promise.all([
      runTrace([...global, "--json", "tag", "status", code(1)]),
      runTrace([...global, "--json", "tag", "status", code(2)]),
      runTrace([...global, "tag", "status", code(3)]),
    ]);
    expect(json(s1)).to.deep.include({ kind: "SUN", id: UID, lastCounter: 0, lastTapAt: null });
    expect(json(s2)).to.deep.include({ kind: "chip", id: chip });
    expect([s3.code, s3.stdout]).to.deep.equal([0, `${link(3)}: no tag bound.\n`]);
  });

  it("ATTACK: a rival brand cannot bind a tag to the exporter's unit; a unit and a tag are bound once; malformed bindings send nothing", async () => {
    const [rival, twice, reused, ...malformed] = await Promise.all([
      runTrace([...global, "tag", "bind", code(3), "--sun-uid", "04aaaaaaaaaaaa"], as("rival")),
      runTrace([...global, "tag", "bind", code(1), "--sun-uid", "04bbbbbbbbbbbb"], as("exporter")),
      runTrace([...global, "tag", "bind", code(4), "--sun-uid", UID], as("exporter")),
      runTrace([...global, "tag", "bind", code(3)], as("exporter")),
      runTrace([...global, "tag", "bind", code(3), "--sun-uid", "04aa"], as("exporter")),
      runTrace([...global, "tag", "bind", code(3), "--chip", "0x12"], as("exporter")),
      runTrace(["--rpc", n.dep.rpcUrl, "--manifest", n.dep.manifestPath, "tag", "status", code(1)]),
    ]);
    for (const run of [rival, twice, reused]) expect(run.code, run.stderr).to.equal(EXIT.REFUSED);
    expect(rival.stderr).to.contain("Only the unit's brand binds its tags");
    expect(twice.stderr).to.contain("has a tag bound already");
    expect(reused.stderr).to.contain("bound to another unit already");
    expect(malformed.map((r) => r.code)).to.deep.equal(Array(4).fill(EXIT.INVALID_INPUT));
    expect(malformed[0].stderr).to.contain("Give one of --sun-uid");
    expect(malformed[1].stderr).to.contain("14 hex digits");
    expect(malformed[2].stderr).to.contain("is not an address");
    expect(malformed[3].stderr).to.contain("names no claims registry");
    // Nothing of the refused bindings reached the chain: unit 3 still has no tag.
    expect((await runTrace([...global, "tag", "status", code(3)])).stdout).to.equal(`${link(3)}: no tag bound.\n`);
  });

  it("tap: genuine above the chain's counter (nothing recorded), replayed below it, not genuine with other keys", async () => {
    // Two taps recorded by the brand's service, as the platform does.
    const service = createSunTapService({
      client: createPublicClient({ transport: http(n.dep.rpcUrl) }),
      claims: JSON.parse(readFileSync(global[3], "utf8")).claims.address,
      keys: parseTagKeys(JSON.stringify({ format: TAG_KEYS_FORMAT, tags: { [UID]: KEYS } }), "k"),
      signer: new Wallet(n.dep.members.exporter.privateKey, n.provider),
      send: { pollIntervalMs: 20 },
    });
    const unit = itemKey(1) as Hex;
    const first = tag.read();
    for (const m of [first, tag.read()]) {
      expect((await service.verifyAndRecord({ unit, ...m })).outcome).to.equal("verified");
    }
    const fresh = tag.read();
    const forged = new SimulatedSunTag(UID, { ...KEYS, sdmFileReadKey: "00".repeat(16) }).read();
    const check = (m: { e: string; c: string }) =>
      runTrace([...global, "tag", "tap", sunTapUrl(link(1), m), "--keys", keysFile]);
    const [genuine, replayed, notGenuine] = await Promise.all([check(fresh), check(first), check(forged)]);
    expect([genuine.code, genuine.stdout]).to.deep.equal([
      EXIT.OK,
      `genuine: tag ${UID}, read #3, above the last recorded #2 (not recorded).\n`,
    ]);
    expect([replayed.code, replayed.stdout]).to.deep.equal([
      EXIT.VERDICT_WARNING,
      `replayed: tag ${UID}'s read #1 is not above the last recorded #2 — a copied or recorded tap URL.\n`,
    ]);
    expect(notGenuine.code).to.equal(EXIT.VERDICT_FAIL);
    expect(notGenuine.stdout).to.match(/^not genuine: .*MAC does not match/);
    const status = json(await runTrace([...global, "--json", "tag", "status", code(1)]));
    expect(status.lastCounter).to.equal(2);
  });

  it("tap refuses a URL without a message, a unit with no SUN tag, a keys file others may read or that lacks the tag", async () => {
    const m = tag.read();
    const open = join(n.work, "open-keys.json");
    writeTagKeys(open, { [UID]: KEYS });
    chmodSync(open, 0o644);
    const other = join(n.work, "other-keys.json");
    writeTagKeys(other, { "04000000000001": KEYS });
    const runs = await Promise.all([
      runTrace([...global, "tag", "tap", link(1), "--keys", keysFile]),
      runTrace([...global, "tag", "tap", sunTapUrl(link(3), m), "--keys", keysFile]),
      runTrace([...global, "tag", "tap", sunTapUrl(link(1), m), "--keys", open]),
      runTrace([...global, "tag", "tap", sunTapUrl(link(1), m), "--keys", other]),
      runTrace([...global, "tag", "tap", sunTapUrl(link(1), m)]),
      runTrace([...global, "tag", "tap", sunTapUrl(link(1), { e: "12", c: m.c }), "--keys", keysFile]),
    ]);
    expect(runs.map((r) => r.code)).to.deep.equal(Array(6).fill(EXIT.INVALID_INPUT));
    expect(runs[0].stderr).to.contain("has no SUN message");
    expect(runs[1].stderr).to.contain("has no SUN tag bound");
    expect(runs[2].stderr).to.contain("may be accessed by others").and.contain("chmod 600");
    expect(runs[3].stderr).to.contain(`has no keys for the unit's tag ${UID}`);
    expect(runs[4].stderr).to.contain("TRACE_TAG_KEYS");
    expect(runs[5].stderr).to.contain("piccDataHex must be 32 hex digits");
  });
});
