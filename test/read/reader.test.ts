/** The SDK read path: findable history, journeys through parents, tamper detection, endpoint checks. */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, type Hex, type Address, type PublicClient } from "viem";
import {
  deployLedger,
  itemKey,
  cartonKey,
  consignmentKey,
  registration,
  traceInput,
  aggregation,
  recordHash,
  EVENT_TIME,
} from "../helpers/ledger";
import { readerFor, rejection } from "../helpers/sdk";
import { declareExport } from "../helpers/customs";
import { createTraceReader } from "../../src/read/reader";
import { InconsistentLogsError } from "../../src/read/history";
import { WrongChainError, WrongContractError } from "../../src/errors/base";
import { STEPS } from "../../src/codes";

/** A viem client whose eth_getLogs answers pass through `edit` (a lying log source). */
function editedLogsClient(
  edit: (logs: Array<Record<string, unknown>>) => Array<Record<string, unknown>>,
): PublicClient {
  return createPublicClient({
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        const result = await network.provider.request({ method, params: params as unknown[] });
        return method === "eth_getLogs" ? edit(result as Array<Record<string, unknown>>) : result;
      },
    }),
  }) as PublicClient;
}

async function ledgerLocation(address: string) {
  const { chainId } = await ethers.provider.getNetwork();
  return { address: address as Address, chainId: Number(chainId) };
}

describe("SDK reader", () => {
  it("collects a history spread over many blocks with few, bounded log queries", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    const unit = itemKey(1);
    await ex.register(registration(unit));
    for (let i = 0; i < 6; i++) {
      await mine(2_500); // gaps wider than a typical eth_getLogs cap
      await ex.record(traceInput(unit, "STORING", { label: i }));
    }
    const reader = await readerFor(ledger, 1_000n);
    const history = await reader.history(unit as Hex);
    expect(history.intact).to.equal(true);
    expect(history.entries.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(history.logQueries).to.equal(7);
    expect(history.recomputedHead).to.equal(history.state.head);
  });

  it("reads a dense history in one query", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    const unit = itemKey(1);
    await ex.register(registration(unit));
    for (let i = 0; i < 20; i++) await ex.record(traceInput(unit, "INSPECTING", { label: i }));
    await ex.recordBatch([traceInput(unit, "STORING"), traceInput(unit, "SHIPPING")]);
    const history = await (await readerFor(ledger)).history(unit as Hex);
    expect(history.entries.length).to.equal(23);
    expect(history.logQueries).to.equal(1);
    expect(history.intact).to.equal(true);
  });

  it("builds a journey with the events of the carton and consignment while the item was inside", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    const [item, other, carton, ship] = [itemKey(1), itemKey(2), cartonKey(1), consignmentKey(1)];
    await ex.registerBatch([item, other, carton, ship].map((u) => registration(u)));
    await ex.record(traceInput(carton, "INSPECTING", { label: "before item" })); // not inherited: item not inside yet
    await ex.pack(aggregation(carton), [item]);
    await ex.pack(aggregation(ship), [carton]);
    // another child: container-side entry, not part of item's journey (packed before the declaration: issue 11
    // refuses packing an undeclared unit into a released one)
    await ex.pack(aggregation(carton), [other]);
    await ex.assign(ship, orgIds.broker, true, EVENT_TIME, recordHash("broker"));
    await (await declareExport({ ledger, accounts, orgIds }, ship, 1210)).wait();
    await ledger.connect(accounts.customs).record(traceInput(ship, "CUSTOMS_RELEASED"));
    // released, not yet departed: under customs control, so customs takes the item out (issue 11)
    await ledger.connect(accounts.customs).unpack(aggregation(carton), [item]);
    await ledger.connect(accounts.customs).record(traceInput(ship, "CUSTOMS_INSPECTED")); // after the item left
    const journey = await (await readerFor(ledger)).journey(item as Hex);
    expect(journey.intact).to.equal(true);
    const steps = journey.entries.map((e) => [e.stepName, e.inheritedFrom ?? "own"]);
    expect(steps).to.deep.equal([
      ["COMMISSIONING", "own"],
      ["PACKING", "own"],
      ["PACKING", carton],
      ["ASSIGNED", ship],
      // the zone entry its 1210 declaration cites, then the declaration (customs documents since 2.2)
      ["ENTERING_EXITING", ship],
      ["CUSTOMS_DECLARED", ship],
      ["CUSTOMS_RELEASED", ship],
      ["UNPACKING", "own"],
    ]);
    expect([...journey.histories.keys()].sort()).to.deep.equal([item, carton, ship].sort());
  });

  it("detects a log source that omits, alters or reorders entries", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    const unit = itemKey(1);
    await ex.register(registration(unit));
    await ex.recordBatch([traceInput(unit, "INSPECTING"), traceInput(unit, "STORING"), traceInput(unit, "SHIPPING")]);
    const location = await ledgerLocation(await ledger.getAddress());
    const read = (edit: Parameters<typeof editedLogsClient>[0]) =>
      createTraceReader({ client: editedLogsClient(edit), ledger: location }).history(unit as Hex);

    const omitted = await read((logs) => logs.filter((_, i) => i !== 1));
    expect(omitted.intact).to.equal(false);
    const altered = await read((logs) => logs.map((l, i) => (i === 2 ? { ...l, data: recordHash("forged") } : l)));
    expect(altered.intact).to.equal(false);
    const reordered = await read((logs) => {
      const copy = logs.map((l) => ({ ...l }));
      [copy[1].data, copy[2].data] = [copy[2].data, copy[1].data];
      return copy;
    });
    expect(reordered.intact).to.equal(false);
    await rejection(
      read(() => []),
      InconsistentLogsError,
    );
    expect((await read((logs) => logs)).intact).to.equal(true);
  });

  it("refuses an endpoint of another chain and an address that is not a ledger", async () => {
    const { ledger } = await loadFixture(deployLedger);
    const client = editedLogsClient((l) => l);
    const address = (await ledger.getAddress()) as Address;
    await rejection(
      createTraceReader({ client, ledger: { address, chainId: 999 } }).checkDeployment(),
      WrongChainError,
    );
    const location = await ledgerLocation(ethers.ZeroAddress);
    await rejection(createTraceReader({ client, ledger: location }).checkDeployment(), WrongContractError);
    const ok = await createTraceReader({ client, ledger: await ledgerLocation(address) }).checkDeployment();
    expect(ok.version).to.equal(await ledger.version());
  });

  it("reads unit state with decoded stage and flags", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    await ex.registerBatch([registration(itemKey(1)), registration(cartonKey(1))]);
    await ex.pack(aggregation(cartonKey(1)), [itemKey(1)]);
    await ledger.connect(accounts.customs).record(traceInput(itemKey(1), "HOLD"));
    const reader = await readerFor(ledger);
    const s = await reader.unitState(itemKey(1) as Hex);
    expect(s).to.include({ registered: true, packed: true, held: true, recalled: false, stageName: "ACTIVE", seq: 3 });
    expect(s.parent).to.equal(cartonKey(1));
    const none = await reader.unitState(itemKey(9) as Hex);
    expect(none.registered).to.equal(false);
    expect((await reader.history(itemKey(9) as Hex)).entries).to.deep.equal([]);
    expect(STEPS.HOLD).to.be.a("number");
  });
});
