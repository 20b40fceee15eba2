// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TraceInfo} from "../libraries/TraceInfo.sol";
import {UnitRecord} from "../libraries/UnitRecord.sol";

/// @title TraceInfoHarness
/// @notice Test-only: exposes the `TraceInfo` (log info word, hash chain) and `UnitRecord` (unit storage
/// word) libraries as external functions so the TypeScript SDK can be checked against them.
contract TraceInfoHarness {
    /// @notice `TraceInfo.base`.
    /// @param step Step code.
    /// @param disposition Disposition code.
    /// @param eventTime Event time.
    /// @param location Location.
    /// @param aux Aux field.
    /// @return The partial info word.
    function base(
        uint8 step,
        uint8 disposition,
        uint40 eventTime,
        uint64 location,
        uint40 aux
    ) external pure returns (uint256) {
        return TraceInfo.base(step, disposition, eventTime, location, aux);
    }

    /// @notice `TraceInfo.complete`.
    /// @param partialInfo Word from `base`.
    /// @param prevBlock Previous entry's block.
    /// @param seq Sequence number.
    /// @param org Organization.
    /// @return The complete info word.
    function complete(uint256 partialInfo, uint32 prevBlock, uint32 seq, uint32 org) external pure returns (uint256) {
        return TraceInfo.complete(partialInfo, prevBlock, seq, org);
    }

    /// @notice `TraceInfo.genesis`, bound to this harness's address and the chain id.
    /// @param unit The unit key.
    /// @return The genesis head.
    function genesis(bytes32 unit) external view returns (bytes16) {
        return TraceInfo.genesis(unit);
    }

    /// @notice `TraceInfo.next`.
    /// @param head Current head.
    /// @param unit Unit key.
    /// @param account Acting account.
    /// @param data Data word.
    /// @param info Info word.
    /// @param ref Block reference (`blockRef`).
    /// @return The next head.
    function next(
        bytes16 head,
        bytes32 unit,
        address account,
        bytes32 data,
        uint256 info,
        uint256 ref
    ) external pure returns (bytes16) {
        return TraceInfo.next(head, unit, account, data, info, ref);
    }

    /// @notice `TraceInfo.blockRef`, with the block number and timestamp the call ran in.
    /// @return ref The block reference.
    /// @return blockNumber `block.number` during the call.
    /// @return timestamp `block.timestamp` during the call.
    function blockRef() external view returns (uint256 ref, uint256 blockNumber, uint256 timestamp) {
        return (TraceInfo.blockRef(), block.number, block.timestamp);
    }

    /// @notice `UnitRecord.create`, with the block number the call ran in.
    /// @param newHead Head after registration.
    /// @param orgId Registrant organization.
    /// @return word The new unit word.
    /// @return blockNumber `block.number` during the call.
    function create(bytes16 newHead, uint32 orgId) external view returns (uint256 word, uint256 blockNumber) {
        return (UnitRecord.create(newHead, orgId), block.number);
    }

    /// @notice `UnitRecord.advanced`, with the block number the call ran in.
    /// @param word Current word.
    /// @param newHead New head.
    /// @param newSeq New sequence count.
    /// @return newWord The advanced word.
    /// @return blockNumber `block.number` during the call.
    function advanced(
        uint256 word,
        bytes16 newHead,
        uint32 newSeq
    ) external view returns (uint256 newWord, uint256 blockNumber) {
        return (UnitRecord.advanced(word, newHead, newSeq), block.number);
    }

    /// @notice All `UnitRecord` getters of a word at once.
    /// @param word The unit word.
    /// @return lastBlock Block of the latest entry.
    /// @return seq Entry count.
    /// @return status Status byte.
    /// @return registrant Registrant organization.
    /// @return holder Custodian or container number.
    /// @return head Chain head.
    /// @return packed `isPacked(status)`.
    /// @return stage `stageOf(status)`.
    function fields(
        uint256 word
    )
        external
        pure
        returns (
            uint32 lastBlock,
            uint32 seq,
            uint8 status,
            uint32 registrant,
            uint32 holder,
            bytes16 head,
            bool packed,
            uint8 stage
        )
    {
        status = UnitRecord.status(word);
        return (
            UnitRecord.lastBlock(word),
            UnitRecord.seq(word),
            status,
            UnitRecord.registrant(word),
            UnitRecord.holder(word),
            UnitRecord.head(word),
            UnitRecord.isPacked(status),
            UnitRecord.stageOf(status)
        );
    }

    /// @notice `UnitRecord.withStatus`.
    /// @param word The unit word.
    /// @param newStatus The status byte.
    /// @return The new word.
    function withStatus(uint256 word, uint8 newStatus) external pure returns (uint256) {
        return UnitRecord.withStatus(word, newStatus);
    }

    /// @notice `UnitRecord.withHolder`.
    /// @param word The unit word.
    /// @param newHolder The holder value.
    /// @return The new word.
    function withHolder(uint256 word, uint32 newHolder) external pure returns (uint256) {
        return UnitRecord.withHolder(word, newHolder);
    }
}
