// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPrefixRegistry} from "../interfaces/IPrefixRegistry.sol";
import {PrefixLicences} from "../libraries/PrefixLicences.sol";
import {DelayedCalls} from "../libraries/DelayedCalls.sol";
import {ConsortiumStorage, Account} from "../libraries/ConsortiumStorage.sol";
import {Limits} from "../types/Limits.sol";
import {LedgerModuleBase} from "./LedgerModuleBase.sol";
import {IDelayedAdmin} from "../interfaces/IDelayedAdmin.sol";

/// @title PrefixRegistry
/// @notice The GS1 Company Prefix registry functions of the ledger, part of its module (`LedgerModule`):
/// they run in the ledger's storage (`PrefixLicences`, and the organizations of `ConsortiumStorage`) and log
/// under the ledger's address.
abstract contract PrefixRegistry is IPrefixRegistry, LedgerModuleBase {
    /// @inheritdoc IPrefixRegistry
    function licensePrefix(string calldata prefix, uint32 orgId) external viaLedger onlyAdmin {
        bytes calldata digits = bytes(prefix);
        _requireDigits(prefix);
        ConsortiumStorage.requireOrganization(orgId);
        PrefixLicences.Layout storage s = PrefixLicences.layout();
        bytes32 h = keccak256(digits);
        uint32 holder = uint32(s.licences[h]);
        if (holder != 0) revert PrefixAlreadyLicensed(prefix, holder);
        uint32 longer = s.longer[h];
        if (longer != 0) revert PrefixCoversLicensed(prefix, longer);
        // An announcement made while the codes were someone else's (it would have failed, so nobody objected)
        // must not run the moment they are freed: a full delay must pass after the revoke of this prefix or
        // of one overlapping it (a revoke marks the revoked prefix and each prefix it starts with).
        uint256 delay = IDelayedAdmin(address(this)).defaultAdminDelay();
        _requireNotFreedRecently(prefix, s.freedAt[h], delay); // this prefix, or a longer one, was revoked
        // GS1 prefixes are prefix-free: a licence inside another would hand one brand's codes to another.
        for (uint256 k = Limits.MIN_PREFIX_DIGITS; k < digits.length; ++k) {
            bytes32 shorter = keccak256(digits[:k]);
            if (uint32(s.licences[shorter]) != 0) revert PrefixWithinLicensed(prefix, string(digits[:k]));
            _requireNotFreedRecently(prefix, s.revokedAt[shorter], delay); // a shorter one around it was revoked
            ++s.longer[shorter];
        }
        uint64 licence = ++s.lastLicence;
        s.licences[h] = (uint256(licence) << 32) | orgId;
        DelayedCalls.consumeReady();
        emit PrefixLicensed(h, orgId, licence, prefix);
    }

    /// @inheritdoc IPrefixRegistry
    function revokePrefix(string calldata prefix) external viaLedger onlyAdmin {
        bytes calldata digits = bytes(prefix);
        PrefixLicences.Layout storage s = PrefixLicences.layout();
        bytes32 h = keccak256(digits);
        (uint32 holder, uint64 licence) = PrefixLicences.licenceOf(h);
        if (holder == 0) revert PrefixNotLicensed(prefix);
        for (uint256 k = Limits.MIN_PREFIX_DIGITS; k < digits.length; ++k) {
            bytes32 shorter = keccak256(digits[:k]);
            --s.longer[shorter];
            s.freedAt[shorter] = uint48(block.timestamp);
        }
        s.freedAt[h] = uint48(block.timestamp);
        s.revokedAt[h] = uint48(block.timestamp);
        delete s.licences[h];
        emit PrefixRevoked(h, holder, licence, prefix);
    }

    /// @inheritdoc IPrefixRegistry
    function authorizeManufacturer(string calldata prefix, uint32 manufacturer, bool authorized) external viaLedger {
        bytes32 h = keccak256(bytes(prefix));
        (uint32 holder, uint64 licence) = PrefixLicences.licenceOf(h);
        if (holder == 0) revert PrefixNotLicensed(prefix);
        ConsortiumStorage.Layout storage c = ConsortiumStorage.layout();
        Account memory a = c.accounts[msg.sender];
        // An active organization-admin key of the holder: the holder consents, nobody else for it.
        if (a.roles == 0 || !c.orgAdmins[msg.sender]) revert ConsortiumNotOrganizationAdmin(msg.sender, a.orgId);
        if (a.orgId != holder) revert PrefixNotHolder(prefix, a.orgId, holder);
        if (manufacturer == holder) revert PrefixHolderIsManufacturer(prefix, manufacturer);
        ConsortiumStorage.requireOrganization(manufacturer);
        mapping(uint32 => uint64) storage under = PrefixLicences.layout().authorizedUnder[h];
        if ((under[manufacturer] == licence) == authorized) {
            revert PrefixAuthorizationUnchanged(prefix, manufacturer, authorized);
        }
        under[manufacturer] = authorized ? licence : 0;
        emit ManufacturerAuthorized(h, holder, manufacturer, licence, authorized);
    }

    /// @inheritdoc IPrefixRegistry
    function prefixLicence(string calldata prefix) external view viaLedger returns (uint32 holder, uint64 licence) {
        return PrefixLicences.licenceOf(keccak256(bytes(prefix)));
    }

    /// @inheritdoc IPrefixRegistry
    function mayRegisterUnder(string calldata prefix, uint32 orgId) external view viaLedger returns (bool allowed) {
        (, allowed) = PrefixLicences.mayRegister(keccak256(bytes(prefix)), orgId);
    }

    function _requireDigits(string calldata prefix) private pure {
        bytes calldata digits = bytes(prefix);
        if (digits.length < Limits.MIN_PREFIX_DIGITS || digits.length > Limits.MAX_PREFIX_DIGITS) {
            revert PrefixInvalid(prefix);
        }
        for (uint256 i; i < digits.length; ++i) {
            if (digits[i] < "0" || digits[i] > "9") revert PrefixInvalid(prefix);
        }
    }

    /// @dev Reverts while codes under `prefix` were freed by a revoke at `freed` less than `delay` ago.
    function _requireNotFreedRecently(string calldata prefix, uint256 freed, uint256 delay) private view {
        if (freed != 0 && block.timestamp < freed + delay) revert PrefixRecentlyRevoked(prefix, uint48(freed + delay));
    }
}
