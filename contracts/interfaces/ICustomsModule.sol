// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICustoms} from "./ICustoms.sol";

/// @title ICustomsModule
/// @notice The customs rules the ledger runs in its module (by delegatecall, in its own storage) once it has
/// checked the filing account, its role, its scope and the unit's stage. Not part of the ledger's ABI: the
/// ledger has no stub for it, so only the ledger's own filing path reaches it.
interface ICustomsModule {
    /// @notice Checks a document against the customs rules, stores it, updates the customs state of the
    /// unit (and of the parents around it) and emits `CustomsDocumentFiled`; reverts with the rule's error.
    /// @param d The document.
    /// @param orgId The filing organization.
    /// @param eff The unit's effective status byte (its own merged with its parents').
    /// @param ancestors The units it is packed in, innermost first.
    function fileCustomsDocument(
        ICustoms.CustomsDocumentInput calldata d,
        uint32 orgId,
        uint8 eff,
        bytes32[] calldata ancestors
    ) external;
}
