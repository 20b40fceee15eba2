/**
 * The `trace` CLI end to end: `node bin/trace.js` in child processes against a real `hardhat node`
 * (test/helpers/localNode.ts), each member acting with its own key through TRACE_PRIVATE_KEY, settings
 * from a deployment manifest file. Asserts stdout (`--json` parsed), stderr and exit codes.
 */
import { expect } from "chai";
import { isCoverageRun } from "../helpers/coverage";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import type { TraceLedger } from "../../typechain-types";
import type { TraceReader } from "../../src/read/reader";
import { parseGs1, gs1CheckDigit, toDigitalLink } from "../../src/gs1";
import { RecordStore, recordObjectEvent } from "../../src/records";
import type { CustomsDocumentInput } from "../../src/write/types";
import { recordHash, type EpcisEvent } from "../../src/epcis";
import { CUSTOMS_DOCUMENT_KINDS, STAGES } from "../../src/codes";
import { documentId, documentNumberHash } from "../../src/customs/identifiers";
import { TraceWriter } from "../../src/write/writer";
import { Wallet } from "ethers";
import { EXIT } from "../../src/cli/exitCodes";
import { GTIN, MEMBER_NAMES, type MemberName } from "../helpers/ledger";
import {
  startDeployedNode,
  freePort,
  nodeProvider,
  runTrace,
  type DeployedNode,
  type NodeDeployment,
  type TraceRun,
  type TraceRunOptions,
} from "../helpers/localNode";

/** An item of this test as a GS1 element string. */
const item = (n: number) => `(01)${GTIN}(10)CLI(21)${n}`;
/** The same item as a Digital Link URI. */
const itemUri = (n: number) => `https://id.gs1.org/01/${GTIN}/10/CLI/21/${n}`;
/** A carton (SSCC) of this test. */
const carton = (n: number) => {
  const body = "0" + "9521234" + String(n).padStart(9, "0");
  return `(00)${body}${gs1CheckDigit(body)}`;
};
const keyOf = (code: string) => parseGs1(code).key as Hex;
const ZERO = `0x${"00".repeat(32)}` as Hex;

interface WriteSummary {
  written: number;
  skipped: number;
  transactions: Array<{ hash: string; block: number; gasUsed: string }>;
  gasUsed: string;
}

interface HistoryRow {
  seq: number;
  step: string;
  org: number;
  account: string;
  recordHash: string;
  inheritedFrom: string | null;
  eventTime: string;
  location: string;
}

interface HistoryOutput {
  uri: string;
  key: string;
  intact: boolean;
  entries: HistoryRow[];
}

describe("trace CLI end to end (bin/trace.js against a hardhat node)", function () {
  this.timeout(180_000);

  let setup: DeployedNode | undefined;
  let dep: NodeDeployment;
  let ledger: TraceLedger;
  let reader: TraceReader;
  let work: string;
  let recordsDir: string;
  /** Every private key of the deployment, without 0x: no output may ever contain one. */
  let secrets: string[];

  before(async function () {
    // Instrumented coverage bytecode runs on the in-process network only; this suite drives a separate node.
    if (isCoverageRun()) this.skip();
    setup = await startDeployedNode("cbec-trace-cli-");
    ({ dep, ledger, reader, work, recordsDir } = setup);
    secrets = [dep.admin, dep.stranger, ...MEMBER_NAMES.map((m) => dep.members[m])].map((a) =>
      a.privateKey.slice(2).toLowerCase(),
    );
  });

  after(async () => {
    await setup?.stop();
  });

  /** Runs `trace` as a member (or with no key), with the manifest, the RPC URL and the shared record store. */
  async function trace(as: MemberName | undefined, args: string[], options: TraceRunOptions = {}): Promise<TraceRun> {
    const run = await runTrace(["--manifest", dep.manifestPath, "--records-dir", recordsDir, ...args], {
      ...(as ? { privateKey: dep.members[as].privateKey } : {}),
      ...options,
      env: { TRACE_RPC_URL: setup!.node.rpcUrl, ...options.env },
    });
    const output = (run.stdout + run.stderr).toLowerCase();
    for (const secret of secrets) expect(output, "a private key was printed").not.to.include(secret);
    return run;
  }

  /**
   * Files a 1210 declaration of `code` through the SDK, each document's EPCIS record kept in the shared record
   * store as `trace` keeps its own: customs' zone entry, then the broker's declaration citing it.
   */
  async function declareOnNode(code: string): Promise<void> {
    const provider = await nodeProvider(setup!.node.rpcUrl);
    const identity = parseGs1(code);
    const unit = {
      key: identity.key as Hex,
      uri: toDigitalLink(identity, { attributes: false }),
      path: identity.canonicalPath,
    };
    const store = new RecordStore(recordsDir);
    const file = async (
      m: "customs" | "broker",
      step: "ENTERING_EXITING" | "CUSTOMS_DECLARED",
      d: Pick<CustomsDocumentInput, "kind" | "numberHash"> & Partial<CustomsDocumentInput>,
    ) => {
      const { input } = recordObjectEvent(store, unit, { step, eventTime: "2026-11-21T10:00:00+08:00" });
      const writer = await TraceWriter.create({
        ledger: dep.ledger,
        signer: new Wallet(dep.members[m].privateKey, provider),
      });
      await writer.fileDocuments([
        {
          unit: input.unit,
          orderRef: ZERO,
          terms: [ZERO, ZERO],
          mode: 0,
          cites: [],
          eventTime: input.eventTime,
          location: input.location,
          recordHash: input.recordHash,
          ...d,
        },
      ]);
    };
    const zone = documentNumberHash("Z-CLI-1");
    await file("customs", "ENTERING_EXITING", { kind: CUSTOMS_DOCUMENT_KINDS.ZONE_ENTRY, numberHash: zone });
    await file("broker", "CUSTOMS_DECLARED", {
      kind: CUSTOMS_DOCUMENT_KINDS.DECLARATION,
      numberHash: documentNumberHash("D-CLI-1"),
      mode: 1210,
      cites: [documentId(CUSTOMS_DOCUMENT_KINDS.ZONE_ENTRY, dep.members.customs.orgId, zone)],
    });
    provider.destroy();
  }

  /** Asserts a run succeeded and returns its parsed --json output. */
  function ok<T = unknown>(run: TraceRun): T {
    expect(run.code, `trace failed (exit ${run.code}):\n${run.stderr}\n${run.stdout}`).to.equal(EXIT.OK);
    return (run.stdout.trim().startsWith("{") || run.stdout.trim().startsWith("[") ? JSON.parse(run.stdout) : {}) as T;
  }

  /** Asserts a run failed with `code`; returns its stderr. */
  function fails(run: TraceRun, code: number): string {
    expect(run.code, `expected exit ${code}, got ${run.code}:\n${run.stderr}\n${run.stdout}`).to.equal(code);
    expect(run.stderr).to.match(/error/i);
    return run.stderr;
  }

  /** Block number and the exporter's nonce: unchanged when nothing was sent. */
  async function chainMark() {
    return {
      block: await setup!.provider.getBlockNumber(),
      nonces: await Promise.all(MEMBER_NAMES.map((m) => setup!.provider.getTransactionCount(dep.members[m].address))),
    };
  }

  describe("key and label (no chain needed)", () => {
    it("gives the same key for a Digital Link URI and an element string", async () => {
      const run = await runTrace(["key", itemUri(1), item(1), "--json"]);
      const rows = ok<Array<{ key: string; canonicalPath: string; kind: string }>>(run);
      expect(rows).to.have.length(2);
      expect(rows[0].key).to.equal(rows[1].key);
      expect(rows[0].key).to.equal(keyOf(item(1)));
      expect(rows[0].canonicalPath).to.equal(`/01/${GTIN}/10/CLI/21/1`);
      expect(rows[0].kind).to.equal("item");
    });

    it("refuses an invalid GS1 code with exit 2 and says what is wrong", async () => {
      const badGtin = GTIN.slice(0, 13) + String((Number(GTIN[13]) + 1) % 10);
      const run = await runTrace(["key", `(01)${badGtin}(10)CLI(21)1`]);
      const stderr = fails(run, EXIT.INVALID_INPUT);
      expect(stderr).to.include(badGtin);
      expect(stderr).to.match(/check digit/);
      expect(run.stdout).to.equal("");
      const unknownAi = await runTrace(["key", "(01)" + GTIN + "(99999)X"]);
      fails(unknownAi, EXIT.INVALID_INPUT);
    });

    it("writes QR labels as PNG and SVG", async () => {
      const dir = mkdtempSync(join(tmpdir(), "cbec-trace-label-"));
      try {
        const png = join(dir, "x.png");
        const svg = join(dir, "x.svg");
        const [a, b, c] = await Promise.all([
          runTrace(["label", item(1), "--out", png, "--json"]),
          runTrace(["label", itemUri(1), "--out", svg, "--domain", "https://trace.example.cn"]),
          runTrace(["label", item(1), "--out", join(dir, "x.gif")]),
        ]);
        expect(ok<{ file: string; uri: string }>(a)).to.deep.equal({ file: png, uri: itemUri(1) });
        ok(b);
        const bytes = readFileSync(png);
        expect(bytes.subarray(0, 8).toString("hex")).to.equal("89504e470d0a1a0a");
        expect(bytes.length).to.be.greaterThan(200);
        const text = readFileSync(svg, "utf8");
        expect(text).to.match(/<svg/);
        expect(b.stdout).to.include(`https://trace.example.cn/01/${GTIN}/10/CLI/21/1`);
        expect(fails(c, EXIT.INVALID_INPUT)).to.match(/\.svg, \.pdf or \.png/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("an export journey across members", () => {
    const items = [itemUri(1), item(2), item(3)];
    const box = carton(1);

    it("exporter registers, inspects, packs and assigns; broker declares; customs releases; carrier departs", async () => {
      const reg = ok<WriteSummary>(await trace("exporter", ["--json", "register", ...items, box]));
      expect(reg.written).to.equal(4);
      expect(reg.skipped).to.equal(0);
      expect(reg.transactions).to.have.length.greaterThan(0);
      for (const code of [...items, box]) expect((await ledger.unitState(keyOf(code))).seq).to.equal(1n);

      const inspected = ok<WriteSummary>(
        await trace("exporter", [
          "--json",
          "record",
          ...items,
          "--step",
          "inspecting",
          "--disposition",
          "conformant",
          "--location",
          "6901234000009",
        ]),
      );
      expect(inspected.written).to.equal(3);

      ok(await trace("exporter", ["pack", box, ...items]));
      ok(await trace("exporter", ["assign", box, "--org", String(dep.members.broker.orgId)]));
      expect(await ledger.isAssigned(keyOf(box), dep.members.broker.orgId)).to.equal(true);

      // A declaration is a customs document since 2.2: `trace record` refuses it before anything is sent, and
      // the broker files it (a 1210 one, citing customs' zone entry) through the SDK.
      const mark = await chainMark();
      const refused = fails(await trace("broker", ["record", box, "--step", "customs_declared"]), EXIT.INVALID_INPUT);
      expect(refused).to.match(/customs_declared is a customs document \(DECLARATION\)/);
      expect(await chainMark()).to.deep.equal(mark);
      await declareOnNode(box);
      ok(await trace("customs", ["record", box, "--step", "customs_released"]));
      // custody is offered, and moves when the carrier accepts (trust model v2), at the times given (issue 15)
      const carrierOrg = String(dep.members.carrier.orgId);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
      const ahead = fails(
        await trace("exporter", ["handover", box, "--to", carrierOrg, "--time", tomorrow]),
        EXIT.REFUSED,
      );
      expect(ahead).to.match(/is after .*, the latest this block accepts/);
      expect((await ledger.handoverOffer(keyOf(box))).toOrg).to.equal(0n);
      const offered = ok<WriteSummary & { next: string }>(
        await trace("exporter", [
          "--json",
          "handover",
          box,
          "--to",
          carrierOrg,
          "--time",
          "2026-11-08T08:00:00+08:00",
          "--location",
          "6901234000023",
        ]),
      );
      expect(offered.next).to.equal(`organization ${dep.members.carrier.orgId} accepts with: trace accept ${box}`);
      expect((await ledger.unitState(keyOf(box))).custodian).to.equal(BigInt(dep.members.exporter.orgId));
      ok(await trace("carrier", ["accept", box, "--time", "2026-11-08T08:30:00+08:00", "--location", "6901234000023"]));
      expect((await ledger.unitState(keyOf(box))).custodian).to.equal(BigInt(dep.members.carrier.orgId));
      const custody = ok<HistoryOutput>(await trace(undefined, ["--json", "history", box])).entries.at(-1)!;
      expect(custody).to.deep.include({
        step: "CUSTODY_TRANSFERRED",
        eventTime: "2026-11-08T00:30:00.000Z",
        location: "GLN 6901234000023",
      });
      const departed = ok<WriteSummary>(
        await trace("carrier", ["--json", "record", box, "--step", "departing", "--disposition", "in_transit"]),
      );
      expect(departed.written).to.equal(1);

      const state = await ledger.unitState(keyOf(box));
      expect(state.stage).to.equal(BigInt(STAGES.DEPARTED));
      expect(state.custodian).to.equal(BigInt(dep.members.carrier.orgId));
    });

    it("correct builds the proof: the author corrects its entry, another organization is refused (exit 3)", async () => {
      // entry 2 of item 2 is the exporter's INSPECTING; the broker did not record it
      const refused = fails(
        await trace("broker", ["correct", items[1], "--seq", "2", "--reason", "not mine"]),
        EXIT.REFUSED,
      );
      expect(refused).to.match(/recorded by organization/);
      const before = (await ledger.unitState(keyOf(items[1]))).seq;
      ok(await trace("exporter", ["correct", items[1], "--seq", "2", "--reason", "wrong disposition"]));
      expect((await ledger.unitState(keyOf(items[1]))).seq).to.equal(before + 1n);
    });

    it("history of an item shows the carton's events it inherited, with an intact hash chain", async () => {
      const history = ok<HistoryOutput>(await trace(undefined, ["--json", "history", items[0]]));
      expect(history.intact).to.equal(true);
      expect(history.key).to.equal(keyOf(items[0]));
      const steps = history.entries.map((e) => e.step);
      expect(steps).to.deep.equal([
        "COMMISSIONING",
        "INSPECTING",
        "PACKING",
        "ASSIGNED",
        "ENTERING_EXITING",
        "CUSTOMS_DECLARED",
        "CUSTOMS_RELEASED",
        "CUSTODY_TRANSFERRED",
        "DEPARTING",
      ]);
      const own = history.entries.filter((e) => e.inheritedFrom === null);
      const inherited = history.entries.filter((e) => e.inheritedFrom !== null);
      expect(own.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
      expect(inherited).to.have.length(6);
      for (const e of inherited) expect(e.inheritedFrom).to.equal(keyOf(box));
      const by = (step: string) => history.entries.find((e) => e.step === step)!;
      expect(by("CUSTOMS_DECLARED").org).to.equal(dep.members.broker.orgId);
      expect(by("CUSTOMS_DECLARED").account.toLowerCase()).to.equal(dep.members.broker.address.toLowerCase());
      expect(by("CUSTOMS_RELEASED").org).to.equal(dep.members.customs.orgId);
      expect(by("DEPARTING").org).to.equal(dep.members.carrier.orgId);
      expect(by("COMMISSIONING").org).to.equal(dep.members.exporter.orgId);

      // The human form says the same.
      const text = await trace(undefined, ["history", item(1)]);
      ok(text);
      expect(text.stdout).to.match(/9 entries, hash chain intact/);
      expect(text.stdout).to.match(/DEPARTING .*\(via parent 0x/);
    });

    it("state shows stage and flags", async () => {
      const [itemRun, boxRun, unknownRun] = await Promise.all([
        trace(undefined, ["--json", "state", items[0]]),
        trace(undefined, ["--json", "state", box]),
        trace(undefined, ["--json", "state", item(404)]),
      ]);
      const s = ok<Record<string, unknown>>(itemRun);
      expect(s).to.include({
        registered: true,
        packed: true,
        held: false,
        recalled: false,
        flagged: false,
        parent: keyOf(box),
        registrant: dep.members.exporter.orgId,
        custodian: dep.members.carrier.orgId,
        seq: 3,
      });
      const b = ok<Record<string, unknown>>(boxRun);
      // 8 entries: the declaration is two since 2.2 (the zone entry it cites, then the declaration)
      expect(b).to.include({ registered: true, stageName: "DEPARTED", packed: false, held: false, seq: 8 });
      expect(b.stage).to.equal(STAGES.DEPARTED);
      expect(ok<Record<string, unknown>>(unknownRun)).to.include({ registered: false, seq: 0 });
    });

    it("export-epcis writes an EPCIS 2.0 document whose event hashes are the on-chain record hashes", async () => {
      const file = join(work, "item1.epcis.json");
      const run = await trace(undefined, ["export-epcis", items[0], "--out", file]);
      ok(run);
      expect(run.stderr).not.to.match(/warning/);
      const doc = JSON.parse(readFileSync(file, "utf8")) as {
        type: string;
        schemaVersion: string;
        "@context": unknown[];
        epcisBody: { eventList: EpcisEvent[] };
      };
      expect(doc.type).to.equal("EPCISDocument");
      expect(doc.schemaVersion).to.equal("2.0");
      expect(doc["@context"]).to.include("https://ref.gs1.org/standards/epcis/epcis-context.jsonld");

      const journey = await reader.journey(keyOf(items[0]));
      expect(journey.intact).to.equal(true);
      const onChain = journey.entries
        .filter((e) => e.stepName !== "PACKING" && e.stepName !== "UNPACKING")
        .map((e) => e.data.toLowerCase());
      const exported = doc.epcisBody.eventList.map((ev) => recordHash(ev).toLowerCase());
      expect([...exported].sort()).to.deep.equal([...onChain].sort());
      for (const ev of doc.epcisBody.eventList) {
        expect((ev as { eventID?: string }).eventID).to.equal(
          `ni:///sha-256;${recordHash(ev).slice(2)}?ver=cbec-trace-1`,
        );
      }
      const bizSteps = doc.epcisBody.eventList.map((ev) => String((ev as { bizStep?: string }).bizStep));
      expect(bizSteps.some((s) => /commissioning/.test(s))).to.equal(true);
      expect(bizSteps.some((s) => /departing/.test(s))).to.equal(true);
    });
  });

  describe("refusals", () => {
    const loose = item(9);

    before(async function () {
      if (isCoverageRun()) this.skip();
      ok(await trace("exporter", ["register", loose]));
    });

    it("exits 3 when the ledger refuses, and sends nothing", async () => {
      const before = await chainMark();
      const [notAllowed, unregistered] = await Promise.all([
        trace("exporter", ["record", loose, "--step", "customs_released"]),
        trace("exporter", ["record", item(404), "--step", "inspecting"]),
      ]);
      expect(fails(notAllowed, EXIT.REFUSED)).to.include("may not record CUSTOMS_RELEASED");
      expect(fails(unregistered, EXIT.REFUSED)).to.match(/is not registered/);
      expect(await chainMark()).to.deep.equal(before);
    });

    it("exits 4 on a wrong --chain-id before anything is sent", async () => {
      const before = await chainMark();
      const run = await trace("exporter", ["--chain-id", "1", "register", item(10)]);
      expect(fails(run, EXIT.NETWORK)).to.include(`serves chain ${dep.chainId}, but chain 1 is configured`);
      expect(await chainMark()).to.deep.equal(before);
      expect((await ledger.unitState(keyOf(item(10)))).seq).to.equal(0n);
    });

    it("exits 2 without a key, or with a malformed key file, and never prints the key", async () => {
      const before = await chainMark();
      const keyFile = join(work, "bad.key");
      const badKey = "0x" + dep.members.exporter.privateKey.slice(2, 65) + "zz";
      writeFileSync(keyFile, badKey + "\n");
      const [noKey, malformed, malformedJson] = await Promise.all([
        trace(undefined, ["register", item(11)]),
        trace(undefined, ["register", item(11), "--key-file", keyFile]),
        trace(undefined, ["--json", "register", item(11), "--key-file", keyFile]),
      ]);
      expect(fails(noKey, EXIT.INVALID_INPUT)).to.match(/No signing key/);
      const stderr = fails(malformed, EXIT.INVALID_INPUT);
      expect(stderr).to.match(/not 32 bytes of hex \(its value is not shown\)/);
      for (const run of [noKey, malformed]) {
        expect(run.stderr + run.stdout).not.to.include(badKey.slice(2, 40));
        expect(run.stderr + run.stdout).not.to.match(/[0-9a-f]{60}/i);
      }
      expect(malformedJson.code).to.equal(EXIT.INVALID_INPUT);
      const error = JSON.parse(malformedJson.stderr) as { error: { name: string; message: string } };
      expect(error.error.name).to.equal("CliInputError");
      expect(malformedJson.stderr).not.to.include(badKey.slice(2, 40));
      expect(await chainMark()).to.deep.equal(before);

      // The same command with a good key file goes through.
      const goodFile = join(work, "exporter.key");
      writeFileSync(goodFile, dep.members.exporter.privateKey.slice(2) + "\n");
      expect(
        ok<WriteSummary>(await trace(undefined, ["--json", "register", item(11), "--key-file", goodFile])).written,
      ).to.equal(1);
    });

    it("exits 4 when the RPC endpoint cannot be reached", async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const [read, write] = await Promise.all([
        trace(undefined, ["--rpc", closed, "state", loose]),
        trace("exporter", ["--rpc", closed, "register", item(12)]),
      ]);
      expect(fails(read, EXIT.NETWORK)).to.match(/Cannot reach the JSON-RPC endpoint/);
      expect(fails(write, EXIT.NETWORK)).to.match(/Cannot reach the JSON-RPC endpoint/);
    });

    it("relays a batch the lab signed offline; replaying the file is refused (nonce) and adds nothing", async () => {
      ok(await trace("exporter", ["assign", loose, "--org", String(dep.members.lab.orgId)]));
      const file = join(work, "signed.json");
      const signed = ok<{ file: string; signer: string; nonce: string; events: number }>(
        await trace("lab", ["--json", "sign", loose, "--step", "sampling", "--out", file, "--deadline", "+2h"]),
      );
      expect(signed.signer.toLowerCase()).to.equal(dep.members.lab.address.toLowerCase());
      expect(signed.events).to.equal(1);
      const seqBefore = (await ledger.unitState(keyOf(loose))).seq;

      const relayed = ok<{ relayed: number; transactions: string[] }>(
        await trace("platform", ["--json", "relay", file]),
      );
      expect(relayed.relayed).to.equal(1);
      expect(relayed.transactions).to.have.length(1);
      const tx = await setup!.provider.getTransaction(relayed.transactions[0]);
      expect(tx!.from.toLowerCase()).to.equal(dep.members.platform.address.toLowerCase());

      const history = ok<HistoryOutput>(await trace(undefined, ["--json", "history", loose]));
      const last = history.entries[history.entries.length - 1];
      expect(last.step).to.equal("SAMPLING");
      expect(last.account.toLowerCase()).to.equal(dep.members.lab.address.toLowerCase());
      expect(last.org).to.equal(dep.members.lab.orgId);
      expect(last.seq).to.equal(Number(seqBefore) + 1);

      const before = await chainMark();
      const replay = await trace("platform", ["relay", file]);
      expect(fails(replay, EXIT.REFUSED)).to.match(/nonce/i);
      expect(await chainMark()).to.deep.equal(before);
      expect((await ledger.unitState(keyOf(loose))).seq).to.equal(seqBefore + 1n);
    });

    it("relays several files: a refused batch is listed with its file and reason (exit 5); all refused exits 3", async () => {
      // The lab used its nonce 0 in the test above: a file signed with it again is stale.
      const good = join(work, "good.json");
      const stale = join(work, "stale.json");
      ok(await trace("exporter", ["--json", "sign", loose, "--step", "storing", "--out", good, "--deadline", "+2h"]));
      ok(
        await trace("lab", [
          "--json",
          "sign",
          loose,
          "--step",
          "sampling",
          "--out",
          stale,
          "--nonce",
          "0",
          "--deadline",
          "+2h",
        ]),
      );
      const seqBefore = (await ledger.unitState(keyOf(loose))).seq;
      const partial = await trace("platform", ["--json", "relay", stale, good]);
      expect(partial.code, partial.stderr).to.equal(EXIT.PARTIAL);
      const out = JSON.parse(partial.stdout) as {
        relayed: number;
        transactions: string[];
        failed: Array<{ file: string; signer: string; nonce: string; error: string; reason: string }>;
      };
      expect(out.relayed).to.equal(1);
      expect(out.transactions).to.have.length(1);
      expect(out.failed).to.have.length(1);
      expect(out.failed[0]).to.deep.include({ file: stale, nonce: "0", error: "BatchItemRejectedError" });
      expect(out.failed[0].signer.toLowerCase()).to.equal(dep.members.lab.address.toLowerCase());
      expect(out.failed[0].reason).to.match(/current nonce 1/);
      expect((await ledger.unitState(keyOf(loose))).seq).to.equal(seqBefore + 1n);

      const human = await trace("platform", ["relay", good, stale]);
      expect(fails(human, EXIT.REFUSED)).to.match(/nonce/i);
      expect((await ledger.unitState(keyOf(loose))).seq).to.equal(seqBefore + 1n);
    });

    it("regulator shortcuts: a customs hold blocks shipping until it is lifted", async () => {
      ok(await trace("customs", ["hold", loose, "--reason", "document check"]));
      expect(ok<{ held: boolean }>(await trace(undefined, ["--json", "state", loose])).held).to.equal(true);

      const blocked = await trace("exporter", ["record", loose, "--step", "shipping"]);
      expect(fails(blocked, EXIT.REFUSED)).to.match(/is held, so SHIPPING is refused/);

      const notRegulator = await trace("exporter", ["lift-hold", loose]);
      expect(fails(notRegulator, EXIT.REFUSED)).to.include("may not record HOLD_LIFTED");

      ok(await trace("customs", ["lift-hold", loose]));
      const shipped = ok<WriteSummary>(await trace("exporter", ["--json", "record", loose, "--step", "shipping"]));
      expect(shipped.written).to.equal(1);
      const state = await reader.unitState(keyOf(loose));
      expect(state.held).to.equal(false);
      const history = await reader.history(keyOf(loose));
      expect(history.intact).to.equal(true);
      expect(history.entries.slice(-3).map((e) => e.stepName)).to.deep.equal(["HOLD", "HOLD_LIFTED", "SHIPPING"]);
    });
  });

  describe("idempotent writes", () => {
    it("running the same register twice skips what the chain holds and sends nothing", async () => {
      const codes = [item(20), itemUri(21)];
      const first = ok<WriteSummary>(await trace("exporter", ["--json", "register", ...codes]));
      expect(first.written).to.equal(2);
      const before = await chainMark();
      const again = ok<WriteSummary>(await trace("exporter", ["--json", "register", ...codes]));
      expect(again).to.deep.include({ written: 0, skipped: 2, transactions: [] });
      const human = await trace("exporter", ["register", ...codes]);
      ok(human);
      expect(human.stdout).to.match(/0 written, 2 already on chain \(skipped\)/);
      expect(await chainMark()).to.deep.equal(before);
      for (const code of codes) expect((await ledger.unitState(keyOf(code))).seq).to.equal(1n);
    });
  });
});
