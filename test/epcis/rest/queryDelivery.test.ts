/**
 * Subscription deliveries on their own (PGlite, no chain): a dead webhook is retried after 100, 200, 400 ms …
 * capped, never before its time, with the cursor kept; once it answers, the pending events are delivered
 * in one signed document and the cursor moves; and the query parameter parser's keys (EPC URN ↔ Digital
 * Link) and page tokens.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { indexBackends } from "../../helpers/indexDb";
import type { IndexDb } from "../../../src/indexer/db";
import { RecordStore } from "../../../src/records/store";
import { recordHash, withEventId } from "../../../src/epcis/hash";
import { putOffChainEvent } from "../../../src/epcis/rest/offchain";
import { ensureEventRepository, epcKey, epcMatch, syncEvents } from "../../../src/epcis/repository";
import { createSubscription, getSubscription } from "../../../src/epcis/rest/subscriptions/store";
import { gs1Signature, runSubscription } from "../../../src/epcis/rest/subscriptions/deliver";
import { pageTokens } from "../../../src/epcis/rest/query/pageToken";
import { EpcisRestError } from "../../../src/epcis/rest/problem";
import { gs1CheckDigit } from "../../../src/gs1/checkDigit";

describe("epcis rest: subscription delivery, EPC keys and page tokens", function () {
  this.timeout(60_000);
  const backend = indexBackends()[0];
  let db: IndexDb;
  let store: RecordStore;
  let receiver: Server;
  let port = 0;
  const bodies: string[] = [];
  const signatures: string[] = [];

  before(async () => {
    db = await backend.open();
    await ensureEventRepository(db);
    store = new RecordStore(mkdtempSync(join(tmpdir(), "cbec-delivery-")));
    for (let i = 0; i < 3; i++) {
      const event = withEventId({
        type: "ObjectEvent",
        eventTime: `2026-05-0${i + 1}T08:00:00.000Z`,
        eventTimeZoneOffset: "+00:00",
        action: "OBSERVE",
        epcList: [`urn:epc:id:sgtin:4012345.012345.D${i}`],
      });
      const hash = recordHash(event);
      store.put(hash, event as never);
      await putOffChainEvent(db, { recordHash: hash, recordTime: 1_000 + i, org: 1, account: "0x1", captureId: "c" });
    }
    await syncEvents(db, store, { chainId: 31337, address: "0x0000000000000000000000000000000000000001" });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req
        .on("data", (c) => chunks.push(c))
        .on("end", () => {
          bodies.push(Buffer.concat(chunks).toString());
          signatures.push(String(req.headers["gs1-signature"]));
          res.writeHead(204).end();
        });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    port = (receiver.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((r) => receiver.close(r));
    await backend.close();
  });

  it("retries a dead webhook with doubling, capped delays, never early, then delivers everything pending once", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r)); // nothing listens there now
    const sub = await createSubscription(db, {
      queryName: "q",
      dest: `http://127.0.0.1:${deadPort}/hook`,
      signatureToken: "tok",
      reportIfEmpty: false,
      stream: true,
      schedule: null,
      initialRecordTime: null,
      createdAt: 0,
      checkedAt: 0,
      cursor: 0,
      owner: null,
    });
    const options = { retryBaseMs: 100, retryMaxMs: 300 };
    let now = 10_000;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const current = (await getSubscription(db, "q", sub.id))!;
      if (i > 0) {
        // One millisecond before its time, nothing is attempted.
        expect(await runSubscription(db, current, {}, current.retryAt - 1, options)).to.equal(0);
        expect((await getSubscription(db, "q", sub.id))!.failures).to.equal(i);
        now = current.retryAt;
      }
      await runSubscription(db, current, {}, now, options);
      const after = (await getSubscription(db, "q", sub.id))!;
      expect(after.failures).to.equal(i + 1);
      expect(after.cursor).to.equal(0);
      delays.push(after.retryAt - now);
    }
    expect(delays).to.deep.equal([100, 200, 300, 300]);
    await db.query("UPDATE epcis_subscriptions SET dest = $1 WHERE id = $2", [`http://127.0.0.1:${port}/hook`, sub.id]);
    const ready = (await getSubscription(db, "q", sub.id))!;
    expect(await runSubscription(db, ready, {}, ready.retryAt, options)).to.equal(3);
    const done = (await getSubscription(db, "q", sub.id))!;
    expect([done.failures, done.lastNotifiedAt]).to.deep.equal([0, ready.retryAt]);
    expect(bodies.length).to.equal(1);
    expect(signatures[0]).to.equal(gs1Signature(bodies[0], "tok"));
    expect(signatures[0]).to.match(/^sha256=[0-9a-f]{64}$/);
    const list = JSON.parse(bodies[0]).epcisBody.queryResults.resultsBody.eventList;
    expect(list.map((e: { epcList: string[] }) => e.epcList[0])).to.deep.equal(
      [0, 1, 2].map((i) => `urn:epc:id:sgtin:4012345.012345.D${i}`),
    );
    // Nothing new: a stream subscription sends nothing.
    expect(await runSubscription(db, done, {}, done.lastNotifiedAt! + 1, options)).to.equal(0);
    expect(bodies.length).to.equal(1);
  });

  it("EPC keys: an SGTIN, SSCC, SGLN and LGTIN URN and their Digital Links share a key; patterns are prefixes", () => {
    expect(epcKey("urn:epc:id:sgtin:6901234.056789.SN0001")).to.equal(
      epcKey("https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0001"),
    );
    expect(epcKey("urn:epc:id:sgtin:6901234.056789.SN%2F1")).to.equal(
      epcKey("https://example.com/01/06901234567892/21/SN%2F1"),
    );
    expect(epcKey("urn:epc:id:sscc:6901234.1000000001")).to.equal(epcKey("https://id.gs1.org/00/169012340000000013"));
    expect(epcKey("urn:epc:id:sgln:6901234.00001.0")).to.equal(
      epcKey(`https://id.gs1.org/414/690123400001${gs1CheckDigit("690123400001")}`),
    );
    expect(epcKey("urn:epc:class:lgtin:6901234.056789.2026A01")).to.equal(
      epcKey("https://id.gs1.org/01/06901234567892/10/2026A01"),
    );
    expect(epcKey("urn:epc:id:sgtin:6901234.056789.SN0001")).to.not.equal(
      epcKey("urn:epc:id:sgtin:6901234.056789.SN0002"),
    );
    expect(epcMatch("urn:epc:idpat:sgtin:6901234.056789.*")).to.deep.equal({ prefix: "01/06901234567892/21/" });
    // Not a key we know: itself (a query naming it finds only the same spelling).
    expect(epcKey("urn:example:thing:1")).to.equal("urn:example:thing:1");
    expect(epcKey("urn:epc:id:sgtin:123.45.X")).to.equal("urn:epc:id:sgtin:123.45.X");
  });

  it("ATTACK: page tokens of another server, another query, expired or edited are refused", () => {
    const a = pageTokens();
    const b = pageTokens();
    const { token } = a.issue("q1", { value: 5, syncId: 9, sent: 3 }, 0);
    expect(a.open(token, "q1", 1)).to.deep.equal({ value: 5, syncId: 9, sent: 3 });
    const refused = (fn: () => unknown, why: string) => {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(EpcisRestError);
      expect((error as EpcisRestError).detail).to.include(why);
    };
    refused(() => b.open(token, "q1", 1), "not a token of this server");
    refused(() => a.open(token, "q2", 1), "other query parameters");
    refused(() => a.open(token, "q1", 2 * 3600_000), "expired");
    refused(
      () =>
        a.open(
          token.replace(/^./, (c) => (c === "A" ? "B" : "A")),
          "q1",
          1,
        ),
      "not a token of this server",
    );
    refused(() => a.open("x".repeat(600), "q1", 1), "not a token of this server");
  });
});
