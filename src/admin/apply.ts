/**
 * Applying a plan: its changes in order, one transaction each, as the consortium admin. An interrupted
 * apply is resumed by planning again — the new plan holds only what is left. Plan after the admin's
 * earlier transactions are mined (`TraceWriter.settle()`), or one still in flight would be planned twice.
 *
 * Changes the ledger delays (issue 11 item 7: a key for an organization that has keys, a role grant, the
 * matrix once organizations exist) are scheduled by the first apply and made by an apply after `readyAt`.
 */
import { getAddress, type Address, type Hex } from "viem";
import { AdminOnlyError } from "../errors/contract";
import { TraceError } from "../errors/base";
import type { SentTransaction } from "../write/sender";
import type { ConsortiumAdmin, GovernedResult } from "./admin";
import type { ConsortiumChange, ConsortiumPlan } from "./plan";

/** A change that was applied. */
export interface AppliedChange {
  change: ConsortiumChange;
  /** The organization it applied to (for a new organization: its new id). */
  orgId?: number;
  /**
   * `executed`: in effect now; `scheduled`: announced now, in effect once applied again from `readyAt`;
   * `waiting`: announced by an earlier apply and not ready yet (nothing sent).
   */
  status: GovernedResult["status"];
  /** For a delayed change: its operation id and when it can be applied (Unix seconds). */
  opId?: Hex;
  readyAt?: number;
  /** Absent when nothing was sent (`waiting`). */
  transaction?: { hash: string; blockNumber: number; gasUsed: bigint };
}

export interface ApplyResult {
  applied: AppliedChange[];
  gasUsed: bigint;
  /** The changes that are scheduled and not in effect yet: apply again from the latest `readyAt`. */
  pending: AppliedChange[];
}

export interface ApplyOptions {
  /** Called after each applied change (for progress output). */
  onApplied?: (applied: AppliedChange, index: number, total: number) => void;
}

/** Executes a plan as the admin; returns what was done. Checks the key is the admin first. */
export async function applyConsortium(
  admin: ConsortiumAdmin,
  plan: ConsortiumPlan,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  if (admin.ledger.toLowerCase() !== plan.basis.ledger.toLowerCase()) {
    throw new TraceError(`The plan is for ledger ${plan.basis.ledger}, not ${admin.ledger}.`, {
      hints: ["Plan and apply against the same ledger."],
    });
  }
  if (plan.changes.length && admin.address.toLowerCase() !== plan.basis.admin.toLowerCase()) {
    throw new AdminOnlyError(
      "AccessControlUnauthorizedAccount",
      [admin.address, `0x${"00".repeat(32)}`],
      `${admin.address} is not the consortium admin (the admin is ${plan.basis.admin}); nothing was sent.`,
      ["Use the admin's key (TRACE_PRIVATE_KEY or --key-file)."],
    );
  }
  const newIds = new Map<string, number>();
  const applied: AppliedChange[] = [];
  const orgIdOf = (c: { creditCode: string; orgId?: number }): number => {
    const id = c.orgId ?? newIds.get(c.creditCode);
    if (id === undefined) throw new Error(`no organization id for credit code ${c.creditCode}`);
    return id;
  };
  for (const change of plan.changes) {
    let orgId: number | undefined;
    let tx: SentTransaction | GovernedResult;
    try {
      switch (change.kind) {
        case "addOrganization": {
          const added = await admin.addOrganization(change);
          orgId = added.orgId;
          newIds.set(change.creditCode, orgId);
          tx = added.transaction;
          break;
        }
        case "setRoles":
          tx = await admin.setOrganizationRoles((orgId = change.orgId), change.to);
          break;
        case "reactivateOrganization":
          tx = await admin.reactivateOrganization((orgId = change.orgId));
          break;
        case "addAccount":
          tx = await admin.addAccount((orgId = orgIdOf(change)), getAddress(change.account) as Address);
          break;
        case "suspendOrganization":
          tx = await admin.suspendOrganization((orgId = orgIdOf(change)));
          break;
        case "licensePrefix":
          tx = await admin.licensePrefix(change.prefix, (orgId = orgIdOf(change)));
          break;
        case "setPermissions":
          tx = await admin.setPermissions(Object.fromEntries(change.steps.map((s) => [s.step, s.to])));
          break;
      }
    } catch (error) {
      const hints = (error as { hints?: unknown }).hints;
      if (Array.isArray(hints)) {
        hints.push(
          `${applied.length} of ${plan.changes.length} changes were applied before "${change.description}" ` +
            `failed; once fixed, apply again: the new plan holds only what is left.`,
        );
      }
      throw error;
    }
    const result: GovernedResult = "status" in tx ? tx : { status: "executed", transaction: tx };
    const sent = "transaction" in result ? result.transaction : undefined;
    const done: AppliedChange = {
      change,
      ...(orgId !== undefined ? { orgId } : {}),
      status: result.status,
      ...(result.opId ? { opId: result.opId } : {}),
      ...("readyAt" in result ? { readyAt: result.readyAt } : {}),
      ...(sent ? { transaction: { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed } } : {}),
    };
    applied.push(done);
    options.onApplied?.(done, applied.length - 1, plan.changes.length);
  }
  return {
    applied,
    gasUsed: applied.reduce((s, a) => s + (a.transaction?.gasUsed ?? 0n), 0n),
    pending: applied.filter((a) => a.status !== "executed"),
  };
}
