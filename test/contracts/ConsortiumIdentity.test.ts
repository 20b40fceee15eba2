/** An organization's identity is findable: its OrganizationAdded log sits in the block the ledger stores. */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployLedger, creditCode } from "../helpers/ledger";
import { roleMask } from "../../src/codes";

describe("Consortium: organization identity", () => {
  it("organizationAddedBlock names the block of the OrganizationAdded log", async () => {
    const { ledger, admin } = await loadFixture(deployLedger);
    const tx = await ledger
      .connect(admin)
      .addOrganization("Findable Co.", creditCode(77), 0n, "0x4445", roleMask("WAREHOUSE"));
    const receipt = (await tx.wait())!;
    const orgId = await ledger.organizationCount();
    const block = await ledger.organizationAddedBlock(orgId);
    expect(block).to.equal(BigInt(receipt.blockNumber));
    const logs = await ledger.queryFilter(ledger.filters.OrganizationAdded(orgId), Number(block), Number(block));
    expect(logs.length).to.equal(1);
    expect(logs[0].args.name).to.equal("Findable Co.");
  });

  it("refuses an unknown organization", async () => {
    const { ledger } = await loadFixture(deployLedger);
    await expect(ledger.organizationAddedBlock(0))
      .to.be.revertedWithCustomError(ledger, "ConsortiumUnknownOrganization")
      .withArgs(0);
    await expect(ledger.organizationAddedBlock(11))
      .to.be.revertedWithCustomError(ledger, "ConsortiumUnknownOrganization")
      .withArgs(11);
  });
});
