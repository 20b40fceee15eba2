// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PermissionWords
/// @notice Packs the role × step permission matrix and the pause switch into four storage words.
/// @dev Word `step / 15` holds step `step`'s 16-bit role mask in lane `step % 15`; lane 15 (bits 240–255)
/// of every word carries the pause bit. Recording one event then reads a single matrix word, which answers
/// both "is the ledger paused?" and "may these roles record this step?" for 2,100 gas instead of 4,200.
library PermissionWords {
    /// @notice Steps per word.
    uint256 internal constant LANES = 15;
    /// @notice Number of words (covers step codes 0..59).
    uint256 internal constant WORDS = 4;
    uint256 private constant PAUSE_BIT = 1 << 240;

    /// @notice Which word holds a step.
    /// @param step The step code.
    /// @return The word index.
    function wordOf(uint8 step) internal pure returns (uint256) {
        return step / LANES;
    }

    /// @notice The role mask of a step within its word.
    /// @param word The matrix word.
    /// @param step The step code.
    /// @return The role mask.
    function rolesIn(uint256 word, uint8 step) internal pure returns (uint16) {
        return uint16(word >> (16 * (step % LANES)));
    }

    /// @notice A word with a step's role mask replaced.
    /// @param word The matrix word.
    /// @param step The step code.
    /// @param roles The new mask.
    /// @return The new word.
    function withRoles(uint256 word, uint8 step, uint16 roles) internal pure returns (uint256) {
        uint256 shift = 16 * (step % LANES);
        return (word & ~(uint256(0xffff) << shift)) | (uint256(roles) << shift);
    }

    /// @notice Whether a word carries the pause bit.
    /// @param word The matrix word.
    /// @return True when paused.
    function isPaused(uint256 word) internal pure returns (bool) {
        return word & PAUSE_BIT != 0;
    }

    /// @notice A word with the pause bit set or cleared.
    /// @param word The matrix word.
    /// @param on Whether to pause.
    /// @return The new word.
    function withPause(uint256 word, bool on) internal pure returns (uint256) {
        return on ? word | PAUSE_BIT : word & ~PAUSE_BIT;
    }
}
