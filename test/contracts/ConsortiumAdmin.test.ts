/**
 * The consortium admin role is handed over only through OpenZeppelin's two-step, delayed
 * `AccessControlDefaultAdminRules` transfer (delay `ADMIN_DELAY`).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ADMIN_DELAY, creditCode, deployLedger } from "../helpers/ledger";
import { roleMask } from "../../src/codes";

const CN = ethers.hexlify(ethers.toUtf8Bytes("CN"));

/** deployLedger plus a proposed new admin (an address without an account). */
async function transferFixture() {
  const f = await loadFixture(deployLedger);
  const next = f.spare[0];
  const tx = await f.ledger.beginDefaultAdminTransfer(next.address);
  const block = (await ethers.provider.getBlock((await tx.wait())!.blockNumber))!;
  const schedule = BigInt(block.timestamp) + BigInt(ADMIN_DELAY);
  return { ...f, next, schedule, beginTx: tx };
}

describe("Consortium: two-step delayed admin transfer", () => {
  it("starts with the deployer as the only admin and ADMIN_DELAY as the delay", async () => {
    const { ledger, admin, accounts } = await loadFixture(deployLedger);
    const role = await ledger.DEFAULT_ADMIN_ROLE();
    expect(await ledger.defaultAdmin()).to.equal(admin.address);
    expect(await ledger.defaultAdminDelay()).to.equal(ADMIN_DELAY);
    expect(await ledger.hasRole(role, admin.address)).to.equal(true);
    expect(await ledger.hasRole(role, accounts.exporter.address)).to.equal(false);
    const pending = await ledger.pendingDefaultAdmin();
    expect([pending.newAdmin, pending.schedule]).to.deep.equal([ethers.ZeroAddress, 0n]);
  });

  it("beginDefaultAdminTransfer schedules the new admin ADMIN_DELAY seconds later", async () => {
    const { ledger, next, schedule, beginTx } = await transferFixture();
    await expect(beginTx).to.emit(ledger, "DefaultAdminTransferScheduled").withArgs(next.address, schedule);
    const pending = await ledger.pendingDefaultAdmin();
    expect([pending.newAdmin, pending.schedule]).to.deep.equal([next.address, schedule]);
  });

  it("acceptDefaultAdminTransfer before the delay reverts with AccessControlEnforcedDefaultAdminDelay", async () => {
    const { ledger, next, schedule } = await transferFixture();
    await expect(ledger.connect(next).acceptDefaultAdminTransfer())
      .to.be.revertedWithCustomError(ledger, "AccessControlEnforcedDefaultAdminDelay")
      .withArgs(schedule);
    // Still refused at the schedule second itself (it must have passed).
    await time.setNextBlockTimestamp(schedule);
    await expect(ledger.connect(next).acceptDefaultAdminTransfer())
      .to.be.revertedWithCustomError(ledger, "AccessControlEnforcedDefaultAdminDelay")
      .withArgs(schedule);
  });

  it("only the proposed admin may accept", async () => {
    const { ledger, accounts, stranger, admin } = await transferFixture();
    await time.increase(ADMIN_DELAY + 1);
    for (const who of [accounts.exporter, stranger, admin]) {
      await expect(ledger.connect(who).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(ledger, "AccessControlInvalidDefaultAdmin")
        .withArgs(who.address);
    }
  });

  it("after the delay the new admin accepts; the old admin loses every admin function", async () => {
    const { ledger, admin, next } = await transferFixture();
    const role = await ledger.DEFAULT_ADMIN_ROLE();
    await time.increase(ADMIN_DELAY + 1);
    await expect(ledger.connect(next).acceptDefaultAdminTransfer())
      .to.emit(ledger, "RoleRevoked")
      .withArgs(role, admin.address, next.address)
      .and.to.emit(ledger, "RoleGranted")
      .withArgs(role, next.address, next.address);
    expect(await ledger.defaultAdmin()).to.equal(next.address);
    expect(await ledger.hasRole(role, admin.address)).to.equal(false);
    const pending = await ledger.pendingDefaultAdmin();
    expect([pending.newAdmin, pending.schedule]).to.deep.equal([ethers.ZeroAddress, 0n]);

    await expect(ledger.connect(admin).addOrganization("Old Admin Co", creditCode(70), 0n, CN, 1))
      .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
      .withArgs(admin.address, role);
    await expect(ledger.connect(admin).pause())
      .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
      .withArgs(admin.address, role);

    const roles = roleMask("PLATFORM");
    expect(
      await ledger.connect(next).addOrganization.staticCall("New Admin Co", creditCode(71), 0n, CN, roles),
    ).to.equal(11);
    await expect(ledger.connect(next).addOrganization("New Admin Co", creditCode(71), 0n, CN, roles))
      .to.emit(ledger, "OrganizationAdded")
      .withArgs(11, "New Admin Co", creditCode(71), 0n, CN, roles);
    await expect(ledger.connect(next).pause()).to.emit(ledger, "Paused").withArgs(next.address);
  });

  it("cancelDefaultAdminTransfer clears the proposal; accepting afterwards is refused", async () => {
    const { ledger, admin, next } = await transferFixture();
    await expect(ledger.cancelDefaultAdminTransfer()).to.emit(ledger, "DefaultAdminTransferCanceled");
    const pending = await ledger.pendingDefaultAdmin();
    expect([pending.newAdmin, pending.schedule]).to.deep.equal([ethers.ZeroAddress, 0n]);
    await time.increase(ADMIN_DELAY + 1);
    await expect(ledger.connect(next).acceptDefaultAdminTransfer())
      .to.be.revertedWithCustomError(ledger, "AccessControlInvalidDefaultAdmin")
      .withArgs(next.address);
    expect(await ledger.defaultAdmin()).to.equal(admin.address);
    await expect(ledger.connect(next).pause())
      .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
      .withArgs(next.address, await ledger.DEFAULT_ADMIN_ROLE());
    await expect(ledger.pause()).to.emit(ledger, "Paused").withArgs(admin.address);
  });

  it("a new proposal replaces the pending one and restarts the delay", async () => {
    const { ledger, next, spare } = await transferFixture();
    const other = spare[1];
    await time.increase(ADMIN_DELAY / 2);
    const tx = await ledger.beginDefaultAdminTransfer(other.address);
    const ts = (await ethers.provider.getBlock((await tx.wait())!.blockNumber))!.timestamp;
    await expect(tx)
      .to.emit(ledger, "DefaultAdminTransferScheduled")
      .withArgs(other.address, BigInt(ts) + BigInt(ADMIN_DELAY));
    await time.increase(ADMIN_DELAY / 2 + 10);
    await expect(ledger.connect(next).acceptDefaultAdminTransfer())
      .to.be.revertedWithCustomError(ledger, "AccessControlInvalidDefaultAdmin")
      .withArgs(next.address);
    await expect(ledger.connect(other).acceptDefaultAdminTransfer())
      .to.be.revertedWithCustomError(ledger, "AccessControlEnforcedDefaultAdminDelay")
      .withArgs(BigInt(ts) + BigInt(ADMIN_DELAY));
  });

  it("the admin role cannot be granted, revoked or renounced around the two-step transfer: no such function exists", async () => {
    const { ledger, admin, spare } = await loadFixture(deployLedger);
    for (const name of ["grantRole", "revokeRole", "renounceRole", "getRoleAdmin"]) {
      expect((ledger.interface as unknown as { getFunction(n: string): unknown }).getFunction(name), name).to.equal(
        null,
      );
    }
    // A raw call with grantRole's selector finds no function and reverts without data.
    const grant = new ethers.Interface(["function grantRole(bytes32 role, address account)"]);
    const data = grant.encodeFunctionData("grantRole", [ethers.ZeroHash, spare[0].address]);
    await expect(admin.sendTransaction({ to: await ledger.getAddress(), data })).to.be.reverted;
    expect(await ledger.defaultAdmin()).to.equal(admin.address);
    expect(await ledger.hasRole(ethers.ZeroHash, spare[0].address)).to.equal(false);
    expect(await ledger.hasRole(ethers.ZeroHash, admin.address)).to.equal(true);
    expect(await ledger.hasRole(ethers.id("OTHER"), admin.address)).to.equal(false);
  });

  it("proposing address 0 is refused; a proposal by a non-admin is refused", async () => {
    const { ledger, spare } = await loadFixture(deployLedger);
    await expect(ledger.beginDefaultAdminTransfer(ethers.ZeroAddress))
      .to.be.revertedWithCustomError(ledger, "AccessControlInvalidDefaultAdmin")
      .withArgs(ethers.ZeroAddress);
    await expect(ledger.connect(spare[0]).beginDefaultAdminTransfer(spare[0].address))
      .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
      .withArgs(spare[0].address, ethers.ZeroHash);
  });

  it("a delay change takes effect after the current delay, and is pending until then", async () => {
    const { ledger } = await loadFixture(deployLedger);
    const tx = await ledger.changeDefaultAdminDelay(60);
    const ts = (await ethers.provider.getBlock((await tx.wait())!.blockNumber))!.timestamp;
    const at = BigInt(ts) + BigInt(ADMIN_DELAY);
    await expect(tx).to.emit(ledger, "DefaultAdminDelayChangeScheduled").withArgs(60, at);
    expect(await ledger.defaultAdminDelay()).to.equal(ADMIN_DELAY);
    expect(await ledger.pendingDefaultAdminDelay()).to.deep.equal([60n, at]);
    await time.increaseTo(at);
    expect(await ledger.defaultAdminDelay()).to.equal(60);
    expect(await ledger.pendingDefaultAdminDelay()).to.deep.equal([0n, 0n]);
    // The next change is measured from the delay now in force.
    const tx2 = await ledger.changeDefaultAdminDelay(7200);
    const ts2 = (await ethers.provider.getBlock((await tx2.wait())!.blockNumber))!.timestamp;
    expect(await ledger.pendingDefaultAdminDelay()).to.deep.equal([7200n, BigInt(ts2) + 60n]);
  });
});
