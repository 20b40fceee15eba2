/**
 * The two standard interfaces end to end, as members' own systems and a buyer's phone use them: an export
 * journey captured as EPCIS 2.0 documents by two members (the exporter's warehouse system and customs), each
 * with its own capture token; queried back through the EPCIS query interface, every event checked against
 * the chain by its anchor; the item's QR link resolved by the GS1 resolver to the verification page, which
 * says "authentic" in Chromium.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { Wallet } from "ethers";
import type { Address, Hex } from "viem";
import { parseGs1 } from "../../src/gs1";
import { RecordStore, recordObjectEvent } from "../../src/records";
import { CUSTOMS_DOCUMENT_KINDS } from "../../src/codes";
import { documentId, documentNumberHash } from "../../src/customs/identifiers";
import type { CustomsDocumentInput } from "../../src/write/types";
import {
  aggregationEvent,
  cartonUri,
  epcisDocument,
  itemUri,
  objectEvent,
  startCaptureWorld,
  captureAndWait,
  type CaptureWorld,
} from "../capture/setup";
import { followerOf } from "../indexer/setup";
import { issueCaptureToken } from "../../src/capture/credentials";
import { OrganizationAccounts } from "../../src/admin/ownAccounts";
import { TraceWriter } from "../../src/write/writer";
import { stepUri } from "../../src/epcis";
import { checkAnchor } from "../../src/epcis/rest/query/checkAnchor";
import { createTraceServer, type TraceServer } from "../../src/server/server";
import { verifyUnit } from "../../src/verify/verify";
import { storeFetcher } from "../../src/server/records";
import { buildPage } from "../../scripts/build-page";
import { CHROMIUM, launchChromium } from "../../scripts/lib/chromium";
import { chromiumInstalled } from "../helpers/browser";

const SHOTS = join(__dirname, "..", "..", "test-results", "page");

describe("server: an export journey through the EPCIS interfaces and the resolver", function () {
  this.timeout(240_000);
  let world: CaptureWorld;
  let server: TraceServer;
  let base = "";
  const tokens = { exporter: "", customs: "" };
  const [item, sibling, carton] = [itemUri("E2E-1"), itemUri("E2E-2"), cartonUri(9001)];

  before(async () => {
    world = await startCaptureWorld();
    // Customs' own system captures with a key of its own, added by customs' admin account.
    const customsKey = world.dep.spare[2];
    const customsAdmin = await TraceWriter.create({
      ledger: world.dep.ledger,
      signer: new Wallet(world.dep.members.customs.privateKey, world.provider),
      pollIntervalMs: 20,
    });
    await OrganizationAccounts.fromWriter(customsAdmin).addAccount(customsKey.address as Address);
    const issue = async (privateKey: string, label: string) =>
      (await issueCaptureToken({ db: world.db, client: world.client, ledger: world.ledger, privateKey, label })).token;
    tokens.exporter = await issue(world.keys.exporter.privateKey, "exporter WMS");
    tokens.customs = await issue(customsKey.privateKey, "customs single window");
    server = createTraceServer({
      pageDir: await buildPage(mkdtempSync(join(tmpdir(), "cbec-e2e-page-"))),
      recordsDir: world.records,
      manifest: world.dep.manifest,
      nodeUrl: world.anvil.url,
      index: world.db,
      capture: { devKeys: [world.keys.exporter.privateKey, customsKey.privateKey], pollIntervalMs: 20 },
      epcisQuery: { subscriptions: false },
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    await world?.stop();
  });

  const capture = (doc: unknown, token: string) => captureAndWait(base, doc, token);
  const cartonKey = parseGs1(carton).key as Hex;
  /**
   * Files `unit`'s 1210 declaration: customs' zone entry, then the exporter's declaration citing it; returns
   * the event IDs of their records (the query interface serves them like the captured events).
   */
  async function declare1210(unit: Hex): Promise<string[]> {
    const eventIDs: string[] = [];
    const store = new RecordStore(world.records);
    const ref = { key: unit, uri: carton, path: parseGs1(carton).canonicalPath };
    const as = (m: "customs" | "exporter") =>
      TraceWriter.create({
        ledger: world.dep.ledger,
        signer: new Wallet(world.dep.members[m].privateKey, world.provider),
        pollIntervalMs: 20,
      });
    const file = async (
      m: "customs" | "exporter",
      step: "ENTERING_EXITING" | "CUSTOMS_DECLARED",
      time: string,
      d: Pick<CustomsDocumentInput, "kind" | "numberHash"> & Partial<CustomsDocumentInput>,
    ) => {
      const { input, record } = recordObjectEvent(store, ref, { step, eventTime: time });
      eventIDs.push(String(record.eventID));
      const writer = await as(m);
      const zero = `0x${"00".repeat(32)}` as Hex;
      await writer.fileDocuments([
        {
          orderRef: zero,
          terms: [zero, zero],
          mode: 0,
          cites: [],
          unit: input.unit,
          eventTime: input.eventTime,
          location: input.location,
          recordHash: input.recordHash,
          ...d,
        },
      ]);
      return writer.organization();
    };
    const zone = documentNumberHash("Z-E2E-1");
    const customsOrg = await file("customs", "ENTERING_EXITING", "2026-11-21T09:00:00+08:00", {
      kind: CUSTOMS_DOCUMENT_KINDS.ZONE_ENTRY,
      numberHash: zone,
    });
    await file("exporter", "CUSTOMS_DECLARED", "2026-11-21T10:00:00+08:00", {
      kind: CUSTOMS_DOCUMENT_KINDS.DECLARATION,
      numberHash: documentNumberHash("D-E2E-1"),
      mode: 1210,
      cites: [documentId(CUSTOMS_DOCUMENT_KINDS.ZONE_ENTRY, customsOrg, zone)],
    });
    return eventIDs;
  }
  const catchUp = () => followerOf(world.client, world.ledger, world.db).catchUp(new AbortController().signal);

  it("two members capture the journey, the query interface serves it anchored, the resolver and the page say authentic", async () => {
    const exporterDoc = epcisDocument([
      objectEvent([item, sibling], {
        action: "ADD",
        bizStep: "commissioning",
        disposition: "active",
        eventTime: "2026-11-20T08:00:00+08:00",
      }),
      objectEvent([carton], { action: "ADD", bizStep: "commissioning", eventTime: "2026-11-20T08:05:00+08:00" }),
      aggregationEvent(carton, [item, sibling], "ADD", "2026-11-20T09:00:00+08:00"),
    ]);
    const customsDoc = epcisDocument([
      objectEvent([carton], { bizStep: stepUri("CUSTOMS_RELEASED"), eventTime: "2026-11-21T16:00:00+08:00" }),
    ]);
    const captured: string[] = [];
    for (const [doc, token] of [
      [exporterDoc, tokens.exporter],
      [customsDoc, tokens.customs],
    ] as const) {
      const job = await capture(doc, token);
      expect([job.success, job.errors], JSON.stringify(job.errors)).to.deep.equal([true, []]);
      expect(job["cbectrace:events"].every((e) => e.status === "written")).to.equal(true);
      captured.push(...job["cbectrace:events"].map((e) => e.eventID));
      // The declaration is a customs document since 2.2, filed by its issuer rather than captured as an
      // event: customs' zone entry and the exporter's 1210 declaration, their records in the record store.
      if (doc === exporterDoc) captured.push(...(await declare1210(cartonKey)));
    }

    // Queried back: every captured event, once, each anchored on the ledger the client trusts.
    await catchUp();
    const anyEpc = [item, sibling, carton].map(encodeURIComponent).join("|");
    const res = await fetch(`${base}/events?MATCH_anyEPC=${anyEpc}&perPage=100`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { epcisBody: { queryResults: { resultsBody: { eventList: object[] } } } };
    const served = body.epcisBody.queryResults.resultsBody.eventList as Array<Record<string, unknown>>;
    expect(served.map((e) => e.eventID).sort()).to.deep.equal([...captured].sort());
    for (const event of served) {
      expect(await checkAnchor(world.client, event, { ledger: world.dep.ledger }), String(event.eventID)).to.include({
        ok: true,
      });
    }

    // The buyer's verifier reading the chain itself: authentic, the customs release included.
    const verdict = await verifyUnit(item, {
      client: world.client,
      ledger: world.ledger as never,
      fetchRecord: storeFetcher(world.records),
    });
    expect([verdict.verdict, verdict.reasons.map((r) => r.code)]).to.deep.equal(["authentic", []]);

    // The QR link resolves the standard way: a 307 to the verification page, the linkset names the query.
    const qr = new URL(item).pathname;
    const redirect = await fetch(base + qr, { redirect: "manual" });
    expect([redirect.status, redirect.headers.get("location")]).to.deep.equal([307, `/verify${qr}`]);
    const linkset = (await (await fetch(`${base}${qr}?linkType=linkset`)).json()) as {
      linkset: Array<Record<string, Array<{ href: string }>>>;
    };
    const traceability = linkset.linkset[0]["https://gs1.org/voc/traceability"][0].href;
    expect(traceability).to.equal(`/events?MATCH_anyEPC=${encodeURIComponent(item)}`);

    if (!chromiumInstalled()) return console.warn(`    (page check skipped: ${CHROMIUM} not installed)`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(base + qr);
      await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
      expect(page.url()).to.equal(`${base}/verify${qr}`);
      expect(await page.getAttribute("[data-verdict]", "data-verdict")).to.equal("authentic");
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "epcis-captured-authentic.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
