// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICustoms} from "../interfaces/ICustoms.sol";
import {ICustomsModule} from "../interfaces/ICustomsModule.sol";
import {CustomsStorage, CustomsDocument, UnitCustoms} from "../libraries/CustomsStorage.sol";
import {CustomsDocuments as K} from "../types/CustomsDocuments.sol";
import {CustomsModes} from "../types/CustomsModes.sol";
import {CustomsFlags as F} from "../types/CustomsFlags.sol";
import {Flags} from "../types/Flags.sol";
import {Stages} from "../types/Stages.sol";
import {LedgerModuleBase} from "./LedgerModuleBase.sol";

/// @title CustomsRules
/// @notice The customs document rules of the ledger, part of its module (`LedgerModule`): the ledger checks
/// the account, role, scope and stage of a filing like any step, then runs these in its own storage
/// (`CustomsStorage`). Rules: a document id is filed once; a declaration cites exactly what its mode needs,
/// on its own unit, each document backing one live declaration, sharing its order, and for 9610 / 9710
/// the three-document match of the terms; FX only against a declared export with a payment and never after
/// a return; the tax refund only after exit and FX, once for the same goods, never after a return.
abstract contract CustomsRules is ICustomsModule, LedgerModuleBase {
    /// @inheritdoc ICustomsModule
    function fileCustomsDocument(
        ICustoms.CustomsDocumentInput calldata d,
        uint32 orgId,
        uint8 eff,
        bytes32[] calldata ancestors
    ) external viaLedger {
        uint8 kind = d.kind;
        _requireShape(d);
        CustomsStorage.Layout storage s = CustomsStorage.layout();
        bytes32 id = keccak256(abi.encode(kind, orgId, d.numberHash));
        CustomsDocument storage doc = s.documents[id];
        if (doc.kind != 0) revert ICustoms.CustomsDocumentAlreadyFiled(id, kind, orgId);
        UnitCustoms storage u = s.units[d.unit];
        if (kind == K.PAYMENT) {
            u.flags |= F.PAYMENT;
        } else if (kind == K.DECLARATION) {
            _declare(s, u, d, id);
        } else if (kind == K.SUMMARY) {
            _sum(s, d.cites, id);
        } else if (kind == K.FX_SETTLEMENT || kind == K.TAX_REFUND) {
            // A returned unit (退运 or a buyer's return) is no export any more: neither settled nor refunded.
            if (eff & Flags.STAGE_MASK == Stages.RETURNED) revert ICustoms.CustomsUnitReturned(d.unit, kind);
            if (kind == K.FX_SETTLEMENT) _settle(s, u, d.unit, ancestors);
            else _refund(s, u, d.unit, ancestors);
        }
        doc.kind = kind;
        doc.issuerOrg = orgId;
        doc.mode = d.mode;
        doc.filedBlock = uint32(block.number);
        doc.unit = d.unit;
        doc.orderRef = d.orderRef;
        doc.terms = d.terms;
        doc.recordHash = d.recordHash;
        emit ICustoms.CustomsDocumentFiled(d.unit, id, d.numberHash, kind, orgId, d.orderRef, d.mode, d.recordHash);
    }

    /// @notice A filed document (see `ICustoms.customsDocument`).
    function customsDocument(
        bytes32 docId
    )
        external
        view
        viaLedger
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
        CustomsStorage.Layout storage s = CustomsStorage.layout();
        CustomsDocument storage doc = s.documents[docId];
        return (
            doc.kind,
            doc.issuerOrg,
            doc.unit,
            doc.orderRef,
            doc.terms,
            doc.mode,
            doc.recordHash,
            _liveCiter(s, doc.citedBy),
            doc.filedBlock
        );
    }

    /// @notice A unit's customs state (see `ICustoms.customsState`).
    function customsState(
        bytes32 unit
    ) external view viaLedger returns (uint16 mode, bytes32 declaration, uint8 flags) {
        UnitCustoms storage u = CustomsStorage.layout().units[unit];
        return (u.mode, u.declaration, u.flags);
    }

    /// @notice Refuses a document whose fields do not fit its kind.
    function _requireShape(ICustoms.CustomsDocumentInput calldata d) private pure {
        uint8 kind = d.kind;
        bytes32[2] calldata t = d.terms;
        bool ok = d.numberHash != 0;
        if (kind == K.ORDER) ok = ok && d.orderRef != 0 && t[0] != 0 && t[1] != 0;
        else if (kind == K.PAYMENT) ok = ok && d.orderRef != 0 && t[0] != 0 && t[1] == 0;
        else if (kind == K.WAYBILL) ok = ok && t[0] == 0 && t[1] != 0;
        else ok = ok && t[0] == 0 && t[1] == 0;
        if (!ok) revert ICustoms.CustomsDocumentMalformed(kind, d.numberHash, d.orderRef, t);
        if (kind == K.DECLARATION ? _needs(d.mode) == 0 : d.mode != 0) revert ICustoms.CustomsInvalidMode(kind, d.mode);
        uint256 n = d.cites.length;
        if (kind == K.SUMMARY ? n == 0 : kind != K.DECLARATION && n != 0) {
            revert ICustoms.CustomsCitesNotExpected(kind, n);
        }
    }

    /// @notice The kinds a declaration of `mode` must cite, as a bit mask over kind codes (0: no such mode).
    function _needs(uint16 mode) private pure returns (uint256) {
        if (mode == CustomsModes.B2C_9610) return (1 << K.ORDER) | (1 << K.PAYMENT) | (1 << K.WAYBILL);
        if (mode == CustomsModes.B2B_9710) return (1 << K.ORDER) | (1 << K.WAYBILL);
        if (mode == CustomsModes.OVERSEAS_WAREHOUSE_9810) return (1 << K.BOOKING) | (1 << K.WAYBILL);
        if (mode == CustomsModes.BONDED_1210) return 1 << K.ZONE_ENTRY;
        return 0;
    }

    /// @notice Rule 2: checks and binds what a declaration cites, then makes it the unit's declaration.
    function _declare(
        CustomsStorage.Layout storage s,
        UnitCustoms storage u,
        ICustoms.CustomsDocumentInput calldata d,
        bytes32 id
    ) private {
        uint16 mode = d.mode;
        uint256 needs = _needs(mode);
        uint256 seen;
        // Cited ids by kind: [ORDER, PAYMENT, WAYBILL] are the ones the match compares.
        bytes32[4] memory byKind;
        for (uint256 i; i < d.cites.length; ++i) {
            bytes32 c = d.cites[i];
            CustomsDocument storage cited = s.documents[c];
            uint8 kind = cited.kind;
            if (kind == 0) revert ICustoms.CustomsUnknownDocument(c);
            uint256 bit = uint256(1) << kind;
            if (needs & bit == 0 || seen & bit != 0) revert ICustoms.CustomsCitedKindNotExpected(mode, c, kind);
            if (cited.unit != d.unit) revert ICustoms.CustomsDocumentOfAnotherUnit(c, cited.unit, d.unit);
            bytes32 citer = _liveCiter(s, cited.citedBy);
            if (citer != 0) revert ICustoms.CustomsDocumentAlreadyCited(c, citer);
            if (cited.orderRef != 0 && cited.orderRef != d.orderRef) {
                revert ICustoms.CustomsOrderMismatch(c, cited.orderRef, d.orderRef);
            }
            seen |= bit;
            if (kind <= K.WAYBILL) byKind[kind] = c;
            cited.citedBy = id;
        }
        if (seen != needs) revert ICustoms.CustomsCitedDocumentMissing(mode, _lowestKind(needs & ~seen));
        // The three-document match (三单对碰) as far as the chain can see it: the payment and the waybill carry
        // the very terms the order does. Which field differs is for the off-chain check to say.
        if (needs & (1 << K.ORDER) != 0) {
            CustomsDocument storage order = s.documents[byKind[K.ORDER]];
            if (needs & (1 << K.PAYMENT) != 0) _match(K.PAYMENT, byKind[K.PAYMENT], s, order.terms[0], 0);
            _match(K.WAYBILL, byKind[K.WAYBILL], s, order.terms[1], 1);
        }
        if (u.declaration != 0) revert ICustoms.CustomsUnitAlreadyDeclared(d.unit, u.declaration);
        u.mode = mode;
        u.declaration = id;
        // 1210: the goods entered the zone before the declaration (it cites the entry), which counts as export.
        u.flags |= mode == CustomsModes.BONDED_1210 ? F.DECLARED | F.EXPORTED : F.DECLARED;
    }

    /// @notice Refuses a cited document whose terms `t` differ from the order's.
    function _match(
        uint8 kind,
        bytes32 c,
        CustomsStorage.Layout storage s,
        bytes32 orderTerms,
        uint256 t
    ) private view {
        bytes32 terms = s.documents[c].terms[t];
        if (terms != orderTerms) revert ICustoms.CustomsTermsMismatch(kind, c, terms, orderTerms);
    }

    /// @notice A summary binds the live, not yet summed declarations it cites.
    function _sum(CustomsStorage.Layout storage s, bytes32[] calldata cites, bytes32 id) private {
        for (uint256 i; i < cites.length; ++i) {
            bytes32 c = cites[i];
            CustomsDocument storage cited = s.documents[c];
            if (cited.kind == 0) revert ICustoms.CustomsUnknownDocument(c);
            if (cited.kind != K.DECLARATION) revert ICustoms.CustomsCitedKindNotExpected(0, c, cited.kind);
            if (cited.rejected) revert ICustoms.CustomsDeclarationRejected(c);
            if (cited.citedBy != 0) revert ICustoms.CustomsDocumentAlreadyCited(c, cited.citedBy);
            cited.citedBy = id;
        }
    }

    /// @notice Rule 3: FX settlement against a declared export with a payment.
    function _settle(
        CustomsStorage.Layout storage s,
        UnitCustoms storage u,
        bytes32 unit,
        bytes32[] calldata ancestors
    ) private {
        uint8 all = u.flags;
        for (uint256 i; i < ancestors.length; ++i) all |= s.units[ancestors[i]].flags;
        if (all & F.DECLARED == 0) revert ICustoms.CustomsNotDeclared(unit);
        if (all & F.PAYMENT == 0) revert ICustoms.CustomsPaymentMissing(unit);
        u.flags |= F.FX_SETTLED;
    }

    /// @notice Rules 4 and 6: the refund after exit and FX, once for the same goods. A refund covers the goods
    /// inside the unit, and those of the units it is packed in cover it: every parent around it is marked as
    /// holding refunded goods, so none of them is refunded again.
    function _refund(
        CustomsStorage.Layout storage s,
        UnitCustoms storage u,
        bytes32 unit,
        bytes32[] calldata ancestors
    ) private {
        uint8 own = u.flags;
        if (own & (F.REFUNDED | F.GOODS_REFUNDED) != 0) revert ICustoms.CustomsAlreadyRefunded(unit, unit);
        uint8 all = own;
        for (uint256 i; i < ancestors.length; ++i) {
            uint8 f = s.units[ancestors[i]].flags;
            if (f & F.REFUNDED != 0) revert ICustoms.CustomsAlreadyRefunded(unit, ancestors[i]);
            all |= f;
        }
        if (all & F.EXPORTED == 0) revert ICustoms.CustomsNotExported(unit);
        if (all & F.FX_SETTLED == 0) revert ICustoms.CustomsNotSettled(unit);
        u.flags = own | F.REFUNDED;
        for (uint256 i; i < ancestors.length; ++i) s.units[ancestors[i]].flags |= F.GOODS_REFUNDED;
    }

    /// @notice The declaration a document's `citedBy` names while it is live (0 once rejected).
    function _liveCiter(CustomsStorage.Layout storage s, bytes32 citedBy) private view returns (bytes32) {
        return citedBy != 0 && s.documents[citedBy].rejected ? bytes32(0) : citedBy;
    }

    /// @notice The lowest kind code set in a mask.
    function _lowestKind(uint256 mask) private pure returns (uint8 kind) {
        while (mask & (uint256(1) << kind) == 0) ++kind;
    }
}
