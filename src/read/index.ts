/**
 * `cbec-trace/read`: the read client (viem) — unit state, history and journey, checked against the chain.
 *
 * Browser-safe: no Node-only APIs.
 */
export * from "./types";
export { createTraceReader, type TraceReader, type TraceReaderOptions } from "./reader";
export { readHistory, readUnitState, InconsistentLogsError, DEFAULT_MAX_BLOCK_RANGE } from "./history";
export { readJourney, byChainPosition } from "./journey";
