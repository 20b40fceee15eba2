// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LedgerModule} from "./modules/LedgerModule.sol";

/// @title ModuleDelegation
/// @notice Creates the ledger's module (`LedgerModule`) with the ledger and runs calls in it: a stub of the
/// ledger's ABI calls `_delegateToModule`, which executes the same call data in the module's code, in the
/// ledger's storage, and returns or reverts with what the module did.
abstract contract ModuleDelegation {
    /// @dev Created here, never replaced: the ledger stays non-upgradeable.
    address private immutable _module = address(new LedgerModule());

    /// @notice Runs the current call in the module and ends it with the module's return or revert data.
    function _delegateToModule() internal {
        address module = _module;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            let ok := delegatecall(gas(), module, ptr, calldatasize(), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) {
                revert(ptr, returndatasize())
            }
            return(ptr, returndatasize())
        }
    }

    /// @notice `_delegateToModule` for view functions: Solidity lets no view function delegatecall, but the
    /// module's views do not write (and in a static call nothing could).
    function _delegateViewToModule() internal view {
        function() internal delegateCall = _delegateToModule;
        function() internal view asView;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            asView := delegateCall
        }
        asView();
    }

    /// @notice Runs one internal call of the module (one the ledger's ABI does not expose) in the ledger's
    /// storage, for a caller that wraps a refusal (a batch item's) itself.
    /// @param data The call data.
    /// @return ok Whether it succeeded.
    /// @return result Its return data, or the revert data (an ABI-encoded custom error).
    function _callModule(bytes memory data) internal returns (bool ok, bytes memory result) {
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = _module.delegatecall(data);
    }
}
