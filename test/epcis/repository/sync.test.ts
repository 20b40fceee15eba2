/**
 * The EPCIS event repository's sync, on the demo journey indexed once: every ledger entry's event is served
 * once with its anchor, and the anchor's entry holds the event's hash; a record whose file was altered is not
 * served and is counted; a second sync is a no-op; off-chain events come in unanchored (and not when their
 * file is missing or altered); a real reorganization (snapshot, revert, another write) removes the rolled-back
 * event and serves its replacement.
 */
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import { recordHash, withEventId } from "../../../src/epcis/hash";
import { objectEvent } from "../../../src/epcis/events";
import { putOffChainEvent } from "../../../src/epcis/rest/offchain";
import { syncEvents, searchEvents, type StoredEvent } from "../../../src/epcis/repository";
import { itemKey, pathOf, registration } from "../../helpers/ledger";
import { indexedDemo, type IndexedDemo } from "../../helpers/eventRepository";
import { WITHHELD_STEPS } from "../../../src/records/access";

const ALL = { by: "syncId", direction: "ASC" } as const;

describe("epcis repository: sync from the index and the record store", function () {
  this.timeout(120_000);
  let t: IndexedDemo;
  let tampered: string;
  let ledger: { chainId: number; address: string };
  const served = async (): Promise<StoredEvent[]> => searchEvents(t.db, {}, ALL, 10_000);
  const withheld = [...WITHHELD_STEPS];
  /** The public records the entries anchor (finance records are withheld: src/records/access.ts). */
  const recordHashes = async () =>
    (
      await t.db.query<{ data: string }>(
        `SELECT DISTINCT data FROM entries e WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.key = e.data)
           AND NOT EXISTS (SELECT 1 FROM entries w WHERE w.data = e.data AND w.step = ANY($1::int[]))`,
        [withheld],
      )
    ).map((r) => r.data);

  before(async () => {
    t = await indexedDemo();
    ledger = { chainId: t.ledger.chainId, address: t.ledger.address };
    // An attacker with write access to the record store alters one record: the chain still holds the old hash.
    [tampered] = (await recordHashes()).sort();
    const file = join(t.demo.records, `${tampered}.json`);
    const record = JSON.parse(readFileSync(file, "utf8"));
    record.eventTime = "2020-01-01T00:00:00.000Z";
    writeFileSync(file, JSON.stringify(record));
  });
  after(async () => {
    await t.backend.close();
  });

  it("serves every anchored record once, its anchor's entry holding the event's hash", async () => {
    const summary = await syncEvents(t.db, t.store, ledger);
    const hashes = await recordHashes();
    const events = await served();
    expect(events.length).to.equal(hashes.length - 1);
    expect(summary.added).to.equal(events.length);
    for (const e of events) {
      expect(e.anchor).to.not.equal(null);
      const [entry] = await t.db.query<{ data: string; tx_hash: string; block: string }>(
        "SELECT data, tx_hash, block FROM entries WHERE unit = $1 AND seq = $2",
        [e.anchor!.unit, e.anchor!.seq],
      );
      expect(entry.data).to.equal(recordHash(e.event));
      expect(entry.data).to.equal(e.recordHash);
      expect([entry.tx_hash, Number(entry.block)]).to.deep.equal([e.anchor!.transactionHash, e.anchor!.blockNumber]);
      expect(e.anchor!.ledger).to.equal(t.ledger.address.toLowerCase());
      const [block] = await t.db.query<{ timestamp: string }>("SELECT timestamp FROM blocks WHERE number = $1", [
        e.anchor!.blockNumber,
      ]);
      expect(e.recordTime).to.equal(Number(block.timestamp) * 1000);
    }
    expect(new Set(events.map((e) => e.recordHash)).size).to.equal(events.length);
  });

  it("ATTACK: the public query interface serves no finance record (order, payment, FX, refund), though the store holds them", async () => {
    const finance = (
      await t.db.query<{ data: string }>("SELECT DISTINCT data FROM entries WHERE step = ANY($1::int[])", [withheld])
    ).map((r) => r.data);
    expect(finance.length, "the demo journey files finance documents").to.be.greaterThan(0);
    expect(finance.every((h) => t.store.get(h) !== undefined)).to.equal(true);
    const servedHashes = new Set((await served()).map((e) => e.recordHash));
    expect(finance.filter((h) => servedHashes.has(h))).to.deep.equal([]);
  });

  it("ATTACK: a record altered in the store is not served, and is counted as tampered", async () => {
    expect((await served()).map((e) => e.recordHash)).to.not.include(tampered);
    const rows = await t.db.query<{ reason: string }>("SELECT reason FROM epcis_unserved WHERE record_hash = $1", [
      tampered,
    ]);
    expect(rows.length).to.be.greaterThan(0);
    expect(rows.every((r) => r.reason === "tampered")).to.equal(true);
  });

  it("a second sync with nothing new adds and removes nothing, in milliseconds", async () => {
    const started = performance.now();
    const summary = await syncEvents(t.db, t.store, ledger);
    const ms = performance.now() - started;
    expect([summary.added, summary.removed]).to.deep.equal([0, 0]);
    console.log(`      idle sync: ${ms.toFixed(1)} ms`);
    expect(ms).to.be.lessThan(500);
  });

  it("an off-chain event comes in unanchored with the capture's record time; ATTACK: missing or altered files do not", async () => {
    const event = (serial: string) =>
      withEventId(
        objectEvent({
          epcList: [`urn:epc:id:sgtin:0614141.107346.${serial}`],
          action: "OBSERVE",
          step: "SHIPPING",
          eventTime: "2026-03-01T10:00:00.000Z",
        }),
      );
    const good = event("OFF1");
    const altered = event("OFF2");
    const late = event("OFF3");
    const hashes = [good, altered, late].map((e) => recordHash(e));
    t.store.put(hashes[0], good);
    t.store.put(hashes[1], altered);
    writeFileSync(join(t.demo.records, `${hashes[1]}.json`), JSON.stringify({ ...altered, action: "ADD" }));
    for (const [i, h] of hashes.entries()) {
      await putOffChainEvent(t.db, {
        recordHash: h,
        recordTime: 1_780_000_000_000 + i,
        org: 1,
        account: "0xAbc",
        captureId: "c1",
      });
    }
    const summary = await syncEvents(t.db, t.store, ledger);
    expect(summary.added).to.equal(1);
    expect(summary.refused).to.equal(2);
    const off = (await served()).filter((e) => e.anchor === null);
    expect(off.map((e) => [e.recordHash, e.recordTime])).to.deep.equal([[hashes[0], 1_780_000_000_000]]);
    // The missing record arrives later: the next sync serves it.
    t.store.put(hashes[2], late);
    expect((await syncEvents(t.db, t.store, ledger)).added).to.equal(1);
    expect((await served()).filter((e) => e.anchor === null).map((e) => e.recordHash)).to.deep.equal([
      hashes[0],
      hashes[2],
    ]);
  });

  it("a reorganization removes the rolled-back event and serves the one that replaced it", async () => {
    const write = async (n: number) => {
      const key = itemKey(n, "REORG");
      const event = objectEvent({
        epcList: [`https://id.gs1.org${pathOf(key)}`],
        action: "ADD",
        step: "COMMISSIONING",
        eventTime: "2026-04-01T00:00:00.000Z",
      });
      const hash = recordHash(event);
      t.store.put(hash, withEventId(event, hash));
      await (
        await t.demo.ledger.connect(t.demo.accounts.exporter).register({ ...registration(key), recordHash: hash })
      ).wait();
      return hash;
    };
    const snapshot = await network.provider.send("evm_snapshot");
    const first = await write(1);
    await t.catchUp();
    await syncEvents(t.db, t.store, ledger);
    expect((await served()).map((e) => e.recordHash)).to.include(first);
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("hardhat_mine", ["0x2"]); // the replacement lands in a block of another hash
    const second = await write(2);
    await t.catchUp();
    const summary = await syncEvents(t.db, t.store, ledger);
    expect(summary.removed).to.equal(1);
    const hashes = (await served()).map((e) => e.recordHash);
    expect(hashes).to.not.include(first);
    expect(hashes).to.include(second);
    expect(new Set(hashes).size).to.equal(hashes.length);
  });
});
