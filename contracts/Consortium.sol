// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IConsortium} from "./interfaces/IConsortium.sol";
import {DelayedAdmin} from "./DelayedAdmin.sol";
import {Roles} from "./types/Roles.sol";
import {Steps} from "./types/Steps.sol";
import {Limits} from "./types/Limits.sol";
import {PermissionWords} from "./libraries/PermissionWords.sol";
import {DefaultPermissions} from "./libraries/DefaultPermissions.sol";
import {DelayedCalls} from "./libraries/DelayedCalls.sol";
import {IPrefixRegistry} from "./interfaces/IPrefixRegistry.sol";

/// @title Consortium
/// @notice Organizations, accounts, the permission matrix and the pause switch of the ledger.
/// @dev Abstract: the ledger inherits it so that one `record` call authorizes with two storage reads
/// (the account word, which mirrors its organization's roles, and one matrix word) instead of a call to a
/// separate registry contract.
abstract contract Consortium is IConsortium, DelayedAdmin {
    using PermissionWords for uint256;

    /// @notice An organization's on-chain state; its identity is in the `OrganizationAdded` log.
    struct Organization {
        uint16 roles;
        bool suspended;
        /// @dev Where its `OrganizationAdded` log is: verifiers read its identity with one single-block query.
        uint64 addedBlock;
    }

    /// @notice An account's state, in one word. `roles` mirrors the organization's roles while both the
    /// account and its organization are active, and is 0 otherwise, so authorization needs this word only.
    struct Account {
        uint32 orgId;
        uint16 roles;
        AccountStatus status;
        uint64 nonce;
    }

    /// @notice Organization ids fit 24 bits because each unit word stores its registrant in 24 bits.
    uint32 public constant MAX_ORGANIZATIONS = type(uint24).max;

    uint256[4] private _matrix; // PermissionWords.WORDS
    uint32 private _organizationCount;
    mapping(uint32 orgId => Organization) private _organizations;
    mapping(uint32 orgId => address[]) private _organizationAccounts;
    mapping(address account => Account) private _accounts;
    /// @dev Kept out of the account word so that authorization (`record`'s hot path) reads nothing more.
    mapping(address account => bool) private _orgAdmins;

    /// @param admin The first consortium admin.
    /// @param adminTransferDelay Seconds a new admin must wait after being proposed before accepting.
    constructor(address admin, uint48 adminTransferDelay) DelayedAdmin(adminTransferDelay, admin) {
        for (uint8 step = 1; step <= Steps.MAX; ++step) {
            uint256 w = step / PermissionWords.LANES;
            _matrix[w] = _matrix[w].withRoles(step, DefaultPermissions.rolesFor(step));
        }
    }

    /// @inheritdoc IConsortium
    function addOrganization(
        string calldata name,
        bytes18 creditCode,
        uint64 gln,
        bytes2 country,
        uint16 roles
    ) external onlyAdmin returns (uint32 orgId) {
        if (bytes(name).length == 0) revert ConsortiumEmptyName();
        if (bytes(name).length > Limits.MAX_NAME_BYTES) {
            revert ConsortiumNameTooLong(bytes(name).length, Limits.MAX_NAME_BYTES);
        }
        if (gln > 9_999_999_999_999) revert ConsortiumInvalidGln(gln);
        if (!_isUpperAlpha(country[0]) || !_isUpperAlpha(country[1])) revert ConsortiumInvalidCountry(country);
        _requireValidRoles(roles);
        if (_organizationCount == MAX_ORGANIZATIONS) revert ConsortiumOrganizationLimitReached();
        orgId = ++_organizationCount;
        _organizations[orgId] = Organization({roles: roles, suspended: false, addedBlock: uint64(block.number)});
        emit OrganizationAdded(orgId, name, creditCode, gln, country, roles);
    }

    /// @inheritdoc IConsortium
    function setOrganizationRoles(uint32 orgId, uint16 roles) external onlyAdmin {
        Organization storage org = _requireOrganization(orgId);
        _requireValidRoles(roles);
        // Granting a role (say CUSTOMS) to an organization whose keys exist is a grant of power to those
        // keys: public delay. Taking roles away only removes power and stays immediate.
        if (roles & ~org.roles != 0 && _organizationAccounts[orgId].length != 0) _consumeReady();
        org.roles = roles;
        _refreshAccounts(orgId);
        emit OrganizationRolesChanged(orgId, roles);
    }

    /// @inheritdoc IConsortium
    function suspendOrganization(uint32 orgId) external onlyAdmin {
        Organization storage org = _requireOrganization(orgId);
        if (org.suspended) revert ConsortiumOrganizationSuspended(orgId);
        org.suspended = true;
        _refreshAccounts(orgId);
        _newNonceEpochs(orgId);
        emit OrganizationSuspended(orgId);
    }

    /// @inheritdoc IConsortium
    function reactivateOrganization(uint32 orgId) external onlyAdmin {
        Organization storage org = _requireOrganization(orgId);
        if (!org.suspended) revert ConsortiumOrganizationNotSuspended(orgId);
        org.suspended = false;
        _refreshAccounts(orgId);
        emit OrganizationReactivated(orgId);
    }

    /// @inheritdoc IConsortium
    function addAccount(uint32 orgId, address account) external onlyAdmin {
        _requireOrganization(orgId);
        // Onboarding (the first key) is immediate; any later key from the consortium admin could act as the
        // organization, so it runs only after a delay everyone can see. Retired keys count: never 0 again.
        bool onboarding = _organizationAccounts[orgId].length == 0;
        _addAccount(orgId, account, true);
        // Checked after the arguments (the whole call reverts together), so that a bad call is refused for
        // what is wrong with it rather than scheduled in vain.
        if (!onboarding) _consumeReady();
        emit AccountAdded(account, orgId, msg.sender, true);
    }

    /// @inheritdoc IConsortium
    function suspendAccount(address account) external onlyAdmin {
        Account storage a = _requireAccount(account);
        if (a.status == AccountStatus.Retired) revert ConsortiumAccountRetired(account);
        if (a.status == AccountStatus.Suspended) revert ConsortiumAccountSuspended(account);
        a.status = AccountStatus.Suspended;
        a.roles = 0;
        _newNonceEpoch(a);
        emit AccountSuspended(account);
    }

    /// @inheritdoc IConsortium
    function reactivateAccount(address account) external onlyAdmin {
        Account storage a = _requireAccount(account);
        if (a.status != AccountStatus.Suspended) revert ConsortiumAccountNotSuspended(account);
        a.status = AccountStatus.Active;
        a.roles = _effectiveRoles(a.orgId, AccountStatus.Active);
        emit AccountReactivated(account);
    }

    /// @inheritdoc IConsortium
    function rotateAccount(address from, address to) external onlyAdmin {
        _rotate(from, to);
        _consumeReady(); // after the argument checks, as in addAccount
    }

    /// @inheritdoc IConsortium
    function invalidateNonces(uint64 newNonce) external {
        // Any status: a suspended or retired key whose signed batches leaked must still be able to kill them.
        Account storage a = _requireAccount(msg.sender);
        if (newNonce <= a.nonce) revert ConsortiumNonceNotIncreased(msg.sender, a.nonce, newNonce);
        a.nonce = newNonce;
        emit NoncesInvalidated(msg.sender, newNonce);
    }

    /// @inheritdoc IConsortium
    function setPermissions(uint8[] calldata steps, uint16[] calldata roles) external onlyAdmin {
        if (steps.length != roles.length) revert ConsortiumLengthMismatch(steps.length, roles.length);
        for (uint256 i; i < steps.length; ++i) {
            uint8 step = steps[i];
            if (step == 0 || step > Steps.MAX) revert ConsortiumInvalidStep(step);
            if (roles[i] & ~Roles.ALL_MASK != 0) revert ConsortiumInvalidRoles(roles[i]);
            uint256 w = PermissionWords.wordOf(step);
            _matrix[w] = _matrix[w].withRoles(step, roles[i]);
            emit PermissionChanged(step, roles[i]);
        }
        // Before the first organization exists nobody can be surprised (deployment's genesis overrides).
        // After the argument checks, as in addAccount.
        if (_organizationCount != 0) _consumeReady();
    }

    /// @inheritdoc IConsortium
    function pause() external onlyAdmin {
        if (paused()) revert ConsortiumPaused();
        _setPause(true);
        emit Paused(msg.sender);
    }

    /// @inheritdoc IConsortium
    function unpause() external onlyAdmin {
        if (!paused()) revert ConsortiumNotPaused();
        _setPause(false);
        emit Unpaused(msg.sender);
    }

    /// @inheritdoc IConsortium
    function schedule(bytes calldata data) external onlyAdmin returns (bytes32 opId, uint48 readyAt) {
        bytes4 selector = bytes4(data);
        // The delayed functions; another delayed function adds its selector here and calls `_consumeReady`.
        if (
            selector != this.addAccount.selector &&
            selector != this.rotateAccount.selector &&
            selector != this.setPermissions.selector &&
            selector != this.setOrganizationRoles.selector &&
            selector != IPrefixRegistry.licensePrefix.selector
        ) revert ConsortiumNotDelayed(selector);
        opId = keccak256(data);
        mapping(bytes32 => uint48) storage ready = DelayedCalls.layout().readyAt;
        uint48 pending = ready[opId];
        if (pending != 0) revert ConsortiumOperationPending(opId, pending);
        // Fixed now: a later change of the delay does not move an announced operation.
        readyAt = uint48(block.timestamp) + defaultAdminDelay();
        ready[opId] = readyAt;
        emit OperationScheduled(opId, readyAt, data);
    }

    /// @inheritdoc IConsortium
    function cancelDelayedCall(bytes32 opId) external onlyAdmin {
        mapping(bytes32 => uint48) storage ready = DelayedCalls.layout().readyAt;
        if (ready[opId] == 0) revert ConsortiumOperationNotReady(opId, 0);
        delete ready[opId];
        emit OperationCancelled(opId);
    }

    /// @inheritdoc IConsortium
    function addAccountAsOrg(address account, bool orgAdmin) external {
        uint32 orgId = _administeredOrg();
        _addAccount(orgId, account, orgAdmin);
        emit AccountAdded(account, orgId, msg.sender, orgAdmin);
    }

    /// @inheritdoc IConsortium
    function rotateAccountAsOrg(address from, address to) external {
        uint32 orgId = _administeredOrg();
        uint32 owner = _requireAccount(from).orgId;
        if (owner != orgId) revert ConsortiumNotOrganizationAdmin(msg.sender, owner);
        _rotate(from, to);
    }

    /// @inheritdoc IConsortium
    function scheduleOf(bytes32 opId) external view returns (uint48) {
        return DelayedCalls.layout().readyAt[opId];
    }

    /// @inheritdoc IConsortium
    function isOrgAdmin(address account) external view returns (bool) {
        return _orgAdmins[account];
    }

    /// @inheritdoc IConsortium
    function organization(uint32 orgId) external view returns (uint16 roles, bool suspended, uint256 accountCount) {
        Organization storage org = _requireOrganization(orgId);
        return (org.roles, org.suspended, _organizationAccounts[orgId].length);
    }

    /// @inheritdoc IConsortium
    function organizationAddedBlock(uint32 orgId) external view returns (uint64) {
        return _requireOrganization(orgId).addedBlock;
    }

    /// @inheritdoc IConsortium
    function organizationCount() external view returns (uint32) {
        return _organizationCount;
    }

    /// @inheritdoc IConsortium
    function organizationAccounts(uint32 orgId) external view returns (address[] memory) {
        _requireOrganization(orgId);
        return _organizationAccounts[orgId];
    }

    /// @inheritdoc IConsortium
    function accountInfo(
        address account
    ) external view returns (uint32 orgId, uint16 roles, AccountStatus status, uint64 nonce) {
        Account storage a = _accounts[account];
        return (a.orgId, a.roles, a.status, a.nonce);
    }

    /// @inheritdoc IConsortium
    function allowedRoles(uint8 step) external view returns (uint16) {
        if (step == 0 || step > Steps.MAX) revert ConsortiumInvalidStep(step);
        return _matrix[PermissionWords.wordOf(step)].rolesIn(step);
    }

    /// @inheritdoc IConsortium
    function paused() public view returns (bool) {
        return _matrix[0].isPaused();
    }

    /// @notice Loads an account that may act now, or reverts saying why it may not.
    /// @param account The acting address.
    /// @return a The account word.
    function _activeAccount(address account) internal view returns (Account memory a) {
        a = _accounts[account];
        if (a.roles == 0) _raise(_accountDenial(account, a));
    }

    /// @notice Loads an account and, when it may not act now, the error saying why.
    /// @param account The acting address.
    /// @return a The account word.
    /// @return denial The ABI-encoded error, or empty when the account may act.
    function _accountOrDenial(address account) internal view returns (Account memory a, bytes memory denial) {
        a = _accounts[account];
        if (a.roles == 0) denial = _accountDenial(account, a);
    }

    /// @notice Reverts with an ABI-encoded custom error.
    /// @param reason The encoded error (selector and arguments).
    function _raise(bytes memory reason) internal pure {
        // Solidity has no syntax for reverting with an already-encoded custom error.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
    }

    /// @notice Reverts unless the ledger is running and one of the account's roles may record `step`.
    /// @dev `step` must already be a defined step code (1..Steps.MAX).
    /// @param account The acting account (for the error).
    /// @param a Its account word.
    /// @param step The step.
    function _requireStep(address account, Account memory a, uint8 step) internal view {
        if (!_stepAllowed(a.roles, step)) revert ConsortiumStepNotAllowed(account, a.orgId, step, a.roles);
    }

    /// @notice Whether one of `roles` may record `step`; reverts while the ledger is paused.
    /// @dev One storage read answers both questions (see `PermissionWords`).
    /// @param roles The acting roles.
    /// @param step A defined step code.
    /// @return True when allowed.
    function _stepAllowed(uint16 roles, uint8 step) internal view returns (bool) {
        uint256 word = _matrix[PermissionWords.wordOf(step)];
        if (word.isPaused()) revert ConsortiumPaused();
        return word.rolesIn(step) & roles != 0;
    }

    /// @notice Consumes a signer's nonce if it equals `nonce`.
    /// @dev The last nonce (2^64 − 1, reached by `invalidateNonces` or the last epoch) is never usable, so
    /// the nonce can only grow and a signature below it stays dead.
    /// @param signer The signer.
    /// @param nonce The nonce the signature carries.
    /// @return ok False when the nonce is not the current one (nothing changes then).
    function _useNonce(address signer, uint64 nonce) internal returns (bool ok) {
        Account storage a = _accounts[signer];
        if (a.nonce != nonce || nonce == type(uint64).max) return false;
        a.nonce = nonce + 1;
        return true;
    }

    /// @notice The current nonce of an account.
    /// @param account The account.
    /// @return The nonce.
    function _nonceOf(address account) internal view returns (uint64) {
        return _accounts[account].nonce;
    }

    /// @notice Reverts unless an organization exists and is not suspended.
    /// @param orgId The organization.
    function _requireActiveOrganization(uint32 orgId) internal view {
        if (_requireOrganization(orgId).suspended) revert ConsortiumOrganizationSuspended(orgId);
    }

    function _requireOrganization(uint32 orgId) internal view returns (Organization storage org) {
        if (orgId == 0 || orgId > _organizationCount) revert ConsortiumUnknownOrganization(orgId);
        return _organizations[orgId];
    }

    /// @dev Why an account whose mirrored roles are 0 may not act.
    function _accountDenial(address account, Account memory a) private pure returns (bytes memory) {
        if (a.orgId == 0) return abi.encodeWithSelector(ConsortiumUnknownAccount.selector, account);
        if (a.status == AccountStatus.Suspended) {
            return abi.encodeWithSelector(ConsortiumAccountSuspended.selector, account);
        }
        if (a.status == AccountStatus.Retired)
            return abi.encodeWithSelector(ConsortiumAccountRetired.selector, account);
        return abi.encodeWithSelector(ConsortiumOrganizationSuspended.selector, a.orgId);
    }

    function _requireAccount(address account) private view returns (Account storage a) {
        a = _accounts[account];
        if (a.orgId == 0) revert ConsortiumUnknownAccount(account);
    }

    /// @dev Runs a delayed call once (`DelayedCalls.consumeReady`).
    function _consumeReady() internal {
        DelayedCalls.consumeReady();
    }

    /// @dev The organization the caller administers; reverts unless it is an active admin account.
    function _administeredOrg() private view returns (uint32) {
        Account memory a = _activeAccount(msg.sender);
        if (!_orgAdmins[msg.sender]) revert ConsortiumNotOrganizationAdmin(msg.sender, a.orgId);
        return a.orgId;
    }

    function _rotate(address from, address to) private {
        Account storage old = _requireAccount(from);
        if (old.status == AccountStatus.Retired) revert ConsortiumAccountRetired(from);
        uint32 orgId = old.orgId;
        old.status = AccountStatus.Retired;
        old.roles = 0;
        _addAccount(orgId, to, _orgAdmins[from]);
        emit AccountRotated(from, to, orgId, msg.sender);
    }

    function _addAccount(uint32 orgId, address account, bool orgAdmin) private {
        if (account == address(0)) revert ConsortiumZeroAddress();
        uint32 existing = _accounts[account].orgId;
        if (existing != 0) revert ConsortiumAccountExists(account, existing);
        _accounts[account] = Account({
            orgId: orgId,
            roles: _effectiveRoles(orgId, AccountStatus.Active),
            status: AccountStatus.Active,
            nonce: 0
        });
        _organizationAccounts[orgId].push(account);
        if (orgAdmin) _orgAdmins[account] = true;
    }

    /// @dev Re-mirrors the organization's roles into each account word. Linear in the organization's
    /// accounts; an organization has a handful of signing keys, and this runs only on admin changes.
    function _refreshAccounts(uint32 orgId) private {
        address[] storage list = _organizationAccounts[orgId];
        for (uint256 i; i < list.length; ++i) {
            Account storage a = _accounts[list[i]];
            a.roles = _effectiveRoles(orgId, a.status);
        }
    }

    function _effectiveRoles(uint32 orgId, AccountStatus status) private view returns (uint16) {
        Organization storage org = _organizations[orgId];
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
        address[] storage list = _organizationAccounts[orgId];
        for (uint256 i; i < list.length; ++i) {
            _newNonceEpoch(_accounts[list[i]]);
        }
    }

    function _setPause(bool on) private {
        for (uint256 w; w < PermissionWords.WORDS; ++w) {
            _matrix[w] = _matrix[w].withPause(on);
        }
    }

    function _requireValidRoles(uint16 roles) private pure {
        if (roles == 0 || roles & ~Roles.ALL_MASK != 0) revert ConsortiumInvalidRoles(roles);
    }

    function _isUpperAlpha(bytes1 c) private pure returns (bool) {
        return c >= "A" && c <= "Z";
    }
}
