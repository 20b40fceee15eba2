// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ICustoms
/// @notice Export customs on the ledger: customs documents (order, payment, waybill, booking, declaration,
/// summary, zone entry, FX settlement, tax refund) filed by the organization that issues them, each recorded
/// on its unit as one history entry, and the rules that protect the declaration (the three-document match
/// of 9610) and the export tax refund. Identifiers are hashes (`numberHash`, `orderRef`, `terms`): no
/// document number, amount or personal data goes on chain in the clear.
/// @dev Relaying documents by signature (like `recordBySig`) is not offered: the issuer sends them itself.
interface ICustoms {
    /// @notice One customs document to file.
    /// @param unit The shipment (consignment, carton or item) the document is about.
    /// @param kind The document kind (`CustomsDocuments`).
    /// @param numberHash `keccak256(abi.encode("cbec-trace:customs-doc-no", canonicalNumber))`.
    /// @param orderRef The order the document belongs to; required for ORDER and PAYMENT, 0 where there is none.
    /// @param terms ORDER: [paymentTerms, shipmentTerms]; PAYMENT: [paymentTerms, 0]; WAYBILL: [0, shipmentTerms];
    /// every other kind [0, 0].
    /// @param mode DECLARATION: 9610, 9710, 9810 or 1210; every other kind 0.
    /// @param cites DECLARATION: the ids of the documents its mode needs; SUMMARY: the ids of the declarations
    /// it sums; every other kind empty.
    /// @param eventTime When the document was issued (Unix seconds).
    /// @param location Where (GLN or short code), 0 for none.
    /// @param recordHash Hash of the full off-chain document record.
    struct CustomsDocumentInput {
        bytes32 unit;
        uint8 kind;
        bytes32 numberHash;
        bytes32 orderRef;
        bytes32[2] terms;
        uint16 mode;
        bytes32[] cites;
        uint40 eventTime;
        uint64 location;
        bytes32 recordHash;
    }

    /// @notice A customs document was filed (beside the unit's `Traced` entry for its step).
    /// @param unit The unit.
    /// @param docId `keccak256(abi.encode(kind, org, numberHash))`.
    /// @param numberHash The document number's hash (the regulator searches by it).
    /// @param kind The kind.
    /// @param org The issuing organization.
    /// @param orderRef The order reference (0 for none).
    /// @param mode The customs mode (DECLARATION only, else 0).
    /// @param recordHash Hash of the off-chain document record.
    event CustomsDocumentFiled(
        bytes32 indexed unit,
        bytes32 indexed docId,
        bytes32 indexed numberHash,
        uint8 kind,
        uint32 org,
        bytes32 orderRef,
        uint16 mode,
        bytes32 recordHash
    );

    /// @notice A unit whose export tax was refunded was returned (退运 or a buyer's return): the refund is
    /// to be repaid (`CustomsFlags.REFUND_TO_REPAY`).
    /// @param unit The returned unit.
    event CustomsRefundToRepay(bytes32 indexed unit);

    /// @notice Thrown when `kind` is not a `CustomsDocuments` code.
    error CustomsUnknownDocumentKind(uint8 kind);
    /// @notice Thrown when a document's fields do not have the shape its kind needs: a number hash, and
    /// orderRef and terms as `CustomsDocumentInput` describes (ORDER and PAYMENT need an orderRef).
    error CustomsDocumentMalformed(uint8 kind, bytes32 numberHash, bytes32 orderRef, bytes32[2] terms);
    /// @notice Thrown when a DECLARATION names no valid mode (9610, 9710, 9810, 1210), or another kind names one.
    error CustomsInvalidMode(uint8 kind, uint16 mode);
    /// @notice Thrown when the same issuer files the same number of the same kind again (rule 1).
    error CustomsDocumentAlreadyFiled(bytes32 docId, uint8 kind, uint32 issuerOrg);
    /// @notice Thrown when a document cites others although its kind cites nothing, or a SUMMARY cites nothing.
    error CustomsCitesNotExpected(uint8 kind, uint256 count);
    /// @notice Thrown when a cited document id was never filed.
    error CustomsUnknownDocument(bytes32 docId);
    /// @notice Thrown when a declaration cites a kind its mode does not need (or the same kind twice), or a
    /// SUMMARY cites something other than a declaration.
    error CustomsCitedKindNotExpected(uint16 mode, bytes32 docId, uint8 kind);
    /// @notice Thrown when a declaration lacks a document its mode needs (the lowest missing kind).
    error CustomsCitedDocumentMissing(uint16 mode, uint8 kind);
    /// @notice Thrown when a declaration cites a document filed on another unit.
    error CustomsDocumentOfAnotherUnit(bytes32 docId, bytes32 documentUnit, bytes32 unit);
    /// @notice Thrown when a cited document already backs another live declaration (or summary).
    error CustomsDocumentAlreadyCited(bytes32 docId, bytes32 citedBy);
    /// @notice Thrown when a cited document belongs to another order than the declaration.
    error CustomsOrderMismatch(bytes32 docId, bytes32 documentOrderRef, bytes32 orderRef);
    /// @notice Thrown when the three-document match fails: the terms of the cited document of `kind`
    /// (PAYMENT: paymentTerms, WAYBILL: shipmentTerms) differ from the order's.
    error CustomsTermsMismatch(uint8 kind, bytes32 docId, bytes32 documentTerms, bytes32 orderTerms);
    /// @notice Thrown when a unit that carries an accepted declaration is declared again.
    error CustomsUnitAlreadyDeclared(bytes32 unit, bytes32 declaration);
    /// @notice Thrown when a SUMMARY cites a declaration customs rejected.
    error CustomsDeclarationRejected(bytes32 docId);
    /// @notice Thrown when an FX settlement is filed on a unit no accepted declaration covers (rule 3).
    error CustomsNotDeclared(bytes32 unit);
    /// @notice Thrown when an FX settlement is filed with no PAYMENT on the unit or a parent around it (rule 3).
    error CustomsPaymentMissing(bytes32 unit);
    /// @notice Thrown when an FX settlement or a tax refund is filed on a returned unit (rules 3, 4).
    error CustomsUnitReturned(bytes32 unit, uint8 kind);
    /// @notice Thrown when a tax refund is filed before customs exit (or, for 1210, an accepted zone-entry
    /// declaration) of the unit or a parent around it (rule 4).
    error CustomsNotExported(bytes32 unit);
    /// @notice Thrown when a tax refund is filed before an FX settlement of the unit or a parent around it (rule 4).
    error CustomsNotSettled(bytes32 unit);
    /// @notice Thrown when the goods of `unit` were already refunded: on `refundedUnit` itself, on a parent
    /// it is packed in, or as goods packed into it (rules 4 and 6).
    error CustomsAlreadyRefunded(bytes32 unit, bytes32 refundedUnit);
    /// @notice Thrown when customs would reject (status 100) a declaration whose export was already settled
    /// or refunded: a return (CUSTOMS_RETURNED) is what reverses it.
    error CustomsExportSettled(bytes32 unit);

    /// @notice Files one customs document as the sender's organization and records its step on the unit
    /// (one `Traced` entry, data = recordHash), with the scope, role, stage, hold and recall checks of
    /// `record`, and the customs rules of its kind. Emits `CustomsDocumentFiled`.
    /// @param d The document.
    function fileDocument(CustomsDocumentInput calldata d) external;

    /// @notice Files several documents, in order, all or nothing; an item's refusal is
    /// `TraceLedgerBatchItemRejected(i, reason)`. Later items may cite earlier ones.
    /// @param ds The documents.
    function fileDocuments(CustomsDocumentInput[] calldata ds) external;

    /// @notice A filed document (kind 0 when none has this id).
    /// @param docId The document id.
    /// @return kind The kind.
    /// @return issuerOrg The issuing organization.
    /// @return unit The unit it was filed on.
    /// @return orderRef The order reference.
    /// @return terms The terms it carries.
    /// @return mode The mode (DECLARATION only).
    /// @return recordHash Hash of its off-chain record.
    /// @return citedBy The live declaration (or summary) citing it, 0 if none.
    /// @return filedBlock The block it was filed in.
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
        );

    /// @notice A unit's customs state.
    /// @param unit The unit.
    /// @return mode The mode of its accepted declaration (0 for none).
    /// @return declaration Its accepted declaration's id (0 for none).
    /// @return flags `CustomsFlags` bits.
    function customsState(bytes32 unit) external view returns (uint16 mode, bytes32 declaration, uint8 flags);
}
