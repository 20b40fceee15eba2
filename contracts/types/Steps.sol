// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Steps
/// @notice Event types ("business steps") a trace event can carry. Codes 1–22 are CBV 2.0 business steps
/// (`https://ref.gs1.org/cbv/BizStep-<name>`); the others are this project's documented extension steps
/// (`urn:cbec-trace:bizstep:<name>`) for custody, customs, finance and regulator actions.
/// @dev Codes are dense so the permission matrix packs them into a few storage words. The SDK reads them
/// from this file; never renumber a published code.
library Steps {
    /// @notice CBV commissioning: the unit is registered (only through `register`).
    uint8 internal constant COMMISSIONING = 1;
    /// @notice CBV inspecting: quality / conformity inspection.
    uint8 internal constant INSPECTING = 2;
    /// @notice CBV sampling: samples taken for testing.
    uint8 internal constant SAMPLING = 3;
    /// @notice CBV storing: put into storage.
    uint8 internal constant STORING = 4;
    /// @notice CBV receiving: received into inventory.
    uint8 internal constant RECEIVING = 5;
    /// @notice CBV accepting: accepted at a location after a transfer.
    uint8 internal constant ACCEPTING = 6;
    /// @notice CBV packing: put into a parent unit (only through `pack`).
    uint8 internal constant PACKING = 7;
    /// @notice CBV unpacking: taken out of a parent unit (only through `unpack`).
    uint8 internal constant UNPACKING = 8;
    /// @notice CBV loading: loaded onto a conveyance.
    uint8 internal constant LOADING = 9;
    /// @notice CBV shipping: shipped from a location.
    uint8 internal constant SHIPPING = 10;
    /// @notice CBV departing: departed the export port; requires customs release.
    uint8 internal constant DEPARTING = 11;
    /// @notice CBV transporting: in transit.
    uint8 internal constant TRANSPORTING = 12;
    /// @notice CBV arriving: arrived at a location.
    uint8 internal constant ARRIVING = 13;
    /// @notice CBV unloading: unloaded from a conveyance.
    uint8 internal constant UNLOADING = 14;
    /// @notice CBV retail_selling: sold to the overseas buyer.
    uint8 internal constant RETAIL_SELLING = 15;
    /// @notice CBV destroying: destroyed; nothing may follow.
    uint8 internal constant DESTROYING = 16;
    /// @notice CBV decommissioning: the identifier is taken out of use; nothing may follow.
    uint8 internal constant DECOMMISSIONING = 17;
    /// @notice CBV repairing.
    uint8 internal constant REPAIRING = 18;
    /// @notice CBV stocking (replenishment at the point of sale / overseas warehouse).
    uint8 internal constant STOCKING = 19;
    /// @notice CBV staging_outbound.
    uint8 internal constant STAGING_OUTBOUND = 20;
    /// @notice CBV entering_exiting: crossing a border / zone gate (e.g. 1210 zone entry).
    uint8 internal constant ENTERING_EXITING = 21;
    /// @notice CBV holding: business hold by the custodian (not a regulator hold).
    uint8 internal constant HOLDING = 22;

    /// @notice Extension: delivered to the overseas buyer; requires departure.
    uint8 internal constant DELIVERED = 23;
    /// @notice Extension: returned by the buyer or back to the exporter.
    uint8 internal constant RETURNED = 24;
    /// @notice Extension: custody handed over to another organization (only through `handover`).
    uint8 internal constant CUSTODY_TRANSFERRED = 25;
    /// @notice Extension: an organization assigned to or removed from the unit (only through `assign`).
    uint8 internal constant ASSIGNED = 26;
    /// @notice Extension: an earlier event corrected (EPCIS error declaration; only through `correct`).
    uint8 internal constant CORRECTION = 27;

    /// @notice Extension: export declaration accepted (CEB603 申报清单 / 报关单, 120); only by `fileDocument`.
    uint8 internal constant CUSTOMS_DECLARED = 28;
    /// @notice Extension: customs physical inspection (status 500 查验).
    uint8 internal constant CUSTOMS_INSPECTED = 29;
    /// @notice Extension: customs detention (status 501–599 扣留); sets the held flag.
    uint8 internal constant CUSTOMS_HELD = 30;
    /// @notice Extension: customs release (status 800 放行); requires a declaration.
    uint8 internal constant CUSTOMS_RELEASED = 31;
    /// @notice Extension: customs clearance closed / exited (status 899 结关); requires release.
    uint8 internal constant CUSTOMS_EXITED = 32;
    /// @notice Extension: customs return (status 700 退运); requires a declaration.
    uint8 internal constant CUSTOMS_RETURNED = 33;
    /// @notice Extension: declaration rejected (status 100 退单); back to before declaration.
    uint8 internal constant CUSTOMS_REJECTED = 34;

    /// @notice Extension: order placed (CEB303 电子订单); only through `fileDocument` (ORDER).
    uint8 internal constant ORDER_PLACED = 35;
    /// @notice Extension: payment collected (CEB403 收款单); only through `fileDocument` (PAYMENT).
    uint8 internal constant PAYMENT_RECEIVED = 36;
    /// @notice Extension: export tax refunded (出口退税); only through `fileDocument` (TAX_REFUND).
    uint8 internal constant TAX_REFUNDED = 37;
    /// @notice Extension: foreign exchange settled (结汇); only through `fileDocument` (FX_SETTLEMENT).
    uint8 internal constant FX_SETTLED = 38;

    /// @notice Extension: regulator hold; sets the held flag.
    uint8 internal constant HOLD = 39;
    /// @notice Extension: a hold lifted by a regulator; clears the held flag.
    uint8 internal constant HOLD_LIFTED = 40;
    /// @notice Extension: regulator flag (suspicion, complaint); sets the flagged flag.
    uint8 internal constant FLAGGED = 41;
    /// @notice Extension: a flag lifted by a regulator.
    uint8 internal constant FLAG_LIFTED = 42;
    /// @notice Extension: recall started (by a regulator or the exporter); sets the recalled flag.
    uint8 internal constant RECALL = 43;
    /// @notice Extension: recall lifted (regulators only in the default matrix).
    uint8 internal constant RECALL_LIFTED = 44;

    /// @notice Extension: waybill issued (CEB505 运单); only through `fileDocument` (WAYBILL).
    uint8 internal constant WAYBILL_ISSUED = 45;
    /// @notice Extension: overseas-warehouse space booked (9810 订仓单); only through `fileDocument` (BOOKING).
    uint8 internal constant WAREHOUSE_BOOKED = 46;
    /// @notice Extension: summary declaration filed (CEB701/CEB792 汇总申报); only through `fileDocument` (SUMMARY).
    uint8 internal constant SUMMARY_DECLARED = 47;

    /// @notice Highest defined step code.
    uint8 internal constant MAX = 47;
}
