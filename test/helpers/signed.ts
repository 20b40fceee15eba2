/** Shared setup of the signed-event (EIP-712 batch) tests: typed-data types, the fixture and its units. */
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { TRACE_BATCH_TYPES } from "../../src/eip712";
import { deployLedger, itemKey, registration } from "./ledger";

/** Mutable copy of the SDK's typed-data types, as ethers wants them. */
export const TYPES = { TraceBatch: [...TRACE_BATCH_TYPES.TraceBatch], TraceEvent: [...TRACE_BATCH_TYPES.TraceEvent] };

/** Units registered by {signedFixture}: three exporter items and one factory item. */
export const EXP_UNITS = [itemKey(1), itemKey(2), itemKey(3)];
export const FACTORY_UNIT = itemKey(101);

export async function signedFixture() {
  const f = await deployLedger();
  await (await f.ledger.connect(f.accounts.exporter).registerBatch(EXP_UNITS.map((u) => registration(u)))).wait();
  await (await f.ledger.connect(f.accounts.factory).register(registration(FACTORY_UNIT))).wait();
  return f;
}

/** A deadline one hour after the latest block. */
export async function soon(): Promise<number> {
  return (await time.latest()) + 3600;
}
