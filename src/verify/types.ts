/** Types of a verification report. */
import type { Address, Hex } from "viem";
import type { Gs1Identity } from "../gs1";
import type { JourneyEntry, UnitState } from "../read/types";
import type { NoticeCode, ReasonCode, Verdict } from "./reasons";
import type { OwnershipFinding } from "./licence";
import type { BundleUse } from "../bundle/types";
import type { AuthenticityFinding } from "./authenticity";

export interface ReasonFound {
  code: ReasonCode;
  severity: Exclude<Verdict, "authentic">;
  en: string;
  zh: string;
  /** Extra detail (which event, which address). */
  detail?: string;
}

/** A noteworthy fact that does not change the verdict (`NOTICES`). */
export interface NoticeFound {
  code: NoticeCode;
  en: string;
  zh: string;
  detail?: string;
  /** For KEY_ADDED_BY_ADMIN: the key and the blocks of its delayed operation. */
  key?: { account: Address; orgId: number; announcedAtBlock: bigint; executedAtBlock: bigint };
}

/** An organization as the chain knows it. */
export interface OrganizationInfo {
  orgId: number;
  name?: string;
  creditCode?: string;
  country?: string;
  gln?: string;
  roles: number;
  suspended: boolean;
}

/** One event of the journey, with its proofs. */
export interface VerifiedEntry extends JourneyEntry {
  organization?: OrganizationInfo;
  /** True when the transaction proves the account signed (sender, or a valid EIP-712 batch signature). */
  signatureValid?: boolean;
  /** How it was signed: sent directly or relayed with an EIP-712 signature. */
  signedVia?: "sender" | "eip712";
  /** The off-chain record matches the on-chain hash (true/false), or the record was not available (null). */
  recordMatches: boolean | null;
  /** Set when the record served hashes right but names another unit (so it is no evidence for this one). */
  recordNamesOtherUnit?: true;
  /** Set when a record source was given and had no record for this entry's hash (the buyer cannot see it). */
  recordMissing?: true;
  /**
   * Set for a finance document's entry (order, payment, FX settlement, tax refund: `src/records/access.ts`):
   * the platform withholds its record from buyers by design, so it is not asked for and not missed.
   */
  recordWithheld?: true;
  /** This entry was declared wrong by a later correction. */
  corrected: boolean;
}

export interface VerificationReport {
  verdict: Verdict;
  reasons: ReasonFound[];
  /** Noteworthy facts that do not change the verdict (e.g. a key the consortium admin added after the delay). */
  notices?: NoticeFound[];
  input: string;
  unit?: { identity: Gs1Identity; key: Hex; uri: string };
  state?: UnitState;
  registrant?: OrganizationInfo;
  /**
   * Who owned the code when it was registered: the licence of its GS1 company prefix ("GTIN licensed to …")
   * and the holder's authorization when a contract manufacturer registered it (ledgers from 2.1.0).
   */
  ownership?: OwnershipFinding;
  /** The stage that holds for the unit: its own, or a parent's further one while packed (`Stages`). */
  effectiveStage?: number;
  /**
   * The unit's first-scan claim and tag in the claims registry, read at `asOf` (issue 17), when a registry was
   * named and existed at that block; with what a claim code offered with the verification says.
   */
  authenticity?: AuthenticityFinding;
  /** Outermost last: the parents the unit is packed in now. */
  parents: Hex[];
  entries: VerifiedEntry[];
  ledger: { address: Address; chainId?: number; version?: string };
  /** The block everything was read at (checked to be canonical after reading), and the depth it was chosen at. */
  asOf?: { blockNumber: bigint; blockHash: Hex; confirmations: number };
  /** Timings and call counts, for benchmarks. */
  stats: {
    milliseconds: number;
    logQueries: number;
    /** Sequential JSON-RPC round trips (set by `verifyWithBundle`, which counts them). */
    roundTrips?: number;
    /** Whether the answers were prefetched with a proof bundle, or read by the log walk alone. */
    source?: "bundle" | "logWalk";
    /** How the proof bundle was used. */
    bundle?: BundleUse;
  };
}
