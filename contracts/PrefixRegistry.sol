// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPrefixRegistry} from "./interfaces/IPrefixRegistry.sol";
import {IConsortium} from "./interfaces/IConsortium.sol";
import {IDelayedAdmin} from "./interfaces/IDelayedAdmin.sol";
import {PrefixLicences} from "./libraries/PrefixLicences.sol";
import {DelayedCalls} from "./libraries/DelayedCalls.sol";
import {Limits} from "./types/Limits.sol";

/// @title PrefixRegistry
/// @notice The GS1 Company Prefix registry functions of the ledger. The ledger creates this module in its
/// constructor and delegates the `IPrefixRegistry` calls to it, so they run in the ledger's storage and log
/// under the ledger's address; the module keeps its code out of the ledger's 24 KiB. Nothing can replace it:
/// its address is an immutable of the ledger.
/// @dev Ledger state it needs (the admin, organizations, accounts) it reads through the ledger's own
/// external views (`address(this)` is the ledger while delegated); its own state is `PrefixLicences`.
contract PrefixRegistry is IPrefixRegistry {
    address private immutable _self = address(this);

    /// @dev Refuses calls to the module's own address: its storage is not the ledger's.
    modifier viaLedger() {
        if (address(this) == _self) revert PrefixRegistryDirectCall();
        _;
    }

    /// @inheritdoc IPrefixRegistry
    function licensePrefix(string calldata prefix, uint32 orgId) external viaLedger {
        _requireAdmin();
        bytes calldata digits = bytes(prefix);
        _requireDigits(prefix);
        IConsortium(address(this)).organization(orgId); // reverts ConsortiumUnknownOrganization
        PrefixLicences.Layout storage s = PrefixLicences.layout();
        bytes32 h = keccak256(digits);
        uint32 holder = uint32(s.licences[h]);
        if (holder != 0) revert PrefixAlreadyLicensed(prefix, holder);
        uint32 longer = s.longer[h];
        if (longer != 0) revert PrefixCoversLicensed(prefix, longer);
        // GS1 prefixes are prefix-free: a licence inside another would hand one brand's codes to another.
        for (uint256 k = Limits.MIN_PREFIX_DIGITS; k < digits.length; ++k) {
            bytes32 shorter = keccak256(digits[:k]);
            if (uint32(s.licences[shorter]) != 0) revert PrefixWithinLicensed(prefix, string(digits[:k]));
            ++s.longer[shorter];
        }
        uint64 licence = ++s.lastLicence;
        s.licences[h] = (uint256(licence) << 32) | orgId;
        DelayedCalls.consumeReady();
        emit PrefixLicensed(h, orgId, licence, prefix);
    }

    /// @inheritdoc IPrefixRegistry
    function revokePrefix(string calldata prefix) external viaLedger {
        _requireAdmin();
        bytes calldata digits = bytes(prefix);
        PrefixLicences.Layout storage s = PrefixLicences.layout();
        bytes32 h = keccak256(digits);
        (uint32 holder, uint64 licence) = PrefixLicences.licenceOf(h);
        if (holder == 0) revert PrefixNotLicensed(prefix);
        for (uint256 k = Limits.MIN_PREFIX_DIGITS; k < digits.length; ++k) {
            --s.longer[keccak256(digits[:k])];
        }
        delete s.licences[h];
        emit PrefixRevoked(h, holder, licence, prefix);
    }

    /// @inheritdoc IPrefixRegistry
    function authorizeManufacturer(string calldata prefix, uint32 manufacturer, bool authorized) external viaLedger {
        bytes32 h = keccak256(bytes(prefix));
        (uint32 holder, uint64 licence) = PrefixLicences.licenceOf(h);
        if (holder == 0) revert PrefixNotLicensed(prefix);
        IConsortium ledger = IConsortium(address(this));
        (uint32 orgId, uint16 roles, , ) = ledger.accountInfo(msg.sender);
        // An active organization-admin key of the holder: the holder consents, nobody else for it.
        if (roles == 0 || !ledger.isOrgAdmin(msg.sender)) revert IConsortium.ConsortiumNotOrganizationAdmin(msg.sender, orgId);
        if (orgId != holder) revert PrefixNotHolder(prefix, orgId, holder);
        if (manufacturer == holder) revert PrefixHolderIsManufacturer(prefix, manufacturer);
        ledger.organization(manufacturer); // reverts ConsortiumUnknownOrganization
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

    function _requireAdmin() private view {
        if (msg.sender != IDelayedAdmin(address(this)).defaultAdmin()) {
            revert IDelayedAdmin.AccessControlUnauthorizedAccount(msg.sender, 0x00);
        }
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
}
