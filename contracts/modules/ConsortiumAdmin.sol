// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IConsortium} from "../interfaces/IConsortium.sol";
import {IDelayedAdmin} from "../interfaces/IDelayedAdmin.sol";
import {IPrefixRegistry} from "../interfaces/IPrefixRegistry.sol";
import {ConsortiumStorage, Organization, Account} from "../libraries/ConsortiumStorage.sol";
import {DelayedCalls} from "../libraries/DelayedCalls.sol";
import {PermissionWords} from "../libraries/PermissionWords.sol";
import {Roles} from "../types/Roles.sol";
import {Steps} from "../types/Steps.sol";
import {Limits} from "../types/Limits.sol";
import {LedgerModuleBase} from "./LedgerModuleBase.sol";

/// @title ConsortiumAdmin
/// @notice The administration functions of `IConsortium` (organizations, accounts, the permission matrix,
/// the pause switch, delayed operations), part of the ledger's module: they run in the ledger's storage
/// (`ConsortiumStorage`, `DelayedCalls`) and log under the ledger's address. The ledger keeps what every
/// write needs (authorization, nonces) and serves these through stubs of the same signatures.
abstract contract ConsortiumAdmin is LedgerModuleBase {
    using PermissionWords for uint256;

    /// @notice See `IConsortium.addOrganization`.
    /// @param name Legal name.
    /// @param creditCode Unified social credit code (18 characters).
    /// @param gln GS1 GLN (13 digits) or 0.
    /// @param country ISO 3166-1 alpha-2 code.
    /// @param roles Role mask.
    /// @return orgId The new organization's id.
    function addOrganization(
        string calldata name,
        bytes18 creditCode,
        uint64 gln,
        bytes2 country,
        uint16 roles
    ) external viaLedger onlyAdmin returns (uint32 orgId) {
        if (bytes(name).length == 0) revert ConsortiumEmptyName();
        if (bytes(name).length > Limits.MAX_NAME_BYTES) {
            revert ConsortiumNameTooLong(bytes(name).length, Limits.MAX_NAME_BYTES);
        }
        if (gln > 9_999_999_999_999) revert ConsortiumInvalidGln(gln);
        if (!_isUpperAlpha(country[0]) || !_isUpperAlpha(country[1])) revert ConsortiumInvalidCountry(country);
        _requireValidRoles(roles);
        ConsortiumStorage.Layout storage s = ConsortiumStorage.layout();
        if (s.organizationCount == ConsortiumStorage.MAX_ORGANIZATIONS) revert ConsortiumOrganizationLimitReached();
        orgId = ++s.organizationCount;
        s.organizations[orgId] = Organization({roles: roles, suspended: false, addedBlock: uint64(block.number)});
        emit OrganizationAdded(orgId, name, creditCode, gln, country, roles);
    }

    /// @notice See `IConsortium.setOrganizationRoles`.
    /// @param orgId The organization.
    /// @param roles The new role mask.
    function setOrganizationRoles(uint32 orgId, uint16 roles) external viaLedger onlyAdmin {
        Organization storage org = ConsortiumStorage.requireOrganization(orgId);
        _requireValidRoles(roles);
        // Granting a role (say CUSTOMS) to an organization whose keys exist is a grant of power to those
        // keys: public delay. Taking roles away only removes power and stays immediate.
        if (roles & ~org.roles != 0 && ConsortiumStorage.layout().organizationAccounts[orgId].length != 0) {
            DelayedCalls.consumeReady();
        }
        org.roles = roles;
        _refreshAccounts(orgId);
        emit OrganizationRolesChanged(orgId, roles);
    }

    /// @notice See `IConsortium.suspendOrganization`.
    /// @param orgId The organization.
    function suspendOrganization(uint32 orgId) external viaLedger onlyAdmin {
        Organization storage org = ConsortiumStorage.requireOrganization(orgId);
        if (org.suspended) revert ConsortiumOrganizationSuspended(orgId);
        org.suspended = true;
        _refreshAccounts(orgId);
        _newNonceEpochs(orgId);
        emit OrganizationSuspended(orgId);
    }

    /// @notice See `IConsortium.reactivateOrganization`.
    /// @param orgId The organization.
    function reactivateOrganization(uint32 orgId) external viaLedger onlyAdmin {
        Organization storage org = ConsortiumStorage.requireOrganization(orgId);
        if (!org.suspended) revert ConsortiumOrganizationNotSuspended(orgId);
        org.suspended = false;
        _refreshAccounts(orgId);
        emit OrganizationReactivated(orgId);
    }

    /// @notice See `IConsortium.addAccount`.
    /// @param orgId The organization.
    /// @param account The new account.
    function addAccount(uint32 orgId, address account) external viaLedger onlyAdmin {
        ConsortiumStorage.requireOrganization(orgId);
        // Onboarding (the first key) is immediate; any later key from the consortium admin could act as the
        // organization, so it runs only after a delay everyone can see. Retired keys count: never 0 again.
        bool onboarding = ConsortiumStorage.layout().organizationAccounts[orgId].length == 0;
        _addAccount(orgId, account, true);
        // Checked after the arguments (the whole call reverts together), so that a bad call is refused for
        // what is wrong with it rather than scheduled in vain.
        if (!onboarding) DelayedCalls.consumeReady();
        emit AccountAdded(account, orgId, msg.sender, true);
    }

    /// @notice See `IConsortium.suspendAccount`.
    /// @param account The account.
    function suspendAccount(address account) external viaLedger onlyAdmin {
        Account storage a = _requireAccount(account);
        if (a.status == AccountStatus.Retired) revert ConsortiumAccountRetired(account);
        if (a.status == AccountStatus.Suspended) revert ConsortiumAccountSuspended(account);
        a.status = AccountStatus.Suspended;
        a.roles = 0;
        _newNonceEpoch(a);
        emit AccountSuspended(account);
    }

    /// @notice See `IConsortium.reactivateAccount`.
    /// @param account The account.
    function reactivateAccount(address account) external viaLedger onlyAdmin {
        Account storage a = _requireAccount(account);
        if (a.status != AccountStatus.Suspended) revert ConsortiumAccountNotSuspended(account);
        a.status = AccountStatus.Active;
        a.roles = _effectiveRoles(a.orgId, AccountStatus.Active);
        emit AccountReactivated(account);
    }

    /// @notice See `IConsortium.rotateAccount`.
    /// @param from The account to retire.
    /// @param to Its replacement.
    function rotateAccount(address from, address to) external viaLedger onlyAdmin {
        _rotate(from, to);
        DelayedCalls.consumeReady(); // after the argument checks, as in addAccount
    }

    /// @notice See `IConsortium.invalidateNonces`.
    /// @param newNonce The new nonce.
    function invalidateNonces(uint64 newNonce) external viaLedger {
        // Any status: a suspended or retired key whose signed batches leaked must still be able to kill them.
        Account storage a = _requireAccount(msg.sender);
        if (newNonce <= a.nonce) revert ConsortiumNonceNotIncreased(msg.sender, a.nonce, newNonce);
        a.nonce = newNonce;
        emit NoncesInvalidated(msg.sender, newNonce);
    }

    /// @notice See `IConsortium.setPermissions`.
    /// @param steps The steps.
    /// @param roles The role mask for each step.
    function setPermissions(uint8[] calldata steps, uint16[] calldata roles) external viaLedger onlyAdmin {
        if (steps.length != roles.length) revert ConsortiumLengthMismatch(steps.length, roles.length);
        ConsortiumStorage.Layout storage s = ConsortiumStorage.layout();
        for (uint256 i; i < steps.length; ++i) {
            uint8 step = steps[i];
            if (step == 0 || step > Steps.MAX) revert ConsortiumInvalidStep(step);
            if (roles[i] & ~Roles.ALL_MASK != 0) revert ConsortiumInvalidRoles(roles[i]);
            uint256 w = PermissionWords.wordOf(step);
            s.matrix[w] = s.matrix[w].withRoles(step, roles[i]);
            emit PermissionChanged(step, roles[i]);
        }
        // Before the first organization exists nobody can be surprised (deployment's genesis overrides).
        // After the argument checks, as in addAccount.
        if (s.organizationCount != 0) DelayedCalls.consumeReady();
    }

    /// @notice See `IConsortium.pause`.
    function pause() external viaLedger onlyAdmin {
        if (_paused()) revert ConsortiumPaused();
        _setPause(true);
        emit Paused(msg.sender);
    }

    /// @notice See `IConsortium.unpause`.
    function unpause() external viaLedger onlyAdmin {
        if (!_paused()) revert ConsortiumNotPaused();
        _setPause(false);
        emit Unpaused(msg.sender);
    }

    /// @notice See `IConsortium.schedule`.
    /// @param data The exact call data of the delayed call.
    /// @return opId `keccak256(data)`.
    /// @return readyAt When it may run.
    function schedule(bytes calldata data) external viaLedger onlyAdmin returns (bytes32 opId, uint48 readyAt) {
        bytes4 selector = bytes4(data);
        // The delayed functions; another delayed function adds its selector here and calls `consumeReady`.
        if (
            selector != IConsortium.addAccount.selector &&
            selector != IConsortium.rotateAccount.selector &&
            selector != IConsortium.setPermissions.selector &&
            selector != IConsortium.setOrganizationRoles.selector &&
            selector != IPrefixRegistry.licensePrefix.selector
        ) revert ConsortiumNotDelayed(selector);
        opId = keccak256(data);
        mapping(bytes32 => uint48) storage ready = DelayedCalls.layout().readyAt;
        uint48 pending = ready[opId];
        if (pending != 0) revert ConsortiumOperationPending(opId, pending);
        // Fixed now: a later change of the delay does not move an announced operation.
        readyAt = uint48(block.timestamp) + IDelayedAdmin(address(this)).defaultAdminDelay();
        ready[opId] = readyAt;
        emit OperationScheduled(opId, readyAt, data);
    }

    /// @notice See `IConsortium.cancelDelayedCall`.
    /// @param opId The operation.
    function cancelDelayedCall(bytes32 opId) external viaLedger onlyAdmin {
        mapping(bytes32 => uint48) storage ready = DelayedCalls.layout().readyAt;
        if (ready[opId] == 0) revert ConsortiumOperationNotReady(opId, 0);
        delete ready[opId];
        emit OperationCancelled(opId);
    }

    /// @notice See `IConsortium.addAccountAsOrg`.
    /// @param account The new account.
    /// @param orgAdmin Whether it may manage the organization's accounts too.
    function addAccountAsOrg(address account, bool orgAdmin) external viaLedger {
        uint32 orgId = _administeredOrg();
        _addAccount(orgId, account, orgAdmin);
        emit AccountAdded(account, orgId, msg.sender, orgAdmin);
    }

    /// @notice See `IConsortium.rotateAccountAsOrg`.
    /// @param from The account to retire.
    /// @param to Its replacement.
    function rotateAccountAsOrg(address from, address to) external viaLedger {
        uint32 orgId = _administeredOrg();
        uint32 owner = _requireAccount(from).orgId;
        if (owner != orgId) revert ConsortiumNotOrganizationAdmin(msg.sender, owner);
        _rotate(from, to);
    }

    /// @notice See `IConsortium.scheduleOf`.
    /// @param opId The operation.
    /// @return When it may run, 0 when not scheduled.
    function scheduleOf(bytes32 opId) external view viaLedger returns (uint48) {
        return DelayedCalls.layout().readyAt[opId];
    }

    /// @notice See `IConsortium.isOrgAdmin`.
    /// @param account The account.
    /// @return Whether it is an organization-admin account.
    function isOrgAdmin(address account) external view viaLedger returns (bool) {
        return ConsortiumStorage.layout().orgAdmins[account];
    }

    /// @notice See `IConsortium.organization`.
    /// @param orgId The organization.
    /// @return roles Its role mask.
    /// @return suspended Whether it is suspended.
    /// @return accountCount How many accounts it ever had.
    function organization(
        uint32 orgId
    ) external view viaLedger returns (uint16 roles, bool suspended, uint256 accountCount) {
        Organization storage org = ConsortiumStorage.requireOrganization(orgId);
        return (org.roles, org.suspended, ConsortiumStorage.layout().organizationAccounts[orgId].length);
    }

    /// @notice See `IConsortium.organizationAddedBlock`.
    /// @param orgId The organization.
    /// @return The block of its `OrganizationAdded` log.
    function organizationAddedBlock(uint32 orgId) external view viaLedger returns (uint64) {
        return ConsortiumStorage.requireOrganization(orgId).addedBlock;
    }

    /// @notice See `IConsortium.organizationCount`.
    /// @return How many organizations exist.
    function organizationCount() external view viaLedger returns (uint32) {
        return ConsortiumStorage.layout().organizationCount;
    }

    /// @notice See `IConsortium.organizationAccounts`.
    /// @param orgId The organization.
    /// @return Its accounts, in the order they were added.
    function organizationAccounts(uint32 orgId) external view viaLedger returns (address[] memory) {
        ConsortiumStorage.requireOrganization(orgId);
        return ConsortiumStorage.layout().organizationAccounts[orgId];
    }

    function _requireAccount(address account) private view returns (Account storage a) {
        a = ConsortiumStorage.layout().accounts[account];
        if (a.orgId == 0) revert ConsortiumUnknownAccount(account);
    }

    /// @dev The organization the caller administers; reverts unless it is an active admin account.
    function _administeredOrg() private view returns (uint32) {
        ConsortiumStorage.Layout storage s = ConsortiumStorage.layout();
        Account memory a = s.accounts[msg.sender];
        if (a.roles == 0) ConsortiumStorage.raise(ConsortiumStorage.denialOf(msg.sender, a));
        if (!s.orgAdmins[msg.sender]) revert ConsortiumNotOrganizationAdmin(msg.sender, a.orgId);
        return a.orgId;
    }

    function _rotate(address from, address to) private {
        Account storage old = _requireAccount(from);
        if (old.status == AccountStatus.Retired) revert ConsortiumAccountRetired(from);
        uint32 orgId = old.orgId;
        old.status = AccountStatus.Retired;
        old.roles = 0;
        _addAccount(orgId, to, ConsortiumStorage.layout().orgAdmins[from]);
        emit AccountRotated(from, to, orgId, msg.sender);
    }

    function _addAccount(uint32 orgId, address account, bool orgAdmin) private {
        if (account == address(0)) revert ConsortiumZeroAddress();
        ConsortiumStorage.Layout storage s = ConsortiumStorage.layout();
        uint32 existing = s.accounts[account].orgId;
        if (existing != 0) revert ConsortiumAccountExists(account, existing);
        s.accounts[account] = Account({
            orgId: orgId,
            roles: _effectiveRoles(orgId, AccountStatus.Active),
            status: AccountStatus.Active,
            nonce: 0
        });
        s.organizationAccounts[orgId].push(account);
        if (orgAdmin) s.orgAdmins[account] = true;
    }

    /// @dev Re-mirrors the organization's roles into each account word. Linear in the organization's
    /// accounts; an organization has a handful of signing keys, and this runs only on admin changes.
    function _refreshAccounts(uint32 orgId) private {
        ConsortiumStorage.Layout storage s = ConsortiumStorage.layout();
        address[] storage list = s.organizationAccounts[orgId];
        for (uint256 i; i < list.length; ++i) {
            Account storage a = s.accounts[list[i]];
            a.roles = _effectiveRoles(orgId, a.status);
        }
    }

    function _effectiveRoles(uint32 orgId, AccountStatus status) private view returns (uint16) {
        Organization storage org = ConsortiumStorage.layout().organizations[orgId];
        return status == AccountStatus.Active && !org.suspended ? org.roles : 0;
    }

    /// @dev Suspension kills every batch the account signed before it, even those signed ahead of its
    /// current nonce: the nonce moves to the start of the next epoch (high 32 bits + 1, counter 0), beyond
    /// anything a signer queues (fewer than 2^32 batches); from the last epoch it saturates at the unusable
    /// 2^64 − 1 instead of wrapping to 0, which would revive old signatures.
    function _newNonceEpoch(Account storage a) private {
        unchecked {
            uint64 next = (a.nonce | type(uint32).max) + 1;
            a.nonce = next == 0 ? type(uint64).max : next;
        }
    }

    /// @dev `_newNonceEpoch` for every account of an organization.
    function _newNonceEpochs(uint32 orgId) private {
        ConsortiumStorage.Layout storage s = ConsortiumStorage.layout();
        address[] storage list = s.organizationAccounts[orgId];
        for (uint256 i; i < list.length; ++i) {
            _newNonceEpoch(s.accounts[list[i]]);
        }
    }

    function _paused() private view returns (bool) {
        return ConsortiumStorage.layout().matrix[0].isPaused();
    }

    function _setPause(bool on) private {
        ConsortiumStorage.Layout storage s = ConsortiumStorage.layout();
        for (uint256 w; w < PermissionWords.WORDS; ++w) {
            s.matrix[w] = s.matrix[w].withPause(on);
        }
    }

    function _requireValidRoles(uint16 roles) private pure {
        if (roles == 0 || roles & ~Roles.ALL_MASK != 0) revert ConsortiumInvalidRoles(roles);
    }

    function _isUpperAlpha(bytes1 c) private pure returns (bool) {
        return c >= "A" && c <= "Z";
    }
}
