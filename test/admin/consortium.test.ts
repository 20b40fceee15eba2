/**
 * Consortium administration through the SDK against the Hardhat network: reading the consortium, planning
 * and applying a consortium file (apply, re-apply, change, conflicts), single admin operations and the
 * two-step admin transfer.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet } from "ethers";
import { createPublicClient, custom, type Address, type PublicClient } from "viem";
import { ADMIN_DELAY, deployLedger } from "../helpers/ledger";
import { hardhatClient, rejection, writerFor, logRangeRecordingClient } from "../helpers/sdk";
import type { TraceLedger } from "../../typechain-types";
import {
  ConsortiumAdmin,
  ConsortiumConflictError,
  type GovernedResult,
  applyConsortium,
  creditCodeCheckChar,
  formatConsortium,
  formatPlan,
  parseConsortiumFile,
  planConsortium,
  readConsortium,
  filePrefixes,
  type ConsortiumFile,
} from "../../src/admin";
import { AdminOnlyError, InvalidRequestError } from "../../src/errors/contract";
import { ROLE_NAMES, roleMask, STEP_NAMES, STEPS } from "../../src/codes";
import { InconsistentLogsError } from "../../src/read/history";

const code = (n: number) => {
  const body = `91440300MA5TXT${String(n).padStart(3, "0")}`;
  return body + creditCodeCheckChar(body);
};
const addr = () => Wallet.createRandom().address as Address;

async function emptyLedger() {
  const [admin, stranger] = await ethers.getSigners();
  const ledger = await (await ethers.getContractFactory("TraceLedger")).deploy(admin.address, ADMIN_DELAY);
  const receipt = await ledger.deploymentTransaction()!.wait();
  return { ledger, admin, stranger, deploymentBlock: BigInt(receipt!.blockNumber) };
}

async function read(ledger: TraceLedger, deploymentBlock = 0n, maxBlockRange?: bigint) {
  const { chainId } = await ethers.provider.getNetwork();
  return readConsortium({
    client: hardhatClient(),
    ledger: { address: (await ledger.getAddress()) as Address, chainId: Number(chainId), deploymentBlock },
    maxBlockRange,
  });
}

async function adminAs(ledger: TraceLedger, address: string) {
  return ConsortiumAdmin.fromWriter(await writerFor(ledger, address));
}

/** Plans the file against the chain and applies it as `as`. */
async function sync(ledger: TraceLedger, file: ConsortiumFile, as: string, deploymentBlock = 0n) {
  const plan = planConsortium(file, await read(ledger, deploymentBlock));
  const result = await applyConsortium(await adminAs(ledger, as), plan);
  return { plan, result };
}

/**
 * `sync`, then — when the ledger delayed some changes (issue 11 item 7: a second key, a role grant, the
 * matrix once organizations exist) — the wait and a second apply: the file is then fully in effect.
 */
async function syncAll(ledger: TraceLedger, file: ConsortiumFile, as: string, deploymentBlock = 0n) {
  const first = await sync(ledger, file, as, deploymentBlock);
  if (first.result.pending.length) {
    await time.increaseTo(Math.max(...first.result.pending.map((p) => p.readyAt!)));
    await sync(ledger, file, as, deploymentBlock);
  }
  return first;
}

/** Makes a delayed admin call take effect: the call, the wait it announces, the same call again. */
async function settled(call: () => Promise<GovernedResult>): Promise<GovernedResult> {
  const first = await call();
  if (first.status === "executed") return first;
  expect(first.status).to.be.oneOf(["scheduled", "waiting"]);
  await time.increaseTo((first as { readyAt: number }).readyAt);
  const second = await call();
  expect(second.status).to.equal("executed");
  return second;
}

const accounts = Array.from({ length: 8 }, () => addr());

const baseFile = () =>
  parseConsortiumFile({
    organizations: [
      {
        name: "Shenzhen Export",
        creditCode: code(1),
        gln: "6901234000009",
        country: "CN",
        roles: ["EXPORTER"],
        accounts: [accounts[0], accounts[1]],
      },
      { name: "Factory", creditCode: code(2), country: "CN", roles: ["MANUFACTURER"], accounts: [accounts[2]] },
      { name: "Carrier", creditCode: code(3), country: "HK", roles: ["CARRIER"], accounts: [] },
    ],
    permissions: { DELIVERED: ["CARRIER", "PLATFORM"] },
  });

describe("consortium administration (SDK)", () => {
  it("applies a file to an empty consortium: organizations, accounts, permissions", async () => {
    const { ledger, admin, deploymentBlock } = await loadFixture(emptyLedger);
    const { plan, result } = await syncAll(ledger, baseFile(), admin.address, deploymentBlock);
    // Genesis: the matrix first, at once; the exporter's second key is the one delayed change.
    expect(plan.changes.map((c) => [c.kind, Boolean(c.delayed)])).to.deep.equal([
      ["setPermissions", false],
      ["addOrganization", false],
      ["addAccount", false],
      ["addAccount", true],
      ["addOrganization", false],
      ["addAccount", false],
      ["addOrganization", false],
    ]);
    expect(formatPlan(plan)).to.contain(`new organization "Shenzhen Export": add account ${accounts[1]} [delayed]`);
    expect(result.applied.map((a) => a.status)).to.deep.equal([
      "executed",
      "executed",
      "executed",
      "scheduled",
      "executed",
      "executed",
      "executed",
    ]);
    expect(result.pending).to.have.length(1);
    expect(result.pending[0]).to.deep.include({ status: "scheduled", orgId: 1 });
    const scheduledIn = await ethers.provider.getBlock(result.pending[0].transaction!.blockNumber);
    expect(result.pending[0].readyAt).to.equal(scheduledIn!.timestamp + ADMIN_DELAY);
    expect(formatPlan(plan)).to.contain(
      `+ add organization "Shenzhen Export" (credit code ${code(1)}, GLN 6901234000009, CN) with roles EXPORTER`,
    );
    expect(formatPlan(plan)).to.contain("DELIVERED: CARRIER → CARRIER, PLATFORM");
    expect(result.applied.map((a) => a.orgId)).to.deep.equal([undefined, 1, 1, 1, 2, 2, 3]);

    const state = await read(ledger, deploymentBlock);
    expect(state.organizations.map((o) => [o.orgId, o.name, o.creditCode, o.gln, o.country, o.roles])).to.deep.equal([
      [1, "Shenzhen Export", code(1), "6901234000009", "CN", ["EXPORTER"]],
      [2, "Factory", code(2), undefined, "CN", ["MANUFACTURER"]],
      [3, "Carrier", code(3), undefined, "HK", ["CARRIER"]],
    ]);
    expect(state.organizations[0].accounts).to.deep.equal([
      { address: accounts[0], status: "active", canAct: true },
      { address: accounts[1], status: "active", canAct: true },
    ]);
    expect(state.permissions.DELIVERED).to.deep.equal(["CARRIER", "PLATFORM"]);
    expect((await ledger.accountInfo(accounts[2])).roles).to.equal(BigInt(roleMask("MANUFACTURER")));
  });

  it("re-applying the same file plans no change and sends nothing", async () => {
    const { ledger, admin, deploymentBlock } = await loadFixture(emptyLedger);
    await syncAll(ledger, baseFile(), admin.address, deploymentBlock);
    const block = await ethers.provider.getBlockNumber();
    const { plan, result } = await sync(ledger, baseFile(), admin.address, deploymentBlock);
    expect(plan.changes).to.deep.equal([]);
    expect(plan.warnings).to.deep.equal([]);
    expect(formatPlan(plan)).to.contain("no changes: the chain already matches the file.");
    expect(result.applied).to.deep.equal([]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("plans exactly the changes: add an org, change roles, add an account, suspend, override a permission", async () => {
    const { ledger, admin, deploymentBlock } = await loadFixture(emptyLedger);
    await syncAll(ledger, baseFile(), admin.address, deploymentBlock);
    const file = baseFile();
    file.organizations[1].roles = ["MANUFACTURER", "WAREHOUSE"];
    file.organizations[1].accounts.push(accounts[3]);
    file.organizations[2].suspended = true;
    file.organizations.push({
      name: "Customs",
      creditCode: code(4),
      country: "CN",
      roles: ["CUSTOMS"],
      accounts: [accounts[4]],
      suspended: false,
      prefixes: [],
    });
    file.permissions.DEPARTING = ["CARRIER", "WAREHOUSE"];
    const { plan } = await syncAll(ledger, file, admin.address, deploymentBlock);
    expect(plan.changes.filter((c) => c.delayed).map((c) => c.kind)).to.deep.equal([
      "setRoles",
      "addAccount",
      "setPermissions",
    ]);
    expect(plan.changes.map((c) => c.description)).to.deep.equal([
      `organization 2 "Factory": roles MANUFACTURER → MANUFACTURER, WAREHOUSE`,
      `organization 2 "Factory": add account ${accounts[3]}`,
      `organization 3 "Carrier": suspend`,
      `add organization "Customs" (credit code ${code(4)}, CN) with roles CUSTOMS`,
      `new organization "Customs": add account ${accounts[4]}`,
      `set the permissions of 1 step: DEPARTING CARRIER → WAREHOUSE, CARRIER`,
    ]);
    const state = await read(ledger, deploymentBlock);
    expect(state.organizations[1].roles).to.deep.equal(["MANUFACTURER", "WAREHOUSE"]);
    expect(state.organizations[1].accounts.map((a) => a.address)).to.deep.equal([accounts[2], accounts[3]]);
    expect(state.organizations[2].suspended).to.equal(true);
    expect(state.organizations[3]).to.include({ orgId: 4, name: "Customs" });
    expect(state.organizations[3].accounts[0]).to.deep.equal({ address: accounts[4], status: "active", canAct: true });
    expect(state.permissions.DEPARTING).to.deep.equal(["WAREHOUSE", "CARRIER"]);
    expect(planConsortium(file, state).changes).to.deep.equal([]);

    // And back: reactivation is planned when the file no longer says suspended.
    file.organizations[2].suspended = false;
    const back = planConsortium(file, await read(ledger, deploymentBlock));
    expect(back.changes.map((c) => c.kind)).to.deep.equal(["reactivateOrganization"]);
  });

  it("a new organization marked suspended is added, gets its accounts, then is suspended", async () => {
    const { ledger, admin } = await loadFixture(emptyLedger);
    const file = parseConsortiumFile({
      organizations: [
        {
          name: "Late",
          creditCode: code(7),
          country: "CN",
          roles: ["PLATFORM"],
          accounts: [accounts[7]],
          suspended: true,
        },
      ],
    });
    const { plan } = await sync(ledger, file, admin.address);
    expect(plan.changes.map((c) => c.kind)).to.deep.equal(["addOrganization", "addAccount", "suspendOrganization"]);
    const state = await read(ledger);
    expect(state.organizations[0].suspended).to.equal(true);
    expect(state.organizations[0].accounts[0]).to.deep.equal({ address: accounts[7], status: "active", canAct: false });
  });

  it("never removes: accounts and organizations missing from the file are warnings", async () => {
    const { ledger, admin, deploymentBlock } = await loadFixture(emptyLedger);
    await syncAll(ledger, baseFile(), admin.address, deploymentBlock);
    const file = baseFile();
    file.organizations[0].accounts = [accounts[0]];
    file.organizations.splice(2, 1);
    const plan = planConsortium(file, await read(ledger, deploymentBlock));
    expect(plan.changes).to.deep.equal([]);
    expect(plan.warnings).to.have.length(2);
    expect(plan.warnings[0]).to.contain(`account ${accounts[1]} (active) is on chain but not in the file`);
    expect(plan.warnings[1]).to.contain(
      `Organization 3 "Carrier" (credit code ${code(3)}) is on chain but not in the file`,
    );
    expect(formatPlan(plan)).to.contain("Left as it is:");
  });

  it("warns when the file's identity differs from the one recorded at onboarding", async () => {
    const { ledger, admin } = await loadFixture(emptyLedger);
    await syncAll(ledger, baseFile(), admin.address);
    const file = baseFile();
    file.organizations[0].name = "Shenzhen Export (renamed)";
    const plan = planConsortium(file, await read(ledger));
    expect(plan.changes).to.deep.equal([]);
    expect(plan.warnings[0]).to.match(
      /was onboarded with name "Shenzhen Export" \(file: "Shenzhen Export \(renamed\)"\)/,
    );
  });

  it("refuses an account that belongs to another organization on chain, sending nothing", async () => {
    const { ledger, admin, deploymentBlock } = await loadFixture(emptyLedger);
    await syncAll(ledger, baseFile(), admin.address, deploymentBlock);
    const file = baseFile();
    file.organizations[1].accounts.push(accounts[0]);
    file.organizations.push({
      name: "Thief",
      creditCode: code(5),
      country: "CN",
      roles: ["EXPORTER"],
      accounts: [accounts[1]],
      suspended: false,
      prefixes: [],
    });
    const block = await ethers.provider.getBlockNumber();
    const error = await rejection(
      (async () => planConsortium(file, await read(ledger, deploymentBlock)))(),
      ConsortiumConflictError,
    );
    expect(error.problems.map((p) => p.path)).to.deep.equal([
      "organizations[1].accounts[1]",
      "organizations[3].accounts[0]",
    ]);
    expect(error.shortMessage).to.contain(
      `${accounts[0]} is already an account (active) of organization 1 "Shenzhen Export" on chain, not of "Factory"`,
    );
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("resumes an interrupted apply: the next plan holds only what is left", async () => {
    const { ledger, admin } = await loadFixture(emptyLedger);
    const plan = planConsortium(baseFile(), await read(ledger));
    const a = await adminAs(ledger, admin.address);
    await applyConsortium(a, { ...plan, changes: plan.changes.slice(0, 3) }); // matrix, org 1, its first account
    const rest = planConsortium(baseFile(), await read(ledger));
    expect(rest.changes.length).to.equal(plan.changes.length - 3);
    expect(rest.changes[0]).to.include({ kind: "addAccount", orgId: 1, account: accounts[1], delayed: true });
    const scheduled = await applyConsortium(a, rest);
    expect(scheduled.pending.map((p) => p.change)).to.deep.equal([rest.changes[0]]);
    // Applied again before the delay: nothing is sent for it, it is still waiting.
    const again = planConsortium(baseFile(), await read(ledger));
    expect(again.changes).to.have.length(1);
    const block = await ethers.provider.getBlockNumber();
    const waiting = await applyConsortium(a, again);
    expect(waiting.applied.map((p) => [p.status, p.readyAt, p.transaction])).to.deep.equal([
      ["waiting", scheduled.pending[0].readyAt, undefined],
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    await time.increaseTo(scheduled.pending[0].readyAt!);
    const done = await applyConsortium(a, again);
    expect(done.applied.map((p) => p.status)).to.deep.equal(["executed"]);
    expect(planConsortium(baseFile(), await read(ledger)).changes).to.deep.equal([]);
  });

  it("applies only as the admin: another key is refused before anything is sent", async () => {
    const { ledger, stranger } = await loadFixture(emptyLedger);
    const plan = planConsortium(baseFile(), await read(ledger));
    const block = await ethers.provider.getBlockNumber();
    const error = await rejection(applyConsortium(await adminAs(ledger, stranger.address), plan), AdminOnlyError);
    expect(error.shortMessage).to.contain(`${stranger.address} is not the consortium admin`);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("reads organizations, accounts and the matrix; log ranges chunked to the max block range", async () => {
    const { ledger, admin, accounts: members } = await loadFixture(deployLedger);
    await mine(5);
    const a = await adminAs(ledger, admin.address);
    const { orgId } = await a.addOrganization({
      name: "Late joiner",
      creditCode: code(9),
      country: "DE",
      roles: ["PLATFORM"],
    });
    expect(orgId).to.equal(11);
    await a.suspendAccount(members.carrier.address as Address);
    await a.pause();
    const wide = await read(ledger);
    const narrow = await read(ledger, 0n, 2n);
    expect(narrow).to.deep.equal(wide);
    expect(wide.organizations).to.have.length(11);
    expect(wide.organizations[0]).to.include({ orgId: 1, name: "exporter org", country: "CN", suspended: false });
    expect(wide.organizations[3].accounts[0]).to.deep.equal({
      address: members.carrier.address,
      status: "suspended",
      canAct: false,
    });
    expect(wide.organizations[10]).to.include({ name: "Late joiner", creditCode: code(9), country: "DE" });
    expect(wide.paused).to.equal(true);
    expect(wide.admin).to.equal(admin.address);
    expect(wide.pendingAdmin).to.equal(undefined);
    expect(wide.adminDelay).to.equal(ADMIN_DELAY);
    for (const step of STEP_NAMES) {
      expect(wide.permissionMasks[step], step).to.equal(Number(await ledger.allowedRoles(STEPS[step])));
    }

    const text = formatConsortium(wide);
    expect(text).to.contain(`Admin:          ${admin.address}`);
    expect(text).to.contain("Ledger writes:  PAUSED");
    expect(text).to.match(/#11 +Late joiner +91440300MA5TXT009. +no GLN +DE +active/);
    expect(text).to.contain(`account ${members.carrier.address}  suspended`);
    expect(text).to.match(/\n {2}step +EXP +MFR +WHS +CAR +BRK +LAB +PLT +CUS +MKT +PAY +TAX\n/);
    expect(text).to.match(/\n {2}CUSTOMS_RELEASED +\. +\. +\. +\. +\. +\. +\. +x +\. +\. +\.\n/);
    expect(text.split("\n").filter((l) => / x| \./.test(l))).to.have.length(STEP_NAMES.length);
    expect(ROLE_NAMES).to.have.length(11);
  });

  it("reads identities in the blocks the ledger records, whatever the deployment block; one-block log queries", async () => {
    const { ledger } = await loadFixture(deployLedger);
    const head = BigInt(await ethers.provider.getBlockNumber());
    // The deployment block is no longer a floor to scan from: a wrong one changes nothing.
    expect(await read(ledger, head + 0n)).to.deep.equal(await read(ledger));
    const { client: counting, ranges } = logRangeRecordingClient();
    const address = (await ledger.getAddress()) as Address;
    await readConsortium({ client: counting, ledger: { address, deploymentBlock: head } });
    expect(ranges.length).to.be.greaterThan(0);
    for (const [from, to] of ranges) expect(from).to.equal(to);
  });

  it("fails clearly when the endpoint lacks the organizations' logs (a pruned node)", async () => {
    const { ledger } = await loadFixture(deployLedger);
    const pruned = createPublicClient({
      transport: custom({
        request: async ({ method, params }: { method: string; params?: unknown[] }) =>
          method === "eth_getLogs" ? [] : network.provider.request({ method, params }),
      }),
    }) as PublicClient;
    const address = (await ledger.getAddress()) as Address;
    await readConsortium({ client: pruned, ledger: { address } }).then(
      () => expect.fail("no error"),
      (e: Error) => {
        expect(e).to.be.instanceOf(InconsistentLogsError);
        expect(e.name).to.equal("InconsistentLogsError");
        expect(e.message).to.match(/No OrganizationAdded log for organizations 1, 2, 3, 4, 5, …/);
      },
    );
  });

  it("single admin operations, and their refusals in plain words", async () => {
    const { ledger, admin, accounts: members, orgIds } = await loadFixture(deployLedger);
    const a = await adminAs(ledger, admin.address);
    const fresh = addr();
    const rotation = await a.rotateAccount(members.exporter.address as Address, fresh);
    expect(rotation.status).to.equal("scheduled");
    expect(await a.accountInfo(members.exporter.address as Address)).to.deep.include({ status: "active" });
    await settled(() => a.rotateAccount(members.exporter.address as Address, fresh));
    expect(await a.accountInfo(members.exporter.address as Address)).to.deep.include({ status: "retired", orgId: 1 });
    expect(await a.accountInfo(fresh)).to.deep.equal({
      address: fresh,
      orgId: orgIds.exporter,
      roles: ["EXPORTER"],
      status: "active",
    });
    await settled(() => a.setOrganizationRoles(orgIds.factory, ["MANUFACTURER", "EXPORTER"]));
    await a.suspendOrganization(orgIds.factory);
    await a.reactivateOrganization(orgIds.factory);
    await settled(() => a.setPermissions({ SAMPLING: [] }));
    expect(await ledger.allowedRoles(3)).to.equal(0n);

    const exists = await rejection(a.addAccount(orgIds.lab, members.carrier.address as Address), InvalidRequestError);
    expect(exists.shortMessage).to.equal(
      `${members.carrier.address} is already an account of organization ${orgIds.carrier}.`,
    );
    const notSuspended = await rejection(a.reactivateAccount(fresh), InvalidRequestError);
    expect(notSuspended.shortMessage).to.equal(`Account ${fresh} is not suspended: nothing to reactivate.`);
    const notPaused = await rejection(a.unpause(), InvalidRequestError);
    expect(notPaused.shortMessage).to.equal("The ledger is not paused: nothing to unpause.");
    const unknown = await rejection(a.suspendOrganization(99), InvalidRequestError);
    expect(unknown.shortMessage).to.equal("Organization 99 does not exist.");
    const longName = "深".repeat(86);
    const tooLong = await rejection(
      a.addOrganization({ name: longName, creditCode: code(8), country: "CN", roles: ["PLATFORM"] }),
      InvalidRequestError,
    );
    expect(tooLong.shortMessage).to.equal("The organization name has 258 bytes; at most 256 (UTF-8) are accepted.");
    const longest = "深".repeat(85) + "X";
    const { orgId } = await a.addOrganization({
      name: longest,
      creditCode: code(8),
      country: "CN",
      roles: ["PLATFORM"],
    });
    expect((await read(ledger)).organizations.find((o) => o.orgId === orgId)?.name).to.equal(longest);
    const notAdmin = await rejection((await adminAs(ledger, members.lab.address)).pause(), AdminOnlyError);
    expect(notAdmin.shortMessage).to.equal(`${members.lab.address} is not the consortium admin.`);
  });

  it("transfers the admin role in two steps: begin, accept after the delay", async () => {
    const { ledger, admin, stranger } = await loadFixture(emptyLedger);
    const current = await adminAs(ledger, admin.address);
    const next = await adminAs(ledger, stranger.address);
    const { pending } = await current.beginAdminTransfer(stranger.address as Address);
    expect(pending.address).to.equal(stranger.address);
    expect(pending.acceptableAfter).to.equal((await time.latest()) + ADMIN_DELAY);
    expect((await read(ledger)).pendingAdmin).to.deep.equal(pending);
    expect(formatConsortium(await read(ledger))).to.contain(`Pending admin:  ${stranger.address}, may accept after`);

    const early = await rejection(next.acceptAdminTransfer(), AdminOnlyError);
    expect(early.shortMessage).to.equal(
      `The admin transfer can be accepted only after ${new Date(pending.acceptableAfter * 1000).toISOString().replace(".000Z", "Z")}.`,
    );
    const wrong = await rejection(current.acceptAdminTransfer(), AdminOnlyError);
    expect(wrong.shortMessage).to.equal(`${admin.address} is not the pending admin, so it cannot accept.`);

    await time.increaseTo(pending.acceptableAfter + 1);
    await next.acceptAdminTransfer();
    expect(await next.admin()).to.equal(stranger.address);
    const state = await read(ledger);
    expect(state.admin).to.equal(stranger.address);
    expect(state.pendingAdmin).to.equal(undefined);

    // The old key can no longer apply; the new one can.
    const plan = planConsortium(baseFile(), state);
    await rejection(applyConsortium(current, plan), AdminOnlyError);
    await applyConsortium(next, plan);
    expect((await read(ledger)).organizations).to.have.length(3);
  });

  it("cancels a pending admin transfer", async () => {
    const { ledger, admin, stranger } = await loadFixture(emptyLedger);
    const current = await adminAs(ledger, admin.address);
    await current.beginAdminTransfer(stranger.address as Address);
    await current.cancelAdminTransfer();
    expect(await current.pendingAdmin()).to.equal(undefined);
    await time.increase(ADMIN_DELAY + 1);
    const error = await rejection((await adminAs(ledger, stranger.address)).acceptAdminTransfer(), AdminOnlyError);
    expect(error.shortMessage).to.equal(`${stranger.address} is not the pending admin, so it cannot accept.`);
  });
});

describe("consortium administration (SDK): GS1 company prefixes (issue 11 item 2)", () => {
  const withPrefixes = (exporter: string[], factory: string[] = []) => {
    const file = baseFile();
    file.organizations[0].prefixes = exporter;
    file.organizations[1].prefixes = factory;
    return file;
  };
  async function readWith(ledger: TraceLedger, file: ConsortiumFile) {
    const { chainId } = await ethers.provider.getNetwork();
    return readConsortium({
      client: hardhatClient(),
      ledger: { address: (await ledger.getAddress()) as Address, chainId: Number(chainId) },
      prefixes: filePrefixes(file),
      prefixLogsFrom: 0n,
    });
  }
  async function applyOnce(ledger: TraceLedger, file: ConsortiumFile, as: string) {
    const plan = planConsortium(file, await readWith(ledger, file));
    return { plan, result: await applyConsortium(await adminAs(ledger, as), plan) };
  }

  it("schedules each licence with its organization, executes it after the delay, then plans nothing", async () => {
    const { ledger, admin } = await loadFixture(emptyLedger);
    const file = withPrefixes(["6901234"], ["6901235"]);
    const first = await applyOnce(ledger, file, admin.address);
    const licences = first.plan.changes.filter((c) => c.kind === "licensePrefix");
    expect(licences.map((c) => [c.description, c.delayed])).to.deep.equal([
      ['new organization "Shenzhen Export": license GS1 company prefix 6901234', true],
      ['new organization "Factory": license GS1 company prefix 6901235', true],
    ]);
    expect(formatPlan(first.plan)).to.include(
      '  + new organization "Shenzhen Export": license GS1 company prefix 6901234 [delayed]',
    );
    const scheduled = first.result.applied.filter((a) => a.change.kind === "licensePrefix");
    expect(scheduled.map((a) => [a.status, a.orgId])).to.deep.equal([
      ["scheduled", 1],
      ["scheduled", 2],
    ]);
    expect((await ledger.prefixLicence("6901234"))[0]).to.equal(0n); // nothing in effect before the delay

    await time.increaseTo(Math.max(...first.result.pending.map((p) => p.readyAt!)));
    const second = await applyOnce(ledger, file, admin.address);
    expect(second.result.pending).to.deep.equal([]);
    expect((await ledger.prefixLicence("6901234"))[0]).to.equal(1n);
    expect((await ledger.prefixLicence("6901235"))[0]).to.equal(2n);
    const state = await readWith(ledger, file);
    expect(state.organizations.map((o) => o.prefixes)).to.deep.equal([["6901234"], ["6901235"], []]);
    expect(state.prefixes.map((p) => [p.prefix, p.holder])).to.deep.equal([
      ["6901234", 1],
      ["6901235", 2],
    ]);
    expect(formatConsortium(state)).to.include("      GS1 company prefixes: 6901234");
    expect(planConsortium(file, state).changes).to.deep.equal([]);
    // a licence on chain that the file no longer lists is left alone, with a warning
    const dropped = planConsortium(withPrefixes([], ["6901235"]), state);
    expect(dropped.changes).to.deep.equal([]);
    expect(dropped.warnings.join("\n")).to.include("prefix 6901234 is licensed on chain but not in the file");
  });

  it("ATTACK: a file moving a licensed prefix to another organization is a conflict, nothing is sent", async () => {
    const { ledger, admin } = await loadFixture(emptyLedger);
    const file = withPrefixes(["6901234"]);
    const first = await applyOnce(ledger, file, admin.address);
    await time.increaseTo(Math.max(...first.result.pending.map((p) => p.readyAt!)));
    await applyOnce(ledger, file, admin.address);
    const moved = withPrefixes([], ["6901234"]);
    const error = await rejection(
      (async () => planConsortium(moved, await readWith(ledger, moved)))(),
      ConsortiumConflictError,
    );
    expect(error.shortMessage).to.include(
      'organizations[1].prefixes[0]: prefix 6901234 is licensed to organization 1 "Shenzhen Export" on chain',
    );
  });

  it("ATTACK: the admin's licence of a prefix inside a licensed one is refused by the ledger when scheduled", async () => {
    const { ledger, admin } = await loadFixture(emptyLedger);
    const file = withPrefixes(["6901234"]);
    const first = await applyOnce(ledger, file, admin.address);
    await time.increaseTo(Math.max(...first.result.pending.map((p) => p.readyAt!)));
    await applyOnce(ledger, file, admin.address);
    const adm = await adminAs(ledger, admin.address);
    const error = await rejection(adm.licensePrefix("69012345", 2), InvalidRequestError);
    expect(error.shortMessage).to.equal(
      "Prefix 69012345 lies within prefix 6901234, which is already licensed: its codes are already someone's.",
    );
    expect(() => adm.licensePrefix("69-1", 2)).to.throw(/must be a GS1 company prefix: 4 to 12 digits/);
  });

  it("parses prefixes: 4 to 12 digits, none listed twice or nested in the file", () => {
    const base = JSON.parse(JSON.stringify({ organizations: [] }));
    const org = (n: number, prefixes: unknown) => ({
      name: `Org ${n}`,
      creditCode: code(n),
      country: "CN",
      roles: ["EXPORTER"],
      prefixes,
    });
    expect(
      parseConsortiumFile({ ...base, organizations: [org(1, ["6901234"])] }).organizations[0].prefixes,
    ).to.deep.equal(["6901234"]);
    expect(() =>
      parseConsortiumFile({
        organizations: [org(1, ["690", 6901234, "6901234"]), org(2, ["6901234", "69012345"])],
      }),
    ).to.throw(
      /organizations\[0\]\.prefixes\[0\]: must be a GS1 company prefix[\s\S]*organizations\[0\]\.prefixes\[1\]: must be[\s\S]*organizations\[1\]\.prefixes\[0\]: prefix 6901234 is listed twice \(also at organizations\[0\]\.prefixes\[2\]\)[\s\S]*organizations\[1\]\.prefixes\[1\]: prefix 69012345 overlaps prefix 6901234/,
    );
  });
});
