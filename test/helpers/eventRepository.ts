/**
 * The EPCIS event repository's test setup: the demo journey on the in-process network, indexed once into a
 * fresh PGlite schema by the index's own follower, with its record store.
 */
import { ethers } from "hardhat";
import type { Address } from "viem";
import { demoFixture, type DemoFixture } from "./demo";
import { hardhatClient } from "./sdk";
import { indexBackends, type IndexBackend } from "./indexDb";
import { followerOf } from "../indexer/setup";
import { RecordStore } from "../../src/records/store";
import type { IndexDb } from "../../src/indexer/db";
import type { LedgerLocation } from "../../src/read/types";

export interface IndexedDemo {
  demo: DemoFixture;
  db: IndexDb;
  store: RecordStore;
  ledger: LedgerLocation & { chainId: number };
  backend: IndexBackend;
  /** Catches the index up with the chain (reorganizations included). */
  catchUp(): Promise<void>;
}

/** Seeds the demo journey and indexes it (call in `before`). */
export async function indexedDemo(): Promise<IndexedDemo> {
  const start = BigInt(await ethers.provider.getBlockNumber());
  const demo = await demoFixture();
  const backend = indexBackends()[0];
  const db = await backend.open();
  const ledger = { address: demo.address as Address, chainId: 31337, deploymentBlock: start + 1n };
  const catchUp = async () => {
    await followerOf(hardhatClient(), ledger, db).catchUp(new AbortController().signal);
  };
  await catchUp();
  return { demo, db, store: new RecordStore(demo.records), ledger, backend, catchUp };
}
