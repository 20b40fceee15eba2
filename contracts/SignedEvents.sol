// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ITraceLedger} from "./interfaces/ITraceLedger.sol";
import {UnitHistories} from "./UnitHistories.sol";

/// @title SignedEvents
/// @notice Events signed offline (EIP-712) by scanners, devices and participants without gas, relayed by
/// the platform one or many batches per transaction. The signer, not the relayer, must be allowed.
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
        for (uint256 b; b < batches.length; ++b) {
            SignedBatch calldata batch = batches[b];
            uint256 where = b << 16;
            uint256 count = batch.events.length;
            if (count == 0) _fail(where, abi.encodeWithSelector(TraceLedgerEmptyBatch.selector));
            if (count > MAX_BATCH) {
                _fail(where, abi.encodeWithSelector(TraceLedgerBatchTooLarge.selector, count, MAX_BATCH));
            }
            address signer = batch.signer;
            if (block.timestamp > batch.deadline) {
                _fail(where, abi.encodeWithSelector(TraceLedgerSignatureExpired.selector, batch.deadline));
            }
            uint64 expected = _nonceOf(signer);
            if (!_useNonce(signer, batch.nonce)) {
                _fail(where, abi.encodeWithSelector(TraceLedgerInvalidNonce.selector, signer, expected));
            }
            bytes32 digest = _hashTypedDataV4(
                keccak256(
                    abi.encode(TRACE_BATCH_TYPEHASH, signer, batch.nonce, batch.deadline, _hashEvents(batch.events))
                )
            );
            if (!_isValidSignature(signer, digest, batch.signature)) {
                _fail(where, abi.encodeWithSelector(TraceLedgerInvalidSignature.selector, signer));
            }
            (Account memory a, bytes memory denial) = _accountOrDenial(signer);
            if (denial.length != 0) _fail(where, denial);
            uint256 checked = NO_STEP;
            for (uint256 i; i < batch.events.length; ++i) {
                checked = _record(signer, a, batch.events[i], (b << 16) | i, checked);
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
