/**
 * An organization's own account management (issue 11 item 7): its admin account adds and rotates the
 * organization's keys at once, without the consortium admin. Sent exactly once through a
 * `TransactionSender` as the organization admin's key; refusals come back explained.
 */
import type { Address } from "viem";
import type { SentTransaction } from "../write/sender";
import type { TraceWriter } from "../write/writer";
import { GovernanceCalls, explainAdminError } from "./admin";

/** The operations of an organization's admin account on its own organization's accounts. */
export class OrganizationAccounts extends GovernanceCalls {
  /** Over a writer's signer and ledger (the writer's key must be an admin account of its organization). */
  static fromWriter(writer: TraceWriter): OrganizationAccounts {
    return new OrganizationAccounts(writer.sender, writer.ledger.target as string);
  }

  /** Adds a key to the caller's organization; `admin: true` lets it manage the accounts too. */
  addAccount(account: Address, options: { admin?: boolean } = {}): Promise<SentTransaction> {
    return this.send(this.contract.addAccountAsOrg.populateTransaction(account, options.admin ?? false));
  }

  /** Retires `from` (an account of the caller's organization, the caller's own included) and adds `to`. */
  rotateAccount(from: Address, to: Address): Promise<SentTransaction> {
    return this.send(this.contract.rotateAccountAsOrg.populateTransaction(from, to));
  }

  /** Whether an account manages its organization's accounts. */
  async isAdmin(account: Address): Promise<boolean> {
    try {
      return await this.contract.isOrgAdmin(account);
    } catch (error) {
      throw explainAdminError(error);
    }
  }
}
