/**
 * The explorer's pages over HTTP, with the demo journey indexed in PGlite: each page kind shows what the
 * index holds with every value a link, search classifies and redirects, unknown ids are 404 and malformed
 * ones 400 pages, hostile names and codes render as text, lists paginate without duplicates, and a unit
 * page's verdict is never the index's (a lying row cannot point the page at another unit's code).
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { DEMO_CODES, DEMO_ORG_IDS } from "../../src/demo/journey";
import { STEPS } from "../../src/codes";
import { parseGs1 } from "../../src/gs1";
import type { IndexDb } from "../../src/indexer/db";
import { readCursor } from "../../src/indexer/cursor";
import {
  childrenAt,
  organizationActivity,
  organizationById,
  unitByKey,
  unitEntries,
  unitStays,
} from "../../src/indexer/queries";
import { BUNDLE_FORMAT, type ProofBundle } from "../../src/bundle/types";
import { indexBackends } from "../helpers/indexDb";
import { indexRecordDocuments } from "../../src/explorer/documents";
import { recordHash } from "../../src/epcis";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { allPages } from "../indexer/setup";
import {
  HOSTILE,
  get,
  indexWorld,
  links,
  serveExplorer,
  startExplorerChain,
  text,
  type ExplorerServer,
  type ExplorerWorld,
} from "./setup";

const key = (code: string) => parseGs1(code).key.toLowerCase() as Hex;
/** Entries per page: small, so the demo's lists span several pages. */
const PAGE = 4;
const count = async (db: IndexDb, sql: string, params: unknown[] = []) =>
  Number((await db.query<{ n: unknown }>(sql, params))[0].n);

describe("explorer: pages", function () {
  this.timeout(240_000);
  let world: ExplorerWorld;
  let db: IndexDb;
  let http: ExplorerServer;
  const backend = indexBackends()[0];

  before(async function () {
    if (process.env.SOLIDITY_COVERAGE) this.skip();
    world = await startExplorerChain();
    db = await backend.open();
    await indexWorld(world, db);
    await indexRecordDocuments(db, world.records);
    http = await serveExplorer(world, db, { pageSize: PAGE, documents: true });
  });
  after(async () => {
    await http?.close();
    await backend.close();
    await world?.anvil.stop("SIGKILL");
  });
  const page = (path: string, init?: RequestInit) => get(http.base, path, init);

  describe("unit pages", () => {
    it("the authentic item: code, registrant, parent, journey with its parents' entries, every value a link", async () => {
      const k = key(DEMO_CODES.authentic);
      const r = await page(`/explorer/unit/${k}`);
      expect(r.status).to.equal(200);
      const t = text(r.body);
      expect(t).to.include("GTIN 06901234567892 · Lot 2026A01 · Serial SN0001");
      expect(t).to.include("(01)06901234567892(10)2026A01(21)SN0001");
      const unit = (await unitByKey(db, k))!;
      const registrant = (await organizationById(db, unit.registrant))!;
      expect(t).to.include(`Registered by 登记企业 ${registrant.name}`);
      const l = links(r.body);
      expect(l).to.include(`/explorer/org/${unit.registrant}`);
      // The current parent, as the index's stays say.
      const stays = await allPages((after) => unitStays(db, k, { after }));
      const open = stays.filter((s) => !s.unpacked).at(-1);
      if (open) expect(l).to.include(`/explorer/unit/${open.parent}`);
      else expect(t).to.match(/Packed in now 当前包装 —/);
      // Own entries, each with its block, transaction, signer and seq anchor.
      const own = await allPages((after) => unitEntries(db, k, { after }));
      for (const e of own) {
        const row = new RegExp(`<li id="seq-${e.seq}" class="entry"[^]*?</li>`).exec(r.body);
        expect(row, `row of seq ${e.seq}`).to.not.equal(null);
        const rl = links(row![0]);
        expect(rl).to.include.members([
          `/explorer/block/${e.blockNumber}`,
          `/explorer/tx/${e.transactionHash.toLowerCase()}`,
          `/explorer/account/${e.account.toLowerCase()}`,
          `/explorer/org/${e.org}`,
        ]);
      }
      // Parents' entries during the stays: customs released the consignment the item was in.
      const inherited = [
        ...r.body.matchAll(/<li class="entry" data-step="([A-Z_]+)" data-seq="\d+" data-unit="(0x[0-9a-f]+)"/g),
      ];
      const viaConsignment = inherited.filter((m) => m[2] === key(DEMO_CODES.consignment)).map((m) => m[1]);
      expect(viaConsignment).to.include.members(["CUSTOMS_RELEASED", "DEPARTING"]);
      const steps = [...r.body.matchAll(/class="entry" data-step="([A-Z_]+)"/g)].map((m) => m[1]);
      expect(steps.indexOf("COMMISSIONING")).to.be.lessThan(steps.indexOf("CUSTOMS_RELEASED"));
      // The index's data is labelled as the index's, at its cursor.
      const cursor = (await readCursor(db))!;
      expect(t).to.include(`as indexed at block #${cursor.block}`);
    });

    it("the verdict box says checking… and carries the bundle made against the node, not anything from the index", async () => {
      const k = key(DEMO_CODES.authentic);
      const r = await page(`/explorer/unit/${k}`);
      expect(r.body).to.match(/<section id="verdict" class="verdict verdict-pending" data-verdict="pending"/);
      expect(text(r.body)).to.include("Checking… · 正在校验…");
      expect(r.body).to.not.match(/data-verdict="(authentic|warning|fail)"/);
      const json = /<script type="application\/json" id="trace-bundle">([^<]*)<\/script>/.exec(r.body)![1];
      const bundle = JSON.parse(json) as ProofBundle;
      expect(bundle.format).to.equal(BUNDLE_FORMAT);
      expect(bundle.unit.toLowerCase()).to.equal(k);
      expect(bundle.requests.length).to.be.greaterThan(5);
      const config = JSON.parse(/id="trace-config">([^<]*)</.exec(r.body)![1]);
      expect(config).to.deep.include({ code: DEMO_CODES.authentic, key: k, rpcUrl: world.anvil.url });
      expect(config.ledger.address).to.equal(world.ledger.address);
      // Only the explorer's own script runs: the JSON blocks are data, the one executable script is ours.
      const scripts = [...r.body.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
      expect(scripts.filter((s) => !/type="application\/json"/.test(s))).to.deep.equal([
        ` src="${/src="(\/explorer\/client\.js\?v=[0-9a-f]{16})"/.exec(r.body)![1]}" defer`,
      ]);
      const csp = r.headers.get("content-security-policy")!;
      expect(csp).to.include("script-src 'self'").and.include("default-src 'none'");
      expect(csp).to.include(`connect-src 'self' ${new URL(world.anvil.url).origin}`);
      expect(csp).to.not.include("unsafe-inline");
    });

    it("a carton lists what is packed in it now; a Digital Link under /explorer redirects to its unit page", async () => {
      const carton = key(DEMO_CODES.carton);
      const r = await page(`/explorer/unit/${carton}`);
      expect(r.status).to.equal(200);
      expect(text(r.body)).to.include("SSCC 169012340000000013");
      const inside = await allPages((after) => childrenAt(db, carton, undefined, { after }));
      const section = /<section class="card children">[^]*?<\/section>/.exec(r.body)![0];
      expect(links(section).filter((x) => x.startsWith("/explorer/unit/"))).to.have.members(
        inside.map((s) => `/explorer/unit/${s.child}`),
      );
      const dl = await page(`/explorer${new URL(DEMO_CODES.authentic).pathname}`);
      expect(dl.status).to.equal(302);
      expect(dl.headers.get("location")).to.equal(`/explorer/unit/${key(DEMO_CODES.authentic)}`);
      // A valid code the index never saw (the counterfeit): 404 pointing to the verification page.
      const fake = await page(`/explorer${new URL(DEMO_CODES.counterfeit).pathname}`);
      expect(fake.status).to.equal(404);
      expect(text(fake.body)).to.include("verification page");
      expect(fake.body).to.include('name="q"');
    });

    it("ATTACK: an index row giving the unit another unit's code gets no verdict box to fill, and no bundle is made", async () => {
      const k = key(DEMO_CODES.recalled);
      const [row] = await db.query<{ path: string }>("SELECT path FROM units WHERE key = $1", [k]);
      const before = http.bundles.length;
      // The recalled item's row now claims the authentic item's code (whose own row a lying index drops):
      // its page would verify the wrong unit and show the authentic verdict beside the recalled item.
      await db.query("UPDATE units SET path = NULL WHERE key = $1", [key(DEMO_CODES.authentic)]);
      await db.query("UPDATE units SET path = $1 WHERE key = $2", [parseGs1(DEMO_CODES.authentic).canonicalPath, k]);
      try {
        const r = await page(`/explorer/unit/${k}`);
        expect(r.status).to.equal(200);
        expect(r.body).to.include('data-verdict="error"');
        expect(r.body).to.not.include('id="trace-config"');
        expect(r.body).to.not.include("client.js");
        expect(http.bundles.length).to.equal(before);
      } finally {
        await db.query("UPDATE units SET path = NULL WHERE key = $1", [k]);
        await db.query("UPDATE units SET path = $1 WHERE key = $2", [
          parseGs1(DEMO_CODES.authentic).canonicalPath,
          key(DEMO_CODES.authentic),
        ]);
        await db.query("UPDATE units SET path = $1 WHERE key = $2", [row.path, k]);
      }
      // Restored: the honest page is back, with its own code.
      const honest = await page(`/explorer/unit/${k}`);
      expect(JSON.parse(/id="trace-config">([^<]*)</.exec(honest.body)![1]).code).to.equal(DEMO_CODES.recalled);
    });
  });

  describe("organization, transaction and block pages", () => {
    it("an organization: identity, roles, standing, prefixes with authorizations, accounts with who added them", async () => {
      const id = DEMO_ORG_IDS.exporter;
      const org = (await organizationById(db, id))!;
      const r = await page(`/explorer/org/${id}`);
      expect(r.status).to.equal(200);
      const t = text(r.body);
      expect(t).to.include(org.name).and.include(org.creditCode).and.include(`Country 国家 ${org.country}`);
      for (const role of org.roleNames) expect(t).to.include(role.toLowerCase());
      expect(t).to.include("active 正常");
      expect(r.body).to.match(/data-prefix="6901234"><div><span class="mono">6901234<\/span><span class="tag ok">held/);
      expect(t).to.match(/authorized: factory org/);
      expect(links(r.body)).to.include(`/explorer/org/${DEMO_ORG_IDS.factory}`);
      const accounts = await db.query<{ address: string; added_by: string | null }>(
        "SELECT address, added_by FROM accounts WHERE org = $1",
        [id],
      );
      expect(accounts.length).to.be.greaterThan(0);
      for (const a of accounts) {
        expect(r.body).to.include(`id="account-${a.address}"`);
        if (a.added_by) expect(links(r.body)).to.include(`/explorer/account/${a.added_by}`);
      }
    });

    it("an organization's recent entries paginate with older → links: every entry once, newest first", async () => {
      const id = DEMO_ORG_IDS.factory;
      const expected = await allPages((after) => organizationActivity(db, id, { after, limit: 7 }));
      expect(expected.length).to.be.greaterThan(2 * PAGE);
      const seen: string[] = [];
      let path: string | undefined = `/explorer/org/${id}`;
      let pages = 0;
      while (path) {
        const r = await page(path);
        expect(r.status).to.equal(200);
        const activity = /<section class="card activity">[^]*?<\/section>/.exec(r.body)![0];
        seen.push(...[...activity.matchAll(/data-position="(\d+:\d+)"/g)].map((m) => m[1]));
        path = links(activity).find((x) => x.includes("?after="));
        pages++;
      }
      expect(pages).to.equal(Math.ceil(expected.length / PAGE));
      expect(new Set(seen).size).to.equal(seen.length);
      expect(seen).to.deep.equal(expected.map((e) => `${e.blockNumber}:${e.logIndex}`));
    });

    it("a relayed transaction: block, the relayer as from, and 'relayed for' the entry's signer", async () => {
      const r = await page(`/explorer/tx/${world.relayedTx}`);
      expect(r.status).to.equal(200);
      const [tx] = await db.query<{ block: unknown; from: string }>(
        'SELECT block, "from" FROM transactions WHERE hash = $1',
        [world.relayedTx.toLowerCase()],
      );
      const t = text(r.body);
      expect(t)
        .to.include("From (relayer) 中继")
        .and.match(/\(\s*platform org\s*\)/);
      expect(links(r.body)).to.include.members([
        `/explorer/block/${tx.block}`,
        `/explorer/account/${tx.from}`,
        `/explorer/account/${world.dep.members.factory.address.toLowerCase()}`,
        `/explorer/unit/${world.hostile.key}`,
      ]);
      expect(tx.from).to.equal(world.dep.members.platform.address.toLowerCase());
      expect(r.body).to.match(/relayed for <a class="mono" href="\/explorer\/account\/0x[0-9a-f]{40}"/);
      expect(r.body).to.include('data-step="STORING"');
    });

    it("a direct transaction has no relayer; a block shows hash, parent, time, its transactions and entries, and links to its neighbours", async () => {
      const [e] = await db.query<{ tx_hash: Hex; block: unknown }>(
        "SELECT tx_hash, block FROM entries WHERE step = $1 ORDER BY block LIMIT 1",
        [STEPS.CUSTOMS_RELEASED],
      );
      const tx = await page(`/explorer/tx/${e.tx_hash}`);
      expect(tx.status).to.equal(200);
      expect(text(tx.body)).to.include("From (signer) 发送方").and.not.include("relayed for");
      const n = BigInt(String(e.block));
      const b = await page(`/explorer/block/${n}`);
      expect(b.status).to.equal(200);
      const [row] = await db.query<{ hash: string; parent_hash: string }>("SELECT * FROM blocks WHERE number = $1", [
        n.toString(),
      ]);
      expect(b.body).to.include(row.hash).and.include(row.parent_hash);
      expect(links(b.body)).to.include(`/explorer/tx/${e.tx_hash}`);
      expect(b.body).to.include('data-step="CUSTOMS_RELEASED"');
      const prev = /<a rel="prev" class="previous" href="([^"]+)"/.exec(b.body)![1];
      const next = /<a rel="next" class="next" href="([^"]+)"/.exec(b.body)![1];
      const [p, q] = await Promise.all([page(prev), page(next)]);
      expect([p.status, q.status]).to.deep.equal([200, 200]);
      expect(BigInt(prev.split("/").pop()!)).to.be.lessThan(n);
      expect(BigInt(next.split("/").pop()!)).to.be.greaterThan(n);
    });

    it("home: index status and lag, organizations, recent entries paginated without duplicates", async () => {
      const r = await page("/explorer");
      expect(r.status).to.equal(200);
      const cursor = (await readCursor(db))!;
      expect(r.body).to.include(`data-indexed="${cursor.block}"`);
      expect(r.body).to.match(/<dd class="lag">\d+ blocks<\/dd>/);
      expect(links(r.body)).to.include(`/explorer/org/${DEMO_ORG_IDS.market}`);
      const seen: string[] = [];
      let path: string | undefined = "/explorer";
      while (path) {
        const body: string = (await page(path)).body;
        const recent: string = /<section class="card recent">[^]*?<\/section>/.exec(body)![0];
        seen.push(...[...recent.matchAll(/data-position="(\d+:\d+)"/g)].map((m) => m[1]));
        path = links(recent).find((x) => x.includes("?after="));
      }
      expect(new Set(seen).size).to.equal(seen.length);
      expect(seen.length).to.equal(await count(db, "SELECT count(*) AS n FROM entries"));
    });

    it("an account link goes to its organization's page at the account; its entries page lists what it signed", async () => {
      const factory = world.dep.members.factory.address.toLowerCase();
      const r = await page(`/explorer/account/${factory}`);
      expect(r.status).to.equal(302);
      expect(r.headers.get("location")).to.equal(`/explorer/org/${DEMO_ORG_IDS.factory}#account-${factory}`);
      const signed = await page(`/explorer/account/${factory}/entries`);
      expect(signed.status).to.equal(200);
      expect((signed.body.match(/class="entry"/g) ?? []).length).to.equal(
        Math.min(PAGE, await count(db, "SELECT count(*) AS n FROM entries WHERE account = $1", [factory])),
      );
    });
  });

  describe("search", () => {
    const redirects = async (q: string) => {
      const r = await page(`/explorer/search?q=${encodeURIComponent(q)}`);
      expect(r.status, `${q}: ${text(r.body).slice(0, 200)}`).to.equal(302);
      return r.headers.get("location");
    };

    it("one hit redirects to its page: Digital Link, element string, SSCC, consignment, tx hash, block, address, name, credit code", async () => {
      const unit = (c: string) => `/explorer/unit/${key(c)}`;
      expect(await redirects(DEMO_CODES.authentic)).to.equal(unit(DEMO_CODES.authentic));
      expect(await redirects("(01)06901234567892(10)2026A01(21)SN0001")).to.equal(unit(DEMO_CODES.authentic));
      expect(await redirects("169012340000000013")).to.equal(unit(DEMO_CODES.carton));
      expect(await redirects("6901234MAWB784001")).to.equal(unit(DEMO_CODES.consignment));
      expect(await redirects(world.relayedTx)).to.equal(`/explorer/tx/${world.relayedTx.toLowerCase()}`);
      const [{ block }] = await db.query<{ block: unknown }>("SELECT block FROM entries ORDER BY block LIMIT 1");
      expect(await redirects(String(block))).to.equal(`/explorer/block/${block}`);
      const customs = world.dep.members.customs.address;
      expect(await redirects(customs)).to.equal(
        `/explorer/org/${DEMO_ORG_IDS.customs}#account-${customs.toLowerCase()}`,
      );
      expect(await redirects("customs org")).to.equal(`/explorer/org/${DEMO_ORG_IDS.customs}`);
      const org = (await organizationById(db, DEMO_ORG_IDS.broker))!;
      const byCode = await page(`/explorer/search?q=${org.creditCode}`);
      expect([302, 200]).to.include(byCode.status);
      if (byCode.status === 302) expect(byCode.headers.get("location")).to.equal(`/explorer/org/${org.id}`);
      else expect(links(byCode.body)).to.include(`/explorer/org/${org.id}`);
    });

    it("several hits are listed (a GTIN, a GTIN with its lot); none says so with what the text was taken for and a hint", async () => {
      const gtin = await page("/explorer/search?q=06901234567892");
      expect(gtin.status).to.equal(200);
      const expected = await db.query<{ key: string }>("SELECT key FROM units WHERE gtin = '06901234567892'");
      expect(links(gtin.body).filter((x) => x.startsWith("/explorer/unit/"))).to.have.members(
        expected.map((u) => `/explorer/unit/${u.key}`),
      );
      const lot = await page(`/explorer/search?q=${encodeURIComponent("(01)06901234567892(10)2026A01")}`);
      expect(lot.status).to.equal(200);
      expect(links(lot.body).filter((x) => x.startsWith("/explorer/unit/"))).to.have.members([
        `/explorer/unit/${key(DEMO_CODES.authentic)}`,
        `/explorer/unit/${key(DEMO_CODES.authenticSibling)}`,
      ]);
      const none = await page("/explorer/search?q=no+such+company");
      expect(none.status).to.equal(404);
      expect(text(none.body)).to.include("Nothing in the index matches “no such company”").and.include("Hint:");
      expect(none.body).to.include('data-search-as="organizationName,consignment"');
      expect(none.body).to.include('value="no such company"');
    });

    it("a document number from the records (an order, an 18-digit customs number) finds the unit whose entry cites it", async () => {
      expect(await redirects("SO-2026-110501")).to.equal(`/explorer/unit/${key(DEMO_CODES.consignment)}`);
      expect(await redirects("53162026E107000123")).to.equal(`/explorer/unit/${key(DEMO_CODES.consignment)}`);
      expect(await redirects("urn:cbec-trace:bt:order:SO-2026-110501")).to.equal(
        `/explorer/unit/${key(DEMO_CODES.consignment)}`,
      );
    });

    it("ATTACK: a record file that does not hash to its name, or a record no entry on chain cites, finds nothing", async () => {
      const forged = {
        type: "ObjectEvent",
        bizTransactionList: [{ type: "x", bizTransaction: "urn:x:bt:order:FORGED-1" }],
      };
      // Named after a hash it does not have: skipped.
      writeFileSync(join(world.records, `0x${"ab".repeat(32)}.json`), JSON.stringify(forged));
      // Hashes to its name, but no entry on chain has that hash: indexed, yet it reaches no unit.
      const invented = { ...forged, bizTransactionList: [{ type: "x", bizTransaction: "urn:x:bt:order:INVENTED-1" }] };
      writeFileSync(join(world.records, `${recordHash(invented).toLowerCase()}.json`), JSON.stringify(invented));
      expect(await indexRecordDocuments(db, world.records)).to.equal(1);
      expect(await count(db, "SELECT count(*) AS n FROM explorer_documents WHERE number = 'FORGED-1'")).to.equal(0);
      expect(await count(db, "SELECT count(*) AS n FROM explorer_documents WHERE number = 'INVENTED-1'")).to.equal(1);
      for (const q of ["FORGED-1", "INVENTED-1"]) {
        const r = await page(`/explorer/search?q=${q}`);
        expect(r.status, q).to.equal(404);
        expect(text(r.body)).to.include("a document number");
      }
    });
  });

  describe("errors and hostile input", () => {
    it("unknown ids are 404 pages with a search box", async () => {
      for (const path of [
        `/explorer/unit/0x${"0".repeat(64)}`,
        "/explorer/org/999",
        `/explorer/tx/0x${"ab".repeat(32)}`,
        "/explorer/block/999999999",
        `/explorer/account/0x${"1".repeat(40)}`,
        "/explorer/nothing/here",
      ]) {
        const r = await page(path);
        expect(r.status, path).to.equal(404);
        expect(r.headers.get("content-type")).to.equal("text/html; charset=utf-8");
        expect(r.body, path).to.include('data-status="404"').and.include('<input id="q" name="q"');
      }
      expect(text((await page("/explorer/block/999999999")).body)).to.include("not indexed yet");
    });

    it("malformed input is a 400 page saying what is wrong", async () => {
      const cases: Array<[string, string]> = [
        ["/explorer/unit/0x12zz", "is not a unit key: it must be 0x followed by 64 hex digits"],
        ["/explorer/tx/0x1234", "is not a transaction hash"],
        ["/explorer/block/12a", "is not a block number"],
        ["/explorer/block/-1", "is not a block number"],
        ["/explorer/org/0", "is not an organization id"],
        ["/explorer/account/0xabc", "is not an account address"],
        [`/explorer/org/${DEMO_ORG_IDS.factory}?after=garbage`, "The page cursor is not one this index gave out"],
        ["/explorer?after=W10", "The page cursor is not one this index gave out"],
        ["/explorer/01/06901234567891/21/1", "check digit"],
        ["/explorer/unit/%E0%A4%A", "malformed %-escape"],
      ];
      for (const [path, message] of cases) {
        const r = await page(path);
        expect(r.status, path).to.equal(400);
        expect(text(r.body), path).to.include(message);
        expect(r.body).to.include('<input id="q" name="q"');
      }
      const post = await page("/explorer", { method: "POST" });
      expect(post.status).to.equal(405);
      // Not the explorer's: the handler leaves it to the server.
      const other = await page("/explorerx");
      expect(other.body).to.equal("not the explorer's");
    });

    it("ATTACK: an organization named with markup and a unit whose lot and serial are markup render as text", async () => {
      const pages = [
        await page(`/explorer/org/${world.hostile.orgId}`),
        await page("/explorer"),
        await page(`/explorer/unit/${world.hostile.key}`),
        await page(`/explorer/search?q=${encodeURIComponent(HOSTILE.orgName.slice(0, 8))}`),
        await page(`/explorer/search?q=${encodeURIComponent("<script>alert(1)</script>")}`),
      ];
      for (const r of pages) {
        expect(r.body).to.not.include("<img src=x").and.not.include("<svg/onload").and.not.include("<b>bold");
        expect(r.body).to.not.include("<script>alert");
        expect(r.body).to.not.match(/onerror=alert\(1\)>(?!&)/);
      }
      expect(text(pages[0].body)).to.include(HOSTILE.orgName);
      expect(text(pages[1].body)).to.include(HOSTILE.orgName);
      const unit = text(pages[2].body);
      expect(unit).to.include(`Lot ${HOSTILE.lot}`).and.include(`Serial ${HOSTILE.serial}`);
      expect(pages[4].body).to.include('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
      // The inlined bundle and config carry the markup code, escaped so nothing closes their script element.
      const data = [...pages[2].body.matchAll(/<script type="application\/json" id="[a-z-]+">([^]*?)<\/script>/g)];
      expect(data).to.have.length(2);
      for (const [, json] of data) {
        expect(json).to.not.match(/[<>&\u2028\u2029]/);
        expect(() => JSON.parse(json)).to.not.throw();
      }
      const config = JSON.parse(data[1][1]);
      expect(parseGs1(config.code).lot).to.equal(HOSTILE.lot);
    });

    it("the stylesheet and script are served with their types, cacheable for good at their versioned URL", async () => {
      const home = await page("/explorer");
      const css = /href="(\/explorer\/explorer\.css\?v=[0-9a-f]{16})"/.exec(home.body)![1];
      const r = await page(css);
      expect(r.status).to.equal(200);
      expect(r.headers.get("content-type")).to.equal("text/css; charset=utf-8");
      expect(r.headers.get("cache-control")).to.include("immutable");
      expect(r.body).to.include("@media (min-width:960px)");
      const js = await page("/explorer/client.js");
      expect(js.status).to.equal(200);
      expect(js.headers.get("content-type")).to.equal("text/javascript; charset=utf-8");
      expect(js.headers.get("cache-control")).to.equal("no-cache");
    });
  });
});
