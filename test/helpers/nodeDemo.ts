/** The demo journey of `npm start`, seeded on a local node's deployment by each member's own key. */
import { Wallet } from "ethers";
import { nodeProvider, type NodeDeployment } from "./localNode";
import { seedDemo, DEMO_MEMBERS, type DemoMember } from "../../src/demo/journey";
import { TraceWriter, type TraceWriterOptions } from "../../src/write/writer";

export type DemoWriters = Record<DemoMember, TraceWriter>;

/** A writer for each demo member on `d`, signing with the member's key through the node at `rpcUrl`. */
export async function demoWritersOn(
  rpcUrl: string,
  d: NodeDeployment,
  options: Partial<TraceWriterOptions> = {},
): Promise<DemoWriters> {
  const provider = await nodeProvider(rpcUrl);
  const writers = {} as DemoWriters;
  for (const m of DEMO_MEMBERS) {
    writers[m] = await TraceWriter.create({
      ledger: d.ledger,
      signer: new Wallet(d.members[m].privateKey, provider),
      ...options,
    });
  }
  return writers;
}

/** Seeds the demo journey on `d`, its records into `records`; returns the writers and what `seedDemo` returns. */
export async function seedDemoOnNode(
  rpcUrl: string,
  d: NodeDeployment,
  records: string,
  options: Partial<TraceWriterOptions> = {},
): Promise<{ writers: DemoWriters; seeded: Awaited<ReturnType<typeof seedDemo>> }> {
  const writers = await demoWritersOn(rpcUrl, d, options);
  return { writers, seeded: await seedDemo(writers, records) };
}
