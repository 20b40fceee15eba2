/**
 * `trace consortium …` input checks, in process. The CLI opens its own JSON-RPC provider, so these tests
 * cover what fails before any network access: bad input exits 2 with a clear message and sends nothing
 * (no RPC is configured to reach: a command that got past its checks would fail with another code).
 */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/index";
import { creditCodeCheckChar } from "../../src/admin";
import { EXIT } from "../../src/cli/exitCodes";

const code = (n: number) => {
  const body = `91440300MA5TXT${String(n).padStart(3, "0")}`;
  return body + creditCodeCheckChar(body);
};
const A1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const A2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

/** Runs the CLI with stdout/stderr captured. Points at an unreachable RPC so nothing can be sent. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof out;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof err;
  const saved = process.exitCode;
  try {
    const code = await main(["--rpc", "http://127.0.0.1:9", "--ledger", A2, ...argv]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = saved;
  }
}

const dir = mkdtempSync(join(tmpdir(), "cbec-consortium-cli-"));
function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

const org = (n: number, extra: Record<string, unknown> = {}) => ({
  name: `Org ${n}`,
  creditCode: code(n),
  country: "CN",
  roles: ["EXPORTER"],
  accounts: [],
  ...extra,
});

describe("trace consortium (CLI input checks)", () => {
  it("apply: an unknown role exits 2 naming the JSON path, before reading the chain", async () => {
    const path = file("role.json", { organizations: [org(1, { roles: ["EXPORTER", "SMUGGLER"] })] });
    const r = await cli("consortium", "apply", path, "--dry-run");
    expect(r.code).to.equal(EXIT.INVALID_INPUT);
    expect(r.stderr).to.contain(`error: ${path}: organizations[0].roles[1]: unknown role "SMUGGLER". Roles: EXPORTER,`);
    expect(r.stderr).to.contain("hint: Nothing was sent");
    expect(r.stdout).to.equal("");
  });

  it("apply: a duplicate account, a malformed address and a duplicate credit code are all reported", async () => {
    const path = file("dup.json", {
      organizations: [
        org(1, { accounts: [A1] }),
        org(2, { accounts: [A1, "0x12345"] }),
        org(3, { creditCode: code(1) }),
      ],
    });
    const r = await cli("consortium", "apply", path, "--yes");
    expect(r.code).to.equal(EXIT.INVALID_INPUT);
    expect(r.stderr).to.contain(`${path} has 3 problems:`);
    expect(r.stderr).to.contain(`organizations[1].accounts[0]: account ${A1} is listed twice`);
    expect(r.stderr).to.contain('organizations[1].accounts[1]: "0x12345" is not an address');
    expect(r.stderr).to.contain(
      `organizations[2].creditCode: credit code ${code(1)} is already used by organizations[0]`,
    );
  });

  it("apply: a file that is not JSON, or missing, exits 2", async () => {
    const broken = await cli("consortium", "apply", file("broken.json", "{ organizations: "));
    expect(broken.code).to.equal(EXIT.INVALID_INPUT);
    expect(broken.stderr).to.match(/broken\.json: is not valid JSON/);
    const missing = await cli("consortium", "apply", join(dir, "nope.json"));
    expect(missing.code).to.equal(EXIT.INVALID_INPUT);
    expect(missing.stderr).to.match(/nope\.json: cannot be read/);
  });

  it("apply --json reports the error as JSON", async () => {
    const r = await cli("--json", "consortium", "apply", file("j.json", { organizations: [org(1, { roles: [] })] }));
    expect(r.code).to.equal(EXIT.INVALID_INPUT);
    const { error } = JSON.parse(r.stderr);
    expect(error.name).to.equal("CliInputError");
    expect(error.message).to.match(/organizations\[0\]\.roles: is empty; an organization needs at least one role/);
  });

  it("add-org: bad credit code, unknown role, bad GLN exit 2 with every problem", async () => {
    const r = await cli(
      "consortium",
      "add-org",
      "--name",
      "X",
      "--credit-code",
      "91440300MA5DEMO01Y",
      "--gln",
      "6901234000004",
      "--country",
      "CN",
      "--roles",
      "EXPORTER,FOO",
    );
    expect(r.code).to.equal(EXIT.INVALID_INPUT);
    expect(r.stderr).to.contain("add-org has 3 problems:");
    expect(r.stderr).to.contain('--credit-code: credit code "91440300MA5DEMO01Y" contains "O"');
    expect(r.stderr).to.contain('--gln: GLN "6901234000004" has a wrong GS1 check digit');
    expect(r.stderr).to.contain('--roles: unknown role "FOO"');
  });

  it("add-org without a required flag is a usage error (exit 2)", async () => {
    const r = await cli("consortium", "add-org", "--name", "X");
    expect(r.code).to.equal(EXIT.INVALID_INPUT);
    expect(r.stderr).to.match(/required option '--credit-code <code>' not specified/);
  });

  it("set-roles: unknown role or bad organization id exits 2", async () => {
    const role = await cli("consortium", "set-roles", "1", "--roles", "carrier,teleporter");
    expect(role.code).to.equal(EXIT.INVALID_INPUT);
    expect(role.stderr).to.contain('--roles: unknown role "teleporter"');
    const id = await cli("consortium", "set-roles", "zero", "--roles", "CARRIER");
    expect(id.code).to.equal(EXIT.INVALID_INPUT);
    expect(id.stderr).to.contain('Organization id "zero" must be a whole number from 1.');
  });

  it("account commands: malformed addresses exit 2", async () => {
    for (const argv of [
      ["add-account", "1", "0xnothex"],
      ["rotate-account", A1, "0x1234"],
      ["suspend-account", "alice"],
      ["reactivate-account", "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"],
      ["transfer-admin", "0x0000000000000000000000000000000000000000"],
    ]) {
      const r = await cli("consortium", ...argv);
      expect(r.code, argv.join(" ")).to.equal(EXIT.INVALID_INPUT);
      expect(r.stderr, argv.join(" ")).to.match(/error: .*(is not an address|checksum|zero address)/);
    }
  });

  it("rotate-account: the same address twice exits 2", async () => {
    const r = await cli("consortium", "rotate-account", A1, A1.toLowerCase());
    expect(r.code).to.equal(EXIT.INVALID_INPUT);
    expect(r.stderr).to.contain(`The old and the new account are both ${A1}`);
  });

  it("set-permissions: unknown step or role, and an empty file, exit 2", async () => {
    const step = await cli("consortium", "set-permissions", file("p1.json", { FLYING: ["CARRIER"] }));
    expect(step.code).to.equal(EXIT.INVALID_INPUT);
    expect(step.stderr).to.match(/p1\.json: FLYING: unknown step "FLYING"/);
    const role = await cli("consortium", "set-permissions", file("p2.json", { DEPARTING: ["CARRIER", "PILOT"] }));
    expect(role.code).to.equal(EXIT.INVALID_INPUT);
    expect(role.stderr).to.match(/p2\.json: DEPARTING\[1\]: unknown role "PILOT"/);
    const empty = await cli("consortium", "set-permissions", file("p3.json", {}));
    expect(empty.code).to.equal(EXIT.INVALID_INPUT);
    expect(empty.stderr).to.contain("lists no step");
  });

  it("lists every subcommand in its help", async () => {
    const r = await cli("consortium", "--help");
    expect(r.code).to.equal(EXIT.OK);
    for (const c of [
      "show",
      "apply",
      "add-org",
      "set-roles",
      "suspend-org",
      "reactivate-org",
      "add-account",
      "rotate-account",
      "suspend-account",
      "reactivate-account",
      "set-permissions",
      "cancel-operation",
      "add-own-account",
      "rotate-own-account",
      "pause",
      "unpause",
      "transfer-admin",
      "accept-admin",
      "cancel-admin-transfer",
    ]) {
      expect(r.stdout).to.match(new RegExp(`\\n  ${c}\\b`));
    }
  });

  it("a valid command gets past its checks and only then needs the network (exit 4 here, not 2)", async () => {
    const r = await cli(
      "consortium",
      "apply",
      file("ok.json", { organizations: [org(1, { accounts: [A1] })] }),
      "--dry-run",
    );
    expect(r.code).to.equal(EXIT.NETWORK);
    expect(r.stderr).to.contain("Cannot reach the JSON-RPC endpoint http://127.0.0.1:9");
  });
});
