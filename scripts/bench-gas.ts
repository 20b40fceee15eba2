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
  deployCustomsLedger,
  itemKey,
  cartonKey,
  consignmentKey,
  registration,
  traceInput,
  aggregation,
  signBatch,
  recordHash,
  EVENT_TIME,
} from "../test/helpers/ledger";
import type { StepName } from "../src/codes";
import { doc, file, idOf, termsOf } from "../test/helpers/customs";

const TARGETS: Record<string, number> = {
  registerOne: 60_000,
  registerBatch100PerUnit: 30_000,
  recordOne: 35_000,
  recordBatch100PerEvent: 9_000,
  signedOne: 42_000,
  signedBatch100PerEvent: 12_000,
  packPerItem: 0,
  fileDocumentOne: 0,
  declaration9610Only: 0,
  declaration9610WithDocuments: 0,
  journeyPerItem: 40_000,
};

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("benchmark transaction failed");
  return receipt.gasUsed;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

async function main() {
  const f = await deployCustomsLedger();
  const { ledger, accounts, orgIds } = f;
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

  // Customs documents (2.2): one document with no citations, then the three documents and the 9610
  // declaration that cites them (the three-document match on chain).
  await (await exporter.register(registration(consignmentKey(2)))).wait();
  for (const m of ["platform", "payment", "carrier", "broker"] as const) {
    await (await exporter.assign(consignmentKey(2), orgIds[m], true, EVENT_TIME, recordHash(`assign ${m}`))).wait();
  }
  results.fileDocumentOne = Number(await gasOf(file(f, "exporter", doc(consignmentKey(2), "BOOKING", "BK-1"))));
  const t = termsOf({ orderNo: "SO-BENCH" });
  const ZERO = `0x${"00".repeat(32)}`;
  let declaration9610 = 0n;
  for (const [m, d] of [
    ["platform", doc(consignmentKey(2), "ORDER", "SO-BENCH", { orderRef: t.orderRef, terms: [t.payment, t.shipment] })],
    ["payment", doc(consignmentKey(2), "PAYMENT", "P-BENCH", { orderRef: t.orderRef, terms: [t.payment, ZERO] })],
    ["carrier", doc(consignmentKey(2), "WAYBILL", "W-BENCH", { orderRef: t.orderRef, terms: [ZERO, t.shipment] })],
  ] as const) {
    declaration9610 += await gasOf(file(f, m, d));
  }
  const cites = [
    idOf(f, "platform", "ORDER", "SO-BENCH"),
    idOf(f, "payment", "PAYMENT", "P-BENCH"),
    idOf(f, "carrier", "WAYBILL", "W-BENCH"),
  ];
  const declared = doc(consignmentKey(2), "DECLARATION", "D-BENCH", { mode: 9610, cites, orderRef: t.orderRef });
  results.declaration9610Only = Number(await gasOf(file(f, "broker", declared)));
  results.declaration9610WithDocuments = Number(declaration9610) + results.declaration9610Only;

  results.journeyPerItem = Math.round(Number(await journey(f)) / 1000);

  printTable(results);
  const out = join(__dirname, "..", "bench");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "gas.json"), JSON.stringify(results, null, 2) + "\n");
  const hardfork = "hardfork" in network.config ? network.config.hardfork : "unknown";
  console.log(`\nwritten: bench/gas.json (network ${network.name}, hardfork ${hardfork})`);
}

/**
 * The export journey of design.md §7: 1,000 items in 10 cartons in 1 consignment, ~15 consignment steps;
 * since 2.2 the order and the 9610 declaration are customs documents (with the payment and the waybill the
 * declaration cites), and the journey ends with FX settlement and the tax refund.
 */
async function journey(f: Awaited<ReturnType<typeof deployCustomsLedger>>): Promise<bigint> {
  const { ledger, accounts, orgIds } = f;
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
  await add(as("exporter").assign(consignment, orgIds.broker, true, EVENT_TIME, recordHash("broker contract")));
  await add(as("exporter").assign(consignment, orgIds.lab, true, EVENT_TIME, recordHash("lab order")));
  for (const m of ["platform", "payment", "carrier"] as const) {
    await add(as("exporter").assign(consignment, orgIds[m], true, EVENT_TIME, recordHash(`assign ${m}`)));
  }
  await add(as("lab").record(traceInput(consignment, "INSPECTING")));
  const t = termsOf({ orderNo: "SO-JOURNEY" });
  const ZERO = `0x${"00".repeat(32)}`;
  await add(
    file(
      f,
      "platform",
      doc(consignment, "ORDER", "SO-JOURNEY", { orderRef: t.orderRef, terms: [t.payment, t.shipment] }),
    ),
  );
  await add(
    file(f, "payment", doc(consignment, "PAYMENT", "P-JOURNEY", { orderRef: t.orderRef, terms: [t.payment, ZERO] })),
  );
  await add(
    file(f, "carrier", doc(consignment, "WAYBILL", "W-JOURNEY", { orderRef: t.orderRef, terms: [ZERO, t.shipment] })),
  );
  await add(as("exporter").record(traceInput(consignment, "STAGING_OUTBOUND")));
  const cites = [
    idOf(f, "platform", "ORDER", "SO-JOURNEY"),
    idOf(f, "payment", "PAYMENT", "P-JOURNEY"),
    idOf(f, "carrier", "WAYBILL", "W-JOURNEY"),
  ];
  await add(
    file(f, "broker", doc(consignment, "DECLARATION", "D-JOURNEY", { mode: 9610, cites, orderRef: t.orderRef })),
  );
  const steps: Array<[keyof typeof accounts, StepName]> = [
    ["customs", "CUSTOMS_INSPECTED"],
    ["customs", "CUSTOMS_RELEASED"],
  ];
  for (const [who, step] of steps) await add(as(who).record(traceInput(consignment, step)));
  await add(as("exporter").handover(consignment, orgIds.carrier, EVENT_TIME, 0, recordHash("waybill")));
  await add(as("carrier").acceptHandover(consignment, EVENT_TIME, 0, recordHash("proof of pickup")));
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
  // The carrier, custodian since the handover, assigns the payment institution again (the handover ended
  // the exporter's assignments); the tax authority, a regulator, needs none.
  await add(as("carrier").assign(consignment, orgIds.payment, true, EVENT_TIME, recordHash("assign payment")));
  await add(file(f, "payment", doc(consignment, "FX_SETTLEMENT", "FX-JOURNEY")));
  await add(file(f, "tax", doc(consignment, "TAX_REFUND", "TR-JOURNEY")));
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
