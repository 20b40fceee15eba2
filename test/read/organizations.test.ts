/** The one organization reader: status from the views, identity from a one-block `OrganizationAdded` query. */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { Address } from "viem";
import { deployLedger } from "../helpers/ledger";
import { hardhatClient, logRangeRecordingClient } from "../helpers/sdk";
import { countryText, creditCodeText, readOrganizations } from "../../src/read/organizations";
import { roleMask } from "../../src/codes";

describe("readOrganizations", () => {
  it("reads status and identity as of a block; unknown ids are absent; one-block log queries only", async () => {
    const { ledger, admin, orgIds } = await loadFixture(deployLedger);
    const address = (await ledger.getAddress()) as Address;
    await mine(20);
    await (
      await ledger
        .connect(admin)
        .addOrganization(
          "Late Co.",
          ethers.hexlify(ethers.toUtf8Bytes("91440300MA5TXT0093")),
          6901234000004n,
          "0x4445",
          roleMask("PLATFORM"),
        )
    ).wait();
    const late = orgIds.rival + 1;
    const before = BigInt(await ethers.provider.getBlockNumber());
    await (await ledger.connect(admin).suspendOrganization(orgIds.lab)).wait();

    const { client: counting, ranges } = logRangeRecordingClient();
    const orgs = await readOrganizations(counting, {
      ledger: { address, deploymentBlock: 0n },
      orgIds: [orgIds.lab, late, late, 0, 999],
    });
    expect([...orgs.keys()]).to.deep.equal([orgIds.lab, late]);
    expect(orgs.get(late)).to.deep.equal({
      orgId: late,
      roles: roleMask("PLATFORM"),
      suspended: false,
      addedInBlock: before,
      identity: { name: "Late Co.", creditCode: "91440300MA5TXT0093", country: "DE", gln: "6901234000004" },
    });
    expect(orgs.get(orgIds.lab)).to.deep.include({ suspended: true });
    expect(orgs.get(orgIds.lab)?.identity).to.deep.include({ name: "lab org", country: "CN" });
    expect(ranges).to.have.length(2);
    for (const [from, to] of ranges) expect(from).to.equal(to);

    const earlier = await readOrganizations(hardhatClient(), {
      ledger: { address },
      orgIds: [orgIds.lab, late],
      blockNumber: before,
    });
    expect(earlier.get(orgIds.lab)?.suspended).to.equal(false);
    expect(
      (await readOrganizations(hardhatClient(), { ledger: { address }, orgIds: [late], blockNumber: before - 1n }))
        .size,
    ).to.equal(0);
  });

  it("decodes the fixed-size byte fields: text when printable, else the hex itself", () => {
    expect(creditCodeText(ethers.hexlify(ethers.toUtf8Bytes("91440300MA5TXT0093")) as `0x${string}`)).to.equal(
      "91440300MA5TXT0093",
    );
    expect(creditCodeText(`0x41420000000000000000000000000000000000`)).to.equal("AB");
    expect(creditCodeText(`0x0a0b0000000000000000000000000000000000`)).to.equal(
      "0x0a0b0000000000000000000000000000000000",
    );
    expect(countryText("0x434e")).to.equal("CN");
  });
});
