// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Stages
/// @notice The export stage of a unit, advanced by customs and logistics steps and enforced on chain.
library Stages {
    /// @notice Registered; production, inspection and warehousing happen here.
    uint8 internal constant ACTIVE = 0;
    /// @notice Export declaration filed.
    uint8 internal constant DECLARED = 1;
    /// @notice Released by customs.
    uint8 internal constant RELEASED = 2;
    /// @notice Departed the export port.
    uint8 internal constant DEPARTED = 3;
    /// @notice Customs clearance closed (结关) after departure.
    uint8 internal constant EXITED = 4;
    /// @notice Delivered to the overseas buyer.
    uint8 internal constant DELIVERED = 5;
    /// @notice Returned (by the buyer, or customs 退运).
    uint8 internal constant RETURNED = 6;
    /// @notice Destroyed or decommissioned: terminal.
    uint8 internal constant DESTROYED = 7;
}
