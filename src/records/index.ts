/** The record path (build, store, derive the ledger input) and the off-chain record store. */
export * from "./recordEvent";
export * from "./store";
export * from "./documentEvent";
