/**
 * Identity is owned (issue 11 item 2) on the command line: `trace prefix`, `trace authorize-manufacturer`,
 * `trace consortium revoke-prefix`, prefixes in `trace consortium apply` (scheduled, then executed after the
 * public delay), and `trace register` / `trace import` refusing codes the member may not register before
 * anything is sent. `node bin/trace.js` against a hardhat node whose fixture licenses the test prefixes.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { isCoverageRun } from "../helpers/coverage";
import { parseGs1, gs1CheckDigit } from "../../src/gs1";
import { creditCodeCheckChar } from "../../src/admin";
import { EXIT } from "../../src/cli/exitCodes";
import { EXPORTER_PREFIX, GTIN, RIVAL_GTIN, RIVAL_PREFIX, type MemberName } from "../helpers/ledger";
import { NODE_ADMIN_DELAY, startDeployedNode, runTrace, type DeployedNode, type TraceRun } from "../helpers/localNode";

const item = (n: number, gtin = GTIN) => `(01)${gtin}(10)PFX(21)${n}`;
const keyOf = (code: string) => parseGs1(code).key as Hex;
/** An item under a prefix nobody holds. */
const UNLICENSED = (() => {
  const body = "0400000154321";
  return `(01)${body}${gs1CheckDigit(body)}(10)PFX(21)1`;
})();
const creditCode = (n: number) => {
  const body = `91440300MA5PFX${String(n).padStart(3, "0")}`;
  return body + creditCodeCheckChar(body);
};

describe("trace prefix, authorize-manufacturer, revoke-prefix and licensed registration (CLI)", function () {
  this.timeout(240_000);
  let setup: DeployedNode | undefined;

  before(async function () {
    if (isCoverageRun()) this.skip();
    setup = await startDeployedNode("cbec-trace-prefix-");
  });
  after(async () => setup?.stop());

  const orgOf = (m: MemberName) => setup!.dep.members[m].orgId;
  async function trace(as: MemberName | "admin" | undefined, args: string[]): Promise<TraceRun> {
    const { dep, node, recordsDir } = setup!;
    const key = as === "admin" ? dep.admin.privateKey : as ? dep.members[as].privateKey : undefined;
    return runTrace(["--manifest", dep.manifestPath, "--records-dir", recordsDir, ...args], {
      ...(key ? { privateKey: key } : {}),
      env: { TRACE_RPC_URL: node.rpcUrl },
    });
  }
  function ok<T = Record<string, unknown>>(run: TraceRun): T {
    expect(run.code, `trace failed (exit ${run.code}):\n${run.stderr}\n${run.stdout}`).to.equal(EXIT.OK);
    return JSON.parse(run.stdout) as T;
  }
  function fails(run: TraceRun, code: number): string {
    expect(run.code, `expected exit ${code}, got ${run.code}:\n${run.stderr}\n${run.stdout}`).to.equal(code);
    return run.stderr;
  }
  const nonceOf = (m: MemberName) => setup!.provider.getTransactionCount(setup!.dep.members[m].address);
  const registrant = async (code: string) => Number((await setup!.ledger.unitState(keyOf(code))).registrant);

  it("prefix: names the holder of a code's prefix, and without a key says nothing of the caller", async () => {
    const shown = ok(await trace(undefined, ["prefix", item(1), "--json"]));
    expect(shown).to.deep.include({
      licensed: true,
      prefix: EXPORTER_PREFIX,
      holder: orgOf("exporter"),
      holderName: "exporter org",
      manufacturers: [],
    });
    expect(shown).not.to.have.property("mayRegister");
    const none = ok(await trace("exporter", ["prefix", UNLICENSED, "--json"]));
    expect(none).to.deep.include({ licensed: false, mayRegister: false, orgId: orgOf("exporter") });
    const bad = fails(await trace(undefined, ["prefix", "952"]), EXIT.INVALID_INPUT);
    expect(bad).to.include("4 to 12 digits");
  });

  it("ATTACK: the factory registering the brand's code is refused before sending (exit 3), naming the fix", async () => {
    const before = await nonceOf("factory");
    const stderr = fails(await trace("factory", ["register", item(1)]), EXIT.REFUSED);
    expect(stderr).to.include(`licensed to exporter org (organization ${orgOf("exporter")})`);
    expect(stderr).to.include(`trace authorize-manufacturer ${EXPORTER_PREFIX} ${orgOf("factory")}`);
    expect(await nonceOf("factory")).to.equal(before);
    expect((await setup!.ledger.unitState(keyOf(item(1)))).seq).to.equal(0n);
  });

  it("ATTACK: a member that does not hold the prefix cannot authorize anyone under it (exit 3)", async () => {
    const stderr = fails(
      await trace("factory", ["authorize-manufacturer", EXPORTER_PREFIX, String(orgOf("warehouse"))]),
      EXIT.REFUSED,
    );
    expect(stderr).to.include(`licensed to organization ${orgOf("exporter")}, not to organization ${orgOf("factory")}`);
    expect(await setup!.ledger.mayRegisterUnder(EXPORTER_PREFIX, orgOf("warehouse"))).to.equal(false);
  });

  it("authorize-manufacturer: the holder's admin authorizes the factory, which then registers; --withdraw ends it", async () => {
    const done = ok(
      await trace("exporter", ["authorize-manufacturer", EXPORTER_PREFIX, String(orgOf("factory")), "--json"]),
    );
    expect(done).to.deep.include({ prefix: EXPORTER_PREFIX, manufacturer: orgOf("factory"), authorized: true });
    const shown = ok(await trace("factory", ["prefix", EXPORTER_PREFIX, "--json"]));
    expect(shown).to.deep.include({ manufacturers: [orgOf("factory")], mayRegister: true, orgId: orgOf("factory") });
    ok(await trace("factory", ["register", item(1), "--json"]));
    expect(await registrant(item(1))).to.equal(orgOf("factory"));

    const withdrawn = ok(
      await trace("exporter", [
        "authorize-manufacturer",
        EXPORTER_PREFIX,
        String(orgOf("factory")),
        "--withdraw",
        "--json",
      ]),
    );
    expect(withdrawn).to.deep.include({ authorized: false });
    const before = await nonceOf("factory");
    fails(await trace("factory", ["register", item(2)]), EXIT.REFUSED);
    expect(await nonceOf("factory")).to.equal(before);
    // registering the same code again is still recognized as done (resume), authorization or not
    const again = ok<{ written: number; skipped: number }>(await trace("factory", ["register", item(1), "--json"]));
    expect(again).to.deep.include({ written: 0, skipped: 1 });
  });

  it("ATTACK: import checks every register row first and names each refused row and code; nothing is sent", async () => {
    const file = join(setup!.work, "rows.csv");
    const rows = [
      "action,code,step,time,disposition,location,biz_tx,reason",
      `register,${item(10, RIVAL_GTIN)},,,,,,`,
      `register,${item(11)},,,,,,`,
      `register,${item(12, RIVAL_GTIN)},,,,,,`,
      `register,${UNLICENSED},,,,,,`,
    ];
    writeFileSync(file, rows.join("\n") + "\n");
    const before = await nonceOf("rival");
    const stderr = fails(await trace("rival", ["import", file]), EXIT.REFUSED);
    expect(stderr).to.include("2 register row(s) may not be registered");
    expect(stderr).to.include(`row 3 (${item(11)}): `);
    expect(stderr).to.include(`row 5 (${UNLICENSED}): `);
    expect(stderr).not.to.include("row 2 (");
    expect(await nonceOf("rival")).to.equal(before);
    expect((await setup!.ledger.unitState(keyOf(item(10, RIVAL_GTIN)))).seq).to.equal(0n);
    // without the refused rows, the same file imports
    writeFileSync(file, [rows[0], rows[1], rows[3]].join("\n") + "\n");
    ok(await trace("rival", ["import", file, "--json"]));
    expect(await registrant(item(12, RIVAL_GTIN))).to.equal(orgOf("rival"));
  });

  it("consortium apply schedules a prefix licence, executes it after the delay; show lists the prefixes", async () => {
    const prefix = "6912345";
    const file = join(setup!.work, "consortium.json");
    const org = { name: "Prefix Co", creditCode: creditCode(1), country: "CN", roles: ["EXPORTER"], accounts: [] };
    writeFileSync(file, JSON.stringify({ organizations: [{ ...org, prefixes: [prefix] }] }));
    const first = ok<{ pending: Array<{ status: string; change: { kind: string; prefix?: string } }> }>(
      await trace("admin", ["consortium", "apply", file, "--yes", "--json"]),
    );
    expect(first.pending.map((p) => [p.status, p.change.kind, p.change.prefix])).to.deep.equal([
      ["scheduled", "licensePrefix", prefix],
    ]);
    const [holder] = await setup!.ledger.prefixLicence(prefix);
    expect(holder, "not in effect before the delay").to.equal(0n);
    const waiting = ok<{ pending: Array<{ status: string }> }>(
      await trace("admin", ["consortium", "apply", file, "--yes", "--json"]),
    );
    expect(waiting.pending.map((p) => p.status)).to.deep.equal(["waiting"]);

    await setup!.provider.send("evm_increaseTime", [NODE_ADMIN_DELAY]);
    await setup!.provider.send("evm_mine", []);
    const second = ok<{ pending: unknown[]; applied: Array<{ status: string; orgId: number }> }>(
      await trace("admin", ["consortium", "apply", file, "--yes", "--json"]),
    );
    expect(second.pending).to.deep.equal([]);
    expect(second.applied.map((a) => a.status)).to.deep.equal(["executed"]);
    const [after] = await setup!.ledger.prefixLicence(prefix);
    expect(Number(after)).to.equal(second.applied[0].orgId);
    const third = ok<{ plan: { changes: unknown[] } }>(await trace("admin", ["consortium", "apply", file, "--json"]));
    expect(third.plan.changes).to.deep.equal([]);

    const show = await trace(undefined, ["consortium", "show"]);
    expect(show.code).to.equal(EXIT.OK);
    expect(show.stdout).to.match(new RegExp(`${EXPORTER_PREFIX}\\s+#${orgOf("exporter")}\\s+exporter org`));
    expect(show.stdout).to.match(new RegExp(`${prefix}\\s+#${second.applied[0].orgId}\\s+Prefix Co`));
    expect(show.stdout).to.include(`GS1 company prefixes: ${prefix}`);
  });

  it("ATTACK: a file giving a prefix another organization holds is a conflict (exit 2), nothing sent", async () => {
    const file = join(setup!.work, "steal.json");
    const org = { name: "Thief Co", creditCode: creditCode(2), country: "CN", roles: ["EXPORTER"], accounts: [] };
    writeFileSync(file, JSON.stringify({ organizations: [{ ...org, prefixes: [RIVAL_PREFIX] }] }));
    const before = await setup!.provider.getTransactionCount(setup!.dep.admin.address);
    const stderr = fails(await trace("admin", ["consortium", "apply", file, "--yes"]), EXIT.INVALID_INPUT);
    expect(stderr).to.include(`prefix ${RIVAL_PREFIX} is licensed to organization ${orgOf("rival")}`);
    expect(await setup!.provider.getTransactionCount(setup!.dep.admin.address)).to.equal(before);
    const nested = join(setup!.work, "nested.json");
    writeFileSync(nested, JSON.stringify({ organizations: [{ ...org, prefixes: ["69123", "691234"] }] }));
    expect(fails(await trace("admin", ["consortium", "apply", nested, "--dry-run"]), EXIT.INVALID_INPUT)).to.include(
      "prefix 691234 overlaps prefix 69123",
    );
  });

  it("a relative signing deadline counts from the chain's clock when it runs ahead (a dev chain moved past a delay)", async () => {
    await setup!.provider.send("evm_increaseTime", [3 * 24 * 3600]);
    await setup!.provider.send("evm_mine", []);
    const file = join(setup!.work, "ahead.json");
    ok(await trace("exporter", ["--json", "sign", item(30), "--step", "storing", "--out", file, "--deadline", "+2h"]));
    ok(await trace("exporter", ["register", item(30), "--json"]));
    const relayed = ok<{ relayed: number }>(await trace("platform", ["--json", "relay", file]));
    expect(relayed.relayed).to.equal(1);
    expect((await setup!.ledger.unitState(keyOf(item(30)))).seq).to.equal(2n);
  });

  it("consortium revoke-prefix ends the licence at once; the former holder's codes are then refused", async () => {
    const before = fails(await trace("exporter", ["consortium", "revoke-prefix", RIVAL_PREFIX]), EXIT.REFUSED);
    expect(before).to.include("is not the consortium admin");
    ok(await trace("admin", ["consortium", "revoke-prefix", RIVAL_PREFIX, "--json"]));
    expect(ok(await trace("rival", ["prefix", RIVAL_PREFIX, "--json"]))).to.deep.include({ licensed: false });
    const stderr = fails(await trace("rival", ["register", item(20, RIVAL_GTIN)]), EXIT.REFUSED);
    expect(stderr).to.include("not licensed to any organization on this ledger");
    // what it registered under the licence stays registered
    expect(await registrant(item(12, RIVAL_GTIN))).to.equal(orgOf("rival"));
    const again = fails(await trace("admin", ["consortium", "revoke-prefix", RIVAL_PREFIX]), EXIT.REFUSED);
    expect(again).to.include(`Prefix ${RIVAL_PREFIX} is not licensed to any organization.`);
  });
});
