// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ConsortiumAdmin} from "./ConsortiumAdmin.sol";
import {PrefixRegistry} from "./PrefixRegistry.sol";
import {CustomsRules} from "./CustomsRules.sol";

/// @title LedgerModule
/// @notice The ledger's cold functions — consortium administration, the GS1 Company Prefix registry and the
/// customs document rules — kept out of the ledger's EIP-170-capped code. The ledger creates one in its
/// constructor, keeps its address as an immutable and delegates to it from stubs of the same signatures
/// (and, for customs filings, from its own filing path): the functions run in the ledger's storage, log
/// under its address and cannot be swapped for other code (the ledger stays non-upgradeable).
contract LedgerModule is ConsortiumAdmin, PrefixRegistry, CustomsRules {}
