// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Account} from "./libraries/ConsortiumStorage.sol";
import {ICustoms} from "./interfaces/ICustoms.sol";
import {ICustomsModule} from "./interfaces/ICustomsModule.sol";
import {UnitHistories} from "./UnitHistories.sol";
import {CustomsDocuments} from "./types/CustomsDocuments.sol";
import {UnitRecord} from "./libraries/UnitRecord.sol";
import {TraceInfo} from "./libraries/TraceInfo.sol";

/// @title CustomsFiling
/// @notice Filing customs documents: the checks every step has (account, role for the kind's step, scope,
/// stage, hold, recall) and the history entry run here; the customs rules run in the module
/// (`CustomsRules`), which has the code room for them.
abstract contract CustomsFiling is UnitHistories {
    using UnitRecord for uint256;

    /// @inheritdoc ICustoms
    function fileDocument(CustomsDocumentInput calldata d) external {
        _file(_activeAccount(msg.sender), d, SINGLE);
    }

    /// @inheritdoc ICustoms
    function fileDocuments(CustomsDocumentInput[] calldata ds) external {
        _checkBatch(ds.length);
        Account memory a = _activeAccount(msg.sender);
        for (uint256 i; i < ds.length; ++i) _file(a, ds[i], i);
    }

    /// @inheritdoc ICustoms
    function customsDocument(
        bytes32 docId
    )
        external
        view
        returns (
            uint8 kind,
            uint32 issuerOrg,
            bytes32 unit,
            bytes32 orderRef,
            bytes32[2] memory terms,
            uint16 mode,
            bytes32 recordHash,
            bytes32 citedBy,
            uint32 filedBlock
        )
    {
        (docId, kind, issuerOrg, unit, orderRef, terms, mode, recordHash, citedBy, filedBlock);
        _delegateViewToModule();
    }

    /// @inheritdoc ICustoms
    function customsState(bytes32 unit) external view returns (uint16 mode, bytes32 declaration, uint8 flags) {
        (unit, mode, declaration, flags);
        _delegateViewToModule();
    }

    /// @notice Files one document as the sender.
    /// @param a The sender's account word.
    /// @param d The document.
    /// @param index The batch index, or `SINGLE`.
    function _file(Account memory a, CustomsDocumentInput calldata d, uint256 index) private {
        uint8 step = CustomsDocuments.stepOf(d.kind);
        if (step == 0) _fail(index, abi.encodeWithSelector(CustomsUnknownDocumentKind.selector, d.kind));
        if (!_stepAllowed(a.roles, step)) _fail(index, _stepDenial(msg.sender, a, step));
        _requireEventTime(d.eventTime, index);
        bytes32 unit = d.unit;
        uint256 word = _loadInScope(unit, a, index);
        uint256 next = _applyStep(unit, word, step, index);
        uint8 eff = UnitRecord.isPacked(word.status()) ? _effectiveStatus(word) : word.status();
        (bool ok, bytes memory reason) = _callModule(
            abi.encodeCall(ICustomsModule.fileCustomsDocument, (d, a.orgId, eff, _ancestorsOf(word)))
        );
        if (!ok) _fail(index, reason);
        _advance(unit, next, msg.sender, a.orgId, d.recordHash, TraceInfo.base(step, 0, d.eventTime, d.location, 0));
    }
}
