/**
 * The index's queries on the demo journey, on every backend: `logs(filter)` answers exactly what the node's
 * eth_getLogs answers for several filters (and refuses blocks it has not reached), `search` classifies
 * every kind of input and finds what the chain holds (and nothing for hostile text), transactions tell the
 * signer from the relayer, and pagination refuses cursors and sizes it did not give out.
 */
import { expect } from "chai";
import { Wallet } from "ethers";
import { encodeEventTopics, numberToHex, pad, type Address, type Hex, type RpcLog } from "viem";
import { STEPS } from "../../src/codes";
import { traceLedgerAbi } from "../../src/generated/abi";
import { DEMO_CODES } from "../../src/demo/journey";
import { parseGs1, toElementString } from "../../src/gs1";
import type { IndexDb } from "../../src/indexer/db";
import { IndexBehindError, IndexQueryError } from "../../src/indexer/errors";
import {
  blockByNumber,
  childrenAt,
  logs,
  organizationActivity,
  organizationsByName,
  search,
  status,
  transactionByHash,
  unitEntries,
  unitJourney,
  unitsByGtin,
  type LogFilter,
} from "../../src/indexer/queries";
import { TraceWriter } from "../../src/write/writer";
import { readJourney } from "../../src/read/journey";
import { nodeProvider } from "../helpers/localNode";
import { itemKey, pathOf, recordHash } from "../helpers/ledger";
import { indexBackends } from "../helpers/indexDb";
import { allPages, followerOf, startDemoChain, type DemoChain } from "./setup";

const RPC_LOG_KEYS = [
  "address",
  "blockHash",
  "blockNumber",
  "data",
  "logIndex",
  "removed",
  "topics",
  "transactionHash",
  "transactionIndex",
];
/** The node's log in the index's spelling (lower-case address; fields outside RpcLog, like anvil's blockTimestamp, left out). */
const normalized = (log: RpcLog) =>
  Object.fromEntries(
    RPC_LOG_KEYS.map((k) => [
      k,
      k === "address" ? log.address.toLowerCase() : ((log as Record<string, unknown>)[k] ?? false),
    ]),
  );

describe("index: queries", function () {
  this.timeout(180_000);
  let chain: DemoChain;
  let relayTx: Hex;
  let relayed: Hex;
  const backends = indexBackends();
  const dbs = new Map<string, IndexDb>();

  before(async function () {
    if (process.env.SOLIDITY_COVERAGE) this.skip();
    chain = await startDemoChain();
    // A signed event relayed by a stranger: the transaction's sender is not the entry's account.
    const exporter = await chain.writer("exporter");
    relayed = itemKey(1, "IDXRELAY") as Hex;
    await exporter.register([
      { path: pathOf(relayed), eventTime: 1_767_225_600, location: 0n, recordHash: recordHash("relay-reg") as Hex },
    ]);
    const batch = await exporter.sign(
      [
        {
          unit: relayed,
          step: STEPS.STORING,
          disposition: 0,
          eventTime: 1_767_225_700,
          location: 0n,
          recordHash: recordHash("relayed") as Hex,
        },
      ],
      { deadline: 2_000_000_000 },
    );
    const relayer = await TraceWriter.create({
      ledger: chain.dep.ledger,
      signer: new Wallet(chain.dep.stranger.privateKey, await nodeProvider(chain.anvil.url)),
      pollIntervalMs: 20,
    });
    relayTx = (await relayer.relay([batch])).transactions[0].hash as Hex;
    for (const backend of backends) {
      const db = await backend.open();
      await followerOf(chain.client, chain.ledger, db).catchUp();
      dbs.set(backend.name, db);
    }
  });
  after(async () => {
    for (const db of dbs.values()) await db.close();
    for (const b of backends) await b.close();
    await chain?.anvil.stop("SIGKILL");
  });

  for (const backend of backends) {
    describe(backend.name, () => {
      const db = () => dbs.get(backend.name)!;

      it("logs(filter) returns the node's eth_getLogs answer for address, ranges, topics, OR-lists, wildcards and block hash", async () => {
        const cursor = (await status(db())).cursor!.block;
        const from = chain.ledger.deploymentBlock!;
        const [traced] = encodeEventTopics({ abi: traceLedgerAbi, eventName: "Traced" });
        const [orgAdded] = encodeEventTopics({ abi: traceLedgerAbi, eventName: "OrganizationAdded" });
        const exporter = pad(chain.dep.members.exporter.address.toLowerCase() as Hex);
        const someEntry = (await unitEntries(db(), chain.keys.carton)).items[2];
        const range = { fromBlock: numberToHex(from), toBlock: numberToHex(cursor) };
        const filters: Array<LogFilter & Record<string, unknown>> = [
          { address: chain.ledger.address, ...range },
          { ...range, topics: [traced] },
          { ...range, topics: [traced, [chain.keys.authentic, chain.keys.carton]] },
          { ...range, topics: [traced, null, exporter] },
          { ...range, topics: [[traced, orgAdded]] },
          { ...range, topics: [orgAdded, pad(numberToHex(3))] },
          {
            address: [chain.ledger.address, chain.dep.admin.address as Address],
            fromBlock: numberToHex(someEntry.blockNumber - 3n),
            toBlock: numberToHex(someEntry.blockNumber + 2n),
          },
          { blockHash: someEntry.blockHash },
          { address: chain.dep.admin.address as Address, ...range },
          { ...range, topics: [traced, pad("0x01")] },
        ];
        for (const filter of filters) {
          const node = await chain.client.request({ method: "eth_getLogs", params: [filter as never] });
          const indexed = await allPages((after) => logs(db(), filter, { limit: 7, after }));
          expect(indexed, JSON.stringify(filter)).to.deep.equal((node as RpcLog[]).map(normalized));
        }
        const all = await allPages((after) => logs(db(), filters[0], { after }));
        expect(all.length).to.be.greaterThan(50);
      });

      it("ATTACK: logs(filter) refuses blocks above its cursor instead of answering with a silent gap", async () => {
        const cursor = (await status(db())).cursor!.block;
        let thrown: unknown;
        await logs(db(), { fromBlock: 0n, toBlock: cursor + 1n }).catch((e) => (thrown = e));
        expect(thrown).to.be.instanceOf(IndexBehindError);
        expect((thrown as IndexBehindError).indexedTo).to.equal(cursor);
        // "latest" is the cursor: the newest block the index vouches for.
        const latest = await logs(db(), { fromBlock: "earliest", toBlock: "latest" }, { limit: 10_000 });
        expect(BigInt(latest.items[latest.items.length - 1].blockNumber!)).to.be.at.most(cursor);
        for (const bad of [
          { blockHash: "0x00" as Hex, fromBlock: 1n },
          { topics: [null, null, null, null, null] },
          { toBlock: "pending" as Hex },
        ]) {
          thrown = undefined;
          await logs(db(), bad).catch((e) => (thrown = e));
          expect(
            thrown,
            JSON.stringify(bad, (_, v) => (typeof v === "bigint" ? String(v) : v)),
          ).to.be.instanceOf(IndexQueryError);
        }
      });

      it("search classifies Digital Links, element strings, GTINs, SSCCs, hashes, accounts, blocks, names, credit codes and GINCs", async () => {
        const unitHits = (r: Awaited<ReturnType<typeof search>>) =>
          r.hits.flatMap((h) => (h.kind === "unit" ? [h.unit.key] : []));
        const authentic = chain.keys.authentic.toLowerCase();

        let r = await search(db(), DEMO_CODES.authentic);
        expect([r.as, unitHits(r)]).to.deep.equal([["digitalLink"], [authentic]]);
        r = await search(db(), toElementString(parseGs1(DEMO_CODES.authentic)));
        expect([r.as, unitHits(r)]).to.deep.equal([["elementString"], [authentic]]);
        const gtin = parseGs1(DEMO_CODES.authentic).gtin!;
        const ofGtin = (await allPages((after) => unitsByGtin(db(), gtin, undefined, { after }))).map((u) => u.key);
        expect(ofGtin).to.include.members([authentic, chain.keys.recalled.toLowerCase()]);
        for (const text of [gtin, gtin.slice(1)]) {
          r = await search(db(), text);
          expect(r.as, text).to.include("gtin");
          expect(unitHits(r)).to.deep.equal(ofGtin);
        }
        const sscc = parseGs1(DEMO_CODES.carton).sscc!;
        r = await search(db(), sscc);
        expect([r.as, unitHits(r)]).to.deep.equal([["sscc", "creditCode"], [chain.keys.carton.toLowerCase()]]);
        r = await search(db(), parseGs1(DEMO_CODES.consignment).ginc!);
        expect(unitHits(r)).to.deep.equal([chain.keys.consignment.toLowerCase()]);
        r = await search(db(), DEMO_CODES.counterfeit);
        expect([r.as, r.hits]).to.deep.equal([["digitalLink"], []]);

        r = await search(db(), relayTx);
        expect(r.hits.map((h) => h.kind)).to.deep.equal(["transaction"]);
        r = await search(db(), chain.keys.carton);
        expect(unitHits(r)).to.deep.equal([chain.keys.carton.toLowerCase()]);
        r = await search(db(), `0x${"ab".repeat(32)}`);
        expect([r.as, r.hits]).to.deep.equal([["transaction", "unitKey"], []]);
        r = await search(db(), chain.dep.members.factory.address);
        expect(r.hits).to.have.length(1);
        expect(r.hits[0].kind === "account" && r.hits[0].account.org).to.equal(chain.dep.members.factory.orgId);
        const entry = (await unitEntries(db(), chain.keys.carton)).items[0];
        r = await search(db(), String(entry.blockNumber));
        expect(r.as).to.include("block");
        const block = r.hits.find((h) => h.kind === "block");
        expect(block?.kind === "block" && block.block.entries.map((e) => e.data)).to.include(entry.data);

        r = await search(db(), "FACTORY");
        expect(r.hits.map((h) => h.kind === "organization" && h.organization.id)).to.deep.equal([
          chain.dep.members.factory.orgId,
        ]);
        const code = r.hits[0].kind === "organization" ? r.hits[0].organization.creditCode : "";
        r = await search(db(), code);
        expect(r.hits.map((h) => h.kind === "organization" && h.organization.id)).to.deep.equal([
          chain.dep.members.factory.orgId,
        ]);
      });

      it("ATTACK: hostile search text finds nothing and changes nothing; LIKE wildcards are literals", async () => {
        const before = await db().query("SELECT count(*) AS n FROM entries");
        for (const text of [
          "'; DROP TABLE entries; --",
          "%",
          "_",
          "\\",
          "x' OR '1'='1",
          "\u0000",
          "a".repeat(600),
          " ",
          "0x",
        ]) {
          const r = await search(db(), text);
          expect(r.hits, JSON.stringify(text)).to.deep.equal([]);
        }
        expect((await organizationsByName(db(), "%")).items).to.deep.equal([]);
        expect(await db().query("SELECT count(*) AS n FROM entries")).to.deep.equal(before);
      });

      it("a relayed transaction tells its relayer (from) from each entry's signer (account)", async () => {
        const tx = (await transactionByHash(db(), relayTx))!;
        expect(tx.relayed).to.equal(true);
        expect(tx.from).to.equal(chain.dep.stranger.address.toLowerCase());
        expect(tx.entries.map((e) => [e.unit, e.account])).to.deep.equal([
          [relayed.toLowerCase(), chain.dep.members.exporter.address.toLowerCase()],
        ]);
        const direct = (await transactionByHash(db(), tx.entries[0].transactionHash))!;
        expect(direct.hash).to.equal(relayTx);
        const registration = (await unitEntries(db(), relayed)).items[0];
        const regTx = (await transactionByHash(db(), registration.transactionHash))!;
        expect([regTx.relayed, regTx.from]).to.deep.equal([false, chain.dep.members.exporter.address.toLowerCase()]);
        const block = (await blockByNumber(db(), tx.blockNumber))!;
        expect(block.entries.map((e) => e.transactionHash)).to.include(relayTx);
      });

      it("organization activity pages newest first; children of a parent at a position", async () => {
        const org = chain.dep.members.exporter.orgId;
        const activity = await allPages((after) => organizationActivity(db(), org, { limit: 4, after }));
        const all = await db().query<{ n: unknown }>("SELECT count(*) AS n FROM entries WHERE org = $1", [org]);
        expect(activity.length).to.equal(Number(all[0].n));
        const positions = activity.map((e) => e.blockNumber * 1_000_000n + BigInt(e.logIndex));
        expect(positions).to.deep.equal([...positions].sort((a, b) => (a > b ? -1 : 1)));
        // The carton held both items once they were packed.
        const packed = (await unitEntries(db(), chain.keys.authentic)).items.find((e) => e.step === STEPS.PACKING)!;
        const inside = await childrenAt(db(), chain.keys.carton, {
          block: packed.blockNumber,
          logIndex: packed.logIndex + 1,
        });
        expect(inside.items.map((s) => s.child)).to.include(chain.keys.authentic.toLowerCase());
        const before = await childrenAt(db(), chain.keys.carton, { block: packed.blockNumber - 1n, logIndex: 0 });
        expect(before.items).to.deep.equal([]);
      });

      it("unitJourney holds the journey readJourney walks on chain: own entries, parents' entries during the stays", async () => {
        for (const name of ["authentic", "carton", "recalled"] as const) {
          const key = chain.keys[name];
          const onChain = await readJourney(chain.client, chain.ledger, key);
          const indexed = await unitJourney(db(), key);
          const id = (e: { unit: Hex; seq: number }) => `${e.unit.toLowerCase()}#${e.seq}`;
          const windows = [...indexed.entries.values()].flat();
          // The parents' container-side (un)packing entries are in the windows but not in a journey.
          const containerSide = (e: { step: number; aux: bigint; unit: Hex }) =>
            e.unit.toLowerCase() !== key.toLowerCase() &&
            (e.step === STEPS.PACKING || e.step === STEPS.UNPACKING) &&
            e.aux > 0n;
          expect(
            windows
              .filter((e) => !containerSide(e))
              .map(id)
              .sort(),
            name,
          ).to.deep.equal(onChain.entries.map(id).sort());
          expect(indexed.entries.get(key.toLowerCase() as Hex)).to.deep.equal(onChain.histories.get(key)!.entries);
          expect([...indexed.organizations.keys()].sort()).to.deep.equal(
            [...new Set(windows.map((e) => e.org))].sort(),
          );
        }
      });

      it("ATTACK: pagination refuses forged cursors and page sizes it does not serve", async () => {
        const page = await unitEntries(db(), chain.keys.carton, { limit: 2 });
        expect(page.next).to.be.a("string");
        for (const after of [
          "not-base64!",
          Buffer.from("[1,2]").toString("base64url"),
          Buffer.from('["1 OR 1=1", "x"]').toString("base64url"),
        ]) {
          let thrown: unknown;
          await unitEntries(db(), chain.keys.carton, { after }).catch((e) => (thrown = e));
          expect(thrown, after).to.be.instanceOf(IndexQueryError);
        }
        for (const limit of [0, -1, 1_001, 1.5]) {
          let thrown: unknown;
          await unitEntries(db(), chain.keys.carton, { limit }).catch((e) => (thrown = e));
          expect(thrown, String(limit)).to.be.instanceOf(IndexQueryError);
        }
      });
    });
  }
});
