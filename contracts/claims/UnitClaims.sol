// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IUnitClaims} from "../interfaces/IUnitClaims.sol";
import {ITraceLedger} from "../interfaces/ITraceLedger.sol";
import {IConsortiumTypes} from "../interfaces/IConsortiumTypes.sol";
import {Stages} from "../types/Stages.sol";
import {TagKinds} from "./TagKinds.sol";

/// @title UnitClaims
/// @notice First-scan claims and tag taps of ledger units (`IUnitClaims`), deployed beside one `TraceLedger`.
/// @dev A contract of its own: the ledger has little EIP-170 room left, and authenticity needs nothing from it but
/// its views (`unitState`, `accountInfo`, `paused`). The ledger's governance does not reach in here: nobody, not
/// even the consortium admin, can set, change or clear a commitment, a claim or a tag other than as documented.
contract UnitClaims is IUnitClaims {
    /// @notice Most units per `commitClaims` call (as the ledger's batches).
    uint256 public constant MAX_BATCH = 500;
    /// @notice Largest NTAG 424 DNA read counter (SDMReadCtr is 24 bits).
    uint32 public constant MAX_SUN_COUNTER = 0xFFFFFF;

    /// @dev Domain tags of the hashes: a claim secret's commitment and a chip's tap digest never collide.
    string private constant CLAIM_DOMAIN = "cbec-trace:claim";
    string private constant TAP_DOMAIN = "cbec-trace:tap";

    /// @notice One unit's claim, in one storage word beside its commitment.
    struct ClaimRecord {
        uint40 claimedAt;
        uint64 claimBlock;
        uint8 stage;
    }

    /// @notice One unit's tag, in one storage word.
    struct TagRecord {
        bytes20 id;
        uint8 kind;
        uint32 lastCounter;
        uint40 lastTapAt;
    }

    ITraceLedger private immutable _ledger;
    mapping(bytes32 unit => bytes32) private _commitments;
    mapping(bytes32 unit => ClaimRecord) private _claims;
    mapping(bytes32 unit => TagRecord) private _tags;
    mapping(bytes20 id => bytes32 unit) private _tagUnits;

    /// @notice Deploys the registry of one ledger.
    /// @param traceLedger The ledger whose units and accounts this registry reads.
    constructor(ITraceLedger traceLedger) {
        _ledger = traceLedger;
    }

    /// @inheritdoc IUnitClaims
    function commitClaims(bytes32[] calldata units, bytes32[] calldata commitments) external {
        _whenNotPaused();
        uint256 n = units.length;
        if (n == 0) revert UnitClaimsEmptyBatch();
        if (n > MAX_BATCH) revert UnitClaimsBatchTooLarge(n, MAX_BATCH);
        if (commitments.length != n) revert UnitClaimsLengthMismatch(n, commitments.length);
        uint32 orgId = _callerOrg();
        for (uint256 i; i < n; ++i) {
            bytes32 unit = units[i];
            bytes32 commitment = commitments[i];
            _requireBrandOf(unit, orgId);
            if (commitment == bytes32(0)) revert UnitClaimsZeroCommitment(unit);
            if (_commitments[unit] != bytes32(0)) revert UnitClaimsAlreadyCommitted(unit);
            _commitments[unit] = commitment;
            emit ClaimCommitted(unit, orgId, commitment);
        }
    }

    /// @inheritdoc IUnitClaims
    function claim(bytes32 unit, bytes32 secret) external {
        _whenNotPaused();
        bytes32 commitment = _commitments[unit];
        if (commitment == bytes32(0)) revert UnitClaimsNoCommitment(unit);
        uint40 claimedAt = _claims[unit].claimedAt;
        if (claimedAt != 0) revert UnitClaimsAlreadyClaimed(unit, claimedAt);
        if (_commitment(unit, secret) != commitment) revert UnitClaimsWrongSecret(unit);
        (, , uint8 stage) = _unitFacts(unit);
        _claims[unit] = ClaimRecord(uint40(block.timestamp), uint64(block.number), stage);
        emit Claimed(unit, secret, stage, msg.sender);
    }

    /// @inheritdoc IUnitClaims
    function bindSunTag(bytes32 unit, bytes7 uid) external {
        _bind(unit, TagKinds.SUN, bytes20(uid));
    }

    /// @inheritdoc IUnitClaims
    function bindChip(bytes32 unit, address chip) external {
        _bind(unit, TagKinds.CHIP, bytes20(chip));
    }

    /// @inheritdoc IUnitClaims
    function recordSunTap(bytes32 unit, bytes7 uid, uint32 counter) external {
        _whenNotPaused();
        _requireBrandOf(unit, _callerOrg());
        TagRecord storage tag = _tags[unit];
        if (tag.kind != TagKinds.SUN || tag.id != bytes20(uid)) revert UnitClaimsTagMismatch(unit, TagKinds.SUN);
        if (counter > MAX_SUN_COUNTER) revert UnitClaimsCounterTooLarge(counter);
        _recordTap(unit, tag, counter);
    }

    /// @inheritdoc IUnitClaims
    function submitChipTap(bytes32 unit, uint32 counter, bytes calldata signature) external {
        _whenNotPaused();
        TagRecord storage tag = _tags[unit];
        if (tag.kind != TagKinds.CHIP) revert UnitClaimsTagMismatch(unit, TagKinds.CHIP);
        // tryRecover refuses high-s and malformed signatures (returns 0), so a signature has one valid form only.
        (address signer, , ) = ECDSA.tryRecover(_tapDigest(unit, counter), signature);
        if (signer == address(0) || bytes20(signer) != tag.id) revert UnitClaimsBadChipSignature(unit, signer);
        _recordTap(unit, tag, counter);
    }

    /// @inheritdoc IUnitClaims
    function commitmentOf(bytes32 unit, bytes32 secret) external view returns (bytes32) {
        return _commitment(unit, secret);
    }

    /// @inheritdoc IUnitClaims
    function chipTapDigest(bytes32 unit, uint32 counter) external view returns (bytes32) {
        return _tapDigest(unit, counter);
    }

    /// @inheritdoc IUnitClaims
    function claimOf(
        bytes32 unit
    ) external view returns (bytes32 commitment, uint40 claimedAt, uint64 claimBlock, uint8 stage) {
        ClaimRecord memory c = _claims[unit];
        return (_commitments[unit], c.claimedAt, c.claimBlock, c.stage);
    }

    /// @inheritdoc IUnitClaims
    function tagOf(bytes32 unit) external view returns (uint8 kind, bytes20 id, uint32 lastCounter, uint40 lastTapAt) {
        TagRecord memory t = _tags[unit];
        return (t.kind, t.id, t.lastCounter, t.lastTapAt);
    }

    /// @inheritdoc IUnitClaims
    function unitOfTag(bytes20 id) external view returns (bytes32 unit) {
        return _tagUnits[id];
    }

    /// @inheritdoc IUnitClaims
    function ledger() external view returns (address) {
        return address(_ledger);
    }

    /// @inheritdoc IUnitClaims
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /// @notice Binds a tag, after the brand checks.
    /// @param unit The unit.
    /// @param kind The tag kind.
    /// @param id The tag id.
    function _bind(bytes32 unit, uint8 kind, bytes20 id) private {
        _whenNotPaused();
        _requireBrandOf(unit, _callerOrg());
        if (_tags[unit].kind != TagKinds.NONE) revert UnitClaimsTagAlreadyBound(unit);
        if (id == bytes20(0)) revert UnitClaimsZeroTag(unit);
        bytes32 other = _tagUnits[id];
        if (other != bytes32(0)) revert UnitClaimsTagInUse(id, other);
        _tags[unit] = TagRecord(id, kind, 0, 0);
        _tagUnits[id] = unit;
        emit TagBound(unit, kind, id);
    }

    /// @notice Records a tap whose counter rises above the tag's last one.
    /// @param unit The unit.
    /// @param tag The unit's tag.
    /// @param counter The tap's counter.
    function _recordTap(bytes32 unit, TagRecord storage tag, uint32 counter) private {
        uint32 last = tag.lastCounter;
        // A first tap must rise above 0 too: an NTAG's counter is 1 at its first read once SDM is on.
        if (counter <= last) revert UnitClaimsTapReplayed(unit, counter, last);
        tag.lastCounter = counter;
        tag.lastTapAt = uint40(block.timestamp);
        emit TapRecorded(unit, tag.kind, counter, msg.sender);
    }

    /// @notice Reverts while the ledger is paused.
    function _whenNotPaused() private view {
        if (_ledger.paused()) revert UnitClaimsPaused();
    }

    /// @notice The caller's organization when it is an active account that may act (0 otherwise).
    /// @return orgId The organization, 0 for anyone else.
    function _callerOrg() private view returns (uint32 orgId) {
        (uint32 org, uint16 roles, IConsortiumTypes.AccountStatus status, ) = _ledger.accountInfo(msg.sender);
        // roles read 0 while the account's organization is suspended.
        return status == IConsortiumTypes.AccountStatus.Active && roles != 0 ? org : 0;
    }

    /// @notice Reverts unless the unit is registered, not destroyed (itself or a parent it is packed in), and
    /// `orgId` (non-zero) is its registrant.
    /// @param unit The unit.
    /// @param orgId The caller's organization (`_callerOrg`).
    function _requireBrandOf(bytes32 unit, uint32 orgId) private view {
        (bytes16 head, uint32 registrant, uint8 stage) = _unitFacts(unit);
        if (head == bytes16(0)) revert UnitClaimsUnknownUnit(unit);
        if (orgId == 0 || orgId != registrant) revert UnitClaimsNotBrand(unit, msg.sender, registrant);
        if (stage == Stages.DESTROYED) revert UnitClaimsUnitDestroyed(unit);
    }

    /// @notice What this registry needs of a unit, from the ledger's `unitState`.
    /// @param unit The unit.
    /// @return head Its chain head (0: not registered).
    /// @return registrant Its registrant organization.
    /// @return stage Its effective stage: its own, or its parents' highest while packed (as the ledger's).
    function _unitFacts(bytes32 unit) private view returns (bytes16 head, uint32 registrant, uint8 stage) {
        bytes32 parent;
        (head, , , stage, , registrant, , parent) = _ledger.unitState(unit);
        while (parent != bytes32(0)) {
            uint8 s;
            (, , , s, , , , parent) = _ledger.unitState(parent);
            if (s > stage) stage = s;
        }
    }

    /// @notice `commitmentOf`.
    /// @param unit The unit.
    /// @param secret The secret.
    /// @return The commitment.
    function _commitment(bytes32 unit, bytes32 secret) private view returns (bytes32) {
        return keccak256(abi.encode(CLAIM_DOMAIN, block.chainid, address(this), unit, secret));
    }

    /// @notice `chipTapDigest`.
    /// @param unit The unit.
    /// @param counter The counter.
    /// @return The digest.
    function _tapDigest(bytes32 unit, uint32 counter) private view returns (bytes32) {
        return keccak256(abi.encode(TAP_DOMAIN, block.chainid, address(this), unit, counter));
    }
}
