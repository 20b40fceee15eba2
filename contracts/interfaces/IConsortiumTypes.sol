// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IConsortiumTypes
/// @notice The account status, events and custom errors of `IConsortium`, apart from its functions, so that
/// the ledger's module (which serves some of those functions) raises and logs exactly the same ones.
interface IConsortiumTypes {
    /// @notice Status of an account.
    enum AccountStatus {
        Active,
        Suspended,
        Retired
    }

    /// @notice Emitted when an organization joins the consortium. Identity details live in this log only.
    /// @param orgId The new organization's id (sequential from 1).
    /// @param name Legal name.
    /// @param creditCode Unified social credit code (统一社会信用代码, 18 characters, GB 32100).
    /// @param gln GS1 Global Location Number of the organization (13 digits), or 0.
    /// @param country ISO 3166-1 alpha-2 country code.
    /// @param roles Role mask granted (bit i = role i of `Roles`).
    event OrganizationAdded(
        uint32 indexed orgId,
        string name,
        bytes18 creditCode,
        uint64 gln,
        bytes2 country,
        uint16 roles
    );
    /// @notice Emitted when an organization's role mask changes.
    /// @param orgId The organization.
    /// @param roles The new role mask.
    event OrganizationRolesChanged(uint32 indexed orgId, uint16 roles);
    /// @notice Emitted when an organization is suspended: none of its accounts may write.
    /// @param orgId The organization.
    event OrganizationSuspended(uint32 indexed orgId);
    /// @notice Emitted when a suspended organization is reactivated.
    /// @param orgId The organization.
    event OrganizationReactivated(uint32 indexed orgId);
    /// @notice Emitted when an account is added to an organization.
    /// @param account The account address.
    /// @param orgId The organization it belongs to.
    /// @param by Who added it: the organization's own admin account, or the consortium admin (at onboarding,
    /// or later only after the delay, in a transaction that also emits `OperationExecuted`).
    /// @param orgAdmin Whether the new account manages the organization's accounts.
    event AccountAdded(address indexed account, uint32 indexed orgId, address by, bool orgAdmin);
    /// @notice Emitted when an account is suspended.
    /// @param account The account.
    event AccountSuspended(address indexed account);
    /// @notice Emitted when a suspended account is reactivated.
    /// @param account The account.
    event AccountReactivated(address indexed account);
    /// @notice Emitted when an account's key is rotated: `from` is retired for good, `to` replaces it.
    /// @param from The retired account.
    /// @param to The new account.
    /// @param orgId Their organization.
    /// @param by Who rotated it: the organization's admin account, or the consortium admin after the delay.
    event AccountRotated(address indexed from, address indexed to, uint32 indexed orgId, address by);
    /// @notice Emitted when the roles allowed to record a step change.
    /// @param step The step code (`Steps`).
    /// @param roles The role mask now allowed.
    event PermissionChanged(uint8 indexed step, uint16 roles);
    /// @notice Emitted when the admin pauses all ledger writes.
    /// @param admin The account that paused.
    event Paused(address admin);
    /// @notice Emitted when the admin resumes ledger writes.
    /// @param admin The account that unpaused.
    event Unpaused(address admin);

    /// @notice Thrown when an organization id does not exist.
    /// @param orgId The id given.
    error ConsortiumUnknownOrganization(uint32 orgId);
    /// @notice Thrown when a role mask is empty or has bits beyond the defined roles.
    /// @param roles The mask given.
    error ConsortiumInvalidRoles(uint16 roles);
    /// @notice Thrown when an organization is added without a name.
    error ConsortiumEmptyName();
    /// @notice Thrown when an organization name is longer than `Limits.MAX_NAME_BYTES` bytes (UTF-8).
    /// @param length The name's length in bytes.
    /// @param maxLength The longest name accepted.
    error ConsortiumNameTooLong(uint256 length, uint256 maxLength);
    /// @notice Thrown when a GLN is longer than 13 digits.
    /// @param gln The GLN given.
    error ConsortiumInvalidGln(uint64 gln);
    /// @notice Thrown when a country code is not two upper-case letters.
    /// @param country The code given.
    error ConsortiumInvalidCountry(bytes2 country);
    /// @notice Thrown when the 16,777,215 organization ids are used up.
    error ConsortiumOrganizationLimitReached();
    /// @notice Thrown when an address is already an account (of any organization, or retired).
    /// @param account The address.
    /// @param orgId The organization it already belongs to.
    error ConsortiumAccountExists(address account, uint32 orgId);
    /// @notice Thrown when an address is not an account of any organization.
    /// @param account The address.
    error ConsortiumUnknownAccount(address account);
    /// @notice Thrown when the acting account is suspended.
    /// @param account The account.
    error ConsortiumAccountSuspended(address account);
    /// @notice Thrown when the account was retired by a key rotation; it can never act again.
    /// @param account The account.
    error ConsortiumAccountRetired(address account);
    /// @notice Thrown when reactivating an account that is not suspended.
    /// @param account The account.
    error ConsortiumAccountNotSuspended(address account);
    /// @notice Thrown when the acting account's organization is suspended, or the organization is
    /// suspended again.
    /// @param orgId The organization.
    error ConsortiumOrganizationSuspended(uint32 orgId);
    /// @notice Thrown when reactivating an organization that is not suspended.
    /// @param orgId The organization.
    error ConsortiumOrganizationNotSuspended(uint32 orgId);
    /// @notice Thrown when the zero address is given as an account.
    error ConsortiumZeroAddress();
    /// @notice Thrown when a step code is outside 1..Steps.MAX.
    /// @param step The code given.
    error ConsortiumInvalidStep(uint8 step);
    /// @notice Thrown when none of the account's roles may record the step.
    /// @param account The acting account.
    /// @param orgId Its organization.
    /// @param step The step it tried to record.
    /// @param roles The account organization's roles.
    error ConsortiumStepNotAllowed(address account, uint32 orgId, uint8 step, uint16 roles);
    /// @notice Thrown when writing while the ledger is paused.
    error ConsortiumPaused();
    /// @notice Thrown when unpausing a ledger that is not paused.
    error ConsortiumNotPaused();
    /// @notice Thrown when two parallel arrays differ in length.
    /// @param a Length of the first array.
    /// @param b Length of the second array.
    error ConsortiumLengthMismatch(uint256 a, uint256 b);

    // --- Signed batches, trust model v2 (issue 11 item 8): nonce epochs and cancelling nonces ---

    /// @notice Emitted when an account invalidates its outstanding signed batches by raising its nonce.
    /// @param account The account.
    /// @param newNonce Its nonce now: batches signed with a lower nonce can never be relayed.
    event NoncesInvalidated(address indexed account, uint64 newNonce);
    /// @notice Thrown when `invalidateNonces` would not raise the account's nonce.
    /// @param account The account.
    /// @param current Its current nonce.
    /// @param requested The nonce asked for.
    error ConsortiumNonceNotIncreased(address account, uint64 current, uint64 requested);

    // --- Governance (issue 11 item 7): delayed consortium-admin operations, organization-run accounts ---

    /// @notice Emitted when the consortium admin schedules a delayed operation.
    /// @param opId `keccak256(data)`, the operation's id.
    /// @param readyAt Unix time from which the same call (exactly `data`) may be sent.
    /// @param data The full call data of the delayed call (decode it with this ABI).
    event OperationScheduled(bytes32 indexed opId, uint48 readyAt, bytes data);
    /// @notice Emitted when a scheduled operation is cancelled before it ran.
    /// @param opId The operation.
    event OperationCancelled(bytes32 indexed opId);
    /// @notice Emitted when a scheduled operation runs, in the same transaction as its effect's events.
    /// @param opId The operation.
    event OperationExecuted(bytes32 indexed opId);

    /// @notice Thrown when a delayed call is sent but was not scheduled (`readyAt` 0; also after it ran or
    /// was cancelled) or its delay has not passed, or when cancelling an operation that is not scheduled.
    /// @param opId `keccak256` of the call data.
    /// @param readyAt When it becomes ready, or 0 when not scheduled.
    error ConsortiumOperationNotReady(bytes32 opId, uint48 readyAt);
    /// @notice Thrown when scheduling an operation that is already scheduled.
    /// @param opId The operation.
    /// @param readyAt When it becomes ready.
    error ConsortiumOperationPending(bytes32 opId, uint48 readyAt);
    /// @notice Thrown when scheduling call data of a function that is not delayed.
    /// @param selector The call's function selector.
    error ConsortiumNotDelayed(bytes4 selector);
    /// @notice Thrown when an account that is not an admin account of the organization manages its accounts.
    /// @param account The caller.
    /// @param orgId The organization whose accounts it tried to manage.
    error ConsortiumNotOrganizationAdmin(address account, uint32 orgId);
}
