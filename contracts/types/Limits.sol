// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Limits
/// @notice Sizes of free-form input the ledger enforces; generated into the SDK's codes (`LIMITS`), so the
/// consortium file is checked against the same numbers before anything is sent.
library Limits {
    /// @dev Longest organization name in UTF-8 bytes: room for a long legal name in Chinese (3 bytes a
    /// character) or English, while every buyer's page and log stays small.
    uint256 internal constant MAX_NAME_BYTES = 256;
    /// @dev Shortest and longest GS1 Company Prefix the registry licenses (GS1 General Specifications
    /// allocate 4 to 12 digits; one-off GTIN licences are 12-digit prefixes).
    uint256 internal constant MIN_PREFIX_DIGITS = 4;
    uint256 internal constant MAX_PREFIX_DIGITS = 12;
    /// @dev Where the company prefix starts in a canonical path: after `/01/` and the GTIN-14's indicator
    /// digit, after `/00/` and the SSCC's extension digit, right after `/401/` (GINC) and `/414/` (GLN).
    uint256 internal constant PREFIX_OFFSET = 5;
    /// @dev How far an entry's claimed event time may lie after the block it is written in (seconds): room
    /// for a recorder's clock running a few minutes fast, none for dating an event days ahead, which would
    /// sort it after events that really came later (a handover after the delivery) and make an entry that
    /// a correction, dated no earlier than it, could not follow for as long.
    uint256 internal constant MAX_EVENT_TIME_SKEW = 900;
}
