/**
 * Delayed consortium-admin calls (issue 11 item 7): schedule the exact call, let the delay pass, send it.
 */
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Interface } from "ethers";
import type { TraceLedger } from "../../typechain-types";

/** The consortium-admin functions that run only after `schedule` and the delay. */
export type DelayedFn = "addAccount" | "rotateAccount" | "setPermissions" | "setOrganizationRoles";

/** The call data of a delayed call (what `schedule` takes; its keccak256 is the operation id). */
export function delayedData(ledger: TraceLedger, fn: DelayedFn, args: readonly unknown[]): string {
  return (ledger.interface as unknown as Interface).encodeFunctionData(fn, [...args]);
}

/** Schedules a delayed call as `ledger`'s signer (the admin) and moves time past its `readyAt`. */
export async function scheduleAndWait(ledger: TraceLedger, fn: DelayedFn, ...args: unknown[]): Promise<void> {
  await (await ledger.schedule(delayedData(ledger, fn, args))).wait();
  await time.increase(await ledger.defaultAdminDelay());
}

/** Schedules, waits and sends the call; returns its (unmined) response, for `expect(…).to.emit`. */
export async function afterDelay(
  ledger: TraceLedger,
  fn: DelayedFn,
  ...args: unknown[]
): Promise<ContractTransactionResponse> {
  await scheduleAndWait(ledger, fn, ...args);
  return (ledger[fn] as unknown as (...a: unknown[]) => Promise<ContractTransactionResponse>)(...args);
}
