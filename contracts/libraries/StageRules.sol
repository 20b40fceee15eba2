// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Steps} from "../types/Steps.sol";
import {Stages} from "../types/Stages.sol";
import {Flags} from "../types/Flags.sol";

/// @title StageRules
/// @notice The per-unit export state machine: which steps a unit's stage and flags allow, and the status
/// a step leaves behind. Pure, so the contract and the SDK's model share one table of rules.
/// @dev Rules, on the effective status (the unit's own, merged with its parents' while packed):
/// nothing after destruction; customs release only after a declaration; departure only after release;
/// exit (结关) only after departure; delivery only after departure; movement refused while held; forward
/// flow refused while recalled; both refused while something inside is held or recalled; a hold, flag or
/// recall is lifted only where it was set.
library StageRules {
    /// @notice Result codes.
    uint8 internal constant OK = 0;
    uint8 internal constant DESTROYED = 1;
    uint8 internal constant STAGE = 2;
    uint8 internal constant HELD = 3;
    uint8 internal constant RECALLED = 4;
    uint8 internal constant NOTHING_TO_LIFT = 5;
    uint8 internal constant CONTAINS_STOPPED = 6;

    /// @notice Steps refused while the unit is held.
    uint64 internal constant HELD_BLOCKED =
        (uint64(1) << Steps.LOADING) |
            (uint64(1) << Steps.SHIPPING) |
            (uint64(1) << Steps.DEPARTING) |
            (uint64(1) << Steps.TRANSPORTING) |
            (uint64(1) << Steps.ARRIVING) |
            (uint64(1) << Steps.RETAIL_SELLING) |
            (uint64(1) << Steps.STAGING_OUTBOUND) |
            (uint64(1) << Steps.ENTERING_EXITING) |
            (uint64(1) << Steps.DELIVERED) |
            (uint64(1) << Steps.PACKING) |
            (uint64(1) << Steps.UNPACKING) |
            (uint64(1) << Steps.CUSTODY_TRANSFERRED) |
            (uint64(1) << Steps.CUSTOMS_RELEASED) |
            (uint64(1) << Steps.CUSTOMS_EXITED) |
            // The refund is the money of an export customs or a regulator is questioning: it waits for the
            // hold to be lifted. The other documents are paperwork a hold does not stop (a declaration
            // filed, a payment received or settled while goods are held is still true).
            (uint64(1) << Steps.TAX_REFUNDED);

    /// @notice Steps refused while the unit is recalled.
    uint64 internal constant RECALL_BLOCKED =
        (uint64(1) << Steps.LOADING) |
            (uint64(1) << Steps.SHIPPING) |
            (uint64(1) << Steps.DEPARTING) |
            (uint64(1) << Steps.RETAIL_SELLING) |
            (uint64(1) << Steps.STAGING_OUTBOUND) |
            (uint64(1) << Steps.DELIVERED) |
            (uint64(1) << Steps.CUSTOMS_DECLARED) |
            (uint64(1) << Steps.CUSTOMS_RELEASED) |
            (uint64(1) << Steps.ORDER_PLACED) |
            // Arranging the shipment or booking overseas space for a recalled product is forward flow. The
            // summary declaration, FX and refund are not: they close out an export that already happened.
            (uint64(1) << Steps.WAYBILL_ISSUED) |
            (uint64(1) << Steps.WAREHOUSE_BOOKED);

    /// @notice Steps refused while something inside the unit is held or recalled (`Flags.HOLDS_STOPPED`):
    /// every movement a hold or a recall blocks, except unpacking, which is how the stopped unit is isolated.
    uint64 internal constant STOPPED_INSIDE_BLOCKED = (HELD_BLOCKED | RECALL_BLOCKED) & ~(uint64(1) << Steps.UNPACKING);

    /// @notice Steps that change the stage or a flag, or need a stage; all others leave the status as is.
    uint64 internal constant STATUS_STEPS =
        (uint64(1) << Steps.CUSTOMS_DECLARED) |
            (uint64(1) << Steps.CUSTOMS_REJECTED) |
            (uint64(1) << Steps.CUSTOMS_INSPECTED) |
            (uint64(1) << Steps.CUSTOMS_HELD) |
            (uint64(1) << Steps.CUSTOMS_RELEASED) |
            (uint64(1) << Steps.DEPARTING) |
            (uint64(1) << Steps.CUSTOMS_EXITED) |
            (uint64(1) << Steps.DELIVERED) |
            (uint64(1) << Steps.RETURNED) |
            (uint64(1) << Steps.CUSTOMS_RETURNED) |
            (uint64(1) << Steps.DESTROYING) |
            (uint64(1) << Steps.DECOMMISSIONING) |
            (uint64(1) << Steps.HOLD) |
            (uint64(1) << Steps.HOLD_LIFTED) |
            (uint64(1) << Steps.FLAGGED) |
            (uint64(1) << Steps.FLAG_LIFTED) |
            (uint64(1) << Steps.RECALL) |
            (uint64(1) << Steps.RECALL_LIFTED);

    /// @notice Applies a step.
    /// @param step The step code.
    /// @param own The unit's own status byte.
    /// @param eff The effective status byte (equal to `own` unless packed).
    /// @return next The unit's new own status byte.
    /// @return code `OK`, or why the step is refused.
    function transition(uint8 step, uint8 own, uint8 eff) internal pure returns (uint8 next, uint8 code) {
        uint8 stage = eff & Flags.STAGE_MASK;
        if (stage == Stages.DESTROYED) return (own, DESTROYED);
        uint64 bit = uint64(1) << step;
        if (eff & Flags.HELD != 0 && HELD_BLOCKED & bit != 0) return (own, HELD);
        if (eff & Flags.RECALLED != 0 && RECALL_BLOCKED & bit != 0) return (own, RECALLED);
        if (eff & Flags.HOLDS_STOPPED != 0 && STOPPED_INSIDE_BLOCKED & bit != 0) return (own, CONTAINS_STOPPED);
        if (STATUS_STEPS & bit == 0) return (own, OK);

        if (step >= Steps.HOLD) return _flagTransition(step, own);
        return _stageTransition(step, own, stage);
    }

    /// @notice Applies a step that moves the export stage (or sets the customs hold).
    function _stageTransition(uint8 step, uint8 own, uint8 stage) private pure returns (uint8, uint8) {
        uint8 flags = own & ~Flags.STAGE_MASK;
        uint8 target = own & Flags.STAGE_MASK;
        if (step == Steps.CUSTOMS_DECLARED) {
            if (stage > Stages.DECLARED) return (own, STAGE);
            target = Stages.DECLARED;
        } else if (step == Steps.CUSTOMS_REJECTED) {
            if (stage != Stages.DECLARED) return (own, STAGE);
            target = Stages.ACTIVE;
        } else if (step == Steps.CUSTOMS_INSPECTED || step == Steps.CUSTOMS_HELD) {
            if (stage < Stages.DECLARED || stage > Stages.EXITED) return (own, STAGE);
            if (step == Steps.CUSTOMS_HELD) flags |= Flags.HELD;
        } else if (step == Steps.CUSTOMS_RELEASED) {
            if (stage != Stages.DECLARED) return (own, STAGE);
            target = Stages.RELEASED;
        } else if (step == Steps.DEPARTING) {
            if (stage < Stages.RELEASED || stage > Stages.EXITED) return (own, STAGE);
            target = stage > Stages.DEPARTED ? stage : Stages.DEPARTED;
        } else if (step == Steps.CUSTOMS_EXITED) {
            if (stage != Stages.DEPARTED) return (own, STAGE);
            target = Stages.EXITED;
        } else if (step == Steps.DELIVERED) {
            if (stage != Stages.DEPARTED && stage != Stages.EXITED) return (own, STAGE);
            target = Stages.DELIVERED;
        } else if (step == Steps.RETURNED) {
            if (stage < Stages.DEPARTED || stage > Stages.DELIVERED) return (own, STAGE);
            target = Stages.RETURNED;
        } else if (step == Steps.CUSTOMS_RETURNED) {
            if (stage < Stages.DECLARED || stage > Stages.DELIVERED) return (own, STAGE);
            target = Stages.RETURNED;
        } else {
            // DESTROYING and DECOMMISSIONING: the only other status steps below HOLD.
            target = Stages.DESTROYED;
        }
        return (flags | target, OK);
    }

    /// @notice Applies a regulator flag step: HOLD, FLAGGED, RECALL set; the *_LIFTED steps clear.
    function _flagTransition(uint8 step, uint8 own) private pure returns (uint8, uint8) {
        uint8 flag =
            step == Steps.HOLD || step == Steps.HOLD_LIFTED
                ? Flags.HELD
                : step == Steps.FLAGGED || step == Steps.FLAG_LIFTED
                    ? Flags.FLAGGED
                    : Flags.RECALLED;
        bool lifting = step == Steps.HOLD_LIFTED || step == Steps.FLAG_LIFTED || step == Steps.RECALL_LIFTED;
        if (!lifting) return (own | flag, OK);
        if (own & flag == 0) return (own, NOTHING_TO_LIFT);
        return (own & ~flag, OK);
    }
}
