/**
 * IConsortium revert paths of the admin functions and views: each with its exact custom error and args.
 * Effects on ledger writes (suspended / retired accounts, pause) are in ConsortiumWriting.test.ts.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { creditCode, deployLedger, type LedgerFixture } from "../helpers/ledger";
import { ALL_ROLES } from "../helpers/matrix";
import { afterDelay } from "../helpers/governance";
import { LIMITS, ROLES, roleMask, STEPS } from "../../src/codes";

const CN = ethers.hexlify(ethers.toUtf8Bytes("CN"));
/** An organization id one past the last one of the fixture (10 organizations). */
const NEXT_ORG = 11;

type Row = {
  name: string;
  call: (f: LedgerFixture) => Promise<unknown>;
  error: string;
  args: (f: LedgerFixture) => unknown[];
  setup?: (f: LedgerFixture) => Promise<unknown>;
};

/** Runs a table of revert cases, one `it` per row. */
function revertTable(rows: Row[]) {
  for (const r of rows) {
    it(`${r.name} → ${r.error}`, async () => {
      const f = await loadFixture(deployLedger);
      if (r.setup) await r.setup(f);
      await expect(r.call(f))
        .to.be.revertedWithCustomError(f.ledger, r.error)
        .withArgs(...r.args(f));
    });
  }
}

const ascii2 = (s: string) => ethers.hexlify(ethers.toUtf8Bytes(s));

describe("Consortium: revert paths", () => {
  describe("addOrganization", () => {
    const add = (name: string, gln: bigint, country: string, roles: number) => (f: LedgerFixture) =>
      f.ledger.addOrganization(name, creditCode(50), gln, country, roles);
    revertTable([
      { name: "empty name", call: add("", 0n, CN, 1), error: "ConsortiumEmptyName", args: () => [] },
      {
        name: "name of 257 ASCII bytes",
        call: add("A".repeat(257), 0n, CN, 1),
        error: "ConsortiumNameTooLong",
        args: () => [257, LIMITS.MAX_NAME_BYTES],
      },
      {
        name: "name of 86 Chinese characters (258 UTF-8 bytes)",
        call: add("深".repeat(86), 0n, CN, 1),
        error: "ConsortiumNameTooLong",
        args: () => [258, LIMITS.MAX_NAME_BYTES],
      },
      ...[10_000_000_000_000n, 99_999_999_999_999n, 2n ** 64n - 1n].map((gln) => ({
        name: `GLN ${gln} (more than 13 digits)`,
        call: add("A", gln, CN, 1),
        error: "ConsortiumInvalidGln",
        args: () => [gln],
      })),
      ...["cn", "Cn", "cN", "C1", "1N", "12", "C ", "@Z", "[A", "A`"].map((c) => ({
        name: `country "${c}"`,
        call: add("A", 0n, ascii2(c), 1),
        error: "ConsortiumInvalidCountry",
        args: () => [ascii2(c)],
      })),
      {
        name: "country 0x0000",
        call: add("A", 0n, "0x0000", 1),
        error: "ConsortiumInvalidCountry",
        args: () => ["0x0000"],
      },
      ...[0, 1 << ROLES.COUNT, (1 << ROLES.COUNT) | 1, 0x8000, 0xffff].map((roles) => ({
        name: `roles 0x${roles.toString(16)}`,
        call: add("A", 0n, CN, roles),
        error: "ConsortiumInvalidRoles",
        args: () => [roles],
      })),
    ]);

    it("accepts names of exactly the longest length, ASCII or multi-byte, and logs them intact", async () => {
      const { ledger } = await loadFixture(deployLedger);
      expect(LIMITS.MAX_NAME_BYTES).to.equal(256);
      for (const name of ["N".repeat(256), "深".repeat(85) + "X", "a", "深"]) {
        const id = (await ledger.organizationCount()) + 1n;
        await expect(ledger.addOrganization(name, creditCode(52), 0n, CN, 1))
          .to.emit(ledger, "OrganizationAdded")
          .withArgs(id, name, creditCode(52), 0n, CN, 1);
      }
    });

    it("accepts the boundary values: 13-digit GLN, A..Z country letters, every defined role", async () => {
      const { ledger } = await loadFixture(deployLedger);
      for (const c of ["AZ", "ZA"]) {
        // The id is read before the call is sent: read after, it could already count the new organization.
        const id = (await ledger.organizationCount()) + 1n;
        await expect(ledger.addOrganization("B", creditCode(51), 9_999_999_999_999n, ascii2(c), ALL_ROLES))
          .to.emit(ledger, "OrganizationAdded")
          .withArgs(id, "B", creditCode(51), 9_999_999_999_999n, ascii2(c), ALL_ROLES);
      }
      expect(await ledger.organizationCount()).to.equal(12);
    });
  });

  describe("setOrganizationRoles", () => {
    revertTable([
      ...[0, NEXT_ORG, 2 ** 32 - 1].map((id) => ({
        name: `organization ${id}`,
        call: (f: LedgerFixture) => f.ledger.setOrganizationRoles(id, 1),
        error: "ConsortiumUnknownOrganization",
        args: () => [id],
      })),
      ...[0, 1 << ROLES.COUNT, 0xffff].map((roles) => ({
        name: `roles 0x${roles.toString(16)}`,
        call: (f: LedgerFixture) => f.ledger.setOrganizationRoles(f.orgIds.factory, roles),
        error: "ConsortiumInvalidRoles",
        args: () => [roles],
      })),
    ]);
  });

  describe("suspendOrganization / reactivateOrganization", () => {
    revertTable([
      ...[0, NEXT_ORG].flatMap((id) => [
        {
          name: `suspend organization ${id}`,
          call: (f: LedgerFixture) => f.ledger.suspendOrganization(id),
          error: "ConsortiumUnknownOrganization",
          args: () => [id],
        },
        {
          name: `reactivate organization ${id}`,
          call: (f: LedgerFixture) => f.ledger.reactivateOrganization(id),
          error: "ConsortiumUnknownOrganization",
          args: () => [id],
        },
      ]),
      {
        name: "suspend twice",
        setup: (f) => f.ledger.suspendOrganization(f.orgIds.lab),
        call: (f) => f.ledger.suspendOrganization(f.orgIds.lab),
        error: "ConsortiumOrganizationSuspended",
        args: (f) => [f.orgIds.lab],
      },
      {
        name: "reactivate an active organization",
        call: (f) => f.ledger.reactivateOrganization(f.orgIds.lab),
        error: "ConsortiumOrganizationNotSuspended",
        args: (f) => [f.orgIds.lab],
      },
      {
        name: "reactivate twice",
        setup: async (f) => {
          await f.ledger.suspendOrganization(f.orgIds.lab);
          await f.ledger.reactivateOrganization(f.orgIds.lab);
        },
        call: (f) => f.ledger.reactivateOrganization(f.orgIds.lab),
        error: "ConsortiumOrganizationNotSuspended",
        args: (f) => [f.orgIds.lab],
      },
    ]);
  });

  describe("addAccount", () => {
    revertTable([
      ...[0, NEXT_ORG].map((id) => ({
        name: `organization ${id}`,
        call: (f: LedgerFixture) => f.ledger.addAccount(id, f.spare[0].address),
        error: "ConsortiumUnknownOrganization",
        args: () => [id],
      })),
      {
        name: "zero address",
        call: (f) => afterDelay(f.ledger, "addAccount", f.orgIds.lab, ethers.ZeroAddress),
        error: "ConsortiumZeroAddress",
        args: () => [],
      },
      {
        name: "an account of the same organization",
        call: (f) => afterDelay(f.ledger, "addAccount", f.orgIds.lab, f.accounts.lab.address),
        error: "ConsortiumAccountExists",
        args: (f) => [f.accounts.lab.address, f.orgIds.lab],
      },
      {
        name: "an account of another organization (error names its own organization)",
        call: (f) => afterDelay(f.ledger, "addAccount", f.orgIds.lab, f.accounts.customs.address),
        error: "ConsortiumAccountExists",
        args: (f) => [f.accounts.customs.address, f.orgIds.customs],
      },
      {
        name: "a suspended account",
        setup: (f) => f.ledger.suspendAccount(f.accounts.customs.address),
        call: (f) => afterDelay(f.ledger, "addAccount", f.orgIds.lab, f.accounts.customs.address),
        error: "ConsortiumAccountExists",
        args: (f) => [f.accounts.customs.address, f.orgIds.customs],
      },
      {
        name: "a retired account (never reusable)",
        setup: (f) => afterDelay(f.ledger, "rotateAccount", f.accounts.customs.address, f.spare[0].address),
        call: (f) => afterDelay(f.ledger, "addAccount", f.orgIds.customs, f.accounts.customs.address),
        error: "ConsortiumAccountExists",
        args: (f) => [f.accounts.customs.address, f.orgIds.customs],
      },
    ]);
  });

  describe("suspendAccount / reactivateAccount", () => {
    const retire = (f: LedgerFixture) =>
      afterDelay(f.ledger, "rotateAccount", f.accounts.market.address, f.spare[0].address);
    revertTable([
      {
        name: "suspend an address without an account",
        call: (f) => f.ledger.suspendAccount(f.stranger.address),
        error: "ConsortiumUnknownAccount",
        args: (f) => [f.stranger.address],
      },
      {
        name: "suspend the zero address",
        call: (f) => f.ledger.suspendAccount(ethers.ZeroAddress),
        error: "ConsortiumUnknownAccount",
        args: () => [ethers.ZeroAddress],
      },
      {
        name: "suspend twice",
        setup: (f) => f.ledger.suspendAccount(f.accounts.market.address),
        call: (f) => f.ledger.suspendAccount(f.accounts.market.address),
        error: "ConsortiumAccountSuspended",
        args: (f) => [f.accounts.market.address],
      },
      {
        name: "suspend a retired account",
        setup: retire,
        call: (f) => f.ledger.suspendAccount(f.accounts.market.address),
        error: "ConsortiumAccountRetired",
        args: (f) => [f.accounts.market.address],
      },
      {
        name: "reactivate an address without an account",
        call: (f) => f.ledger.reactivateAccount(f.stranger.address),
        error: "ConsortiumUnknownAccount",
        args: (f) => [f.stranger.address],
      },
      {
        name: "reactivate an active account",
        call: (f) => f.ledger.reactivateAccount(f.accounts.market.address),
        error: "ConsortiumAccountNotSuspended",
        args: (f) => [f.accounts.market.address],
      },
      {
        name: "reactivate a retired account",
        setup: retire,
        call: (f) => f.ledger.reactivateAccount(f.accounts.market.address),
        error: "ConsortiumAccountNotSuspended",
        args: (f) => [f.accounts.market.address],
      },
    ]);
  });

  describe("rotateAccount", () => {
    revertTable([
      {
        name: "from an address without an account",
        call: (f) => afterDelay(f.ledger, "rotateAccount", f.stranger.address, f.spare[0].address),
        error: "ConsortiumUnknownAccount",
        args: (f) => [f.stranger.address],
      },
      {
        name: "from a retired account",
        setup: (f) => afterDelay(f.ledger, "rotateAccount", f.accounts.warehouse.address, f.spare[0].address),
        call: (f) => afterDelay(f.ledger, "rotateAccount", f.accounts.warehouse.address, f.spare[1].address),
        error: "ConsortiumAccountRetired",
        args: (f) => [f.accounts.warehouse.address],
      },
      {
        name: "to the zero address",
        call: (f) => afterDelay(f.ledger, "rotateAccount", f.accounts.warehouse.address, ethers.ZeroAddress),
        error: "ConsortiumZeroAddress",
        args: () => [],
      },
      {
        name: "to an account of another organization",
        call: (f) => afterDelay(f.ledger, "rotateAccount", f.accounts.warehouse.address, f.accounts.carrier.address),
        error: "ConsortiumAccountExists",
        args: (f) => [f.accounts.carrier.address, f.orgIds.carrier],
      },
      {
        name: "to itself",
        call: (f) => afterDelay(f.ledger, "rotateAccount", f.accounts.warehouse.address, f.accounts.warehouse.address),
        error: "ConsortiumAccountExists",
        args: (f) => [f.accounts.warehouse.address, f.orgIds.warehouse],
      },
      {
        name: "to an account it retired before",
        setup: (f) => afterDelay(f.ledger, "rotateAccount", f.accounts.warehouse.address, f.spare[0].address),
        call: (f) => afterDelay(f.ledger, "rotateAccount", f.spare[0].address, f.accounts.warehouse.address),
        error: "ConsortiumAccountExists",
        args: (f) => [f.accounts.warehouse.address, f.orgIds.warehouse],
      },
    ]);

    it("a refused rotation leaves the old account active", async () => {
      const f = await loadFixture(deployLedger);
      await expect(
        afterDelay(f.ledger, "rotateAccount", f.accounts.warehouse.address, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(f.ledger, "ConsortiumZeroAddress");
      const a = await f.ledger.accountInfo(f.accounts.warehouse.address);
      expect([a.status, a.roles]).to.deep.equal([0n, BigInt(roleMask("WAREHOUSE"))]);
    });
  });

  describe("setPermissions", () => {
    revertTable([
      {
        name: "2 steps, 1 mask",
        call: (f) => afterDelay(f.ledger, "setPermissions", [STEPS.INSPECTING, STEPS.SAMPLING], [1]),
        error: "ConsortiumLengthMismatch",
        args: () => [2, 1],
      },
      {
        name: "0 steps, 1 mask",
        call: (f) => afterDelay(f.ledger, "setPermissions", [], [1]),
        error: "ConsortiumLengthMismatch",
        args: () => [0, 1],
      },
      ...[0, STEPS.MAX + 1, 59, 60, 255].map((step) => ({
        name: `step ${step}`,
        call: (f: LedgerFixture) => afterDelay(f.ledger, "setPermissions", [step], [1]),
        error: "ConsortiumInvalidStep",
        args: () => [step],
      })),
      ...[1 << ROLES.COUNT, 0xffff].map((roles) => ({
        name: `mask 0x${roles.toString(16)}`,
        call: (f: LedgerFixture) => afterDelay(f.ledger, "setPermissions", [STEPS.INSPECTING], [roles]),
        error: "ConsortiumInvalidRoles",
        args: () => [roles],
      })),
    ]);

    it("is atomic: a bad entry after a good one changes nothing", async () => {
      const { ledger } = await loadFixture(deployLedger);
      const before = await ledger.allowedRoles(STEPS.SAMPLING);
      await expect(afterDelay(ledger, "setPermissions", [STEPS.SAMPLING, 0], [roleMask("CARRIER"), 1]))
        .to.be.revertedWithCustomError(ledger, "ConsortiumInvalidStep")
        .withArgs(0);
      expect(await ledger.allowedRoles(STEPS.SAMPLING)).to.equal(before);
    });
  });

  describe("pause / unpause", () => {
    revertTable([
      {
        name: "pause twice",
        setup: (f) => f.ledger.pause(),
        call: (f) => f.ledger.pause(),
        error: "ConsortiumPaused",
        args: () => [],
      },
      { name: "unpause when running", call: (f) => f.ledger.unpause(), error: "ConsortiumNotPaused", args: () => [] },
      {
        name: "unpause twice",
        setup: async (f) => {
          await f.ledger.pause();
          await f.ledger.unpause();
        },
        call: (f) => f.ledger.unpause(),
        error: "ConsortiumNotPaused",
        args: () => [],
      },
    ]);
  });

  describe("views", () => {
    revertTable([
      ...[0, NEXT_ORG].flatMap((id) => [
        {
          name: `organization(${id})`,
          call: (f: LedgerFixture) => f.ledger.organization(id),
          error: "ConsortiumUnknownOrganization",
          args: () => [id],
        },
        {
          name: `organizationAccounts(${id})`,
          call: (f: LedgerFixture) => f.ledger.organizationAccounts(id),
          error: "ConsortiumUnknownOrganization",
          args: () => [id],
        },
      ]),
      ...[0, STEPS.MAX + 1, 255].map((step) => ({
        name: `allowedRoles(${step})`,
        call: (f: LedgerFixture) => f.ledger.allowedRoles(step),
        error: "ConsortiumInvalidStep",
        args: () => [step],
      })),
    ]);
  });
});
