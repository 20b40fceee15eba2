/**
 * `cbec-trace/read`: the read client (viem) — deployment check, unit state, history and journey, checked
 * against the chain, and the organizations' identities.
 *
 * Browser-safe: no Node-only APIs.
 */
export * from "./types";
export { createTraceReader, type TraceReader, type TraceReaderOptions } from "./reader";
export { readHistory, readUnitState, InconsistentLogsError, DEFAULT_MAX_BLOCK_RANGE } from "./history";
export { readJourney, byChainPosition } from "./journey";
export { readBlockHeaders, type BlockHeader } from "./blocks";
export {
  checkDeployment,
  type CheckDeploymentParameters,
  type CheckDeploymentReturnType,
  type CheckDeploymentErrorType,
} from "./checkDeployment";
export {
  readOrganizations,
  type ChainOrganization,
  type OrganizationIdentity,
  type ReadOrganizationsParameters,
  type ReadOrganizationsReturnType,
} from "./organizations";
export {
  readPrefixLicences,
  buildLicenceTimeline,
  prefixHashOf,
  type PrefixLicenceTimeline,
  type PrefixLicenceRecord,
  type ManufacturerAuthorization,
  type ReadPrefixLicencesParameters,
} from "./licences";
export { readKeyOrigins, type KeyOrigin, type ReadKeyOriginsParameters, type ReadKeyOriginsReturnType } from "./keys";
export { readLedgerLogs, comparePositions, type LogPosition, type DecodedLedgerLog } from "./logRange";
