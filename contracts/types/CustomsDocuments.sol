// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Steps} from "./Steps.sol";

/// @title CustomsDocuments
/// @notice Kinds of customs documents filed with `fileDocument`, each recorded on its unit as one step.
/// @dev The SDK reads these constants from this file (`scripts/lib/genCodes.ts`); never renumber a code.
library CustomsDocuments {
    /// @notice CEB303 电子订单, recorded as ORDER_PLACED.
    uint8 internal constant ORDER = 1;
    /// @notice CEB403 收款单, recorded as PAYMENT_RECEIVED.
    uint8 internal constant PAYMENT = 2;
    /// @notice CEB505 运单, recorded as WAYBILL_ISSUED.
    uint8 internal constant WAYBILL = 3;
    /// @notice 9810 订仓单 (overseas-warehouse booking), recorded as WAREHOUSE_BOOKED.
    uint8 internal constant BOOKING = 4;
    /// @notice CEB603 申报清单 (9610) / 报关单 (9710, 9810, 1210), recorded as CUSTOMS_DECLARED.
    uint8 internal constant DECLARATION = 5;
    /// @notice CEB701/CEB792 汇总申报, recorded as SUMMARY_DECLARED.
    uint8 internal constant SUMMARY = 6;
    /// @notice 1210 entry into the bonded / special customs zone, recorded as ENTERING_EXITING.
    uint8 internal constant ZONE_ENTRY = 7;
    /// @notice 结汇, recorded as FX_SETTLED.
    uint8 internal constant FX_SETTLEMENT = 8;
    /// @notice 出口退税, recorded as TAX_REFUNDED.
    uint8 internal constant TAX_REFUND = 9;
    /// @notice Highest defined kind.
    uint8 internal constant MAX = 9;

    /// @notice The step a kind records on its unit, 0 for an unknown kind.
    /// @param kind The kind.
    /// @return The step code.
    function stepOf(uint8 kind) internal pure returns (uint8) {
        if (kind == 0 || kind > MAX) return 0;
        // One byte per kind, indexed by the kind (byte 0 unused): cheaper in code than a chain of branches.
        bytes10 table = bytes10(
            abi.encodePacked(
                uint8(0),
                Steps.ORDER_PLACED,
                Steps.PAYMENT_RECEIVED,
                Steps.WAYBILL_ISSUED,
                Steps.WAREHOUSE_BOOKED,
                Steps.CUSTOMS_DECLARED,
                Steps.SUMMARY_DECLARED,
                Steps.ENTERING_EXITING,
                Steps.FX_SETTLED,
                Steps.TAX_REFUNDED
            )
        );
        return uint8(table[kind]);
    }
}
