/** Shared setup of the index tests: an anvil with the ledger and the demo journey, and a follower factory. */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Wallet } from "ethers";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import { freePort, startAnvil, type AnvilNode } from "../../src/node";
import { deployOnNode, nodeProvider, type NodeDeployment } from "../helpers/localNode";
import { seedDemo, type DemoMember } from "../../src/demo/journey";
import { demoWritersOn } from "../helpers/nodeDemo";
import { TraceWriter } from "../../src/write/writer";
import { createFollower, type FollowerOptions } from "../../src/indexer/follower";
import type { IndexDb } from "../../src/indexer/db";
import type { LedgerLocation } from "../../src/read/types";

export interface DemoChain {
  anvil: AnvilNode;
  dep: NodeDeployment;
  client: PublicClient;
  ledger: LedgerLocation;
  keys: Record<string, Hex>;
  writer(member: DemoMember): Promise<TraceWriter>;
}

/** Starts anvil, deploys the ledger and seeds the demo journey on it. */
export async function startDemoChain(): Promise<DemoChain> {
  const anvil = await startAnvil({ port: await freePort(), silent: true, args: ["--accounts", "20"] });
  const dep = await deployOnNode(anvil.url);
  const provider = await nodeProvider(anvil.url);
  const writer = (m: DemoMember) =>
    TraceWriter.create({
      ledger: dep.ledger,
      signer: new Wallet(dep.members[m].privateKey, provider),
      pollIntervalMs: 20,
    });
  const writers = await demoWritersOn(anvil.url, dep, { pollIntervalMs: 20 });
  const keys = await seedDemo(writers, mkdtempSync(join(tmpdir(), "cbec-index-records-")));
  const client = createPublicClient({ transport: http(anvil.url, { batch: true }) }) as PublicClient;
  return {
    anvil,
    dep,
    client,
    ledger: {
      address: dep.ledger as Address,
      chainId: dep.chainId,
      deploymentBlock: BigInt(dep.deploymentBlock),
      version: dep.version,
    },
    keys,
    writer,
  };
}

/** A follower of a deployment into `db` (finality 0 unless given). */
export function followerOf(
  client: PublicClient,
  ledger: LedgerLocation,
  db: IndexDb,
  extra: Partial<FollowerOptions> & { finality?: number } = {},
) {
  return createFollower({
    client,
    db,
    target: {
      chainId: ledger.chainId!,
      ledger: ledger.address,
      deploymentBlock: ledger.deploymentBlock ?? 0n,
      finality: extra.finality ?? 0,
    },
    pollIntervalMs: 20,
    ...extra,
  });
}

/** Every page of a paginated query. */
export async function allPages<T>(fetch: (after?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await fetch(after);
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

/** Asserts two indexes hold the same rows in every chain table (the cursor's checkpoints aside). */
export async function expectSameIndex(actual: IndexDb, expected: IndexDb): Promise<void> {
  const { expect } = await import("chai");
  const { CHAIN_TABLES } = await import("../../src/indexer/schema");
  for (const table of CHAIN_TABLES.filter((t) => t !== "checkpoints")) {
    const a = await actual.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`);
    const b = await expected.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`);
    expect(a, table).to.deep.equal(b);
  }
}
