// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ERC1271WalletMock
/// @notice Test-only smart-contract wallet: approves a hash iff the signature is an ECDSA signature of
/// that hash by the wallet's owner EOA (ERC-1271). Used to relay signed batches as a contract account.
contract ERC1271WalletMock is IERC1271 {
    /// @notice The EOA whose ECDSA signatures this wallet accepts.
    address public immutable owner;

    /// @notice Thrown when the wallet is created without an owner.
    error ERC1271WalletMockZeroOwner();

    /// @param owner_ The owner EOA.
    constructor(address owner_) {
        if (owner_ == address(0)) revert ERC1271WalletMockZeroOwner();
        owner = owner_;
    }

    /// @notice ERC-1271: the magic value when `signature` is the owner's ECDSA signature of `hash`.
    /// @param hash The signed digest.
    /// @param signature The owner's 65-byte signature.
    /// @return magicValue `IERC1271.isValidSignature.selector`, or `0xffffffff` when not valid.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == owner) return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }
}
