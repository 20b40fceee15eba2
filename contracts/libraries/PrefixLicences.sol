// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PrefixLicences
/// @notice Storage of the GS1 Company Prefix registry, at its own ERC-7201 slot so that the ledger (which
/// checks licences when it registers) and the registry module (which changes them, by delegatecall) share it
/// without sharing a storage layout.
library PrefixLicences {
    /// @custom:storage-location erc7201:cbec-trace.PrefixLicences
    struct Layout {
        /// @dev `keccak256(prefix)` → holder (low 32 bits) and licence number (the 64 bits above).
        mapping(bytes32 prefixHash => uint256) licences;
        /// @dev `keccak256(prefix)` → how many licensed prefixes start with it (they forbid licensing it).
        mapping(bytes32 prefixHash => uint32) longer;
        /// @dev `keccak256(prefix)` → manufacturer → the licence number under which the holder authorized it.
        mapping(bytes32 prefixHash => mapping(uint32 orgId => uint64)) authorizedUnder;
        /// @dev The last licence number handed out.
        uint64 lastLicence;
        /// @dev `keccak256(prefix)` → when a revoke last freed codes under it: of this prefix or of a longer
        /// one starting with it. A licence of it waits a full delay from then.
        mapping(bytes32 prefixHash => uint48) freedAt;
        /// @dev `keccak256(prefix)` → when this very prefix was last revoked: a licence of a longer prefix
        /// starting with it waits a full delay from then.
        mapping(bytes32 prefixHash => uint48) revokedAt;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("cbec-trace.PrefixLicences")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SLOT = 0xa8f343498d82573f2c4cc45ca03e0f5a9e7e7db768a2baaf2f86453ae026bd00;

    /// @notice The registry's storage.
    /// @return s The layout at its namespaced slot.
    function layout() internal pure returns (Layout storage s) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            s.slot := SLOT
        }
    }

    /// @notice The holder and licence number of a prefix (0, 0 when not licensed).
    /// @param prefixHash `keccak256` of the prefix digits.
    /// @return holder The holding organization.
    /// @return licence The licence number.
    function licenceOf(bytes32 prefixHash) internal view returns (uint32 holder, uint64 licence) {
        uint256 word = layout().licences[prefixHash];
        return (uint32(word), uint64(word >> 32));
    }

    /// @notice Whether `orgId` may register codes under a prefix: it holds it, or the holder authorized it
    /// under the current licence.
    /// @param prefixHash `keccak256` of the prefix digits.
    /// @param orgId The registering organization.
    /// @return holder The holder (0 when not licensed), for the refusal.
    /// @return allowed True when it may.
    function mayRegister(bytes32 prefixHash, uint32 orgId) internal view returns (uint32 holder, bool allowed) {
        Layout storage s = layout();
        uint256 word = s.licences[prefixHash];
        holder = uint32(word);
        allowed = holder != 0 && (holder == orgId || s.authorizedUnder[prefixHash][orgId] == uint64(word >> 32));
    }
}
