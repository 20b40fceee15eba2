// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Roles
/// @notice Participant roles of the Shenzhen CBEC export traceability model, as bit positions in a
/// `uint16` role mask. An organization holds any combination; the permission matrix says which roles may
/// record which step.
/// @dev The TypeScript SDK reads these constants from this file (`scripts/lib/genCodes.ts`): edit them here only.
library Roles {
    /// @notice 需求方: exporter, seller or brand owner.
    uint8 internal constant EXPORTER = 0;
    /// @notice 信息提供方: manufacturer / factory.
    uint8 internal constant MANUFACTURER = 1;
    /// @notice 信息提供方: warehouse operator (including bonded and overseas warehouses).
    uint8 internal constant WAREHOUSE = 2;
    /// @notice 信息提供方: carrier, freight forwarder or express company.
    uint8 internal constant CARRIER = 3;
    /// @notice 信息提供方: customs broker / declarant agent.
    uint8 internal constant CUSTOMS_BROKER = 4;
    /// @notice 信息提供方: inspection or certification lab.
    uint8 internal constant INSPECTION_LAB = 5;
    /// @notice 服务提供方: platform operator (外综服 foreign-trade service platform, marketplace).
    uint8 internal constant PLATFORM = 6;
    /// @notice 监管方: customs.
    uint8 internal constant CUSTOMS = 7;
    /// @notice 监管方: market regulator (market supervision, product safety).
    uint8 internal constant MARKET_REGULATOR = 8;
    /// @notice 信息提供方: payment institution / bank (支付机构): files payment receipts (CEB403 收款单) and FX
    /// settlements (结汇). Scoped like a carrier: the unit's custodian assigns it.
    uint8 internal constant PAYMENT_INSTITUTION = 9;
    /// @notice 监管方: tax authority or its agent: files export tax refunds (出口退税).
    uint8 internal constant TAX_AUTHORITY = 10;
    /// @notice Number of defined roles; masks with bits at or above it are rejected.
    uint8 internal constant COUNT = 11;

    /// @notice Roles that may write on any unit (scope does not apply to them).
    uint16 internal constant REGULATOR_MASK =
        uint16(1 << CUSTOMS) | uint16(1 << MARKET_REGULATOR) | uint16(1 << TAX_AUTHORITY);
    /// @notice Every defined role.
    uint16 internal constant ALL_MASK = uint16((1 << COUNT) - 1);
}
