// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Roles} from "../types/Roles.sol";
import {Steps} from "../types/Steps.sol";

/// @title DefaultPermissions
/// @notice The role × step matrix a new ledger starts with. The admin can change any entry later
/// (`setPermissions`); this is the sensible default: customs statuses only by customs, departure only by
/// carriers, lifting holds and recalls only by regulators, and so on.
library DefaultPermissions {
    uint16 private constant EXP = uint16(1 << Roles.EXPORTER);
    uint16 private constant MFR = uint16(1 << Roles.MANUFACTURER);
    uint16 private constant WH = uint16(1 << Roles.WAREHOUSE);
    uint16 private constant CAR = uint16(1 << Roles.CARRIER);
    uint16 private constant BRK = uint16(1 << Roles.CUSTOMS_BROKER);
    uint16 private constant LAB = uint16(1 << Roles.INSPECTION_LAB);
    uint16 private constant PLT = uint16(1 << Roles.PLATFORM);
    uint16 private constant CUS = uint16(1 << Roles.CUSTOMS);
    uint16 private constant MKT = uint16(1 << Roles.MARKET_REGULATOR);
    uint16 private constant PAY = uint16(1 << Roles.PAYMENT_INSTITUTION);
    uint16 private constant TAX = uint16(1 << Roles.TAX_AUTHORITY);
    uint16 private constant REG = CUS | MKT;
    uint16 private constant GOODS = EXP | MFR | WH | CAR;

    /// @notice The default role mask for a step.
    /// @param step The step code.
    /// @return The roles allowed to record it.
    // solhint-disable-next-line code-complexity
    function rolesFor(uint8 step) internal pure returns (uint16) {
        if (step == Steps.COMMISSIONING) return EXP | MFR;
        if (step == Steps.INSPECTING) return EXP | MFR | WH | LAB | REG;
        if (step == Steps.SAMPLING) return LAB | REG;
        if (step == Steps.STORING || step == Steps.STAGING_OUTBOUND) return EXP | MFR | WH;
        if (step == Steps.RECEIVING || step == Steps.SHIPPING || step == Steps.HOLDING) return GOODS;
        if (step == Steps.ACCEPTING || step == Steps.RETURNED) return EXP | WH | CAR;
        if (step == Steps.ASSIGNED) return GOODS;
        // Custody is offered and accepted with the same step; customs accepts the goods it seizes.
        if (step == Steps.CUSTODY_TRANSFERRED) return GOODS | CUS;
        // Customs packs and unpacks too: only customs changes the contents of a declared or released unit.
        if (step == Steps.PACKING) return GOODS | CUS;
        // Either regulator takes a held or recalled unit out of its container, so the rest can move on.
        if (step == Steps.UNPACKING) return GOODS | REG;
        if (step == Steps.LOADING || step == Steps.ARRIVING || step == Steps.UNLOADING) return WH | CAR;
        if (step == Steps.DEPARTING || step == Steps.TRANSPORTING || step == Steps.DELIVERED) return CAR;
        if (step == Steps.RETAIL_SELLING) return EXP | PLT;
        if (step == Steps.DESTROYING) return EXP | MFR | WH | REG;
        if (step == Steps.DECOMMISSIONING || step == Steps.REPAIRING) return EXP | MFR;
        if (step == Steps.STOCKING) return EXP | WH;
        if (step == Steps.ENTERING_EXITING) return WH | CAR | CUS;
        if (step == Steps.CORRECTION) return GOODS | BRK | LAB | PLT | REG;
        if (step == Steps.CUSTOMS_DECLARED) return EXP | BRK;
        if (step >= Steps.CUSTOMS_INSPECTED && step <= Steps.CUSTOMS_REJECTED) return CUS;
        // Customs documents: each filed by the organization that issues it.
        if (step == Steps.ORDER_PLACED) return EXP | PLT;
        if (step == Steps.PAYMENT_RECEIVED || step == Steps.FX_SETTLED) return PAY;
        if (step == Steps.TAX_REFUNDED) return TAX;
        if (step == Steps.WAYBILL_ISSUED) return CAR;
        if (step == Steps.WAREHOUSE_BOOKED) return EXP | WH;
        if (step == Steps.SUMMARY_DECLARED) return EXP | BRK;
        if (step == Steps.RECALL) return EXP | REG;
        if (step >= Steps.HOLD && step <= Steps.RECALL_LIFTED) return REG;
        return 0;
    }
}
