// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Account} from "./libraries/ConsortiumStorage.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ITraceLedger} from "./interfaces/ITraceLedger.sol";
import {UnitHistories} from "./UnitHistories.sol";

/// @title SignedEvents
/// @notice Events signed offline (EIP-712) by scanners, devices and participants without gas, relayed by
/// the platform one or many batches per transaction. The signer, not the relayer, must be allowed. Of several
/// batches relayed together each succeeds or fails on its own (`SignedBatchFailed`), so no signer's batch,
/// nor anyone racing it, can sink the others.
abstract contract SignedEvents is UnitHistories, EIP712 {
    /// @notice EIP-712 type of one event.
    string public constant TRACE_EVENT_TYPE =
        "TraceEvent(bytes32 unit,uint8 step,uint8 disposition,uint40 eventTime,uint64 location,bytes32 recordHash)";
    /// @notice EIP-712 type hash of `TRACE_EVENT_TYPE`.
    bytes32 public constant TRACE_EVENT_TYPEHASH = keccak256(bytes(TRACE_EVENT_TYPE));
    /// @notice EIP-712 type of a signed batch (with its referenced `TraceEvent` type appended).
    string public constant TRACE_BATCH_TYPE =
        "TraceBatch(address signer,uint64 nonce,uint40 deadline,TraceEvent[] events)"
        "TraceEvent(bytes32 unit,uint8 step,uint8 disposition,uint40 eventTime,uint64 location,bytes32 recordHash)";
    /// @notice EIP-712 type hash of `TRACE_BATCH_TYPE`.
    bytes32 public constant TRACE_BATCH_TYPEHASH = keccak256(bytes(TRACE_BATCH_TYPE));

    /// @param name EIP-712 domain name.
    /// @param domainVersion EIP-712 domain version (equal to `version()`).
    constructor(string memory name, string memory domainVersion) EIP712(name, domainVersion) {}

    /// @inheritdoc ITraceLedger
    function recordBySig(SignedBatch[] calldata batches) external {
        _checkBatch(batches.length);
        // One batch: no self-call (its ~2.5k gas), and the caller gets the precise revert it relies on.
        if (batches.length == 1) {
            _relay(batches[0]);
            return;
        }
        // Paused, every batch would fail: refuse the call instead of charging for a list of failures.
        if (paused()) revert ConsortiumPaused();
        for (uint256 b; b < batches.length; ++b) {
            uint256 freeMemory;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                freeMemory := mload(0x40)
            }
            uint256 gasBefore = gasleft();
            (bool ok, bytes memory reason) = _relayAlone(batches[b]);
            if (!ok) {
                // A call that failed with (almost) all its gas spent was starved by the relayer (EIP-150
                // forwards 63/64): blaming the batch would let a relayer make any valid batch look refused.
                if (gasleft() <= gasBefore / 64) revert TraceLedgerRelayOutOfGas(b);
                emit SignedBatchFailed(b, batches[b].signer, batches[b].nonce, reason);
            }
            // The call data and revert data of this batch are dead now: reusing their memory keeps the
            // (quadratic) memory cost of a long relay linear.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                mstore(0x40, freeMemory)
            }
        }
    }

    /// @notice The next nonce a signer must use.
    /// @param signer The account.
    /// @return The nonce.
    function nonces(address signer) external view returns (uint256) {
        return _nonceOf(signer);
    }

    /// @notice The EIP-712 domain separator of this ledger on this chain.
    /// @return The separator.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice Checks one signed batch and records its events as its signer, or reverts (all of it) with
    /// `TraceLedgerBatchItemRejected(i, reason)`, `i` the event (0 for the batch's own checks).
    /// @dev Reads the signer from the batch, never `msg.sender`: in a multi-batch relay the sender is the
    /// ledger itself.
    /// @param batch The signed batch.
    function _relay(SignedBatch calldata batch) private {
        uint256 count = batch.events.length;
        if (count == 0) _fail(0, abi.encodeWithSelector(TraceLedgerEmptyBatch.selector));
        if (count > MAX_BATCH) {
            _fail(0, abi.encodeWithSelector(TraceLedgerBatchTooLarge.selector, count, MAX_BATCH));
        }
        address signer = batch.signer;
        if (block.timestamp > batch.deadline) {
            _fail(0, abi.encodeWithSelector(TraceLedgerSignatureExpired.selector, batch.deadline));
        }
        uint64 expected = _nonceOf(signer);
        if (!_useNonce(signer, batch.nonce)) {
            _fail(0, abi.encodeWithSelector(TraceLedgerInvalidNonce.selector, signer, expected));
        }
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(TRACE_BATCH_TYPEHASH, signer, batch.nonce, batch.deadline, _hashEvents(batch.events)))
        );
        if (!_isValidSignature(signer, digest, batch.signature)) {
            _fail(0, abi.encodeWithSelector(TraceLedgerInvalidSignature.selector, signer));
        }
        (Account memory a, bytes memory denial) = _accountOrDenial(signer);
        if (denial.length != 0) _fail(0, denial);
        uint256 checked = NO_STEP;
        for (uint256 i; i < count; ++i) {
            checked = _record(signer, a, batch.events[i], i, checked);
        }
    }

    /// @notice Relays one batch alone by calling `recordBySig([batch])` on this ledger, so that its refusal
    /// reverts it alone (with the precise error of a one-batch relay).
    /// @dev Re-encoding a dynamic calldata struct through Solidity copies it twice; the call data is instead
    /// the batch's own ABI bytes behind a one-element array head. Its offsets are relative to its start and
    /// its tails (events, signature) lie after it, so the bytes from its start to the end of the later tail
    /// decode to the same batch.
    /// @param batch The batch.
    /// @return ok Whether it was recorded.
    /// @return reason The revert data when it was not.
    function _relayAlone(SignedBatch calldata batch) private returns (bool ok, bytes memory reason) {
        TraceInput[] calldata events = batch.events;
        bytes calldata signature = batch.signature;
        bytes4 selector = this.recordBySig.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let end := add(events.offset, mul(events.length, 0xc0))
            let signatureEnd := add(signature.offset, signature.length)
            if gt(signatureEnd, end) {
                end := signatureEnd
            }
            let size := sub(end, batch)
            let data := mload(0x40)
            mstore(data, selector)
            mstore(add(data, 0x04), 0x20) // offset of the array
            mstore(add(data, 0x24), 1) // its length
            mstore(add(data, 0x44), 0x20) // offset of its element
            calldatacopy(add(data, 0x64), batch, size)
            ok := call(gas(), address(), 0, data, add(size, 0x64), 0, 0)
            if iszero(ok) {
                reason := data
                mstore(reason, returndatasize())
                returndatacopy(add(reason, 0x20), 0, returndatasize())
                mstore(0x40, add(add(reason, 0x20), and(add(returndatasize(), 0x1f), not(0x1f))))
            }
        }
    }

    /// @notice Whether `signature` is `signer`'s over `digest`: an ECDSA signature of an externally owned
    /// account, or else an ERC-1271 approval by a contract account.
    /// @dev ECDSA first: `SignatureChecker.isValidSignatureNow` reads the signer's code size first, which
    /// costs a cold account access (2,600 gas) on every relayed batch of an ordinary key.
    function _isValidSignature(address signer, bytes32 digest, bytes calldata signature) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        return SignatureChecker.isValidERC1271SignatureNow(signer, digest, signature);
    }

    /// @notice EIP-712 `hashStruct` of an array of events: keccak of their concatenated struct hashes.
    /// @dev `TraceInput` is a static struct, so each element is six contiguous calldata words in the order
    /// of `TRACE_EVENT_TYPE`; hashing them in place saves ~400 gas per event over `abi.encode` (see
    /// bench/gas.json, signedBatch100PerEvent). Dirty (out-of-range) fields cannot slip through: `_record`
    /// reads every field through the ABI decoder, which reverts on them.
    function _hashEvents(TraceInput[] calldata events) private pure returns (bytes32 result) {
        bytes32 typeHash = TRACE_EVENT_TYPEHASH;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let n := events.length
            let hashes := mload(0x40)
            let scratch := add(hashes, mul(n, 0x20))
            mstore(scratch, typeHash)
            for {
                let i := 0
            } lt(i, n) {
                i := add(i, 1)
            } {
                calldatacopy(add(scratch, 0x20), add(events.offset, mul(i, 0xc0)), 0xc0)
                mstore(add(hashes, mul(i, 0x20)), keccak256(scratch, 0xe0))
            }
            result := keccak256(hashes, mul(n, 0x20))
        }
    }
}
