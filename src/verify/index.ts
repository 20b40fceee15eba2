/**
 * `cbec-trace/verify`: a buyer's check of one code — verdict, reasons and the verified journey; the rules
 * (`judge`) are a pure function of the evidence read from the chain.
 */
export { verifyUnit, type VerifyOptions } from "./verify";
export { judge } from "./judge";
export type {
  Evidence,
  LedgerEvidence,
  InvalidCodeEvidence,
  WrongDeploymentEvidence,
  ParentEvidence,
  ChainView,
} from "./evidence";
export { REASONS, NOTICES, type ReasonCode, type NoticeCode, type ReasonText, type Verdict } from "./reasons";
export type { VerificationReport, VerifiedEntry, ReasonFound, NoticeFound, OrganizationInfo } from "./types";
export {
  ownershipFinding,
  versionAtLeast,
  OWNERSHIP_CHECKED_FROM,
  type OwnershipEvidence,
  type OwnershipFinding,
  type CodeLicence,
  type CodeType,
} from "./licence";
export { keyFindings, type KeyEvidence } from "./keys";
export { authenticityFinding, type AuthenticityFinding, type AuthenticityEvidence } from "./authenticity";
export { ownershipLines, type OwnershipLine } from "./ownershipText";
