// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IConsortium
/// @notice Organizations, their accounts and roles, the role × step permission matrix, and the emergency
/// pause of the cbec-trace ledger. Administered by the consortium admin (服务提供方), whose role is handed
/// over only in two delayed steps (`IDelayedAdmin`).
interface IConsortium {
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

    /// @notice Raises the caller's signature nonce, so that every batch it signed with a lower nonce (queued,
    /// leaked or signed ahead) can never be relayed; it signs again from `newNonce`.
    /// @dev Requirements: the caller is an account (of any status: suspended, retired and accounts of a
    /// suspended organization may too); `newNonce` above its nonce (2^64 − 1 closes signing for good).
    /// Emits `NoncesInvalidated`. Nonces are epoch (high 32 bits) | counter (low 32 bits): suspending the
    /// account or its organization moves it to the next epoch by itself; `(nonce | 0xffffffff) + 1` does so
    /// here.
    /// @param newNonce The new nonce.
    function invalidateNonces(uint64 newNonce) external;

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

    /// @notice Adds an organization with its identity and roles.
    /// @dev Requirements: caller is the admin; `name` 1..`Limits.MAX_NAME_BYTES` bytes (UTF-8); `gln` ≤ 13
    /// digits; `country` two upper-case ASCII letters; `roles` a non-empty mask of defined roles. Emits
    /// `OrganizationAdded`.
    /// Example: `addOrganization("Shenzhen Demo Export Co.", "91440300MA5XXXXXX1", 6901234000004, "CN", 1)`.
    /// @param name Legal name.
    /// @param creditCode Unified social credit code (18 characters).
    /// @param gln GS1 GLN (13 digits) or 0.
    /// @param country ISO 3166-1 alpha-2 code.
    /// @param roles Role mask.
    /// @return orgId The new organization's id.
    function addOrganization(
        string calldata name,
        bytes18 creditCode,
        uint64 gln,
        bytes2 country,
        uint16 roles
    ) external returns (uint32 orgId);

    /// @notice Replaces an organization's role mask; its accounts' rights change at once.
    /// @dev Requirements: caller is the admin; the organization exists; `roles` valid; when the mask adds a
    /// role to an organization that has accounts, the call was scheduled (`schedule`) and is ready
    /// (removing roles only removes power and is immediate). Emits `OrganizationRolesChanged`. Costs gas
    /// linear in the organization's account count.
    /// @param orgId The organization.
    /// @param roles The new role mask.
    function setOrganizationRoles(uint32 orgId, uint16 roles) external;

    /// @notice Suspends an organization: none of its accounts may write until reactivated.
    /// @dev Requirements: caller is the admin; the organization exists and is active. Emits
    /// `OrganizationSuspended`. Its history stays as recorded.
    /// @param orgId The organization.
    function suspendOrganization(uint32 orgId) external;

    /// @notice Reactivates a suspended organization.
    /// @dev Requirements: caller is the admin; the organization is suspended. Emits `OrganizationReactivated`.
    /// @param orgId The organization.
    function reactivateOrganization(uint32 orgId) external;

    /// @notice Adds an account (signing key) to an organization, as one of its admin accounts.
    /// @dev Requirements: caller is the admin; the organization exists; `account` non-zero and never used
    /// before; unless this is the organization's first account (onboarding), the call was scheduled
    /// (`schedule`) and is ready: the consortium admin cannot add a key to an organization without
    /// a public delay. Emits `AccountAdded` (and `OperationExecuted` when delayed).
    /// @param orgId The organization.
    /// @param account The new account.
    function addAccount(uint32 orgId, address account) external;

    /// @notice Suspends an account; it can be reactivated.
    /// @dev Requirements: caller is the admin; the account exists and is active. Emits `AccountSuspended`.
    /// @param account The account.
    function suspendAccount(address account) external;

    /// @notice Reactivates a suspended account.
    /// @dev Requirements: caller is the admin; the account is suspended. Emits `AccountReactivated`.
    /// @param account The account.
    function reactivateAccount(address account) external;

    /// @notice Rotates a key: retires `from` for good and adds `to` to the same organization.
    /// @dev Requirements: caller is the admin; the call was scheduled (`schedule`) and is ready;
    /// `from` exists and is not retired; `to` non-zero and unused. `to` is an admin account if `from` was.
    /// Emits `AccountRotated` and `OperationExecuted`. Events recorded by `from` keep their attribution.
    /// @param from The account to retire.
    /// @param to The replacement account.
    function rotateAccount(address from, address to) external;

    /// @notice Sets which roles may record each given step.
    /// @dev Requirements: caller is the admin; once an organization exists, the call was scheduled
    /// (`schedule`) and is ready (before that, genesis configuration applies at once); lengths
    /// equal; each step in 1..Steps.MAX; each mask only defined roles (0 forbids the step to everyone).
    /// Emits `PermissionChanged` per step (and `OperationExecuted` when delayed).
    /// @param steps Step codes.
    /// @param roles Role masks, one per step.
    function setPermissions(uint8[] calldata steps, uint16[] calldata roles) external;

    /// @notice Stops every ledger write (registration, events, packing, custody). Admin functions still work.
    /// @dev Requirements: caller is the admin; not paused. Emits `Paused`.
    function pause() external;

    /// @notice Resumes ledger writes.
    /// @dev Requirements: caller is the admin; paused. Emits `Unpaused`.
    function unpause() external;

    /// @notice Reads an organization.
    /// @param orgId The organization.
    /// @return roles Its role mask.
    /// @return suspended Whether it is suspended.
    /// @return accountCount How many accounts it has had (including suspended and retired ones).
    function organization(uint32 orgId) external view returns (uint16 roles, bool suspended, uint256 accountCount);

    /// @notice The block in which an organization was added: its `OrganizationAdded` log (name, credit code,
    /// GLN, country) is found with a query of that one block, without scanning the chain.
    /// @param orgId The organization.
    /// @return blockNumber The block number.
    function organizationAddedBlock(uint32 orgId) external view returns (uint64 blockNumber);

    /// @notice The number of organizations (ids run from 1 to this value).
    /// @return count The number of organizations.
    function organizationCount() external view returns (uint32 count);

    /// @notice Lists the accounts an organization has had, in the order they were added.
    /// @param orgId The organization.
    /// @return accounts The account addresses.
    function organizationAccounts(uint32 orgId) external view returns (address[] memory accounts);

    /// @notice Reads an account.
    /// @param account The address.
    /// @return orgId Its organization (0 if the address is not an account).
    /// @return roles The roles it may act with now (0 while it or its organization is suspended).
    /// @return status Active, suspended or retired.
    /// @return nonce Its next EIP-712 signature nonce.
    function accountInfo(
        address account
    ) external view returns (uint32 orgId, uint16 roles, AccountStatus status, uint64 nonce);

    /// @notice The roles allowed to record a step.
    /// @param step The step code.
    /// @return roles The role mask.
    function allowedRoles(uint8 step) external view returns (uint16 roles);

    /// @notice Whether ledger writes are paused.
    /// @return isPaused True while paused.
    function paused() external view returns (bool isPaused);

    // --- Governance (issue 11 item 7) ---

    /// @notice Schedules a delayed consortium-admin call (`addAccount` to an organization that has accounts,
    /// `rotateAccount`, `setPermissions` once organizations exist, `setOrganizationRoles` adding a role): the
    /// same call, with exactly this call data, succeeds from `readyAt`, once.
    /// @dev Requirements: caller is the admin; `data` calls a delayed function; not already scheduled.
    /// The delay is `defaultAdminDelay()` at scheduling time (the admin-transfer delay, itself changed only
    /// with a delay). Emits `OperationScheduled`. Arguments are checked when the call runs.
    /// Example: `schedule(abi.encodeCall(IConsortium.rotateAccount, (oldKey, newKey)))`, wait, then
    /// `rotateAccount(oldKey, newKey)`.
    /// @param data The call data of the delayed call.
    /// @return opId `keccak256(data)`.
    /// @return readyAt When the call may be sent.
    function schedule(bytes calldata data) external returns (bytes32 opId, uint48 readyAt);

    /// @notice Cancels a scheduled operation.
    /// @dev Requirements: caller is the admin; the operation is scheduled (else
    /// `ConsortiumOperationNotReady(opId, 0)`). Emits `OperationCancelled`.
    /// @param opId The operation.
    function cancelDelayedCall(bytes32 opId) external;

    /// @notice When a scheduled operation may run.
    /// @param opId The operation (`keccak256` of its call data).
    /// @return readyAt Unix time, or 0 when not scheduled (never, ran or cancelled).
    function scheduleOf(bytes32 opId) external view returns (uint48 readyAt);

    /// @notice Adds an account to the caller's organization, at once.
    /// @dev Requirements: the caller is an active admin account of an active organization; `account`
    /// non-zero and never used before. Emits `AccountAdded` with `by` = the caller.
    /// @param account The new account.
    /// @param orgAdmin Whether it may manage the organization's accounts too.
    function addAccountAsOrg(address account, bool orgAdmin) external;

    /// @notice Rotates a key of the caller's organization, at once: retires `from`, adds `to`.
    /// @dev Requirements: the caller is an active admin account of an active organization; `from` is an
    /// account of that organization and not retired; `to` non-zero and unused. `to` is an admin account if
    /// `from` was. Emits `AccountRotated` with `by` = the caller.
    /// @param from The account to retire (the caller's own key included).
    /// @param to The replacement account.
    function rotateAccountAsOrg(address from, address to) external;

    /// @notice Whether an account manages its organization's accounts (when active).
    /// @param account The account.
    /// @return isAdmin True for an organization admin account.
    function isOrgAdmin(address account) external view returns (bool isAdmin);
}
