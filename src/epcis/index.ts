/**
 * EPCIS 2.0 / CBV 2.0 support for cbec-trace: vocabulary mapping, event builders, the record hash anchored on
 * chain, document export and import, and the bridge to the contract's `TraceInput`. See docs/epcis.md.
 */
export {
  EpcisError,
  EpcisVocabularyError,
  EpcisLocationError,
  EpcisEventError,
  EpcisParseError,
  EpcisHashError,
  EpcisOnchainError,
} from "./errors";
export * from "./types";
export * from "./vocabulary";
export * from "./location";
export * from "./eventInputs";
export * from "./events";
export * from "./hash";
export * from "./document";
export * from "./onchain";
export * from "./namedUnits";
