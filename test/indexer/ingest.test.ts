/**
 * The index of the demo journey on anvil, on every backend: what it reads back is exactly what the chain
 * holds (entries compared with the log walk of `readHistory` for every unit, stays with the children's own
 * (un)packing entries, organizations and prefix licences with the SDK's chain readers, unit paths with the
 * demo's codes), a restart resumes from the cursor without duplicates, and a crash inside a range's write
 * leaves the previous cursor and no partial rows.
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { STEPS } from "../../src/codes";
import { DEMO_CODES, DEMO_PREFIXES } from "../../src/demo/journey";
import { parseGs1 } from "../../src/gs1";
import { readHistory } from "../../src/read/history";
import { readOrganizations } from "../../src/read/organizations";
import { readPrefixLicences } from "../../src/read/licences";
import type { IndexDb, IndexSql } from "../../src/indexer/db";
import {
  organizationAccounts,
  organizationById,
  organizationPrefixes,
  unitByKey,
  unitByPath,
  unitEntries,
  unitStays,
} from "../../src/indexer/queries";
import { readCursor } from "../../src/indexer/cursor";
import { CHAIN_TABLES } from "../../src/indexer/schema";
import { indexBackends } from "../helpers/indexDb";
import { allPages, expectSameIndex, followerOf, startDemoChain, type DemoChain } from "./setup";

const count = async (db: IndexSql, table: string) =>
  Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

describe("index: ingest of the demo journey", function () {
  this.timeout(180_000);
  let chain: DemoChain;
  before(async function () {
    if (process.env.SOLIDITY_COVERAGE) this.skip();
    chain = await startDemoChain();
  });
  after(async () => chain?.anvil.stop("SIGKILL"));

  for (const backend of indexBackends()) {
    describe(backend.name, () => {
      after(() => backend.close());

      it("reads back exactly the chain's entries, stays, organizations, prefixes and unit paths", async () => {
        const db = await backend.open();
        const summary = await followerOf(chain.client, chain.ledger, db, { blockRange: 7n }).catchUp();
        const head = await chain.client.getBlockNumber({ cacheTime: 0 });
        expect(summary.cursor).to.equal(head);

        const keys = (await db.query<{ key: Hex }>("SELECT key FROM units ORDER BY key")).map((r) => r.key);
        const demo = Object.entries(chain.keys).filter(([name]) => name !== "counterfeit");
        expect(keys).to.have.members(demo.map(([, k]) => k.toLowerCase()));
        expect(await unitByKey(db, chain.keys.counterfeit)).to.equal(undefined);

        let entries = 0;
        for (const key of keys) {
          const history = await readHistory(chain.client, chain.ledger, key);
          expect(history.intact).to.equal(true);
          const indexed = await allPages((after) => unitEntries(db, key, { limit: 3, after }));
          // Every field of every entry: seq, data, info, account, block, log index, tx, block hash and time.
          expect(indexed).to.deep.equal(history.entries);
          const unit = (await unitByKey(db, key))!;
          expect(unit.seq).to.equal(history.state.seq);
          expect(unit.lastBlock).to.equal(history.state.lastBlock);
          entries += indexed.length;

          // Stays, as the child's own entries define them (journey.ts): PACKING opens, next UNPACKING closes.
          const expected = [];
          const own = history.entries;
          for (let i = 0; i < own.length; i++) {
            const e = own[i];
            if (e.step !== STEPS.PACKING || e.aux !== 0n) continue;
            const close = own.slice(i + 1).find((x) => x.step === STEPS.UNPACKING && x.aux === 0n && x.data === e.data);
            expected.push({
              child: key,
              parent: e.data,
              packed: { block: e.blockNumber, logIndex: e.logIndex },
              ...(close ? { unpacked: { block: close.blockNumber, logIndex: close.logIndex } } : {}),
            });
          }
          expect(await allPages((after) => unitStays(db, key, { limit: 1, after }))).to.deep.equal(expected);
        }
        expect(entries).to.equal(await count(db, "entries"));
        expect(summary.entries).to.equal(entries);
        // The demo packs items into the carton and the carton into the consignment.
        expect(await count(db, "stays")).to.be.greaterThanOrEqual(3);

        for (const [name, code] of demo.map(([n]) => [n, DEMO_CODES[n as keyof typeof DEMO_CODES]] as const)) {
          const id = parseGs1(code);
          const unit = (await unitByPath(db, id.canonicalPath))!;
          expect(unit, name).to.not.equal(undefined);
          expect(unit.key).to.equal(id.key.toLowerCase());
          expect([unit.kind, unit.gtin, unit.lot, unit.serial, unit.sscc, unit.ginc]).to.deep.equal([
            id.kind,
            id.gtin,
            id.lot,
            id.serial,
            id.sscc,
            id.ginc,
          ]);
        }

        const orgIds = (await db.query<{ id: unknown }>("SELECT id FROM organizations ORDER BY id")).map((r) =>
          Number(r.id),
        );
        const onChain = await readOrganizations(chain.client, {
          ledger: chain.ledger,
          orgIds: [...orgIds, orgIds.length + 1],
        });
        expect(orgIds).to.deep.equal([...onChain.keys()].sort((a, b) => a - b));
        for (const id of orgIds) {
          const o = (await organizationById(db, id))!;
          const c = onChain.get(id)!;
          expect([o.name, o.creditCode, o.country, o.gln, o.roles, o.suspended, o.added.block]).to.deep.equal([
            c.identity!.name,
            c.identity!.creditCode,
            c.identity!.country,
            c.identity!.gln,
            c.roles,
            c.suspended,
            c.addedInBlock,
          ]);
          const accounts = await allPages((after) => organizationAccounts(db, id, { after }));
          expect(accounts.map((a) => a.address)).to.deep.equal(
            Object.values(chain.dep.members)
              .filter((m) => m.orgId === id)
              .map((m) => m.address.toLowerCase()),
          );
        }

        const timeline = await readPrefixLicences(chain.client, { ledger: chain.ledger, prefixes: [...DEMO_PREFIXES] });
        const held = (
          await Promise.all(orgIds.map((id) => allPages((after) => organizationPrefixes(db, id, { after }))))
        ).flat();
        for (const licence of timeline.licences) {
          const mine = held.find((p) => p.prefix === licence.prefix && p.licence === licence.licence)!;
          expect(mine, licence.prefix).to.not.equal(undefined);
          expect([mine.holder, mine.licensed.block, mine.licensed.logIndex, mine.revoked]).to.deep.equal([
            licence.holder,
            licence.licensed.blockNumber,
            licence.licensed.logIndex,
            licence.revoked,
          ]);
          expect(mine.authorizations.map((a) => [a.manufacturer, a.authorized, a.at.block])).to.deep.equal(
            licence.authorizations.map((a) => [a.manufacturer, a.authorized, a.at.blockNumber]),
          );
        }
        await db.close();
      });

      it("resumes after a restart from its cursor: no duplicate rows, the same index as one run", async () => {
        const name = backend.freshName();
        let db = await backend.open(name);
        const first = followerOf(chain.client, chain.ledger, db, { blockRange: 5n });
        await first.step();
        await first.step();
        const stopped = (await readCursor(db))!.block;
        expect(stopped).to.equal(chain.ledger.deploymentBlock! + 9n);
        await db.close();

        db = await backend.open(name);
        const resumed = await followerOf(chain.client, chain.ledger, db, { blockRange: 5n }).catchUp();
        expect(resumed.blocks).to.equal((await chain.client.getBlockNumber({ cacheTime: 0 })) - stopped);
        const reference = await backend.open();
        await followerOf(chain.client, chain.ledger, reference, { blockRange: 1000n }).catchUp();
        await expectSameIndex(db, reference);
        await db.close();
        await reference.close();
      });

      it("ATTACK: a write that fails inside a range leaves the previous cursor and no row of that range", async () => {
        const db = await backend.open();
        const follower = followerOf(chain.client, chain.ledger, db, { blockRange: 40n });
        await follower.step();
        const before = (await readCursor(db))!;
        const counts = await Promise.all(CHAIN_TABLES.map((t) => count(db, t)));
        // The database fails once, on the entries of the next range (after its blocks, txs and logs went in).
        let armed = true;
        const failing: IndexDb = {
          ...db,
          query: db.query,
          transaction: (fn) =>
            db.transaction((tx) =>
              fn({
                query: (sql, params) => {
                  if (armed && sql.startsWith("INSERT INTO entries")) {
                    armed = false;
                    throw new Error("disk full");
                  }
                  return tx.query(sql, params);
                },
              }),
            ),
        };
        const crashing = followerOf(chain.client, chain.ledger, failing, { blockRange: 40n });
        let thrown: unknown;
        await crashing.step().catch((e) => (thrown = e));
        expect((thrown as Error)?.message).to.equal("disk full");
        expect(await readCursor(db)).to.deep.equal(before);
        expect(await Promise.all(CHAIN_TABLES.map((t) => count(db, t)))).to.deep.equal(counts);
        for (const table of ["logs", "entries", "transactions"]) {
          expect(await count(db, `${table} WHERE block > ${before.block}`), table).to.equal(0);
        }
        // The next attempt writes the range whole.
        const result = await crashing.step();
        expect(result.kind).to.equal("indexed");
        expect(await count(db, `entries WHERE block > ${before.block}`)).to.be.greaterThan(0);
        await db.close();
      });
    });
  }
});
