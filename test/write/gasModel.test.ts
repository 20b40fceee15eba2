/**
 * The gas model (src/write/gasModel.ts) against real receipts: every modelled call sent with exactly the
 * modelled limit succeeds and uses no more, and the model stays within a few percent of the use (a limit far
 * above it would leave blocks part empty). A call outside the modelled path costs more than its model: the
 * SDK's pre-flight finds that and estimates instead, so the write still lands.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  deployLedger,
  itemKey,
  cartonKey,
  registration,
  traceInput,
  aggregation,
  recordHash,
  EVENT_TIME,
  type LedgerFixture,
} from "../helpers/ledger";
import { writerFor, toSdkRegistration } from "../helpers/sdk";
import { recordGasLimit, registerGasLimit, intrinsicGas, calldataBytes } from "../../src/write/gasModel";
import type { TraceInput } from "../../src/write/types";
import type { StepName } from "../../src/codes";

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("SDK gas model against receipts", function () {
  this.timeout(120_000);
  let f: LedgerFixture;
  let ledgerAddress: string;

  /** Sends `data` from `from` with `gasLimit` exactly; returns its gas used (the call must succeed). */
  async function sendWith(from: HardhatEthersSigner, data: string, gasLimit: bigint): Promise<bigint> {
    const receipt = await (await from.sendTransaction({ to: ledgerAddress, data, gasLimit })).wait();
    expect(receipt!.status).to.equal(1);
    return receipt!.gasUsed;
  }

  /** Checks one modelled call: it lands with the model's limit, uses at most that, and at least 90 % of it. */
  async function check(from: HardhatEthersSigner, data: string, limit: bigint, label: string) {
    const used = await sendWith(from, data, limit);
    expect(used <= limit, `${label}: used ${used} > model ${limit}`).to.equal(true);
    expect(Number(used) / Number(limit), `${label}: model ${limit} far above use ${used}`).to.be.greaterThan(0.9);
  }

  before(async () => {
    f = await loadFixture(deployLedger);
    ledgerAddress = await f.ledger.getAddress();
  });

  it("counts calldata bytes and intrinsic gas as EIP-2028 and EIP-7623 do", () => {
    expect(calldataBytes("0x00ff0001")).to.deep.equal({ zero: 2, nonZero: 2 });
    // 2 zero bytes (4 each) + 2 non-zero (16 each) = 40 over the 21,000 base; the floor is 10 per token (2 + 8).
    expect(intrinsicGas("0x00ff0001")).to.deep.equal({ standard: 21_040n, floor: 21_100n });
  });

  it("register: one unit and 500 units land with the modelled limit, which is within 10 % of the use", async () => {
    const exporter = f.ledger.connect(f.accounts.exporter);
    const one = exporter.interface.encodeFunctionData("register", [registration(itemKey(1, "GM"))]);
    await check(f.accounts.exporter, one, registerGasLimit(1, one), "register 1");
    const regs = range(2, 500).map((n) => registration(itemKey(n, "GM")));
    const many = exporter.interface.encodeFunctionData("registerBatch", [regs]);
    await check(f.accounts.exporter, many, registerGasLimit(500, many), "registerBatch 500");
  });

  it("record: one event, 500 of one step, 500 of alternating steps, cold units each time", async () => {
    const iface = f.ledger.interface;
    const keys = range(1, 501).map((n) => itemKey(n, "GM"));
    const one = [traceInput(keys[0], "INSPECTING")] as unknown as TraceInput[];
    const oneData = iface.encodeFunctionData("record", [one[0]]);
    await check(f.accounts.exporter, oneData, recordGasLimit(one, oneData), "record 1");
    const cases: Array<[string, (i: number) => StepName]> = [
      ["STORING ×500", () => "STORING"],
      ["STORING/INSPECTING ×500", (i) => (i % 2 ? "INSPECTING" : "STORING")],
    ];
    for (const [label, step] of cases) {
      const events = keys
        .slice(1)
        .map((k, i) => traceInput(k, step(i), { label: `${label}:${i}` })) as unknown as TraceInput[];
      const data = iface.encodeFunctionData("recordBatch", [events]);
      await check(f.accounts.exporter, data, recordGasLimit(events, data), label);
    }
  });

  it("ATTACK on the model: a write outside its path (assigned organization, packed units) is pre-flighted and estimated, so it lands", async () => {
    // The warehouse is assigned to a carton the exporter packed: each event walks out to the carton's
    // assignment and the packed units' effective status, more than the modelled custodian path.
    const exporter = await writerFor(f.ledger, f.accounts.exporter.address);
    const items = range(600, 40).map((n) => itemKey(n, "GM"));
    await exporter.register([registration(cartonKey(9)), ...items.map((k) => registration(k))].map(toSdkRegistration));
    await exporter.pack(aggregation(cartonKey(9)) as never, items);
    await exporter.assign(cartonKey(9), f.orgIds.warehouse, true, {
      eventTime: EVENT_TIME,
      recordHash: recordHash("gm-assign") as `0x${string}`,
    });
    const warehouse = await writerFor(f.ledger, f.accounts.warehouse.address);
    const events = items.map((k, i) => traceInput(k, "STORING", { label: `gm-wh:${i}` })) as unknown as TraceInput[];
    const data = f.ledger.interface.encodeFunctionData("recordBatch", [events]);
    const modelled = recordGasLimit(events, data);
    const result = await warehouse.record(events);
    expect(result.transactions).to.have.length(1);
    expect(result.transactions[0].receipt.status).to.equal(1);
    // The real use is above the model: had the SDK sent the modelled limit, this write would have failed.
    expect(result.gasUsed > modelled, `used ${result.gasUsed}, model ${modelled}`).to.equal(true);
    for (const k of items) expect((await f.ledger.unitState(k)).seq).to.equal(3);
  });
});
