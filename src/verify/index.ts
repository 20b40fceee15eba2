/**
 * `cbec-trace/verify`: a buyer's check of one code — verdict, reasons and the verified journey.
 */
export { verifyUnit, type VerifyOptions } from "./verify";
export type { ReasonFound, OrganizationInfo, VerifiedEntry, VerificationReport } from "./types";
export type { Verdict, ReasonCode } from "./reasons";
