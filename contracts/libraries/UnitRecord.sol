// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Flags} from "../types/Flags.sol";

/// @title UnitRecord
/// @notice The one storage word kept per trace unit, and its fields.
/// @dev Layout, low bits first: lastBlock (32) | seq (32) | status (8: stage in bits 0–2, `Flags` above) |
/// registrant org (24) | holder (32: custodian org, or the parent's container number when packed) |
/// head (128). One word per unit is what keeps registration near 25,000 gas: a second word would cost
/// another 20,000 on every registration. The word is never zero for a registered unit (its head is a
/// keccak output), so zero means "not registered". Functions work on the word on the stack, so a write
/// path reads and writes the slot exactly once.
library UnitRecord {
    uint256 private constant SEQ_SHIFT = 32;
    uint256 private constant STATUS_SHIFT = 64;
    uint256 private constant REGISTRANT_SHIFT = 72;
    uint256 private constant HOLDER_SHIFT = 96;
    uint256 private constant HEAD_SHIFT = 128;
    uint256 private constant STATUS_CLEAR = ~(uint256(0xff) << STATUS_SHIFT);
    uint256 private constant HOLDER_CLEAR = ~(uint256(0xffffffff) << HOLDER_SHIFT);
    /// @dev Keeps status, registrant and holder when the chain advances.
    uint256 private constant ADVANCE_KEEP = ((uint256(1) << 64) - 1) << STATUS_SHIFT;

    /// @notice A new unit's word.
    /// @param newHead The head after the registration entry.
    /// @param orgId The registrant organization (< 2^24).
    /// @return The word (seq 1, stage ACTIVE, custodian = registrant).
    function create(bytes16 newHead, uint32 orgId) internal view returns (uint256) {
        return
            uint256(uint32(block.number)) |
            (uint256(1) << SEQ_SHIFT) |
            (uint256(uint24(orgId)) << REGISTRANT_SHIFT) |
            (uint256(orgId) << HOLDER_SHIFT) |
            (uint256(uint128(newHead)) << HEAD_SHIFT);
    }

    /// @notice The word after one more history entry in the current block.
    /// @param word The current word (status and holder already updated).
    /// @param newHead The new head.
    /// @param newSeq The new entry count.
    /// @return The new word.
    function advanced(uint256 word, bytes16 newHead, uint32 newSeq) internal view returns (uint256) {
        return
            (word & ADVANCE_KEEP) |
            uint256(uint32(block.number)) |
            (uint256(newSeq) << SEQ_SHIFT) |
            (uint256(uint128(newHead)) << HEAD_SHIFT);
    }

    /// @notice Block of the latest entry.
    /// @param word The unit word.
    /// @return The block number.
    function lastBlock(uint256 word) internal pure returns (uint32) {
        return uint32(word);
    }

    /// @notice Number of entries.
    /// @param word The unit word.
    /// @return The count.
    function seq(uint256 word) internal pure returns (uint32) {
        return uint32(word >> SEQ_SHIFT);
    }

    /// @notice Stage and flags.
    /// @param word The unit word.
    /// @return The status byte.
    function status(uint256 word) internal pure returns (uint8) {
        return uint8(word >> STATUS_SHIFT);
    }

    /// @notice Registrant organization.
    /// @param word The unit word.
    /// @return The organization id.
    function registrant(uint256 word) internal pure returns (uint32) {
        return uint32(uint24(word >> REGISTRANT_SHIFT));
    }

    /// @notice Custodian organization, or parent container number when packed.
    /// @param word The unit word.
    /// @return The holder value.
    function holder(uint256 word) internal pure returns (uint32) {
        return uint32(word >> HOLDER_SHIFT);
    }

    /// @notice Hash-chain head.
    /// @param word The unit word.
    /// @return The head.
    function head(uint256 word) internal pure returns (bytes16) {
        return bytes16(uint128(word >> HEAD_SHIFT));
    }

    /// @notice The word with another status byte.
    /// @param word The unit word.
    /// @param newStatus The status byte.
    /// @return The new word.
    function withStatus(uint256 word, uint8 newStatus) internal pure returns (uint256) {
        return (word & STATUS_CLEAR) | (uint256(newStatus) << STATUS_SHIFT);
    }

    /// @notice The word with another holder.
    /// @param word The unit word.
    /// @param newHolder Custodian org or container number.
    /// @return The new word.
    function withHolder(uint256 word, uint32 newHolder) internal pure returns (uint256) {
        return (word & HOLDER_CLEAR) | (uint256(newHolder) << HOLDER_SHIFT);
    }

    /// @notice Whether a status byte says "packed".
    /// @param s The status byte.
    /// @return True when packed.
    function isPacked(uint8 s) internal pure returns (bool) {
        return s & Flags.PACKED != 0;
    }

    /// @notice The stage part of a status byte.
    /// @param s The status byte.
    /// @return The stage.
    function stageOf(uint8 s) internal pure returns (uint8) {
        return s & Flags.STAGE_MASK;
    }
}
