/** Shared setup of the signed-event (EIP-712 batch) tests: typed-data types, the fixture and its units. */
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import type { TraceLedger } from "../../typechain-types";
import { TRACE_BATCH_TYPES } from "../../src/eip712";
import { deployLedgerWithManufacturer, itemKey, registration } from "./ledger";

/** Mutable copy of the SDK's typed-data types, as ethers wants them. */
export const TYPES = { TraceBatch: [...TRACE_BATCH_TYPES.TraceBatch], TraceEvent: [...TRACE_BATCH_TYPES.TraceEvent] };

/**
 * Units registered by {signedFixture}: three exporter items and one factory item (a code of the exporter's
 * prefix: the factory is its authorized contract manufacturer).
 */
export const EXP_UNITS = [itemKey(1), itemKey(2), itemKey(3)];
export const FACTORY_UNIT = itemKey(101);

export async function signedFixture() {
  const f = await deployLedgerWithManufacturer();
  await (await f.ledger.connect(f.accounts.exporter).registerBatch(EXP_UNITS.map((u) => registration(u)))).wait();
  await (await f.ledger.connect(f.accounts.factory).register(registration(FACTORY_UNIT))).wait();
  return f;
}

/** A deadline one hour after the latest block. */
export async function soon(): Promise<number> {
  return (await time.latest()) + 3600;
}

// --- Signed batches, trust model v2 (issue 11 item 8): per-batch failures of multi-batch relays ---

/** The `SignedBatchFailed` logs of a relay transaction, in order. */
export async function batchFailures(ledger: TraceLedger, tx: ContractTransactionResponse) {
  const receipt = (await tx.wait())!;
  return receipt.logs
    .map((l) => ledger.interface.parseLog(l))
    .filter((p) => p?.name === "SignedBatchFailed")
    .map((p) => ({
      index: Number(p!.args.index),
      signer: p!.args.signer as string,
      nonce: p!.args.nonce as bigint,
      reason: p!.args.reason as string,
    }));
}

/** The revert data of a one-batch relay refused at event `i`: `TraceLedgerBatchItemRejected(i, error(args))`. */
export function rejectedAt(ledger: TraceLedger, i: number, error: string, args: unknown[] = []): string {
  return ledger.interface.encodeErrorResult("TraceLedgerBatchItemRejected", [
    i,
    ledger.interface.encodeErrorResult(error, args),
  ]);
}
