// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Limits
/// @notice Sizes of free-form input the ledger enforces; generated into the SDK's codes (`LIMITS`), so the
/// consortium file is checked against the same numbers before anything is sent.
library Limits {
    /// @dev Longest organization name in UTF-8 bytes: room for a long legal name in Chinese (3 bytes a
    /// character) or English, while every buyer's page and log stays small.
    uint256 internal constant MAX_NAME_BYTES = 256;
}
