// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title CustomsFlags
/// @notice Bits of a unit's customs flags (`customsState`). A unit unpacked from a parent takes over the
/// parent chain's flags (a refunded parent's as `GOODS_REFUNDED`): the goods travelled with it.
library CustomsFlags {
    /// @notice A PAYMENT was filed on the unit.
    uint8 internal constant PAYMENT = 1 << 0;
    /// @notice An accepted declaration covers the unit.
    uint8 internal constant DECLARED = 1 << 1;
    /// @notice Exported: customs exit (CUSTOMS_EXITED) recorded, or an accepted 1210 declaration (zone entry).
    uint8 internal constant EXPORTED = 1 << 2;
    /// @notice An FX_SETTLEMENT was filed on the unit.
    uint8 internal constant FX_SETTLED = 1 << 3;
    /// @notice A TAX_REFUND was filed on the unit.
    uint8 internal constant REFUNDED = 1 << 4;
    /// @notice Returned after its refund: the refund is to be repaid.
    uint8 internal constant REFUND_TO_REPAY = 1 << 5;
    /// @notice Goods already refunded are (or were) inside, or the unit came out of a refunded parent.
    uint8 internal constant GOODS_REFUNDED = 1 << 6;
}
