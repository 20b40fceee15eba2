/**
 * One platform with the demo's customs shipments for every test file that needs it (the record access
 * tests and the CLI's `customs check --unit`): a node, the ledger, the shipments seeded, an index, and two
 * servers (with the index, and without). Started by the first file that asks, stopped once after all tests
 * (a root `after` hook), so CI pays for one node start and one seeding, not one per file.
 */
import { Wallet } from "ethers";
import type { Hex } from "viem";
import { startPlatform, type Platform } from "./platform";
import { nodeProvider } from "./localNode";
import { DEMO_MEMBERS, type DemoMember } from "../../src/demo/journey";
import { seedShipments, type SeededShipments } from "../../src/demo/shipments/seed";
import { TraceWriter } from "../../src/write/writer";
import { startIndexer, type RunningIndexer } from "../../src/indexer/start";

export interface ShipmentsPlatform {
  platform: Platform;
  indexer: RunningIndexer;
  seeded: SeededShipments;
  /** The server with the index. */
  base: string;
  /** A server without an index. */
  bare: string;
  /** A member's private key. */
  key(member: DemoMember | "rival"): string;
  /** A demo member's writer. */
  writers: Record<DemoMember, TraceWriter>;
}

let started: Promise<ShipmentsPlatform> | undefined;

async function start(): Promise<ShipmentsPlatform> {
  const platform = await startPlatform();
  try {
    const key = (m: DemoMember | "rival") => platform.deployment.members[m].privateKey;
    const provider = await nodeProvider(platform.node.rpcUrl);
    const writers = {} as Record<DemoMember, TraceWriter>;
    for (const m of DEMO_MEMBERS) {
      writers[m] = await TraceWriter.create({
        ledger: platform.deployment.ledger,
        signer: new Wallet(key(m), provider),
      });
    }
    const seeded = await seedShipments(writers, platform.records);
    const indexer = await startIndexer({
      rpcUrl: platform.node.rpcUrl,
      ledger: {
        address: platform.deployment.ledger as Hex,
        chainId: platform.deployment.chainId,
        deploymentBlock: BigInt(platform.deployment.deploymentBlock),
      },
    });
    await indexer.ready;
    const base = (await platform.serve({ index: indexer.db })).base;
    const bare = (await platform.serve()).base;
    return { platform, indexer, seeded, base, bare, key, writers };
  } catch (error) {
    await platform.close();
    throw error;
  }
}

/** The shared platform (started on first use). */
export function shipmentsPlatform(): Promise<ShipmentsPlatform> {
  started ??= start();
  return started;
}

after(async () => {
  if (!started) return;
  const s = await started.catch(() => undefined);
  started = undefined;
  await s?.indexer.stop();
  await s?.platform.close();
});
