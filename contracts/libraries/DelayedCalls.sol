// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsortiumTypes} from "../interfaces/IConsortiumTypes.sol";

/// @title DelayedCalls
/// @notice The admin's announced operations (`schedule`): `keccak256(call data)` → when it may run. At its
/// own ERC-7201 slot so that functions of the ledger and of its registry module consume them alike.
library DelayedCalls {
    /// @custom:storage-location erc7201:cbec-trace.DelayedCalls
    struct Layout {
        mapping(bytes32 opId => uint48 readyAt) readyAt;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("cbec-trace.DelayedCalls")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SLOT = 0xd5a0235d4ffc1cd71cb4f0ef423db7561e5fccdd60ea0d9b9345a4d5775e1900;

    /// @notice The announced operations.
    /// @return s The layout at its namespaced slot.
    function layout() internal pure returns (Layout storage s) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            s.slot := SLOT
        }
    }

    /// @notice Runs the current call once: its exact call data must have been scheduled and be ready.
    /// @dev Called after the call's argument checks (the whole call reverts together), so that a bad call is
    /// refused for what is wrong with it rather than for not being scheduled.
    function consumeReady() internal {
        bytes32 opId = keccak256(msg.data);
        mapping(bytes32 => uint48) storage ready = layout().readyAt;
        uint48 readyAt = ready[opId];
        if (readyAt == 0 || readyAt > block.timestamp)
            revert IConsortiumTypes.ConsortiumOperationNotReady(opId, readyAt);
        delete ready[opId];
        emit IConsortiumTypes.OperationExecuted(opId);
    }
}
