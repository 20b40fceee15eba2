/**
 * Deployment with Hardhat Ignition on the in-process Hardhat network: module parameters, the manifest,
 * re-deploy as a no-op, refused parameters, journal conflicts and the reset of a stale local journal.
 * Manifests and journals go to temp directories: the repository's deployments/ is never touched.
 */
import { expect } from "chai";
import hre, { ethers, network } from "hardhat";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseManifest } from "../../src/config/manifest";
import { roleMask, STEP_NAMES, STEPS } from "../../src/codes";
import { deployTraceLedger, type DeployOptions } from "../../deploy/lib/deployLedger";
import { DeployError, ParametersError } from "../../deploy/lib/errors";
import type { DeployHre } from "../../deploy/lib/hre";
import { parseTraceLedgerParameters } from "../../deploy/lib/parameters";
import { DEFAULT_ADMIN_TRANSFER_DELAY, MODULE_ID } from "../../deploy/modules/TraceLedger";
import type { TraceLedger } from "../../typechain-types";

async function rejected<T extends Error>(promise: Promise<unknown>, type: new (...a: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(type);
    return error as T;
  }
  throw new Error(`expected a ${type.name}, but the promise resolved`);
}

const params = (p: Record<string, unknown>) => ({ [MODULE_ID]: p });

describe("deploy: in-process Hardhat network", function () {
  let tmp: string;
  let n = 0;
  /** Fresh manifest and journal directories per deployment scenario. */
  const dirs = () => {
    const base = join(tmp, `run-${++n}`);
    return { manifestDir: join(base, "manifests"), journalDir: join(base, "journal") };
  };
  const nonceOf = async (address: string) => ethers.provider.getTransactionCount(address, "pending");

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "cbec-trace-deploy-test-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("applies admin, delay and permission overrides, writes a valid manifest, and a re-deploy sends nothing", async () => {
    const [deployer] = await ethers.getSigners();
    const defaults = (await (
      await ethers.getContractFactory("TraceLedger")
    ).deploy(deployer.address, 1)) as unknown as TraceLedger;
    const d = dirs();
    const options: DeployOptions = {
      network: "testnet",
      ...d,
      parameters: params({
        adminTransferDelay: 3600,
        permissions: { RECALL: ["MARKET_REGULATOR"], COMMISSIONING: ["EXPORTER", "MANUFACTURER"] },
      }),
    };
    const nonce0 = await nonceOf(deployer.address);
    const first = await deployTraceLedger(hre, options);
    expect(first.transactionsSent).to.have.length(2); // the contract, then one setPermissions call
    expect(await nonceOf(deployer.address)).to.equal(nonce0 + 2);

    const address = first.manifest.ledger.address;
    const ledger = (await ethers.getContractAt("TraceLedger", address)) as unknown as TraceLedger;
    expect(await ledger.defaultAdmin()).to.equal(deployer.address);
    expect(await ledger.defaultAdminDelay()).to.equal(3600n);
    expect(await ledger.version()).to.equal("2.2.0");
    expect(await ledger.allowedRoles(STEPS.COMMISSIONING)).to.equal(roleMask("EXPORTER", "MANUFACTURER"));
    expect(await ledger.allowedRoles(STEPS.RECALL)).to.equal(roleMask("MARKET_REGULATOR"));
    for (const step of STEP_NAMES.filter((s) => s !== "COMMISSIONING" && s !== "RECALL")) {
      expect(await ledger.allowedRoles(STEPS[step]), step).to.equal(await defaults.allowedRoles(STEPS[step]));
    }

    // The manifest: on disk, valid, pointing at the deployment transaction.
    expect(first.manifestWritten).to.equal(true);
    expect(first.manifestPath).to.equal(join(d.manifestDir, "testnet.json"));
    const onDisk = parseManifest(JSON.parse(readFileSync(first.manifestPath, "utf8")), first.manifestPath);
    expect(onDisk).to.deep.equal(first.manifest);
    const { chainId } = await ethers.provider.getNetwork();
    expect(onDisk.network).to.equal("testnet");
    expect(onDisk.chainId).to.equal(Number(chainId));
    expect(onDisk.ledger.version).to.equal("2.2.0");
    const receipt = await ethers.provider.getTransactionReceipt(onDisk.ledger.transactionHash!);
    expect(receipt?.contractAddress).to.equal(address);
    expect(onDisk.ledger.deploymentBlock).to.equal(receipt?.blockNumber);
    expect(readdirSync(d.manifestDir)).to.deep.equal(["testnet.json"]); // no temp file left behind

    // Again: same address, no transaction, manifest untouched.
    const mtime = statSync(first.manifestPath).mtimeMs;
    const second = await deployTraceLedger(hre, options);
    expect(second.manifest.ledger.address).to.equal(address);
    expect(second.transactionsSent).to.deep.equal([]);
    expect(second.manifestWritten).to.equal(false);
    expect(await nonceOf(deployer.address)).to.equal(nonce0 + 2);
    expect(statSync(first.manifestPath).mtimeMs).to.equal(mtime);

    // Reordering the overrides in the file is no change.
    const reordered = await deployTraceLedger(hre, {
      ...options,
      parameters: params({
        adminTransferDelay: 3600,
        permissions: { COMMISSIONING: ["MANUFACTURER", "EXPORTER"], RECALL: ["MARKET_REGULATOR"] },
      }),
    });
    expect(reordered.transactionsSent).to.deep.equal([]);
  });

  it("makes another account admin, and defaults the delay to two days", async () => {
    const [deployer, other] = await ethers.getSigners();
    const out = await deployTraceLedger(hre, {
      network: "testnet",
      ...dirs(),
      parameters: params({ admin: other.address }),
    });
    const ledger = (await ethers.getContractAt("TraceLedger", out.manifest.ledger.address)) as unknown as TraceLedger;
    expect(await ledger.defaultAdmin()).to.equal(other.address);
    expect(await ledger.defaultAdminDelay()).to.equal(BigInt(DEFAULT_ADMIN_TRANSFER_DELAY));
    expect(out.transactionsSent).to.have.length(1); // no permissions call
    expect(await ledger.hasRole(await ledger.DEFAULT_ADMIN_ROLE(), deployer.address)).to.equal(false);
  });

  it("keeps a journal for the in-process network by default, so deploying twice is a no-op there too", async () => {
    const [deployer] = await ethers.getSigners();
    const { manifestDir } = dirs();
    const first = await deployTraceLedger(hre, { network: "inproc", manifestDir, parameters: params({}) });
    const nonce = await nonceOf(deployer.address);
    const again = await deployTraceLedger(hre, { network: "inproc", manifestDir, parameters: params({}) });
    expect(again.manifest.ledger.address).to.equal(first.manifest.ledger.address);
    expect(again.transactionsSent).to.deep.equal([]);
    expect(await nonceOf(deployer.address)).to.equal(nonce);
    expect(first.journalDir).to.match(/chain-31337$/);
    expect(first.journalDir.startsWith(tmpdir())).to.equal(true);
  });

  it("reads deploy/parameters/<network>.json by default, and the shipped files are valid", async () => {
    const root = hre.config.paths.root;
    const read = (f: string) => JSON.parse(readFileSync(join(root, "deploy", "parameters", f), "utf8"));
    for (const f of ["hardhat.json", "localhost.json"]) {
      const p = parseTraceLedgerParameters(read(f), f);
      expect(p.adminTransferDelay, f).to.equal(DEFAULT_ADMIN_TRANSFER_DELAY);
    }
    // The example must be edited before use: its admin placeholder is refused with a clear message.
    expect(() => parseTraceLedgerParameters(read("consortium.example.json"), "consortium.example.json")).to.throw(
      ParametersError,
      /"admin" .* is not a valid address/,
    );

    const out = await deployTraceLedger(hre, { ...dirs() }); // network "hardhat" → deploy/parameters/hardhat.json
    expect(out.manifest.network).to.equal("hardhat");
    expect(out.parameters.adminTransferDelay).to.equal(DEFAULT_ADMIN_TRANSFER_DELAY);

    const missing = await rejected(deployTraceLedger(hre, { network: "nowhere", ...dirs() }), ParametersError);
    expect(missing.message).to.match(/No parameters file deploy\/parameters\/nowhere\.json/);
    expect(missing.message).to.contain("consortium.example.json");
  });

  describe("bad parameters are refused before anything is sent", () => {
    const cases: Array<[string, unknown, RegExp]> = [
      [
        "unknown step",
        params({ permissions: { SHIPPED: ["CARRIER"] } }),
        /unknown step "SHIPPED"; known steps: COMMISSIONING/,
      ],
      [
        "lower-case step",
        params({ permissions: { recall: ["CUSTOMS"] } }),
        /unknown step "recall" \(did you mean RECALL\?\)/,
      ],
      [
        "unknown role",
        params({ permissions: { RECALL: ["POLICE"] } }),
        /permissions\.RECALL: unknown role "POLICE"; known roles: EXPORTER/,
      ],
      [
        "roles not a list",
        params({ permissions: { RECALL: "CUSTOMS" } }),
        /permissions\.RECALL must be a list of role names/,
      ],
      ["duplicate role", params({ permissions: { RECALL: ["CUSTOMS", "CUSTOMS"] } }), /lists CUSTOMS twice/],
      ["negative delay", params({ adminTransferDelay: -5 }), /"adminTransferDelay" must not be negative \(got -5\)/],
      ["fractional delay", params({ adminTransferDelay: 1.5 }), /whole number of seconds/],
      ["delay as text", params({ adminTransferDelay: "2 days" }), /must be a number of seconds/],
      ["delay too large", params({ adminTransferDelay: 2 ** 48 }), /does not fit a uint48/],
      ["short address", params({ admin: "0x1234" }), /"admin" "0x1234" is not a valid address/],
      [
        "bad checksum",
        params({ admin: "0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266" }),
        /is not a valid address .*checksum/,
      ],
      ["zero address", params({ admin: "0x0000000000000000000000000000000000000000" }), /may not be the zero address/],
      [
        "unknown parameter",
        params({ adminDelay: 5 }),
        /unknown parameter "adminDelay"; known parameters: admin, adminTransferDelay, permissions/,
      ],
      ["unknown module", { Ledger: {} }, /unknown module "Ledger"/],
      ["not an object", [1, 2], /is not a JSON object/],
    ];
    for (const [name, value, message] of cases) {
      it(name, async () => {
        const [deployer] = await ethers.getSigners();
        const nonce = await nonceOf(deployer.address);
        const d = dirs();
        const error = await rejected(
          deployTraceLedger(hre, { network: "testnet", ...d, parameters: value }),
          ParametersError,
        );
        expect(error.message).to.match(message);
        expect(error.message).to.contain("docs/deploy.md");
        expect(await nonceOf(deployer.address)).to.equal(nonce);
        expect(existsSync(d.manifestDir)).to.equal(false);
        expect(existsSync(d.journalDir)).to.equal(false);
      });
    }

    it("several problems are listed together", () => {
      expect(() =>
        parseTraceLedgerParameters(
          params({ adminTransferDelay: -1, permissions: { FOO: [], RECALL: ["BAR"] } }),
          "p.json",
        ),
      ).to.throw(ParametersError, /p\.json: .*must not be negative.*unknown step "FOO".*unknown role "BAR"/);
    });

    it("permission overrides with an admin other than the deployer", async () => {
      const [deployer, other] = await ethers.getSigners();
      const nonce = await nonceOf(deployer.address);
      const error = await rejected(
        deployTraceLedger(hre, {
          network: "testnet",
          ...dirs(),
          parameters: params({ admin: other.address, permissions: { RECALL: ["CUSTOMS"] } }),
        }),
        ParametersError,
      );
      expect(error.message).to.match(/only the admin may set permissions/);
      expect(await nonceOf(deployer.address)).to.equal(nonce);
    });

    it("a parameters file that is not JSON", async () => {
      const file = join(tmp, "broken.json");
      writeFileSync(file, "{ TraceLedgerModule: }");
      const error = await rejected(
        deployTraceLedger(hre, { network: "testnet", ...dirs(), parametersFile: file }),
        ParametersError,
      );
      expect(error.message).to.match(/broken\.json is not valid JSON/);
    });
  });

  it("refuses parameters that differ from those the journal's deployment was made with", async () => {
    const [deployer] = await ethers.getSigners();
    const d = dirs();
    await deployTraceLedger(hre, {
      network: "testnet",
      ...d,
      parameters: params({ permissions: { RECALL: ["CUSTOMS"] } }),
    });
    const nonce = await nonceOf(deployer.address);
    const error = await rejected(
      deployTraceLedger(hre, {
        network: "testnet",
        ...d,
        parameters: params({ permissions: { RECALL: ["MARKET_REGULATOR"] } }),
      }),
      DeployError,
    );
    expect(error.code).to.equal("JOURNAL_CONFLICT");
    expect(error.message).to.match(/parameters differ from those this chain's deployment was made with/);
    expect(error.message).to.match(/consortium admin commands/);
    expect(await nonceOf(deployer.address)).to.equal(nonce);
  });

  it("applies permission overrides added after a deployment made without them, on the same ledger", async () => {
    const d = dirs();
    const plain = await deployTraceLedger(hre, { network: "testnet", ...d, parameters: params({}) });
    const later = await deployTraceLedger(hre, {
      network: "testnet",
      ...d,
      parameters: params({ permissions: { RECALL: ["CUSTOMS"] } }),
    });
    expect(later.manifest.ledger.address).to.equal(plain.manifest.ledger.address);
    expect(later.transactionsSent).to.have.length(1);
    const ledger = (await ethers.getContractAt("TraceLedger", plain.manifest.ledger.address)) as unknown as TraceLedger;
    expect(await ledger.allowedRoles(STEPS.RECALL)).to.equal(roleMask("CUSTOMS"));
  });

  it("keeps an existing manifest of the same chain and address byte for byte, and replaces one of another address", async () => {
    const d = dirs();
    const out = await deployTraceLedger(hre, { network: "testnet", ...d, parameters: params({}) });
    const hand = JSON.stringify(out.manifest) + "\n"; // other formatting, same content
    writeFileSync(out.manifestPath, hand);
    const again = await deployTraceLedger(hre, { network: "testnet", ...d, parameters: params({}) });
    expect(again.manifestWritten).to.equal(false);
    expect(readFileSync(out.manifestPath, "utf8")).to.equal(hand);

    writeFileSync(
      out.manifestPath,
      JSON.stringify({
        ...out.manifest,
        ledger: { ...out.manifest.ledger, address: ethers.ZeroAddress.replace(/0$/, "1") },
      }),
    );
    const replaced = await deployTraceLedger(hre, { network: "testnet", ...d, parameters: params({}) });
    expect(replaced.manifestWritten).to.equal(true);
    expect(parseManifest(JSON.parse(readFileSync(out.manifestPath, "utf8"))).ledger.address).to.equal(
      out.manifest.ledger.address,
    );
  });

  it("says so when the journal names a contract the chain does not have, and resets only when asked", async () => {
    const [deployer] = await ethers.getSigners();
    const d = dirs();
    const snapshot = await network.provider.request({ method: "evm_snapshot" });
    const before = await deployTraceLedger(hre, { network: "testnet", ...d, parameters: params({}) });
    await network.provider.request({ method: "evm_revert", params: [snapshot] }); // the "chain reset"

    const nonce = await nonceOf(deployer.address);
    const stale = await rejected(
      deployTraceLedger(hre, { network: "testnet", ...d, parameters: params({}) }),
      DeployError,
    );
    expect(stale.code).to.equal("STALE_JOURNAL");
    expect(stale.message).to.contain(`TraceLedgerModule#TraceLedger at ${before.manifest.ledger.address}`);
    expect(stale.message).to.match(/node has no code there/);
    expect(stale.message).to.match(/--reset/);
    expect(await nonceOf(deployer.address)).to.equal(nonce);

    const reset = await deployTraceLedger(hre, { network: "testnet", ...d, parameters: params({}), reset: "if-stale" });
    expect(reset.reset).to.equal(true);
    expect(reset.transactionsSent).to.have.length(1);
    expect(await ethers.provider.getCode(reset.manifest.ledger.address)).to.not.equal("0x");
    // "if-stale" leaves a good journal alone.
    const kept = await deployTraceLedger(hre, { network: "testnet", ...d, parameters: params({}), reset: "if-stale" });
    expect(kept.reset).to.equal(false);
    expect(kept.transactionsSent).to.deep.equal([]);
  });

  it("never resets the journal of a chain other than 31337", async () => {
    // The in-process chain seen through a provider claiming chain id 1337.
    const provider = {
      request: (args: { method: string; params?: unknown[] }) =>
        args.method === "eth_chainId" ? Promise.resolve("0x539") : network.provider.request(args),
    };
    const other = { ...hre, network: { ...hre.network, name: "other", provider } } as unknown as DeployHre;
    const d = dirs();
    for (const reset of [true, "if-stale"] as const) {
      const error = await rejected(deployTraceLedger(other, { ...d, parameters: params({}), reset }), DeployError);
      expect(error.code).to.equal("RESET_REFUSED");
      expect(error.message).to.match(/Refusing to reset the deployment journal of chain 1337/);
    }
    // A stale journal there is reported, not wiped.
    const snapshot = await network.provider.request({ method: "evm_snapshot" });
    await deployTraceLedger(other, { ...d, parameters: params({}) });
    await network.provider.request({ method: "evm_revert", params: [snapshot] });
    const stale = await rejected(deployTraceLedger(other, { ...d, parameters: params({}) }), DeployError);
    expect(stale.code).to.equal("STALE_JOURNAL");
    expect(stale.message).to.match(/never wiped automatically/);
    expect(existsSync(join(d.journalDir, "journal.jsonl"))).to.equal(true);
  });
});
