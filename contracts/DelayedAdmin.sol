// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDelayedAdmin} from "./interfaces/IDelayedAdmin.sol";

/// @title DelayedAdmin
/// @notice The consortium admin and the delay that binds it (see `IDelayedAdmin`).
/// @dev Written for this ledger instead of inheriting OpenZeppelin's `AccessControlDefaultAdminRules`: the
/// ledger has one role, and that contract's general role machinery cost ~2 KB of the 24,576-byte EIP-170
/// limit the v2 rules needed. Names, events and errors stay OpenZeppelin's.
abstract contract DelayedAdmin is IDelayedAdmin {
    /// @notice The one role: the consortium admin.
    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;

    address private _admin;
    uint48 private _delay;
    address private _pendingAdmin;
    uint48 private _pendingAdminSchedule;
    uint48 private _pendingDelay;
    uint48 private _pendingDelaySchedule;

    /// @dev Reverts unless the caller is the admin.
    modifier onlyAdmin() {
        if (msg.sender != _admin) revert AccessControlUnauthorizedAccount(msg.sender, DEFAULT_ADMIN_ROLE);
        _;
    }

    /// @param initialDelay The delay (seconds).
    /// @param initialAdmin The first admin.
    constructor(uint48 initialDelay, address initialAdmin) {
        if (initialAdmin == address(0)) revert AccessControlInvalidDefaultAdmin(address(0));
        _admin = initialAdmin;
        _delay = initialDelay;
        emit RoleGranted(DEFAULT_ADMIN_ROLE, initialAdmin, msg.sender);
    }

    /// @inheritdoc IDelayedAdmin
    function defaultAdmin() public view returns (address) {
        return _admin;
    }

    /// @inheritdoc IDelayedAdmin
    function pendingDefaultAdmin() external view returns (address newAdmin, uint48 schedule) {
        return (_pendingAdmin, _pendingAdminSchedule);
    }

    /// @inheritdoc IDelayedAdmin
    function defaultAdminDelay() public view returns (uint48) {
        uint48 at = _pendingDelaySchedule;
        return at != 0 && at <= block.timestamp ? _pendingDelay : _delay;
    }

    /// @inheritdoc IDelayedAdmin
    function pendingDefaultAdminDelay() external view returns (uint48 newDelay, uint48 schedule) {
        uint48 at = _pendingDelaySchedule;
        return at != 0 && at > block.timestamp ? (_pendingDelay, at) : (0, 0);
    }

    /// @inheritdoc IDelayedAdmin
    function hasRole(bytes32 role, address account) external view returns (bool) {
        return role == DEFAULT_ADMIN_ROLE && account == _admin;
    }

    /// @inheritdoc IDelayedAdmin
    function beginDefaultAdminTransfer(address newAdmin) external onlyAdmin {
        if (newAdmin == address(0)) revert AccessControlInvalidDefaultAdmin(address(0));
        uint48 schedule = uint48(block.timestamp) + defaultAdminDelay();
        _pendingAdmin = newAdmin;
        _pendingAdminSchedule = schedule;
        emit DefaultAdminTransferScheduled(newAdmin, schedule);
    }

    /// @inheritdoc IDelayedAdmin
    function cancelDefaultAdminTransfer() external onlyAdmin {
        delete _pendingAdmin;
        delete _pendingAdminSchedule;
        emit DefaultAdminTransferCanceled();
    }

    /// @inheritdoc IDelayedAdmin
    function acceptDefaultAdminTransfer() external {
        if (msg.sender != _pendingAdmin) revert AccessControlInvalidDefaultAdmin(msg.sender);
        uint48 schedule = _pendingAdminSchedule;
        if (block.timestamp <= schedule) revert AccessControlEnforcedDefaultAdminDelay(schedule);
        address previous = _admin;
        _admin = msg.sender;
        delete _pendingAdmin;
        delete _pendingAdminSchedule;
        emit RoleRevoked(DEFAULT_ADMIN_ROLE, previous, msg.sender);
        emit RoleGranted(DEFAULT_ADMIN_ROLE, msg.sender, msg.sender);
    }

    /// @inheritdoc IDelayedAdmin
    function changeDefaultAdminDelay(uint48 newDelay) external onlyAdmin {
        // Settle a change that already took effect, so the new one is measured from the delay in force.
        _delay = defaultAdminDelay();
        uint48 schedule = uint48(block.timestamp) + _delay;
        _pendingDelay = newDelay;
        _pendingDelaySchedule = schedule;
        emit DefaultAdminDelayChangeScheduled(newDelay, schedule);
    }
}
