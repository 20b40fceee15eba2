// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Account} from "./libraries/ConsortiumStorage.sol";
import {ITraceLedger} from "./interfaces/ITraceLedger.sol";
import {Consortium} from "./Consortium.sol";
import {Roles} from "./types/Roles.sol";
import {Steps} from "./types/Steps.sol";
import {Flags} from "./types/Flags.sol";
import {Stages} from "./types/Stages.sol";
import {Dispositions} from "./types/Dispositions.sol";
import {UnitRecord} from "./libraries/UnitRecord.sol";
import {TraceInfo} from "./libraries/TraceInfo.sol";
import {StageRules} from "./libraries/StageRules.sol";
import {PrefixLicences} from "./libraries/PrefixLicences.sol";
import {Limits} from "./types/Limits.sol";
import {CustomsStorage, UnitCustoms} from "./libraries/CustomsStorage.sol";
import {CustomsFlags} from "./types/CustomsFlags.sol";

/// @title UnitHistories
/// @notice Units and their hash-chained histories: unit storage, the hash chain, and the scope and stage
/// checks shared by every write path of the ledger.
abstract contract UnitHistories is ITraceLedger, Consortium {
    using UnitRecord for uint256;

    /// @notice Largest batch (items, events or children) one call accepts.
    uint256 public constant MAX_BATCH = 500;

    /// @dev No step checked yet (outside the uint8 range of step codes).
    uint256 internal constant NO_STEP = type(uint256).max;

    /// @dev Marks a call that is not part of a batch: its item errors are not wrapped.
    uint256 internal constant SINGLE = type(uint256).max;

    /// @dev Steps with their own entry point, refused by `record`.
    uint64 internal constant DEDICATED_STEPS =
        (uint64(1) << Steps.COMMISSIONING) |
            (uint64(1) << Steps.PACKING) |
            (uint64(1) << Steps.UNPACKING) |
            (uint64(1) << Steps.CUSTODY_TRANSFERRED) |
            (uint64(1) << Steps.ASSIGNED) |
            (uint64(1) << Steps.CORRECTION) |
            // Customs documents: only `fileDocument` records them, under the customs rules.
            (uint64(1) << Steps.ORDER_PLACED) |
            (uint64(1) << Steps.PAYMENT_RECEIVED) |
            (uint64(1) << Steps.WAYBILL_ISSUED) |
            (uint64(1) << Steps.WAREHOUSE_BOOKED) |
            (uint64(1) << Steps.CUSTOMS_DECLARED) |
            (uint64(1) << Steps.SUMMARY_DECLARED) |
            (uint64(1) << Steps.FX_SETTLED) |
            (uint64(1) << Steps.TAX_REFUNDED);

    /// @dev Customs statuses that change a unit's customs state: a rejection frees the declaration's
    /// documents, an exit makes the goods exported, a return after a refund marks the refund to repay.
    uint64 internal constant CUSTOMS_STATE_STEPS =
        (uint64(1) << Steps.CUSTOMS_REJECTED) |
            (uint64(1) << Steps.CUSTOMS_EXITED) |
            (uint64(1) << Steps.RETURNED) |
            (uint64(1) << Steps.CUSTOMS_RETURNED);

    /// @dev Customs flags a unit unpacked from a parent takes over from the parent chain (a refunded
    /// parent's refund arrives as `GOODS_REFUNDED`): the goods were declared, paid, exported and settled with it.
    uint8 internal constant CARRIED_CUSTOMS_FLAGS =
        CustomsFlags.PAYMENT |
            CustomsFlags.DECLARED |
            CustomsFlags.EXPORTED |
            CustomsFlags.FX_SETTLED |
            CustomsFlags.GOODS_REFUNDED;

    /// @dev Status bits that make a unit need the full state machine on every step (destroyed is stage 7,
    /// so its low stage bits are included).
    uint8 internal constant STATUS_SENSITIVE =
        Flags.PACKED | Flags.HELD | Flags.RECALLED | Flags.HOLDS_STOPPED | Stages.DESTROYED;

    /// @dev Own flags that stop a unit and everything it is packed in.
    uint8 internal constant STOPPING_FLAGS = Flags.HELD | Flags.RECALLED;

    /// @dev Parent flags that hold for everything packed inside.
    uint8 internal constant INHERITED_FLAGS = Flags.HELD | Flags.RECALLED | Flags.FLAGGED;

    mapping(bytes32 unit => uint256 word) private _units;
    mapping(bytes32 unit => uint32 containerNo) private _containerNos;
    mapping(uint32 containerNo => bytes32 unit) private _containerUnits;
    uint32 private _containerCount;
    /// @dev An assignment: the assigning organization (low 32 bits) and `_handovers` when it was made (above).
    mapping(bytes32 unit => mapping(uint32 orgId => uint96)) private _assigned;
    /// @dev `_handovers` right after the unit's latest accepted handover (0: never handed over). A separate
    /// mapping so that only handovers pay for it.
    mapping(bytes32 unit => uint64) private _custodyEpochs;
    /// @dev Accepted handovers so far: the clock assignments and custody epochs are compared on.
    /// 64 bits: at one handover per 20,000 gas in a 30M-gas block every second, wrapping takes 4 · 10^8 years.
    uint64 private _handovers;
    /// @dev Held or recalled units packed inside a unit, at any depth (`Flags.HOLDS_STOPPED` while above 0).
    /// Only units that ever hold a stopped unit have an entry, so an ordinary unit's write reads nothing more.
    mapping(bytes32 unit => uint256 count) private _stoppedInside;

    /// @inheritdoc ITraceLedger
    function unitState(
        bytes32 unit
    )
        external
        view
        returns (
            bytes16 head,
            uint32 seq,
            uint32 lastBlock,
            uint8 stage,
            uint8 flags,
            uint32 registrant,
            uint32 custodian,
            bytes32 parent
        )
    {
        uint256 word = _units[unit];
        if (word == 0) return (0, 0, 0, 0, 0, 0, 0, 0);
        uint8 s = word.status();
        if (UnitRecord.isPacked(s)) parent = _containerUnits[word.holder()];
        return (
            word.head(),
            word.seq(),
            word.lastBlock(),
            UnitRecord.stageOf(s),
            s & ~Flags.STAGE_MASK,
            word.registrant(),
            _custodianOf(word),
            parent
        );
    }

    /// @inheritdoc ITraceLedger
    function isAssigned(bytes32 unit, uint32 orgId) external view returns (bool) {
        uint256 word = _units[unit];
        return word != 0 && _isAssigned(unit, word, orgId, _custodianOf(word));
    }

    /// @notice Registers one unit as `account`.
    /// @param account The acting account.
    /// @param orgId Its organization.
    /// @param r The registration.
    /// @param index The batch index, or `SINGLE`.
    function _register(address account, uint32 orgId, Registration calldata r, uint256 index) internal {
        bytes calldata path = r.path;
        bytes32 unit = keccak256(path);
        _requireLicensed(unit, orgId, path, r.prefixLength, index);
        _requireEventTime(r.eventTime, index);
        if (_units[unit] != 0) _fail(index, abi.encodeWithSelector(TraceLedgerUnitAlreadyRegistered.selector, unit));
        _requireBlockNumberFits();
        uint256 info = TraceInfo.complete(
            TraceInfo.base(Steps.COMMISSIONING, Dispositions.ACTIVE, r.eventTime, r.location, 0),
            0,
            1,
            orgId
        );
        bytes16 head = TraceInfo.next(TraceInfo.genesis(unit), unit, account, r.recordHash, info, TraceInfo.blockRef());
        _units[unit] = UnitRecord.create(head, orgId);
        emit Traced(unit, account, r.recordHash, info);
    }

    /// @notice Reverts unless `orgId` may register codes under the company prefix of `path`.
    /// @dev The prefix's digits need no check here: only digit strings are ever licensed, so the hash of
    /// anything else finds no licence.
    /// @param unit The key `path` derives (for the refusal).
    /// @param orgId The registering organization.
    /// @param path The canonical path.
    /// @param prefixLength Digits of its company prefix.
    /// @param index The batch index, or `SINGLE`.
    function _requireLicensed(
        bytes32 unit,
        uint32 orgId,
        bytes calldata path,
        uint256 prefixLength,
        uint256 index
    ) private view {
        uint256 end = Limits.PREFIX_OFFSET + prefixLength;
        uint32 holder;
        bool allowed;
        if (
            prefixLength >= Limits.MIN_PREFIX_DIGITS && prefixLength <= Limits.MAX_PREFIX_DIGITS && end <= path.length
        ) {
            (holder, allowed) = PrefixLicences.mayRegister(keccak256(path[Limits.PREFIX_OFFSET:end]), orgId);
        }
        if (!allowed) _fail(index, abi.encodeWithSelector(TraceLedgerCodeNotLicensed.selector, unit, orgId, holder));
    }

    /// @notice Records one event as `account`, whose account word `a` is already known to be active.
    /// @param account The acting account (sender or signer).
    /// @param a Its account word.
    /// @param e The event.
    /// @param index The batch index, or `SINGLE`.
    /// @param checkedStep A step already known to be valid and allowed for `a` in this call, or `NO_STEP`:
    /// batches of one step read the permission matrix once.
    /// @return The event's step, for the caller to pass as `checkedStep` next time.
    function _record(
        address account,
        Account memory a,
        TraceInput calldata e,
        uint256 index,
        uint256 checkedStep
    ) internal returns (uint256) {
        uint8 step = e.step;
        uint8 disposition = e.disposition;
        bytes32 unit = e.unit;
        if (step != checkedStep) {
            if (step == 0 || step > Steps.MAX || (DEDICATED_STEPS >> step) & 1 == 1) {
                _fail(index, abi.encodeWithSelector(TraceLedgerStepNotRecordable.selector, step));
            }
            if (!_stepAllowed(a.roles, step)) _fail(index, _stepDenial(account, a, step));
        }
        if (disposition > Dispositions.MAX) {
            _fail(index, abi.encodeWithSelector(TraceLedgerInvalidDisposition.selector, disposition));
        }
        _requireEventTime(e.eventTime, index);
        uint256 word = _loadInScope(unit, a, index);
        _advance(
            unit,
            _applyStep(unit, word, step, index),
            account,
            a.orgId,
            e.recordHash,
            TraceInfo.base(step, disposition, e.eventTime, e.location, 0)
        );
        return step;
    }

    /// @notice The one rule for every claimed event time: set (0 is no time) and not ahead of the block by
    /// more than `Limits.MAX_EVENT_TIME_SKEW`. Earlier times are accepted: EPCIS events are often captured
    /// late (a scanner offline for a day), and their order is the history's, not their times'.
    /// @param eventTime The claimed time.
    /// @param index The batch index, or `SINGLE`.
    function _requireEventTime(uint40 eventTime, uint256 index) internal view {
        uint256 latest = block.timestamp + Limits.MAX_EVENT_TIME_SKEW;
        if (eventTime == 0 || eventTime > latest) {
            _fail(index, abi.encodeWithSelector(TraceLedgerInvalidEventTime.selector, eventTime, latest));
        }
    }

    /// @notice Runs a step through the state machine (and the customs state it changes).
    /// @param unit The unit.
    /// @param word Its word.
    /// @param step A defined step the account may record.
    /// @param index The batch index, or `SINGLE`.
    /// @return The unit's word with its new status.
    function _applyStep(bytes32 unit, uint256 word, uint8 step, uint256 index) internal returns (uint256) {
        uint8 own = word.status();
        uint8 next = own;
        // Fast path: an ordinary unit (not packed, held, recalled or destroyed) and a step that leaves the
        // status as it is need no state-machine evaluation.
        if (own & STATUS_SENSITIVE != 0 || (StageRules.STATUS_STEPS >> step) & 1 == 1) {
            uint8 eff = UnitRecord.isPacked(own) ? _effectiveStatus(word) : own;
            uint8 code;
            (next, code) = StageRules.transition(step, own, eff);
            if (code != StageRules.OK) _fail(index, _stageError(code, unit, step, eff));
            // A packed unit held, recalled, lifted or destroyed changes what the units around it hold.
            if (next != own && UnitRecord.isPacked(own)) _recountAround(unit, word, own, next);
            if ((CUSTOMS_STATE_STEPS >> step) & 1 == 1) _customsStatus(unit, word, step, index);
        }
        return word.withStatus(next);
    }

    /// @notice What a customs status does to the unit's customs state.
    /// @param unit The unit.
    /// @param word Its word.
    /// @param step CUSTOMS_REJECTED, CUSTOMS_EXITED, RETURNED or CUSTOMS_RETURNED.
    /// @param index The batch index, or `SINGLE`.
    function _customsStatus(bytes32 unit, uint256 word, uint8 step, uint256 index) private {
        CustomsStorage.Layout storage s = CustomsStorage.layout();
        UnitCustoms storage u = s.units[unit];
        uint8 f = u.flags;
        if (step == Steps.CUSTOMS_EXITED) {
            u.flags = f | CustomsFlags.EXPORTED;
        } else if (step == Steps.CUSTOMS_REJECTED) {
            // Money already moved on this export: only a return (退运) reverses it, not a rejection.
            if (f & (CustomsFlags.FX_SETTLED | CustomsFlags.REFUNDED) != 0) {
                _fail(index, abi.encodeWithSelector(CustomsExportSettled.selector, unit));
            }
            bytes32 declaration = u.declaration;
            // The rejected declaration frees what it cited (see `CustomsDocument.rejected`).
            if (declaration != 0) s.documents[declaration].rejected = true;
            u.declaration = 0;
            u.mode = 0;
            u.flags = f & ~(CustomsFlags.DECLARED | CustomsFlags.EXPORTED);
        } else {
            // A return: a refund of these goods (their own, a parent's around them, or of goods inside) is to
            // be repaid.
            bool refunded = f & (CustomsFlags.REFUNDED | CustomsFlags.GOODS_REFUNDED) != 0;
            bytes32[] memory ancestors = _ancestorsOf(word);
            for (uint256 i; i < ancestors.length; ++i) {
                if (s.units[ancestors[i]].flags & CustomsFlags.REFUNDED != 0) refunded = true;
            }
            if (refunded) {
                u.flags = f | CustomsFlags.REFUND_TO_REPAY;
                emit CustomsRefundToRepay(unit);
            }
        }
    }

    /// @notice The keys of every unit a unit is (transitively) packed in, innermost first.
    /// @param word The unit word.
    /// @return list The parents.
    function _ancestorsOf(uint256 word) internal view returns (bytes32[] memory list) {
        uint256 depth;
        for (uint256 w = word; UnitRecord.isPacked(w.status()); w = _units[_containerUnits[w.holder()]]) ++depth;
        list = new bytes32[](depth);
        for (uint256 i; i < depth; ++i) {
            list[i] = _containerUnits[word.holder()];
            word = _units[list[i]];
        }
    }

    /// @notice Appends one entry to a unit's chain, stores the word and emits `Traced`.
    /// @param unit The unit.
    /// @param word Its word, with status and holder already updated.
    /// @param account The acting account.
    /// @param orgId Its organization.
    /// @param data The entry's data (record hash or parent key).
    /// @param partialInfo The info word from `TraceInfo.base`.
    function _advance(
        bytes32 unit,
        uint256 word,
        address account,
        uint32 orgId,
        bytes32 data,
        uint256 partialInfo
    ) internal {
        _requireBlockNumberFits();
        uint32 seq = word.seq();
        if (seq == type(uint32).max) revert TraceLedgerUnitHistoryFull(unit);
        // Cannot overflow: checked just above.
        unchecked {
            ++seq;
        }
        uint256 info = TraceInfo.complete(partialInfo, word.lastBlock(), seq, orgId);
        _units[unit] = word.advanced(TraceInfo.next(word.head(), unit, account, data, info, TraceInfo.blockRef()), seq);
        emit Traced(unit, account, data, info);
    }

    /// @notice Loads a registered unit the account's organization may write on.
    /// @param unit The unit.
    /// @param a The acting account word.
    /// @param index The batch index, or `SINGLE`.
    /// @return word The unit word.
    function _loadInScope(bytes32 unit, Account memory a, uint256 index) internal view returns (uint256 word) {
        word = _units[unit];
        if (word == 0) _fail(index, abi.encodeWithSelector(TraceLedgerUnknownUnit.selector, unit));
        if (!_inScope(unit, word, a.orgId, a.roles)) {
            _fail(index, abi.encodeWithSelector(TraceLedgerOutOfScope.selector, unit, a.orgId));
        }
    }

    /// @notice Reads a unit word (0 when not registered).
    /// @param unit The unit.
    /// @return The word.
    function _unitWord(bytes32 unit) internal view returns (uint256) {
        return _units[unit];
    }

    /// @notice Whether an organization may write on a unit: regulators always; otherwise its (effective)
    /// custodian, or an organization its custodian assigned to it or to any parent it is packed in. The
    /// registrant is only the first custodian: its power ends when it hands custody on.
    /// @param unit The unit.
    /// @param word Its word.
    /// @param orgId The acting organization.
    /// @param roles The acting roles.
    /// @return True when in scope.
    function _inScope(bytes32 unit, uint256 word, uint32 orgId, uint16 roles) internal view returns (bool) {
        if (roles & Roles.REGULATOR_MASK != 0) return true;
        uint32 custodian = _custodianOf(word);
        if (custodian == orgId) return true;
        // Walk out through the parents: a live assignment on any of them counts.
        while (!_isAssigned(unit, word, orgId, custodian)) {
            if (!UnitRecord.isPacked(word.status())) return false;
            unit = _containerUnits[word.holder()];
            word = _units[unit];
        }
        return true;
    }

    /// @notice The status that holds for a packed unit: the furthest stage and every hold, recall and
    /// flag among it and its parents.
    /// @param word The unit word.
    /// @return eff The effective status byte.
    function _effectiveStatus(uint256 word) internal view returns (uint8 eff) {
        eff = word.status();
        uint8 stage = UnitRecord.stageOf(eff);
        uint8 flags = eff & ~Flags.STAGE_MASK;
        while (UnitRecord.isPacked(word.status())) {
            word = _units[_containerUnits[word.holder()]];
            uint8 s = word.status();
            if (UnitRecord.stageOf(s) > stage) stage = UnitRecord.stageOf(s);
            flags |= s & INHERITED_FLAGS;
        }
        return stage | flags;
    }

    /// @notice Moves the difference a packed unit's new status makes to the stopped counts around it.
    /// @param unit The packed unit.
    /// @param word Its word.
    /// @param own Its status byte before the step.
    /// @param next Its status byte after the step.
    function _recountAround(bytes32 unit, uint256 word, uint8 own, uint8 next) private {
        uint256 before = _stopWeight(unit, own);
        uint256 afterwards = _stopWeight(unit, next);
        if (before == afterwards) return;
        bytes32 parent = _containerUnits[word.holder()];
        if (afterwards > before) _countStopped(parent, afterwards - before, true);
        else _countStopped(parent, before - afterwards, false);
    }

    /// @notice How many stopped units a unit stands for in the counts of the units around it: itself when
    /// held or recalled, plus what it holds; nothing once destroyed (nothing can be recorded on a destroyed
    /// unit or its contents any more, so they must not stop the units around it forever).
    /// @param unit The unit.
    /// @param s Its own status byte.
    /// @return The weight.
    function _stopWeight(bytes32 unit, uint8 s) internal view returns (uint256) {
        if (UnitRecord.stageOf(s) == Stages.DESTROYED) return 0;
        uint256 w = s & STOPPING_FLAGS != 0 ? 1 : 0;
        return s & Flags.HOLDS_STOPPED != 0 ? w + _stoppedInside[unit] : w;
    }

    /// @notice Adds `n` stopped units to (or removes them from) the counts of `unit` and of every unit it is
    /// packed in, setting `Flags.HOLDS_STOPPED` where a count leaves 0 and clearing it where it reaches 0.
    /// @param unit The innermost unit whose contents changed.
    /// @param n How many.
    /// @param add True to add, false to remove.
    function _countStopped(bytes32 unit, uint256 n, bool add) internal {
        while (true) {
            uint256 c = add ? _stoppedInside[unit] + n : _stoppedInside[unit] - n;
            _stoppedInside[unit] = c;
            uint256 word = _units[unit];
            uint8 s = word.status();
            _units[unit] = word.withStatus(c == 0 ? s & ~Flags.HOLDS_STOPPED : s | Flags.HOLDS_STOPPED);
            if (!UnitRecord.isPacked(s)) return;
            unit = _containerUnits[word.holder()];
        }
    }

    /// @notice Reverts when a unit is itself held (`TraceLedgerUnitHeld`) or recalled (`TraceLedgerUnitRecalled`).
    /// @param s The unit's own status byte.
    /// @param unit The unit.
    /// @param step The refused step.
    /// @param index The batch index, or `SINGLE`.
    function _requireUnstopped(uint8 s, bytes32 unit, uint8 step, uint256 index) internal pure {
        if (s & STOPPING_FLAGS != 0) {
            bytes4 e = s & Flags.HELD != 0 ? TraceLedgerUnitHeld.selector : TraceLedgerUnitRecalled.selector;
            _fail(index, abi.encodeWithSelector(e, unit, step));
        }
    }

    /// @notice Reverts when a unit holding a held or recalled unit would take a step that stops it.
    /// @param word The unit word.
    /// @param unit The unit.
    /// @param step The step.
    /// @param index The batch index, or `SINGLE`.
    function _requireNotStopped(uint256 word, bytes32 unit, uint8 step, uint256 index) internal pure {
        if (word.status() & Flags.HOLDS_STOPPED != 0 && (StageRules.STOPPED_INSIDE_BLOCKED >> step) & 1 == 1) {
            _fail(index, abi.encodeWithSelector(TraceLedgerContainsStopped.selector, unit, step));
        }
    }

    /// @notice The custodian organization: the unit's own, or that of its outermost parent when packed.
    /// @param word The unit word.
    /// @return The organization id.
    function _custodianOf(uint256 word) internal view returns (uint32) {
        while (UnitRecord.isPacked(word.status())) {
            word = _units[_containerUnits[word.holder()]];
        }
        return word.holder();
    }

    /// @notice The container number of a parent, allocated on first use.
    /// @param parent The parent unit.
    /// @return no The container number.
    function _containerNoFor(bytes32 parent) internal returns (uint32 no) {
        no = _containerNos[parent];
        if (no == 0) {
            if (_containerCount == type(uint32).max) revert TraceLedgerContainerNumbersExhausted();
            no = ++_containerCount;
            _containerNos[parent] = no;
            _containerUnits[no] = parent;
        }
    }

    /// @notice The container number of a parent, 0 if nothing was ever packed in it.
    /// @param parent The parent unit.
    /// @return The container number.
    function _containerNoOf(bytes32 parent) internal view returns (uint32) {
        return _containerNos[parent];
    }

    /// @notice The unit a container number stands for.
    /// @param no The container number.
    /// @return The unit key.
    function _containerUnit(uint32 no) internal view returns (bytes32) {
        return _containerUnits[no];
    }

    /// @notice Sets or removes an assignment made by the custodian `by`.
    /// @param unit The unit.
    /// @param orgId The organization.
    /// @param by The assigning custodian.
    /// @param assigned The new value.
    function _setAssigned(bytes32 unit, uint32 orgId, uint32 by, bool assigned) internal {
        _assigned[unit][orgId] = assigned ? (uint96(_handovers) << 32) | by : 0;
    }

    /// @notice Whether an assignment on `unit` is live: made by the current custodian and no handover of the
    /// unit or of a parent around it accepted since (so it does not revive when custody comes back).
    /// @param unit The unit.
    /// @param word Its word.
    /// @param orgId The organization.
    /// @param custodian The unit's effective custodian.
    /// @return True when live.
    function _isAssigned(bytes32 unit, uint256 word, uint32 orgId, uint32 custodian) internal view returns (bool) {
        uint96 a = _assigned[unit][orgId];
        if (a == 0 || uint32(a) != custodian) return false;
        uint64 since = uint64(a >> 32);
        while (_custodyEpochs[unit] <= since) {
            if (!UnitRecord.isPacked(word.status())) return true;
            unit = _containerUnits[word.holder()];
            word = _units[unit];
        }
        return false;
    }

    /// @notice The latest custody epoch of a unit and of every parent around it.
    /// @param unit The unit.
    /// @param word Its word.
    /// @return e The largest epoch on the path.
    function _pathEpoch(bytes32 unit, uint256 word) internal view returns (uint64 e) {
        e = _custodyEpochs[unit];
        while (UnitRecord.isPacked(word.status())) {
            unit = _containerUnits[word.holder()];
            word = _units[unit];
            uint64 p = _custodyEpochs[unit];
            if (p > e) e = p;
        }
    }

    /// @notice A child leaving its parent keeps the parent's custody epoch, so that assignments a handover of
    /// the parent ended stay ended (free unless the parent was ever handed over).
    /// @param child The child.
    /// @param epoch `_pathEpoch` of the parent.
    function _inheritCustodyEpoch(bytes32 child, uint64 epoch) internal {
        if (epoch != 0 && epoch > _custodyEpochs[child]) _custodyEpochs[child] = epoch;
    }

    /// @notice Starts a new custody epoch on a unit whose handover is being accepted: every assignment on it
    /// and on what is inside it ends.
    /// @param unit The unit.
    function _newCustodyEpoch(bytes32 unit) internal {
        uint64 n = _handovers + 1;
        _handovers = n;
        _custodyEpochs[unit] = n;
    }

    /// @dev Unit words and `Traced` infos keep block numbers in 32 bits (with 1-second blocks that lasts 136
    /// years); past that a write would store a wrapped number and break the findable history, so it is refused.
    function _requireBlockNumberFits() internal view {
        if (block.number > type(uint32).max) revert TraceLedgerBlockNumberTooLarge(block.number);
    }

    /// @notice The error for a step the account's roles may not record.
    /// @param account The acting account.
    /// @param a Its account word.
    /// @param step The step.
    /// @return The ABI-encoded error.
    function _stepDenial(address account, Account memory a, uint8 step) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ConsortiumStepNotAllowed.selector, account, a.orgId, step, a.roles);
    }

    /// @notice Reverts when batch length is 0 or above `MAX_BATCH`.
    /// @param length The batch length.
    function _checkBatch(uint256 length) internal pure {
        if (length == 0) revert TraceLedgerEmptyBatch();
        if (length > MAX_BATCH) revert TraceLedgerBatchTooLarge(length, MAX_BATCH);
    }

    /// @notice The error for a stage-rule refusal.
    /// @param code The `StageRules` code.
    /// @param unit The unit.
    /// @param step The step.
    /// @param eff The effective status.
    /// @return The ABI-encoded error.
    function _stageError(uint8 code, bytes32 unit, uint8 step, uint8 eff) internal pure returns (bytes memory) {
        if (code == StageRules.DESTROYED) return abi.encodeWithSelector(TraceLedgerUnitDestroyed.selector, unit);
        if (code == StageRules.HELD) return abi.encodeWithSelector(TraceLedgerUnitHeld.selector, unit, step);
        if (code == StageRules.RECALLED) return abi.encodeWithSelector(TraceLedgerUnitRecalled.selector, unit, step);
        if (code == StageRules.NOTHING_TO_LIFT) {
            return abi.encodeWithSelector(TraceLedgerNothingToLift.selector, unit, step);
        }
        if (code == StageRules.CONTAINS_STOPPED) {
            return abi.encodeWithSelector(TraceLedgerContainsStopped.selector, unit, step);
        }
        return abi.encodeWithSelector(TraceLedgerStageViolation.selector, unit, step, UnitRecord.stageOf(eff));
    }

    /// @notice Reverts with an item's error: as is for a single call, wrapped with its index in a batch.
    /// @param index The batch index, or `SINGLE`.
    /// @param reason The ABI-encoded custom error.
    function _fail(uint256 index, bytes memory reason) internal pure {
        if (index != SINGLE) revert TraceLedgerBatchItemRejected(index, reason);
        _raise(reason);
    }
}
