/**
 * EIP-712 types of signed trace events. The contract's `TRACE_BATCH_TYPE` string must equal the encoding
 * of these types (a test pins it), and the domain name and version come from the contract itself.
 */
export const TRACE_EVENT_FIELDS = [
  { name: "unit", type: "bytes32" },
  { name: "step", type: "uint8" },
  { name: "disposition", type: "uint8" },
  { name: "eventTime", type: "uint40" },
  { name: "location", type: "uint64" },
  { name: "recordHash", type: "bytes32" },
] as const;

/** Typed-data `types` for `TraceBatch` (ethers `signTypedData` / viem `signTypedData`). */
export const TRACE_BATCH_TYPES = {
  TraceBatch: [
    { name: "signer", type: "address" },
    { name: "nonce", type: "uint64" },
    { name: "deadline", type: "uint40" },
    { name: "events", type: "TraceEvent[]" },
  ],
  TraceEvent: TRACE_EVENT_FIELDS,
} as const;

/** An EIP-712 domain as returned by the ledger's `eip712Domain()` (EIP-5267). */
export interface TraceDomain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
}
