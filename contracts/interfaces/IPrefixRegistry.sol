// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPrefixRegistry
/// @notice The GS1 Company Prefix registry of the ledger: which organization holds which prefix, and which
/// contract manufacturers a holder authorized to register codes under it. Registering a GTIN, SSCC, GINC or
/// GLN needs the holder of the prefix at the code's `Limits.PREFIX_OFFSET`, or an organization it authorized.
/// @dev Served by the ledger's address (its module, created with the ledger, runs in the ledger's storage), so
/// its logs are the ledger's logs. Prefixes are ASCII digit strings; a prefix is found by
/// `keccak256(bytes(prefix))`, the same hash the ledger takes of the code's bytes when it registers.
interface IPrefixRegistry {
    /// @notice `orgId` holds `prefix` from this block on (a licence is public: this log is its evidence).
    /// @param prefixHash `keccak256(bytes(prefix))`.
    /// @param orgId The holder.
    /// @param licence The licence number: authorizations made under an earlier licence of the prefix die.
    /// @param prefix The digits.
    event PrefixLicensed(bytes32 indexed prefixHash, uint32 indexed orgId, uint64 licence, string prefix);

    /// @notice `orgId` no longer holds `prefix`; codes registered under it stay registered.
    /// @param prefixHash `keccak256(bytes(prefix))`.
    /// @param orgId The former holder.
    /// @param licence The licence that ended.
    /// @param prefix The digits.
    event PrefixRevoked(bytes32 indexed prefixHash, uint32 indexed orgId, uint64 licence, string prefix);

    /// @notice The holder authorized (or stopped authorizing) a contract manufacturer under its licence.
    /// @param prefixHash `keccak256(bytes(prefix))`.
    /// @param holder The holder that decided.
    /// @param manufacturer The organization authorized or no longer authorized.
    /// @param licence The licence the authorization belongs to.
    /// @param authorized True when authorized from now on, false when no longer.
    event ManufacturerAuthorized(
        bytes32 indexed prefixHash,
        uint32 indexed holder,
        uint32 indexed manufacturer,
        uint64 licence,
        bool authorized
    );

    /// @notice The prefix is not 4 to 12 ASCII digits (`Limits.MIN_PREFIX_DIGITS`, `MAX_PREFIX_DIGITS`).
    error PrefixInvalid(string prefix);
    /// @notice The prefix is already licensed (to `holder`); revoke it first.
    error PrefixAlreadyLicensed(string prefix, uint32 holder);
    /// @notice A shorter prefix that `prefix` starts with is licensed: every code under `prefix` is already
    /// someone's.
    error PrefixWithinLicensed(string prefix, string licensed);
    /// @notice `count` licensed prefixes start with `prefix`: licensing it would take their codes.
    error PrefixCoversLicensed(string prefix, uint32 count);
    /// @notice Codes under the prefix were freed by a revoke less than a delay ago (of this prefix, or of one
    /// overlapping it): a licence over them, even one announced long before, may run only from `licensableAt`.
    error PrefixRecentlyRevoked(string prefix, uint48 licensableAt);
    /// @notice The prefix is not licensed to anyone.
    error PrefixNotLicensed(string prefix);
    /// @notice Only the holder's organization admin decides who manufactures under the prefix.
    error PrefixNotHolder(string prefix, uint32 orgId, uint32 holder);
    /// @notice The holder needs no authorization under its own prefix.
    error PrefixHolderIsManufacturer(string prefix, uint32 orgId);
    /// @notice The authorization is already what was asked.
    error PrefixAuthorizationUnchanged(string prefix, uint32 manufacturer, bool authorized);

    /// @notice Licenses `prefix` to `orgId`. Consortium admin only, and only after the public delay: the
    /// exact call must have been announced with `schedule` (a licence decides who owns a brand's codes), and
    /// a full delay must have passed since a revoke freed any of its codes (`PrefixRecentlyRevoked`).
    /// @param prefix The GS1 Company Prefix (4 to 12 digits).
    /// @param orgId The holder (an existing organization).
    function licensePrefix(string calldata prefix, uint32 orgId) external;

    /// @notice Ends the licence of `prefix`, with every authorization under it. Consortium admin only;
    /// immediate, because it only takes power away (a new licence waits the delay). Registered codes stay.
    /// @param prefix The licensed prefix.
    function revokePrefix(string calldata prefix) external;

    /// @notice Authorizes (or stops authorizing) `manufacturer` to register codes under `prefix`. Called by an
    /// organization-admin account of the prefix's holder; effective at once (the holder consents for itself).
    /// @param prefix A prefix the caller's organization holds.
    /// @param manufacturer The contract manufacturer's organization.
    /// @param authorized True to authorize, false to stop.
    function authorizeManufacturer(string calldata prefix, uint32 manufacturer, bool authorized) external;

    /// @notice The holder of a prefix and its licence number (0, 0 when not licensed).
    /// @param prefix The digits.
    /// @return holder The holding organization.
    /// @return licence The licence number.
    function prefixLicence(string calldata prefix) external view returns (uint32 holder, uint64 licence);

    /// @notice Whether `orgId` may register codes under `prefix` now: it holds it, or the holder authorized
    /// it under the current licence.
    /// @param prefix The digits.
    /// @param orgId The organization.
    /// @return allowed True when it may.
    function mayRegisterUnder(string calldata prefix, uint32 orgId) external view returns (bool allowed);
}
