// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IConsortium} from "./interfaces/IConsortium.sol";
import {DelayedAdmin} from "./DelayedAdmin.sol";
import {ModuleDelegation} from "./ModuleDelegation.sol";
import {Steps} from "./types/Steps.sol";
import {PermissionWords} from "./libraries/PermissionWords.sol";
import {DefaultPermissions} from "./libraries/DefaultPermissions.sol";
import {ConsortiumStorage, Organization, Account} from "./libraries/ConsortiumStorage.sol";

/// @title Consortium
/// @notice Organizations, accounts, the permission matrix and the pause switch of the ledger.
/// @dev Abstract: the ledger inherits it so that one `record` call authorizes with two storage reads
/// (the account word, which mirrors its organization's roles, and one matrix word) instead of a call to a
/// separate registry contract. The administration functions are stubs run in the ledger's module
/// (`ConsortiumAdmin`): they are cold, and the ledger's code is capped by EIP-170. Stubs keep the interface's
/// parameter and return names, so the ledger's ABI is the interface's; each names them once (no unused
/// warnings), then the module's return data is what the caller gets.
abstract contract Consortium is IConsortium, DelayedAdmin, ModuleDelegation {
    using PermissionWords for uint256;

    /// @notice Organization ids fit 24 bits because each unit word stores its registrant in 24 bits.
    uint32 public constant MAX_ORGANIZATIONS = ConsortiumStorage.MAX_ORGANIZATIONS;

    /// @param admin The first consortium admin.
    /// @param adminTransferDelay Seconds a new admin must wait after being proposed before accepting.
    constructor(address admin, uint48 adminTransferDelay) DelayedAdmin(adminTransferDelay, admin) {
        uint256[4] storage matrix = ConsortiumStorage.layout().matrix;
        for (uint8 step = 1; step <= Steps.MAX; ++step) {
            uint256 w = step / PermissionWords.LANES;
            matrix[w] = matrix[w].withRoles(step, DefaultPermissions.rolesFor(step));
        }
    }

    /// @inheritdoc IConsortium
    function addOrganization(
        string calldata name,
        bytes18 creditCode,
        uint64 gln,
        bytes2 country,
        uint16 roles
    ) external returns (uint32 orgId) {
        (name, creditCode, gln, country, roles, orgId);
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function setOrganizationRoles(uint32 orgId, uint16 roles) external {
        (orgId, roles);
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function suspendOrganization(uint32 orgId) external {
        orgId;
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function reactivateOrganization(uint32 orgId) external {
        orgId;
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function addAccount(uint32 orgId, address account) external {
        (orgId, account);
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function suspendAccount(address account) external {
        account;
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function reactivateAccount(address account) external {
        account;
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function rotateAccount(address from, address to) external {
        (from, to);
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function invalidateNonces(uint64 newNonce) external {
        newNonce;
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function setPermissions(uint8[] calldata steps, uint16[] calldata roles) external {
        (steps, roles);
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function pause() external {
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function unpause() external {
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function schedule(bytes calldata data) external returns (bytes32 opId, uint48 readyAt) {
        (data, opId, readyAt);
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function cancelDelayedCall(bytes32 opId) external {
        opId;
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function addAccountAsOrg(address account, bool orgAdmin) external {
        (account, orgAdmin);
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function rotateAccountAsOrg(address from, address to) external {
        (from, to);
        _delegateToModule();
    }

    /// @inheritdoc IConsortium
    function scheduleOf(bytes32 opId) external view returns (uint48 readyAt) {
        (opId, readyAt);
        _delegateViewToModule();
    }

    /// @inheritdoc IConsortium
    function isOrgAdmin(address account) external view returns (bool isAdmin) {
        (account, isAdmin);
        _delegateViewToModule();
    }

    /// @inheritdoc IConsortium
    function organization(uint32 orgId) external view returns (uint16 roles, bool suspended, uint256 accountCount) {
        (orgId, roles, suspended, accountCount);
        _delegateViewToModule();
    }

    /// @inheritdoc IConsortium
    function organizationAddedBlock(uint32 orgId) external view returns (uint64 blockNumber) {
        (orgId, blockNumber);
        _delegateViewToModule();
    }

    /// @inheritdoc IConsortium
    function organizationCount() external view returns (uint32 count) {
        count;
        _delegateViewToModule();
    }

    /// @inheritdoc IConsortium
    function organizationAccounts(uint32 orgId) external view returns (address[] memory accounts) {
        (orgId, accounts);
        _delegateViewToModule();
    }

    /// @inheritdoc IConsortium
    function accountInfo(
        address account
    ) external view returns (uint32 orgId, uint16 roles, AccountStatus status, uint64 nonce) {
        Account storage a = ConsortiumStorage.layout().accounts[account];
        return (a.orgId, a.roles, a.status, a.nonce);
    }

    /// @inheritdoc IConsortium
    function allowedRoles(uint8 step) external view returns (uint16) {
        if (step == 0 || step > Steps.MAX) revert ConsortiumInvalidStep(step);
        return ConsortiumStorage.layout().matrix[PermissionWords.wordOf(step)].rolesIn(step);
    }

    /// @inheritdoc IConsortium
    function paused() public view returns (bool) {
        return ConsortiumStorage.layout().matrix[0].isPaused();
    }

    /// @notice Loads an account that may act now, or reverts saying why it may not.
    /// @param account The acting address.
    /// @return a The account word.
    function _activeAccount(address account) internal view returns (Account memory a) {
        a = ConsortiumStorage.layout().accounts[account];
        if (a.roles == 0) _raise(ConsortiumStorage.denialOf(account, a));
    }

    /// @notice Loads an account and, when it may not act now, the error saying why.
    /// @param account The acting address.
    /// @return a The account word.
    /// @return denial The ABI-encoded error, or empty when the account may act.
    function _accountOrDenial(address account) internal view returns (Account memory a, bytes memory denial) {
        a = ConsortiumStorage.layout().accounts[account];
        if (a.roles == 0) denial = ConsortiumStorage.denialOf(account, a);
    }

    /// @notice Reverts with an ABI-encoded custom error.
    /// @param reason The encoded error (selector and arguments).
    function _raise(bytes memory reason) internal pure {
        ConsortiumStorage.raise(reason);
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
        uint256 word = ConsortiumStorage.layout().matrix[PermissionWords.wordOf(step)];
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
        Account storage a = ConsortiumStorage.layout().accounts[signer];
        if (a.nonce != nonce || nonce == type(uint64).max) return false;
        a.nonce = nonce + 1;
        return true;
    }

    /// @notice The current nonce of an account.
    /// @param account The account.
    /// @return The nonce.
    function _nonceOf(address account) internal view returns (uint64) {
        return ConsortiumStorage.layout().accounts[account].nonce;
    }

    /// @notice Reverts unless an organization exists and is not suspended.
    /// @param orgId The organization.
    function _requireActiveOrganization(uint32 orgId) internal view {
        if (_requireOrganization(orgId).suspended) revert ConsortiumOrganizationSuspended(orgId);
    }

    /// @notice An existing organization, or a revert with `ConsortiumUnknownOrganization`.
    /// @param orgId The organization.
    /// @return org Its state.
    function _requireOrganization(uint32 orgId) internal view returns (Organization storage org) {
        return ConsortiumStorage.requireOrganization(orgId);
    }
}
