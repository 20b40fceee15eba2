// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Account} from "./libraries/ConsortiumStorage.sol";
import {ITraceLedger} from "./interfaces/ITraceLedger.sol";
import {Consortium} from "./Consortium.sol";
import {AggregationAndCustody} from "./AggregationAndCustody.sol";
import {SignedEvents} from "./SignedEvents.sol";
import {CustomsFiling} from "./CustomsFiling.sol";
import {Steps} from "./types/Steps.sol";
import {IPrefixRegistry} from "./interfaces/IPrefixRegistry.sol";

/// @title TraceLedger
/// @notice The cbec-trace consortium ledger for cross-border e-commerce export products: GS1-keyed trace
/// units with hash-chained, findable histories, aggregation, custody, scoped role permissions, an
/// enforced export state machine, customs documents with the rules that protect the declaration and the
/// export tax refund, and relayed EIP-712 events. Not upgradeable: history can only grow.
contract TraceLedger is AggregationAndCustody, SignedEvents, CustomsFiling {
    /// @notice The ledger version; also the EIP-712 domain version.
    string public constant VERSION = "2.2.0";
    /// @notice The EIP-712 domain name.
    string public constant DOMAIN_NAME = "cbec-trace TraceLedger";

    /// @param admin The first consortium admin.
    /// @param adminTransferDelay Seconds between proposing a new admin and the new admin accepting, and
    /// the public delay of the admin's announced operations.
    constructor(
        address admin,
        uint48 adminTransferDelay
    ) Consortium(admin, adminTransferDelay) SignedEvents(DOMAIN_NAME, VERSION) {}

    /// @inheritdoc IPrefixRegistry
    function licensePrefix(string calldata prefix, uint32 orgId) external {
        (prefix, orgId);
        _delegateToModule();
    }

    /// @inheritdoc IPrefixRegistry
    function revokePrefix(string calldata prefix) external {
        prefix;
        _delegateToModule();
    }

    /// @inheritdoc IPrefixRegistry
    function authorizeManufacturer(string calldata prefix, uint32 manufacturer, bool authorized) external {
        (prefix, manufacturer, authorized);
        _delegateToModule();
    }

    /// @inheritdoc IPrefixRegistry
    function prefixLicence(string calldata prefix) external view returns (uint32 holder, uint64 licence) {
        (prefix, holder, licence);
        _delegateViewToModule();
    }

    /// @inheritdoc IPrefixRegistry
    function mayRegisterUnder(string calldata prefix, uint32 orgId) external view returns (bool allowed) {
        (prefix, orgId, allowed);
        _delegateViewToModule();
    }

    /// @inheritdoc ITraceLedger
    function register(Registration calldata registration) external {
        Account memory a = _activeAccount(msg.sender);
        _requireStep(msg.sender, a, Steps.COMMISSIONING);
        _register(msg.sender, a.orgId, registration, SINGLE);
    }

    /// @inheritdoc ITraceLedger
    function registerBatch(Registration[] calldata registrations) external {
        _checkBatch(registrations.length);
        Account memory a = _activeAccount(msg.sender);
        _requireStep(msg.sender, a, Steps.COMMISSIONING);
        for (uint256 i; i < registrations.length; ++i) {
            _register(msg.sender, a.orgId, registrations[i], i);
        }
    }

    /// @inheritdoc ITraceLedger
    function record(TraceInput calldata input) external {
        _record(msg.sender, _activeAccount(msg.sender), input, SINGLE, NO_STEP);
    }

    /// @inheritdoc ITraceLedger
    function recordBatch(TraceInput[] calldata inputs) external {
        _checkBatch(inputs.length);
        Account memory a = _activeAccount(msg.sender);
        uint256 checked = NO_STEP;
        for (uint256 i; i < inputs.length; ++i) {
            checked = _record(msg.sender, a, inputs[i], i, checked);
        }
    }

    /// @inheritdoc ITraceLedger
    function version() external pure returns (string memory) {
        return VERSION;
    }
}
