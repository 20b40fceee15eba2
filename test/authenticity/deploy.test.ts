/**
 * The claims registry in the deployment flow (in-process Hardhat network): asked for, it is added beside an
 * existing ledger in one transaction and listed in the manifest as `claims`; later runs keep it; a malformed
 * `claims` entry in a manifest is refused with what is wrong.
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployTraceLedger } from "../../deploy/lib/deployLedger";
import type { DeployHre } from "../../deploy/lib/hre";
import { ManifestError, parseManifest } from "../../src/config/manifest";

describe("authenticity: deploying UnitClaims beside the ledger", () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "cbec-trace-claims-deploy-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("adds the registry to a deployed ledger in one transaction, lists it, and keeps it on later runs", async () => {
    const dirs = { network: "claimsnet", manifestDir: join(tmp, "m"), journalDir: join(tmp, "j"), parameters: {} };
    const h = hre as unknown as DeployHre;
    const first = await deployTraceLedger(h, dirs);
    expect(first.manifest.claims).to.equal(undefined);
    const added = await deployTraceLedger(h, { ...dirs, claims: true });
    expect(added.transactionsSent).to.have.length(1);
    expect(added.manifest.ledger).to.deep.equal(first.manifest.ledger);
    const claims = await ethers.getContractAt("UnitClaims", added.manifest.claims!.address);
    expect(await claims.ledger()).to.equal(first.manifest.ledger.address);
    expect(added.manifest.claims!.version).to.equal(await claims.version());
    const receipt = await ethers.provider.getTransactionReceipt(added.transactionsSent[0]);
    expect(added.manifest.claims!.deploymentBlock).to.equal(receipt!.blockNumber);
    const again = await deployTraceLedger(h, dirs);
    expect([again.transactionsSent, again.manifestWritten]).to.deep.equal([[], false]);
    expect(again.manifest.claims).to.deep.equal(added.manifest.claims);
  });

  it("refuses a manifest whose claims entry is malformed, naming the field", () => {
    const base = {
      network: "x",
      chainId: 31337,
      ledger: { address: ethers.ZeroAddress, deploymentBlock: 1, version: "2.2.0" },
    };
    const cases: Array<[unknown, string]> = [
      [null, '"claims" must be an object'],
      [{ address: "0x12", deploymentBlock: 1, version: "1.0.0" }, '"claims.address" "0x12" is not an address'],
      [{ address: ethers.ZeroAddress, deploymentBlock: -1, version: "1.0.0" }, '"claims.deploymentBlock"'],
      [{ address: ethers.ZeroAddress, deploymentBlock: 1, version: "one" }, '"claims.version" must be like'],
    ];
    for (const [claims, text] of cases) {
      expect(() => parseManifest({ ...base, claims })).to.throw(ManifestError, text);
    }
  });
});
