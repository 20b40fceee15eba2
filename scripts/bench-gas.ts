/**
 * Gas benchmark (design.md §7): deploys on the Hardhat network, measures `receipt.gasUsed` of each
 * operation, prints a table against the targets and writes the figures to bench/gas.json.
 * Run: `npm run bench:gas` (EVM_TARGET=paris for the paris build).
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import {
  deployLedger,
  itemKey,
  cartonKey,
  consignmentKey,
  registration,
  traceInput,
  aggregation,
  signBatch,
  recordHash,
} from "../test/helpers/ledger";
import type { StepName } from "../src/codes";

const TARGETS: Record<string, number> = {
  registerOne: 60_000,
  registerBatch100PerUnit: 30_000,
  recordOne: 35_000,
  recordBatch100PerEvent: 9_000,
  signedOne: 42_000,
  signedBatch100PerEvent: 12_000,
  packPerItem: 0,
  journeyPerItem: 40_000,
};

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("benchmark transaction failed");
  return receipt.gasUsed;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

async function main() {
  const { ledger, accounts, orgIds } = await deployLedger();
  const exporter = ledger.connect(accounts.exporter);
  const results: Record<string, number> = {};

  // Register one unit, then 100 in one transaction.
  results.registerOne = Number(await gasOf(exporter.register(registration(itemKey(1)))));
  const batch = range(1000, 100).map((n) => registration(itemKey(n)));
  results.registerBatch100PerUnit = Math.round(Number(await gasOf(exporter.registerBatch(batch))) / 100);

  // One event on a registered unit; then 100 events on 100 distinct units.
  results.recordOne = Number(await gasOf(exporter.record(traceInput(itemKey(1), "INSPECTING"))));
  const events = range(1000, 100).map((n) => traceInput(itemKey(n), "STORING"));
  results.recordBatch100PerEvent = Math.round(Number(await gasOf(exporter.recordBatch(events))) / 100);

  // Relayed signed events: a batch of one, then one batch of 100 on distinct units.
  const relayer = ledger.connect(accounts.platform);
  const one = await signBatch(ledger, accounts.exporter, [traceInput(itemKey(1), "SHIPPING")]);
  results.signedOne = Number(await gasOf(relayer.recordBySig([one])));
  const hundred = await signBatch(
    ledger,
    accounts.exporter,
    range(1000, 100).map((n) => traceInput(itemKey(n), "INSPECTING", { label: `signed${n}` })),
  );
  results.signedBatch100PerEvent = Math.round(Number(await gasOf(relayer.recordBySig([hundred]))) / 100);

  // Packing 100 registered items into a carton (parent registration excluded).
  await (await exporter.register(registration(cartonKey(1)))).wait();
  const packGas = await gasOf(
    exporter.pack(
      aggregation(cartonKey(1)),
      range(1000, 100).map((n) => itemKey(n)),
    ),
  );
  results.packPerItem = Math.round(Number(packGas) / 100);

  results.journeyPerItem = Math.round(Number(await journey(ledger, accounts, orgIds)) / 1000);

  printTable(results);
  const out = join(__dirname, "..", "bench");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "gas.json"), JSON.stringify(results, null, 2) + "\n");
  const hardfork = "hardfork" in network.config ? network.config.hardfork : "unknown";
  console.log(`\nwritten: bench/gas.json (network ${network.name}, hardfork ${hardfork})`);
}

/** The export journey of design.md §7: 1,000 items in 10 cartons in 1 consignment, ~15 consignment steps. */
async function journey(
  ledger: Awaited<ReturnType<typeof deployLedger>>["ledger"],
  accounts: Awaited<ReturnType<typeof deployLedger>>["accounts"],
  orgIds: Awaited<ReturnType<typeof deployLedger>>["orgIds"],
): Promise<bigint> {
  const as = (who: keyof typeof accounts) => ledger.connect(accounts[who]);
  const items = range(10_000, 1000).map((n) => itemKey(n, "JOURNEY"));
  const cartons = range(100, 10).map((n) => cartonKey(n));
  const consignment = consignmentKey(1);
  let total = 0n;
  const add = async (tx: Promise<ContractTransactionResponse>) => (total += await gasOf(tx));

  for (let c = 0; c < 10; c++) {
    await add(as("exporter").registerBatch(items.slice(c * 100, c * 100 + 100).map((u) => registration(u))));
  }
  await add(as("exporter").registerBatch([...cartons, consignment].map((u) => registration(u))));
  for (let c = 0; c < 10; c++) {
    await add(as("exporter").pack(aggregation(cartons[c]), items.slice(c * 100, c * 100 + 100)));
  }
  await add(as("exporter").pack(aggregation(consignment), cartons));
  await add(as("exporter").assign(consignment, orgIds.broker, true, recordHash("broker contract")));
  await add(as("exporter").assign(consignment, orgIds.lab, true, recordHash("lab order")));
  const steps: Array<[keyof typeof accounts, StepName]> = [
    ["lab", "INSPECTING"],
    ["exporter", "ORDER_PLACED"],
    ["exporter", "STAGING_OUTBOUND"],
    ["broker", "CUSTOMS_DECLARED"],
    ["customs", "CUSTOMS_INSPECTED"],
    ["customs", "CUSTOMS_RELEASED"],
  ];
  for (const [who, step] of steps) await add(as(who).record(traceInput(consignment, step)));
  await add(as("exporter").handover(consignment, orgIds.carrier, recordHash("waybill")));
  await add(as("carrier").acceptHandover(consignment, recordHash("proof of pickup")));
  const carrierSteps: Array<[keyof typeof accounts, StepName]> = [
    ["carrier", "LOADING"],
    ["carrier", "DEPARTING"],
    ["customs", "CUSTOMS_EXITED"],
    ["carrier", "TRANSPORTING"],
    ["carrier", "ARRIVING"],
    ["carrier", "UNLOADING"],
    ["carrier", "DELIVERED"],
  ];
  for (const [who, step] of carrierSteps) await add(as(who).record(traceInput(consignment, step)));
  return total;
}

function printTable(results: Record<string, number>) {
  console.log("operation                     gasUsed     target   verdict");
  console.log("----------------------------  ----------  -------  -------");
  for (const [k, v] of Object.entries(results)) {
    const t = TARGETS[k];
    const verdict = t ? (v <= t ? "met" : "MISSED") : "-";
    console.log(`${k.padEnd(28)}  ${String(v).padStart(10)}  ${(t ? String(t) : "-").padStart(7)}  ${verdict}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
