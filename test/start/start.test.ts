/**
 * `npm start` end to end: start → the page, manifest and records are served and the demo verdicts are right
 * → Ctrl-C (SIGINT) stops everything cleanly → start again: same chain data, no redeploy, no reseed.
 * Runs in temp directories and free ports, so it never touches a developer's own .cbec-trace/.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createPublicClient, http, type Address } from "viem";
import { freePort, PROJECT_ROOT, runTrace } from "../helpers/localNode";
import { DEMO_CODES } from "../../src/demo/journey";
import { verifyUnit } from "../../src/verify/verify";
import { parseGs1 } from "../../src/gs1";
import { captureAndWait } from "../capture/setup";
import { runReadmeSellerSection } from "./readmeSeller";

interface Started {
  child: ChildProcess;
  output: () => string;
}

async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  let out = "";
  const child = spawn(
    process.execPath,
    [
      join(PROJECT_ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js"),
      "run",
      "--network",
      "localhost",
      "scripts/start.ts",
    ],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const deadline = Date.now() + 150_000;
  while (!out.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`npm start did not come up:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => out };
}

async function stop(s: Started): Promise<number | null> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) {
    console.error(`npm start had already exited (${s.child.exitCode ?? s.child.signalCode}):\n${s.output()}`);
    return s.child.exitCode;
  }
  try {
    // The process that owns the node prints its pid (a launcher in between may not pass signals on).
    const pid = Number(/; process (\d+)\)/.exec(s.output())?.[1]);
    process.kill(pid, "SIGINT");
  } catch (error) {
    console.error(`could not signal npm start (${(error as Error).message}); its output:\n${s.output()}`);
    throw error;
  }
  const code = await new Promise<number | null>((done) =>
    s.child.once("exit", (c, signal) => {
      if (c !== 0) console.error(`npm start exited with ${c ?? signal}:\n${s.output()}`);
      done(c);
    }),
  );
  return code;
}

/** Posts the README's EPCIS document (demo/epcis/commission.jsonld) and waits for the capture job. */
const captureReadmeDocument = (page: string, token: string) =>
  captureAndWait(page, readFileSync(join(PROJECT_ROOT, "demo/epcis/commission.jsonld")), token);

describe("npm start", function () {
  this.timeout(400_000);

  it("serves the demo, stops cleanly on Ctrl-C and comes back with the same data without reseeding", async () => {
    const data = mkdtempSync(join(tmpdir(), "cbec-start-"));
    const [rpcPort, pagePort] = [await freePort(), await freePort()];
    const env = {
      TRACE_DATA_DIR: data,
      TRACE_MANIFEST_DIR: join(data, "deployments"),
      TRACE_JOURNAL_DIR: join(data, "journal"),
      TRACE_START_RPC_PORT: String(rpcPort),
      TRACE_LOCAL_RPC_URL: `http://127.0.0.1:${rpcPort}`,
      TRACE_PAGE_PORT: String(pagePort),
    };
    const first = await start(env);
    let ledger: string;
    let captureToken = "";
    try {
      expect(first.output()).to.match(/Deployed the ledger at (0x[0-9a-fA-F]{40})/);
      expect(first.output()).to.include("Demo data seeded.");
      // The demo brand's prefix licences wait the public delay: on this dev chain the clock is moved, and said so.
      expect(first.output()).to.match(
        /Licensing the demo prefixes waits the ledger's public admin delay: moving this local dev chain's clock forward \d+ s \(evm_increaseTime; only ever on chain 31337\)\./,
      );
      const page = `http://127.0.0.1:${pagePort}`;
      expect(first.output()).to.include(`${page}/01/06901234567892/10/2026A01/21/SN0001`);
      const manifest = (await (await fetch(`${page}/manifest.json`)).json()) as {
        ledger: { address: string };
        rpcUrl: string;
      };
      ledger = manifest.ledger.address;
      // Issue 12: the page reads the chain through the server's read-only gateway on its own origin, and a
      // scanned link's HTML carries the unit's proof bundle; the script has a content-hashed name.
      expect(manifest.rpcUrl).to.equal("/rpc");
      const html = await (await fetch(`${page}${new URL(DEMO_CODES.authentic).pathname}`)).text();
      expect(html).to.match(/<script src="\/app\.[0-9a-f]{16}\.js">/);
      expect(html).to.include('<script type="application/json" id="trace-bundle">');
      expect((await fetch(`${page}/records/..%2F..%2Fpackage.json`)).status).to.equal(404);
      const client = createPublicClient({ transport: http(page + manifest.rpcUrl) });
      const verdicts = await Promise.all(
        [DEMO_CODES.authentic, DEMO_CODES.recalled, DEMO_CODES.counterfeit].map((c) =>
          verifyUnit(c, { client: client as never, ledger: { address: ledger as Address } }),
        ),
      );
      expect(verdicts.map((v) => v.verdict)).to.deep.equal(["authentic", "warning", "fail"]);

      // Issue 17: the claims registry beside the ledger, the three authenticity units seeded, their links printed
      // with what the buyer sees; the tag's fresh link resolves with its e/c kept and verifies once, the printed
      // replayed link is refused.
      expect(first.output()).to.match(/Authenticity demo seeded: \d+ transactions in [\d.]+ s\./);
      expect((manifest as { claims?: { address: string } }).claims?.address).to.match(/^0x[0-9a-fA-F]{40}$/);
      const printed = (label: string) => {
        const m = new RegExp(`${label} +\\S+ +(http\\S+)  → (.+)`).exec(first.output());
        expect(m, `${label} line in:\n${first.output()}`).to.not.equal(null);
        return { url: m![1], says: m![2] };
      };
      expect(printed("claimed").url).to.equal(`${page}/01/06901234567892/10/2026A01/21/SN0201`);
      expect(printed("cloned code").says).to.include("6W3XH-HRJR5-0MPDR-SPRB7");
      expect(printed("NFC tagged").says).to.include("last tap #2");
      const fresh = printed("fresh tap");
      expect(fresh.says).to.include("read #3");
      const resolved = await fetch(fresh.url, { redirect: "manual" });
      const location = new URL(resolved.headers.get("location")!);
      expect([resolved.status, location.pathname]).to.deep.equal([
        307,
        "/verify/01/06901234567892/10/2026A01/21/SN0203",
      ]);
      // The verification page of the tapped link is served with the unit's bundle, e and c notwithstanding.
      const tappedPage = await fetch(location);
      expect(tappedPage.status).to.equal(200);
      expect(await tappedPage.text()).to.include('id="trace-bundle"');
      const tapOf = async (url: string) => {
        const q = new URL(url).searchParams;
        const res = await fetch(`${page}/taps/sun`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ unit: parseGs1(url).key, e: q.get("e"), c: q.get("c") }),
        });
        return { status: res.status, body: (await res.json()) as { counter?: number; error?: string } };
      };
      expect((await tapOf(location.toString())).body).to.include({ counter: 3 });
      expect((await tapOf(printed("replayed tap").url)).body).to.include({ error: "replayed", counter: 1 });

      // Issue 13: the README's capture document, posted with the printed demo exporter token, is written and
      // queried back; its QR link resolves to the verification page.
      captureToken = /Authorization: Bearer (cbt_\S+)/.exec(first.output())![1];
      const job = await captureReadmeDocument(page, captureToken);
      expect([job.success, job.errors], JSON.stringify(job)).to.deep.equal([true, []]);
      const sn0500 = "https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0500";
      // Queryable once the index has followed the chain (it polls the node: a second or two).
      let served: unknown[] = [];
      for (let i = 0; i < 60 && served.length < 2; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 250));
        const query = await fetch(`${page}/events?MATCH_anyEPC=${encodeURIComponent(sn0500)}`);
        const body = (await query.json()) as { epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } } };
        served = body.epcisBody.queryResults.resultsBody.eventList;
      }
      expect(served).to.have.length(2);
      const scan = await fetch(`${page}/01/06901234567892/10/2026A01/21/SN0500`, { redirect: "manual" });
      expect([scan.status, scan.headers.get("location")]).to.deep.equal([
        307,
        `${page}/verify/01/06901234567892/10/2026A01/21/SN0500`,
      ]);

      // The printed CLI line works on custom ports as printed, and the printed exporter key writes with it —
      // with TRACE_GAS_PRICE=0 too (the node is a zero-gas chain).
      const line = /CLI against this chain: {2}npx trace (.*) verify (--platform \S+) "([^"]+)"/.exec(first.output());
      expect(line, first.output()).not.to.equal(null);
      expect(line![1]).to.include(`--rpc http://127.0.0.1:${rpcPort}`);
      expect(first.output()).to.match(/well-known development keys .*\n.*local chain only/);
      const key = /export TRACE_PRIVATE_KEY=(0x[0-9a-f]{64})/.exec(first.output())![1];
      expect(first.output()).to.match(/org 1 +exporter +0x70997970C51812dc3A010C7d01b50e0d17dc79C8 +key 0x59c6/);
      const global = line![1].split(" ");
      const verified = await runTrace([...global, "verify", ...line![2].split(" "), line![3]]);
      expect(verified.code, verified.stderr).to.equal(0);
      // Issue 15: the README's seller section, every command as written, against this npm start; the seller's
      // records reach the platform, so the buyer's verdict checks every one of them.
      const seller = await runReadmeSellerSection(first.output());
      expect(seller.runs.length).to.be.at.least(15);
      for (const { line, run } of seller.runs) {
        expect(run.code, `${line}\n${run.stderr}\n${run.stdout}`).to.equal(0);
      }
      const sellerItem = "(01)09521234543213(10)LOT7(21)0001";
      const fromPage = async (hash: string) => {
        const res = await fetch(`${page}/records/${hash}.json`);
        return res.ok ? ((await res.json()) as never) : undefined;
      };
      const sellerReport = await verifyUnit(sellerItem, {
        client: client as never,
        ledger: { address: ledger as Address },
        fetchRecord: fromPage,
      });
      expect(sellerReport.reasons.map((r) => r.code)).to.not.include("RECORD_UNAVAILABLE");
      const steps = sellerReport.entries.filter((e) => e.recordMatches === true).map((e) => e.stepName);
      // Its own registration and inspection, and the carton's assignment it inherits (a child's packing entry
      // holds the carton's key, not a record; the custody offer is not an entry until the carrier accepts).
      expect(steps).to.include.members(["COMMISSIONING", "INSPECTING", "ASSIGNED"]);
      expect(sellerReport.entries.some((e) => e.recordMatches === false)).to.equal(false);

      const code = "(01)09521234543213(10)LOT7(21)0009";
      for (const gasPrice of ["0", ""]) {
        const written = await runTrace([...global, "register", code], {
          privateKey: key,
          env: { TRACE_GAS_PRICE: gasPrice },
        });
        expect(written.code, written.stderr).to.equal(0);
      }
    } catch (error) {
      await stop(first);
      throw error;
    }
    expect(await stop(first)).to.equal(0);
    expect(first.output()).to.include("Stopped.");
    expect(existsSync(join(data, "anvil-state.json"))).to.equal(true);

    const second = await start(env);
    try {
      expect(second.output()).to.include(`Ledger already deployed at ${ledger}`);
      expect(second.output()).to.include("Demo data already on chain: not seeding again.");
      expect(second.output()).to.include("Authenticity demo already on chain: not seeding again.");
      // The tap of the first run is on chain: the fresh link is one above it.
      expect(second.output()).to.match(/fresh tap .*→ "NFC tag verified, read #4"/);
      const client = createPublicClient({ transport: http(`http://127.0.0.1:${rpcPort}`) });
      const report = await verifyUnit(DEMO_CODES.authentic, {
        client: client as never,
        ledger: { address: ledger as Address },
      });
      expect(report.verdict).to.equal("authentic");
      expect(report.state?.unit).to.equal(parseGs1(DEMO_CODES.authentic).key);
      expect(second.output()).not.to.include("moving this local dev chain's clock");
      // Each start prints a fresh capture token and revokes the previous one.
      const page = `http://127.0.0.1:${pagePort}`;
      const revoked = await fetch(`${page}/capture`, { headers: { authorization: `Bearer ${captureToken}` } });
      expect(revoked.status).to.equal(401);
      const fresh = /Authorization: Bearer (cbt_\S+)/.exec(second.output())![1];
      expect((await fetch(`${page}/capture`, { headers: { authorization: `Bearer ${fresh}` } })).status).to.equal(200);
    } catch (error) {
      await stop(second);
      throw error;
    }
    expect(await stop(second)).to.equal(0);
  });
});
