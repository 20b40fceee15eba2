/**
 * Reorganizations: anvil's own `anvil_reorg` (a separate node, with a replacement transaction, and a deeper
 * one that drops a registration) and Hardhat's `evm_snapshot` / `evm_revert` followed by other blocks (a
 * longer fork, a shorter chain, consortium changes undone). After each, the index holds exactly what an index
 * built from scratch on the new chain holds, and nothing of the dropped blocks.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { Wallet } from "ethers";
import { encodeFunctionData, type Address, type Hex, type PublicClient } from "viem";
import { STEPS } from "../../src/codes";
import { traceLedgerAbi } from "../../src/generated/abi";
import { readHistory } from "../../src/read/history";
import type { LedgerLocation } from "../../src/read/types";
import { freePort, rpcCall, startAnvil, type AnvilNode } from "../../src/node";
import { TraceWriter } from "../../src/write/writer";
import { unitByKey, unitEntries, organizationById, accountByAddress } from "../../src/indexer/queries";
import type { IndexDb } from "../../src/indexer/db";
import { deployOnNode, nodeProvider, type NodeDeployment } from "../helpers/localNode";
import { deployLedger, itemKey, pathOf, recordHash, registration, type LedgerFixture } from "../helpers/ledger";
import { hardhatClient } from "../helpers/sdk";
import { indexBackends } from "../helpers/indexDb";
import { allPages, expectSameIndex, followerOf } from "./setup";

const count = async (db: IndexDb, sql: string, params: unknown[] = []) =>
  Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${sql}`, params))[0].n);

/** Every place a dropped block's data could linger. */
async function expectNothingOf(db: IndexDb, blockHash: Hex, txHash: Hex, data: Hex) {
  expect(await count(db, "logs WHERE block_hash = $1", [blockHash])).to.equal(0);
  expect(await count(db, "blocks WHERE hash = $1", [blockHash])).to.equal(0);
  expect(await count(db, "transactions WHERE hash = $1", [txHash])).to.equal(0);
  expect(await count(db, "entries WHERE data = $1 OR tx_hash = $2", [data, txHash])).to.equal(0);
}

describe("index: reorganizations", function () {
  this.timeout(180_000);
  const backends = indexBackends();
  after(async () => {
    for (const b of backends) await b.close();
  });

  describe("anvil_reorg on a separate node", () => {
    let anvil: AnvilNode;
    let dep: NodeDeployment;
    let client: PublicClient;
    let ledger: LedgerLocation;
    const writer = async () =>
      TraceWriter.create({
        ledger: dep.ledger,
        signer: new Wallet(dep.members.exporter.privateKey, await nodeProvider(anvil.url)),
        pollIntervalMs: 20,
      });
    const key = (n: number) => itemKey(n, "IDXREORG") as Hex;
    const input = (n: number, label: string) => ({
      unit: key(n),
      step: STEPS.STORING,
      disposition: 0,
      eventTime: 1_767_225_600,
      location: 6901234000004n,
      recordHash: recordHash(label) as Hex,
    });
    const block = async (tag: "latest" | bigint) =>
      (await client.getBlock(tag === "latest" ? { blockTag: "latest" } : { blockNumber: tag }))!;

    before(async function () {
      if (process.env.SOLIDITY_COVERAGE) this.skip();
      anvil = await startAnvil({ port: await freePort(), silent: true, args: ["--accounts", "20"] });
      dep = await deployOnNode(anvil.url);
      const { createPublicClient, http } = await import("viem");
      client = createPublicClient({ transport: http(anvil.url, { batch: true }) }) as PublicClient;
      ledger = { address: dep.ledger as Address, chainId: dep.chainId, deploymentBlock: BigInt(dep.deploymentBlock) };
    });
    after(async () => anvil?.stop("SIGKILL"));

    for (const backend of backends) {
      it(`${backend.name}: a replaced block's entry is rolled back and its replacement indexed`, async () => {
        const n = backend.name === "pglite" ? 1 : 2;
        const exporter = await writer();
        await exporter.register([
          { path: pathOf(key(n)), eventTime: 1_767_225_600, location: 0n, recordHash: recordHash(`r${n}`) as Hex },
        ]);
        const sent = await exporter.record([input(n, `dropped${n}`)]);
        const dropped = await block("latest");
        const db = await backend.open();
        const follower = followerOf(client, ledger, db);
        await follower.catchUp();
        expect((await allPages((after) => unitEntries(db, key(n), { after }))).map((e) => e.data)).to.include(
          recordHash(`dropped${n}`),
        );

        // The newest block is replaced by one holding another event on the same unit.
        const replacement = encodeFunctionData({
          abi: traceLedgerAbi,
          functionName: "record",
          args: [input(n, `replacement${n}`)],
        });
        await rpcCall(anvil.url, "anvil_reorg", [
          1,
          [[{ from: dep.members.exporter.address, to: dep.ledger, data: replacement, gas: "0x100000" }, 0]],
        ]);
        expect((await block(dropped.number!)).hash).to.not.equal(dropped.hash);
        // Whatever the node put back in its pool from the dropped block goes into a block of its own.
        await rpcCall(anvil.url, "evm_mine");
        const step = await follower.step();
        expect(step).to.deep.include({ kind: "reorg", forkPoint: dropped.number! - 1n, droppedEntries: 1 });
        await follower.catchUp();

        const history = await readHistory(client, ledger, key(n));
        expect(history.intact).to.equal(true);
        expect(history.entries.map((e) => e.data)).to.include(recordHash(`replacement${n}`));
        expect(await allPages((after) => unitEntries(db, key(n), { after }))).to.deep.equal(history.entries);
        await expectNothingOf(db, dropped.hash!, sent.transactions[0].hash as Hex, recordHash(`dropped${n}`) as Hex);
        const fresh = await backend.open();
        await followerOf(client, ledger, fresh).catchUp();
        await expectSameIndex(db, fresh);
        await db.close();
        await fresh.close();
      });

      it(`${backend.name}: a deeper reorganization drops a registration: the unit is gone from the index`, async () => {
        const n = backend.name === "pglite" ? 11 : 12;
        const db = await backend.open();
        const follower = followerOf(client, ledger, db);
        const exporter = await writer();
        const reg = await exporter.register([
          { path: pathOf(key(n)), eventTime: 1_767_225_600, location: 0n, recordHash: recordHash(`r${n}`) as Hex },
        ]);
        await exporter.record([input(n, `gone${n}`)]);
        await rpcCall(anvil.url, "evm_mine");
        await follower.catchUp();
        expect((await unitByKey(db, key(n)))?.seq).to.equal(2);
        const registeredIn = reg.transactions[0].blockNumber;
        const head = (await block("latest")).number!;
        await rpcCall(anvil.url, "anvil_reorg", [Number(head - BigInt(registeredIn) + 1n), []]);
        await follower.catchUp();
        expect(await unitByKey(db, key(n))).to.equal(undefined);
        expect(await count(db, "entries WHERE unit = $1", [key(n).toLowerCase()])).to.equal(0);
        const fresh = await backend.open();
        await followerOf(client, ledger, fresh).catchUp();
        await expectSameIndex(db, fresh);
        await db.close();
        await fresh.close();
      });
    }
  });

  describe("evm_snapshot / evm_revert on the Hardhat network", () => {
    let f: LedgerFixture;
    let ledger: LedgerLocation;
    const client = hardhatClient();
    const rpc = <T>(method: string, params: unknown[] = []) =>
      network.provider.request({ method, params }) as Promise<T>;
    const key = (n: number) => itemKey(n, "IDXSNAP") as Hex;
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

    for (const backend of backends) {
      it(`${backend.name}: a longer fork after evm_revert replaces the dropped entries`, async () => {
        const n = backend.name === "pglite" ? 1 : 2;
        await (await f.ledger.connect(f.accounts.exporter).register(registration(key(n), `reg${n}`))).wait();
        const db = await backend.open();
        const follower = followerOf(client, ledger, db, { blockRange: 50n });
        await follower.catchUp();
        const snapshot = await rpc<string>("evm_snapshot");
        const tx = await (await record(n, `old${n}a`)).wait();
        await (await record(n, `old${n}b`)).wait();
        await follower.catchUp();
        expect((await unitByKey(db, key(n)))?.seq).to.equal(3);
        const droppedHash = (await client.getBlock({ blockNumber: BigInt(tx!.blockNumber) })).hash;

        await rpc("evm_revert", [snapshot]);
        await rpc("evm_increaseTime", [7]);
        await (await record(n, `new${n}`)).wait();
        await rpc("hardhat_mine", ["0x3"]);
        const result = await follower.step();
        expect(result.kind).to.equal("reorg");
        await follower.catchUp();

        const history = await readHistory(client, ledger, key(n));
        expect(history.intact).to.equal(true);
        expect(history.entries.map((e) => e.data)).to.deep.equal([recordHash(`reg${n}`), recordHash(`new${n}`)]);
        expect(await allPages((after) => unitEntries(db, key(n), { after }))).to.deep.equal(history.entries);
        await expectNothingOf(db, droppedHash, tx!.hash as Hex, recordHash(`old${n}a`) as Hex);
        const fresh = await backend.open();
        await followerOf(client, ledger, fresh, { blockRange: 50n }).catchUp();
        await expectSameIndex(db, fresh);
        await db.close();
        await fresh.close();
      });

      it(`${backend.name}: a chain shorter than the cursor, and consortium changes undone, after evm_revert`, async () => {
        const n = backend.name === "pglite" ? 11 : 12;
        await (await f.ledger.connect(f.accounts.exporter).register(registration(key(n), `reg${n}`))).wait();
        const db = await backend.open();
        const follower = followerOf(client, ledger, db, { blockRange: 50n });
        await follower.catchUp();
        const lab = f.orgIds.lab;
        const labAccount = (await f.accounts.lab.getAddress()).toLowerCase() as Address;
        const snapshot = await rpc<string>("evm_snapshot");
        await (await f.ledger.connect(f.admin).suspendOrganization(lab)).wait();
        await (await f.ledger.connect(f.admin).suspendAccount(labAccount)).wait();
        await (await record(n, `undone${n}`)).wait();
        await follower.catchUp();
        expect((await organizationById(db, lab))?.suspended).to.equal(true);
        expect((await accountByAddress(db, labAccount))?.active).to.equal(false);

        await rpc("evm_revert", [snapshot]);
        const result = await follower.step();
        expect(result.kind).to.equal("reorg");
        await follower.catchUp();
        expect((await organizationById(db, lab))?.suspended).to.equal(false);
        expect((await accountByAddress(db, labAccount))?.active).to.equal(true);
        expect((await unitByKey(db, key(n)))?.seq).to.equal(1);
        const fresh = await backend.open();
        await followerOf(client, ledger, fresh, { blockRange: 50n }).catchUp();
        await expectSameIndex(db, fresh);
        await db.close();
        await fresh.close();
      });
    }
  });
});
