/**
 * cbec-trace SDK: GS1 identities and unit keys, EPCIS 2.0 records, the read client (viem; also runs in the
 * browser), the verdict engine and the write client (ethers + typechain) for the consortium trace ledger.
 *
 * @example
 *   import { parseGs1, createTraceReader, TraceWriter } from "cbec-trace";
 */
export * from "./codes";
export * from "./gs1";
export * from "./epcis";
export { labelUri, labelSvg } from "./qrLabels";
export { labelPng } from "./qrLabels/png";
export * from "./errors/base";
export * from "./errors/contract";
export * from "./errors/licence";
export * from "./read";
export * from "./verify";
export * from "./bundle";
export {
  genesisHead,
  nextHead,
  replayHead,
  blockRef,
  chainFormatOf,
  correctionProof,
  type ChainEntry,
  type ChainFormat,
  type CorrectionProof,
} from "./hashChain/hashChain";
export { TRACE_BATCH_TYPES, TRACE_EVENT_FIELDS, type TraceDomain } from "./eip712";
export * from "./write";
export * from "./records";
export { parseManifest, ManifestError, type DeploymentManifest } from "./config/manifest";
export { traceLedgerAbi } from "./generated/abi";
