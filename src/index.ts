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
export * from "./read/types";
export { createTraceReader, type TraceReader, type TraceReaderOptions } from "./read/reader";
export { readHistory, readUnitState, InconsistentLogsError, DEFAULT_MAX_BLOCK_RANGE } from "./read/history";
export { readJourney, byChainPosition } from "./read/journey";
export {
  checkDeployment,
  type CheckDeploymentParameters,
  type CheckDeploymentReturnType,
  type CheckDeploymentErrorType,
} from "./read/checkDeployment";
export {
  readOrganizations,
  type ChainOrganization,
  type OrganizationIdentity,
  type ReadOrganizationsParameters,
  type ReadOrganizationsReturnType,
} from "./read/organizations";
export { verifyUnit, type VerifyOptions } from "./verify/verify";
export { judge } from "./verify/judge";
export type {
  Evidence,
  LedgerEvidence,
  InvalidCodeEvidence,
  WrongDeploymentEvidence,
  ParentEvidence,
  ChainView,
} from "./verify/evidence";
export { REASONS, type ReasonCode, type ReasonText, type Verdict } from "./verify/reasons";
export type { VerificationReport, VerifiedEntry, ReasonFound, OrganizationInfo } from "./verify/types";
export { genesisHead, nextHead, replayHead, type ChainEntry } from "./hashChain/hashChain";
export { TRACE_BATCH_TYPES, TRACE_EVENT_FIELDS, type TraceDomain } from "./eip712";
export { TraceWriter, type TraceWriterOptions, type WriteResult } from "./write/writer";
export { TransactionSender, type SendOptions, type SentTransaction } from "./write/sender";
export {
  signTraceBatch,
  traceBatchDigest,
  signedBatchToJson,
  signedBatchFromJson,
  type SignedTraceBatch,
} from "./write/sign";
export { unregistered, unrecorded } from "./write/resume";
export type { TraceInput, RegistrationInput, AggregationInput } from "./write/types";
export * from "./records";
export { parseManifest, ManifestError, type DeploymentManifest } from "./config/manifest";
export { traceLedgerAbi } from "./generated/abi";
