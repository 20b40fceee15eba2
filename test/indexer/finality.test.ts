/**
 * Finality and lying sources, on the in-process Hardhat network and every backend: the index never reports
 * an entry newer than head - finality; a node that serves a log from another block, a log of a transaction
 * its block lacks, another contract's log, a log outside the range, another chain, or a registration whose call data names another code gets nothing into
 * the index (or no path for that unit); an index of another ledger or schema version is refused.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import {
  createPublicClient,
  custom,
  encodeFunctionData,
  stringToHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { STEPS } from "../../src/codes";
import { traceLedgerAbi } from "../../src/generated/abi";
import { WrongChainError } from "../../src/errors/base";
import { readHistory } from "../../src/read/history";
import type { LedgerLocation } from "../../src/read/types";
import { loadCursor, readCursor } from "../../src/indexer/cursor";
import { IndexBehindError, IndexDatabaseError, IndexSourceError } from "../../src/indexer/errors";
import { ensureSchema } from "../../src/indexer/schema";
import { logs, unitByKey, unitByPath, unitEntries } from "../../src/indexer/queries";
import { CHAIN_TABLES } from "../../src/indexer/schema";
import type { IndexDb } from "../../src/indexer/db";
import { deployLedger, itemKey, pathOf, recordHash, registration, type LedgerFixture } from "../helpers/ledger";
import { hardhatClient } from "../helpers/sdk";
import { indexBackends } from "../helpers/indexDb";
import { expectSameIndex, followerOf } from "./setup";

type Rewrite = (method: string, params: unknown[], result: unknown) => unknown;

/** A client whose node answers through `rewrite` (a lying or broken endpoint). */
function lyingClient(rewrite: Rewrite): PublicClient {
  return createPublicClient({
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const result = await network.provider.request({ method, params });
        return rewrite(method, params ?? [], structuredClone(result));
      },
    }),
  }) as PublicClient;
}

const rowCount = async (db: IndexDb) =>
  (await Promise.all(CHAIN_TABLES.map((t) => db.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${t}`)))).map((r) =>
    Number(r[0].n),
  );

describe("index: finality and lying sources", function () {
  this.timeout(120_000);
  const backends = indexBackends();
  let f: LedgerFixture;
  let ledger: LedgerLocation;
  const client = hardhatClient();
  const key = (n: number) => itemKey(n, "IDXFINAL") as Hex;
  const record = (n: number, label: string) =>
    f.ledger.connect(f.accounts.exporter).record({
      unit: key(n),
      step: STEPS.STORING,
      disposition: 0,
      eventTime: 1_767_225_600,
      location: 0n,
      recordHash: recordHash(label),
    });

  before(async () => {
    const start = BigInt(await ethers.provider.getBlockNumber());
    f = await deployLedger();
    ledger = { address: (await f.ledger.getAddress()) as Address, chainId: 31337, deploymentBlock: start + 1n };
  });
  after(async () => {
    for (const b of backends) await b.close();
  });

  for (const backend of backends) {
    describe(backend.name, () => {
      it("an entry newer than head - finality is not reported, then is once buried deep enough", async () => {
        const n = backend.name === "pglite" ? 1 : 2;
        await (await f.ledger.connect(f.accounts.exporter).register(registration(key(n), `reg${n}`))).wait();
        await network.provider.request({ method: "hardhat_mine", params: ["0x3"] });
        const recorded = await (await record(n, `fresh${n}`)).wait();
        const db = await backend.open();
        const follower = followerOf(client, ledger, db, { finality: 3, blockRange: 100n });
        const summary = await follower.catchUp();
        const head = BigInt(await ethers.provider.getBlockNumber());
        expect(summary.cursor).to.equal(head - 3n);
        const unit = (await unitByKey(db, key(n)))!;
        expect(unit.seq).to.equal(1);
        expect((await unitEntries(db, key(n))).items.map((e) => e.data)).to.deep.equal([recordHash(`reg${n}`)]);
        expect(
          Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM logs WHERE block > ${head - 3n}`))[0].n),
        ).to.equal(0);
        let thrown: unknown;
        await logs(db, { fromBlock: BigInt(recorded!.blockNumber), toBlock: head }).catch((e) => (thrown = e));
        expect(thrown).to.be.instanceOf(IndexBehindError);

        await network.provider.request({ method: "hardhat_mine", params: ["0x3"] });
        await follower.catchUp();
        const history = await readHistory(client, ledger, key(n));
        expect((await unitEntries(db, key(n))).items).to.deep.equal(history.entries);
        await db.close();
      });

      it("ATTACK: a log naming another block's hash, a transaction its block lacks, another contract or a block outside the range writes nothing", async () => {
        const n = backend.name === "pglite" ? 11 : 12;
        const db = await backend.open();
        await followerOf(client, ledger, db, { blockRange: 1000n }).catchUp();
        await (await f.ledger.connect(f.accounts.exporter).register(registration(key(n), `reg${n}`))).wait();
        const cursor = await readCursor(db);
        const counts = await rowCount(db);
        const lies: Rewrite[] = [
          (m, _p, r) =>
            m === "eth_getLogs"
              ? (r as Array<{ blockHash: Hex }>).map((l) => ({ ...l, blockHash: `0x${"11".repeat(32)}` }))
              : r,
          (m, _p, r) =>
            m === "eth_getLogs"
              ? (r as Array<{ transactionHash: Hex }>).map((l) => ({ ...l, transactionHash: `0x${"22".repeat(32)}` }))
              : r,
          (m, _p, r) =>
            m === "eth_getLogs"
              ? (r as Array<{ blockNumber: Hex | null }>).map((l) => ({ ...l, blockNumber: null }))
              : r,
          // Another contract's log, and a log from outside the range asked for.
          (m, _p, r) =>
            m === "eth_getLogs" ? (r as Array<{ address: Hex }>).map((l) => ({ ...l, address: f.admin.address })) : r,
          (m, _p, r) =>
            m === "eth_getLogs" ? (r as Array<{ blockNumber: Hex }>).map((l) => ({ ...l, blockNumber: "0x1" })) : r,
        ];
        for (const lie of lies) {
          let thrown: unknown;
          await followerOf(lyingClient(lie), ledger, db)
            .step()
            .catch((e) => (thrown = e));
          expect(thrown).to.be.instanceOf(IndexSourceError);
          expect(await readCursor(db)).to.deep.equal(cursor);
          expect(await rowCount(db)).to.deep.equal(counts);
        }
        // The honest node then gets the range in.
        await followerOf(client, ledger, db).catchUp();
        expect((await unitByKey(db, key(n)))?.path).to.equal(pathOf(key(n)));
        await db.close();
      });

      it("ATTACK: a registration whose call data (as served) names another code keeps no path for the unit", async () => {
        const n = backend.name === "pglite" ? 21 : 22;
        const db = await backend.open();
        await followerOf(client, ledger, db, { blockRange: 1000n }).catchUp();
        const sent = await (
          await f.ledger.connect(f.accounts.exporter).register(registration(key(n), `reg${n}`))
        ).wait();
        const forgedPath = pathOf(key(n)).replace("IDXFINAL", "FORGED");
        const forged = encodeFunctionData({
          abi: traceLedgerAbi,
          functionName: "register",
          args: [
            {
              path: stringToHex(forgedPath),
              prefixLength: 7,
              eventTime: 1,
              location: 0n,
              recordHash: recordHash("x") as Hex,
            },
          ],
        });
        const liar = lyingClient((m, _p, r) => {
          if (m !== "eth_getBlockByNumber" || !r) return r;
          const block = r as { transactions: Array<{ hash: Hex; input: Hex } | Hex> };
          for (const t of block.transactions) if (typeof t === "object" && t.hash === sent!.hash) t.input = forged;
          return r;
        });
        await followerOf(liar, ledger, db).catchUp();
        const unit = (await unitByKey(db, key(n)))!;
        expect(unit.seq).to.equal(1);
        expect([unit.path, unit.kind, unit.gtin]).to.deep.equal([undefined, undefined, undefined]);
        expect(await unitByPath(db, forgedPath)).to.equal(undefined);
        await db.close();
      });

      it("ATTACK: a node of another chain is refused; an index of another ledger or schema version is refused; a redeployment re-indexes", async () => {
        const db = await backend.open();
        const otherChain = lyingClient((m, _p, r) => (m === "eth_chainId" ? "0x1" : r));
        let thrown: unknown;
        await followerOf(otherChain, ledger, db)
          .step()
          .catch((e) => (thrown = e));
        expect(thrown).to.be.instanceOf(WrongChainError);
        expect(await readCursor(db)).to.equal(undefined);

        await followerOf(client, ledger, db, { blockRange: 1000n }).step();
        thrown = undefined;
        await loadCursor(db, {
          chainId: 31337,
          ledger: f.admin.address as Address,
          deploymentBlock: 0n,
          finality: 0,
        }).catch((e) => (thrown = e));
        expect(thrown).to.be.instanceOf(IndexDatabaseError);
        // The same ledger address deployed at another block (a reset local chain): indexed over from there.
        const moved = { ...ledger, deploymentBlock: ledger.deploymentBlock! + 5n };
        await followerOf(client, moved, db, { blockRange: 1000n }).catchUp();
        expect((await readCursor(db))?.deploymentBlock).to.equal(moved.deploymentBlock);
        const fresh = await backend.open();
        await followerOf(client, moved, fresh, { blockRange: 1000n }).catchUp();
        await expectSameIndex(db, fresh);
        await fresh.close();
        await db.query("UPDATE meta SET value = '999' WHERE key = 'schema_version'");
        thrown = undefined;
        await ensureSchema(db).catch((e) => (thrown = e));
        expect(thrown).to.be.instanceOf(IndexDatabaseError);
        await db.close();
      });
    });
  }
});
