// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice A filed customs document. `rejected` is set on a DECLARATION that customs rejected (status 100):
/// the documents it cited are then free again (`citedBy` pointing at a rejected declaration counts as 0).
struct CustomsDocument {
    uint8 kind;
    uint32 issuerOrg;
    uint16 mode;
    uint32 filedBlock;
    bool rejected;
    bytes32 unit;
    bytes32 orderRef;
    bytes32[2] terms;
    bytes32 recordHash;
    bytes32 citedBy;
}

/// @notice A unit's customs state. `mode` and `flags` share the first slot: `pack` reads only that one.
struct UnitCustoms {
    uint16 mode;
    uint8 flags;
    bytes32 declaration;
}

/// @title CustomsStorage
/// @notice Customs documents and per-unit customs state, at their own ERC-7201 slot: the ledger's module
/// files documents (the rules), the ledger keeps the flags that packing, unpacking and customs statuses
/// change, and neither depends on the other's storage layout or on the unit storage of `UnitHistories`.
library CustomsStorage {
    /// @custom:storage-location erc7201:cbec-trace.Customs
    struct Layout {
        mapping(bytes32 docId => CustomsDocument) documents;
        mapping(bytes32 unit => UnitCustoms) units;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("cbec-trace.Customs")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SLOT = 0x28d714eda678d9b86a3e0ffd5c0a9ae76d39c48fffaab35fd99159f8f647a800;

    /// @notice The customs storage.
    /// @return s The layout at its namespaced slot.
    function layout() internal pure returns (Layout storage s) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            s.slot := SLOT
        }
    }
}
