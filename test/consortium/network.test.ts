/**
 * The local consortium network (scripts/consortium): three EthereumJS Clique signer nodes, the ledger
 * deployed and members onboarded with consortium:up's code, an export journey written through different
 * nodes, a signer stopped and restarted in the middle, then a network split (node 3 alone against nodes 1
 * and 2) and its heal. Run by `npm run test:consortium` (a mocha run of its own: it loads Hardhat for the
 * paris deployment after the nodes are up, and takes minutes of real blocks). One network for the file.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import {
  headOf,
  startConsortiumNetwork,
  waitForAgreement,
  type ConsortiumNetwork,
} from "../../scripts/consortium/lib/network";
import {
  deployOnConsortium,
  devWallet,
  nodeProvider,
  onboardConsortium,
  readConsortiumFile,
} from "../../scripts/consortium/lib/onboard";
import type { DeploymentManifest } from "../../src/config/manifest";
import { TraceWriter, type TraceWriterOptions } from "../../src/write/writer";
import { parseGs1, toDigitalLink } from "../../src/gs1";
import { RecordStore, recordObjectEvent, recordRegistration, type UnitRef } from "../../src/records";
import { readHistory } from "../../src/read/history";
import { verifyUnit } from "../../src/verify/verify";
import { CUSTOMS_DOCUMENT_KINDS, type StepName } from "../../src/codes";
import { documentId, documentNumberHash } from "../../src/customs/identifiers";
import { startIndexer, type RunningIndexer } from "../../src/indexer/start";
import { status, unitEntries } from "../../src/indexer/queries";
import { TransactionError } from "../../src/errors/base";
import type { JsonRpcProvider } from "ethers";
import { startLinks, type Links } from "./links";
import { reportFigures } from "../helpers/figures";

/** Three members of the demo consortium, each writing through its own node. */
const MEMBERS = [
  { role: "EXPORTER", account: 1, node: 0 },
  { role: "CUSTOMS_BROKER", account: 5, node: 1 },
  { role: "CUSTOMS", account: 8, node: 2 },
] as const;
type Who = (typeof MEMBERS)[number]["role"];

const CODE = "https://id.gs1.org/401/6901234MAWB990001";
const ZERO = `0x${"00".repeat(32)}` as Hex;
/** The depth docs/consortium.md recommends on Clique: writes, verification and the index all use it. */
const DEPTH = 3;
const customsPort = 5316;
/** The longest the split lasts (ms): under the 10 s after which RLPx ends a silent session. */
const SPLIT_MS = 8_000;

describe("local consortium network (EthereumJS Clique, 3 signers)", function () {
  this.timeout(600_000);
  const started = Date.now();
  let dir: string;
  let links: Links;
  let network: ConsortiumNetwork;
  let manifest: DeploymentManifest;
  const providers: JsonRpcProvider[] = [];
  let writers: Record<Who, TraceWriter>;
  let store: RecordStore;
  let index: RunningIndexer | undefined;
  /** Events written and confirmed (by record hash), to compare with what each node reads back. */
  const written: Hex[] = [];
  /** How long the restarted node took to hold the others' chain (s). */
  let catchUpSeconds = NaN;
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
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
  const writerOn = (account: number, node: number, options: Partial<TraceWriterOptions> = {}) =>
    TraceWriter.create({
      ledger: manifest.ledger.address,
      signer: devWallet(account).connect(providers[node]),
      gasPrice: 0n,
      confirmations: DEPTH,
      ...options,
    });

  /** An EPCIS event of the unit, its hash recorded by `writer` (confirmed at DEPTH); returns the hash. */
  async function record(writer: TraceWriter, step: StepName, time: string, location?: number): Promise<Hex> {
    const { input, recordHash } = recordObjectEvent(store, unit(CODE), {
      step,
      eventTime: time,
      ...(location ? { location: String(location) } : {}),
    });
    await writer.record([input]);
    return recordHash.toLowerCase() as Hex;
  }

  /** Files a customs document with its EPCIS event; returns the document id. */
  async function file(by: Who, kind: "ZONE_ENTRY" | "DECLARATION", number: string, time: string, cites: Hex[] = []) {
    const step: StepName = kind === "ZONE_ENTRY" ? "ENTERING_EXITING" : "CUSTOMS_DECLARED";
    const { input, recordHash } = recordObjectEvent(store, unit(CODE), { step, eventTime: time });
    const numberHash = documentNumberHash(number);
    await writers[by].fileDocuments([
      {
        unit: input.unit,
        kind: CUSTOMS_DOCUMENT_KINDS[kind],
        numberHash,
        orderRef: ZERO,
        terms: [ZERO, ZERO],
        mode: kind === "DECLARATION" ? 1210 : 0,
        cites,
        eventTime: input.eventTime,
        location: input.location,
        recordHash: input.recordHash,
      },
    ]);
    written.push(recordHash.toLowerCase() as Hex);
    return documentId(CUSTOMS_DOCUMENT_KINDS[kind], await writers[by].organization(), numberHash);
  }

  /** The unit's record hashes as a node's chain holds them, and as its verifier reads them at DEPTH. */
  async function viewOf(rpcUrl: string) {
    const history = await readHistory(client(rpcUrl), ledger(), unit(CODE).key);
    const verdict = await verifyUnit(CODE, { client: client(rpcUrl), ledger: ledger(), confirmations: DEPTH });
    return {
      chain: history.entries.map((e) => e.data.toLowerCase() as Hex),
      verified: verdict.entries.map((e) => e.data.toLowerCase() as Hex),
      summary: JSON.stringify({ verdict: verdict.verdict, reasons: verdict.reasons, entries: verdict.entries.length }),
    };
  }

  /** The unit's record hashes in the index. */
  async function indexed(): Promise<Hex[]> {
    const page = await unitEntries(index!.db, unit(CODE).key, { limit: 1_000 });
    return page.items.map((e) => e.data.toLowerCase() as Hex);
  }

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "cbec-consortium-"));
    links = await startLinks(3);
    network = await startConsortiumNetwork({
      dir,
      nodes: 3,
      fund: [devWallet(0).address, ...MEMBERS.map((m) => devWallet(m.account).address)],
      route: links.route,
    });
    console.log(`      network up in ${seconds()} s`);
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
    console.log(`      ledger deployed and 3 members onboarded at ${seconds()} s`);
    for (const url of network.rpcUrls) providers.push(nodeProvider(url, network.chainId));
    writers = {} as Record<Who, TraceWriter>;
    for (const m of MEMBERS) writers[m.role] = await writerOn(m.account, m.node);
    store = new RecordStore(join(dir, "records"));
  });

  after(async function () {
    await index?.stop();
    for (const p of providers) p.destroy();
    await network?.stop();
    await links?.close();
    // TRACE_CONSORTIUM_KEEP=1 keeps the nodes' folders (logs) for a look after a failure.
    if (dir && !process.env.TRACE_CONSORTIUM_KEEP) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.log(`      kept ${dir}`);
    console.log(`      test file took ${seconds()} s`);
  });

  it("writes a journey through different nodes, survives a stopped signer, and every node serves the same verdict", async function () {
    // Registration and the broker's assignment through node 1 (the exporter's).
    const reg = recordRegistration(store, unit(CODE), {
      eventTime: "2026-11-05T10:00:00+08:00",
      location: "6901234000047",
    });
    await writers.EXPORTER.register([reg.input]);
    written.push(reg.recordHash.toLowerCase() as Hex);
    const broker = await writers.CUSTOMS_BROKER.organization();
    const assignment = recordObjectEvent(store, unit(CODE), {
      step: "ASSIGNED",
      eventTime: "2026-11-05T13:00:00+08:00",
      extensions: { "cbectrace:organization": String(broker) },
    });
    const assigned = assignment.recordHash;
    await writers.EXPORTER.assign(unit(CODE).key, broker, true, assignment.input);
    written.push(assigned.toLowerCase() as Hex);
    // 1210: customs records the entry into the bonded zone (node 3), the broker declares citing it (node 2).
    const zone = await file("CUSTOMS", "ZONE_ENTRY", "Z-990001", "2026-11-06T09:00:00+08:00");
    await file("CUSTOMS_BROKER", "DECLARATION", "531620261107990001", "2026-11-07T10:00:00+08:00", [zone]);

    // Node 2 (a signer, and the broker's node) stops: the others go on sealing, customs writes through node 3.
    await network.stopNode(1);
    const headBefore = (await providers[2].getBlockNumber()) as number;
    written.push(await record(writers.CUSTOMS, "CUSTOMS_INSPECTED", "2026-11-07T14:00:00+08:00", customsPort));
    written.push(await record(writers.CUSTOMS, "CUSTOMS_RELEASED", "2026-11-07T16:00:00+08:00", customsPort));
    expect(await providers[0].getBlockNumber()).to.be.greaterThan(headBefore, "the two remaining signers kept sealing");

    // Node 2 comes back: it catches up with what was written while it was down.
    const restarted = Date.now();
    await network.startNode(1);
    const height = await waitForAgreement(network.rpcUrls, {
      minHeight: (await providers[0].getBlockNumber()) as number,
      timeoutMs: 120_000,
    });
    catchUpSeconds = (Date.now() - restarted) / 1000;
    console.log(`      node 2 restarted and caught up to block ${height} in ${catchUpSeconds.toFixed(1)} s`);

    // Every node: the same history (nothing lost, nothing twice) and the same verdict.
    const views = await Promise.all(network.rpcUrls.map(viewOf));
    for (const v of views) {
      expect(v.chain).to.deep.equal(written);
      expect(v.verified).to.deep.equal(written);
      expect(v.summary).to.equal(views[0].summary);
    }
  });

  it("a network split (node 3 alone): a write the surviving chain drops is never confirmed, verified or indexed", async function () {
    // The index follows node 3 — the side that will lose — at the same depth as the writers.
    index = await startIndexer({
      client: client(network.rpcUrls[2]),
      ledger: ledger(),
      finality: DEPTH,
      pollIntervalMs: 250,
    });
    await index.ready;
    const customs = devWallet(8).address;
    // The customs office's writer on node 3 (cut off), and the same key failing over to node 1 (majority).
    const cutOff = await writerOn(8, 2, { receiptTimeoutMs: 6_000, maxAttempts: 2 });
    const failover = await writerOn(8, 0);

    // Split from a settled network: every node on one chain two blocks past where this test began.
    await waitForAgreement(network.rpcUrls, {
      minHeight: (await headOf(network.rpcUrls[0])).number + 2,
      timeoutMs: 60_000,
    });
    const forkPoint = await headOf(network.rpcUrls[0]);
    await links.split([2]);
    const splitAt = Date.now();
    // X: written through node 3 only. Its nonce is the next one; node 1 never hears of it.
    const x = recordObjectEvent(store, unit(CODE), {
      step: "CUSTOMS_INSPECTED",
      eventTime: "2026-11-08T09:00:00+08:00",
      location: String(customsPort),
    });
    let xOutcome: "pending" | "confirmed" | "failed" = "pending";
    let xError: unknown;
    const xWrite = cutOff.record([x.input]).then(
      () => (xOutcome = "confirmed"),
      (error) => ((xOutcome = "failed"), (xError = error)),
    );
    const nonce = await providers[2].getTransactionCount(customs, "latest");
    for (let i = 0; (await providers[2].getTransactionCount(customs, "pending")) === nonce; i++) {
      if (i > 100) throw new Error("the write through node 3 never reached its pool");
      await new Promise((r) => setTimeout(r, 50));
    }
    // Y: the same key through node 1, with the same nonce: the majority's chain takes Y, so X can never be.
    // The split lasts SPLIT_MS at most (RLPx sessions survive 10 s of silence): Y is confirmed after the heal
    // if the majority has not confirmed it by then.
    const yWrite = record(failover, "CUSTOMS_INSPECTED", "2026-11-08T09:05:00+08:00", customsPort);
    let yConfirmedInSplit = false;
    void yWrite.then(
      () => (yConfirmedInSplit = true),
      () => undefined,
    );
    while (!yConfirmedInSplit && Date.now() - splitAt < SPLIT_MS) await new Promise((r) => setTimeout(r, 100));
    const majority = await headOf(network.rpcUrls[0]);
    const minority = await headOf(network.rpcUrls[2]);
    const during = await viewOf(network.rpcUrls[2]);
    const indexedDuring = await indexed();
    const splitSeconds = (Date.now() - splitAt) / 1000;
    const held = await links.heldBytes();
    await links.heal();
    console.log(
      `      split ${splitSeconds.toFixed(1)} s: nodes 1+2 sealed ${majority.number - forkPoint.number} blocks, ` +
        `node 3 alone ${minority.number - forkPoint.number} (of its own: Clique lets 1 of 3 signers seal one block in 2), ${held} bytes held across it`,
    );
    expect(majority.number - forkPoint.number).to.be.at.least(DEPTH, "the two signers kept sealing");
    expect(minority.number - forkPoint.number).to.be.at.most(1, "a lone signer of three seals at most one block");
    expect(held).to.be.greaterThan(0, "the split cut traffic that was flowing");
    expect(xOutcome).to.equal("pending", "X was never confirmed while cut off");
    expect(during.verified).to.not.include(x.recordHash.toLowerCase(), "node 3's verifier shows no unconfirmed entry");
    expect(indexedDuring).to.not.include(x.recordHash.toLowerCase());

    // Heal: node 3 takes the heavier chain; X's nonce is Y's there, so X is dropped and its writer gives up.
    written.push(await yWrite);
    const height = await waitForAgreement(network.rpcUrls, {
      minHeight: (await headOf(network.rpcUrls[0])).number,
      timeoutMs: 120_000,
    });
    await xWrite;
    expect(xOutcome).to.equal("failed");
    expect(xError).to.be.instanceOf(TransactionError);
    // The index reaches the agreed chain's depth and holds what it holds, without X.
    const deadline = Date.now() + 60_000;
    while (((await status(index.db)).cursor?.block ?? -1n) < BigInt(height - DEPTH)) {
      if (Date.now() > deadline) throw new Error("the index did not catch up after the heal");
      await new Promise((r) => setTimeout(r, 250));
    }
    const views = await Promise.all(network.rpcUrls.map(viewOf));
    const afterHeal = await indexed();
    const xHash = x.recordHash.toLowerCase() as Hex;
    const seen = new Set(views[0].chain);
    const lost = written.filter((w) => !seen.has(w)).length;
    const duplicated = views[0].chain.length - seen.size;
    const equal = views.every((v) => v.summary === views[0].summary && v.chain.join() === views[0].chain.join());
    // The figure line, kept for the reliability summary at the end of .ci/run (which fails on lost or duplicated).
    reportFigures("consortium", "consortium network (EthereumJS Clique): journey, stopped signer, split", {
      nodes: network.rpcUrls.length,
      events: views[0].chain.length,
      lost,
      duplicated,
      verdicts: equal ? "equal" : "DIFFERENT",
      "dropped write shown from":
        views.filter((v) => v.chain.includes(xHash) || v.verified.includes(xHash)).length +
        (afterHeal.includes(xHash) ? 1 : 0),
      indexed: afterHeal.length,
      "restart catch-up seconds": Number(catchUpSeconds.toFixed(1)),
      "split seconds": Number(splitSeconds.toFixed(1)),
    });
    for (const v of views) {
      expect(v.chain).to.deep.equal(written);
      expect(v.chain).to.not.include(x.recordHash.toLowerCase());
    }
    expect(afterHeal).to.not.include(x.recordHash.toLowerCase());
    expect(afterHeal).to.deep.equal(written.slice(0, afterHeal.length), "the index holds a prefix of the chain's");
    expect(afterHeal.length).to.be.at.least(written.length - 1);
    expect(lost).to.equal(0);
    expect(duplicated).to.equal(0);
    expect(equal, views.map((v) => v.summary).join("\n")).to.equal(true);
  });
});
