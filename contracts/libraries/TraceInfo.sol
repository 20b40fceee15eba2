// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title TraceInfo
/// @notice Packs the `info` word of the `Traced` log and computes the per-unit hash chain.
/// @dev Packing several small fields into one log word costs 256 gas instead of 256 per field, which is
/// what keeps a batched event cheap (see `npm run bench:gas`). The SDK decodes the same layout
/// (`decodeInfo` in `src/codes/index.ts`); `test/HashChain.parity.test.ts` pins both sides to each other.
library TraceInfo {
    uint256 internal constant DISPOSITION_SHIFT = 8;
    uint256 internal constant EVENT_TIME_SHIFT = 16;
    uint256 internal constant LOCATION_SHIFT = 56;
    uint256 internal constant PREV_BLOCK_SHIFT = 120;
    uint256 internal constant SEQ_SHIFT = 152;
    uint256 internal constant ORG_SHIFT = 184;
    uint256 internal constant AUX_SHIFT = 216;

    /// @notice The caller-supplied part of an entry: step, disposition, event time, location and aux.
    /// @param step Step code.
    /// @param disposition Disposition code.
    /// @param eventTime Claimed event time.
    /// @param location GLN or short code.
    /// @param aux Step-specific extra value (40 bits).
    /// @return The partial info word.
    function base(
        uint8 step,
        uint8 disposition,
        uint40 eventTime,
        uint64 location,
        uint40 aux
    ) internal pure returns (uint256) {
        return
            uint256(step) |
            (uint256(disposition) << DISPOSITION_SHIFT) |
            (uint256(eventTime) << EVENT_TIME_SHIFT) |
            (uint256(location) << LOCATION_SHIFT) |
            (uint256(aux) << AUX_SHIFT);
    }

    /// @notice Adds the ledger-supplied fields to a partial info word.
    /// @param partialInfo The word from `base`.
    /// @param prevBlock Block of the unit's previous entry (0 for the first).
    /// @param seq This entry's sequence number.
    /// @param org The acting organization.
    /// @return The complete info word.
    function complete(uint256 partialInfo, uint32 prevBlock, uint32 seq, uint32 org) internal pure returns (uint256) {
        return
            partialInfo |
            (uint256(prevBlock) << PREV_BLOCK_SHIFT) |
            (uint256(seq) << SEQ_SHIFT) |
            (uint256(org) << ORG_SHIFT);
    }

    /// @notice The first head of a unit's chain, binding it to this chain and ledger.
    /// @param unit The unit key.
    /// @return The genesis head.
    function genesis(bytes32 unit) internal view returns (bytes16) {
        return bytes16(keccak256(abi.encode(block.chainid, address(this), unit)));
    }

    /// @notice The block an entry is written in, as the hash chain covers it: its number and timestamp.
    /// @dev Chained so that an endpoint serving the logs cannot move an entry to another block or time
    /// without breaking the head (the log's block number and the block header's time are otherwise
    /// only the endpoint's word).
    /// @return `block.number << 64 | block.timestamp`.
    function blockRef() internal view returns (uint256) {
        return (block.number << 64) | block.timestamp;
    }

    /// @notice The next head after an entry.
    /// @dev 128 bits: finding a different history with the same head is a second-preimage search (2^128);
    /// see docs/contracts.md for why the head is truncated (one storage slot per unit).
    /// @param head The current head.
    /// @param unit The unit key.
    /// @param account The acting account.
    /// @param data The entry's data word.
    /// @param info The complete info word.
    /// @param ref The entry's block (`blockRef()`).
    /// @return The new head.
    function next(
        bytes16 head,
        bytes32 unit,
        address account,
        bytes32 data,
        uint256 info,
        uint256 ref
    ) internal pure returns (bytes16) {
        bytes32 digest;
        // keccak256(abi.encode(head, unit, account, data, info, ref)), hashed in scratch memory: abi.encode
        // would allocate on every entry of a batch (~250 gas per entry measured with `npm run bench:gas`).
        // `test/HashChain.parity.test.ts` pins it to the TypeScript `nextHead`.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, head)
            mstore(add(m, 0x20), unit)
            mstore(add(m, 0x40), account)
            mstore(add(m, 0x60), data)
            mstore(add(m, 0x80), info)
            mstore(add(m, 0xa0), ref)
            digest := keccak256(m, 0xc0)
        }
        return bytes16(digest);
    }
}
