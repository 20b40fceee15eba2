// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsortiumTypes} from "../interfaces/IConsortiumTypes.sol";

/// @notice An organization's on-chain state; its identity is in the `OrganizationAdded` log.
struct Organization {
    uint16 roles;
    bool suspended;
    /// @dev Where its `OrganizationAdded` log is: verifiers read its identity with one single-block query.
    uint64 addedBlock;
}

/// @notice An account's state, in one word. `roles` mirrors the organization's roles while both the account
/// and its organization are active, and is 0 otherwise, so authorization needs this word only.
struct Account {
    uint32 orgId;
    uint16 roles;
    IConsortiumTypes.AccountStatus status;
    uint64 nonce;
}

/// @title ConsortiumStorage
/// @notice Organizations, accounts and the permission matrix, at their own ERC-7201 slot: the ledger reads
/// them on every write (authorization), its module changes them (administration) by delegatecall, and
/// neither depends on the other's storage layout.
library ConsortiumStorage {
    /// @notice Organization ids fit 24 bits because each unit word stores its registrant in 24 bits.
    uint32 internal constant MAX_ORGANIZATIONS = type(uint24).max;

    /// @custom:storage-location erc7201:cbec-trace.Consortium
    struct Layout {
        uint256[4] matrix; // PermissionWords.WORDS
        uint32 organizationCount;
        mapping(uint32 orgId => Organization) organizations;
        mapping(uint32 orgId => address[]) organizationAccounts;
        mapping(address account => Account) accounts;
        /// @dev Kept out of the account word so that authorization (`record`'s hot path) reads nothing more.
        mapping(address account => bool) orgAdmins;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("cbec-trace.Consortium")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SLOT = 0x628d53decac84c7a7e50d28498153aa4e8c37affbf87a2b2d54e941e4c906000;

    /// @notice The consortium's storage.
    /// @return s The layout at its namespaced slot.
    function layout() internal pure returns (Layout storage s) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            s.slot := SLOT
        }
    }

    /// @notice An existing organization, or a revert with `ConsortiumUnknownOrganization`.
    /// @param orgId The organization.
    /// @return org Its state.
    function requireOrganization(uint32 orgId) internal view returns (Organization storage org) {
        Layout storage s = layout();
        if (orgId == 0 || orgId > s.organizationCount) revert IConsortiumTypes.ConsortiumUnknownOrganization(orgId);
        return s.organizations[orgId];
    }

    /// @notice Why an account whose mirrored roles are 0 may not act, as an ABI-encoded custom error.
    /// @param account The account.
    /// @param a Its account word.
    /// @return The encoded error (selector and arguments).
    function denialOf(address account, Account memory a) internal pure returns (bytes memory) {
        if (a.orgId == 0) return abi.encodeWithSelector(IConsortiumTypes.ConsortiumUnknownAccount.selector, account);
        if (a.status == IConsortiumTypes.AccountStatus.Suspended) {
            return abi.encodeWithSelector(IConsortiumTypes.ConsortiumAccountSuspended.selector, account);
        }
        if (a.status == IConsortiumTypes.AccountStatus.Retired) {
            return abi.encodeWithSelector(IConsortiumTypes.ConsortiumAccountRetired.selector, account);
        }
        return abi.encodeWithSelector(IConsortiumTypes.ConsortiumOrganizationSuspended.selector, a.orgId);
    }

    /// @notice Reverts with an ABI-encoded custom error.
    /// @param reason The encoded error (selector and arguments).
    function raise(bytes memory reason) internal pure {
        // Solidity has no syntax for reverting with an already-encoded custom error.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
    }
}
