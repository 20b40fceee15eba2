// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Flags
/// @notice Status flags of a unit, beside its stage.
library Flags {
    /// @notice Held by customs or a regulator: no movement, no release.
    uint8 internal constant HELD = 1 << 3;
    /// @notice Recalled: no forward flow until a regulator lifts it.
    uint8 internal constant RECALLED = 1 << 4;
    /// @notice Flagged by a regulator.
    uint8 internal constant FLAGGED = 1 << 5;
    /// @notice Packed inside a parent unit; its holder field is the parent's container number.
    uint8 internal constant PACKED = 1 << 6;
    /// @notice Something packed inside (at any depth) is itself held or recalled: the unit may not move
    /// (`StageRules.STOPPED_INSIDE_BLOCKED`) until that unit is lifted or unpacked. Kept by the ledger from a
    /// per-unit count; never inherited by the unit's own contents (a good item beside a held one is not held).
    uint8 internal constant HOLDS_STOPPED = 1 << 7;
    /// @notice Bits of the status byte that hold the stage.
    uint8 internal constant STAGE_MASK = 7;
}
