/**
 * The explorer's customs pages (issue 14) over HTTP: the regulator's tables with filters and CSV downloads,
 * a unit's documents, the line saying this is the index's reading of public data, and escaping — the rows
 * are written through the index's own writer with a unit path an attacker chose (the ledger checks a code's
 * prefix, not its whole text, and the index is the platform's say-so), so a value that is markup renders as text.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { keccak256, toHex, type Hex } from "viem";
import { CUSTOMS_DOCUMENT_KINDS as K } from "../../src/codes";
import { documentNumberHash } from "../../src/customs";
import { createExplorerHandler } from "../../src/explorer/handler";
import type { IndexDb } from "../../src/indexer/db";
import { writeBatch } from "../../src/indexer/write";
import type { CustomsDocumentRow } from "../../src/indexer/customs";
import { indexBackends } from "../helpers/indexDb";
import { get, links, text } from "./setup";

const h = (s: string) => keccak256(toHex(s));
const UNIT = h("unit");
const HOSTILE_PATH = '/401/<script>alert("x")</script>,"q"';

function docRow(kind: keyof typeof K, n: number, terms: [Hex, Hex], number: string): CustomsDocumentRow {
  return {
    docId: h(`doc${n}`),
    unit: UNIT,
    kind: K[kind as "ORDER"],
    org: n,
    numberHash: documentNumberHash(number),
    orderRef: h("order"),
    terms,
    mode: 0,
    recordHash: h(`record${n}`),
    cites: [],
    block: 1n,
    logIndex: n,
    txHash: h("tx"),
  };
}

describe("explorer: customs pages", function () {
  this.timeout(60_000);
  const backend = indexBackends()[0];
  let db: IndexDb;
  let server: Server;
  let base: string;

  before(async () => {
    db = await backend.open();
    await db.transaction((tx) =>
      writeBatch(tx, {
        blocks: [{ number: 1n, hash: h("b1"), parentHash: h("b0"), timestamp: 1_767_225_600n }],
        transactions: [],
        logs: [],
        entries: [],
        units: [{ key: UNIT, path: HOSTILE_PATH, registrant: 1, block: 1n, logIndex: 0 }],
        consortium: [],
        customs: {
          documents: [
            docRow("ORDER", 1, [h("pay-a"), h("ship")], "SO-1"),
            docRow("PAYMENT", 2, [h("pay-b"), `0x${"0".repeat(64)}`], "PAY-1"),
          ],
          refundsToRepay: [],
        },
      }),
    );
    const handler = createExplorerHandler({
      db,
      rpcUrl: "/rpc",
      scriptPath: "/nonexistent/client.js",
      ledger: { address: `0x${"1".repeat(40)}`, chainId: 31337, deploymentBlock: 0 },
      bundle: async () => undefined,
    });
    server = createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await backend.close();
  });

  it("renders the problem with its unit linked, says it is the index's reading, and escapes the hostile path", async () => {
    const page = await get(base, "/explorer/customs");
    expect(page.status).to.equal(200);
    expect(page.body).not.to.include("<script>alert");
    expect(page.body).to.include("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    const t = text(page.body);
    expect(t).to.include("the index's reading of public on-chain data");
    expect(t).to.include("payment disagrees with order (payment terms differ)");
    expect(t).to.include(HOSTILE_PATH);
    expect(links(page.body)).to.include.members([`/explorer/customs/${UNIT}`, "/explorer/customs/problems.csv"]);
  });

  it("the CSV download quotes the hostile path (RFC 4180) under the same header as the CLI's", async () => {
    const res = await fetch(`${base}/explorer/customs/problems.csv`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("text/csv; charset=utf-8");
    const [header, ...rows] = (await res.text()).split("\r\n");
    expect(header).to.equal("unit,path,problem,detail,mode,documents,since,field_check");
    // No waybill filed either: the unit is also incomplete (listed first, by problem name).
    expect(rows.map((r) => r.split(",").at(-6))).to.deep.equal(["incomplete", "payment-disagrees", undefined]);
    expect(rows[1]).to.include(`${UNIT},"/401/<script>alert(""x"")</script>,""q""",payment-disagrees,`);
  });

  it("a unit's page lists its documents; search finds a number, misses another; bad filters are 400, unknown units 404", async () => {
    const unit = text((await get(base, `/explorer/customs/${UNIT}`)).body);
    expect(unit).to.include("ORDER").and.include("PAYMENT").and.include(h("doc2"));
    expect(text((await get(base, "/explorer/customs?number=%20pay-1%20")).body)).to.include(h("doc2"));
    expect(text((await get(base, "/explorer/customs?number=PAY-1&kind=order")).body)).to.include(
      "No document numbered PAY-1 is on chain.",
    );
    const badMode = await get(base, "/explorer/customs?mode=12");
    expect([badMode.status, text(badMode.body)]).to.satisfy(
      ([s, b]: [number, string]) => s === 400 && b.includes("is not 9610, 9710, 9810 or 1210"),
    );
    const badStatus = await get(base, "/explorer/customs?status=%3Cb%3E");
    expect(badStatus.status).to.equal(400);
    expect(badStatus.body).not.to.include("<b>");
    expect((await get(base, `/explorer/customs/${h("nothing")}`)).status).to.equal(404);
    expect((await get(base, "/explorer/customs/nope.csv")).status).to.equal(404);
  });
});
