/**
 * The consortium admin's operations, one transaction each, sent exactly once through a
 * `TransactionSender` as the admin key: organizations, accounts, the permission matrix, the pause switch
 * and the two-step, delayed admin transfer. Refusals come back as named errors whose message says what
 * to do (the contract's admin errors are explained here, the rest by `explainContractError`).
 */
import type { ContractTransaction } from "ethers";
import { decodeEventLog, getAddress, keccak256, type Address, type Hex } from "viem";
import { TraceLedger__factory, type TraceLedger } from "../../typechain-types";
import { traceLedgerAbi } from "../generated/abi";
import { STEPS, roleMask, rolesOf, type RoleName, type StepName } from "../codes";
import {
  ContractRefusalError,
  AdminOnlyError,
  InvalidRequestError,
  explainContractError,
  decodeLedgerError,
  revertDataOf,
} from "../errors/contract";
import { TransactionSender, type SentTransaction } from "../write/sender";
import { latestBlockTime } from "../write/chainTime";
import type { TraceWriter } from "../write/writer";
import {
  encodeCountry,
  encodeCreditCode,
  glnToUint,
  sortRoles,
  type OrganizationEntry,
  type PermissionsEntry,
} from "./consortiumFile";
import { ACCOUNT_STATUSES, type AccountStatusName, type PendingAdmin } from "./read";
import { prefixProblem, ConsortiumFileError } from "./consortiumFile";

/** Refuses a malformed prefix before anything is sent. */
export function checkPrefix(prefix: string, source = "prefix"): void {
  const problem = prefixProblem(prefix);
  if (problem) throw new ConsortiumFileError(source, [{ path: "", message: `"${prefix}" ${problem}` }]);
}

/** An organization to add. */
export type NewOrganization = Pick<OrganizationEntry, "name" | "creditCode" | "gln" | "country" | "roles">;

/** An account as `accountInfo` reports it. */
export interface AccountInfo {
  address: Address;
  /** Its organization (0 when the address is not an account). */
  orgId: number;
  /** The roles it may act with now (none while it or its organization is suspended). */
  roles: RoleName[];
  status: AccountStatusName | "none";
}

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * The outcome of a consortium-admin call that may be delayed (issue 11 item 7): `executed` — it took
 * effect now (onboarding, genesis, removing roles, or a scheduled call that was ready); `scheduled` — it
 * was announced now and takes effect when the same call is made again from `readyAt`; `waiting` — it was
 * announced earlier and is not ready yet (nothing was sent).
 */
export type GovernedResult =
  | { status: "executed"; transaction: SentTransaction; opId?: Hex }
  | { status: "scheduled"; transaction: SentTransaction; opId: Hex; readyAt: number }
  | { status: "waiting"; opId: Hex; readyAt: number };

const when = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

type Explain = [typeof ContractRefusalError, (a: readonly unknown[]) => string, string[]];

/** Messages for the refusals an admin meets (the ledger's user-facing ones are in errors/contract.ts). */
const ADMIN_ERRORS: Record<string, Explain> = {
  ConsortiumAccountExists: [
    InvalidRequestError,
    (a) =>
      Number(a[1]) === 0
        ? `${a[0]} was already used as an account.`
        : `${a[0]} is already an account of organization ${a[1]}.`,
    ["An address joins one organization, once; give the member a new key (rotate-account replaces a key)."],
  ],
  ConsortiumAccountNotSuspended: [
    InvalidRequestError,
    (a) => `Account ${a[0]} is not suspended: nothing to reactivate.`,
    ["`trace consortium show` lists accounts with their status."],
  ],
  ConsortiumAccountSuspended: [InvalidRequestError, (a) => `Account ${a[0]} is already suspended.`, []],
  ConsortiumAccountRetired: [
    InvalidRequestError,
    (a) => `Account ${a[0]} was retired by a key rotation; it can never be used again.`,
    ["Use the organization's current key."],
  ],
  ConsortiumUnknownAccount: [
    InvalidRequestError,
    (a) => `${a[0]} is not an account of any organization.`,
    ["Add it with `trace consortium add-account <orgId> <address>`."],
  ],
  ConsortiumOrganizationSuspended: [InvalidRequestError, (a) => `Organization ${a[0]} is already suspended.`, []],
  ConsortiumOrganizationNotSuspended: [
    InvalidRequestError,
    (a) => `Organization ${a[0]} is not suspended: nothing to reactivate.`,
    [],
  ],
  ConsortiumUnknownOrganization: [
    InvalidRequestError,
    (a) => `Organization ${a[0]} does not exist.`,
    ["List organizations with `trace consortium show`."],
  ],
  ConsortiumNotPaused: [InvalidRequestError, () => "The ledger is not paused: nothing to unpause.", []],
  ConsortiumPaused: [InvalidRequestError, () => "The ledger is already paused.", []],
  ConsortiumInvalidRoles: [
    InvalidRequestError,
    (a) => `Role mask ${a[0]} is empty or has undefined roles.`,
    ["Give at least one defined role."],
  ],
  ConsortiumInvalidStep: [InvalidRequestError, (a) => `Step code ${a[0]} is not defined.`, []],
  ConsortiumZeroAddress: [InvalidRequestError, () => "The zero address cannot be an account.", []],
  ConsortiumEmptyName: [InvalidRequestError, () => "The organization needs a name.", []],
  ConsortiumNameTooLong: [
    InvalidRequestError,
    (a) => `The organization name has ${a[0]} bytes; at most ${a[1]} (UTF-8) are accepted.`,
    ["Use the legal name without additions; Chinese characters take 3 bytes each."],
  ],
  ConsortiumInvalidGln: [InvalidRequestError, (a) => `GLN ${a[0]} has more than 13 digits.`, []],
  ConsortiumInvalidCountry: [InvalidRequestError, (a) => `Country ${a[0]} is not two upper-case letters.`, []],
  ConsortiumOrganizationLimitReached: [InvalidRequestError, () => "No organization ids are left.", []],
  ConsortiumLengthMismatch: [InvalidRequestError, (a) => `${a[0]} steps but ${a[1]} role masks.`, []],
  AccessControlUnauthorizedAccount: [
    AdminOnlyError,
    (a) => `${a[0]} is not the consortium admin.`,
    ["Use the admin's key (TRACE_PRIVATE_KEY or --key-file); `trace consortium show` names the admin."],
  ],
  AccessControlEnforcedDefaultAdminDelay: [
    AdminOnlyError,
    (a) =>
      Number(a[0]) === 0
        ? "No admin transfer is pending."
        : `The admin transfer can be accepted only after ${when(a[0])}.`,
    ["`trace consortium show` shows the pending admin and when it can accept."],
  ],
  AccessControlInvalidDefaultAdmin: [
    AdminOnlyError,
    (a) =>
      a[0] === ZERO
        ? "The zero address cannot become admin."
        : `${a[0]} is not the pending admin, so it cannot accept.`,
    ["Accept with the key of the address given to `trace consortium transfer-admin`."],
  ],
};

/** Re-explains an admin refusal; anything else is returned as `explainContractError` made it. */
export function explainAdminError(error: unknown): unknown {
  const e = explainContractError(error);
  if (!(e instanceof ContractRefusalError)) return e;
  const entry = ADMIN_ERRORS[e.errorName];
  if (!entry) return e;
  const [Cls, message, hints] = entry;
  const explained = new Cls(e.errorName, e.args, message(e.args), hints, e.data);
  (explained as { cause?: unknown }).cause = (e as { cause?: unknown }).cause ?? error;
  return explained;
}

/**
 * Governance calls sent exactly once through a `TransactionSender`, refusals explained: the base of the
 * consortium admin's operations and of an organization's own account management.
 */
export abstract class GovernanceCalls {
  readonly ledger: Address;
  /** The ledger through its typechain binding: calls are built and read with the generated ABI. */
  readonly contract: TraceLedger;

  constructor(
    readonly sender: TransactionSender,
    ledger: string,
  ) {
    this.ledger = getAddress(ledger);
    this.contract = TraceLedger__factory.connect(this.ledger, sender.provider);
  }

  /** Sends one built call; a refusal comes back as the admin error that explains it. */
  protected async send(build: Promise<ContractTransaction>): Promise<SentTransaction> {
    try {
      return await this.sender.send(await build);
    } catch (error) {
      throw explainAdminError(error);
    }
  }
}

/** The consortium admin's (or, for `acceptAdminTransfer`, the pending admin's) operations. */
export class ConsortiumAdmin extends GovernanceCalls {
  /** An admin over a writer's signer and ledger (the writer's key acts). */
  static fromWriter(writer: TraceWriter): ConsortiumAdmin {
    return new ConsortiumAdmin(writer.sender, writer.ledger.target as string);
  }

  /** The acting address. */
  get address(): Address {
    return getAddress(this.sender.address);
  }

  /** Adds an organization; returns its id. Its accounts are added with `addAccount`. */
  async addOrganization(org: NewOrganization): Promise<{ orgId: number; transaction: SentTransaction }> {
    const transaction = await this.send(
      this.contract.addOrganization.populateTransaction(
        org.name,
        encodeCreditCode(org.creditCode),
        glnToUint(org.gln),
        encodeCountry(org.country),
        roleMask(...org.roles),
      ),
    );
    const ledger = this.ledger.toLowerCase();
    for (const log of transaction.receipt.logs) {
      if (log.address.toLowerCase() !== ledger) continue;
      try {
        const decoded = decodeEventLog({
          abi: traceLedgerAbi,
          eventName: "OrganizationAdded",
          data: log.data as Hex,
          topics: log.topics as [Hex, ...Hex[]],
        });
        return { orgId: Number((decoded.args as { orgId: number }).orgId), transaction };
      } catch {
        // another event of the same transaction
      }
    }
    throw new Error(`transaction ${transaction.hash} added an organization but emitted no OrganizationAdded log`);
  }

  /** Replaces an organization's roles. */
  /** Replaces an organization's roles; adding a role to an organization with accounts is delayed. */
  setOrganizationRoles(orgId: number, roles: RoleName[]): Promise<GovernedResult> {
    return this.governed(this.contract.setOrganizationRoles.populateTransaction(orgId, roleMask(...roles)));
  }

  suspendOrganization(orgId: number): Promise<SentTransaction> {
    return this.send(this.contract.suspendOrganization.populateTransaction(orgId));
  }

  reactivateOrganization(orgId: number): Promise<SentTransaction> {
    return this.send(this.contract.reactivateOrganization.populateTransaction(orgId));
  }

  /** Adds an admin account: at once for an organization's first key, else after the governance delay. */
  addAccount(orgId: number, account: Address): Promise<GovernedResult> {
    return this.governed(this.contract.addAccount.populateTransaction(orgId, account));
  }

  /** Retires `from` for good and adds `to` to the same organization, after the governance delay. */
  rotateAccount(from: Address, to: Address): Promise<GovernedResult> {
    return this.governed(this.contract.rotateAccount.populateTransaction(from, to));
  }

  suspendAccount(account: Address): Promise<SentTransaction> {
    return this.send(this.contract.suspendAccount.populateTransaction(account));
  }

  reactivateAccount(account: Address): Promise<SentTransaction> {
    return this.send(this.contract.reactivateAccount.populateTransaction(account));
  }

  /** Sets the allowed roles of the given steps (others keep theirs); an empty list forbids a step. */
  setPermissions(permissions: PermissionsEntry): Promise<GovernedResult> {
    const steps = Object.keys(permissions) as StepName[];
    return this.governed(
      this.contract.setPermissions.populateTransaction(
        steps.map((s) => STEPS[s]),
        steps.map((s) => roleMask(...sortRoles(permissions[s]!))),
      ),
    );
  }

  /**
   * Licenses a GS1 Company Prefix to an organization: after the public delay (the first call schedules it,
   * a call from `readyAt` makes it). The prefix is checked (4 to 12 digits) before anything is sent.
   */
  licensePrefix(prefix: string, orgId: number): Promise<GovernedResult> {
    checkPrefix(prefix);
    return this.governed(this.contract.licensePrefix.populateTransaction(prefix, orgId));
  }

  /** Ends a prefix's licence and every authorization under it, at once (codes registered under it stay). */
  revokePrefix(prefix: string): Promise<SentTransaction> {
    checkPrefix(prefix);
    return this.send(this.contract.revokePrefix.populateTransaction(prefix));
  }

  pause(): Promise<SentTransaction> {
    return this.send(this.contract.pause.populateTransaction());
  }

  unpause(): Promise<SentTransaction> {
    return this.send(this.contract.unpause.populateTransaction());
  }

  /**
   * Starts the two-step admin transfer to `newAdmin` (replacing any pending one). The new admin accepts
   * with `acceptAdminTransfer` once the chain's time is past `pending.acceptableAfter`.
   */
  async beginAdminTransfer(newAdmin: Address): Promise<{ transaction: SentTransaction; pending: PendingAdmin }> {
    const transaction = await this.send(this.contract.beginDefaultAdminTransfer.populateTransaction(newAdmin));
    const pending = await this.pendingAdmin(transaction.blockNumber);
    return { transaction, pending: pending ?? { address: getAddress(newAdmin), acceptableAfter: 0 } };
  }

  /** Completes the transfer; must be sent by the pending admin after the delay. */
  acceptAdminTransfer(): Promise<SentTransaction> {
    return this.send(this.contract.acceptDefaultAdminTransfer.populateTransaction());
  }

  /** Cancels a pending transfer (current admin). */
  cancelAdminTransfer(): Promise<SentTransaction> {
    return this.send(this.contract.cancelDefaultAdminTransfer.populateTransaction());
  }

  /** Announces a delayed call (its full call data); it can be made from the returned `readyAt`. */
  async scheduleOperation(data: Hex): Promise<{ opId: Hex; readyAt: number; transaction: SentTransaction }> {
    const opId = keccak256(data);
    const transaction = await this.send(this.contract.schedule.populateTransaction(data));
    return { opId, readyAt: await this.operationReadyAt(opId, transaction.blockNumber), transaction };
  }

  /** Cancels a scheduled operation. */
  cancelOperation(opId: Hex): Promise<SentTransaction> {
    return this.send(this.contract.cancelDelayedCall.populateTransaction(opId));
  }

  /** When a scheduled operation can run (Unix seconds), or 0 when it is not scheduled. */
  async operationReadyAt(opId: Hex, blockTag?: number): Promise<number> {
    return Number(await this.view(() => this.contract.scheduleOf(opId, blockTag ? { blockTag } : {})));
  }

  /**
   * Sends a call that the ledger may delay: a ready scheduled call is sent; one that is scheduled but not
   * ready is left (`waiting`); otherwise the call is tried (`eth_call`) and sent when it applies at once,
   * or scheduled when the ledger answers that it needs the delay.
   */
  private async governed(build: Promise<ContractTransaction>): Promise<GovernedResult> {
    const tx = await build;
    const opId = keccak256(tx.data as Hex);
    const readyAt = await this.operationReadyAt(opId);
    if (readyAt !== 0) {
      if ((await latestBlockTime(this.sender.provider)) < readyAt) return { status: "waiting", opId, readyAt };
      return { status: "executed", transaction: await this.send(Promise.resolve(tx)), opId };
    }
    try {
      await this.sender.provider.call({ ...tx, from: this.address });
    } catch (error) {
      if (decodeLedgerError(revertDataOf(error))?.errorName !== "ConsortiumOperationNotReady") {
        throw explainAdminError(error);
      }
      return { status: "scheduled", ...(await this.scheduleOperation(tx.data as Hex)) };
    }
    return { status: "executed", transaction: await this.send(Promise.resolve(tx)) };
  }

  /** The current admin. */
  async admin(): Promise<Address> {
    return getAddress(await this.view(() => this.contract.defaultAdmin()));
  }

  /** The pending admin transfer, if any. */
  async pendingAdmin(blockTag?: number): Promise<PendingAdmin | undefined> {
    const [address, schedule] = await this.view(() => this.contract.pendingDefaultAdmin(blockTag ? { blockTag } : {}));
    return address === ZERO ? undefined : { address: getAddress(address), acceptableAfter: Number(schedule) };
  }

  /** An address's account record. */
  async accountInfo(address: Address): Promise<AccountInfo> {
    const [orgId, roles, status] = await this.view(() => this.contract.accountInfo(address));
    return {
      address: getAddress(address),
      orgId: Number(orgId),
      roles: rolesOf(Number(roles)),
      status: Number(orgId) === 0 ? "none" : (ACCOUNT_STATUSES[Number(status)] ?? "retired"),
    };
  }

  /** The number of organizations. */
  async organizationCount(): Promise<number> {
    return Number(await this.view(() => this.contract.organizationCount()));
  }

  /** A read of the ledger, with its refusal explained. */
  private async view<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw explainAdminError(error);
    }
  }

  /** Sends one built call, with its refusal explained. */
}
