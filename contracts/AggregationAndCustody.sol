// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Account} from "./libraries/ConsortiumStorage.sol";
import {ITraceLedger} from "./interfaces/ITraceLedger.sol";
import {UnitHistories} from "./UnitHistories.sol";
import {Steps} from "./types/Steps.sol";
import {Stages} from "./types/Stages.sol";
import {Flags} from "./types/Flags.sol";
import {Roles} from "./types/Roles.sol";
import {UnitRecord} from "./libraries/UnitRecord.sol";
import {TraceInfo} from "./libraries/TraceInfo.sol";
import {CustomsStorage} from "./libraries/CustomsStorage.sol";
import {CustomsFlags} from "./types/CustomsFlags.sol";

/// @title AggregationAndCustody
/// @notice Aggregation (pack / unpack), custody handover, assignments and corrections.
abstract contract AggregationAndCustody is UnitHistories {
    using UnitRecord for uint256;

    /// @dev Marks a removal in an assignment entry's aux field.
    uint40 private constant ASSIGNMENT_REMOVED = uint40(1) << 32;

    /// @dev Open handover offers: fromOrg (low 32 bits) | toOrg (next 32) | the unit's seq when offered.
    mapping(bytes32 unit => uint96 offer) private _offers;

    /// @inheritdoc ITraceLedger
    function pack(Aggregation calldata aggregation, bytes32[] calldata children) external {
        _checkBatch(children.length);
        Account memory a = _activeAccount(msg.sender);
        _requireStep(msg.sender, a, Steps.PACKING);
        _requireEventTime(aggregation.eventTime, SINGLE);
        bytes32 parent = aggregation.parent;
        (uint256 parentWord, uint8 parentEff) = _loadMovable(parent, a, Steps.PACKING);
        uint32 no = _containerNoFor(parent);
        uint32 custodian = _custodianOf(parentWord);
        bytes32[] memory ancestors = _ancestorsOf(parentWord);
        uint256 info = TraceInfo.base(Steps.PACKING, 0, aggregation.eventTime, aggregation.location, 0);
        uint8 refundedGoods;
        for (uint256 i; i < children.length; ++i) {
            bytes32 child = children[i];
            uint256 word = _packableChild(parent, child, a, i);
            refundedGoods |= CustomsStorage.layout().units[child].flags;
            _requireNoCycle(parent, child, ancestors, i);
            _requireNotAdvanced(child, word, UnitRecord.stageOf(parentEff), i);
            if (word.holder() != custodian) {
                _fail(i, abi.encodeWithSelector(TraceLedgerCustodyMismatch.selector, child, word.holder(), custodian));
            }
            _advance(
                child,
                word.withStatus(word.status() | Flags.PACKED).withHolder(no),
                msg.sender,
                a.orgId,
                parent,
                info
            );
        }
        // Rule 6: goods already refunded stay refunded in whatever they are packed into next, so that no unit
        // around them is refunded for them again.
        if (refundedGoods & (CustomsFlags.REFUNDED | CustomsFlags.GOODS_REFUNDED) != 0) {
            _markRefundedGoods(parent);
            for (uint256 j; j < ancestors.length; ++j) _markRefundedGoods(ancestors[j]);
        }
        _advance(parent, parentWord, msg.sender, a.orgId, aggregation.recordHash, info | _auxCount(children.length));
    }

    /// @notice Marks a unit as holding goods whose export tax was already refunded.
    function _markRefundedGoods(bytes32 unit) private {
        CustomsStorage.layout().units[unit].flags |= CustomsFlags.GOODS_REFUNDED;
    }

    /// @notice The customs flags a child takes out of its parent chain (0 for a chain without customs state).
    function _carriedCustomsFlags(bytes32 parent, uint256 parentWord) private view returns (uint8 carried) {
        CustomsStorage.Layout storage s = CustomsStorage.layout();
        uint8 f = s.units[parent].flags;
        bytes32[] memory ancestors = _ancestorsOf(parentWord);
        for (uint256 i; i < ancestors.length; ++i) f |= s.units[ancestors[i]].flags;
        carried = f & CARRIED_CUSTOMS_FLAGS;
        if (f & CustomsFlags.REFUNDED != 0) carried |= CustomsFlags.GOODS_REFUNDED;
    }

    /// @inheritdoc ITraceLedger
    function unpack(Aggregation calldata aggregation, bytes32[] calldata children) external {
        _checkBatch(children.length);
        Account memory a = _activeAccount(msg.sender);
        _requireStep(msg.sender, a, Steps.UNPACKING);
        _requireEventTime(aggregation.eventTime, SINGLE);
        bytes32 parent = aggregation.parent;
        (uint256 parentWord, uint8 parentEff) = _loadMovable(parent, a, Steps.UNPACKING);
        uint32 no = _containerNoOf(parent);
        uint32 custodian = _custodianOf(parentWord);
        uint64 epoch = _pathEpoch(parent, parentWord);
        uint256 info = TraceInfo.base(Steps.UNPACKING, 0, aggregation.eventTime, aggregation.location, 0);
        uint256 stoppedOut;
        uint8 carried = _carriedCustomsFlags(parent, parentWord);
        for (uint256 i; i < children.length; ++i) {
            bytes32 child = children[i];
            uint256 word = _unitWord(child);
            if (no == 0 || !UnitRecord.isPacked(word.status()) || word.holder() != no) {
                _fail(i, abi.encodeWithSelector(TraceLedgerNotInParent.selector, child, parent));
            }
            if (UnitRecord.stageOf(word.status()) == Stages.DESTROYED) {
                // Destroyed while packed: nothing may follow, not even its unpacking.
                _fail(i, abi.encodeWithSelector(TraceLedgerUnitDestroyed.selector, child));
            }
            uint8 s = word.status();
            // A stopped unit moves nowhere, but a regulator may take it out so the rest can move on.
            if (a.roles & Roles.REGULATOR_MASK == 0) _requireUnstopped(s, child, Steps.UNPACKING, i);
            stoppedOut += _stopWeight(child, s);
            _loadInScope(child, a, i);
            _inheritCustodyEpoch(child, epoch);
            if (carried != 0) CustomsStorage.layout().units[child].flags |= carried;
            _advance(child, _unpacked(word, parentEff).withHolder(custodian), msg.sender, a.orgId, parent, info);
        }
        if (stoppedOut != 0) {
            _countStopped(parent, stoppedOut, false);
            parentWord = _unitWord(parent);
        }
        _advance(parent, parentWord, msg.sender, a.orgId, aggregation.recordHash, info | _auxCount(children.length));
    }

    /// @inheritdoc ITraceLedger
    function handover(bytes32 unit, uint32 toOrg, uint40 eventTime, uint64 location, bytes32 recordHash) external {
        Account memory a = _activeAccount(msg.sender);
        _requireStep(msg.sender, a, Steps.CUSTODY_TRANSFERRED);
        _requireEventTime(eventTime, SINGLE);
        uint256 word = _unitWord(unit);
        if (word == 0) revert TraceLedgerUnknownUnit(unit);
        uint8 s = word.status();
        if (UnitRecord.stageOf(s) == Stages.DESTROYED) revert TraceLedgerUnitDestroyed(unit);
        if (UnitRecord.isPacked(s)) revert TraceLedgerUnitPacked(unit);
        if (s & Flags.HELD != 0) revert TraceLedgerUnitHeld(unit, Steps.CUSTODY_TRANSFERRED);
        _requireNotStopped(word, unit, Steps.CUSTODY_TRANSFERRED, SINGLE);
        if (word.holder() != a.orgId) revert TraceLedgerNotCustodian(unit, a.orgId);
        if (toOrg == a.orgId) revert TraceLedgerSelfTarget(unit, toOrg);
        if (toOrg == 0) delete _offers[unit];
        else {
            _requireActiveOrganization(toOrg);
            // Bound to the current seq: any entry after the offer (custody, packing, a hold...) voids it.
            _offers[unit] = uint96(a.orgId) | (uint96(toOrg) << 32) | (uint96(word.seq()) << 64);
        }
        emit HandoverOffered(unit, a.orgId, toOrg, recordHash, eventTime, location);
    }

    /// @inheritdoc ITraceLedger
    function acceptHandover(bytes32 unit, uint40 eventTime, uint64 location, bytes32 recordHash) external {
        Account memory a = _activeAccount(msg.sender);
        _requireStep(msg.sender, a, Steps.CUSTODY_TRANSFERRED);
        _requireEventTime(eventTime, SINGLE);
        uint96 offer = _offers[unit];
        if (offer == 0 || uint32(offer >> 32) != a.orgId) revert TraceLedgerNoHandoverOffer(unit, a.orgId);
        uint256 word = _unitWord(unit);
        // Every change of the word advances seq, so an unchanged seq means the state the custodian offered.
        if (word.seq() != uint32(offer >> 64)) revert TraceLedgerHandoverOfferStale(unit);
        // Something packed inside may have been held or recalled since the offer, which adds no entry here.
        _requireNotStopped(word, unit, Steps.CUSTODY_TRANSFERRED, SINGLE);
        delete _offers[unit];
        _newCustodyEpoch(unit);
        uint256 info = TraceInfo.base(Steps.CUSTODY_TRANSFERRED, 0, eventTime, location, a.orgId);
        _advance(unit, word.withHolder(a.orgId), msg.sender, a.orgId, recordHash, info);
    }

    /// @inheritdoc ITraceLedger
    function handoverOffer(bytes32 unit) external view returns (uint32 fromOrg, uint32 toOrg, uint32 seq) {
        uint96 offer = _offers[unit];
        return (uint32(offer), uint32(offer >> 32), uint32(offer >> 64));
    }

    /// @inheritdoc ITraceLedger
    function assign(bytes32 unit, uint32 orgId, bool assigned, uint40 eventTime, bytes32 recordHash) external {
        Account memory a = _activeAccount(msg.sender);
        _requireStep(msg.sender, a, Steps.ASSIGNED);
        _requireEventTime(eventTime, SINGLE);
        uint256 word = _unitWord(unit);
        if (word == 0) revert TraceLedgerUnknownUnit(unit);
        if (_isDestroyed(word)) revert TraceLedgerUnitDestroyed(unit);
        uint32 custodian = _custodianOf(word);
        if (custodian != a.orgId) revert TraceLedgerNotCustodian(unit, a.orgId);
        if (orgId == a.orgId) revert TraceLedgerSelfTarget(unit, orgId);
        if (assigned) _requireActiveOrganization(orgId);
        else _requireOrganization(orgId);
        if (_isAssigned(unit, word, orgId, custodian) == assigned) revert TraceLedgerAssignmentUnchanged(unit, orgId);
        _setAssigned(unit, orgId, a.orgId, assigned);
        uint40 aux = assigned ? uint40(orgId) : uint40(orgId) | ASSIGNMENT_REMOVED;
        _advance(unit, word, msg.sender, a.orgId, recordHash, TraceInfo.base(Steps.ASSIGNED, 0, eventTime, 0, aux));
    }

    /// @inheritdoc ITraceLedger
    function correct(
        bytes32 unit,
        uint32 seq,
        uint40 eventTime,
        bytes32 recordHash,
        bytes16 head,
        ChainEntry[] calldata entries
    ) external {
        Account memory a = _activeAccount(msg.sender);
        _requireStep(msg.sender, a, Steps.CORRECTION);
        _requireEventTime(eventTime, SINGLE);
        uint256 word = _unitWord(unit);
        if (word == 0) revert TraceLedgerUnknownUnit(unit);
        if (_isDestroyed(word)) revert TraceLedgerUnitDestroyed(unit);
        if (seq == 0 || seq > word.seq()) revert TraceLedgerInvalidCorrection(unit, seq);
        uint32 author = _authorOf(unit, word, seq, head, entries);
        if (author != a.orgId && a.roles & Roles.REGULATOR_MASK == 0) {
            revert TraceLedgerNotEntryAuthor(unit, seq, author);
        }
        // The proof made entries[0] the corrected entry, so its event time is the unit's, not the caller's.
        uint40 entryTime = uint40(entries[0].info >> TraceInfo.EVENT_TIME_SHIFT);
        if (eventTime < entryTime) revert TraceLedgerCorrectionPredatesEntry(unit, seq, entryTime);
        _advance(unit, word, msg.sender, a.orgId, recordHash, TraceInfo.base(Steps.CORRECTION, 0, eventTime, 0, seq));
    }

    /// @notice The organization that recorded entry `seq`, proven by re-hashing the chain from it to the head.
    /// @dev The first entry's info carries its own seq and every info carries its org, all under the hash:
    /// landing on the stored head means these are the unit's real entries (a second preimage otherwise).
    function _authorOf(
        bytes32 unit,
        uint256 word,
        uint32 seq,
        bytes16 head,
        ChainEntry[] calldata entries
    ) private pure returns (uint32) {
        for (uint256 i; i < entries.length; ++i) {
            head = TraceInfo.next(
                head,
                unit,
                entries[i].account,
                entries[i].data,
                entries[i].info,
                entries[i].blockRef
            );
        }
        if (entries.length == 0 || head != word.head() || uint32(entries[0].info >> TraceInfo.SEQ_SHIFT) != seq)
            revert TraceLedgerInvalidCorrectionProof(unit, seq);
        return uint32(entries[0].info >> TraceInfo.ORG_SHIFT);
    }

    /// @notice Loads a parent that may be packed into or unpacked: registered, in scope, not destroyed, not
    /// held, and — while under customs control (declared or released, not yet departed) — changed by customs
    /// only, so that what customs declared and released is what leaves.
    /// @return word The parent's word.
    /// @return eff Its effective status.
    function _loadMovable(bytes32 unit, Account memory a, uint8 step) private view returns (uint256 word, uint8 eff) {
        word = _loadInScope(unit, a, SINGLE);
        eff = UnitRecord.isPacked(word.status()) ? _effectiveStatus(word) : word.status();
        uint8 stage = UnitRecord.stageOf(eff);
        if (stage == Stages.DESTROYED) revert TraceLedgerUnitDestroyed(unit);
        if (eff & Flags.HELD != 0) revert TraceLedgerUnitHeld(unit, step);
        if ((stage == Stages.DECLARED || stage == Stages.RELEASED) && a.roles & (uint16(1) << Roles.CUSTOMS) == 0) {
            revert TraceLedgerCustomsControlled(unit);
        }
    }

    /// @notice Checks one child of a pack: registered, not the parent, not packed, destroyed, held or
    /// recalled, holding nothing held or recalled, and in scope (`pack` checks cycles and stages after).
    function _packableChild(
        bytes32 parent,
        bytes32 child,
        Account memory a,
        uint256 index
    ) private view returns (uint256 word) {
        if (child == parent) _fail(index, abi.encodeWithSelector(TraceLedgerPackingCycle.selector, parent, child));
        word = _loadInScope(child, a, index);
        uint8 s = word.status();
        if (UnitRecord.isPacked(s)) _fail(index, abi.encodeWithSelector(TraceLedgerUnitPacked.selector, child));
        if (UnitRecord.stageOf(s) == Stages.DESTROYED) {
            _fail(index, abi.encodeWithSelector(TraceLedgerUnitDestroyed.selector, child));
        }
        // One test for ordinary children: neither stopped nor holding a stopped unit.
        if (s & (STOPPING_FLAGS | Flags.HOLDS_STOPPED) != 0) {
            _requireUnstopped(s, child, Steps.PACKING, index);
            _requireNotStopped(word, child, Steps.PACKING, index);
        }
    }

    /// @notice Refuses a child that is the parent's ancestor (the pack would close a cycle).
    function _requireNoCycle(bytes32 parent, bytes32 child, bytes32[] memory ancestors, uint256 index) private pure {
        for (uint256 j; j < ancestors.length; ++j) {
            if (ancestors[j] == child) {
                _fail(index, abi.encodeWithSelector(TraceLedgerPackingCycle.selector, parent, child));
            }
        }
    }

    /// @notice Packing never advances a unit: inside, its effective stage is its parents' highest, so a parent
    /// further along would lend it stages (a release, a delivery) it never went through.
    function _requireNotAdvanced(bytes32 child, uint256 word, uint8 parentStage, uint256 index) private pure {
        uint8 stage = UnitRecord.stageOf(word.status());
        if (stage < parentStage) {
            _fail(index, abi.encodeWithSelector(TraceLedgerPackingAdvancesChild.selector, child, stage, parentStage));
        }
    }

    /// @notice A child's word once out of its parent: not packed, at least the parent's stage, and
    /// carrying the parent's recall and flag.
    /// @dev Copying the parent's stage is sound only because `pack` refuses a parent further along than the
    /// child: every stage the parent has beyond the child's own was reached while the child was inside, so
    /// the child travelled through it. A stage the parent lost again (CUSTOMS_REJECTED takes DECLARED back
    /// to ACTIVE) was lost for the child too, as its effective stage is read from the parent, not stored;
    /// and RETURNED is reached only after departure, which the child made inside the parent.
    function _unpacked(uint256 word, uint8 parentEff) private pure returns (uint256) {
        uint8 s = word.status();
        uint8 stage = UnitRecord.stageOf(s);
        uint8 parentStage = UnitRecord.stageOf(parentEff);
        if (parentStage > stage) stage = parentStage;
        uint8 flags = (s & ~Flags.STAGE_MASK & ~Flags.PACKED) | (parentEff & (Flags.RECALLED | Flags.FLAGGED));
        return word.withStatus(stage | flags);
    }

    /// @notice Whether the unit, or a parent it is packed in, is destroyed.
    function _isDestroyed(uint256 word) private view returns (bool) {
        uint8 eff = UnitRecord.isPacked(word.status()) ? _effectiveStatus(word) : word.status();
        return UnitRecord.stageOf(eff) == Stages.DESTROYED;
    }

    function _auxCount(uint256 n) private pure returns (uint256) {
        return n << TraceInfo.AUX_SHIFT;
    }
}
