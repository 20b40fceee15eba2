// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title TagKinds
/// @notice The kinds of tag a brand can bind to a unit in `UnitClaims` (`tagOf(unit).kind`).
/// @dev The SDK reads these constants from this file (`scripts/lib/genCodes.ts`): edit them here only.
library TagKinds {
    /// @notice No tag bound.
    uint8 internal constant NONE = 0;
    /// @notice NXP NTAG 424 DNA: the brand's service checks each SUN message off chain (AES keys never on chain)
    /// and records the tap's read counter; the tag id is the 7-byte UID.
    uint8 internal constant SUN = 1;
    /// @notice A secp256k1 chip (HaLo-style): anyone submits the chip's signature and the contract checks it;
    /// the tag id is the chip's address.
    uint8 internal constant CHIP = 2;
}
