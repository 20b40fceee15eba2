/**
 * `trace consortium …` end to end: the CLI (in process, `main()`) against a node this test starts on a
 * free port (anvil from npm, zero base fee and legacy zero-gas-price transactions, as on a Besu QBFT
 * network configured per docs/consortium.md). Skipped when the anvil binary is not installed.
 */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContractFactory, JsonRpcProvider, Wallet } from "ethers";
import { main } from "../../src/cli/index";
import { creditCodeCheckChar } from "../../src/admin";
import { EXIT } from "../../src/cli/exitCodes";
import { findAnvil, freePort, startAnvil, type AnvilNode } from "../../src/node";

// The well-known development keys of anvil/Hardhat (accounts #0 and #1).
const ADMIN_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const OTHER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const CHAIN_ID = 31_338;
const DELAY = 3600;

const code = (n: number) => {
  const body = `91440300MA5TXT${String(n).padStart(3, "0")}`;
  return body + creditCodeCheckChar(body);
};
const M1 = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const M2 = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
// The development keys of M1 (anvil #3) and M2 (anvil #4): members acting for their own organizations.
const M1_KEY = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
const M2_KEY = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

describe("trace consortium (CLI against a local node)", function () {
  let node: AnvilNode | undefined;
  let url = "";
  let ledger = "";
  let provider: JsonRpcProvider;
  const dir = mkdtempSync(join(tmpdir(), "cbec-consortium-node-"));
  const savedKey = process.env.TRACE_PRIVATE_KEY;

  before(async function () {
    if (!findAnvil()) this.skip();
    node = await startAnvil({
      port: await freePort(),
      chainId: CHAIN_ID,
      silent: true,
      args: ["--hardfork", "cancun", "--base-fee", "0", "--gas-price", "0"],
    });
    url = node.url;
    provider = new JsonRpcProvider(url, CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
    const artifact = require("../../artifacts/contracts/TraceLedger.sol/TraceLedger.json");
    const admin = new Wallet(ADMIN_KEY, provider);
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, admin);
    const contract = await factory.deploy(admin.address, DELAY, { type: 0, gasPrice: 0 });
    await contract.waitForDeployment();
    ledger = await contract.getAddress();
  });

  after(async () => {
    await node?.stop("SIGTERM");
    if (savedKey === undefined) delete process.env.TRACE_PRIVATE_KEY;
    else process.env.TRACE_PRIVATE_KEY = savedKey;
  });

  async function cli(key: string | undefined, ...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((c: string | Uint8Array) => ((stdout += String(c)), true)) as typeof out;
    process.stderr.write = ((c: string | Uint8Array) => ((stderr += String(c)), true)) as typeof err;
    const tty = Object.getOwnPropertyDescriptor(process.stdin, "isTTY");
    Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true });
    if (key) process.env.TRACE_PRIVATE_KEY = key;
    else delete process.env.TRACE_PRIVATE_KEY;
    const saved = process.exitCode;
    try {
      const global = ["--rpc", url, "--ledger", ledger, "--chain-id", String(CHAIN_ID), "--gas-price", "0"];
      const exit = await main([...global, ...argv]);
      return { code: exit, stdout, stderr };
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
      process.exitCode = saved;
      if (tty) Object.defineProperty(process.stdin, "isTTY", tty);
      else delete (process.stdin as { isTTY?: boolean }).isTTY;
    }
  }

  const file = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const consortium = {
    organizations: [
      { name: "Export Co", creditCode: code(1), country: "CN", roles: ["EXPORTER"], accounts: [M1] },
      { name: "Carrier Co", creditCode: code(2), country: "HK", roles: ["CARRIER"], accounts: [] },
    ],
    permissions: { DELIVERED: ["CARRIER", "PLATFORM"] },
  };

  it("apply --dry-run prints the diff and sends nothing (no key needed)", async () => {
    const block = await provider.getBlockNumber();
    const r = await cli(undefined, "consortium", "apply", file("c.json", consortium), "--dry-run");
    expect(r.code, r.stderr).to.equal(EXIT.OK);
    expect(r.stdout).to.contain(`+ add organization "Export Co" (credit code ${code(1)}, CN) with roles EXPORTER`);
    expect(r.stdout).to.contain(`+ new organization "Export Co": add account ${M1}`);
    expect(r.stdout).to.contain("DELIVERED: CARRIER → CARRIER, PLATFORM");
    expect(r.stdout).to.contain("Dry run: 4 change(s) shown, nothing sent.");
    expect(await provider.getBlockNumber()).to.equal(block);
  });

  it("apply without --yes and without a terminal prints the diff and applies nothing (exit 2)", async () => {
    const block = await provider.getBlockNumber();
    const r = await cli(ADMIN_KEY, "consortium", "apply", file("c.json", consortium));
    expect(r.code).to.equal(EXIT.INVALID_INPUT);
    expect(r.stdout).to.contain("4 changes, one transaction each.");
    expect(r.stderr).to.contain("Not applied: 4 change(s) need confirmation and there is no terminal to ask on.");
    expect(r.stderr).to.contain("Rerun with --yes");
    expect(await provider.getBlockNumber()).to.equal(block);
  });

  it("apply with another key than the admin's is refused before sending (exit 3)", async () => {
    const r = await cli(OTHER_KEY, "consortium", "apply", file("c.json", consortium), "--yes");
    expect(r.code).to.equal(EXIT.REFUSED);
    expect(r.stderr).to.match(/is not the consortium admin \(the admin is 0xf39F.*\); nothing was sent/);
  });

  it("apply --yes applies with zero-gas legacy transactions; applying again changes nothing", async () => {
    const first = await cli(ADMIN_KEY, "consortium", "apply", file("c.json", consortium), "--yes");
    expect(first.code, first.stderr).to.equal(EXIT.OK);
    expect(first.stdout).to.contain("Applied 4 change(s)");
    // Genesis: on an empty consortium the matrix is set first, at once (nobody to surprise yet).
    expect(first.stderr).to.match(/\[1\/4\] set the permissions of 1 step/);
    const again = await cli(ADMIN_KEY, "consortium", "apply", file("c.json", consortium), "--yes");
    expect(again.code, again.stderr).to.equal(EXIT.OK);
    expect(again.stdout).to.contain("no changes: the chain already matches the file.");
    expect(again.stdout).to.contain("Nothing to do.");
  });

  it("show --json and show list the organizations, accounts, matrix and admin", async () => {
    const json = await cli(undefined, "--json", "consortium", "show");
    expect(json.code, json.stderr).to.equal(EXIT.OK);
    const state = JSON.parse(json.stdout);
    expect(state.organizations.map((o: { name: string }) => o.name)).to.deep.equal(["Export Co", "Carrier Co"]);
    expect(state.organizations[0].accounts).to.deep.equal([{ address: M1, status: "active", canAct: true }]);
    expect(state.permissions.DELIVERED).to.deep.equal(["CARRIER", "PLATFORM"]);
    expect(state.admin).to.equal(new Wallet(ADMIN_KEY).address);
    const text = await cli(undefined, "consortium", "show");
    expect(text.stdout).to.match(/#2 +Carrier Co +91440300MA5TXT002. +no GLN +HK +active/);
    expect(text.stdout).to.match(/\n {2}DELIVERED +\. +\. +\. +x +\. +\. +x +\. +\. +\. +\.\n/);
  });

  it("single commands: add-account, a duplicate account (exit 2), an unknown organization (exit 3)", async () => {
    const added = await cli(ADMIN_KEY, "consortium", "add-account", "2", M2);
    expect(added.code, added.stderr).to.equal(EXIT.OK);
    expect(added.stdout).to.contain(`Added admin account ${M2} to organization 2`);
    const dup = await cli(ADMIN_KEY, "consortium", "add-account", "1", M2);
    expect(dup.code).to.equal(EXIT.INVALID_INPUT);
    expect(dup.stderr).to.contain(`${M2} is already an account (active) of organization 2; nothing sent.`);
    const unknown = await cli(ADMIN_KEY, "consortium", "suspend-org", "99");
    expect(unknown.code).to.equal(EXIT.REFUSED);
    expect(unknown.stderr).to.contain("Organization 99 does not exist.");
  });

  it("add-org refuses a credit code already on chain (exit 2) and adds a new one", async () => {
    const base = ["consortium", "add-org", "--name", "Lab", "--country", "CN", "--roles", "INSPECTION_LAB"];
    const dup = await cli(ADMIN_KEY, ...base, "--credit-code", code(1));
    expect(dup.code).to.equal(EXIT.INVALID_INPUT);
    expect(dup.stderr).to.contain(`Credit code ${code(1)} is already organization 1 "Export Co"; nothing sent.`);
    const ok = await cli(ADMIN_KEY, "--json", ...base, "--credit-code", code(3));
    expect(ok.code, ok.stderr).to.equal(EXIT.OK);
    expect(JSON.parse(ok.stdout)).to.include({ orgId: 3, name: "Lab" });
  });

  it("set-permissions sends only the steps that differ", async () => {
    const same = await cli(
      ADMIN_KEY,
      "consortium",
      "set-permissions",
      file("p.json", { DELIVERED: ["PLATFORM", "CARRIER"] }),
    );
    expect(same.stdout).to.contain("No changes: the chain already has these permissions.");
    const r = await cli(ADMIN_KEY, "--json", "consortium", "set-permissions", file("p2.json", { SAMPLING: [] }));
    expect(r.code, r.stderr).to.equal(EXIT.OK);
    const scheduled = JSON.parse(r.stdout);
    expect(scheduled.changed).to.deep.equal([
      { step: "SAMPLING", from: ["INSPECTION_LAB", "CUSTOMS", "MARKET_REGULATOR"], to: [] },
    ]);
    // Organizations exist: the matrix change is scheduled, and runs when the same command is run after readyAt.
    expect(scheduled.status).to.equal("scheduled");
    const latest = (await provider.getBlock("latest"))!.timestamp;
    expect(scheduled.readyAt).to.equal(latest + DELAY);
    await provider.send("evm_increaseTime", [DELAY]);
    await provider.send("evm_mine", []);
    const done = await cli(ADMIN_KEY, "--json", "consortium", "set-permissions", file("p2.json", { SAMPLING: [] }));
    expect(done.code, done.stderr).to.equal(EXIT.OK);
    expect(JSON.parse(done.stdout).status).to.equal("executed");
  });

  it("a delayed change: add-account to an organization with a key is scheduled, says when and what to run; cancel", async () => {
    const extra = Wallet.createRandom().address;
    const r = await cli(ADMIN_KEY, "consortium", "add-account", "1", extra);
    expect(r.code, r.stderr).to.equal(EXIT.OK);
    expect(r.stdout).to.contain("Scheduled, not yet in effect: added admin account");
    expect(r.stdout).to.match(/It can be applied from \d{4}-\d\d-\d\dT[^ ]+ \(in about 1 h\)/);
    expect(r.stdout).to.contain(`run \`trace consortium add-account 1 ${extra}\` again then`);
    const opId = /operation (0x[0-9a-f]{64})/.exec(r.stdout)![1];
    const early = await cli(ADMIN_KEY, "consortium", "add-account", "1", extra);
    expect(early.stdout).to.contain(`Waiting: this change was scheduled earlier (operation ${opId}); nothing sent.`);
    const cancelled = await cli(ADMIN_KEY, "consortium", "cancel-operation", opId);
    expect(cancelled.code, cancelled.stderr).to.equal(EXIT.OK);
    expect(cancelled.stdout).to.contain(`Operation ${opId} cancelled`);
    const twice = await cli(ADMIN_KEY, "consortium", "cancel-operation", opId);
    expect(twice.code).to.equal(EXIT.INVALID_INPUT);
    expect(twice.stderr).to.contain("is not scheduled");
    expect((await cli(undefined, "--json", "consortium", "show")).stdout).not.to.contain(extra);
  });

  it("apply schedules a second key and tells to apply again after readyAt; the next apply after the delay adds it", async () => {
    const extra = Wallet.createRandom().address;
    const grown = {
      ...consortium,
      organizations: [{ ...consortium.organizations[0], accounts: [M1, extra] }, consortium.organizations[1]],
    };
    const path = file("grown.json", grown);
    const r = await cli(ADMIN_KEY, "consortium", "apply", path, "--yes");
    expect(r.code, r.stderr).to.equal(EXIT.OK);
    expect(r.stdout).to.contain(`add account ${extra} [delayed]`);
    expect(r.stderr).to.match(/\[1\/1\] scheduled \(delayed change, in effect once applied again from \d{4}-/);
    expect(r.stdout).to.contain(
      `1 delayed change(s) are scheduled and not in effect yet. Run \`trace consortium apply ${path}\` again from`,
    );
    await provider.send("evm_increaseTime", [DELAY]);
    await provider.send("evm_mine", []);
    const again = await cli(ADMIN_KEY, "consortium", "apply", path, "--yes");
    expect(again.code, again.stderr).to.equal(EXIT.OK);
    expect(again.stdout).to.contain("Applied 1 change(s)");
    expect((await cli(ADMIN_KEY, "consortium", "apply", path, "--yes")).stdout).to.contain("Nothing to do.");
  });

  it("add-own-account / rotate-own-account: an organization's admin key manages its keys at once; a member key cannot", async () => {
    const clerk = Wallet.createRandom().address;
    const added = await cli(M1_KEY, "consortium", "add-own-account", clerk);
    expect(added.code, added.stderr).to.equal(EXIT.OK);
    expect(added.stdout).to.contain(`Added account ${clerk} to your organization`);
    const fresh = Wallet.createRandom().address;
    const rotated = await cli(M1_KEY, "consortium", "rotate-own-account", clerk, fresh);
    expect(rotated.code, rotated.stderr).to.equal(EXIT.OK);
    expect(rotated.stdout).to.contain(`Retired ${clerk}; ${fresh} replaces it`);
    // M2 is organization 2's admin key: organization 1's keys are not its to rotate.
    const foreign = await cli(M2_KEY, "consortium", "rotate-own-account", fresh, Wallet.createRandom().address);
    expect(foreign.code).to.equal(EXIT.REFUSED);
    expect(foreign.stderr).to.contain(`${new Wallet(M2_KEY).address} is not an admin account of organization 1`);
  });

  it("pause / unpause, and the admin transfer begins with the time it can be accepted", async () => {
    expect((await cli(ADMIN_KEY, "consortium", "pause")).stdout).to.contain("Ledger paused");
    expect((await cli(undefined, "consortium", "show")).stdout).to.contain("Ledger writes:  PAUSED");
    const again = await cli(ADMIN_KEY, "consortium", "pause");
    expect(again.code).to.equal(EXIT.REFUSED);
    expect(again.stderr).to.contain("The ledger is already paused.");
    expect((await cli(ADMIN_KEY, "consortium", "unpause")).code).to.equal(EXIT.OK);

    const next = new Wallet(OTHER_KEY).address;
    const begun = await cli(ADMIN_KEY, "consortium", "transfer-admin", next);
    expect(begun.code, begun.stderr).to.equal(EXIT.OK);
    expect(begun.stdout).to.match(
      new RegExp(`Admin transfer to ${next} begun: it can accept after \\d{4}-\\d\\d-\\d\\dT`),
    );
    expect(begun.stdout).to.contain("in about 1 h");
    const early = await cli(OTHER_KEY, "consortium", "accept-admin");
    expect(early.code).to.equal(EXIT.REFUSED);
    expect(early.stderr).to.contain("The admin transfer can be accepted only after");
    const cancelled = await cli(ADMIN_KEY, "consortium", "cancel-admin-transfer");
    expect(cancelled.stdout).to.contain(`Admin transfer to ${next} cancelled`);
  });

  it("signs with TRACE_DEPLOYER_KEY (the README's admin key) and says which key it uses or misses", async () => {
    const saved = process.env.TRACE_DEPLOYER_KEY;
    try {
      delete process.env.TRACE_DEPLOYER_KEY;
      const missing = await cli(undefined, "consortium", "pause");
      expect(missing.code).to.equal(EXIT.INVALID_INPUT);
      expect(missing.stderr).to.contain("No admin key: set TRACE_DEPLOYER_KEY");
      const withGln = {
        organizations: [
          ...consortium.organizations,
          { name: "Glass Co", creditCode: code(20), gln: "6901234000016", country: "CN", roles: ["MANUFACTURER"] },
        ],
      };
      process.env.TRACE_DEPLOYER_KEY = OTHER_KEY;
      const wrong = await cli(undefined, "consortium", "apply", file("gln.json", withGln), "--yes");
      expect(wrong.code).to.equal(EXIT.REFUSED);
      expect(wrong.stderr).to.contain("(the key of TRACE_DEPLOYER_KEY) is not the consortium admin");
      process.env.TRACE_DEPLOYER_KEY = ADMIN_KEY;
      const added = await cli(undefined, "consortium", "apply", file("gln.json", withGln), "--yes");
      expect(added.code, added.stderr).to.equal(EXIT.OK);
      expect(added.stdout).to.contain('add organization "Glass Co"');
    } finally {
      if (saved === undefined) delete process.env.TRACE_DEPLOYER_KEY;
      else process.env.TRACE_DEPLOYER_KEY = saved;
    }
  });

  it("refuses a second organization with a GLN already used, before anything is sent (exit 2)", async () => {
    const block = await provider.getBlockNumber();
    const copy = { name: "Copy Co", creditCode: code(21), gln: "6901234000016", country: "CN", roles: ["CARRIER"] };
    const onChain = await cli(ADMIN_KEY, "consortium", "apply", file("copy.json", { organizations: [copy] }), "--yes");
    expect(onChain.code).to.equal(EXIT.INVALID_INPUT);
    expect(onChain.stderr).to.match(
      /organizations\[0\]\.gln: GLN 6901234000016 is already that of organization \d+ "Glass Co" on chain/,
    );
    const twice = {
      organizations: [
        { ...copy, gln: "6901234000023" },
        { ...copy, name: "Twin Co", creditCode: code(22), gln: "6901234000023" },
      ],
    };
    const inFile = await cli(ADMIN_KEY, "consortium", "apply", file("twice.json", twice), "--dry-run");
    expect(inFile.code).to.equal(EXIT.INVALID_INPUT);
    expect(inFile.stderr).to.contain("organizations[1].gln: GLN 6901234000023 is already used by organizations[0]");
    const single = await cli(
      ADMIN_KEY,
      ...["consortium", "add-org", "--name", "Copy Co", "--country", "CN"],
      ...["--roles", "CARRIER", "--credit-code", code(21), "--gln", "6901234000016"],
    );
    expect(single.code).to.equal(EXIT.INVALID_INPUT);
    expect(single.stderr).to.contain("GLN 6901234000016 is already that of organization");
    expect(await provider.getBlockNumber()).to.equal(block);
  });
});
