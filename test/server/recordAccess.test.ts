/**
 * Who reads which record (issue 14): the platform serves public forms to anyone and the finance documents
 * (order, payment, FX settlement, tax refund) only to a signed request of an entitled member — decided from
 * the chain (the index's entries, the ledger's accounts and roles), never from the record or the request.
 * Legitimate reads (regulator, issuer, exporter) next to the attacks: no signature, another organization, a
 * signature replayed for another record or platform, a stale one, an uploader anchoring the payment's hash
 * under a public step, a private form uploaded; and a server without an index, where only regulators read.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import type { Hex } from "viem";
import type { Platform } from "../helpers/platform";
import { shipmentsPlatform } from "../helpers/shipmentsPlatform";
import { nodeProvider } from "../helpers/localNode";
import type { DemoMember } from "../../src/demo/journey";
import type { SeededShipments } from "../../src/demo/shipments/seed";
import { CLEAN_9610 } from "../../src/demo/shipments/documents";
import { TraceWriter } from "../../src/write/writer";
import type { RunningIndexer } from "../../src/indexer/start";
import { RECORD_READ_HEADERS, recordReadMessage } from "../../src/records/access";
import { readRecordSigned, RecordAccessError } from "../../src/records/signedRead";
import { recordObjectEvent, recordRegistration } from "../../src/records";
import { RecordStore } from "../../src/records/store";
import { recordHash } from "../../src/epcis";
import { parseGs1, toDigitalLink } from "../../src/gs1";

describe("server: who reads which record", function () {
  this.timeout(180_000);
  let platform: Platform;
  let indexer: RunningIndexer;
  let base = "";
  let bare = "";
  let seeded: SeededShipments;
  let key: (m: DemoMember | "rival") => string;
  const hashOf = (kind: string) => seeded.documents.clean9610.find((d) => d.kind === kind)!.recordHash;

  before(async () => {
    const shared = await shipmentsPlatform();
    ({ platform, indexer, seeded, base, bare } = shared);
    key = shared.key;
    // The uploader's attack: the rival exporter anchors (a)'s payment hash under a public step of its own unit.
    const provider = await nodeProvider(platform.node.rpcUrl);
    const rival = await TraceWriter.create({
      ledger: platform.deployment.ledger,
      signer: new Wallet(key("rival"), provider),
    });
    const own = parseGs1("(01)09521235000005(21)RIVAL1");
    const unit = { key: own.key as Hex, uri: toDigitalLink(own, { attributes: false }), path: own.canonicalPath };
    const local = new RecordStore(mkdtempSync(join(tmpdir(), "cbec-rival-")));
    await rival.register([recordRegistration(local, unit, { eventTime: "2026-03-01T08:00:00+08:00" }).input]);
    const inspecting = recordObjectEvent(local, unit, { step: "INSPECTING", eventTime: "2026-03-02T08:00:00+08:00" });
    await rival.record([{ ...inspecting.input, recordHash: hashOf("PAYMENT") }]);
    // The index follows the chain: wait until it has the rival's entry.
    for (let i = 0; i < 100; i++) {
      const rows = await indexer.db.query("SELECT 1 FROM entries WHERE data = $1", [hashOf("PAYMENT")]);
      if (rows.length === 2) break;
      await new Promise((done) => setTimeout(done, 100));
    }
  });

  /** A GET signed by `who` (default: for this hash, this platform, now). */
  const signedGet = async (
    at: string,
    hash: Hex,
    who: DemoMember | "rival",
    over: { forHash?: Hex; host?: string; signedAt?: number } = {},
  ) => {
    const wallet = new Wallet(key(who));
    const signedAt = over.signedAt ?? Math.floor(Date.now() / 1000);
    const host = over.host ?? new URL(at).host;
    const signature = await wallet.signMessage(recordReadMessage({ hash: over.forHash ?? hash, host, signedAt }));
    return fetch(`${at}/records/${hash}.json`, {
      headers: {
        [RECORD_READ_HEADERS.account]: wallet.address,
        [RECORD_READ_HEADERS.signedAt]: String(signedAt),
        [RECORD_READ_HEADERS.signature]: signature,
      },
    });
  };
  const stored = (hash: Hex) => JSON.parse(readFileSync(join(platform.records, `${hash}.json`), "utf8")) as object;
  const error = async (res: Response) => ((await res.json()) as { error: string }).error;

  it("a public record (the waybill's public form) is served to anyone, unsigned", async () => {
    const res = await fetch(`${base}/records/${hashOf("WAYBILL")}.json`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal(stored(hashOf("WAYBILL")));
  });

  it("ATTACK: a buyer (no signature) asking for the payment record gets 401 saying how to sign", async () => {
    const res = await fetch(`${base}/records/${hashOf("PAYMENT")}.json`);
    expect(res.status).to.equal(401);
    const body = (await res.json()) as { error: string; howToSign: { cli: string; headers: object } };
    expect(body.error).to.match(/finance document/);
    expect(body.howToSign.cli).to.include("trace customs check --unit");
    expect(body.howToSign.headers).to.deep.equal(RECORD_READ_HEADERS);
    expect(JSON.stringify(body)).to.not.include("139.00");
  });

  it("every finance kind is withheld: order, payment, FX settlement, tax refund", async () => {
    for (const kind of ["ORDER", "PAYMENT", "FX_SETTLEMENT", "TAX_REFUND"]) {
      expect((await fetch(`${base}/records/${hashOf(kind)}.json`)).status, kind).to.equal(401);
    }
  });

  it("the regulators, the issuer and the exporter read it (200, never cached by a shared cache)", async () => {
    for (const [who, as] of [
      ["customs", "regulator"],
      ["tax", "regulator"],
      ["payment", "issuer"],
      ["exporter", "exporter"],
    ] as const) {
      const res = await signedGet(base, hashOf("PAYMENT"), who);
      expect(res.status, who).to.equal(200);
      expect(res.headers.get("x-trace-read-as")).to.equal(as);
      expect(res.headers.get("cache-control")).to.equal("private, no-store");
      expect(await res.json()).to.deep.equal(stored(hashOf("PAYMENT")));
    }
  });

  it("ATTACK: a member of another organization (the rival exporter, the lab) gets 403 naming the reason", async () => {
    for (const who of ["rival", "lab", "carrier"] as const) {
      const res = await signedGet(base, hashOf("PAYMENT"), who);
      expect(res.status, who).to.equal(403);
      expect(await error(res)).to.match(/is not entitled to this record/);
    }
  });

  it("ATTACK: the rival anchored the payment's hash under a public step of its own unit: still withheld, no right", async () => {
    // The rival's entry holds the hash too (the index has both): the record stays withheld, and the rival is
    // not its issuer (the first entry's organization is the payment institution).
    const rows = await indexer.db.query<{ step: number }>("SELECT step FROM entries WHERE data = $1", [
      hashOf("PAYMENT"),
    ]);
    expect(rows.length).to.equal(2);
    expect((await fetch(`${base}/records/${hashOf("PAYMENT")}.json`)).status).to.equal(401);
    expect((await signedGet(base, hashOf("PAYMENT"), "rival")).status).to.equal(403);
  });

  it("ATTACK: a regulator's signature replayed for another record, or for another platform, is refused", async () => {
    const replayed = await signedGet(base, hashOf("PAYMENT"), "customs", { forHash: hashOf("ORDER") });
    expect(replayed.status).to.equal(403);
    expect(await error(replayed)).to.match(/another record, platform or time/);
    const elsewhere = await signedGet(base, hashOf("PAYMENT"), "customs", { host: "other-platform.example" });
    expect(elsewhere.status).to.equal(403);
  });

  it("ATTACK: a signature older than 5 minutes (or from the future) is refused with 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const signedAt of [now - 301, now + 400]) {
      const res = await signedGet(base, hashOf("PAYMENT"), "customs", { signedAt });
      expect(res.status).to.equal(401);
      expect(await error(res)).to.match(/good for 5 minutes/);
    }
    expect((await signedGet(base, hashOf("PAYMENT"), "customs", { signedAt: now - 200 })).status).to.equal(200);
  });

  it("ATTACK: a malformed signature header is a 401 naming the headers", async () => {
    const res = await fetch(`${base}/records/${hashOf("PAYMENT")}.json`, {
      headers: { [RECORD_READ_HEADERS.signature]: "0x1234" },
    });
    expect(res.status).to.equal(401);
    expect(await error(res)).to.include(RECORD_READ_HEADERS.account);
  });

  it("the SDK's signed read: the exporter gets the record; the rival a RecordAccessError with the 403 reason", async () => {
    expect(await readRecordSigned(base, hashOf("PAYMENT"), new Wallet(key("exporter")))).to.deep.equal(
      stored(hashOf("PAYMENT")),
    );
    const refused = await readRecordSigned(base, hashOf("PAYMENT"), new Wallet(key("rival"))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).to.be.instanceOf(RecordAccessError);
    expect((refused as RecordAccessError).status).to.equal(403);
    expect((refused as RecordAccessError).shortMessage).to.match(/not entitled/);
  });

  it("without an index the customs payment record is still withheld: regulators read it, the exporter cannot", async () => {
    expect((await fetch(`${bare}/records/${hashOf("PAYMENT")}.json`)).status).to.equal(401);
    expect((await signedGet(bare, hashOf("PAYMENT"), "customs")).status).to.equal(200);
    const exporter = await signedGet(bare, hashOf("PAYMENT"), "exporter");
    expect(exporter.status).to.equal(403);
    expect(await error(exporter)).to.match(/no index/);
  });

  it("ATTACK: the private form (names, salt) is never stored: not under the anchored hash, not under its own", async () => {
    const put = (hash: string, body: object) =>
      fetch(`${base}/records/${hash}.json`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const privateForm = JSON.parse(JSON.stringify(CLEAN_9610.payment)) as object;
    const under = await put(hashOf("PAYMENT"), privateForm);
    expect(under.status).to.equal(422);
    const own = await put(recordHash(privateForm), privateForm);
    expect(own.status).to.equal(409);
    expect((await fetch(`${base}/records/${recordHash(privateForm)}.json`)).status).to.equal(404);
  });
});
