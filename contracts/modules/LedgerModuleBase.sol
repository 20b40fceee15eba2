// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IConsortiumTypes} from "../interfaces/IConsortiumTypes.sol";
import {IDelayedAdmin} from "../interfaces/IDelayedAdmin.sol";

/// @title LedgerModuleBase
/// @notice What every function of the ledger's module shares: it runs only by delegatecall from the ledger
/// (in the ledger's storage, logging under the ledger's address), and the consortium admin is the ledger's.
abstract contract LedgerModuleBase is IConsortiumTypes {
    /// @notice The module was called directly instead of through the ledger.
    error LedgerModuleDirectCall();

    address private immutable _self = address(this);

    /// @dev Refuses calls to the module's own address: its storage is not the ledger's.
    modifier viaLedger() {
        if (address(this) == _self) revert LedgerModuleDirectCall();
        _;
    }

    /// @dev Reverts unless the caller is the ledger's consortium admin (read from the ledger itself, which
    /// `address(this)` is while delegated, so the module needs no copy of the admin's storage layout).
    modifier onlyAdmin() {
        if (msg.sender != IDelayedAdmin(address(this)).defaultAdmin()) {
            revert IDelayedAdmin.AccessControlUnauthorizedAccount(msg.sender, 0x00);
        }
        _;
    }
}
