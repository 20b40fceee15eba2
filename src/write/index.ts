/**
 * `cbec-trace/write`: the write client (ethers + the generated contract types) — registrations, events,
 * aggregation and custody, signed batches, and resuming an interrupted import.
 */
export { TraceWriter, type TraceWriterOptions, type WriteResult, type RelayResult, type RelayFailure } from "./writer";
export { TransactionSender, type SendOptions, type SentTransaction } from "./sender";
export {
  signTraceBatch,
  traceBatchDigest,
  signedBatchToJson,
  signedBatchFromJson,
  type SignedTraceBatch,
} from "./sign";
export { unregistered, unrecorded, unfiled } from "./resume";
export { LicenceChecker, type PrefixLicence } from "./licences";
export type { TraceInput, RegistrationInput, AggregationInput, CustomsDocumentInput } from "./types";
export { sendPipelined, PartialWriteError, DEFAULT_WINDOW, type ChunkOutcome, type PipelineOptions } from "./pipeline";
export { GAS_MODELS, MODEL_MARGIN_PERCENT, modelledGasLimit, intrinsicGas, type GasModel } from "./gasModel";
