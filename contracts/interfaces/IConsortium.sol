// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsortiumTypes} from "./IConsortiumTypes.sol";

/// @title IConsortium
/// @notice Organizations, their accounts and roles, the role × step permission matrix, and the emergency
/// pause of the cbec-trace ledger. Administered by the consortium admin (服务提供方), whose role is handed
/// over only in two delayed steps (`IDelayedAdmin`).
interface IConsortium is IConsortiumTypes {
    /// @notice Raises the caller's signature nonce, so that every batch it signed with a lower nonce (queued,
    /// leaked or signed ahead) can never be relayed; it signs again from `newNonce`.
    /// @dev Requirements: the caller is an account (of any status: suspended, retired and accounts of a
    /// suspended organization may too); `newNonce` above its nonce (2^64 − 1 closes signing for good).
    /// Emits `NoncesInvalidated`. Nonces are epoch (high 32 bits) | counter (low 32 bits): suspending the
    /// account or its organization moves it to the next epoch by itself; `(nonce | 0xffffffff) + 1` does so
    /// here.
    /// @param newNonce The new nonce.
    function invalidateNonces(uint64 newNonce) external;

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
