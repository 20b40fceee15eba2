// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITraceLedger} from "./interfaces/ITraceLedger.sol";
import {Consortium} from "./Consortium.sol";
import {AggregationAndCustody} from "./AggregationAndCustody.sol";
import {SignedEvents} from "./SignedEvents.sol";
import {Steps} from "./types/Steps.sol";
import {PrefixRegistry} from "./PrefixRegistry.sol";
import {IPrefixRegistry} from "./interfaces/IPrefixRegistry.sol";

/// @title TraceLedger
/// @notice The cbec-trace consortium ledger for cross-border e-commerce export products: GS1-keyed trace
/// units with hash-chained, findable histories, aggregation, custody, scoped role permissions, an
/// enforced export state machine and relayed EIP-712 events. Not upgradeable: history can only grow.
contract TraceLedger is AggregationAndCustody, SignedEvents {
    /// @notice The ledger version; also the EIP-712 domain version.
    string public constant VERSION = "2.1.0";
    /// @notice The EIP-712 domain name.
    string public constant DOMAIN_NAME = "cbec-trace TraceLedger";

    /// @dev The `IPrefixRegistry` module: created here, never replaced.
    address private immutable _prefixRegistry;

    /// @param admin The first consortium admin.
    /// @param adminTransferDelay Seconds between proposing a new admin and the new admin accepting, and
    /// the public delay of the admin's announced operations.
    constructor(
        address admin,
        uint48 adminTransferDelay
    ) Consortium(admin, adminTransferDelay) SignedEvents(DOMAIN_NAME, VERSION) {
        _prefixRegistry = address(new PrefixRegistry());
    }

    /// @inheritdoc IPrefixRegistry
    function licensePrefix(string calldata, uint32) external {
        _delegateToModule();
    }

    /// @inheritdoc IPrefixRegistry
    function revokePrefix(string calldata) external {
        _delegateToModule();
    }

    /// @inheritdoc IPrefixRegistry
    function authorizeManufacturer(string calldata, uint32, bool) external {
        _delegateToModule();
    }

    /// @inheritdoc IPrefixRegistry
    function prefixLicence(string calldata) external view returns (uint32 holder, uint64 licence) {
        _delegateViewToModule();
    }

    /// @inheritdoc IPrefixRegistry
    function mayRegisterUnder(string calldata, uint32) external view returns (bool allowed) {
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

    /// @dev Runs the current call in the module, in this ledger's storage, and returns or reverts with what it
    /// returned.
    function _delegateToModule() private {
        address module = _prefixRegistry;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            let ok := delegatecall(gas(), module, ptr, calldatasize(), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) {
                revert(ptr, returndatasize())
            }
            return(ptr, returndatasize())
        }
    }

    /// @dev `_delegateToModule` for the module's view functions: Solidity lets no view function delegatecall,
    /// but the module's views do not write (and in a static call nothing could).
    function _delegateViewToModule() private view {
        function() internal delegateCall = _delegateToModule;
        function() internal view asView;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            asView := delegateCall
        }
        asView();
    }

    /// @inheritdoc ITraceLedger
    function version() external pure returns (string memory) {
        return VERSION;
    }
}
