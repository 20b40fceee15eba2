// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IUnitClaims
/// @notice Authenticity beside the ledger (issue 17): a first-scan claim per unit, and taps of a tag bound to it.
///
/// The brand (an active account of the unit's registrant organization) commits per unit to the hash of a secret
/// printed out of sight (under a scratch-off, inside the packaging): `commitmentOf(unit, secret) =
/// keccak256(abi.encode("cbec-trace:claim", chainid, this contract, unit, secret))`. Whoever reveals the secret
/// first claims the unit, once; the claim records only its time and the unit's effective stage, so a relayer or
/// the mempool that sees the secret can front-run the claim but not change what it says.
///
/// A brand binds at most one tag per unit: an NTAG 424 DNA (its service verifies SUN messages off chain and
/// records the read counter here) or a secp256k1 chip (anyone submits its signature over `chipTapDigest`). A tap
/// is recorded only when its counter rises above the tag's last one.
interface IUnitClaims {
    /// @notice Emitted when the brand commits to a unit's claim secret.
    /// @param unit The unit key.
    /// @param orgId The committing (registrant) organization.
    /// @param commitment `commitmentOf(unit, secret)`.
    event ClaimCommitted(bytes32 indexed unit, uint32 indexed orgId, bytes32 commitment);
    /// @notice Emitted when a unit is claimed: the secret is public from here on.
    /// @param unit The unit key.
    /// @param secret The revealed secret.
    /// @param stage The unit's effective stage when claimed (`Stages`; below DELIVERED: a claim before delivery).
    /// @param relayer The account that sent the claim (the platform, usually): it carries no right.
    event Claimed(bytes32 indexed unit, bytes32 secret, uint8 stage, address relayer);
    /// @notice Emitted when the brand binds a tag to a unit.
    /// @param unit The unit key.
    /// @param kind `TagKinds.SUN` or `TagKinds.CHIP`.
    /// @param id The tag: its 7-byte UID left-aligned (SUN), or the chip's address.
    event TagBound(bytes32 indexed unit, uint8 kind, bytes20 indexed id);
    /// @notice Emitted when a tap of a unit's tag is recorded.
    /// @param unit The unit key.
    /// @param kind The tag kind.
    /// @param counter The tap's counter, above every earlier one of this tag.
    /// @param by The brand account (SUN) or the submitter (CHIP).
    event TapRecorded(bytes32 indexed unit, uint8 kind, uint32 counter, address by);

    /// @notice Thrown while the ledger is paused: nothing is written here either.
    error UnitClaimsPaused();
    /// @notice Thrown when a unit is not registered on the ledger.
    /// @param unit The unit key.
    error UnitClaimsUnknownUnit(bytes32 unit);
    /// @notice Thrown when committing to or tagging a destroyed or decommissioned unit.
    /// @param unit The unit key.
    error UnitClaimsUnitDestroyed(bytes32 unit);
    /// @notice Thrown when the caller is not an active account of the unit's registrant organization.
    /// @param unit The unit key.
    /// @param account The caller.
    /// @param registrant The unit's registrant organization.
    error UnitClaimsNotBrand(bytes32 unit, address account, uint32 registrant);
    /// @notice Thrown when a batch is empty.
    error UnitClaimsEmptyBatch();
    /// @notice Thrown when a batch exceeds `MAX_BATCH` units.
    /// @param length The batch length.
    /// @param max The limit.
    error UnitClaimsBatchTooLarge(uint256 length, uint256 max);
    /// @notice Thrown when there are not as many commitments as units.
    /// @param units The number of units.
    /// @param commitments The number of commitments.
    error UnitClaimsLengthMismatch(uint256 units, uint256 commitments);
    /// @notice Thrown when a commitment is zero (zero means "none").
    /// @param unit The unit key.
    error UnitClaimsZeroCommitment(bytes32 unit);
    /// @notice Thrown when a unit already has a commitment: it is set once, so nobody can swap a buyer's secret.
    /// @param unit The unit key.
    error UnitClaimsAlreadyCommitted(bytes32 unit);
    /// @notice Thrown when claiming a unit without a commitment.
    /// @param unit The unit key.
    error UnitClaimsNoCommitment(bytes32 unit);
    /// @notice Thrown when claiming a unit already claimed: whoever offers its code again holds a copy.
    /// @param unit The unit key.
    /// @param claimedAt When the first claim was recorded (block time, Unix seconds).
    error UnitClaimsAlreadyClaimed(bytes32 unit, uint40 claimedAt);
    /// @notice Thrown when a secret does not open the unit's commitment.
    /// @param unit The unit key.
    error UnitClaimsWrongSecret(bytes32 unit);
    /// @notice Thrown when binding a tag to a unit that already has one.
    /// @param unit The unit key.
    error UnitClaimsTagAlreadyBound(bytes32 unit);
    /// @notice Thrown when a tag id is zero.
    /// @param unit The unit key.
    error UnitClaimsZeroTag(bytes32 unit);
    /// @notice Thrown when a tag is already bound to a unit: one genuine tag never vouches for two units.
    /// @param id The tag id.
    /// @param unit The unit it is bound to.
    error UnitClaimsTagInUse(bytes20 id, bytes32 unit);
    /// @notice Thrown when a tap names a tag kind or id the unit is not bound to.
    /// @param unit The unit key.
    /// @param kind The kind of the tap.
    error UnitClaimsTagMismatch(bytes32 unit, uint8 kind);
    /// @notice Thrown when a tap's counter is not above the tag's last recorded one: a replayed tap.
    /// @param unit The unit key.
    /// @param counter The tap's counter.
    /// @param lastCounter The tag's last recorded counter.
    error UnitClaimsTapReplayed(bytes32 unit, uint32 counter, uint32 lastCounter);
    /// @notice Thrown when a SUN read counter exceeds the tag's 24 bits.
    /// @param counter The counter given.
    error UnitClaimsCounterTooLarge(uint32 counter);
    /// @notice Thrown when a chip tap's signature is malformed, malleable (high s) or not the bound chip's.
    /// @param unit The unit key.
    /// @param recovered The address the signature recovers to (0 when it recovers to none).
    error UnitClaimsBadChipSignature(bytes32 unit, address recovered);

    /// @notice Commits to the claim secrets of many units, by their brand.
    /// @dev Requirements: the ledger not paused; 1..MAX_BATCH units, as many commitments; per unit: registered,
    /// not destroyed, the caller an active account of its registrant organization, no commitment yet, a non-zero
    /// commitment. All or nothing. Emits `ClaimCommitted` per unit.
    /// @param units The unit keys.
    /// @param commitments `commitmentOf(unit, secret)` per unit.
    function commitClaims(bytes32[] calldata units, bytes32[] calldata commitments) external;

    /// @notice Claims a unit by revealing its secret; anyone may send it (the buyer needs no account).
    /// @dev Requirements: the ledger not paused; the unit has a commitment (`UnitClaimsNoCommitment`), is not
    /// claimed (`UnitClaimsAlreadyClaimed` with the first claim's time) and `secret` opens the commitment
    /// (`UnitClaimsWrongSecret`). Records the block time and the unit's effective stage. Emits `Claimed`.
    /// @param unit The unit key.
    /// @param secret The secret printed out of sight on the unit.
    function claim(bytes32 unit, bytes32 secret) external;

    /// @notice Binds an NTAG 424 DNA tag to a unit, by its brand; its service then records the taps.
    /// @dev Requirements: the ledger not paused; the unit registered and not destroyed; the caller an active
    /// account of the registrant organization; no tag on the unit; `uid` non-zero and bound to no other unit.
    /// Emits `TagBound`.
    /// @param unit The unit key.
    /// @param uid The tag's 7-byte UID.
    function bindSunTag(bytes32 unit, bytes7 uid) external;

    /// @notice Binds a secp256k1 chip to a unit, by its brand; anyone may then submit its signed taps.
    /// @dev As `bindSunTag`, with the chip's address as the tag id. Emits `TagBound`.
    /// @param unit The unit key.
    /// @param chip The chip's address (of its public key).
    function bindChip(bytes32 unit, address chip) external;

    /// @notice Records a SUN tap the brand's verification service checked off chain (CMAC with the tag's key).
    /// @dev Requirements: the ledger not paused; the caller an active account of the unit's registrant
    /// organization; the unit bound to the SUN tag `uid`; `counter` below 2^24 and above the tag's last one
    /// (`UnitClaimsTapReplayed`). Emits `TapRecorded`.
    /// @param unit The unit key.
    /// @param uid The UID the SUN message decrypted to.
    /// @param counter The SUN message's SDMReadCtr.
    function recordSunTap(bytes32 unit, bytes7 uid, uint32 counter) external;

    /// @notice Records a chip tap: the bound chip's signature over `chipTapDigest(unit, counter)`; anyone sends it.
    /// @dev Requirements: the ledger not paused; the unit bound to a chip; `signature` (65 bytes r‖s‖v) recovers,
    /// with a low s, to that chip (`UnitClaimsBadChipSignature`); `counter` above the last one
    /// (`UnitClaimsTapReplayed`). Emits `TapRecorded`.
    /// @param unit The unit key.
    /// @param counter The tap's counter.
    /// @param signature The chip's signature.
    function submitChipTap(bytes32 unit, uint32 counter, bytes calldata signature) external;

    /// @notice The commitment a secret makes for a unit, on this chain and contract.
    /// @param unit The unit key.
    /// @param secret The secret.
    /// @return The commitment.
    function commitmentOf(bytes32 unit, bytes32 secret) external view returns (bytes32);

    /// @notice The digest a chip signs for a tap of a unit, on this chain and contract.
    /// @param unit The unit key.
    /// @param counter The tap's counter.
    /// @return The digest (signed as is, without an EIP-191 prefix).
    function chipTapDigest(bytes32 unit, uint32 counter) external view returns (bytes32);

    /// @notice A unit's claim.
    /// @param unit The unit key.
    /// @return commitment Its commitment (0: none).
    /// @return claimedAt Block time of its claim (0: unclaimed).
    /// @return claimBlock Block of its claim (where its `Claimed` log is).
    /// @return stage Its effective stage when claimed (`Stages`).
    function claimOf(
        bytes32 unit
    ) external view returns (bytes32 commitment, uint40 claimedAt, uint64 claimBlock, uint8 stage);

    /// @notice A unit's tag.
    /// @param unit The unit key.
    /// @return kind `TagKinds` (NONE when unbound).
    /// @return id The UID left-aligned (SUN) or the chip's address (CHIP).
    /// @return lastCounter The last recorded tap's counter (0 before any).
    /// @return lastTapAt Block time of the last recorded tap (0 before any).
    function tagOf(bytes32 unit) external view returns (uint8 kind, bytes20 id, uint32 lastCounter, uint40 lastTapAt);

    /// @notice The unit a tag is bound to.
    /// @param id The tag id (UID left-aligned, or the chip's address).
    /// @return unit The unit key (0: none).
    function unitOfTag(bytes20 id) external view returns (bytes32 unit);

    /// @notice The ledger this registry reads units and accounts from.
    /// @return The ledger's address.
    function ledger() external view returns (address);

    /// @notice The version of this contract.
    /// @return The semantic version string.
    function version() external pure returns (string memory);
}
