/**
 * The local consortium network (scripts/consortium): three EthereumJS Clique signer nodes, the ledger
 * deployed and members onboarded with consortium:up's code, an export journey written through different
 * nodes, a signer stopped and restarted in the middle. Run by `npm run test:consortium` (a mocha run of its
 * own: it loads Hardhat for the paris deployment after the nodes are up, and takes minutes of real blocks).
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import { startConsortiumNetwork, waitForAgreement, type ConsortiumNetwork } from "../../scripts/consortium/lib/network";
import {
  deployOnConsortium,
  devWallet,
  nodeProvider,
  onboardConsortium,
  readConsortiumFile,
} from "../../scripts/consortium/lib/onboard";
import type { DeploymentManifest } from "../../src/config/manifest";
import { TraceWriter } from "../../src/write/writer";
import { parseGs1, toDigitalLink } from "../../src/gs1";
import { RecordStore, recordObjectEvent, recordRegistration, type UnitRef } from "../../src/records";
import { readHistory } from "../../src/read/history";
import { verifyUnit } from "../../src/verify/verify";
import type { StepName } from "../../src/codes";
import type { JsonRpcProvider } from "ethers";

/** Three members of the demo consortium, each writing through its own node. */
const MEMBERS = [
  { role: "EXPORTER", account: 1, node: 0 },
  { role: "CUSTOMS_BROKER", account: 5, node: 1 },
  { role: "CUSTOMS", account: 8, node: 2 },
] as const;
type Who = (typeof MEMBERS)[number]["role"];

const CODE = "https://id.gs1.org/401/6901234MAWB990001";

describe("local consortium network (EthereumJS Clique, 3 signers)", function () {
  this.timeout(600_000);
  const started = Date.now();
  let dir: string;
  let network: ConsortiumNetwork;
  let manifest: DeploymentManifest;
  const providers: JsonRpcProvider[] = [];
  let writers: Record<Who, TraceWriter>;
  let store: RecordStore;
  /** Events written (by record hash), to compare with what each node reads back. */
  const written: Hex[] = [];
  const unit = (code: string): UnitRef => {
    const identity = parseGs1(code);
    return {
      key: identity.key as Hex,
      uri: toDigitalLink(identity, { attributes: false }),
      path: identity.canonicalPath,
    };
  };
  const ledger = () => ({
    address: manifest.ledger.address as Address,
    chainId: network.chainId,
    deploymentBlock: BigInt(manifest.ledger.deploymentBlock),
  });
  const client = (rpcUrl: string) => createPublicClient({ transport: http(rpcUrl) }) as PublicClient;

  async function record(by: Who, step: StepName, time: string, location?: string) {
    const { input, recordHash } = recordObjectEvent(store, unit(CODE), {
      step,
      eventTime: time,
      ...(location ? { location } : {}),
    });
    await writers[by].record([input]);
    written.push(recordHash.toLowerCase() as Hex);
  }

  /** The unit's history read through one node at the given confirmations depth. */
  async function historyOn(rpcUrl: string) {
    return readHistory(client(rpcUrl), ledger(), unit(CODE).key);
  }

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "cbec-consortium-"));
    network = await startConsortiumNetwork({
      dir,
      nodes: 3,
      fund: [devWallet(0).address, ...MEMBERS.map((m) => devWallet(m.account).address)],
    });
    console.log(`      network up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    ({ manifest } = await deployOnConsortium({
      rpcUrl: network.rpcUrls[0],
      chainId: network.chainId,
      adminKey: devWallet(0).privateKey,
      dir,
    }));
    const demo = readConsortiumFile();
    const roles = new Set<string>(MEMBERS.map((m) => m.role));
    await onboardConsortium({
      rpcUrl: network.rpcUrls[0],
      chainId: network.chainId,
      manifest,
      adminKey: devWallet(0).privateKey,
      desired: { ...demo, organizations: demo.organizations.filter((o) => o.roles.some((r) => roles.has(r))) },
    });
    console.log(`      ledger deployed and 3 members onboarded at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const url of network.rpcUrls) providers.push(nodeProvider(url, network.chainId));
    writers = {} as Record<Who, TraceWriter>;
    for (const m of MEMBERS) {
      writers[m.role] = await TraceWriter.create({
        ledger: manifest.ledger.address,
        signer: devWallet(m.account).connect(providers[m.node]),
        gasPrice: 0n,
        confirmations: 3,
      });
    }
    store = new RecordStore(join(dir, "records"));
  });

  after(async function () {
    for (const p of providers) p.destroy();
    await network?.stop();
    // TRACE_CONSORTIUM_KEEP=1 keeps the nodes' folders (logs) for a look after a failure.
    if (dir && !process.env.TRACE_CONSORTIUM_KEEP) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.log(`      kept ${dir}`);
    console.log(`      test file took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it("writes a journey through different nodes, survives a stopped signer, and every node serves the same verdict", async function () {
    // Registration through node 1 (the exporter's), declaration through node 2 (the broker's).
    const reg = recordRegistration(store, unit(CODE), {
      eventTime: "2026-11-05T10:00:00+08:00",
      location: "6901234000047",
    });
    await writers.EXPORTER.register([reg.input]);
    written.push(reg.recordHash.toLowerCase() as Hex);
    await record("EXPORTER", "ORDER_PLACED", "2026-11-05T12:00:00+08:00");
    // The custodian assigns the broker to the consignment (its note is an entry of the history too).
    const broker = await writers.CUSTOMS_BROKER.organization();
    const assignment = recordObjectEvent(store, unit(CODE), {
      step: "ASSIGNED",
      eventTime: "2026-11-05T13:00:00+08:00",
      extensions: { "cbectrace:organization": String(broker) },
    });
    const assigned = assignment.recordHash;
    await writers.EXPORTER.assign(unit(CODE).key, broker, true, assignment.input);
    written.push(assigned.toLowerCase() as Hex);
    await record("CUSTOMS_BROKER", "CUSTOMS_DECLARED", "2026-11-07T10:00:00+08:00", "5316");

    // Node 2 (a signer, and the broker's node) stops: the others go on sealing, the customs writes through node 3.
    await network.stopNode(1);
    const headBefore = (await providers[2].getBlockNumber()) as number;
    await record("CUSTOMS", "CUSTOMS_INSPECTED", "2026-11-07T14:00:00+08:00", "5316");
    await record("CUSTOMS", "CUSTOMS_RELEASED", "2026-11-07T16:00:00+08:00", "5316");
    expect(await providers[0].getBlockNumber()).to.be.greaterThan(headBefore, "the two remaining signers kept sealing");

    // Node 2 comes back: it catches up with what was written while it was down.
    const restarted = Date.now();
    await network.startNode(1);
    const height = await waitForAgreement(network.rpcUrls, {
      minHeight: (await providers[0].getBlockNumber()) as number,
      timeoutMs: 120_000,
    });
    const syncSeconds = (Date.now() - restarted) / 1000;
    console.log(`      node 2 restarted and caught up to block ${height} in ${syncSeconds.toFixed(1)} s`);

    // Every node: the same history (nothing lost, nothing twice) and the same verdict.
    const histories = await Promise.all(network.rpcUrls.map(historyOn));
    const hashes = histories.map((h) => h.entries.map((e) => e.data.toLowerCase()));
    for (const h of hashes) expect(h).to.deep.equal(hashes[0]);
    const seen = new Set(hashes[0]);
    const lost = written.filter((w) => !seen.has(w)).length;
    const duplicated = hashes[0].length - seen.size;
    const verdicts = await Promise.all(
      network.rpcUrls.map((url) => verifyUnit(CODE, { client: client(url), ledger: ledger(), confirmations: 3 })),
    );
    const summary = verdicts.map((v) =>
      JSON.stringify({ verdict: v.verdict, reasons: v.reasons, entries: v.entries.length }),
    );
    const equal = summary.every((s) => s === summary[0]);
    const events = hashes[0].length;
    console.log(
      `      nodes ${network.rpcUrls.length}, events ${events}, lost ${lost}, duplicated ${duplicated}, verdicts ${equal ? "equal" : "DIFFERENT"}`,
    );
    expect(lost).to.equal(0);
    expect(duplicated).to.equal(0);
    expect(events).to.equal(written.length);
    expect(equal, summary.join("\n")).to.equal(true);
    expect(verdicts[0].entries.length).to.equal(written.length);
  });
});
