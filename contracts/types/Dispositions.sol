// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Dispositions
/// @notice CBV 2.0 dispositions (`https://ref.gs1.org/cbv/Disp-<name>`) an event may carry; 0 = none.
library Dispositions {
    uint8 internal constant NONE = 0;
    uint8 internal constant ACTIVE = 1;
    uint8 internal constant CONTAINER_CLOSED = 2;
    uint8 internal constant DAMAGED = 3;
    uint8 internal constant DESTROYED = 4;
    uint8 internal constant DISPENSED = 5;
    uint8 internal constant ENCODED = 6;
    uint8 internal constant EXPIRED = 7;
    uint8 internal constant IN_PROGRESS = 8;
    uint8 internal constant IN_TRANSIT = 9;
    uint8 internal constant INACTIVE = 10;
    uint8 internal constant NO_PEDIGREE_MATCH = 11;
    uint8 internal constant NON_SELLABLE_OTHER = 12;
    uint8 internal constant RECALLED = 13;
    uint8 internal constant RESERVED = 14;
    uint8 internal constant RETAIL_SOLD = 15;
    uint8 internal constant RETURNED = 16;
    uint8 internal constant SELLABLE_ACCESSIBLE = 17;
    uint8 internal constant SELLABLE_NOT_ACCESSIBLE = 18;
    uint8 internal constant STOLEN = 19;
    uint8 internal constant UNKNOWN = 20;
    uint8 internal constant CONFORMANT = 21;
    uint8 internal constant NON_CONFORMANT = 22;
    uint8 internal constant NEEDS_REPLACEMENT = 23;
    uint8 internal constant MISMATCH_INSTANCE = 24;
    uint8 internal constant AVAILABLE = 25;
    uint8 internal constant COMPLETENESS_VERIFIED = 26;
    uint8 internal constant PARTIALLY_DISPENSED = 27;
    /// @notice Highest defined disposition code.
    uint8 internal constant MAX = 27;
}
