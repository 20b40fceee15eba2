// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title CustomsModes
/// @notice The customs supervision modes a DECLARATION is filed under (the mode number itself).
library CustomsModes {
    /// @notice B2C retail export: declaration list backed by order, payment and waybill (三单), then a summary.
    uint16 internal constant B2C_9610 = 9610;
    /// @notice B2B direct export: order and waybill.
    uint16 internal constant B2B_9710 = 9710;
    /// @notice B2B export to an overseas warehouse: booking and waybill; the sale happens after export.
    uint16 internal constant OVERSEAS_WAREHOUSE_9810 = 9810;
    /// @notice Export from a bonded / special customs zone: the zone entry counts as the export.
    uint16 internal constant BONDED_1210 = 1210;
}
