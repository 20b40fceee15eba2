/**
 * The pre-flight's gas (src/write/callGas.ts): a node whose `eth_call` charges intrinsic gas (Hardhat here;
 * anvil, geth and Besu too) is told apart from one that does not (the EthereumJS client, emulated over the
 * Hardhat network by giving each call its intrinsic gas back). On the second kind, a pre-flight at the limit
 * passes for a call that runs out of gas as a transaction; the sender's pre-flight must not.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { BrowserProvider, toQuantity, type Provider } from "ethers";
import { deployLedger, itemKey, registration, traceInput, type LedgerFixture } from "../helpers/ledger";
import { walletFor, writerFor, toSdkRegistration } from "../helpers/sdk";
import { callChargesIntrinsicGas, preflightGas } from "../../src/write/callGas";
import { intrinsicGas, recordGasLimit } from "../../src/write/gasModel";
import { TransactionSender } from "../../src/write/sender";
import type { TraceInput } from "../../src/write/types";

type Request = { method: string; params?: unknown[] };
type CallTx = { gas?: string; data?: string; input?: string };

/** The Hardhat network, with the `gas` of every `eth_call` that names one recorded. */
function watched(calls: bigint[], ethereumjsLike: boolean): Provider {
  return new BrowserProvider({
    request: async ({ method, params = [] }: Request) => {
      const [tx, ...rest] = params as [CallTx, ...unknown[]];
      if (method !== "eth_call" || tx?.gas === undefined) return network.provider.request({ method, params });
      calls.push(BigInt(tx.gas));
      if (!ethereumjsLike) return network.provider.request({ method, params });
      // The EthereumJS client's `eth_call` runs the call frame with all of `gas`: what Hardhat does with
      // `gas` plus the intrinsic gas it charges first.
      const free = intrinsicGas(tx.data ?? tx.input ?? "0x").standard;
      return network.provider.request({ method, params: [{ ...tx, gas: toQuantity(BigInt(tx.gas) + free) }, ...rest] });
    },
  });
}

describe("pre-flight gas: nodes that charge intrinsic gas in eth_call and nodes that do not", function () {
  this.timeout(60_000);
  let f: LedgerFixture;
  let ledger: string;

  before(async () => {
    f = await loadFixture(deployLedger);
    ledger = await f.ledger.getAddress();
    const exporter = await writerFor(f.ledger, f.accounts.exporter.address);
    await exporter.register([1, 2, 3].map((n) => toSdkRegistration(registration(itemKey(n, "CG")))));
  });

  /** A `record` call of one event on unit n, as the writer encodes it. */
  const recordCall = (n: number) => {
    const events = [traceInput(itemKey(n, "CG"), "STORING", { label: "cg" })] as unknown as TraceInput[];
    return { events, tx: { to: ledger, data: f.ledger.interface.encodeFunctionData("record", [events[0]]) } };
  };

  it("the probe: Hardhat refuses a 1-gas call (charges intrinsic gas), the EthereumJS-like node answers it", async () => {
    const from = f.accounts.exporter.address;
    expect(await callChargesIntrinsicGas(watched([], false), from)).to.equal(true);
    expect(await callChargesIntrinsicGas(watched([], true), from)).to.equal(false);
    expect(preflightGas(100_000n, "0x", true)).to.equal(100_000n);
    expect(preflightGas(100_000n, "0x00ff", false)).to.equal(100_000n - 21_020n);
  });

  it("ATTACK: a limit the transaction runs out of gas with passes a plain eth_call on the EthereumJS-like node, but not the sender's pre-flight", async () => {
    // What the call really needs: the gas one such transaction uses on chain.
    const writer = await writerFor(f.ledger, f.accounts.exporter.address);
    const used = (await writer.record(recordCall(1).events)).gasUsed;
    const { tx } = recordCall(2);
    const tooLow = used - 2_000n;
    const calls: bigint[] = [];
    const node = watched(calls, true);
    // The hazard: the node's own call at that limit passes, though a transaction with it would fail.
    expect(await node.call({ ...tx, from: f.accounts.exporter.address, gasLimit: tooLow })).to.equal("0x");
    const sender = new TransactionSender(
      walletFor(f.accounts.exporter.address, node),
      node,
      f.accounts.exporter.address,
    );
    expect(await sender.preflight(tx, tooLow)).to.equal("outOfGas");
    expect(await sender.preflight(tx, used + 2_000n)).to.equal("ok");
    // One probe for the sender, then each pre-flight with the execution gas its transaction would have.
    const free = intrinsicGas(tx.data).standard;
    expect(calls).to.deep.equal([tooLow, 1n, tooLow - free, used + 2_000n - free]);
  });

  it("a node that charges intrinsic gas gets its pre-flights at the limit itself, and the write is sent with the model's limit", async () => {
    const calls: bigint[] = [];
    const node = watched(calls, false);
    const { events, tx } = recordCall(3);
    const writer = await writerFor(f.ledger, f.accounts.exporter.address, {}, node);
    const result = await writer.record(events);
    expect(calls).to.deep.equal([1n, recordGasLimit(events, tx.data)]);
    const sent = (await network.provider.request({
      method: "eth_getTransactionByHash",
      params: [result.transactions[0].hash],
    })) as { gas: string };
    expect(BigInt(sent.gas)).to.equal(recordGasLimit(events, tx.data));
  });
});
