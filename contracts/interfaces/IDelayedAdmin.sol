// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IDelayedAdmin
/// @notice The consortium admin: one address, handed over in two delayed steps (propose, wait, accept), with
/// the names, events and errors of OpenZeppelin's `AccessControlDefaultAdminRules` so that tools built for it
/// read it, but without its general role machinery (grant, revoke, renounce), which this ledger never uses.
interface IDelayedAdmin {
    /// @notice Emitted when the admin role moves (as OpenZeppelin's `AccessControl`).
    /// @param role Always `DEFAULT_ADMIN_ROLE` (0).
    /// @param account The new admin.
    /// @param sender Who completed the transfer.
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    /// @notice Emitted when the admin role leaves an account.
    /// @param role Always `DEFAULT_ADMIN_ROLE` (0).
    /// @param account The former admin.
    /// @param sender Who completed the transfer.
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    /// @notice Emitted when a new admin is proposed.
    /// @param newAdmin The proposed admin.
    /// @param acceptSchedule When it may accept.
    event DefaultAdminTransferScheduled(address indexed newAdmin, uint48 acceptSchedule);
    /// @notice Emitted when a pending proposal is withdrawn.
    event DefaultAdminTransferCanceled();
    /// @notice Emitted when a change of the delay is announced.
    /// @param newDelay The delay once the change takes effect.
    /// @param effectSchedule When it takes effect.
    event DefaultAdminDelayChangeScheduled(uint48 newDelay, uint48 effectSchedule);

    /// @notice Thrown when a caller other than the admin calls an admin function.
    /// @param account The caller.
    /// @param neededRole Always `DEFAULT_ADMIN_ROLE` (0).
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    /// @notice Thrown when an account other than the proposed admin accepts, or the admin would be address 0.
    /// @param admin The account.
    error AccessControlInvalidDefaultAdmin(address admin);
    /// @notice Thrown when the proposed admin accepts before its schedule.
    /// @param schedule When it may accept.
    error AccessControlEnforcedDefaultAdminDelay(uint48 schedule);

    /// @notice The current admin.
    /// @return The admin address.
    function defaultAdmin() external view returns (address);

    /// @notice The proposed admin and when it may accept (zeroes when none).
    /// @return newAdmin The proposed admin.
    /// @return schedule When it may accept.
    function pendingDefaultAdmin() external view returns (address newAdmin, uint48 schedule);

    /// @notice The delay, in seconds, of an admin transfer and of every delayed consortium change.
    /// @return The delay in effect now.
    function defaultAdminDelay() external view returns (uint48);

    /// @notice The announced delay change, if any.
    /// @return newDelay The delay it sets.
    /// @return schedule When it takes effect (0 when none is pending).
    function pendingDefaultAdminDelay() external view returns (uint48 newDelay, uint48 schedule);

    /// @notice Whether `account` holds `role` (only `DEFAULT_ADMIN_ROLE`, 0, exists).
    /// @param role The role.
    /// @param account The account.
    /// @return True for the admin and role 0.
    function hasRole(bytes32 role, address account) external view returns (bool);

    /// @notice Proposes a new admin; it may accept once the delay has passed. Replaces a pending proposal.
    /// @dev Requirements: caller is the admin; `newAdmin` not 0. Emits `DefaultAdminTransferScheduled`.
    /// @param newAdmin The proposed admin (e.g. a multisig).
    function beginDefaultAdminTransfer(address newAdmin) external;

    /// @notice Withdraws a pending proposal.
    /// @dev Requirements: caller is the admin. Emits `DefaultAdminTransferCanceled`.
    function cancelDefaultAdminTransfer() external;

    /// @notice Completes the transfer: the proposed admin becomes the admin.
    /// @dev Requirements: caller is the proposed admin; its schedule has passed. Emits `RoleRevoked` and
    /// `RoleGranted`.
    function acceptDefaultAdminTransfer() external;

    /// @notice Announces a new delay; it takes effect once the current delay has passed, so shortening it
    /// never speeds up what is already announced.
    /// @dev Requirements: caller is the admin. Emits `DefaultAdminDelayChangeScheduled`.
    /// @param newDelay The new delay in seconds.
    function changeDefaultAdminDelay(uint48 newDelay) external;
}
